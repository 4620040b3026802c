/*
 * docclass calibrate: how many seconds of OCR a megapixel costs on this
 * machine, for scan's time forecast. A page of ordinary text is drawn with
 * cairo at 300 DPI (A4, 8.7 megapixels) and recognised by one engine on
 * one thread, the way the worker pool runs each page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cairo.h>

#include "ocr.h"

#define CAL_DPI 300
#define CAL_W   2480 /* A4 at 300 DPI */
#define CAL_H   3508

static const char *const words[] = {
    "invoice", "customer", "account",  "payment",  "delivery", "contract", "period",
    "total",   "amount",   "balance",  "received", "service",  "document", "reference",
    "number",  "date",     "quantity", "address",  "product",  "terms",    "agreement",
};

/* Draw the calibration page and convert it to grey. */
static int render(void *payload, size_t i, dc_gray *out)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, CAL_W, CAL_H);
    cairo_t *cr = cairo_create(s);
    unsigned seed = 7u + (unsigned)i;
    const unsigned char *src;
    int stride, x, y, line;

    (void)payload;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_select_font_face(cr, "DejaVu Serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 42); /* 10 pt at 300 DPI */
    for (line = 0; line < 55; line++) {
        char buf[256];
        size_t k, off = 0;
        for (k = 0; k < 10; k++) {
            int n;
            seed = seed * 1103515245u + 12345u;
            n = snprintf(buf + off, sizeof(buf) - off, "%s ",
                         words[(seed >> 16) % (sizeof(words) / sizeof(words[0]))]);
            if (n > 0 && (size_t)n < sizeof(buf) - off)
                off += (size_t)n;
        }
        cairo_move_to(cr, 200, 250 + line * 57);
        cairo_show_text(cr, buf);
    }
    cairo_surface_flush(s);
    out->width = CAL_W;
    out->height = CAL_H;
    out->stride = CAL_W;
    out->dpi = CAL_DPI;
    out->px = malloc((size_t)CAL_W * CAL_H);
    if (!out->px) {
        cairo_destroy(cr);
        cairo_surface_destroy(s);
        return dc_error_oom();
    }
    src = cairo_image_surface_get_data(s);
    stride = cairo_image_surface_get_stride(s);
    for (y = 0; y < CAL_H; y++) {
        const uint32_t *row = (const uint32_t *)(const void *)(src + (size_t)y * (size_t)stride);
        for (x = 0; x < CAL_W; x++)
            out->px[(size_t)y * CAL_W + (size_t)x] = (unsigned char)(row[x] & 0xFF);
    }
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    return DC_OK;
}

int dc_calibrate(double *seconds_per_mp, const char *lang, int rounds)
{
    dc_ocr_options o;
    dc_ocr_result *res;
    double secs = 0;
    size_t i, n = rounds < 1 ? 1 : (size_t)rounds;
    int err;

    memset(&o, 0, sizeof(o));
    o.lang = lang ? lang : "eng";
    o.jobs = 1;
    o.rotate = 0;
    res = calloc(n, sizeof(*res));
    if (!res)
        return dc_error_oom();
    err = dc_ocr_pages(res, n, render, NULL, &o);
    for (i = 0; err >= 0 && i < n; i++) {
        if (res[i].err < 0)
            err = dc_error_set(DC_EOCR, "calibration page: %s", res[i].errmsg);
        secs += res[i].seconds;
    }
    for (i = 0; i < n; i++)
        dc_ocr_result_dispose(&res[i]);
    free(res);
    if (err < 0)
        return err;
    *seconds_per_mp = secs / ((double)n * CAL_W * CAL_H / 1e6);
    return DC_OK;
}
