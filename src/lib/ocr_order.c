/*
 * Reading order of recognised lines: lines cut at wide gaps, the pieces of
 * each block ordered by recursive XY cuts (ocr_order.h). Pure.
 */
#include <stdlib.h>
#include <string.h>

#include "ocr_order.h"

typedef struct {
    dc_order_seg s;
    int box[4]; /* union of its words' boxes */
} piece;

typedef struct {
    dc_order_seg *out;
    size_t nout;
} order;

/* ------------------------------------------------------------- pieces */

static int height(const int *b)
{
    return b[3] - b[1] > 1 ? b[3] - b[1] : 1;
}

static void piece_start(piece *pc, const dc_order_line *ln, size_t line, size_t w, const int *b)
{
    pc->s.block = ln->block;
    pc->s.para = 0;
    pc->s.line = line;
    pc->s.first = w;
    pc->s.n = 1;
    memcpy(pc->box, b, sizeof(pc->box));
}

static void piece_add(piece *pc, const int *b)
{
    pc->s.n++;
    pc->box[0] = b[0] < pc->box[0] ? b[0] : pc->box[0];
    pc->box[1] = b[1] < pc->box[1] ? b[1] : pc->box[1];
    pc->box[2] = b[2] > pc->box[2] ? b[2] : pc->box[2];
    pc->box[3] = b[3] > pc->box[3] ? b[3] : pc->box[3];
}

/* Cut every line where two neighbouring words are further apart than
 * DC_ORDER_GAP times the line's tallest word. */
static size_t cut_lines(const int (*boxes)[4], const dc_order_line *lines, size_t nlines, piece *p)
{
    size_t i, j, k = 0;

    for (i = 0; i < nlines; i++) {
        const dc_order_line *ln = &lines[i];
        int h = 1;
        for (j = 0; j < ln->n; j++)
            h = height(boxes[ln->first + j]) > h ? height(boxes[ln->first + j]) : h;
        for (j = 0; j < ln->n; j++) {
            const int *b = boxes[ln->first + j];
            if (j == 0 || b[0] - boxes[ln->first + j - 1][2] > DC_ORDER_GAP * h)
                piece_start(&p[k++], ln, i, ln->first + j, b);
            else
                piece_add(&p[k - 1], b);
        }
    }
    return k;
}

/* ------------------------------------------------------------- XY cuts */

static int by_left(const void *a, const void *b)
{
    const piece *x = a, *y = b;
    if (x->box[0] != y->box[0])
        return (x->box[0] > y->box[0]) - (x->box[0] < y->box[0]);
    return (x->s.first > y->s.first) - (x->s.first < y->s.first);
}

static int by_top(const void *a, const void *b)
{
    const piece *x = a, *y = b;
    if (x->box[1] != y->box[1])
        return (x->box[1] > y->box[1]) - (x->box[1] < y->box[1]);
    return (x->s.first > y->s.first) - (x->s.first < y->s.first);
}

static int by_source(const void *a, const void *b)
{
    const piece *x = a, *y = b;
    return (x->s.first > y->s.first) - (x->s.first < y->s.first);
}

static int int_cmp(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Median piece height; 0 when out of memory (the caller then uses 1). */
static int median_height(const piece *p, size_t n)
{
    int *h = malloc(n * sizeof(*h)), m;
    size_t i;

    if (!h)
        return 0;
    for (i = 0; i < n; i++)
        h[i] = height(p[i].box);
    qsort(h, n, sizeof(*h), int_cmp);
    m = h[n / 2];
    free(h);
    return m;
}

static void emit(order *o, const piece *p, size_t n, int para)
{
    size_t i;

    for (i = 0; i < n; i++) {
        o->out[o->nout] = p[i].s;
        o->out[o->nout].para = i == 0 && para;
        o->nout++;
    }
}

static void xy_cut(order *o, piece *p, size_t n, int para);

/* Split at every vertical gutter at least min wide: columns, left to
 * right. Returns 1 when there was one. */
static int cut_columns(order *o, piece *p, size_t n, int min, int para)
{
    size_t i, start = 0;
    int right;

    qsort(p, n, sizeof(*p), by_left);
    right = p[0].box[2];
    for (i = 1; i < n; i++) {
        if (p[i].box[0] - right >= min)
            break;
        right = p[i].box[2] > right ? p[i].box[2] : right;
    }
    if (i == n)
        return 0;
    for (right = p[0].box[2], i = 1; i <= n; i++) {
        if (i == n || p[i].box[0] - right >= min) {
            xy_cut(o, p + start, i - start, start == 0 ? para : 1);
            start = i;
        }
        if (i < n && p[i].box[2] > right)
            right = p[i].box[2];
    }
    return 1;
}

/* Split at the widest horizontal gap: top part, then bottom part. */
static int cut_rows(order *o, piece *p, size_t n, int para)
{
    size_t i, at = 0;
    int bottom, widest = 0;

    qsort(p, n, sizeof(*p), by_top);
    bottom = p[0].box[3];
    for (i = 1; i < n; i++) {
        if (p[i].box[1] - bottom > widest) {
            widest = p[i].box[1] - bottom;
            at = i;
        }
        if (p[i].box[3] > bottom)
            bottom = p[i].box[3];
    }
    if (widest <= 0)
        return 0;
    xy_cut(o, p, at, para);
    xy_cut(o, p + at, n - at, 0);
    return 1;
}

static void xy_cut(order *o, piece *p, size_t n, int para)
{
    int gutter;

    if (n == 0)
        return;
    if (n == 1) {
        emit(o, p, n, para);
        return;
    }
    gutter = (int)(DC_ORDER_GUTTER * median_height(p, n));
    if (cut_columns(o, p, n, gutter > 1 ? gutter : 1, para) || cut_rows(o, p, n, para))
        return;
    /* neither: pieces overlapping both ways, kept in the engine's order */
    qsort(p, n, sizeof(*p), by_source);
    emit(o, p, n, para);
}

/* ------------------------------------------------------------- entry */

int dc_order_lines(const int (*boxes)[4],
                   size_t nwords,
                   const dc_order_line *lines,
                   size_t nlines,
                   dc_order_seg **out,
                   size_t *nout)
{
    order o = {0};
    piece *p = malloc((nwords ? nwords : 1) * sizeof(*p));
    size_t np;

    *out = NULL;
    *nout = 0;
    o.out = malloc((nwords ? nwords : 1) * sizeof(*o.out));
    if (!p || !o.out) {
        free(p);
        free(o.out);
        return -1;
    }
    np = cut_lines(boxes, lines, nlines, p);
    /* the whole page at once: a picture in the gutter also cuts the
     * engine's blocks across both columns */
    xy_cut(&o, p, np, 1);
    free(p);
    *out = o.out;
    *nout = o.nout;
    return 0;
}
