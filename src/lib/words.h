/*
 * Words with their boxes on the page: what every page of an extracted
 * document keeps from its first pass (poppler's text layout for parser
 * pages, Tesseract's words for OCR pages), and what Textract output, diff
 * and the report draw. A leaf module (words.c): word types only.
 * Internal; never installed.
 */
#ifndef DC_WORDS_H
#define DC_WORDS_H

#include <stddef.h>

/* A word with its box as fractions of the page as rendered (the crop box,
 * origin top left) and its confidence (0-100; 100 for parser words, -1
 * when the source has none). */
typedef struct {
    const char *text; /* in the list's pool, NUL-terminated */
    double x0, y0, x1, y1;
    double conf;
    size_t off; /* text's offset in the pool */
    int boxed;  /* 0: no box known (x0..y1 meaningless) */
} dc_word;

/* The words of a page. Their texts live in one pool, not one allocation
 * a word: a 100-page text-dense PDF has 80,000 words, and the first pass
 * keeps them all. */
typedef struct {
    dc_word *w;
    size_t n, cap;
    char *pool;
    size_t pool_len, pool_cap;
} dc_words;

void dc_words_dispose(dc_words *ws);
/* Append a copy of text[0..len) with its box (NULL: none); the texts of
 * the words already in the list stay valid (they follow the pool). */
int dc_words_add(dc_words *ws, const char *text, size_t len, const double box[4], double conf);

/*
 * A box of the image Tesseract read, in fractions of that image (w x h
 * pixels, turned upright by `rotation` degrees clockwise found and
 * deskewed by `skew` degrees), mapped back onto the page as rendered.
 */
void dc_word_box_unrotate(double box[4], double w, double h, int rotation, double skew);

#endif
