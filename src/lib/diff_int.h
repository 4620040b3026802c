/*
 * The internals of docclass diff and its report: tokens, box alignment,
 * the sides and pages of a comparison (diff.c, compare.c, report.c,
 * textract_out.c). Internal; never installed.
 */
#ifndef DC_DIFF_INT_H
#define DC_DIFF_INT_H

#include <jansson.h>

#include "docclass/diff.h"
#include "internal.h"
#include "service_limits.h"
#include "words.h"

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

/* The OCR words of a page record of a saved extract JSON ({"words":
 * {"width", "height", "lines"}}), appended to ws; nothing when the record
 * has none (compare.c). */
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
