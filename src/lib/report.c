/*
 * The HTML report of docclass diff (docs/diff.md): one self-contained file
 * (inline CSS, page images as PNG data URIs, no script, no external
 * request). For each page: the page image with both sides' word boxes drawn
 * over it, the two texts side by side with the words only one side has
 * marked, and the metrics; a list of pages worst first at the top.
 * --png DIR writes the overlay images alone, page-N.png.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "options.h"
#include "diff_int.h"
#include "formats.h"
#include "pageimage.h"

#define REPORT_MAX   ((size_t)1 << 30)
#define DEFAULT_SIDE 1000
#define MAX_SIDE     4000
#define TOKENS_MAX   ((size_t)1 << 20)

/* Colours: A outlines blue, B outlines orange; words only A has are filled
 * magenta, only B green; OCR words are shaded red by (100 - confidence). */
static const unsigned char COL_A[3] = {0, 90, 255};
static const unsigned char COL_B[3] = {255, 140, 0};
static const unsigned char COL_A_ONLY[3] = {220, 0, 170};
static const unsigned char COL_B_ONLY[3] = {0, 170, 60};
static const unsigned char COL_CONF[3] = {255, 0, 0};

typedef struct {
    unsigned char *px; /* RGB */
    int w, h;
} rgb_img;

/* One side of one page: tokens, marks and boxes. */
typedef struct {
    const dc_side_page *p;
    dc_span *tok;
    size_t n;
    unsigned char *only;
    dc_word *box;
} side_view;

static void view_dispose(side_view *v)
{
    free(v->tok);
    free(v->only);
    free(v->box);
    memset(v, 0, sizeof(*v));
}

static int view_init(side_view *v, const dc_side *s, size_t i)
{
    static const dc_words none = {0};

    memset(v, 0, sizeof(*v));
    v->p = i < s->npages ? &s->pages[i] : NULL;
    if (!v->p || !v->p->text)
        return DC_OK;
    if (dc_tokens(&v->tok, &v->n, v->p->text, v->p->len, TOKENS_MAX) < 0)
        return DC_ENOMEM;
    v->only = calloc(v->n + 1, 1);
    v->box = calloc(v->n + 1, sizeof(*v->box));
    if (!v->only || !v->box)
        return dc_error_oom();
    return dc_align_boxes(v->box, v->p->text, v->tok, v->n, v->p->words.n ? &v->p->words : &none);
}

/* ---------------------------------------------------------------- drawing */

static void blend(rgb_img *im, int x, int y, const unsigned char c[3], double alpha)
{
    unsigned char *p;
    int k;

    if (x < 0 || y < 0 || x >= im->w || y >= im->h)
        return;
    p = im->px + ((size_t)y * (size_t)im->w + (size_t)x) * 3;
    for (k = 0; k < 3; k++)
        p[k] = (unsigned char)lround(p[k] * (1 - alpha) + c[k] * alpha);
}

static void draw_box(rgb_img *im,
                     const dc_word *w,
                     const unsigned char line[3],
                     const unsigned char *fill,
                     double alpha,
                     int inset)
{
    int x0 = (int)floor(fmin(w->x0, w->x1) * im->w) - inset;
    int y0 = (int)floor(fmin(w->y0, w->y1) * im->h) - inset;
    int x1 = (int)ceil(fmax(w->x0, w->x1) * im->w) + inset;
    int y1 = (int)ceil(fmax(w->y0, w->y1) * im->h) + inset;
    int x, y;

    if (x1 - x0 > im->w * 2 || y1 - y0 > im->h * 2)
        return;
    for (y = y0; fill && y <= y1; y++)
        for (x = x0; x <= x1; x++)
            blend(im, x, y, fill, alpha);
    for (x = x0; x <= x1; x++) {
        blend(im, x, y0, line, 1);
        blend(im, x, y1, line, 1);
    }
    for (y = y0; y <= y1; y++) {
        blend(im, x0, y, line, 1);
        blend(im, x1, y, line, 1);
    }
}

static void draw_side(rgb_img *im,
                      const side_view *v,
                      const unsigned char col[3],
                      const unsigned char only[3],
                      int inset)
{
    size_t i;

    for (i = 0; i < v->n; i++) {
        const dc_word *w = &v->box[i];
        int ocr = v->p->extractor && strcmp(v->p->extractor, "parser") != 0 && w->conf >= 0;
        if (!w->boxed)
            continue;
        if (v->only[i])
            draw_box(im, w, col, only, 0.40, inset);
        else if (ocr && w->conf < 100)
            draw_box(im, w, col, COL_CONF, 0.6 * (100 - fmax(0, w->conf)) / 100.0, inset);
        else
            draw_box(im, w, col, NULL, 0, inset);
    }
}

/* The page image for page i, grey made RGB; im->px NULL when none. */
static int page_image(rgb_img *im, const dc_report_options *o, size_t i)
{
    dc_detection det;
    dc_gray g;
    int side = o->max_side > 0 ? (o->max_side < MAX_SIDE ? o->max_side : MAX_SIDE) : DEFAULT_SIDE;
    int err;
    size_t k, n;

    memset(im, 0, sizeof(*im));
    memset(&g, 0, sizeof(g));
    if (!o->data || dc_detect(&det, o->data, o->len) < 0)
        return DC_OK;
    if (!dc_format_info_of(det.format)->render_gray)
        return DC_OK;
    err = dc_format_info_of(det.format)->render_gray(&g, o->data, o->len, o->password, i, side);
    if (err < 0) {
        dc_error_clear();
        dc_gray_dispose(&g);
        return DC_OK; /* no image for this page; the report says so */
    }
    n = (size_t)g.width * (size_t)g.height;
    im->px = malloc(n * 3 + 1);
    if (!im->px) {
        dc_gray_dispose(&g);
        return dc_error_oom();
    }
    for (k = 0; k < n; k++) {
        unsigned char v = g.px[(k / (size_t)g.width) * (size_t)g.stride + k % (size_t)g.width];
        im->px[k * 3] = im->px[k * 3 + 1] = im->px[k * 3 + 2] = v;
    }
    im->w = g.width;
    im->h = g.height;
    dc_gray_dispose(&g);
    return DC_OK;
}

/* ---------------------------------------------------------------- HTML */

static int put_html(dc_buf *o, const char *s, size_t n)
{
    size_t i;
    int err = DC_OK;

    for (i = 0; i < n && err >= 0; i++) {
        switch (s[i]) {
        case '<':
            err = dc_buf_puts(o, "&lt;");
            break;
        case '>':
            err = dc_buf_puts(o, "&gt;");
            break;
        case '&':
            err = dc_buf_puts(o, "&amp;");
            break;
        case '"':
            err = dc_buf_puts(o, "&quot;");
            break;
        default:
            err = dc_buf_putc(o, s[i]);
        }
    }
    return err;
}

static int put_base64(dc_buf *o, const unsigned char *d, size_t n)
{
    static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i;
    int err = DC_OK;

    for (i = 0; i < n && err >= 0; i += 3) {
        unsigned v = (unsigned)d[i] << 16 | (i + 1 < n ? (unsigned)d[i + 1] << 8 : 0) |
                     (i + 2 < n ? d[i + 2] : 0);
        char q[4] = {t[v >> 18 & 63], t[v >> 12 & 63], i + 1 < n ? t[v >> 6 & 63] : '=',
                     i + 2 < n ? t[v & 63] : '='};
        err = dc_buf_put(o, q, 4);
    }
    return err;
}

/* A side's text: words in spans, the ones only this side has marked. */
static int side_text_html(dc_buf *o, const side_view *v, const char *cls)
{
    size_t i, prev = 0;
    int err;

    if (!v->p)
        return dc_buf_puts(o, "<p class=\"none\">(no such page)</p>");
    if (!v->p->text)
        return dc_buf_puts(o, "<p class=\"none\">(text unavailable in this source)</p>");
    err = dc_buf_puts(o, "<div class=\"text\">");
    for (i = 0; i < v->n && err >= 0; i++) {
        const char *gap = v->p->text + prev;
        size_t glen = v->tok[i].off - prev;
        err = memchr(gap, '\n', glen) && i ? dc_buf_puts(o, "<br>\n") : dc_buf_putc(o, ' ');
        if (err >= 0 && v->only[i])
            err = dc_buf_printf(o, "<span class=\"%s\">", cls);
        if (err >= 0)
            err = put_html(o, v->p->text + v->tok[i].off, v->tok[i].len);
        if (err >= 0 && v->only[i])
            err = dc_buf_puts(o, "</span>");
        prev = v->tok[i].off + v->tok[i].len;
    }
    return err < 0 ? err : dc_buf_puts(o, "</div>");
}

static void fmt(char *b, size_t n, double v, int have)
{
    if (have && v >= 0 && isfinite(v))
        (void)snprintf(b, n, "%.4f", v);
    else
        (void)snprintf(b, n, "-");
}

static int metrics_html(dc_buf *o, const dc_diff *d, const dc_diff_page *p, double max_cer)
{
    char cer[16], wer[16], pr[16], rc[16], lr[16];
    const dc_side_page *a = p->in_a ? &d->a->pages[p->page - 1] : NULL;
    const dc_side_page *b = p->in_b ? &d->b->pages[p->page - 1] : NULL;

    fmt(cer, sizeof(cer), p->m.cer, p->text);
    fmt(wer, sizeof(wer), p->m.wer, p->text);
    fmt(pr, sizeof(pr), p->m.precision, p->text);
    fmt(rc, sizeof(rc), p->m.recall, p->text);
    fmt(lr, sizeof(lr), p->m.length_ratio, p->text);
    return dc_buf_printf(
        o,
        "<p class=\"m\">CER %s &middot; WER %s &middot; precision %s &middot; recall %s "
        "&middot; length ratio %s &middot; A %s/%s %ld chars &middot; B %s/%s %ld chars "
        "&middot; <b class=\"%s\">%s</b>%s</p>\n",
        cer, wer, pr, rc, lr, a && a->type ? a->type : "-", a && a->extractor ? a->extractor : "-",
        a ? a->chars : -1L, b && b->type ? b->type : "-", b && b->extractor ? b->extractor : "-",
        b ? b->chars : -1L, dc_diff_page_agrees(p, max_cer) ? "ok" : "bad",
        dc_diff_page_agrees(p, max_cer) ? "agrees" : "differs",
        p->limit_crossing ? " &middot; <b class=\"bad\">one side over 10,000 characters</b>" : "");
}

static int write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    int ok;

    if (!f)
        return dc_error_set(DC_EIO, "%s: cannot open for writing: %s", path, strerror(errno));
    ok = fwrite(data, 1, n, f) == n;
    ok = fclose(f) == 0 && ok;
    return ok ? DC_OK : dc_error_set(DC_EIO, "%s: cannot write", path);
}

/* The page's overlay: image, boxes, PNG (into the report and/or a file). */
static int overlay(
    dc_buf *o, const dc_report_options *opt, const side_view *va, const side_view *vb, size_t page)
{
    rgb_img im;
    unsigned char *png = NULL;
    size_t plen = 0;
    int err = page_image(&im, opt, page - 1);

    if (err < 0 || !im.px)
        return err < 0 ? err : dc_buf_puts(o, "<p class=\"none\">(no page image)</p>");
    if (va->p && va->p->text)
        draw_side(&im, va, COL_A, COL_A_ONLY, 0);
    if (vb->p && vb->p->text)
        draw_side(&im, vb, COL_B, COL_B_ONLY, 2);
    err = dc_png_encode_rgb(&png, &plen, im.px, im.w, im.h);
    if (err >= 0 && opt->png_dir) {
        char path[4096];
        if (mkdir(opt->png_dir, 0777) < 0 && errno != EEXIST)
            err = dc_error_set(DC_EIO, "%s: cannot create: %s", opt->png_dir, strerror(errno));
        (void)snprintf(path, sizeof(path), "%s/page-%zu.png", opt->png_dir, page);
        if (err >= 0)
            err = write_file(path, png, plen);
    }
    if (err >= 0 && opt->html) {
        err = dc_buf_printf(o,
                            "<img alt=\"page %zu\" width=\"%d\" height=\"%d\" "
                            "src=\"data:image/png;base64,",
                            page, im.w, im.h);
        if (err >= 0)
            err = put_base64(o, png, plen);
        if (err >= 0)
            err = dc_buf_puts(o, "\">\n");
    }
    free(png);
    free(im.px);
    return err;
}

static int
page_section(dc_buf *o, const dc_diff *d, const dc_diff_page *p, const dc_report_options *opt)
{
    side_view va, vb;
    int err = view_init(&va, d->a, p->page - 1);

    if (err >= 0)
        err = view_init(&vb, d->b, p->page - 1);
    else
        memset(&vb, 0, sizeof(vb));
    if (err >= 0 && va.only && vb.only)
        err = dc_diff_mark(va.only, vb.only, va.p->text, va.tok, va.n, vb.p->text, vb.tok, vb.n);
    else if (err >= 0 && (va.only || vb.only))
        memset(va.only ? va.only : vb.only, 1, va.only ? va.n : vb.n);
    if (err >= 0 && opt->html)
        err = dc_buf_printf(o, "<section id=\"page-%zu\"><h2>Page %zu</h2>\n", p->page, p->page);
    if (err >= 0 && opt->html)
        err = metrics_html(o, d, p, opt->max_cer);
    if (err >= 0 && opt->html)
        err = dc_buf_puts(o, "<div class=\"page\"><div class=\"img\">");
    if (err >= 0)
        err = overlay(o, opt, &va, &vb, p->page);
    if (err >= 0 && opt->html)
        err = dc_buf_puts(o, "</div><div class=\"col\"><h3 class=\"ha\">A</h3>");
    if (err >= 0 && opt->html)
        err = side_text_html(o, &va, "aonly");
    if (err >= 0 && opt->html)
        err = dc_buf_puts(o, "</div><div class=\"col\"><h3 class=\"hb\">B</h3>");
    if (err >= 0 && opt->html)
        err = side_text_html(o, &vb, "bonly");
    if (err >= 0 && opt->html)
        err = dc_buf_puts(o, "</div></div></section>\n");
    view_dispose(&va);
    view_dispose(&vb);
    return err;
}

static const char *const CSS =
    "body{font:14px/1.4 sans-serif;margin:16px;color:#222}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}"
    ".ok{color:#080}.bad{color:#c00}.none{color:#888;font-style:italic}"
    ".page{display:flex;gap:12px;align-items:flex-start}"
    ".img img{max-width:480px;height:auto;border:1px solid #999}"
    ".col{flex:1;min-width:0}.text{font-family:monospace;white-space:normal;word-wrap:break-word;"
    "border:1px solid #ddd;padding:6px}"
    ".aonly{background:#f6b3e6;text-decoration:line-through}.bonly{background:#a8e6b8}"
    ".ha{color:rgb(0,90,255)}.hb{color:rgb(255,140,0)}"
    ".key span{padding:0 6px;margin-right:8px}";

static int header_html(dc_buf *o, const dc_diff *d, const dc_report_options *opt)
{
    size_t k;
    int err = dc_buf_printf(o,
                            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                            "<title>docclass diff</title><style>%s</style></head><body>\n"
                            "<h1>docclass diff</h1>\n<p><b class=\"ha\">A</b>: ",
                            CSS);

    if (err >= 0)
        err = put_html(o, d->a->label, strlen(d->a->label));
    if (err >= 0)
        err = dc_buf_printf(o, " (%s) &nbsp; <b class=\"hb\">B</b>: ", d->a->source);
    if (err >= 0)
        err = put_html(o, d->b->label, strlen(d->b->label));
    if (err >= 0)
        err = dc_buf_printf(
            o,
            " (%s) &nbsp; --max-cer %g: <b class=\"%s\">%s</b></p>\n<p class=\"key\">"
            "<span style=\"border:2px solid rgb(0,90,255)\">A box</span>"
            "<span style=\"border:2px solid rgb(255,140,0)\">B box</span>"
            "<span style=\"background:rgb(220,0,170);color:#fff\">only A</span>"
            "<span style=\"background:rgb(0,170,60);color:#fff\">only B</span>"
            "<span style=\"background:rgba(255,0,0,.4)\">low OCR confidence</span></p>\n"
            "<h2>Pages, worst first</h2>\n<table><tr><th>page</th><th>CER</th><th>WER</th>"
            "<th>verdict</th></tr>\n",
            d->b->source, opt->max_cer, dc_diff_agrees(d, opt->max_cer) ? "ok" : "bad",
            dc_diff_agrees(d, opt->max_cer) ? "agree" : "differ");
    for (k = 0; k < d->n && err >= 0; k++) {
        const dc_diff_page *p = &d->pages[d->order[k]];
        char c[16], w[16];
        fmt(c, sizeof(c), p->m.cer, p->text);
        fmt(w, sizeof(w), p->m.wer, p->text);
        err = dc_buf_printf(o,
                            "<tr><td><a href=\"#page-%zu\">%zu</a></td><td>%s</td><td>%s</td>"
                            "<td class=\"%s\">%s</td></tr>\n",
                            p->page, p->page, c, w,
                            dc_diff_page_agrees(p, opt->max_cer) ? "ok" : "bad",
                            dc_diff_page_agrees(p, opt->max_cer) ? "agrees" : "differs");
    }
    return err < 0 ? err : dc_buf_puts(o, "</table>\n");
}

int dc_diff_report(const dc_diff *d, const dc_report_options *given)
{
    dc_report_options ro;
    const dc_report_options *opt = &ro;
    dc_buf o = DC_BUF_INIT;
    size_t i;
    int err = dc_report_options_resolve(&ro, given);

    if (err < 0)
        return err;
    if (!opt->html && !opt->png_dir)
        return dc_error_set(DC_EINVAL, "no report file or folder given");
    dc_buf_init(&o, REPORT_MAX);
    if (opt->html)
        err = header_html(&o, d, opt);
    for (i = 0; i < d->n && err >= 0; i++)
        err = page_section(&o, d, &d->pages[i], opt);
    if (err >= 0 && opt->html)
        err = dc_buf_puts(&o, "</body></html>\n");
    if (err >= 0 && opt->html)
        err = write_file(opt->html, o.ptr, o.len);
    dc_buf_dispose(&o);
    return err;
}
