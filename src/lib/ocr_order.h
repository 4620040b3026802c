/*
 * Reading order of recognised lines (ocr_order.c, pure: boxes in, order
 * out; no image, no engine).
 *
 * Tesseract's layout keeps columns apart on a plain page, but a picture in
 * the gutter (a magazine page) makes it join each left-column line with
 * the right-column line beside it. Textract never makes a LINE across a
 * wide gap, and reads columns one after the other. So a line is cut where
 * two words are further apart than DC_ORDER_GAP line heights, and the
 * pieces of the page are put in reading order by recursive XY cuts: a
 * vertical gutter at least DC_ORDER_GUTTER line heights wide splits them
 * into columns read left to right; otherwise the widest horizontal gap
 * splits them into a top and a bottom part; pieces that overlap both ways
 * keep the engine's order. On a page of one column this is the engine's
 * order, top to bottom.
 */
#ifndef DC_OCR_ORDER_H
#define DC_OCR_ORDER_H

#include <stddef.h>

#define DC_ORDER_GAP    1.5 /* a gap this many line heights wide cuts a line */
#define DC_ORDER_GUTTER 1.0 /* a gutter this many line heights wide splits columns */

/* An input line: its block and its words, words[first .. first + n - 1],
 * left to right; lines in the engine's reading order. */
typedef struct {
    int block;
    size_t first, n;
} dc_order_line;

/* An output line: a run of one input line's words, in reading order.
 * para is 1 where a new column or part begins (a blank line before it). */
typedef struct {
    int block;
    int para;
    size_t line; /* the input line it comes from */
    size_t first, n;
} dc_order_seg;

/* boxes[i] is word i's [left, top, right, bottom]. On success *out (malloc'd,
 * *nout entries) holds every word exactly once. Returns 0, or -1 when out
 * of memory. */
int dc_order_lines(const int (*boxes)[4],
                   size_t nwords,
                   const dc_order_line *lines,
                   size_t nlines,
                   dc_order_seg **out,
                   size_t *nout);

#endif
