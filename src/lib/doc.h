/*
 * The in-memory document model every extractor fills and result.c renders.
 */
#ifndef DC_DOC_H
#define DC_DOC_H

#include <jansson.h>

#include "internal.h"
#include "words.h"

/* dc_extractor and dc_doctype are public (docclass/extract.h). */

/* Where a page was routed and its size, typed for the stages that read
 * them (scan); the page record says the same in JSON. */
typedef struct {
    const char *cls;            /* pdf.c's routing class (a static name), or NULL */
    char *rule;                 /* the rule that decided it (owned), or NULL */
    double width_pt, height_pt; /* a PDF page's size in points; 0 for other pages */
    int px_w, px_h;             /* an image page's size in pixels; 0 for other pages */
} dc_page_route;

typedef struct {
    char *text;   /* NUL-terminated UTF-8 */
    size_t len;   /* bytes */
    size_t chars; /* code points: ExtractedCharacters */
    dc_extractor extractor;
    dc_doctype type;
    char *reason; /* why this extractor */
    json_t *info; /* extractor details merged into the page record (owned) */
    dc_page_route route;
    dc_words words; /* the words of the first pass with their boxes: poppler's
                       for parser pages, Tesseract's for OCR pages; none for
                       other extractors */
} dc_page;

/* A page-level Errors/Warnings entry, or a document-level note (page 0). */
typedef struct {
    int page; /* 1-based; 0 for the whole document */
    char *code;
    char *message;
} dc_note;

/* What the service would answer with instead of a classification. */
typedef struct {
    char *type;          /* InvalidRequestException, TextSizeLimitExceededException */
    char *reason;        /* INVALID_DOCUMENT, or NULL */
    char *detail_reason; /* DOCUMENT_SIZE_EXCEEDED, PAGE_LIMIT_EXCEEDED, ... */
    char *message;
} dc_refusal;

typedef struct {
    void *items;
    size_t n;
    size_t cap;
} dc_vec;

struct dc_document {
    char *name;
    size_t bytes;
    char sha256[65];
    dc_detection det;
    dc_extract_options opts; /* copy; pointers cleared */
    char *lang;              /* owned copy of opts.lang */
    dc_page *pages;
    size_t npages, pages_cap;
    dc_note *errors;
    size_t nerrors, errors_cap;
    dc_note *warnings;
    size_t nwarnings, warnings_cap;
    dc_refusal *refusals;
    size_t nrefusals, refusals_cap;
    json_t *info; /* format-specific facts for the "input" record (owned) */
    /* scan mode: routing signals and classes only, no rendering, no OCR,
     * no full image decode (pdf.c and image.c honour it) */
    int analyze_only;
    int count_chars; /* in scan mode: extract native text to count characters */
    dc_arena *arena; /* the first pass's words (dc_doc_arena), or NULL */
};

/* Append a page; takes ownership of text (malloc'd, NUL-terminated) and info.
 * On failure both are freed. Returns the new page's 0-based index or < 0. */
int dc_doc_add_page(dc_document *doc,
                    char *text,
                    size_t len,
                    dc_extractor extractor,
                    dc_doctype type,
                    json_t *info,
                    const char *reason_fmt,
                    ...) DC_PRINTF(7, 8);

/* Set page i's route: class (static) and rule (copied) may be NULL. */
int dc_doc_page_set_route(dc_document *doc,
                          size_t i,
                          const char *cls,
                          const char *rule,
                          double width_pt,
                          double height_pt,
                          int px_w,
                          int px_h);

/* The document's arena, made on the first call with its first block sized
 * for hint bytes; freed with the document, after its pages. NULL when out
 * of memory (error set). */
dc_arena *dc_doc_arena(dc_document *doc, size_t hint);

/* Give page i the words in *ws (taken: *ws is left empty). */
void dc_doc_page_take_words(dc_document *doc, size_t i, dc_words *ws);

/* Add to Errors / Warnings. page is 1-based, 0 for the document. */
int dc_doc_error(dc_document *doc, int page, const char *code, const char *fmt, ...)
    DC_PRINTF(4, 5);
int dc_doc_warn(dc_document *doc, int page, const char *code, const char *fmt, ...) DC_PRINTF(4, 5);
int dc_doc_refuse(dc_document *doc,
                  const char *type,
                  const char *reason,
                  const char *detail_reason,
                  const char *fmt,
                  ...) DC_PRINTF(5, 6);

/* Set (replace) a member of the document's "input" info object; steals value. */
int dc_doc_info_set(dc_document *doc, const char *key, json_t *value);

/* ---- stages ---- */

/* Plain UTF-8 text: one PLAIN_TEXT page. */
int dc_text_extract(dc_document *doc, const void *data, size_t len);

/* Textract JSON. probe: 1 when data is a JSON object with a Blocks array
 * (kind set), 0 when not, < 0 on error. */
int dc_textract_probe(const void *data, size_t len, dc_textract_kind *kind);
int dc_textract_extract(dc_document *doc, const void *data, size_t len);

/* DOCX (ooxml.c + docx.c). */
int dc_docx_extract(dc_document *doc, const void *data, size_t len, unsigned parts);

/* Service limits (limits.c): add Errors and refusals per the profile. */
int dc_limits_apply(dc_document *doc);
/* The verdict of a profile as {"accepted", "refusals": [{code, message}],
 * "page_errors": [{Page, code, message}]}, without changing doc. NULL on OOM. */
json_t *dc_limits_verdict(const dc_document *doc, dc_limits_profile profile);

/* Result rendering (result.c). */
json_t *dc_result_json(const dc_document *doc);

/* The document as Textract DetectDocumentText output (textract_out.c,
 * docs/textract-output.md), from the pages' text and kept words; for
 * dc_document_render(). DC_JSON_COMPACT in flags for one line. */
int dc_document_to_textract_json(char **out, const dc_document *doc, unsigned flags);

#endif
