/*
 * Image generators (see img_gen.h): cairo draws the text, Leptonica turns
 * and encodes the pages. Everything stays in memory; dc_gen_image_samples
 * writes the bundled samples.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <leptonica/allheaders.h>

#include "dc_test.h"
#include "gen.h"
#include "img_gen.h"

const char *const dc_gen_sample_lines[] = {
    "Invoice 4721 for the quarterly service review",
    "The quick brown fox jumps over the lazy dog.",
    "Payment is due within thirty days of receipt.",
    "Please contact our office with any questions.",
    "Shipping address: 42 Harbour Street, Bristol",
    "Total amount 1250 pounds including taxes.",
};
const size_t dc_gen_sample_nlines = sizeof(dc_gen_sample_lines) / sizeof(dc_gen_sample_lines[0]);

/* The green channel of an RGB24 surface (the pages are black on white) as a
 * grey page at dpi. */
static int surface_gray(cairo_surface_t *s, dc_gray *out, int dpi)
{
    int width = cairo_image_surface_get_width(s), height = cairo_image_surface_get_height(s);
    const unsigned char *data;
    int stride, x, y;

    cairo_surface_flush(s);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
        return dc_error_set(DC_ERROR, "cairo failed");
    data = cairo_image_surface_get_data(s);
    stride = cairo_image_surface_get_stride(s);
    out->px = malloc((size_t)width * (size_t)height);
    if (!out->px)
        return dc_error_oom();
    for (y = 0; y < height; y++) {
        const uint32_t *row = (const uint32_t *)(data + (size_t)y * (size_t)stride);
        for (x = 0; x < width; x++)
            out->px[(size_t)y * (size_t)width + (size_t)x] = (unsigned char)((row[x] >> 8) & 0xff);
    }
    out->width = out->stride = width;
    out->height = height;
    out->dpi = dpi;
    return DC_OK;
}

int dc_gen_text_page(dc_gray *out,
                     int width,
                     int height,
                     const char *const *lines,
                     size_t nlines,
                     double font_px,
                     int dpi)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
    cairo_t *cr = cairo_create(s);
    int err;
    size_t i;

    memset(out, 0, sizeof(*out));
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_select_font_face(cr, "DejaVu Serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, font_px);
    for (i = 0; i < nlines; i++) {
        cairo_move_to(cr, font_px * 1.5, font_px * (2.5 + 1.6 * (double)i));
        cairo_show_text(cr, lines[i]);
    }
    err = surface_gray(s, out, dpi);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    return err;
}

/* Words of the two-column page: every word once, so that a word read back
 * tells its column and its place. */
static const char *const column_words[] = {
    "account", "balance", "capital", "deposit",  "estate",  "finance", "garden",  "harbour",
    "island",  "journey", "kitchen", "library",  "machine", "network", "orchard", "palace",
    "quarter", "railway", "station", "theatre",  "uniform", "village", "weather", "yellow",
    "anchor",  "bridge",  "candle",  "desert",   "engine",  "forest",  "granite", "hollow",
    "insect",  "jacket",  "kettle",  "lantern",  "meadow",  "needle",  "office",  "pepper",
    "rabbit",  "saddle",  "timber",  "valley",   "window",  "almond",  "basket",  "cellar",
    "doctor",  "eleven",  "fabric",  "ginger",   "hammer",  "iceberg", "jungle",  "kingdom",
    "lemon",   "marble",  "number",  "oyster",   "planet",  "quiet",   "river",   "silver",
    "tunnel",  "united",  "velvet",  "walnut",   "amber",   "button",  "copper",  "dinner",
    "empire",  "falcon",  "gallery", "honey",    "income",  "jewel",   "ladder",  "mirror",
    "nephew",  "object",  "pencil",  "question", "rocket",  "sister",  "ticket",  "umbrella",
    "vessel",  "winter",  "autumn",  "bottle",   "cotton",  "dragon",  "eagle",   "flower",
    "guitar",  "helmet",  "ivory",   "jigsaw",   "koala",   "lizard",  "monkey",  "napkin",
    "orange",  "parrot",  "quilt",   "ribbon",   "salmon",  "tomato",  "usher",   "violin",
    "wallet",  "yogurt",  "zebra",   "artist",   "banker",  "circle",  "danger",  "effort",
    "family",  "golden",  "hunter",  "indoor",   "junior",  "keeper",  "legend",  "market",
    "nature",  "outlet",  "purple",  "record",   "summer",  "travel",  "useful",  "visual",
    "worker",  "access",  "border",  "canyon",   "decade",  "editor",  "figure",  "global",
    "height",  "import",  "jersey",  "kernel",   "launch",  "member",  "notice",  "output",
    "parade",  "reason",  "safety",  "target",   "update",  "vendor",  "wisdom",  "advice",
    "beacon",  "chorus",  "domain",  "export",   "friend",  "gravel",  "horizon", "intent",
};
#define COLUMN_NWORDS (sizeof(column_words) / sizeof(column_words[0]))

const char *dc_gen_column_word(int column, size_t i)
{
    size_t half = COLUMN_NWORDS / 2;
    return i < half ? column_words[(size_t)column * half + i] : NULL;
}

/* A photograph-like picture: shaded background, discs and strokes, in the
 * rectangle x, y, w, h. */
static void draw_picture(cairo_t *cr, double x, double y, double w, double h)
{
    cairo_pattern_t *g = cairo_pattern_create_linear(x, y, x + w, y + h);
    int i;

    cairo_pattern_add_color_stop_rgb(g, 0, 0.25, 0.25, 0.25);
    cairo_pattern_add_color_stop_rgb(g, 1, 0.8, 0.8, 0.8);
    cairo_rectangle(cr, x, y, w, h);
    cairo_set_source(cr, g);
    cairo_fill(cr);
    cairo_pattern_destroy(g);
    for (i = 0; i < 40; i++) {
        double cx = x + w * ((i * 37) % 100) / 100.0, cy = y + h * ((i * 61) % 100) / 100.0;
        cairo_set_source_rgb(cr, (i % 5) / 5.0, (i % 5) / 5.0, (i % 5) / 5.0);
        cairo_arc(cr, cx, cy, w * (0.02 + (i % 7) / 60.0), 0, 6.2832);
        cairo_fill(cr);
    }
    cairo_set_line_width(cr, w / 80.0);
    for (i = 0; i < 12; i++) {
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        cairo_move_to(cr, x + w * (i % 4) / 4.0, y);
        cairo_curve_to(cr, x + w, y + h * i / 12.0, x, y + h / 2, x + w * (i % 3) / 3.0, y + h);
        cairo_stroke(cr);
    }
}

int dc_gen_columns_page(dc_gray *out, size_t nlines, int dpi)
{
    double pt = dpi / 72.0, font = 11 * pt, lead = 14 * pt;
    int width = (int)(8.5 * dpi), height = (int)(lead * (double)nlines + 2 * dpi);
    double colw = 3.2 * dpi, x0 = 0.5 * dpi, x1 = width - 0.5 * dpi - colw;
    cairo_surface_t *s;
    cairo_t *cr;
    int err, c;
    size_t i, k;

    memset(out, 0, sizeof(*out));
    if (nlines * 5 > COLUMN_NWORDS / 2)
        return dc_error_set(DC_EINVAL, "at most %zu lines", COLUMN_NWORDS / 10);
    s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
    cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    /* the picture sits between the columns, in the middle of the page */
    draw_picture(cr, x0 + colw + 0.15 * dpi, dpi + lead * (double)nlines * 0.25,
                 x1 - x0 - colw - 0.3 * dpi, lead * (double)nlines * 0.5);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_select_font_face(cr, "DejaVu Serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, font);
    for (c = 0; c < 2; c++) {
        for (i = 0; i < nlines; i++) {
            char line[256] = "";
            for (k = 0; k < 5; k++) {
                if (k)
                    strcat(line, " ");
                strcat(line, dc_gen_column_word(c, i * 5 + k));
            }
            cairo_move_to(cr, c ? x1 : x0, dpi + lead * (double)(i + 1));
            cairo_show_text(cr, line);
        }
    }
    err = surface_gray(s, out, dpi);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    return err;
}

static PIX *to_pix(const dc_gray *g)
{
    PIX *pix = pixCreate(g->width, g->height, 8);
    l_uint32 *data;
    int x, y, wpl;

    if (!pix)
        return NULL;
    data = pixGetData(pix);
    wpl = pixGetWpl(pix);
    for (y = 0; y < g->height; y++)
        for (x = 0; x < g->width; x++)
            SET_DATA_BYTE(data + y * wpl, x, g->px[(size_t)y * (size_t)g->stride + (size_t)x]);
    return pix;
}

static int from_pix(dc_gray *g, PIX *pix)
{
    l_uint32 *data = pixGetData(pix);
    int x, y, wpl = pixGetWpl(pix), w = pixGetWidth(pix), h = pixGetHeight(pix);
    unsigned char *px = malloc((size_t)w * (size_t)h);

    if (!px)
        return dc_error_oom();
    for (y = 0; y < h; y++)
        for (x = 0; x < w; x++)
            px[(size_t)y * (size_t)w + (size_t)x] = (unsigned char)GET_DATA_BYTE(data + y * wpl, x);
    free(g->px);
    g->px = px;
    g->width = g->stride = w;
    g->height = h;
    return DC_OK;
}

int dc_gen_rotate(dc_gray *g, double degrees)
{
    PIX *pix = to_pix(g), *turned = NULL;
    int err;

    if (!pix)
        return dc_error_oom();
    if ((int)degrees == degrees && (int)degrees % 90 == 0)
        turned = pixRotateOrth(pix, (((int)degrees / 90) % 4 + 4) % 4);
    else
        turned = pixRotate(pix, (float)(degrees * 3.14159265358979 / 180.0), L_ROTATE_AREA_MAP,
                           L_BRING_IN_WHITE, 0, 0);
    err = turned ? from_pix(g, turned) : dc_error_set(DC_ERROR, "rotation failed");
    pixDestroy(&turned);
    pixDestroy(&pix);
    return err;
}

static int encode_one(l_uint8 **out, size_t *len, PIX *pix, const char *fmt)
{
    if (strcmp(fmt, "png") == 0)
        return pixWriteMemPng(out, len, pix, 0) == 0 ? DC_OK : DC_ERROR;
    if (strcmp(fmt, "jpeg") == 0)
        return pixWriteMemJpeg(out, len, pix, 90, 0) == 0 ? DC_OK : DC_ERROR;
    return dc_error_set(DC_EINVAL, "unknown format %s", fmt);
}

int dc_gen_encode(
    unsigned char **out, size_t *len, const dc_gray *pages, size_t n, const char *fmt, int dpi)
{
    PIXA *pixa = pixaCreate((l_int32)n);
    l_uint8 *data = NULL;
    size_t i;
    int err = DC_OK;

    *out = NULL;
    for (i = 0; i < n && err >= 0; i++) {
        PIX *pix = to_pix(&pages[i]);
        if (!pix) {
            err = dc_error_oom();
            break;
        }
        pixSetResolution(pix, dpi, dpi);
        pixaAddPix(pixa, pix, L_INSERT);
    }
    if (err >= 0 && strcmp(fmt, "tiff") == 0)
        err = pixaWriteMemMultipageTiff(&data, len, pixa) == 0 ? DC_OK : DC_ERROR;
    else if (err >= 0) {
        PIX *first = pixaGetPix(pixa, 0, L_CLONE);
        err = encode_one(&data, len, first, fmt);
        pixDestroy(&first);
    }
    pixaDestroy(&pixa);
    if (err < 0)
        return dc_error_set(DC_ERROR, "cannot encode %s", fmt);
    *out = data;
    return DC_OK;
}

void dc_gen_free(void *p)
{
    lept_free(p);
}

int dc_gen_turn_file(const char *in, const char *out, int degrees)
{
    PIX *pix = pixRead(in), *turned;
    int fmt, rc;

    if (!pix)
        return -1;
    fmt = pixGetInputFormat(pix);
    turned = pixRotateOrth(pix, ((degrees / 90) % 4 + 4) % 4);
    pixDestroy(&pix);
    if (!turned)
        return -1;
    rc = fmt == IFF_JFIF_JPEG ? pixWriteJpeg(out, turned, 95, 0) : pixWrite(out, turned, IFF_PNG);
    pixDestroy(&turned);
    return rc == 0 ? 0 : -1;
}

/* ------------------------------------------------------------- recall */

static size_t split_words(char *s, char **words, size_t max)
{
    size_t n = 0;
    char *tok = strtok(s, " \t\r\n");

    for (; tok && n < max; tok = strtok(NULL, " \t\r\n")) {
        size_t len = strlen(tok);
        while (len > 0 && ispunct((unsigned char)tok[len - 1]))
            tok[--len] = '\0';
        while (*tok && ispunct((unsigned char)*tok))
            tok++;
        if (*tok)
            words[n++] = tok;
    }
    return n;
}

double dc_gen_recall(const char *want, const char *got)
{
    char *w = strdup(want), *g = strdup(got ? got : "");
    char *ww[4096], *gw[4096];
    size_t nw, ng, i, j, found = 0;

    if (!w || !g) {
        free(w);
        free(g);
        return 0;
    }
    nw = split_words(w, ww, 4096);
    ng = split_words(g, gw, 4096);
    for (i = 0; i < nw; i++) {
        for (j = 0; j < ng; j++) {
            if (gw[j] && strcmp(ww[i], gw[j]) == 0) {
                gw[j] = NULL;
                found++;
                break;
            }
        }
    }
    free(w);
    free(g);
    return nw ? (double)found / (double)nw : 0;
}

/* ------------------------------------------------------------- samples */

static int write_file(const char *dir, const char *name, const unsigned char *data, size_t len)
{
    char path[4096];
    FILE *f;
    int ok;

    (void)snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "wb");
    if (!f) {
        (void)fprintf(stderr, "img_gen: cannot write %s\n", path);
        return -1;
    }
    ok = fwrite(data, 1, len, f) == len;
    if (fclose(f) != 0 || !ok) {
        (void)fprintf(stderr, "img_gen: cannot write %s\n", path);
        return -1;
    }
    return 0;
}

static int
sample(const char *dir, const char *name, const dc_gray *pages, size_t n, const char *fmt)
{
    unsigned char *data = NULL;
    size_t len = 0;
    int rc;

    if (dc_gen_encode(&data, &len, pages, n, fmt, 300) < 0) {
        (void)fprintf(stderr, "img_gen: %s: %s\n", name, dc_error_last()->message);
        return -1;
    }
    rc = write_file(dir, name, data, len);
    dc_gen_free(data);
    return rc;
}

/* scan.png, scan.jpg (one page) and pages.tiff (two pages), 300 DPI. */
int dc_gen_image_samples(const char *dir)
{
    static const char *const second[] = {"Second page of the sample document.",
                                         "It checks that every TIFF page is read."};
    dc_gray p[2] = {{0}, {0}};
    int rc = -1;

    if (dc_gen_text_page(&p[0], 1400, 700, dc_gen_sample_lines, dc_gen_sample_nlines, 42, 300) <
            0 ||
        dc_gen_text_page(&p[1], 1400, 400, second, 2, 42, 300) < 0) {
        (void)fprintf(stderr, "img_gen: %s\n", dc_error_last()->message);
        goto done;
    }
    if (sample(dir, "scan.png", p, 1, "png") < 0 || sample(dir, "scan.jpg", p, 1, "jpeg") < 0 ||
        sample(dir, "pages.tiff", p, 2, "tiff") < 0)
        goto done;
    rc = 0;
done:
    dc_gray_dispose(&p[0]);
    dc_gray_dispose(&p[1]);
    return rc;
}
