/*
 * Poppler's core (the C++ library pdftotext and pdftoppm are built on),
 * behind a C interface: pdfcore.cc is the only file that includes poppler.
 *
 * One content-stream pass per page gives both the page's text, exactly as
 * pdftotext prints it (TextOutputDev in reading order), and the signals the
 * router needs: characters drawn, which of them are invisible (text render
 * mode 3 or 7), which have no Unicode mapping, the area their boxes cover,
 * and every image drawn with its placement and its pixel size. Pages are
 * rendered with Splash straight into 8-bit grey, as pdftoppm -gray does.
 *
 * Not thread-safe per document: one thread uses a dc_pdfcore at a time.
 */
#ifndef DC_PDFCORE_H
#define DC_PDFCORE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dc_pdfcore dc_pdfcore;

/* A word of the page: its text (UTF-8, not NUL-terminated) and its box as
 * fractions of the page as rendered (the crop box, origin top left). */
typedef struct {
    const char *text;
    size_t len;
    double box[4]; /* x0, y0, x1, y1 */
} dc_pdfcore_word;

/* What one pass over a page saw. Areas are in square points, shares of
 * the page are left to the caller (width x height). */
typedef struct {
    double width, height;  /* crop box, points, page rotation applied */
    double pass_w, pass_h; /* the page box of the text pass (media box) */
    size_t chars;          /* non-space characters drawn on the page */
    size_t invisible;      /* of those, drawn in render mode 3 or 7 */
    size_t unmapped;       /* decoding to U+FFFD, a control or private use */
    size_t nomap;          /* glyphs drawn with no Unicode mapping at all */
    double text_area;      /* character boxes, clipped to the page */
    int images;            /* images drawn (XObjects, inline images, masks) */
    double image_max_area; /* the largest image's placement, clipped */
    double image_total_area;
    int px_w, px_h; /* its size in pixels */
    double dpi;     /* its effective resolution (the lower axis) */
    char *text;     /* the page's text as pdftotext prints it (malloc'd,
                       NUL-terminated, "" when none) when asked for, else NULL */
    size_t len;
    /* the page's words when asked for, in poppler's reading order: owned
     * by the handle, valid until its next pass or its close */
    const dc_pdfcore_word *words;
    size_t nwords;
    size_t word_bytes; /* their texts' lengths, summed */
} dc_pdfcore_page;

/* Open a PDF held in memory (data must outlive the handle). A document that
 * needs a password gives DC_EPASSWORD unless the right one is given;
 * *encrypted tells whether one was needed. Damaged: DC_ECORRUPT. */
int dc_pdfcore_open(
    dc_pdfcore **out, int *encrypted, const void *data, size_t len, const char *password);
void dc_pdfcore_close(dc_pdfcore *pdf);
size_t dc_pdfcore_npages(const dc_pdfcore *pdf);
/* Crop box of page i (0-based), points, rotation applied. */
void dc_pdfcore_page_size(const dc_pdfcore *pdf, size_t i, double *w, double *h);

/* The pass pdftotext makes over page i (0-based): the router's signals
 * into out, the text when want_text (at most max_text bytes, else
 * DC_ELIMIT), the words when want_words. Release with
 * dc_pdfcore_page_dispose. */
int dc_pdfcore_analyze(dc_pdfcore *pdf,
                       size_t i,
                       int want_text,
                       size_t max_text,
                       int want_words,
                       dc_pdfcore_page *out);
void dc_pdfcore_page_dispose(dc_pdfcore_page *p);

/* Render page i at dpi onto white as 8-bit grey: *px (malloc'd, rows of
 * *w bytes, 0 = black). DC_ELIMIT when the bitmap cannot be made. */
int dc_pdfcore_render(dc_pdfcore *pdf, size_t i, double dpi, unsigned char **px, int *w, int *h);

/* The words of page i in reading order, each with its box as fractions of
 * the page (x0, y0, x1, y1; origin top left). fn returning < 0 stops. */

#ifdef __cplusplus
}
#endif

#endif
