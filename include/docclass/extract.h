/*
 * docclass: extraction of a document as Amazon Comprehend would see it.
 */
#ifndef DOCCLASS_EXTRACT_H
#define DOCCLASS_EXTRACT_H

#include "common.h"
#include "config.h"
#include "detect.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Which service limits to check the document against. */
typedef enum {
    DC_LIMITS_REALTIME = 0, /**< ClassifyDocument (synchronous) */
    DC_LIMITS_ASYNC,        /**< StartDocumentClassificationJob */
    DC_LIMITS_NONE,         /**< report nothing */
} dc_limits_profile;

/** DOCX parts to include (bit flags). */
#define DC_DOCX_HEADERS   0x01u
#define DC_DOCX_FOOTERS   0x02u
#define DC_DOCX_FOOTNOTES 0x04u
#define DC_DOCX_ENDNOTES  0x08u
#define DC_DOCX_COMMENTS  0x10u
/** No optional part, the body only (a docx_parts of 0 means the default). */
#define DC_DOCX_NONE 0x80000000u
/** Default: headers, footers, footnotes and endnotes in; comments out. */
#define DC_DOCX_DEFAULT_PARTS \
    (DC_DOCX_HEADERS | DC_DOCX_FOOTERS | DC_DOCX_FOOTNOTES | DC_DOCX_ENDNOTES)

/** Thresholds of the per-page PDF routing rules (see docs/routing.md). */
typedef struct {
    double min_chars;            /**< fewer characters than this over a large image (or none
                                      at all): no usable text layer, a scan */
    double garbled_ratio;        /**< share of unmapped/U+FFFD chars that makes a layer garbled */
    double scan_image_share;     /**< largest image's share of the page that makes a scan */
    double hybrid_text_coverage; /**< text area share below which text over a scan is a stamp */
    double blank_ink;            /**< share of inked pixels (20 DPI probe) at or below which a
                                      page with no text and no images is blank */
    double invisible_ratio; /**< share of invisible characters (render mode 3 or 7) over a large
                               image that makes a prior OCR layer */
} dc_routing_thresholds;

/* Zero in a threshold means its default: 10, 0.10, 0.50, 0.05, 0.0002, 0.90. */
#define DC_ROUTING_THRESHOLDS_INIT         \
    {                                      \
        10, 0.10, 0.50, 0.05, 0.0002, 0.90 \
    }

/** Where a long extraction is: given to the progress callback after each
 *  page the OCR stage has read. */
typedef struct {
    size_t page;        /**< the page just read, 1-based */
    size_t pages_done;  /**< pages of the OCR stage read so far */
    size_t pages_total; /**< pages the OCR stage reads in this document */
} dc_progress;

/** Progress callback: called after each OCR page, from the OCR threads but
 *  never twice at once. Return 0 to go on; anything else stops the
 *  extraction, which then fails with DC_ECANCELED (pages being read finish,
 *  no other starts). */
typedef int (*dc_progress_fn)(const dc_progress *progress, void *payload);

/**
 * Extraction options. Transparent. Zero in any field is its default, so
 * a struct that is all zeros but its version gives the defaults: start
 * from DC_EXTRACT_OPTIONS_INIT or dc_extract_options_init(). Versions 1
 * and 2 (rotate and input_hash on at 1) and 3 (a version 1 config, with
 * its warning buffer, inside) are still accepted.
 */
typedef struct {
    int version;                   /**< DC_EXTRACT_OPTIONS_VERSION */
    dc_reader_config config;       /**< the DocumentReaderConfig (zero: none given) */
    dc_limits_profile limits;      /**< service limits to report (0: real-time) */
    unsigned docx_parts;           /**< DC_DOCX_* flags (0: DC_DOCX_DEFAULT_PARTS) */
    const char *password;          /**< PDF password, or NULL */
    int dpi;                       /**< OCR render resolution (0: 300) */
    double max_megapixels;         /**< render cap per page (0: 100) */
    double max_image_megapixels;   /**< decoded-image cap (0: 250) */
    int jobs;                      /**< OCR pages in parallel (0: number of cores) */
    const char *lang;              /**< Tesseract languages (NULL: "eng") */
    double page_timeout;           /**< OCR seconds per page (0: none) */
    int no_rotate;                 /**< 1: do not correct page rotation and skew */
    dc_routing_thresholds routing; /**< each 0: its default */
    size_t max_input_bytes;        /**< refuse documents larger than this, read from a file
                                        or given in memory (0: 256 MB) */
    int no_input_hash;             /**< 1: no SHA-256 of the input (input.sha256 null),
                                        e.g. when only the text is printed */
    dc_progress_fn progress;       /**< called after each OCR page, or NULL */
    void *progress_payload;        /**< given to progress */
} dc_extract_options;

#define DC_EXTRACT_OPTIONS_VERSION 4
#define DC_EXTRACT_OPTIONS_INIT               \
    {                                         \
        .version = DC_EXTRACT_OPTIONS_VERSION \
    }

/**
 * Initialise options to the defaults: all zeros and the version.
 * @param version DC_EXTRACT_OPTIONS_VERSION as the caller was built with
 * @return DC_OK, or DC_EINVAL for a version this library does not know
 */
DC_API int dc_extract_options_init(dc_extract_options *opts, int version);

/**
 * The options as the library applies them: the version checked and every
 * zero replaced by its default (e.g. to show them, or to size a buffer by
 * max_input_bytes). @p in NULL gives the defaults.
 * @return DC_OK, or DC_EINVAL for an unknown version
 */
DC_API int dc_extract_options_effective(dc_extract_options *out, const dc_extract_options *in);

/** What read a page's text. */
typedef enum {
    DC_EXTRACTOR_NONE = 0, /**< nothing to read (plain text, Textract JSON, a blank page) */
    DC_EXTRACTOR_PARSER,   /**< the PDF's text layer or the Word document */
    DC_EXTRACTOR_OCR,      /**< Tesseract, standing in for Textract */
} dc_extractor;

/** The service's DocumentType of a page. */
typedef enum {
    DC_DOCTYPE_NATIVE_PDF = 0,
    DC_DOCTYPE_SCANNED_PDF,
    DC_DOCTYPE_MS_WORD,
    DC_DOCTYPE_IMAGE,
    DC_DOCTYPE_PLAIN_TEXT,
    DC_DOCTYPE_TEXTRACT_DETECT_DOCUMENT_TEXT_JSON,
    DC_DOCTYPE_TEXTRACT_ANALYZE_DOCUMENT_JSON,
} dc_doctype;

/** "NATIVE_PDF", ... as the service names it; "UNKNOWN" for an unknown value. */
DC_API const char *dc_doctype_name(dc_doctype type);
/** "parser", "ocr", "none" as the JSON result names it. */
DC_API const char *dc_extractor_name(dc_extractor extractor);

/** An extracted document. Opaque. */
typedef struct dc_document dc_document;

/**
 * Extract a document held in memory.
 * @param[out] out  the document; NULL on failure. The caller owns it; free
 *                  with dc_document_free().
 * @param data, len the document bytes (copied as needed, not kept)
 * @param name      the name shown in the result (path), may be NULL
 * @param opts      options, or NULL for the defaults
 * @return DC_OK when a result was produced (which may still carry the
 *         service's refusal: see dc_document_accepted()), or < 0: DC_ECORRUPT,
 *         DC_ELIMIT, DC_EPASSWORD, DC_ENOMEM, ... with dc_error_last() set.
 */
DC_API int dc_document_extract_mem(dc_document **out,
                                   const void *data,
                                   size_t len,
                                   const char *name,
                                   const dc_extract_options *opts);

/**
 * Read a file and extract it. Errors as dc_document_extract_mem(), plus
 * DC_ENOTFOUND (no such file), DC_EIO (unreadable, a directory, empty file
 * is not an I/O error: it is reported as unsupported).
 */
DC_API int
dc_document_extract_file(dc_document **out, const char *path, const dc_extract_options *opts);

/** Free a document. NULL-safe. */
DC_API void dc_document_free(dc_document *doc);

/** Detected format of the document. */
DC_API dc_format dc_document_format(const dc_document *doc);

/** Number of pages. */
DC_API size_t dc_document_page_count(const dc_document *doc);

/**
 * Text of page @p index (0-based). Borrowed; valid until dc_document_free().
 * @param[out] len_out its length in bytes, may be NULL
 * @return the NUL-terminated UTF-8 text, or NULL when index is out of range.
 */
DC_API const char *dc_document_page_text(const dc_document *doc, size_t index, size_t *len_out);

/**
 * 1 when the service would accept the document under the options' limits
 * profile (no document-level refusal and no page error), else 0.
 */
DC_API int dc_document_accepted(const dc_document *doc);

/*
 * Typed accessors: what the JSON result says of each page, its Errors and
 * Warnings and the service's refusals, without parsing JSON. Strings are
 * borrowed, valid until dc_document_free(). An index out of range gives
 * DC_EINVAL (int functions) or NULL / 0.
 */

/** Page @p index (0-based): its DocumentType, extractor and ExtractedCharacters. */
DC_API int dc_document_page_info(const dc_document *doc,
                                 size_t index,
                                 dc_doctype *type,
                                 dc_extractor *extractor,
                                 size_t *characters);
/** Why the page went to its extractor (the JSON "reason"). */
DC_API const char *dc_document_page_reason(const dc_document *doc, size_t index);
/** Mean OCR word confidence of the page (0-100), or -1 when it was not OCRed. */
DC_API double dc_document_page_ocr_confidence(const dc_document *doc, size_t index);

/** Errors (page-level, as the service's Errors) or Warnings. */
typedef enum {
    DC_NOTES_ERRORS = 0,
    DC_NOTES_WARNINGS,
} dc_notes;

DC_API size_t dc_document_note_count(const dc_document *doc, dc_notes which);
/** Note @p index: its page (1-based, 0 for the whole document), code and message. */
DC_API int dc_document_note(const dc_document *doc,
                            dc_notes which,
                            size_t index,
                            int *page,
                            const char **code,
                            const char **message);

/** The refusals of the options' limits profile (the JSON admission.refusals). */
DC_API size_t dc_document_refusal_count(const dc_document *doc);
/** Refusal @p index: its code (Detail.Reason, else Reason: DOCUMENT_SIZE_EXCEEDED,
 *  PAGE_LIMIT_EXCEEDED, UNSUPPORTED_DOC_TYPE, ...), the service's exception
 *  (__type: InvalidRequestException, ...) and message. Any pointer may be NULL. */
DC_API int dc_document_refusal(const dc_document *doc,
                               size_t index,
                               const char **code,
                               const char **exception,
                               const char **message);

/**
 * The input path of an extract record (a result or an error record, one
 * JSON Lines line): what --resume keys on.
 * @param[out] path malloc'd copy; free with dc_free()
 * @return DC_OK, DC_EINVAL (not such a record), DC_ENOMEM
 */
DC_API int dc_record_path(const char *record, char **path);

/**
 * Pages of an extract record and how many of them were OCRed (for progress
 * counts); an error record has none.
 * @return DC_OK or DC_EINVAL (not a JSON record)
 */
DC_API int dc_record_pages(const char *record, size_t *pages, size_t *ocr_pages);

/** JSON rendering flags. */
#define DC_JSON_COMPACT 0x01u /**< one line (for JSON Lines) */

/**
 * The document's result as JSON (see docs/output-format.md).
 * @param[out] out NUL-terminated JSON; the caller frees it with dc_free().
 * @return DC_OK or DC_ENOMEM.
 */
DC_API int dc_document_to_json(char **out, const dc_document *doc, unsigned flags);

/**
 * A result record for a file that could not be extracted at all: the input
 * facts that are known and an "error" member with the code and message.
 * @param[out] out JSON text, freed with dc_free()
 * @param path     the file name
 * @param code     the dc_error_code
 * @param message  one line
 */
DC_API int dc_error_record_to_json(
    char **out, const char *path, int code, const char *message, unsigned flags);

#ifdef __cplusplus
}
#endif

#endif
