/*
 * PDF stage: poppler-glib (parsing, text, rendering) and cairo (render
 * surfaces). The only file that includes poppler or cairo.
 *
 * Every page gets a set of cheap signals (text layer, image placement, text
 * area), a class (native, scanned, hybrid, prior_ocr, garbled_text,
 * vector_only, blank) with the rule that fired, and a route: parser text or
 * OCR. docs/routing.md describes the signals, the rule order and why each
 * class goes where it goes.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-svg.h>
#include <cairo.h>
#include <glib/gstdio.h>
#include <poppler.h>
#include <unistd.h>

#include "ocr.h"

/* Textract's largest PDF page side: 40 in. */
#define TEXTRACT_MAX_SIDE_PT 2880.0
/* Resolution of the ink probe used for blank and vector-only pages. */
#define INK_DPI 20
/* A pixel darker than this (0-255 grey) is ink in the probe. */
#define INK_LEVEL 250
/* Cairo's largest image surface side. */
#define CAIRO_MAX_SIDE 32767
/* Cap on one page's parser text. */
#define PAGE_TEXT_MAX ((size_t)64 << 20)
/* Gap between two characters, in box heights, that separates words. */
#define WORD_GAP 0.1
/* Image XObject sizes remembered from the raw file. */
#define MAX_IMAGE_SIZES 4096

typedef enum {
    CLS_NATIVE = 0,
    CLS_SCANNED,
    CLS_HYBRID,
    CLS_PRIOR_OCR,
    CLS_GARBLED,
    CLS_VECTOR_ONLY,
    CLS_BLANK,
} page_class;

static const char *const class_names[] = {
    "native", "scanned", "hybrid", "prior_ocr", "garbled_text", "vector_only", "blank",
};

typedef struct {
    int w, h;
} img_size;

typedef struct {
    double width, height; /* points, page rotation applied */
    size_t chars;         /* non-whitespace code points of the text layer */
    size_t unmapped;      /* U+FFFD, control, private-use or undecodable */
    long glyphs;          /* glyphs drawn (SVG pass); -1: not measured */
    double text_coverage; /* character boxes / page area */
    int images;           /* placed images */
    double image_max;     /* largest image's share of the page */
    double image_total;   /* all images' share (capped at 1) */
    double box_w, box_h;  /* largest image's placement, points */
    int px_w, px_h;       /* its pixel size; 0 when unknown */
    double image_dpi;     /* its effective resolution; 0 when unknown */
    int dpi_ambiguous;    /* several image sizes fit the placement */
    double ink;           /* share of inked pixels; -1: not measured */
} pdf_signals;

typedef struct {
    page_class cls;
    char rule[160];
    int ocr;      /* routed to OCR */
    int bad_page; /* Textract would refuse the page */
    int dpi;      /* render resolution when ocr */
    double width, height;
    dc_doctype type;
    char *text; /* parser text, malloc'd */
    size_t len;
    json_t *info; /* the page record's extra members */
} pdf_plan;

typedef struct {
    dc_document *doc;
    PopplerDocument *pdf;
    dc_read_mode mode;
    img_size *sizes;
    size_t nsizes;
    int any_images; /* the file has an image XObject at all */
    pdf_plan *plan;
    size_t npages;
    size_t *ocr_pages; /* page indices sent to OCR, in order */
    size_t nocr;
} pdf_ctx;

/* ---------------------------------------------------------------- opening */

static PopplerDocument *open_bytes(const void *data, size_t len, GError **gerr)
{
    GBytes *bytes = g_bytes_new_static(data, len);
    PopplerDocument *pdf = poppler_document_new_from_bytes(bytes, NULL, gerr);

    g_bytes_unref(bytes);
    return pdf;
}

/*
 * Open an encrypted document with a password. poppler-glib 22.12 crashes in
 * poppler_document_new_from_bytes (and _from_data) when the password is
 * wrong: its retry with the UTF-8 password reuses the stream the first
 * attempt freed. _from_file reopens the file instead, so the (still
 * encrypted) bytes go to a private temporary file, unlinked once poppler has
 * it open.
 */
static PopplerDocument *
open_with_password(const void *data, size_t len, const char *password, GError **gerr)
{
    PopplerDocument *pdf = NULL;
    gchar *name = NULL, *uri = NULL;
    const char *p = data;
    size_t off = 0;
    int fd = g_file_open_tmp("docclass-XXXXXX.pdf", &name, gerr);

    if (fd < 0)
        return NULL;
    while (off < len) {
        ssize_t n = write(fd, p + off, len - off);
        if (n <= 0)
            break;
        off += (size_t)n;
    }
    if (close(fd) == 0 && off == len)
        uri = g_filename_to_uri(name, NULL, gerr);
    else
        g_set_error(gerr, G_FILE_ERROR, G_FILE_ERROR_IO, "cannot write a temporary file");
    if (uri)
        pdf = poppler_document_new_from_file(uri, password, gerr);
    (void)g_unlink(name);
    g_free(uri);
    g_free(name);
    return pdf;
}

/* Open the bytes. A document that needs a password gives DC_EPASSWORD unless
 * the right one is given; *encrypted_out tells whether one was needed. */
static int open_pdf(
    PopplerDocument **out, int *encrypted_out, const void *data, size_t len, const char *password)
{
    GError *gerr = NULL;
    int err = DC_OK;

    *encrypted_out = 0;
    *out = open_bytes(data, len, &gerr);
    if (!*out && gerr && gerr->code == POPPLER_ERROR_ENCRYPTED && password) {
        g_clear_error(&gerr);
        *encrypted_out = 1;
        *out = open_with_password(data, len, password, &gerr);
        if (!*out && gerr && gerr->code == POPPLER_ERROR_ENCRYPTED)
            err = dc_error_set(DC_EPASSWORD, "encrypted PDF: the password is wrong; "
                                             "ClassifyDocument refuses password-protected "
                                             "PDFs: INVALID_DOCUMENT");
    } else if (!*out && gerr && gerr->code == POPPLER_ERROR_ENCRYPTED) {
        err = dc_error_set(DC_EPASSWORD, "encrypted PDF: a password is needed (--password); "
                                         "ClassifyDocument refuses password-protected PDFs: "
                                         "INVALID_DOCUMENT");
    }
    if (!*out && err == DC_OK)
        err = dc_error_set(DC_ECORRUPT, "damaged PDF: %s",
                           gerr && gerr->message ? gerr->message : "poppler cannot read it");
    g_clear_error(&gerr);
    return err;
}

/* ---------------------------------------------------------------- image sizes */

static const char *find_bytes(const char *p, const char *end, const char *s, size_t n)
{
    for (; p && (size_t)(end - p) >= n; p++) {
        p = memchr(p, s[0], (size_t)(end - p) - n + 1);
        if (!p)
            return NULL;
        if (memcmp(p, s, n) == 0)
            return p;
    }
    return NULL;
}

static int is_delim(char c)
{
    return strchr(" \t\r\n\f/<>[]()%", c) != NULL || c == '\0';
}

/* The integer after key (e.g. "/Width") within [p, end), or 0. */
static int dict_int(const char *p, const char *end, const char *key)
{
    size_t n = strlen(key);
    const char *k = find_bytes(p, end, key, n);
    long v = 0;

    while (k && k + n < end && !is_delim(k[n]))
        k = find_bytes(k + 1, end, key, n);
    if (!k)
        return 0;
    for (k += n; k < end && strchr(" \t\r\n\f", *k); k++)
        ;
    for (; k < end && *k >= '0' && *k <= '9' && v < 1000000; k++)
        v = v * 10 + (*k - '0');
    if (k >= end || !is_delim(*k))
        return 0;
    while (k < end && strchr(" \t\r\n\f", *k))
        k++;
    return k < end && *k >= '0' && *k <= '9' ? 0 : (int)v; /* "5 0 R": indirect, unknown */
}

/*
 * Pixel sizes of the image XObjects, read from the raw bytes: poppler-glib
 * only gives an image's size by decoding it (poppler_page_get_image), which
 * costs a full decode per page and is a memory bomb on huge scans. An image
 * XObject is a stream, so its dictionary is never compressed inside an object
 * stream and "/Subtype /Image ... /Width N /Height M" is plain text before the
 * "stream" keyword even in encrypted files. Pages match a size by the aspect
 * ratio of the image's placement (docs/routing.md says what this misses).
 */
static int scan_image_sizes(pdf_ctx *c, const char *data, size_t len)
{
    const char *end = data + len;
    const char *p = data;

    c->sizes = calloc(MAX_IMAGE_SIZES, sizeof(img_size));
    if (!c->sizes)
        return dc_error_oom();
    while (c->nsizes < MAX_IMAGE_SIZES && (p = find_bytes(p, end, "/Image", 6)) != NULL) {
        const char *lo = p - data > 512 ? p - 512 : data;
        const char *hi = (size_t)(end - p) > 512 ? p + 512 : end;
        const char *obj = lo, *q;
        const char *stm = find_bytes(p, hi, "stream", 6);
        int w, h;

        while ((q = find_bytes(obj, p, " obj", 4)) != NULL)
            obj = q + 4;
        p += 6;
        if (p < end && !is_delim(*p))
            continue;
        c->any_images = 1;
        if (stm)
            hi = stm;
        w = dict_int(obj, hi, "/Width");
        h = dict_int(obj, hi, "/Height");
        if (w > 0 && h > 0)
            c->sizes[c->nsizes++] = (img_size){w, h};
    }
    return DC_OK;
}

/* Give the largest image its pixel size and effective DPI when an image
 * XObject of the file has the placement's aspect ratio (either way round). */
static void match_image_size(pdf_signals *s, const pdf_ctx *c)
{
    size_t i;

    if (s->box_w < 1 || s->box_h < 1)
        return;
    for (i = 0; i < c->nsizes; i++) {
        const img_size *z = &c->sizes[i];
        double a = s->box_w / s->box_h;
        int fits = fabs((double)z->w / z->h - a) < 0.02 * a;
        int turned = fabs((double)z->h / z->w - a) < 0.02 * a;
        int w = turned && !fits ? z->h : z->w;
        int h = turned && !fits ? z->w : z->h;

        if (!fits && !turned)
            continue;
        if (s->px_w && (s->px_w != w || s->px_h != h))
            s->dpi_ambiguous = 1;
        if (s->px_w && (double)w * h <= (double)s->px_w * s->px_h)
            continue;
        s->px_w = w;
        s->px_h = h;
        s->image_dpi = w / (s->box_w / 72.0);
    }
}

/* ---------------------------------------------------------------- signals */

static int is_unmapped(uint32_t cp)
{
    if (cp == 0xFFFD || (cp < 0x20 && !strchr("\t\n\r\f", (int)cp)))
        return 1;
    return (cp >= 0x7F && cp <= 0x9F) || (cp >= 0xE000 && cp <= 0xF8FF) || cp >= 0xF0000;
}

static int is_space_cp(uint32_t cp)
{
    return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0xA0 || cp == 0x3000;
}

static double box_area(const PopplerRectangle *r, double w, double h)
{
    double x1 = fmax(0, fmin(r->x1, r->x2)), x2 = fmin(w, fmax(r->x1, r->x2));
    double y1 = fmax(0, fmin(r->y1, r->y2)), y2 = fmin(h, fmax(r->y1, r->y2));

    return x2 > x1 && y2 > y1 ? (x2 - x1) * (y2 - y1) : 0;
}

/* Count shown and unmapped characters of the text layer, and the share of
 * the page their boxes cover. The layout has one box per character of the
 * text when poppler can give it; whitespace boxes are left out. */
static void text_signals(pdf_signals *s, PopplerPage *page, const char *text, size_t len)
{
    PopplerRectangle *rects = NULL;
    guint nrects = 0;
    size_t i = 0, k = 0;
    double area = 0;

    if (len && !poppler_page_get_text_layout(page, &rects, &nrects))
        nrects = 0;
    while (i < len) {
        uint32_t cp = 0xFFFD;
        size_t n = dc_utf8_seq((const unsigned char *)text + i, len - i, &cp);
        int space;

        if (n == 0) {
            n = 1;
            cp = 0xFFFD;
        }
        space = is_space_cp(cp);
        if (!space) {
            s->chars++;
            s->unmapped += (size_t)is_unmapped(cp);
        }
        if (k < nrects && !space)
            area += box_area(&rects[k], s->width, s->height);
        k++;
        i += n;
    }
    g_free(rects);
    s->text_coverage = fmin(1.0, area / (s->width * s->height));
}

/* An image's area on the page. poppler 22.12 misplaces a rotated image's
 * box (a scan turned 90 degrees maps to x 612..1404 on a 612 pt page), so a
 * box that fits the page either way round counts whole even when it lands
 * off the page. */
static double image_area(const PopplerRectangle *r, double w, double h)
{
    double bw = fabs(r->x2 - r->x1), bh = fabs(r->y2 - r->y1);
    int fits = (bw <= w + 1 && bh <= h + 1) || (bw <= h + 1 && bh <= w + 1);

    return fits ? fmax(box_area(r, w, h), fmin(bw * bh, w * h)) : box_area(r, w, h);
}

/* Placement of the page's images. poppler_page_get_image_mapping parses the
 * content stream a second time (as long as the text does), so a file
 * without any image XObject skips it: a page drawn with inline images only
 * then counts as image-free (docs/routing.md). */
static void image_signals(pdf_signals *s, PopplerPage *page, const pdf_ctx *c)
{
    GList *maps = c->any_images ? poppler_page_get_image_mapping(page) : NULL;
    double page_area = s->width * s->height, total = 0;

    for (GList *l = maps; l; l = l->next) {
        const PopplerImageMapping *m = l->data;
        double a = image_area(&m->area, s->width, s->height);

        s->images++;
        total += a;
        if (a / page_area > s->image_max) {
            s->image_max = a / page_area;
            s->box_w = fabs(m->area.x2 - m->area.x1);
            s->box_h = fabs(m->area.y2 - m->area.y1);
        }
    }
    poppler_page_free_image_mapping(maps);
    s->image_total = fmin(1.0, total / page_area);
    if (s->images)
        match_image_size(s, c);
}

/* SVG stream sink counting drawn glyphs ("<use xlink:href="#glyph"); keeps
 * the pattern's length of tail so a match split between writes counts. */
typedef struct {
    long count;
    char tail[32];
    size_t ntail;
} glyph_counter;

static cairo_status_t count_glyphs(void *closure, const unsigned char *data, unsigned int n)
{
    static const char pat[] = "xlink:href=\"#glyph";
    const size_t plen = sizeof(pat) - 1;
    glyph_counter *g = closure;
    char win[64 + 32];
    unsigned int off = 0;

    while (off < n) {
        size_t take = n - off > 64 ? 64 : n - off;
        const char *p;
        size_t wlen;

        memcpy(win, g->tail, g->ntail);
        memcpy(win + g->ntail, data + off, take);
        wlen = g->ntail + take;
        for (p = win; (p = find_bytes(p, win + wlen, pat, plen)) != NULL; p += plen)
            g->count++;
        g->ntail = wlen < plen - 1 ? wlen : plen - 1;
        /* never count a match twice: a full match cannot fit in the tail */
        memmove(g->tail, win + wlen - g->ntail, g->ntail);
        off += (unsigned int)take;
    }
    return CAIRO_STATUS_SUCCESS;
}

/* Glyphs the page really draws: poppler-glib has no text render mode, so
 * invisible text (Tr 3, an OCR layer) only shows as characters that are
 * never drawn. Rendering to an SVG stream encodes the images too, so this
 * runs only on pages with both text and a large image. */
static long svg_glyphs(PopplerPage *page, double w, double h)
{
    glyph_counter g = {0, {0}, 0};
    cairo_surface_t *svg = cairo_svg_surface_create_for_stream(count_glyphs, &g, w, h);
    cairo_t *cr = cairo_create(svg);

    poppler_page_render(page, cr);
    cairo_destroy(cr);
    cairo_surface_finish(svg);
    if (cairo_surface_status(svg) != CAIRO_STATUS_SUCCESS)
        g.count = -1;
    cairo_surface_destroy(svg);
    return g.count;
}

/* Render the page at dpi onto white into *out (caller frees); NULL when
 * cairo cannot make the surface. */
static cairo_surface_t *render_rgb(PopplerPage *page, double w, double h, double dpi)
{
    int pw = (int)ceil(w * dpi / 72.0), ph = (int)ceil(h * dpi / 72.0);
    cairo_surface_t *img;
    cairo_t *cr;

    if (pw < 1 || ph < 1 || pw > CAIRO_MAX_SIDE || ph > CAIRO_MAX_SIDE)
        return NULL;
    img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, ph);
    if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(img);
        return NULL;
    }
    cr = cairo_create(img);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, dpi / 72.0, dpi / 72.0);
    poppler_page_render(page, cr);
    cairo_destroy(cr);
    cairo_surface_flush(img);
    return img;
}

static unsigned char grey_of(uint32_t px)
{
    unsigned r = (px >> 16) & 0xFF, g = (px >> 8) & 0xFF, b = px & 0xFF;
    return (unsigned char)((r * 299 + g * 587 + b * 114) / 1000);
}

/* Share of inked pixels of a low-resolution render: tells a blank page from
 * one drawn only with paths. */
static double ink_share(PopplerPage *page, double w, double h)
{
    cairo_surface_t *img = render_rgb(page, w, h, INK_DPI);
    const unsigned char *row;
    int x, y, pw, ph, stride;
    long inked = 0;

    if (!img)
        return -1;
    pw = cairo_image_surface_get_width(img);
    ph = cairo_image_surface_get_height(img);
    stride = cairo_image_surface_get_stride(img);
    row = cairo_image_surface_get_data(img);
    for (y = 0; y < ph; y++, row += stride)
        for (x = 0; x < pw; x++)
            inked += grey_of(((const uint32_t *)(const void *)row)[x]) < INK_LEVEL;
    cairo_surface_destroy(img);
    return (double)inked / ((double)pw * ph);
}

/* ---------------------------------------------------------------- classes */

static int pct(double share)
{
    return (int)lround(share * 100);
}

/* The class of a page and the rule that fired, first match wins (the order
 * is documented in docs/routing.md). */
static page_class
classify(const pdf_signals *s, const dc_routing_thresholds *t, char *rule, size_t rule_size)
{
    double invisible = s->glyphs >= 0 && s->chars
                           ? 1.0 - fmin((double)s->glyphs, (double)s->chars) / (double)s->chars
                           : 0;
    int big_image = s->image_max >= t->scan_image_share;

    if (s->chars && (double)s->unmapped / (double)s->chars >= t->garbled_ratio) {
        (void)snprintf(rule, rule_size, "%zu of %zu characters have no Unicode mapping",
                       s->unmapped, s->chars);
        return CLS_GARBLED;
    }
    if (s->chars == 0 && s->images == 0) {
        (void)snprintf(rule, rule_size, "no text, no images, %s",
                       s->ink > t->blank_ink ? "paths draw ink" : "nothing drawn");
        return s->ink > t->blank_ink ? CLS_VECTOR_ONLY : CLS_BLANK;
    }
    if ((double)s->chars < t->min_chars && (big_image || s->chars == 0)) {
        (void)snprintf(rule, rule_size,
                       "%zu characters of text; largest image covers %d%% of the page", s->chars,
                       pct(s->image_max));
        return CLS_SCANNED;
    }
    if (big_image && invisible >= t->invisible_ratio) {
        (void)snprintf(rule, rule_size,
                       "%d%% of %zu characters are invisible over an image covering %d%%",
                       pct(invisible), s->chars, pct(s->image_max));
        return CLS_PRIOR_OCR;
    }
    if (big_image && s->text_coverage < t->hybrid_text_coverage) {
        (void)snprintf(rule, rule_size, "text covers %.1f%% of a page whose image covers %d%%",
                       s->text_coverage * 100, pct(s->image_max));
        return CLS_HYBRID;
    }
    (void)snprintf(rule, rule_size, "%zu characters of text%s", s->chars,
                   big_image ? " over a background image" : "");
    return CLS_NATIVE;
}

/* SERVICE_DEFAULT: which classes the service would hand to Textract. */
static int class_wants_ocr(page_class c)
{
    return c == CLS_SCANNED || c == CLS_HYBRID || c == CLS_GARBLED || c == CLS_VECTOR_ONLY;
}

/* ---------------------------------------------------------------- page record */

static json_t *signals_json(const pdf_signals *s)
{
    json_t *o = json_pack(
        "{s:[f,f],s:I,s:o,s:o,s:I,s:f,s:i,s:f,s:f,s:o,s:o,s:b,s:o}", "page_size_pt", s->width,
        s->height, "chars", (json_int_t)s->chars, "visible_chars",
        s->glyphs >= 0
            ? json_integer((json_int_t)(s->glyphs < (long)s->chars ? s->glyphs : (long)s->chars))
            : json_null(),
        "invisible_chars",
        s->glyphs >= 0 ? json_integer((json_int_t)s->chars -
                                      (s->glyphs < (long)s->chars ? s->glyphs : (long)s->chars))
                       : json_null(),
        "unmapped_chars", (json_int_t)s->unmapped, "text_coverage",
        round(s->text_coverage * 1e4) / 1e4, "images", s->images, "largest_image_share",
        round(s->image_max * 1e4) / 1e4, "images_share", round(s->image_total * 1e4) / 1e4,
        "largest_image_px", s->px_w ? json_pack("[i,i]", s->px_w, s->px_h) : json_null(),
        "largest_image_dpi", s->image_dpi > 0 ? json_integer(lround(s->image_dpi)) : json_null(),
        "vector_only", s->chars == 0 && s->images == 0 && s->ink > 0, "ink",
        s->ink >= 0 ? json_real(round(s->ink * 1e4) / 1e4) : json_null());

    if (o && s->dpi_ambiguous && json_object_set_new(o, "dpi_ambiguous", json_true()) < 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *thresholds_json(const dc_routing_thresholds *t)
{
    return json_pack("{s:f,s:f,s:f,s:f,s:f,s:f}", "min_chars", t->min_chars, "garbled_ratio",
                     t->garbled_ratio, "scan_image_share", t->scan_image_share,
                     "hybrid_text_coverage", t->hybrid_text_coverage, "blank_ink", t->blank_ink,
                     "invisible_ratio", t->invisible_ratio);
}

static int routing_info(pdf_plan *p, const pdf_signals *s, const dc_routing_thresholds *t)
{
    json_t *sig = signals_json(s);
    json_t *th = thresholds_json(t);

    if (!sig || !th) {
        json_decref(sig);
        json_decref(th);
        return dc_error_oom();
    }
    /* json_pack steals sig and th, also when it fails */
    p->info = json_pack("{s:{s:s,s:s,s:o,s:o}}", "routing", "class", class_names[p->cls], "rule",
                        p->rule, "signals", sig, "thresholds", th);
    return p->info ? DC_OK : dc_error_oom();
}

/* The render resolution: opts.dpi, lowered so the image stays within
 * max_megapixels and cairo's side limit. */
static int render_dpi(pdf_plan *p, const dc_extract_options *o)
{
    double dpi = o->dpi > 0 ? o->dpi : 300;
    double max_px = (o->max_megapixels > 0 ? o->max_megapixels : 100) * 1e6;
    double in2 = (p->width / 72.0) * (p->height / 72.0);
    double side = fmax(p->width, p->height) / 72.0;

    if (in2 > 0 && dpi * dpi * in2 > max_px)
        dpi = floor(sqrt(max_px / in2));
    if (side * dpi > CAIRO_MAX_SIDE)
        dpi = floor(CAIRO_MAX_SIDE / side);
    if (dpi < 1)
        dpi = 1;
    p->dpi = (int)dpi;
    if (p->dpi == (o->dpi > 0 ? o->dpi : 300))
        return DC_OK;
    return json_object_set_new(
               p->info, "render",
               json_pack("{s:i,s:i,s:s}", "dpi", p->dpi, "requested_dpi", o->dpi > 0 ? o->dpi : 300,
                         "reason", "lowered to stay within the render cap (max_megapixels)")) < 0
               ? dc_error_oom()
               : DC_OK;
}

/* ---------------------------------------------------------------- planning */

/* Join words hyphenated across a line end ("taki-\nmata" -> "takimata")
 * when a letter or digit comes before the hyphen and a lowercase letter
 * after the line break, as pdftotext does; in place. */
static size_t dehyphenate(char *s, size_t len)
{
    size_t r, w = 0;

    for (r = 0; r < len; r++) {
        unsigned char prev = w ? (unsigned char)s[w - 1] : 0;
        unsigned char next = r + 2 < len ? (unsigned char)s[r + 2] : 0;
        int alnum = (prev >= 'a' && prev <= 'z') || (prev >= 'A' && prev <= 'Z') ||
                    (prev >= '0' && prev <= '9') || prev >= 0x80;

        if (s[r] == '-' && r + 1 < len && s[r + 1] == '\n' && alnum &&
            ((next >= 'a' && next <= 'z') || next >= 0xC0)) {
            r++;
            continue;
        }
        s[w++] = s[r];
    }
    s[w] = '\0';
    return w;
}

/* Two characters on one line far enough apart to be two words: the gap
 * pdftotext's word breaking uses (a tenth of the font size, here of the
 * box height), either direction so right-to-left text works too. */
static int word_gap(const PopplerRectangle *a, const PopplerRectangle *b)
{
    double h = fmax(fabs(a->y2 - a->y1), fabs(b->y2 - b->y1));
    double dy = fabs((a->y1 + a->y2) - (b->y1 + b->y2)) / 2;
    double gap =
        fmax(fmin(b->x1, b->x2) - fmax(a->x1, a->x2), fmin(a->x1, a->x2) - fmax(b->x1, b->x2));

    return h > 0 && dy < h / 2 && gap > WORD_GAP * h;
}

/* Copy the selection text of poppler-glib, adding the spaces between
 * characters that are apart on the page but that the selection dumper ran
 * together (spaced-out tables, glyph grids); needs one box per character. */
static int respace(dc_buf *b, const char *t, size_t len, const PopplerRectangle *r, guint n)
{
    int use = n == dc_utf8_count(t, len);
    size_t i = 0, k = 0;
    int err = DC_OK;

    while (i < len && err >= 0) {
        uint32_t cp = 0, next = ' ';
        size_t m = dc_utf8_seq((const unsigned char *)t + i, len - i, &cp);

        if (m == 0)
            m = 1;
        if (i + m < len && dc_utf8_seq((const unsigned char *)t + i + m, len - i - m, &next) == 0)
            next = ' ';
        err = dc_buf_put(b, t + i, m);
        if (err >= 0 && use && k + 1 < n && !is_space_cp(cp) && !is_space_cp(next) &&
            word_gap(&r[k], &r[k + 1]))
            err = dc_buf_putc(b, ' ');
        i += m;
        k++;
    }
    return err;
}

/* The page's parser text: poppler's text, respaced and dehyphenated. */
static int parser_text(pdf_plan *p, PopplerPage *page, const char *raw, size_t len)
{
    PopplerRectangle *rects = NULL;
    guint n = 0;
    dc_buf b = DC_BUF_INIT;
    int err;

    dc_buf_init(&b, PAGE_TEXT_MAX);
    if (len && !poppler_page_get_text_layout(page, &rects, &n))
        n = 0;
    err = respace(&b, raw, len, rects, n);
    g_free(rects);
    if (err < 0) {
        dc_buf_dispose(&b);
        return err;
    }
    p->text = dc_buf_detach(&b, &p->len);
    if (!p->text)
        return dc_error_oom();
    p->len = dehyphenate(p->text, p->len);
    return DC_OK;
}

static void
measure(pdf_signals *s, PopplerPage *page, const pdf_ctx *c, const char *text, size_t len)
{
    const dc_routing_thresholds *t = &c->doc->opts.routing;

    memset(s, 0, sizeof(*s));
    s->glyphs = -1;
    s->ink = -1;
    poppler_page_get_size(page, &s->width, &s->height);
    if (s->width < 1)
        s->width = 1;
    if (s->height < 1)
        s->height = 1;
    text_signals(s, page, text, len);
    image_signals(s, page, c);
    /* Visibility needs a render pass: extract makes it on every page with
     * text over a large image; scan (analyze-only) only where it decides
     * the class, i.e. where the text alone would make the page hybrid. */
    if (s->chars && s->image_max >= t->scan_image_share &&
        (!c->doc->analyze_only || s->text_coverage < t->hybrid_text_coverage))
        s->glyphs = svg_glyphs(page, s->width, s->height);
    if (s->chars == 0 && s->images == 0)
        s->ink = ink_share(page, s->width, s->height);
}

/* Decide the route of page i: signals, class, doctype, parser text. */
static int plan_page(pdf_ctx *c, size_t i)
{
    const dc_extract_options *o = &c->doc->opts;
    PopplerPage *page = poppler_document_get_page(c->pdf, (int)i);
    pdf_plan *p = &c->plan[i];
    pdf_signals s;
    char *gtext = NULL;
    size_t glen = 0;
    int err = DC_OK;

    if (!page)
        return dc_error_set(DC_ECORRUPT, "page %zu cannot be read", i + 1);
    gtext = poppler_page_get_text(page);
    glen = gtext ? strlen(gtext) : 0;
    if (glen > PAGE_TEXT_MAX) {
        err = dc_error_set(DC_ELIMIT, "page text of %zu bytes is over the %zu-byte cap", glen,
                           PAGE_TEXT_MAX);
        goto done;
    }
    measure(&s, page, c, gtext, glen);
    p->width = s.width;
    p->height = s.height;
    p->cls = classify(&s, &o->routing, p->rule, sizeof(p->rule));
    p->ocr = c->mode == DC_READ_MODE_FORCE_DOCUMENT_READ_ACTION || class_wants_ocr(p->cls);
    p->type = class_wants_ocr(p->cls) ? DC_DOCTYPE_SCANNED_PDF : DC_DOCTYPE_NATIVE_PDF;
    err = routing_info(p, &s, &o->routing);
    if (err < 0)
        goto done;
    if (p->ocr) {
        p->bad_page = fmax(s.width, s.height) > TEXTRACT_MAX_SIDE_PT;
        if (!c->doc->analyze_only)
            err = render_dpi(p, o);
    } else if (!c->doc->analyze_only || c->doc->count_chars) {
        err = parser_text(p, page, gtext ? gtext : "", glen);
    }
done:
    g_free(gtext);
    g_object_unref(page);
    return err < 0 ? dc_error_prefix(err, "page %zu", i + 1) : err;
}

/* ---------------------------------------------------------------- OCR */

/* A rendered RGB24 surface as 8-bit grey pixels (out->px malloc'd). */
static int surface_to_gray(dc_gray *out, cairo_surface_t *img)
{
    const unsigned char *data = cairo_image_surface_get_data(img);
    size_t stride = (size_t)cairo_image_surface_get_stride(img);

    out->width = cairo_image_surface_get_width(img);
    out->height = cairo_image_surface_get_height(img);
    out->stride = out->width;
    out->px = malloc((size_t)out->width * (size_t)out->height);
    if (!out->px)
        return dc_error_oom();
    for (int y = 0; y < out->height; y++) {
        const uint32_t *row = (const uint32_t *)(const void *)(data + (size_t)y * stride);
        for (int x = 0; x < out->width; x++)
            out->px[(size_t)y * (size_t)out->width + (size_t)x] = grey_of(row[x]);
    }
    return DC_OK;
}

/* dc_render_fn: the i-th OCR page as an 8-bit grey image on white. */
static int render_for_ocr(void *payload, size_t i, dc_gray *out)
{
    pdf_ctx *c = payload;
    size_t pi = c->ocr_pages[i];
    const pdf_plan *p = &c->plan[pi];
    PopplerPage *page = poppler_document_get_page(c->pdf, (int)pi);
    cairo_surface_t *img = NULL;
    int err = DC_OK;

    memset(out, 0, sizeof(*out));
    if (!page)
        return dc_error_set(DC_ECORRUPT, "page %zu cannot be read", pi + 1);
    img = render_rgb(page, p->width, p->height, p->dpi);
    if (!img) {
        err = dc_error_set(DC_ELIMIT, "page %zu cannot be rendered at %d dpi", pi + 1, p->dpi);
        goto done;
    }
    err = surface_to_gray(out, img);
    out->dpi = p->dpi;
done:
    cairo_surface_destroy(img);
    g_object_unref(page);
    return err;
}

/* OCR every page routed there (except the ones Textract would refuse): the
 * pool pulls rendered images one at a time, so memory stays flat. */
static int run_ocr(pdf_ctx *c, dc_ocr_result **results_out)
{
    dc_ocr_options oo;
    size_t i;

    *results_out = NULL;
    c->ocr_pages = calloc(c->npages ? c->npages : 1, sizeof(size_t));
    if (!c->ocr_pages)
        return dc_error_oom();
    for (i = 0; i < c->npages; i++)
        if (c->plan[i].ocr && !c->plan[i].bad_page)
            c->ocr_pages[c->nocr++] = i;
    if (c->nocr == 0)
        return DC_OK;
    *results_out = calloc(c->nocr, sizeof(dc_ocr_result));
    if (!*results_out)
        return dc_error_oom();
    memset(&oo, 0, sizeof(oo));
    dc_ocr_options_from(&oo, c->doc);
    if (c->doc->opts.config.action == DC_READ_ACTION_ANALYZE_DOCUMENT) {
        for (i = 0; i < c->doc->opts.config.nfeatures; i++) {
            oo.tables |= c->doc->opts.config.features[i] == DC_FEATURE_TABLES;
            oo.forms |= c->doc->opts.config.features[i] == DC_FEATURE_FORMS;
        }
    }
    return dc_ocr_pages(*results_out, c->nocr, render_for_ocr, c, &oo);
}

/* The OCR page record as for images ({"ocr": {..., "lines": [...]}}) and the
 * OCR stage's warnings (e.g. DOCCLASS_TABLES_APPROXIMATED) for page i. */
static int merge_ocr_info(pdf_ctx *c, size_t i, pdf_plan *p, dc_ocr_result *r)
{
    json_t *info = NULL;
    int err = dc_ocr_emit_warnings(c->doc, (int)i + 1, r);

    if (err >= 0)
        err = dc_ocr_page_info(&info, r);
    if (err >= 0 && json_object_update(p->info, info) < 0)
        err = dc_error_oom();
    json_decref(info);
    return err;
}

static const char *mode_name(const pdf_ctx *c)
{
    return dc_read_mode_name(c->mode);
}

/* Add an OCR-routed page: its OCR text, or its page error and no text. */
static int add_ocr_page(pdf_ctx *c, size_t i, dc_ocr_result *r)
{
    pdf_plan *p = &c->plan[i];
    char *text = NULL;
    size_t len = 0;
    int err = DC_OK;

    if (p->bad_page) {
        err = dc_doc_error(c->doc, (int)i + 1, "TEXTRACT_BAD_PAGE",
                           "page of %.0f x %.0f pt is over Textract's 40 in (2880 pt) side limit",
                           p->width, p->height);
    } else if (c->doc->analyze_only) {
        /* scan: routed to Textract, not OCRed here */
    } else if (r->err < 0 || !r->text) {
        err = dc_doc_error(c->doc, (int)i + 1, r->errcode[0] ? r->errcode : "TEXTRACT_BAD_PAGE",
                           "%s", r->errmsg[0] ? r->errmsg : "OCR failed");
    } else {
        err = merge_ocr_info(c, i, p, r);
        text = r->text;
        len = r->len;
        r->text = NULL;
    }
    if (err < 0) {
        free(text);
        return err;
    }
    err = dc_doc_add_page(c->doc, text, len, DC_EXTRACTOR_OCR, p->type, p->info,
                          "%s page: OCR (%s; %s)", class_names[p->cls], p->rule, mode_name(c));
    p->info = NULL;
    return err < 0 ? err : DC_OK;
}

static int assemble(pdf_ctx *c, dc_ocr_result *results)
{
    size_t i, k = 0;
    int err = DC_OK;

    for (i = 0; i < c->npages && err >= 0; i++) {
        pdf_plan *p = &c->plan[i];
        static dc_ocr_result none;

        if (p->ocr) {
            int used = k < c->nocr && c->ocr_pages[k] == i;
            err = add_ocr_page(c, i, used ? &results[k] : &none);
            k += (size_t)used;
            continue;
        }
        err = dc_doc_add_page(c->doc, p->text, p->len, DC_EXTRACTOR_PARSER, p->type, p->info,
                              "%s page: parser text (%s; %s)", class_names[p->cls], p->rule,
                              mode_name(c));
        p->text = NULL;
        p->info = NULL;
    }
    return err < 0 ? err : DC_OK;
}

static int document_info(pdf_ctx *c, int encrypted)
{
    int err = dc_doc_info_set(
        c->doc, "pdf",
        json_pack("{s:I,s:b}", "pages", (json_int_t)c->npages, "encrypted", encrypted));

    if (err < 0 || !encrypted)
        return err;
    return dc_doc_refuse(c->doc, "InvalidRequestException", "INVALID_DOCUMENT", "INVALID_DOCUMENT",
                         "the PDF is password-protected; ClassifyDocument does not accept "
                         "encrypted PDFs");
}

/* ---------------------------------------------------------------- entry */

int dc_pdf_extract(dc_document *doc, const void *data, size_t len, const char *password)
{
    pdf_ctx c;
    dc_ocr_result *results = NULL;
    int encrypted = 0, err;
    size_t i;

    memset(&c, 0, sizeof(c));
    c.doc = doc;
    c.mode = dc_config_effective_mode(&doc->opts.config);
    err = open_pdf(&c.pdf, &encrypted, data, len, password);
    if (err < 0)
        goto done;
    c.npages = (size_t)poppler_document_get_n_pages(c.pdf);
    c.plan = calloc(c.npages ? c.npages : 1, sizeof(pdf_plan));
    if (!c.plan) {
        err = dc_error_oom();
        goto done;
    }
    err = scan_image_sizes(&c, data, len);
    for (i = 0; i < c.npages && err >= 0; i++)
        err = plan_page(&c, i);
    if (err >= 0)
        err = document_info(&c, encrypted);
    if (err >= 0 && !doc->analyze_only)
        err = run_ocr(&c, &results);
    if (err >= 0)
        err = assemble(&c, results);
done:
    for (i = 0; i < c.nocr && results; i++)
        dc_ocr_result_dispose(&results[i]);
    free(results);
    for (i = 0; i < c.npages && c.plan; i++) {
        free(c.plan[i].text);
        json_decref(c.plan[i].info);
    }
    free(c.plan);
    free(c.sizes);
    free(c.ocr_pages);
    if (c.pdf)
        g_object_unref(c.pdf);
    return err < 0 ? err : DC_OK;
}

/* ================================================================ word boxes and page images
 * For docclass diff and extract --format textract (words.h): added after the
 * stage was finished; nothing above uses it and it changes nothing above. */

#include "words.h"

/* Close the word being built (chars [start, i) of t) if it has any. */
static int flush_word(
    dc_words *ws, const char *t, size_t start, size_t i, const double box[4], double w, double h)
{
    double frac[4];

    if (i <= start)
        return DC_OK;
    frac[0] = box[0] / w;
    frac[1] = box[1] / h;
    frac[2] = box[2] / w;
    frac[3] = box[3] / h;
    return dc_words_add(ws, t + start, i - start, frac, 100.0);
}

/*
 * The words of one page: the characters of poppler_page_get_text, one box
 * each from poppler_page_get_text_layout, split at whitespace and at gaps
 * wider than WORD_GAP box heights (the rule respace() uses). A page whose
 * layout does not give one box per character has no words.
 */
static int page_words(dc_words *ws, PopplerPage *page)
{
    PopplerRectangle *r = NULL;
    guint n = 0, k = 0;
    char *t = poppler_page_get_text(page);
    size_t len = t ? strlen(t) : 0, i = 0, start = 0;
    double w = 1, h = 1, box[4] = {0, 0, 0, 0};
    int err = DC_OK;

    poppler_page_get_size(page, &w, &h);
    if (!len || !poppler_page_get_text_layout(page, &r, &n) || n != dc_utf8_count(t, len))
        goto done;
    while (i < len && err >= 0) {
        uint32_t cp = 0;
        size_t m = dc_utf8_seq((const unsigned char *)t + i, len - i, &cp);
        if (m == 0)
            m = 1;
        if (is_space_cp(cp) || (k && i > start && word_gap(&r[k - 1], &r[k]))) {
            err = flush_word(ws, t, start, i, box, w, h);
            start = is_space_cp(cp) ? i + m : i;
        }
        if (!is_space_cp(cp)) {
            double x0 = fmin(r[k].x1, r[k].x2), x1 = fmax(r[k].x1, r[k].x2);
            double y0 = fmin(r[k].y1, r[k].y2), y1 = fmax(r[k].y1, r[k].y2);
            int first = i == start;
            box[0] = first ? x0 : fmin(box[0], x0);
            box[1] = first ? y0 : fmin(box[1], y0);
            box[2] = first ? x1 : fmax(box[2], x1);
            box[3] = first ? y1 : fmax(box[3], y1);
        }
        i += m;
        k++;
    }
    if (err >= 0)
        err = flush_word(ws, t, start, len, box, w, h);
done:
    g_free(r);
    g_free(t);
    return err;
}

int dc_pdf_page_words(
    dc_words **out, size_t *npages, const void *data, size_t len, const char *password)
{
    PopplerDocument *pdf = NULL;
    dc_words *pages = NULL;
    size_t n = 0, i;
    int encrypted = 0;
    int err = open_pdf(&pdf, &encrypted, data, len, password);

    *out = NULL;
    *npages = 0;
    if (err < 0)
        goto done;
    n = (size_t)poppler_document_get_n_pages(pdf);
    pages = calloc(n ? n : 1, sizeof(*pages));
    if (!pages) {
        err = dc_error_oom();
        goto done;
    }
    for (i = 0; i < n && err >= 0; i++) {
        PopplerPage *page = poppler_document_get_page(pdf, (int)i);
        if (!page) {
            err = dc_error_set(DC_ECORRUPT, "page %zu cannot be read", i + 1);
            break;
        }
        err = page_words(&pages[i], page);
        g_object_unref(page);
    }
    if (err >= 0) {
        *out = pages;
        *npages = n;
        pages = NULL;
    }
done:
    for (i = 0; pages && i < n; i++)
        dc_words_dispose(&pages[i]);
    free(pages);
    if (pdf)
        g_object_unref(pdf);
    return err;
}

int dc_pdf_render_gray(
    dc_gray *out, const void *data, size_t len, const char *password, size_t page, int max_side)
{
    PopplerDocument *pdf = NULL;
    PopplerPage *pg = NULL;
    cairo_surface_t *img = NULL;
    double w = 1, h = 1;
    int encrypted = 0, err;

    memset(out, 0, sizeof(*out));
    err = open_pdf(&pdf, &encrypted, data, len, password);
    if (err < 0)
        goto done;
    pg = page < (size_t)poppler_document_get_n_pages(pdf)
             ? poppler_document_get_page(pdf, (int)page)
             : NULL;
    if (!pg) {
        err = dc_error_set(DC_ENOTFOUND, "page %zu cannot be read", page + 1);
        goto done;
    }
    poppler_page_get_size(pg, &w, &h);
    img = render_rgb(pg, w, h, 72.0 * max_side / fmax(1.0, fmax(w, h)));
    if (!img) {
        err = dc_error_set(DC_ELIMIT, "page %zu cannot be rendered", page + 1);
        goto done;
    }
    err = surface_to_gray(out, img);
done:
    cairo_surface_destroy(img);
    if (pg)
        g_object_unref(pg);
    if (pdf)
        g_object_unref(pdf);
    return err;
}
