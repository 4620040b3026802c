/*
 * docclass: format detection from content bytes (never from file names).
 */
#ifndef DOCCLASS_DETECT_H
#define DOCCLASS_DETECT_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Formats docclass recognises. */
typedef enum {
    DC_FORMAT_UNSUPPORTED = 0,
    DC_FORMAT_PDF,
    DC_FORMAT_DOCX,
    DC_FORMAT_PNG,
    DC_FORMAT_JPEG,
    DC_FORMAT_TIFF,
    DC_FORMAT_TEXT,
    DC_FORMAT_TEXTRACT_JSON,
} dc_format;

/** Which Textract operation produced a Textract JSON document. */
typedef enum {
    DC_TEXTRACT_NONE = 0,
    DC_TEXTRACT_DETECT_DOCUMENT_TEXT,
    DC_TEXTRACT_ANALYZE_DOCUMENT,
} dc_textract_kind;

/** Result of dc_detect(). All strings are static. */
typedef struct {
    dc_format format;
    /** Finer kind: "pdf", "docx", "png", "jpeg", "tiff", "tiff-bigtiff", "text",
     *  "text-bom", "textract-detect", "textract-analyze"; for refused input "xlsx",
     *  "pptx", "odf", "ole", "rtf", "html", "gif", "bmp", "webp", "empty", "zip",
     *  "json", "binary", ... */
    const char *kind;
    /** For DC_FORMAT_UNSUPPORTED: why, in one line, as the service would put it. */
    const char *reason;
    dc_textract_kind textract; /**< for DC_FORMAT_TEXTRACT_JSON */
} dc_detection;

/**
 * Detect the format of a document held in memory. Pure: no I/O.
 * @param[out] out the detection; always written
 * @param data the document bytes (may be NULL when len is 0)
 * @param len  number of bytes
 * @return DC_OK (an unsupported format is a result, not an error), or < 0 on
 *         internal failure (DC_ENOMEM).
 */
DC_API int dc_detect(dc_detection *out, const void *data, size_t len);

/**
 * Read a file (regular files only, up to 256 MB) and detect its format.
 * @param[out] out       the detection, written on success
 * @param[out] bytes_out the file size, may be NULL
 * @return DC_OK, DC_ENOTFOUND, DC_EIO (directory, unreadable), DC_ELIMIT.
 */
DC_API int dc_detect_file(dc_detection *out, const char *path, size_t *bytes_out);

/**
 * A detection as one JSON object: path, bytes, format, kind, and reason or
 * textract_operation when they apply.
 * @param[out] out JSON text; free with dc_free().
 */
DC_API int
dc_detection_to_json(char **out, const char *path, size_t bytes, const dc_detection *det);

/** "pdf", "docx", "png", "jpeg", "tiff", "text", "textract-json" or "unsupported". */
DC_API const char *dc_format_name(dc_format format);

#ifdef __cplusplus
}
#endif

#endif
