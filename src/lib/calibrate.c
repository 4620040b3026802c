/*
 * docclass calibrate: how many seconds of OCR a megapixel costs on this
 * machine, for scan's time forecast. A page of ordinary text (a one-page
 * PDF written here, 10 pt Times) is rendered by Poppler at 300 DPI (A4,
 * 8.7 megapixels), the way PDF pages reach OCR, and recognised by one
 * engine on one thread, the way the worker pool runs each page.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ocr.h"
#include "pdfcore.h"

#define CAL_DPI   300
#define CAL_LINES 55
#define CAL_WORDS 10

static const char *const words[] = {
    "invoice", "customer", "account",  "payment",  "delivery", "contract", "period",
    "total",   "amount",   "balance",  "received", "service",  "document", "reference",
    "number",  "date",     "quantity", "address",  "product",  "terms",    "agreement",
};

/* The calibration page's content stream: 55 lines of 10 words. */
static int page_content(dc_buf *b, unsigned seed)
{
    int err = dc_buf_puts(b, "BT /F1 10 Tf 13.7 TL 48 782 Td\n");

    for (int line = 0; line < CAL_LINES && err >= 0; line++) {
        err = dc_buf_putc(b, '(');
        for (int k = 0; k < CAL_WORDS && err >= 0; k++) {
            seed = seed * 1103515245u + 12345u;
            err = dc_buf_printf(b, "%s ", words[(seed >> 16) % (sizeof(words) / sizeof(words[0]))]);
        }
        if (err >= 0)
            err = dc_buf_puts(b, ") Tj T*\n");
    }
    return err < 0 ? err : dc_buf_puts(b, "ET\n");
}

/* Objects 1-5 of the calibration PDF; 4 is the content stream. */
static const char *const objs[] = {
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    /* one object in two literals, not a missing comma */
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.276 841.89] /Resources << /Font " /* NOLINT */
    "<< /F1 5 0 R >> >> /Contents 4 0 R >>",
    NULL,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding /WinAnsiEncoding >>",
};

/* A one-page A4 PDF with that page, xref table and all, into *pdf. */
static int calibration_pdf(dc_buf *pdf, unsigned seed)
{
    dc_buf content = DC_BUF_INIT;
    size_t off[6];
    int err, k;

    dc_buf_init(&content, 1 << 20);
    err = page_content(&content, seed);
    if (err >= 0)
        err = dc_buf_puts(pdf, "%PDF-1.4\n");
    for (k = 0; k < 5 && err >= 0; k++) {
        off[k] = pdf->len;
        if (objs[k])
            err = dc_buf_printf(pdf, "%d 0 obj\n%s\nendobj\n", k + 1, objs[k]);
        else
            err = dc_buf_printf(pdf, "%d 0 obj\n<< /Length %zu >>\nstream\n%s\nendstream\nendobj\n",
                                k + 1, content.len, content.ptr ? content.ptr : "");
    }
    off[5] = pdf->len;
    if (err >= 0)
        err = dc_buf_puts(pdf, "xref\n0 6\n0000000000 65535 f \n");
    for (k = 0; k < 5 && err >= 0; k++)
        err = dc_buf_printf(pdf, "%010zu 00000 n \n", off[k]);
    if (err >= 0)
        err = dc_buf_printf(pdf, "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
                            off[5]);
    dc_buf_dispose(&content);
    return err;
}

/* dc_render_fn: calibration page i, rendered as PDF pages are for OCR. */
static int render(void *payload, size_t i, dc_gray *out)
{
    dc_buf pdf = DC_BUF_INIT;
    dc_pdfcore *doc = NULL;
    int encrypted = 0, err;

    (void)payload;
    memset(out, 0, sizeof(*out));
    dc_buf_init(&pdf, 1 << 20);
    err = calibration_pdf(&pdf, 7u + (unsigned)i);
    if (err >= 0)
        err = dc_pdfcore_open(&doc, &encrypted, pdf.ptr, pdf.len, NULL);
    if (err >= 0)
        err = dc_pdfcore_render(doc, 0, CAL_DPI, &out->px, &out->width, &out->height);
    out->stride = out->width;
    out->dpi = CAL_DPI;
    dc_pdfcore_close(doc);
    dc_buf_dispose(&pdf);
    return err;
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
    /* A4 at 300 DPI, as Splash sizes it */
    *seconds_per_mp =
        secs / ((double)n * ceil(595.276 * CAL_DPI / 72) * ceil(841.89 * CAL_DPI / 72) / 1e6);
    return DC_OK;
}
