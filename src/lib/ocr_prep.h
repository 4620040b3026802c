/*
 * Page preparation for OCR (ocr_prep.c, Leptonica only): measure a grey
 * page image, decide which corrections it needs (dc_prep_plan, pure), and
 * apply them. Every step runs only where the measurement asks for it, and
 * the page's "ocr" record says which ran (docs/ocr.md, "Preparation").
 */
#ifndef DC_OCR_PREP_H
#define DC_OCR_PREP_H

#include <stddef.h>

struct Pix;

/* Character height the page is brought to when its text is too small or
 * too large, in pixels (about 10 pt text at 290 DPI); heights inside
 * [DC_PREP_SMALL_PX, DC_PREP_LARGE_PX] are left alone (10-12 pt at 300
 * DPI measure 28-34). Downscaling makes Tesseract's layout analysis and
 * thresholding, which cost in proportion to the pixels, cheaper too. */
#define DC_PREP_TARGET_PX 28.0
#define DC_PREP_SMALL_PX  22.0
#define DC_PREP_LARGE_PX  36.0
/* Bounds on the factor and on the prepared image (megapixels). */
#define DC_PREP_MAX_UP 4.0
#define DC_PREP_MAX_MP 30.0

/* What the measurement found on the page image as given. */
typedef struct {
    int width, height; /* pixels */
    int dpi;           /* resolution given with the image; 0: none */
    double text_px;    /* median height of text-like components; 0: none found */
    double small_px;   /* their tenth percentile: the page's smaller print */
    int text_items;    /* how many components that median is taken over */
    double bg_spread;  /* lightest minus darkest background tile, 0-255 */
} dc_prep_facts;

/* Steps, as bits of dc_prep_plan.steps (names by dc_prep_step_name). */
enum {
    DC_PREP_UPSCALE = 1 << 0,    /* text too small for the recogniser */
    DC_PREP_DOWNSCALE = 1 << 1,  /* text far larger than needed (600 DPI scans) */
    DC_PREP_BACKGROUND = 1 << 2, /* uneven lighting flattened (second reading) */
    DC_PREP_RULES = 1 << 3,      /* long thin table rules erased */
    DC_PREP_SMOOTH = 1 << 4,     /* dots smoothed into strokes (second reading) */
};
#define DC_PREP_NSTEPS 5

typedef struct {
    unsigned steps;    /* DC_PREP_* to apply (RULES only where rules are found) */
    unsigned retry;    /* DC_PREP_* for a second reading of a page that reads poorly */
    double scale;      /* factor for UPSCALE/DOWNSCALE, 1 otherwise */
    int dpi;           /* resolution to give the recogniser for the prepared image */
    int dpi_from_text; /* 1 when dpi was judged from the text, not the file */
} dc_prep_plan;

/* Background spread above which a page is flattened (grey levels). */
#define DC_PREP_BG_SPREAD 60.0

/* Measure a grey (8 bpp) page. Returns 0, or < 0 when Leptonica failed
 * (out of memory); a page without text gives text_px 0. */
int dc_prep_measure(struct Pix *gray, int dpi, dc_prep_facts *out);

/* Decide from the facts alone (no image): pure, tested by a table. */
void dc_prep_plan_for(const dc_prep_facts *f, dc_prep_plan *out);

/* Apply the plan's scale and background steps: *pix is replaced. Returns
 * the steps that ran, or < 0 on failure (the page is left as it was). */
int dc_prep_apply(struct Pix **pix, const dc_prep_plan *p);

/* Erase long thin rules (table borders, underlines longer than about
 * four characters) from a prepared grey page whose characters are about
 * text_px high. Returns 1 when some were erased, 0 when none were found,
 * < 0 on failure. */
int dc_prep_erase_rules(struct Pix **pix, double text_px);

/* The second reading's image: background flattened (DC_PREP_BACKGROUND,
 * Leptonica's background normalisation) and dots smoothed into strokes
 * (DC_PREP_SMOOTH: a Gaussian blur with a sigma of a sixteenth of the text
 * height text_px, which fills the gaps between the dots of dot-matrix
 * print and evens out JPEG noise and faint thermal print). Returns a new
 * image (a clone when steps is 0) or NULL. */
struct Pix *dc_prep_enhance(struct Pix *pix, unsigned steps, double text_px);

/* Text-like components of a prepared page (boxes l, t, r, b, 4 ints each,
 * malloc'd), to check what the recogniser's layout left out. */
int dc_prep_text_boxes(struct Pix *pix, int **boxes, size_t *n);

const char *dc_prep_step_name(unsigned step);

#endif
