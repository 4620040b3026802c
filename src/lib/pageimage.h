/*
 * Page images for docclass diff's report (report.c): pages rendered as
 * grey pixels by the stage that reads their format, and a PNG encoder.
 * Internal; never installed.
 */
#ifndef DC_PAGEIMAGE_H
#define DC_PAGEIMAGE_H

#include <stddef.h>

#include "ocr.h"

/* Render page i of a PDF (pdf.c) or an image file (image.c) as grey pixels
 * whose longer side is at most max_side. */
int dc_pdf_render_gray(
    dc_gray *out, const void *data, size_t len, const char *password, size_t page, int max_side);
int dc_image_render_gray(dc_gray *out, const void *data, size_t len, size_t page, int max_side);
/* Encode 8-bit RGB pixels (3 bytes a pixel, rows packed) as PNG (image.c,
 * Leptonica). *out is malloc'd. */
int dc_png_encode_rgb(unsigned char **out, size_t *out_len, const unsigned char *rgb, int w, int h);

#endif
