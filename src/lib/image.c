/*
 * Image stage: PNG, JPEG and TIFF (every page) read from memory with
 * Leptonica. The headers are checked before anything is decoded, so a
 * decompression bomb is refused without allocating its pixels; pages are
 * then decoded one at a time, as the OCR pool asks for them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <leptonica/allheaders.h>

#include "ocr.h"

#define TIFF_MAX_PAGES  2000
#define LOW_DPI         150
#define TEXTRACT_MAX_PX 10000

typedef struct {
    int width, height; /* from the header */
    int dpi;           /* from the decoded image; 0: none in the file */
    int decoded;       /* 1 once render() got pixels */
} page_facts;

typedef struct {
    const l_uint8 *data;
    size_t len;
    int tiff;
    int jpeg;
    size_t npages;
    page_facts *pages;
} source;

/* ------------------------------------------------------------- headers */

static int check_size(const dc_document *doc, size_t npages, size_t i, int w, int h)
{
    double cap = doc->opts.max_image_megapixels > 0 ? doc->opts.max_image_megapixels : 250.0;
    double mp = (double)w * (double)h / 1e6;

    if (w <= 0 || h <= 0)
        return dc_error_set(DC_ECORRUPT, "%s%zu%sthe image header gives no size",
                            npages > 1 ? "page " : "", i + 1, npages > 1 ? ": " : "");
    if (mp <= cap)
        return DC_OK;
    if (npages > 1)
        return dc_error_set(DC_ELIMIT,
                            "page %zu: image is %dx%d (%.1f megapixels), over the %g-megapixel "
                            "limit",
                            i + 1, w, h, mp, cap);
    return dc_error_set(DC_ELIMIT, "image is %dx%d (%.1f megapixels), over the %g-megapixel limit",
                        w, h, mp, cap);
}

static int usable_dpi(int res)
{
    return res >= 10 && res <= 20000;
}

/* PNG pHYs chunk (pixels per metre) -> DPI; 0 when absent. Bounds-checked
 * walk over the chunks before IDAT. */
static int png_header_dpi(const unsigned char *d, size_t len)
{
    size_t off = 8;

    while (off + 12 <= len) {
        unsigned long n = ((unsigned long)d[off] << 24) | ((unsigned long)d[off + 1] << 16) |
                          ((unsigned long)d[off + 2] << 8) | d[off + 3];
        const unsigned char *t = d + off + 4;
        if (memcmp(t, "IDAT", 4) == 0 || n > len - off - 12)
            return 0;
        if (memcmp(t, "pHYs", 4) == 0 && n >= 9 && t[12] == 1) {
            unsigned long ppm = ((unsigned long)t[4] << 24) | ((unsigned long)t[5] << 16) |
                                ((unsigned long)t[6] << 8) | t[7];
            return (int)(ppm * 0.0254 + 0.5);
        }
        off += 12 + n;
    }
    return 0;
}

/* JPEG JFIF APP0 density -> DPI; 0 when absent or without units. */
static int jpeg_header_dpi(const unsigned char *d, size_t len)
{
    if (len < 18 || d[2] != 0xFF || d[3] != 0xE0 || memcmp(d + 6, "JFIF", 5) != 0)
        return 0;
    if (d[13] == 1)
        return (d[14] << 8) | d[15];
    if (d[13] == 2)
        return (int)(((d[14] << 8) | d[15]) * 2.54 + 0.5);
    return 0;
}

/* TIFF: walk the directories (headers only) to count the pages. */
static int tiff_headers(source *s, page_facts **out)
{
    page_facts *p = NULL, *np;
    size_t n = 0, cap = 0;
    int w, h, bps, spp, res, cmap, fmt;

    while (readHeaderMemTiff(s->data, s->len, (l_int32)n, &w, &h, &bps, &spp, &res, &cmap, &fmt) ==
           0) {
        if (n == TIFF_MAX_PAGES) {
            free(p);
            return dc_error_set(DC_ELIMIT, "TIFF has more than %d pages", TIFF_MAX_PAGES);
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 4;
            np = realloc(p, cap * sizeof(*p));
            if (!np) {
                free(p);
                return dc_error_oom();
            }
            p = np;
        }
        p[n++] = (page_facts){w, h, usable_dpi(res) ? res : 0, 0};
    }
    if (n == 0)
        return dc_error_set(DC_ECORRUPT, "the TIFF header cannot be read (damaged file)");
    *out = p;
    s->npages = n;
    return DC_OK;
}

static int single_header(source *s, page_facts **out)
{
    int fmt = 0, w = 0, h = 0, bps = 0, spp = 0, cmap = 0;

    if (pixReadHeaderMem(s->data, s->len, &fmt, &w, &h, &bps, &spp, &cmap) != 0)
        return dc_error_set(DC_ECORRUPT, "the image header cannot be read (damaged file)");
    *out = calloc(1, sizeof(**out));
    if (!*out)
        return dc_error_oom();
    (*out)[0].width = w;
    (*out)[0].height = h;
    (*out)[0].dpi = s->jpeg ? jpeg_header_dpi(s->data, s->len) : png_header_dpi(s->data, s->len);
    if (!usable_dpi((*out)[0].dpi))
        (*out)[0].dpi = 0;
    s->npages = 1;
    return DC_OK;
}

/* Read every page's size from the headers and refuse the document when one
 * is over the decoded-image cap, before any pixel is decoded. */
static int read_headers(const dc_document *doc, source *s)
{
    size_t i;
    int err = s->tiff ? tiff_headers(s, &s->pages) : single_header(s, &s->pages);

    for (i = 0; err >= 0 && i < s->npages; i++)
        err = check_size(doc, s->npages, i, s->pages[i].width, s->pages[i].height);
    return err;
}

/* ------------------------------------------------------------- decoding */

/* Any Leptonica image to 8-bit grey, transparency flattened onto white. */
static PIX *to_gray(PIX *pix)
{
    PIX *flat = NULL, *gray;

    if (pixGetDepth(pix) == 32 && pixGetSpp(pix) == 4)
        flat = pixAlphaBlendUniform(pix, 0xffffff00);
    gray = pixConvertTo8(flat ? flat : pix, 0);
    pixDestroy(&flat);
    return gray;
}

static int pix_to_gray(dc_gray *out, PIX *gray, int dpi)
{
    PIX *swapped = pixEndianByteSwapNew(gray);
    int w = pixGetWidth(gray), h = pixGetHeight(gray), y;
    l_uint32 *data;
    int wpl;

    if (!swapped)
        return dc_error_oom();
    out->px = malloc((size_t)w * (size_t)h);
    if (!out->px) {
        pixDestroy(&swapped);
        return dc_error_oom();
    }
    data = pixGetData(swapped);
    wpl = pixGetWpl(swapped);
    for (y = 0; y < h; y++)
        memcpy(out->px + (size_t)y * (size_t)w, data + (size_t)y * (size_t)wpl, (size_t)w);
    out->width = w;
    out->height = h;
    out->stride = w;
    out->dpi = dpi;
    pixDestroy(&swapped);
    return DC_OK;
}

/* JPEG with corrupt-data warnings is decoded anyway (what is readable is
 * read, as Textract would); TIFF pages one at a time. */
static PIX *decode(const source *s, size_t i)
{
    l_int32 nwarn = 0;

    if (s->tiff)
        return pixReadMemTiff(s->data, s->len, (l_int32)i);
    if (s->jpeg)
        return pixReadMemJpeg(s->data, s->len, 0, 1, &nwarn, L_JPEG_CONTINUE_WITH_BAD_DATA);
    return pixReadMem(s->data, s->len);
}

/* The decoded size must be the header's, possibly turned by a TIFF
 * Orientation tag (Leptonica applies it). */
static int same_size(PIX *pix, const page_facts *f)
{
    int w = pixGetWidth(pix), h = pixGetHeight(pix);
    return (w == f->width && h == f->height) || (w == f->height && h == f->width);
}

/* dc_render_fn: decode page i (called in page order from the OCR caller's
 * thread) and hand it over as grey pixels. */
static int render_page(void *payload, size_t i, dc_gray *out)
{
    source *s = payload;
    page_facts *f = &s->pages[i];
    PIX *pix = decode(s, i);
    PIX *gray = NULL;
    int err;

    if (!pix)
        return dc_error_set(
            DC_ECORRUPT,
            "the image data cannot be decoded (damaged, or a layout Leptonica does not read)");
    if (!same_size(pix, f)) {
        err = dc_error_set(DC_ECORRUPT, "the decoded image is %dx%d, its header said %dx%d",
                           pixGetWidth(pix), pixGetHeight(pix), f->width, f->height);
        goto done;
    }
    if (usable_dpi(pixGetXRes(pix)))
        f->dpi = pixGetXRes(pix);
    gray = to_gray(pix);
    if (!gray) {
        err = dc_error_set(DC_ECORRUPT, "the image (%d bits per pixel) cannot be made grey",
                           pixGetDepth(pix));
        goto done;
    }
    err = pix_to_gray(out, gray, f->dpi); /* 0: the OCR stage judges it from the text */
    if (err >= 0)
        f->decoded = 1;
done:
    pixDestroy(&gray);
    pixDestroy(&pix);
    return err;
}

/* ------------------------------------------------------------- pages */

/* Warnings and errors known from the picture itself. */
static int page_notes(dc_document *doc, int page, const page_facts *f)
{
    int err = DC_OK;

    if (f->width > TEXTRACT_MAX_PX || f->height > TEXTRACT_MAX_PX)
        err = dc_doc_error(doc, page, "TEXTRACT_BAD_PAGE",
                           "the image is %dx%d pixels; Textract accepts at most %d pixels a side",
                           f->width, f->height, TEXTRACT_MAX_PX);
    if (err >= 0 && (f->decoded || doc->analyze_only) && !f->dpi)
        err = dc_doc_warn(doc, page, "DOCCLASS_DPI_ASSUMED",
                          "the image has no resolution in its metadata; OCR judges it from the "
                          "height of the text");
    if (err >= 0 && f->dpi && f->dpi < LOW_DPI)
        err = dc_doc_warn(doc, page, "DOCCLASS_LOW_RESOLUTION",
                          "the image is %d DPI; the service recommends at least %d DPI for text "
                          "recognition",
                          f->dpi, LOW_DPI);
    return err;
}

static int page_add(dc_document *doc, size_t i, dc_ocr_result *r, const page_facts *f)
{
    json_t *info = NULL;
    int page = (int)i + 1, err;

    err = page_notes(doc, page, f);
    if (err >= 0 && r->err < 0)
        err =
            dc_doc_error(doc, page, f->decoded ? r->errcode : "TEXTRACT_BAD_PAGE", "%s", r->errmsg);
    if (err >= 0)
        err = dc_ocr_emit_warnings(doc, page, r);
    if (err >= 0 && r->err >= 0) {
        err = dc_ocr_page_info(&info, r);
        if (err >= 0 && !f->dpi)
            err = json_object_set_new(json_object_get(info, "ocr"), "dpi_assumed", json_true()) < 0
                      ? dc_error_oom()
                      : DC_OK;
    }
    if (err < 0) {
        json_decref(info);
        return err;
    }
    err = dc_doc_add_page(doc, r->text, r->len, DC_EXTRACTOR_OCR, DC_DOCTYPE_IMAGE, info,
                          "images are always read by Textract (OCR)");
    r->text = NULL;
    if (err >= 0) {
        size_t at = (size_t)err;
        dc_doc_page_take_words(doc, at, &r->words);
        err = dc_doc_page_set_route(doc, at, NULL, NULL, 0, 0, r->width, r->height);
    }
    return err < 0 ? err : DC_OK;
}

/* A single picture that cannot be decoded is a damaged document; a bad
 * page of a multi-page TIFF is a page error and the other pages go on. */
static int add_pages(dc_document *doc, source *s, dc_ocr_result *res)
{
    size_t i;
    int err = DC_OK;

    if (s->npages == 1 && res[0].err < 0 && !s->pages[0].decoded)
        return dc_error_set(res[0].err == DC_ENOMEM ? DC_ENOMEM : DC_ECORRUPT, "%s", res[0].errmsg);
    for (i = 0; i < s->npages && err >= 0; i++)
        err = page_add(doc, i, &res[i], &s->pages[i]);
    if (err >= 0)
        err = dc_doc_info_set(doc, "image",
                              json_pack("{s:s,s:I}", "format", dc_format_name(doc->det.format),
                                        "pages", (json_int_t)s->npages));
    return err;
}

/* scan: pages from the headers alone, nothing decoded, nothing OCRed. */
static int add_header_pages(dc_document *doc, const source *s)
{
    size_t i;
    int err = DC_OK;

    for (i = 0; i < s->npages && err >= 0; i++) {
        const page_facts *f = &s->pages[i];
        json_t *info = json_pack("{s:{s:i,s:i,s:o}}", "image", "width", f->width, "height",
                                 f->height, "dpi", f->dpi ? json_integer(f->dpi) : json_null());
        err = page_notes(doc, (int)i + 1, f);
        if (err >= 0)
            err = dc_doc_add_page(doc, NULL, 0, DC_EXTRACTOR_OCR, DC_DOCTYPE_IMAGE, info,
                                  "images are always read by Textract (not OCRed in scan)");
        else
            json_decref(info);
        if (err >= 0)
            err = dc_doc_page_set_route(doc, (size_t)err, NULL, NULL, 0, 0, f->width, f->height);
    }
    if (err >= 0)
        err = dc_doc_info_set(doc, "image",
                              json_pack("{s:s,s:I}", "format", dc_format_name(doc->det.format),
                                        "pages", (json_int_t)s->npages));
    return err < 0 ? err : DC_OK;
}

int dc_image_extract(dc_document *doc, const void *data, size_t len)
{
    source s = {data, len, doc->det.format == DC_FORMAT_TIFF, doc->det.format == DC_FORMAT_JPEG,
                0,    NULL};
    dc_ocr_result *res = NULL;
    dc_ocr_options o;
    size_t i;
    int err;

    dc_ocr_process_init();
    err = read_headers(doc, &s);
    if (err < 0)
        goto done;
    if (doc->analyze_only) {
        err = add_header_pages(doc, &s);
        goto done;
    }
    res = calloc(s.npages ? s.npages : 1, sizeof(*res));
    if (!res) {
        err = dc_error_oom();
        goto done;
    }
    dc_ocr_options_from(&o, doc);
    err = dc_ocr_pages(res, s.npages, render_page, &s, &o);
    if (err < 0)
        goto done;
    err = add_pages(doc, &s, res);
done:
    for (i = 0; res && i < s.npages; i++)
        dc_ocr_result_dispose(&res[i]);
    free(res);
    free(s.pages);
    return err;
}

/* ================================================================ page images for reports
 * For docclass diff --html / --png (pageimage.h): added after the stage was
 * finished; nothing above uses it and it changes nothing above. */

#include "pageimage.h"

int dc_image_render_gray(dc_gray *out, const void *data, size_t len, size_t page, int max_side)
{
    const l_uint8 *d = data;
    int tiff = len >= 4 && ((d[0] == 'I' && d[1] == 'I') || (d[0] == 'M' && d[1] == 'M'));
    PIX *pix = NULL, *gray = NULL, *small = NULL;
    int err = DC_OK;
    double k;

    memset(out, 0, sizeof(*out));
    if (!tiff && page > 0)
        return dc_error_set(DC_ENOTFOUND, "page %zu cannot be read", page + 1);
    dc_ocr_process_init();
    pix = tiff ? pixReadMemTiff(d, len, (l_int32)page) : pixReadMem(d, len);
    gray = pix ? to_gray(pix) : NULL;
    if (!gray) {
        err = dc_error_set(DC_ECORRUPT, "page %zu cannot be decoded", page + 1);
        goto done;
    }
    k = (double)max_side / (double)L_MAX(pixGetWidth(gray), pixGetHeight(gray));
    small = k < 1.0 ? pixScale(gray, (l_float32)k, (l_float32)k) : pixClone(gray);
    if (!small || pixGetDepth(small) != 8) {
        err = dc_error_set(DC_ENOMEM, "page %zu cannot be scaled", page + 1);
        goto done;
    }
    err = pix_to_gray(out, small, 0);
done:
    pixDestroy(&small);
    pixDestroy(&gray);
    pixDestroy(&pix);
    return err;
}

int dc_png_encode_rgb(unsigned char **out, size_t *out_len, const unsigned char *rgb, int w, int h)
{
    PIX *pix = pixCreate(w, h, 32);
    l_uint8 *png = NULL;
    size_t n = 0;
    int x, y, err = DC_OK;

    *out = NULL;
    *out_len = 0;
    if (!pix)
        return dc_error_oom();
    for (y = 0; y < h; y++) {
        l_uint32 *line = pixGetData(pix) + (size_t)y * (size_t)pixGetWpl(pix);
        for (x = 0; x < w; x++) {
            const unsigned char *p = rgb + ((size_t)y * (size_t)w + (size_t)x) * 3;
            composeRGBPixel(p[0], p[1], p[2], line + x);
        }
    }
    if (pixWriteMemPng(&png, &n, pix, 0.0) != 0 || !png) {
        err = dc_error_set(DC_ENOMEM, "cannot encode a %dx%d PNG", w, h);
        goto done;
    }
    *out = malloc(n);
    if (!*out) {
        err = dc_error_oom();
        goto done;
    }
    memcpy(*out, png, n);
    *out_len = n;
done:
    lept_free(png);
    pixDestroy(&pix);
    return err;
}
