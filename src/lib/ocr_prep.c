/*
 * Page preparation for OCR: measure the text on a grey page with
 * Leptonica's connected components, then scale it to a size the LSTM
 * reads well, flatten uneven lighting, erase table rules and, for a second
 * reading, smooth dot-matrix dots into strokes. Only Leptonica; no Tesseract here.
 *
 * Measuring the text rather than trusting the file's resolution is the
 * point: a phone photo says 72 DPI, a receipt scanned at 600 DPI has
 * 70-pixel characters, and the recogniser cares about neither number, only
 * about how many pixels a character has.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <leptonica/allheaders.h>

#include "ocr_prep.h"

#define MEASURE_MAX_PX 6000000 /* above this the page is measured at half size */
#define MIN_ITEM_PX    4       /* components lower than this are noise */
#define MIN_ITEMS      8       /* fewer text-like components: no measurement */
#define DOT_JOIN       3       /* closing that joins dot-matrix dots into strokes */
#define SMOOTH_PER_PX  0.0625  /* second reading's Gaussian: sigma a 16th of the text height */
#define INK_QUANTILE   0.002   /* darkest share of pixels taken as the ink level */
#define BG_LEVEL       200     /* Leptonica's background normalisation level */
#define BG_TILE        64      /* tile of the background map, pixels */
#define TEXT_PER_INCH  10.3    /* cap-height pixels per inch of 10 pt text: 1 / 0.097 in */
#define RULE_CHARS     3.5     /* a rule is longer than this many character heights */
#define RULE_THICK     0.25    /* ... and thinner than this share of one; */
#define RULE_VCHARS    6.0     /* a lone vertical bar is a rule from this long */
#define RULE_GRID      4.0     /* a table frame is larger than this both ways */
#define RULES_HALF_PX  3000000 /* rules are looked for at half size above this */
#define SCALE_ITEMS    50      /* text-like components that justify scaling a page up... */
#define SCALE_DENSITY  100.0   /* ... or this many of them per megapixel */

/* ------------------------------------------------------------- measure */

typedef struct {
    int x, y, w, h;
} cbox;

static int cbox_cmp_x(const void *a, const void *b)
{
    const cbox *p = a, *q = b;
    return (p->x > q->x) - (p->x < q->x);
}

static int int_cmp(const void *a, const void *b)
{
    int p = *(const int *)a, q = *(const int *)b;
    return (p > q) - (p < q);
}

/* Two components look like neighbours on one text line: similar heights,
 * overlapping vertically by half the smaller one, close horizontally. */
static int line_neighbours(const cbox *a, const cbox *b)
{
    int top = a->y > b->y ? a->y : b->y;
    int bot = a->y + a->h < b->y + b->h ? a->y + a->h : b->y + b->h;
    int lo = a->h < b->h ? a->h : b->h;
    int gap = b->x > a->x + a->w ? b->x - (a->x + a->w) : a->x - (b->x + b->w);

    return bot - top >= lo / 2 && 2 * b->h >= a->h && 2 * a->h >= b->h &&
           gap <= 2 * (a->h > b->h ? a->h : b->h);
}

/* Candidate components of a binary page: not noise, not a rule, not a
 * picture; sorted by left edge. */
static cbox *candidates(PIX *bin, size_t *n_out)
{
    BOXA *ba = pixConnCompBB(bin, 8);
    int n = ba ? boxaGetCount(ba) : 0, i, H = pixGetHeight(bin);
    cbox *v = n > 0 ? malloc((size_t)n * sizeof(*v)) : NULL;
    size_t k = 0;

    for (i = 0; v && i < n; i++) {
        cbox c;
        if (boxaGetBoxGeometry(ba, i, &c.x, &c.y, &c.w, &c.h) != 0)
            continue;
        /* not noise; not a picture or a rule; a short dash is not a letter */
        if (c.h < MIN_ITEM_PX || c.h > H / 8 || c.w > 8 * c.h || (c.w > 2 * c.h && c.h < 8))
            continue;
        v[k++] = c;
    }
    boxaDestroy(&ba);
    if (v)
        qsort(v, k, sizeof(*v), cbox_cmp_x);
    *n_out = k;
    return v;
}

/* Keep the candidates that have a neighbour on their line: letters have,
 * specks of dust and paper texture mostly do not. v sorted by x. */
static size_t keep_texty(cbox *v, size_t n)
{
    size_t i, j, k = 0;
    char *ok = calloc(n ? n : 1, 1);

    if (!ok)
        return 0;
    for (i = 0; i < n; i++) {
        for (j = i + 1; j < n && v[j].x <= v[i].x + v[i].w + 2 * v[i].h; j++) {
            if (line_neighbours(&v[i], &v[j]))
                ok[i] = ok[j] = 1;
        }
    }
    for (i = 0; i < n; i++)
        if (ok[i])
            v[k++] = v[i];
    free(ok);
    return k;
}

/* Binary page with the threshold halfway between paper and ink, after the
 * background is brought to BG_LEVEL: faint paper texture stays white. */
static PIX *binarize_mid(PIX *gray)
{
    PIX *norm = pixBackgroundNormSimple(gray, NULL, NULL), *bin;
    NUMA *hist = pixGetGrayHistogram(norm ? norm : gray, 1);
    l_float32 total = 0, acc = 0, v;
    int i, cnt = hist ? numaGetCount(hist) : 0, ink = 0;

    for (i = 0; i < cnt; i++) {
        numaGetFValue(hist, i, &v);
        total += v;
    }
    for (i = 0; i < cnt; i++) {
        numaGetFValue(hist, i, &v);
        acc += v;
        if (acc >= total * INK_QUANTILE) {
            ink = i;
            break;
        }
    }
    bin = pixThresholdToBinary(norm ? norm : gray, (ink + BG_LEVEL) / 2 + 1);
    numaDestroy(&hist);
    pixDestroy(&norm);
    return bin;
}

/* Median height of the text-like components of one binarisation, with
 * dots closed into strokes first. Returns the count, 0 when too few. */
static int median_height(PIX *bin, double *median, double *small)
{
    PIX *closed = pixCloseBrick(NULL, bin, DOT_JOIN, DOT_JOIN);
    size_t n = 0, k, i;
    cbox *v = closed ? candidates(closed, &n) : NULL;
    int *h = NULL, count = 0;

    *median = *small = 0;
    k = v ? keep_texty(v, n) : 0;
    if (k >= MIN_ITEMS && (h = malloc(k * sizeof(*h))) != NULL) {
        for (i = 0; i < k; i++)
            h[i] = v[i].h;
        qsort(h, k, sizeof(*h), int_cmp);
        *median = h[k / 2];
        /* the smaller print: the tenth percentile of what is at least half
         * the median (specks that happen to sit in a row are not print) */
        for (i = 0; i < k && 2 * h[i] < h[k / 2]; i++)
            ;
        *small = h[i + (k - i) / 10];
        count = (int)k;
    }
    free(h);
    free(v);
    pixDestroy(&closed);
    return count;
}

/* Spread of the background: lightest minus darkest tile of Leptonica's
 * background map (paper under a shadow, a photo's vignetting, but also a
 * designed page's coloured panels: the background step is therefore only
 * tried in a second reading, kept when it reads better). */
static double background_spread(PIX *gray)
{
    PIX *map = NULL;
    l_int32 lo = 0, hi = 0;

    if (pixGetWidth(gray) < 4 * BG_TILE || pixGetHeight(gray) < 4 * BG_TILE)
        return 0;
    if (pixGetBackgroundGrayMap(gray, NULL, BG_TILE, BG_TILE, 100, 40, &map) != 0 || !map)
        return 0;
    if (pixGetRangeValues(map, 1, L_SELECT_RED, &lo, &hi) != 0) /* colour ignored for grey */
        lo = hi = 0;
    pixDestroy(&map);
    return (double)(hi - lo);
}

int dc_prep_measure(struct Pix *gray, int dpi, dc_prep_facts *out)
{
    int half = pixGetWidth(gray) * pixGetHeight(gray) > MEASURE_MAX_PX;
    PIX *g = half ? pixScaleAreaMap2(gray) : pixClone(gray);
    PIX *adaptive = g ? pixConvertTo1Adaptive(g) : NULL;
    PIX *mid = g ? binarize_mid(g) : NULL;
    double ha = 0, hm = 0, sa = 0, sm = 0;
    int na = 0, nm = 0;

    memset(out, 0, sizeof(*out));
    out->width = pixGetWidth(gray);
    out->height = pixGetHeight(gray);
    out->dpi = dpi;
    if (!g || !adaptive || !mid) {
        pixDestroy(&g);
        pixDestroy(&adaptive);
        pixDestroy(&mid);
        return -1;
    }
    /* Two binarisations fail in opposite ways: the adaptive one turns paper
     * texture into specks (too small a median), the midway one breaks
     * faint dot-matrix print into dots (too small as well): the larger of
     * the two medians is the text. */
    na = median_height(adaptive, &ha, &sa);
    nm = median_height(mid, &hm, &sm);
    /* ... unless one of them rests on few components (a few large
     * headings, the rest of the print too faint for it) */
    if (nm * 5 < na)
        hm = 0;
    if (na * 5 < nm)
        ha = 0;
    out->text_px = (ha >= hm ? ha : hm) * (half ? 2 : 1);
    out->small_px = (ha >= hm ? sa : sm) * (half ? 2 : 1);
    out->text_items = ha >= hm ? na : nm;
    out->bg_spread = background_spread(g);
    pixDestroy(&g);
    pixDestroy(&adaptive);
    pixDestroy(&mid);
    return 0;
}

/* ------------------------------------------------------------- plan */

/* Enough text to scale the page for: a page of a few dozen text-like
 * components spread over a large area is a picture with labels (a map, a
 * chart), whose label height says nothing about text to read; scaled up,
 * the engine reads the picture's fine print and specks as words (OCRmyPDF's
 * 3small.pdf and baiona_gray.png: their maps), where the page's own
 * resolution reads its labels as the tesseract command does. A small image
 * of a few words (a header strip) is dense and still scaled. */
static int text_evidence(const dc_prep_facts *f, double mp)
{
    return f->text_items >= SCALE_ITEMS || (double)f->text_items >= SCALE_DENSITY * mp;
}

void dc_prep_plan_for(const dc_prep_facts *f, dc_prep_plan *out)
{
    double k = 1, mp = (double)f->width * (double)f->height / 1e6;
    double text_dpi = 0;

    memset(out, 0, sizeof(*out));
    out->scale = 1;
    if (f->text_px > 0 && f->text_px < DC_PREP_SMALL_PX && text_evidence(f, mp)) {
        k = DC_PREP_TARGET_PX / f->text_px;
        if (k > DC_PREP_MAX_UP)
            k = DC_PREP_MAX_UP;
        if (mp * k * k > DC_PREP_MAX_MP)
            k = sqrt(DC_PREP_MAX_MP / (mp > 0 ? mp : 1));
        if (k > 1.05)
            out->steps |= DC_PREP_UPSCALE;
        else
            k = 1;
    } else if (f->text_px > DC_PREP_LARGE_PX) {
        /* down to the target, but the page's smaller print (its tenth
         * percentile: footnotes, table cells) stays at least SMALL_PX */
        k = DC_PREP_TARGET_PX / f->text_px;
        if (f->small_px > 0 && k * f->small_px < DC_PREP_SMALL_PX)
            k = DC_PREP_SMALL_PX / f->small_px;
        if (k < 0.9)
            out->steps |= DC_PREP_DOWNSCALE;
        else
            k = 1;
    }
    out->scale = k;
    out->steps |= DC_PREP_RULES;
    out->retry = DC_PREP_SMOOTH;
    if (f->bg_spread > DC_PREP_BG_SPREAD)
        out->retry |= DC_PREP_BACKGROUND;
    /* The resolution the recogniser is told: the file's, scaled, unless
     * the text says it cannot be right (a 72 DPI phone photo with 20-pixel
     * letters); then the one at which the text would be 10 pt. */
    if (f->text_px > 0)
        text_dpi = f->text_px * TEXT_PER_INCH;
    if (f->dpi > 0 && (text_dpi <= 0 || (f->dpi * 2.5 >= text_dpi && f->dpi <= text_dpi * 2.5))) {
        out->dpi = (int)lround(f->dpi * k);
    } else if (text_dpi > 0) {
        out->dpi = (int)lround(text_dpi * k);
        out->dpi_from_text = 1;
    } else {
        out->dpi = f->dpi > 0 ? (int)lround(f->dpi * k) : 300;
    }
    if (out->dpi < 70)
        out->dpi = 70;
    if (out->dpi > 2400)
        out->dpi = 2400;
}

/* ------------------------------------------------------------- apply */

int dc_prep_apply(struct Pix **pix, const dc_prep_plan *p)
{
    PIX *cur = *pix, *next;
    int done = 0;

    if ((p->steps & (DC_PREP_UPSCALE | DC_PREP_DOWNSCALE)) && p->scale > 0 && p->scale != 1) {
        /* pixScale interpolates up and area-maps down (no aliasing) */
        next = pixScale(cur, (l_float32)p->scale, (l_float32)p->scale);
        if (!next)
            return -1;
        if (cur != *pix)
            pixDestroy(&cur);
        cur = next;
        done |= (int)(p->steps & (DC_PREP_UPSCALE | DC_PREP_DOWNSCALE));
    }
    if (p->steps & DC_PREP_BACKGROUND) {
        next = pixBackgroundNormSimple(cur, NULL, NULL);
        if (next) {
            if (cur != *pix)
                pixDestroy(&cur);
            cur = next;
            done |= DC_PREP_BACKGROUND;
        }
    }
    if (cur != *pix) {
        pixDestroy(pix);
        *pix = cur;
    }
    return done;
}

/* The rules among the long thin runs in runs (a mask of bin): the runs
 * whose whole component in bin is a bar (no thicker than thick across, at
 * least len long) or part of a grid (a table frame, larger than grid both
 * ways). A letter's stem is neither: its component has the rest of the
 * letter. across: L_SELECT_WIDTH for vertical runs, L_SELECT_HEIGHT for
 * horizontal ones. */
static PIX *rules_of(PIX *bin, PIX *runs, int across, int thick, int len, int grid)
{
    PIX *comps = pixSeedfillBinary(NULL, runs, bin, 8);
    PIX *bars1 = NULL, *bars = NULL, *grids = NULL, *keep = NULL;
    int along = across == L_SELECT_WIDTH ? L_SELECT_HEIGHT : L_SELECT_WIDTH;
    l_int32 changed;

    if (!comps)
        return NULL;
    bars1 = pixSelectBySize(comps, thick + 2, thick + 2, 8, across, L_SELECT_IF_LTE, &changed);
    bars = bars1 ? pixSelectBySize(bars1, len, len, 8, along, L_SELECT_IF_GTE, &changed) : NULL;
    grids = pixSelectBySize(comps, grid, grid, 8, L_SELECT_IF_BOTH, L_SELECT_IF_GTE, &changed);
    if (bars && grids) {
        keep = pixOr(NULL, bars, grids);
        if (keep)
            pixAnd(keep, keep, runs);
    }
    pixDestroy(&grids);
    pixDestroy(&bars);
    pixDestroy(&bars1);
    pixDestroy(&comps);
    return keep;
}

int dc_prep_erase_rules(struct Pix **pix, double text_px)
{
    /* found on a half-size copy of a large page: rules are long, a pixel
     * more or less does not matter, and the openings cost 4x less */
    int f = pixGetWidth(*pix) * pixGetHeight(*pix) > RULES_HALF_PX ? 2 : 1;
    double t = (text_px > 0 ? text_px : DC_PREP_TARGET_PX) / f;
    int len = (int)lround(t * RULE_CHARS), thick = (int)lround(t * RULE_THICK);
    int vlen = (int)lround(t * RULE_VCHARS), grid = (int)lround(t * RULE_GRID);
    PIX *small = NULL, *bin = NULL, *h = NULL, *v = NULL, *hthick = NULL, *vthick = NULL;
    PIX *hr = NULL, *vr = NULL, *mask = NULL, *full = NULL, *out = NULL;
    l_int32 count = 0;
    int rc = -1;

    if (thick < 2)
        thick = 2;
    if (len < 40 / f)
        len = 40 / f;
    small = f == 2 ? pixScaleAreaMap2(*pix) : pixClone(*pix);
    /* the midway threshold keeps rules as thin as they are drawn (the
     * adaptive one doubles them) */
    bin = small ? binarize_mid(small) : NULL;
    if (!bin)
        goto done;
    /* long runs, minus the ones that stay when the brick is thick too
     * (solid areas, heavy strokes): thin runs; of those, the rules */
    h = pixOpenCompBrickExtendDwa(NULL, bin, len, 1);
    v = pixOpenCompBrickExtendDwa(NULL, bin, 1, len);
    if (!h || !v || pixCountPixels(h, &count, NULL) != 0)
        goto done;
    if (count == 0 && (pixCountPixels(v, &count, NULL) != 0 || count == 0)) {
        rc = 0; /* no long run at all: most pages */
        goto done;
    }
    hthick = pixOpenCompBrickExtendDwa(NULL, bin, len, thick);
    vthick = pixOpenCompBrickExtendDwa(NULL, bin, thick, len);
    if (!hthick || !vthick)
        goto done;
    pixSubtract(h, h, hthick);
    pixSubtract(v, v, vthick);
    hr = rules_of(bin, h, L_SELECT_HEIGHT, thick, len, grid);
    vr = rules_of(bin, v, L_SELECT_WIDTH, thick, vlen, grid);
    if (!hr || !vr)
        goto done;
    mask = pixOr(NULL, hr, vr);
    if (!mask || pixCountPixels(mask, &count, NULL) != 0)
        goto done;
    rc = 0;
    if (count == 0)
        goto done;
    rc = -1;
    /* the rule's anti-aliased edges too */
    pixDilateBrick(mask, mask, f == 2 ? 3 : 5, f == 2 ? 3 : 5);
    full = f == 2 ? pixExpandReplicate(mask, 2) : pixClone(mask);
    out = full ? pixCopy(NULL, *pix) : NULL;
    if (!out || pixSetMasked(out, full, 255) != 0)
        goto done;
    pixDestroy(pix);
    *pix = out;
    out = NULL;
    rc = 1;
done:
    pixDestroy(&out);
    pixDestroy(&full);
    pixDestroy(&mask);
    pixDestroy(&vr);
    pixDestroy(&hr);
    pixDestroy(&vthick);
    pixDestroy(&hthick);
    pixDestroy(&v);
    pixDestroy(&h);
    pixDestroy(&bin);
    pixDestroy(&small);
    return rc;
}

struct Pix *dc_prep_enhance(struct Pix *pix, unsigned steps, double text_px)
{
    PIX *cur = pixClone(pix), *next;

    if (cur && (steps & DC_PREP_BACKGROUND)) {
        next = pixBackgroundNormSimple(cur, NULL, NULL);
        pixDestroy(&cur);
        cur = next;
    }
    if (cur && (steps & DC_PREP_SMOOTH)) {
        double sd = (text_px > 0 ? text_px : DC_PREP_TARGET_PX) * SMOOTH_PER_PX;
        int half = (int)ceil(sd * 2.5);
        L_KERNEL *kel = makeGaussianKernel(half, half, (l_float32)sd, 1.0f);
        next = kel ? pixConvolve(cur, kel, 8, 1) : NULL;
        kernelDestroy(&kel);
        pixDestroy(&cur);
        cur = next;
    }
    return cur;
}

int dc_prep_text_boxes(struct Pix *pix, int **boxes, size_t *n)
{
    int f = pixGetWidth(pix) * pixGetHeight(pix) > RULES_HALF_PX ? 2 : 1;
    PIX *small = f == 2 ? pixScaleAreaMap2(pix) : pixClone(pix);
    PIX *bin = small ? pixConvertTo1Adaptive(small) : NULL;
    PIX *closed = bin ? pixCloseBrick(NULL, bin, DOT_JOIN, DOT_JOIN) : NULL;
    size_t k = 0, i;
    cbox *v = closed ? candidates(closed, &k) : NULL;
    int *out = NULL;

    *boxes = NULL;
    *n = 0;
    pixDestroy(&small);
    pixDestroy(&bin);
    pixDestroy(&closed);
    if (!v)
        return k == 0 ? 0 : -1;
    k = keep_texty(v, k);
    out = malloc((k ? k : 1) * 4 * sizeof(*out));
    if (!out) {
        free(v);
        return -1;
    }
    for (i = 0; i < k; i++) {
        out[4 * i] = v[i].x * f;
        out[4 * i + 1] = v[i].y * f;
        out[4 * i + 2] = (v[i].x + v[i].w) * f;
        out[4 * i + 3] = (v[i].y + v[i].h) * f;
    }
    free(v);
    *boxes = out;
    *n = k;
    return 0;
}

const char *dc_prep_step_name(unsigned step)
{
    switch (step) {
    case DC_PREP_UPSCALE:
        return "upscale";
    case DC_PREP_DOWNSCALE:
        return "downscale";
    case DC_PREP_BACKGROUND:
        return "background";
    case DC_PREP_RULES:
        return "rules";
    case DC_PREP_SMOOTH:
        return "smooth";
    default:
        return "?";
    }
}
