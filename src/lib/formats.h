/*
 * The formats: one row each (formats.c), everything docclass does
 * differently by format. Adding a format is a detection rule (detect.c),
 * a row here, its extractor, and its value in dc_format (docs/architecture.md).
 * Internal; never installed.
 */
#ifndef DC_FORMATS_H
#define DC_FORMATS_H

#include <stddef.h>

#include "doc.h"
#include "ocr.h"

/* How a multi-page file becomes one-page ClassifyDocument requests. */
typedef enum {
    DC_SPLIT_WHOLE = 0, /* one request for the whole file */
    DC_SPLIT_PDF,       /* one PDF a page (qpdf) */
    DC_SPLIT_TIFF,      /* one TIFF a page (libtiff via Leptonica) */
} dc_split_kind;

typedef struct {
    const char *name;        /* "pdf", "docx", ... (dc_format_name) */
    const char *page_class;  /* scan records' class for pages the stage gives none */
    const char *config_note; /* warning when a config is given but does not apply, or NULL */
    size_t rt_bytes;         /* real-time request size limit (service_limits.h) */
    size_t async_bytes;      /* asynchronous job size limit */
    size_t async_pages;      /* asynchronous page limit */
    /* Extract the document's pages into doc; NULL: refused as unsupported. */
    int (*extract)(dc_document *doc, const void *data, size_t len, const dc_extract_options *o);
    /* Render page i as grey pixels, longer side at most max_side (diff's
     * report); NULL: no page images. */
    int (*render_gray)(dc_gray *out,
                       const void *data,
                       size_t len,
                       const char *password,
                       size_t page,
                       int max_side);
    dc_format format;
    dc_split_kind split;
    int text_only;     /* ClassifyDocument gets its text (Text), never Bytes */
    int reader_config; /* DocumentReaderConfig applies (PDFs and images) */
} dc_format_info;

/* The row of a format; DC_FORMAT_UNSUPPORTED's (no extractor, the general
 * limits) for a value that is none. Never NULL. */
const dc_format_info *dc_format_info_of(dc_format format);

#endif
