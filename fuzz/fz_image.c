/*
 * Images (PNG, JPEG, TIFF). Two halves, both cheap:
 *  - the project's header stage through dc_document_extract_mem(): header
 *    reads, page walk of a TIFF, the decoded-image megapixel cap; OCR is
 *    kept out (no language), so the run stops before decoding;
 *  - decoding, with the same Leptonica calls and flags as image.c's
 *    decode()/to_gray() (JPEG with bad data continued, TIFF page by page,
 *    alpha flattened, 8-bit grey), for every page whose header passed a
 *    small cap. image.c keeps these static; see fuzz/README.md.
 */
#include <leptonica/allheaders.h>

#include "docclass/docclass.h"
#include "fuzz.h"

#define DECODE_MAX_PX    (4L << 20) /* pixels of a page decoded here */
#define DECODE_MAX_PAGES 8

static void decode_page(const uint8_t *data, size_t size, int format, int page)
{
    PIX *pix = NULL, *flat = NULL, *gray = NULL, *swapped = NULL;
    l_int32 nwarn = 0;

    if (format == DC_FORMAT_TIFF)
        pix = pixReadMemTiff(data, size, page);
    else if (format == DC_FORMAT_JPEG)
        pix = pixReadMemJpeg(data, size, 0, 1, &nwarn, L_JPEG_CONTINUE_WITH_BAD_DATA);
    else
        pix = pixReadMem(data, size);
    if (!pix)
        return;
    (void)pixGetXRes(pix);
    if (pixGetDepth(pix) == 32 && pixGetSpp(pix) == 4)
        flat = pixAlphaBlendUniform(pix, 0xffffff00);
    gray = pixConvertTo8(flat ? flat : pix, 0);
    if (gray)
        swapped = pixEndianByteSwapNew(gray);
    pixDestroy(&swapped);
    pixDestroy(&gray);
    pixDestroy(&flat);
    pixDestroy(&pix);
}

static int header_size(const uint8_t *data, size_t size, int format, int page, long *px)
{
    l_int32 w = 0, h = 0, bps = 0, spp = 0, res = 0, cmap = 0, fmt = 0;
    int r;

    if (format == DC_FORMAT_TIFF)
        r = readHeaderMemTiff(data, size, page, &w, &h, &bps, &spp, &res, &cmap, &fmt);
    else
        r = page == 0 ? pixReadHeaderMem(data, size, &fmt, &w, &h, &bps, &spp, &cmap) : 1;
    if (r != 0 || w <= 0 || h <= 0)
        return -1;
    *px = (long)w * (long)h;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dc_detection det;
    long px = 0;

    dc_fuzz_init();
    if (dc_detect(&det, data, size) < 0)
        return 0;
    if (det.format != DC_FORMAT_PNG && det.format != DC_FORMAT_JPEG && det.format != DC_FORMAT_TIFF)
        return 0;
    dc_fuzz_extract(data, size, (int)det.format, 0);
    for (int page = 0; page < DECODE_MAX_PAGES; page++) {
        if (header_size(data, size, (int)det.format, page, &px) < 0)
            break;
        if (px <= DECODE_MAX_PX)
            decode_page(data, size, (int)det.format, page);
    }
    return 0;
}
