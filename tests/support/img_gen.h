/*
 * Image generators for the OCR tests: text rendered with cairo into grey
 * pages, transformed and encoded (PNG, JPEG, multi-page TIFF) in memory
 * with Leptonica.
 */
#ifndef DC_IMG_GEN_H
#define DC_IMG_GEN_H

#include <stddef.h>

#include "ocr.h"

/* Black text on white: one line of text per entry, font_px pixels high,
 * in a width x height page. out->dpi is set to dpi. */
int dc_gen_text_page(dc_gray *out,
                     int width,
                     int height,
                     const char *const *lines,
                     size_t nlines,
                     double font_px,
                     int dpi);

/* Two columns of 11 pt serif text, nlines lines of five words each, with a
 * picture between the columns (a magazine page), at dpi. Every word occurs
 * once: dc_gen_column_word(c, i) is word i of column c (0 left, 1 right),
 * in reading order, NULL past the end. */
int dc_gen_columns_page(dc_gray *out, size_t nlines, int dpi);
const char *dc_gen_column_word(int column, size_t i);

/* Turn a page clockwise by degrees: multiples of 90 exactly, other angles
 * (small skews) by area mapping with white brought in. */
int dc_gen_rotate(dc_gray *g, double degrees);

/* Turn an image file clockwise by a multiple of 90 degrees into out (JPEG
 * stays JPEG, at quality 95; anything else becomes PNG). Returns 0 or -1. */
int dc_gen_turn_file(const char *in, const char *out, int degrees);

/* Encode pages: fmt "png" (1 page), "jpeg" (1 page) or "tiff" (n pages).
 * With dpi > 0 the resolution is stored in the file, with 0 it is left
 * out. *out is freed with dc_gen_free(). */
int dc_gen_encode(
    unsigned char **out, size_t *len, const dc_gray *pages, size_t n, const char *fmt, int dpi);
void dc_gen_free(void *p);

/* The words of the generated sample text, and its lines. */
extern const char *const dc_gen_sample_lines[];
extern const size_t dc_gen_sample_nlines;

/* Word recall of got against want: share of want's words (multiset,
 * punctuation at word ends ignored) found in got. */
double dc_gen_recall(const char *want, const char *got);

#endif
