/*
 * Words with their boxes on the page: what every page of an extracted
 * document keeps from its first pass (poppler's text layout for parser
 * pages, Tesseract's words for OCR pages), and what Textract output, diff
 * and the report draw. A leaf module (words.c), but for the arena a list
 * may borrow its room from: word types only. Internal; never installed.
 */
#ifndef DC_WORDS_H
#define DC_WORDS_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

/* A word with its box as fractions of the page as rendered (the crop box,
 * origin top left) and its confidence (0-100; 100 for parser words, -1
 * when the source has none). Its text is in its list's pool
 * (dc_word_text): 48 bytes a word, which the first pass keeps for every
 * word of a document. */
typedef struct {
    double x0, y0, x1, y1;
    double conf;
    uint32_t off; /* text's offset in the list's pool */
    int boxed;    /* 0: no box known (x0..y1 meaningless) */
} dc_word;

/* The words of a page. Their texts live in one pool, not one allocation
 * a word: a 100-page text-dense PDF has 80,000 words, and the first pass
 * keeps them all, in the document's arena (dc_words_reserve_in). */
typedef struct {
    dc_word *w;
    size_t n, cap;
    char *pool;
    size_t pool_len, pool_cap;
    int borrowed; /* w and pool are an arena's: never freed, copied out to grow */
} dc_words;

/* Word i's text, NUL-terminated (valid until the list next grows). */
static inline const char *dc_word_text(const dc_words *ws, size_t i)
{
    return ws->pool + ws->w[i].off;
}

void dc_words_dispose(dc_words *ws);
/* Room for words more words and bytes more bytes of text (each word's
 * text takes its length + 1), of these sizes exactly: a list whose size is
 * known grows once. */
int dc_words_reserve(dc_words *ws, size_t words, size_t bytes);
/* The same for an empty list, the room taken from arena a: the list
 * borrows it (dc_words_dispose leaves it to the arena, and a list that
 * grows past it moves to memory of its own). */
int dc_words_reserve_in(dc_words *ws, dc_arena *a, size_t words, size_t bytes);
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
