/*
 * Words with their boxes (words.h): a leaf module, used by the stages that
 * find words (pdf.c, ocr.c) and the outputs that draw them.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "words.h"

#define POOL_MAX ((size_t)1 << 30) /* bytes of word text on one page */

void dc_words_dispose(dc_words *ws)
{
    if (!ws->borrowed) {
        free(ws->w);
        free(ws->pool);
    }
    memset(ws, 0, sizeof(*ws));
}

/* Refuses room for words more words and bytes more bytes beyond a
 * page's caps (DC_ELIMIT); DC_OK when they fit. */
static int check_room(const dc_words *ws, size_t words, size_t bytes)
{
    if (words > ((size_t)-1) / sizeof(dc_word) - ws->n)
        return dc_error_set(DC_ELIMIT, "too many words on a page");
    if (bytes > POOL_MAX - ws->pool_len)
        return dc_error_set(DC_ELIMIT, "a page's words are over %zu bytes", POOL_MAX);
    return DC_OK;
}

/* A borrowed list copied to memory of its own (of its present size), so
 * that it can grow. */
static int own(dc_words *ws)
{
    dc_word *w = malloc((ws->n ? ws->n : 1) * sizeof(*w));
    char *pool = malloc(ws->pool_len ? ws->pool_len : 1);

    if (!w || !pool) {
        free(w);
        free(pool);
        return dc_error_oom();
    }
    if (ws->n && ws->w)
        memcpy(w, ws->w, ws->n * sizeof(*w));
    if (ws->pool_len && ws->pool)
        memcpy(pool, ws->pool, ws->pool_len);
    ws->w = w;
    ws->cap = ws->n;
    ws->pool = pool;
    ws->pool_cap = ws->pool_len;
    ws->borrowed = 0;
    return DC_OK;
}

int dc_words_reserve_in(dc_words *ws, dc_arena *a, size_t words, size_t bytes)
{
    dc_word *w;
    char *pool;
    int err;

    if (ws->w || ws->pool)
        return dc_words_reserve(ws, words, bytes);
    if ((err = check_room(ws, words, bytes)) < 0)
        return err;
    w = dc_arena_alloc(a, words * sizeof(*w));
    pool = w ? dc_arena_alloc(a, bytes) : NULL;
    if (!pool)
        return dc_error_last()->code; /* set by the arena */
    ws->w = w;
    ws->cap = words;
    ws->pool = pool;
    ws->pool_cap = bytes;
    ws->borrowed = 1;
    return DC_OK;
}

/* The pool at cap bytes. */
static int pool_resize(dc_words *ws, size_t cap)
{
    char *p = realloc(ws->pool, cap);

    if (!p)
        return dc_error_oom();
    ws->pool = p;
    ws->pool_cap = cap;
    return DC_OK;
}

/* Room for need more bytes of text, the pool doubling. */
static int pool_reserve(dc_words *ws, size_t need)
{
    size_t nc = ws->pool_cap ? ws->pool_cap : 1024;
    int err = check_room(ws, 0, need);

    if (err < 0)
        return err;
    if (ws->pool_len + need <= ws->pool_cap)
        return DC_OK;
    while (nc < ws->pool_len + need)
        nc *= 2;
    return pool_resize(ws, nc);
}

int dc_words_reserve(dc_words *ws, size_t words, size_t bytes)
{
    int err;

    if (ws->borrowed && (words > ws->cap - ws->n || bytes > ws->pool_cap - ws->pool_len) &&
        (err = own(ws)) < 0)
        return err;
    if (words > ws->cap - ws->n) {
        dc_word *p;
        if ((err = check_room(ws, words, 0)) < 0)
            return err;
        p = realloc(ws->w, (ws->n + words) * sizeof(*p));
        if (!p)
            return dc_error_oom();
        ws->w = p;
        ws->cap = ws->n + words;
    }
    if (bytes <= ws->pool_cap - ws->pool_len)
        return DC_OK;
    if ((err = check_room(ws, 0, bytes)) < 0)
        return err;
    return pool_resize(ws, ws->pool_len + bytes);
}

int dc_words_add(dc_words *ws, const char *text, size_t len, const double box[4], double conf)
{
    dc_word *w;
    int err;

    if (ws->borrowed && (ws->n == ws->cap || len + 1 > ws->pool_cap - ws->pool_len) &&
        (err = own(ws)) < 0)
        return err;
    if (ws->n == ws->cap) {
        size_t nc = ws->cap ? ws->cap * 2 : 64;
        dc_word *p = realloc(ws->w, nc * sizeof(*p));
        if (!p)
            return dc_error_oom();
        ws->w = p;
        ws->cap = nc;
    }
    err = pool_reserve(ws, len + 1);
    if (err < 0)
        return err;
    w = &ws->w[ws->n];
    memset(w, 0, sizeof(*w));
    w->off = (uint32_t)ws->pool_len; /* under POOL_MAX */
    memcpy(ws->pool + w->off, text, len);
    ws->pool[w->off + len] = '\0';
    ws->pool_len += len + 1;
    if (box) {
        w->x0 = box[0];
        w->y0 = box[1];
        w->x1 = box[2];
        w->y1 = box[3];
        w->boxed = 1;
    }
    w->conf = conf;
    ws->n++;
    return DC_OK;
}

/*
 * Undo the skew by rotating the corners about the centre (pixels, y down;
 * Leptonica's positive angles are clockwise), then the quarter turns,
 * rotating the upright image clockwise by the detected angle.
 */
void dc_word_box_unrotate(double box[4], double w, double h, int rotation, double skew)
{
    double xs[4] = {box[0], box[2], box[0], box[2]}, ys[4] = {box[1], box[1], box[3], box[3]};
    double a = skew * 3.14159265358979323846 / 180.0, c = cos(a), s = sin(a);
    int k;

    for (k = 0; k < 4; k++) {
        double dx = (xs[k] - 0.5) * w, dy = (ys[k] - 0.5) * h;
        double u = 0.5 + (dx * c + dy * s) / w, v = 0.5 + (-dx * s + dy * c) / h;
        switch (rotation) {
        case 90: /* clockwise quarter turn: (u, v) -> (1 - v, u) */
            xs[k] = 1 - v;
            ys[k] = u;
            break;
        case 180:
            xs[k] = 1 - u;
            ys[k] = 1 - v;
            break;
        case 270:
            xs[k] = v;
            ys[k] = 1 - u;
            break;
        default: /* 0: upright */
            xs[k] = u;
            ys[k] = v;
        }
    }
    box[0] = fmax(0, fmin(fmin(xs[0], xs[1]), fmin(xs[2], xs[3])));
    box[2] = fmin(1, fmax(fmax(xs[0], xs[1]), fmax(xs[2], xs[3])));
    box[1] = fmax(0, fmin(fmin(ys[0], ys[1]), fmin(ys[2], ys[3])));
    box[3] = fmin(1, fmax(fmax(ys[0], ys[1]), fmax(ys[2], ys[3])));
}
