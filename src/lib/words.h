/*
 * Word boxes of extracted pages and the sides of a comparison: shared by
 * textract_out.c (Textract-shaped output), compare.c (docclass diff) and
 * report.c (HTML report). Internal; never installed.
 */
#ifndef DC_WORDS_H
#define DC_WORDS_H

#include "doc.h"
#include "service_limits.h"
#include "ocr.h"
#include "docclass/diff.h"

/* A word with its box as fractions of the page (origin top left) and its
 * confidence (0-100; -1 when the source has none). */
typedef struct {
    char *text;
    double x0, y0, x1, y1;
    double conf;
    int boxed; /* 0: no box known (x0..y1 meaningless) */
} dc_word;

typedef struct {
    dc_word *w;
    size_t n, cap;
} dc_words;

void dc_words_dispose(dc_words *ws);
/* Append a copy of text[0..len) with its box. */
int dc_words_add(dc_words *ws, const char *text, size_t len, const double box[4], double conf);

/* Page words from poppler's text layout (pdf.c, section "word boxes"):
 * *out gets npages entries, each page's words in content order with boxes
 * as fractions of the page. */
int dc_pdf_page_words(
    dc_words **out, size_t *npages, const void *data, size_t len, const char *password);
/* Render page i of a PDF (pdf.c) or an image file (image.c) as grey pixels
 * whose longer side is at most max_side. */
int dc_pdf_render_gray(
    dc_gray *out, const void *data, size_t len, const char *password, size_t page, int max_side);
int dc_image_render_gray(dc_gray *out, const void *data, size_t len, size_t page, int max_side);
/* Encode 8-bit RGB pixels (3 bytes a pixel, rows packed) as PNG (image.c,
 * Leptonica). *out is malloc'd. */
int dc_png_encode_rgb(unsigned char **out, size_t *out_len, const unsigned char *rgb, int w, int h);

/* Tokens of a text: split on Unicode-agnostic ASCII whitespace. Each token
 * is a (start, length) pair into the text. Capped at max tokens. */
typedef struct {
    size_t off, len;
} dc_span;
int dc_tokens(dc_span **out, size_t *n, const char *text, size_t len, size_t max);

/*
 * Give each whitespace token of text its box from words (in content order):
 * an exact match within a window ahead of the cursor, else a word the token
 * starts or ends with, else no box. boxes[i] gets the box of token i
 * (boxed = 0 when unknown; text is not set). Returns DC_OK or DC_ENOMEM.
 */
int dc_align_boxes(
    dc_word *boxes, const char *text, const dc_span *tok, size_t ntok, const dc_words *words);

/* Mark the tokens of a (a_only) and b (b_only) that are not in a longest
 * common subsequence of the two token sequences (diff.c). */
int dc_diff_mark(unsigned char *a_only,
                 unsigned char *b_only,
                 const char *a,
                 const dc_span *at,
                 size_t na,
                 const char *b,
                 const dc_span *bt,
                 size_t nb);

/* The words of every page of an extracted document: OCR pages from the
 * page record's "ocr" lines, parser PDF pages from poppler (needs the
 * document's bytes: data, or NULL to read doc->name and check its SHA-256),
 * other pages none. *out has doc->npages entries. */
int dc_doc_page_words(
    dc_words **out, const dc_document *doc, const void *data, size_t len, const char *password);

/* The OCR words of a page record ({"words": {"width", "height", "lines"}}),
 * appended to ws; nothing when the record has none. */
int dc_page_info_words(dc_words *ws, const json_t *info);

/* ---------------------------------------------------------------- sides */

/* One page of a side: text (NULL when the source has none), its type and
 * extractor, character count and word boxes. */
typedef struct {
    char *text;
    size_t len;
    long chars;      /* -1: unknown */
    char *type;      /* DocumentType, or NULL */
    char *extractor; /* "parser", "ocr", "textract", "text", or NULL */
    dc_words words;
} dc_side_page;

/* The limit ClassifyDocument puts on one page's characters. */
#define DC_PAGE_CHAR_LIMIT DC_RT_PAGE_CHARS /* service_limits.h */

struct dc_side {
    char *label;  /* "SERVICE_DEFAULT", "groundtruth.txt", ... */
    char *source; /* "extract", "extract-json", "textract-json", "classify-response", "text" */
    int has_text;
    dc_side_page *pages;
    size_t npages;
};

/* One page of a comparison. */
typedef struct {
    size_t page;    /* 1-based */
    int in_a, in_b; /* the side has this page */
    int text;       /* both sides have text: m is computed */
    dc_text_metrics m;
    long a_chars, b_chars; /* -1: unknown */
    int limit_crossing;    /* one side over DC_PAGE_CHAR_LIMIT characters, the other not */
    int meta_differs;      /* without text: counts or DocumentTypes differ */
    double score;          /* disagreement used for ranking (higher is worse) */
} dc_diff_page;

struct dc_diff {
    const dc_side *a, *b; /* borrowed */
    dc_diff_page *pages;
    size_t n;
    size_t *order; /* page indices, worst first */
};

/* 1 when page p agrees within max_cer. */
int dc_diff_page_agrees(const dc_diff_page *p, double max_cer);

#endif
