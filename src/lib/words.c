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
    free(ws->w);
    free(ws->pool);
    memset(ws, 0, sizeof(*ws));
}

/* Room for need more bytes of text; the words' texts follow the pool. */
static int pool_reserve(dc_words *ws, size_t need)
{
    size_t nc = ws->pool_cap ? ws->pool_cap : 1024, i;
    char *p;

    if (need > POOL_MAX - ws->pool_len)
        return dc_error_set(DC_ELIMIT, "a page's words are over %zu bytes", POOL_MAX);
    if (ws->pool_len + need <= ws->pool_cap)
        return DC_OK;
    while (nc < ws->pool_len + need)
        nc *= 2;
    p = realloc(ws->pool, nc);
    if (!p)
        return dc_error_oom();
    ws->pool = p;
    ws->pool_cap = nc;
    for (i = 0; i < ws->n; i++)
        ws->w[i].text = p + ws->w[i].off;
    return DC_OK;
}

int dc_words_add(dc_words *ws, const char *text, size_t len, const double box[4], double conf)
{
    dc_word *w;
    int err;

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
    w->off = ws->pool_len;
    memcpy(ws->pool + w->off, text, len);
    ws->pool[w->off + len] = '\0';
    ws->pool_len += len + 1;
    w->text = ws->pool + w->off;
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
