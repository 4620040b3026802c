/**
 * @file render.h
 * @brief One entry point for every output format of an extracted document.
 */
#ifndef DOCCLASS_RENDER_H
#define DOCCLASS_RENDER_H

#include <stddef.h>

#include "common.h"
#include "extract.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Output formats of a document (docs/output-format.md). */
typedef enum {
    DC_OUTPUT_JSON = 0, /**< the result: DocumentMetadata, DocumentType, Errors, ... */
    DC_OUTPUT_TEXT,     /**< the pages' text, form feeds between pages, a newline at the end */
    DC_OUTPUT_TEXTRACT, /**< a Textract DetectDocumentText response (docs/textract-output.md) */
} dc_output_format;

/** "json", "text", "textract". */
DC_API const char *dc_output_format_name(dc_output_format format);
/** The format of a name; DC_EINVAL (message lists the names) for an unknown one. */
DC_API int dc_output_format_from_name(dc_output_format *out, const char *name);

/** Rendering options. Zero in every field is its default. */
typedef struct {
    int version;    /**< DC_RENDER_OPTIONS_VERSION */
    unsigned flags; /**< DC_JSON_COMPACT for one-line JSON */
} dc_render_options;

#define DC_RENDER_OPTIONS_VERSION 1
#define DC_RENDER_OPTIONS_INIT               \
    {                                        \
        .version = DC_RENDER_OPTIONS_VERSION \
    }

/** Initialise render options (all zeros and the version). */
DC_API int dc_render_options_init(dc_render_options *opts, int version);

/**
 * Render a document in one of the output formats.
 * @param[out] out     the text (NUL-terminated); free with dc_free()
 * @param[out] len_out its length in bytes, or NULL
 * @param opts         NULL for the defaults
 * Textract output takes its word boxes from the pages (kept by the
 * extraction): the file is not read again.
 * @return DC_OK, DC_EINVAL (unknown format or options version), DC_ENOMEM.
 */
DC_API int dc_document_render(char **out,
                              size_t *len_out,
                              const dc_document *doc,
                              dc_output_format format,
                              const dc_render_options *opts);

#ifdef __cplusplus
}
#endif

#endif
