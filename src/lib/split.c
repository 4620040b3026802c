/*
 * Split stage: one page of a multi-page document as a document of its own,
 * for one ClassifyDocument request per page. PDF pages through libqpdf's C
 * API (the page's content streams, fonts, images and any invisible OCR text
 * layer stay byte for byte what they were; a cairo re-render would drop
 * that layer), TIFF pages through Leptonica (lossless re-encoding).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <leptonica/allheaders.h>
#include <qpdf/qpdf-c.h>

#include "send_int.h"

/* ---------------------------------------------------------------- PDF */

static int qpdf_fail(qpdf_data q, const char *what)
{
    qpdf_error e = qpdf_has_error(q) ? qpdf_get_error(q) : NULL;
    const char *detail = e ? qpdf_get_error_message_detail(q, e) : NULL;

    return dc_error_set(DC_ECORRUPT, "PDF: %s%s%s", what, detail ? ": " : "", detail ? detail : "");
}

static int open_pdf(qpdf_data *out, const void *data, size_t len, const char *password)
{
    qpdf_data q = NULL;

    *out = NULL;
    q = qpdf_init();
    if (!q)
        return dc_error_oom();
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    if (qpdf_read_memory(q, "document", (const char *)data, (unsigned long long)len, password) &
        QPDF_ERRORS) {
        int err = qpdf_fail(q, "cannot read");
        qpdf_cleanup(&q);
        return err;
    }
    *out = q;
    return DC_OK;
}

int dc_split__pdf_count(size_t *n, const void *data, size_t len, const char *password)
{
    qpdf_data q = NULL;
    int pages;
    int err = open_pdf(&q, data, len, password);

    if (err < 0)
        return err;
    pages = qpdf_get_num_pages(q);
    if (pages < 0)
        err = qpdf_fail(q, "cannot count pages");
    else
        *n = (size_t)pages;
    qpdf_cleanup(&q);
    return err;
}

/* Remove every page but @p index, last first so the indexes stay valid. */
static int keep_one(qpdf_data q, size_t index)
{
    int pages = qpdf_get_num_pages(q);
    int i;

    if (pages < 0)
        return qpdf_fail(q, "cannot count pages");
    if (index >= (size_t)pages)
        return dc_error_set(DC_EINVAL, "page %zu does not exist (the PDF has %d)", index + 1,
                            pages);
    for (i = pages - 1; i >= 0; i--) {
        if ((size_t)i == index)
            continue;
        if (qpdf_remove_page(q, qpdf_get_page_n(q, (size_t)i)) & QPDF_ERRORS)
            return qpdf_fail(q, "cannot remove a page");
    }
    return DC_OK;
}

int dc_split__pdf_page(
    char **out, size_t *len_out, const void *data, size_t len, size_t index, const char *password)
{
    qpdf_data q = NULL;
    const unsigned char *buf;
    size_t n;
    int err;

    *out = NULL;
    err = open_pdf(&q, data, len, password);
    if (err < 0)
        return err;
    err = keep_one(q, index);
    if (err >= 0 && (qpdf_init_write_memory(q) & QPDF_ERRORS))
        err = qpdf_fail(q, "cannot start writing");
    if (err >= 0)
        qpdf_set_deterministic_ID(q, QPDF_TRUE); /* same page, same bytes: stable requests */
    if (err >= 0 && (qpdf_write(q) & QPDF_ERRORS))
        err = qpdf_fail(q, "cannot write the page");
    if (err >= 0) {
        buf = qpdf_get_buffer(q);
        n = qpdf_get_buffer_length(q);
        *out = buf ? malloc(n ? n : 1) : NULL;
        if (!*out)
            err = dc_error_oom();
        else
            memcpy(*out, buf, n);
        *len_out = n;
    }
    qpdf_cleanup(&q);
    return err;
}

/* ---------------------------------------------------------------- TIFF */

int dc_split__tiff_count(size_t *n, const void *data, size_t len)
{
    PIXA *pixa = pixaReadMemMultipageTiff((const l_uint8 *)data, len);

    if (!pixa)
        return dc_error_set(DC_ECORRUPT, "TIFF: cannot read the pages");
    *n = (size_t)pixaGetCount(pixa);
    pixaDestroy(&pixa);
    return DC_OK;
}

int dc_split__tiff_page(char **out, size_t *len_out, const void *data, size_t len, size_t index)
{
    PIX *pix = pixReadMemTiff((const l_uint8 *)data, len, (l_int32)index);
    l_uint8 *enc = NULL;
    size_t n = 0;
    int err = DC_OK;

    *out = NULL;
    if (!pix)
        return dc_error_set(DC_ECORRUPT, "TIFF: cannot read page %zu", index + 1);
    /* G4 for bilevel pages, deflate otherwise: lossless either way */
    if (pixWriteMemTiff(&enc, &n, pix, pixGetDepth(pix) == 1 ? IFF_TIFF_G4 : IFF_TIFF_ZIP) != 0 ||
        !enc) {
        err = dc_error_set(DC_ECORRUPT, "TIFF: cannot write page %zu", index + 1);
        goto done;
    }
    *out = malloc(n ? n : 1);
    if (!*out) {
        err = dc_error_oom();
        goto done;
    }
    memcpy(*out, enc, n);
    *len_out = n;
done:
    lept_free(enc);
    pixDestroy(&pix);
    return err;
}
