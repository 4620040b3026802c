/*
 * OCR stage: Tesseract (C API) on grey page images, with Leptonica for
 * orientation and skew correction. A pool of worker threads, each with its
 * own engine created once, takes pages from a small bounded queue that the
 * calling thread fills in page order, so memory stays flat however long the
 * document is. The only file that includes the Tesseract headers.
 */
#define _GNU_SOURCE /* dladdr */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <dlfcn.h>

#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

#include "ocr.h"
#include "ocr_order.h"
#include "ocr_prep.h"

#define MAX_JOBS      64
#define QUEUE_CAP     1          /* images waiting beyond those being read */
#define PAGE_TEXT_MAX (4u << 20) /* bytes of text per page */
#define MAX_WORDS     200000     /* words on one page */
/* Orientation and second readings: a reading under GOOD_CONF mean word
 * confidence gets OSD, and its turn is read too when OSD's confidence is
 * at least OSD_HINT (a reading under POOR_CONF is read upside down when OSD
 * has no turn to offer); the better reading is kept. Measured on the
 * corpus receipts: upright ones read at 50-92, the same turned upside down
 * at 33-50 as they are; OSD gives the turned ones 0.3-11 and upright ones
 * a wrong turn at up to 2.4. */
#define OSD_HINT        1.0
#define GOOD_CONF       75.0
#define POOR_CONF       50.0
#define NOISE_LINE_CONF 40.0 /* a line below this mean confidence... */
#define NOISE_WORD_CONF 60.0 /* ... without a 3-character word read at this is noise */
#define MERGE_IOU       0.6  /* words in the same place in two readings (merge_words) */
#define MERGE_MARGIN    5.0  /* ... the other's taken when this much more confident */
#define SCORE_FLOOR     30.0 /* word confidence that counts for nothing (reading_score) */
#define SCORE_MARGIN    1.1  /* a second reading must score this much more */
#define READ_SHARE_MIN  0.25 /* letters read per text-like component below which... */
#define READ_ITEMS_MIN  50   /* ... a page of at least this many read little */
#define SKEW_MIN_ANGLE  0.1  /* degrees; below it the page is left alone */
#define LANG_MAX        128

/* ------------------------------------------------------------- process */

/*
 * OpenMP. Debian's libtesseract is built with it: each engine runs parts
 * of recognition on a team of threads, and several engines in parallel
 * fight over the cores (16 s a page instead of 4 s here). OCR parallelises
 * by page instead, so each OCR thread disables OpenMP's nested teams for
 * itself (omp_set_max_active_levels(0): every parallel region then runs on
 * the thread that meets it) before it calls Tesseract. The function is
 * looked up in Tesseract's own dependencies (libgomp, libomp or none), so
 * nothing is assumed about which runtime it was built with. A user who sets
 * OMP_THREAD_LIMIT, OMP_NUM_THREADS or OMP_MAX_ACTIVE_LEVELS keeps theirs.
 */
typedef void (*omp_levels_fn)(int);

static pthread_once_t once = PTHREAD_ONCE_INIT;
static omp_levels_fn omp_set_levels;

static void find_openmp(void)
{
    TessBaseAPI *(*create)(void) = TessBaseAPICreate;
    Dl_info info;
    void *lib, *sym, *addr;

    if (getenv("OMP_THREAD_LIMIT") || getenv("OMP_NUM_THREADS") || getenv("OMP_MAX_ACTIVE_LEVELS"))
        return;
    memcpy(&addr, &create, sizeof(addr)); /* a function's address, as dladdr takes it */
    if (!dladdr(addr, &info) || !info.dli_fname)
        return;
    lib = dlopen(info.dli_fname, RTLD_LAZY | RTLD_LOCAL); /* kept: Tesseract stays too */
    sym = lib ? dlsym(lib, "omp_set_max_active_levels") : NULL;
    if (sym)
        memcpy(&omp_set_levels, &sym, sizeof(sym));
}

static void process_init(void)
{
    (void)setMsgSeverity(L_SEVERITY_NONE);
    find_openmp();
}

/* In a thread about to call Tesseract: no OpenMP teams. */
static void one_thread_per_engine(void)
{
    if (omp_set_levels)
        omp_set_levels(0);
}

int dc_ocr_available(void)
{
    dc_ocr_process_init();
    return DC_OK;
}

int dc_ocr_openmp_limited(void)
{
    dc_ocr_process_init();
    return omp_set_levels != NULL;
}

static double now_seconds(void)
{
    struct timespec ts;
    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------- options */

void dc_ocr_options_from(dc_ocr_options *o, const dc_document *doc)
{
    size_t i;

    memset(o, 0, sizeof(*o));
    o->lang = doc->lang ? doc->lang : "eng";
    o->jobs = doc->opts.jobs;
    o->page_timeout = doc->opts.page_timeout;
    o->rotate = !doc->opts.no_rotate;
    o->progress = doc->opts.progress;
    o->progress_payload = doc->opts.progress_payload;
    if (doc->opts.config.action != DC_READ_ACTION_ANALYZE_DOCUMENT)
        return;
    for (i = 0; i < doc->opts.config.nfeatures && i < DC_CONFIG_MAX_FEATURES; i++) {
        if (doc->opts.config.features[i] == DC_FEATURE_TABLES)
            o->tables = 1;
        else if (doc->opts.config.features[i] == DC_FEATURE_FORMS)
            o->forms = 1;
    }
}

void dc_gray_dispose(dc_gray *g)
{
    if (!g)
        return;
    free(g->px);
    memset(g, 0, sizeof(*g));
}

void dc_ocr_result_dispose(dc_ocr_result *r)
{
    if (!r)
        return;
    free(r->text);
    json_decref(r->lines);
    dc_words_dispose(&r->words);
    json_decref(r->info);
    memset(r, 0, sizeof(*r));
}

/* ------------------------------------------------------------- engines */

typedef struct {
    TessBaseAPI *api; /* recognition, in the requested languages */
    TessBaseAPI *osd; /* orientation detection (legacy engine), or NULL */
} engine;

/* Languages are names of traineddata files joined by '+': refuse anything
 * that could walk out of the tessdata folder. */
static int lang_valid(const char *lang)
{
    size_t i, n = strlen(lang);

    if (n == 0 || n >= LANG_MAX || lang[0] == '+' || lang[n - 1] == '+')
        return 0;
    for (i = 0; i < n; i++) {
        char c = lang[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '+'))
            return 0;
    }
    return 1;
}

static TessBaseAPI *api_new(void)
{
    TessBaseAPI *api = TessBaseAPICreate();

    if (api)
        (void)TessBaseAPISetVariable(api, "debug_file", "/dev/null");
    return api;
}

/* "eng, osd": the traineddata files of the folder the engine looked in. */
static void installed_langs(TessBaseAPI *api, char *out, size_t cap)
{
    const char *dir = TessBaseAPIGetDatapath(api);
    struct dirent *de;
    DIR *d;
    size_t used = 0;

    out[0] = '\0';
    d = (dir && dir[0]) ? opendir(dir) : NULL;
    if (!d) {
        (void)snprintf(out, cap, "none found");
        return;
    }
    while ((de = readdir(d)) != NULL) {
        size_t n = strlen(de->d_name);
        const char *ext = ".traineddata";
        int w;
        if (n <= strlen(ext) || strcmp(de->d_name + n - strlen(ext), ext) != 0)
            continue;
        w = snprintf(out + used, cap - used, "%s%.*s", used ? ", " : "", (int)(n - strlen(ext)),
                     de->d_name);
        if (w < 0 || (size_t)w >= cap - used)
            break;
        used += (size_t)w;
    }
    (void)closedir(d);
}

static void engine_close(engine *e)
{
    if (e->api) {
        TessBaseAPIEnd(e->api);
        TessBaseAPIDelete(e->api);
    }
    if (e->osd) {
        TessBaseAPIEnd(e->osd);
        TessBaseAPIDelete(e->osd);
    }
    e->api = e->osd = NULL;
}

/* Start one worker's engines. A missing language is DC_EOCR naming the
 * installed ones; a missing osd model only turns rotation detection off. */
static int engine_open(engine *e, const char *lang, int rotate)
{
    char have[512];
    int err = DC_OK;

    e->osd = NULL;
    e->api = api_new();
    if (!e->api)
        return dc_error_oom();
    if (TessBaseAPIInit2(e->api, NULL, lang, OEM_DEFAULT) != 0) {
        installed_langs(e->api, have, sizeof(have));
        err = dc_error_set(DC_EOCR, "language '%s' is not installed (installed: %s)", lang, have);
        goto done;
    }
    /* The C API's engine starts in single-block mode (6), which joins
     * columns and reads pictures as text; the command's default, and ours,
     * is the automatic layout (3). */
    TessBaseAPISetPageSegMode(e->api, PSM_AUTO);
    if (rotate) {
        e->osd = api_new();
        if (e->osd && TessBaseAPIInit2(e->osd, NULL, "osd", OEM_TESSERACT_ONLY) != 0) {
            TessBaseAPIDelete(e->osd);
            e->osd = NULL;
        }
    }
done:
    if (err < 0)
        engine_close(e);
    return err;
}

/* ------------------------------------------------------------- images */

/* Copy a grey image into a Leptonica 8-bit Pix (its words are big-endian
 * packed in native integers: copy rows, then swap once). */
static PIX *gray_to_pix(const dc_gray *g)
{
    PIX *pix;
    l_uint32 *data;
    int wpl, y;

    if (!g->px || g->width <= 0 || g->height <= 0 || g->stride < g->width)
        return NULL;
    pix = pixCreateNoInit(g->width, g->height, 8);
    if (!pix)
        return NULL;
    data = pixGetData(pix);
    wpl = pixGetWpl(pix);
    for (y = 0; y < g->height; y++) {
        unsigned char *row = (unsigned char *)(data + (size_t)y * (size_t)wpl);
        memcpy(row, g->px + (size_t)y * (size_t)g->stride, (size_t)g->width);
        memset(row + g->width, 0xff, (size_t)wpl * 4 - (size_t)g->width);
    }
    (void)pixEndianByteSwap(pix);
    if (g->dpi > 0)
        (void)pixSetResolution(pix, g->dpi, g->dpi);
    return pix;
}

static void page_fail(dc_ocr_result *r, int err, const char *code, const char *fmt, ...)
    DC_PRINTF(4, 5);

static void page_fail(dc_ocr_result *r, int err, const char *code, const char *fmt, ...)
{
    va_list ap;

    free(r->text);
    r->text = NULL;
    r->len = 0;
    r->err = err;
    (void)snprintf(r->errcode, sizeof(r->errcode), "%s", code);
    va_start(ap, fmt);
    (void)vsnprintf(r->errmsg, sizeof(r->errmsg), fmt, ap);
    va_end(ap);
}

static int info_warn(dc_ocr_result *r, const char *code, const char *message)
{
    json_t *list = json_object_get(r->info, "warnings");

    if (!list) {
        list = json_array();
        if (!list || json_object_set_new(r->info, "warnings", list) < 0)
            return dc_error_oom();
    }
    if (json_array_append_new(list, json_pack("{s:s,s:s}", "code", code, "message", message)) < 0)
        return dc_error_oom();
    return DC_OK;
}

/* ------------------------------------------------------------- readings */

/* One recognised word and one line, in pixels of the image recognised. */
typedef struct {
    char *text;
    int box[4]; /* left, top, right, bottom */
    float conf;
} rword;

typedef struct {
    int block; /* blocks in reading order; a recovered region is a block */
    int para;  /* paragraph start: a blank line before it in the text */
    int box[4];
    float conf;
    size_t first, n; /* its words in reading.words */
    double rank;     /* its block's place in reading order (recover_missed) */
} rline;

/* A whole reading of one page image (one orientation, one preparation). */
typedef struct {
    rword *words;
    size_t nwords, capwords;
    rline *lines;
    size_t nlines, caplines;
    int nblocks;
    int regions;       /* regions the automatic layout left out, read as blocks */
    int rotation;      /* quarter turn applied before reading (clockwise found) */
    int sideways;      /* most words read as vertical lines (a page turned 90 or 270) */
    unsigned enhanced; /* DC_PREP_BACKGROUND, DC_PREP_SMOOTH applied first */
    size_t kept;       /* words in the lines kept (noise lines dropped) */
    double mean_conf;  /* mean word confidence of those, 0-100 */
    size_t chars;      /* bytes of word text, to compare readings */
    double seconds;    /* wall time of this reading (turn, deskew, recognition) */
    double recovery;   /* of which looking for and reading left-out regions */
    int merged;        /* words taken from the other reading (merge_words) */
} reading;

static void reading_dispose(reading *rd)
{
    size_t i;

    for (i = 0; rd && i < rd->nwords; i++)
        free(rd->words[i].text);
    if (rd) {
        free(rd->words);
        free(rd->lines);
        memset(rd, 0, sizeof(*rd));
    }
}

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
    void *nv;
    size_t ncap;

    if (n < *cap)
        return DC_OK;
    if (n >= MAX_WORDS)
        return dc_error_set(DC_ELIMIT, "more than %d words on a page", MAX_WORDS);
    ncap = *cap ? *cap * 2 : 64;
    nv = realloc(*v, ncap * size);
    if (!nv)
        return dc_error_oom();
    *v = nv;
    *cap = ncap;
    return DC_OK;
}

static void iter_box(const TessPageIterator *pi, TessPageIteratorLevel level, int box[4])
{
    if (!TessPageIteratorBoundingBox(pi, level, &box[0], &box[1], &box[2], &box[3]))
        box[0] = box[1] = box[2] = box[3] = 0;
}

/* A line's box: its words'. */
static void line_box(const reading *rd, rline *ln)
{
    size_t j;

    memcpy(ln->box, rd->words[ln->first].box, sizeof(ln->box));
    for (j = 1; j < ln->n; j++) {
        const int *b = rd->words[ln->first + j].box;
        ln->box[0] = b[0] < ln->box[0] ? b[0] : ln->box[0];
        ln->box[1] = b[1] < ln->box[1] ? b[1] : ln->box[1];
        ln->box[2] = b[2] > ln->box[2] ? b[2] : ln->box[2];
        ln->box[3] = b[3] > ln->box[3] ? b[3] : ln->box[3];
    }
}

/* Append what the engine recognised to rd: each block a new block, lines
 * with their words. Words that are empty or not UTF-8 are left out. */
static int collect_words(TessBaseAPI *api, reading *rd)
{
    TessResultIterator *ri = TessBaseAPIGetIterator(api);
    rline *line = NULL;
    int err = DC_OK, block = -1;

    if (!ri)
        return DC_OK; /* nothing recognised */
    do {
        const TessPageIterator *pi = TessResultIteratorGetPageIteratorConst(ri);
        char *text = TessResultIteratorGetUTF8Text(ri, RIL_WORD);
        rword *w;

        if (block < 0 || TessPageIteratorIsAtBeginningOf(pi, RIL_BLOCK))
            block = rd->nblocks++;
        if (TessPageIteratorIsAtBeginningOf(pi, RIL_TEXTLINE) || !line) {
            err = grow((void **)&rd->lines, &rd->caplines, rd->nlines, sizeof(*rd->lines));
            if (err < 0) {
                TessDeleteText(text);
                break;
            }
            line = &rd->lines[rd->nlines++];
            memset(line, 0, sizeof(*line));
            line->block = block;
            line->para = TessPageIteratorIsAtBeginningOf(pi, RIL_PARA);
            line->first = rd->nwords;
            line->conf = TessResultIteratorConfidence(ri, RIL_TEXTLINE);
            iter_box(pi, RIL_TEXTLINE, line->box);
        }
        if (!text || !text[strspn(text, " \t\r\n")] || !dc_utf8_valid(text, strlen(text), NULL)) {
            TessDeleteText(text);
            continue;
        }
        err = grow((void **)&rd->words, &rd->capwords, rd->nwords, sizeof(*rd->words));
        if (err < 0) {
            TessDeleteText(text);
            break;
        }
        w = &rd->words[rd->nwords];
        w->text = strdup(text);
        TessDeleteText(text);
        if (!w->text) {
            err = dc_error_oom();
            break;
        }
        w->conf = TessResultIteratorConfidence(ri, RIL_WORD);
        iter_box(pi, RIL_WORD, w->box);
        rd->nwords++;
        line->n++;
    } while (TessResultIteratorNext(ri, RIL_WORD));
    TessResultIteratorDelete(ri);
    return err;
}

static size_t alnum_count(const char *text)
{
    const unsigned char *t = (const unsigned char *)text;
    size_t n = 0;

    for (; *t; t++)
        n += isalnum(*t) || *t >= 0x80;
    return n;
}

/* A line that is noise rather than text: specks, the edges of a picture
 * or a rotated axis label read as "e 2 0 Cy 9 C) & +": low confidence and
 * not one word of three letters or digits read with confidence; or only
 * symbols, read without confidence. */
/* A line with one word of three letters or digits read with confidence. */
static int sure_word(const reading *rd, const rline *ln)
{
    size_t j;

    for (j = 0; j < ln->n; j++) {
        const rword *w = &rd->words[ln->first + j];
        if (alnum_count(w->text) >= 3 && w->conf >= NOISE_WORD_CONF)
            return 1;
    }
    return 0;
}

static int line_is_noise(const reading *rd, const rline *ln)
{
    double sum = 0;
    size_t j, alnum = 0;

    for (j = 0; j < ln->n; j++) {
        const rword *w = &rd->words[ln->first + j];
        sum += w->conf;
        alnum += alnum_count(w->text);
    }
    sum /= (double)(ln->n ? ln->n : 1);
    return (alnum == 0 && sum < NOISE_WORD_CONF) || (sum < NOISE_LINE_CONF && !sure_word(rd, ln));
}

/* Lines without words (Tesseract's empty lines) and noise lines are
 * dropped; the mean confidence and the size of the text are computed over
 * what is left. Words of dropped lines stay in the array, unreferenced. */
/* Lines in reading order (ocr_order.c): cut at wide gaps, columns one
 * after the other. rd's lines are replaced; its words stay where they are. */
static int reading_order(reading *rd)
{
    int(*boxes)[4] = NULL;
    dc_order_line *in = NULL;
    dc_order_seg *seg = NULL;
    rline *lines = NULL;
    size_t i, j, nseg = 0;
    int err = DC_OK;

    if (rd->nlines < 2 || rd->sideways)
        return DC_OK;
    boxes = malloc(rd->nwords * sizeof(*boxes));
    in = malloc(rd->nlines * sizeof(*in));
    if (!boxes || !in) {
        err = dc_error_oom();
        goto done;
    }
    for (i = 0; i < rd->nwords; i++)
        memcpy(boxes[i], rd->words[i].box, sizeof(boxes[i]));
    for (i = 0; i < rd->nlines; i++)
        in[i] = (dc_order_line){rd->lines[i].block, rd->lines[i].first, rd->lines[i].n};
    if (dc_order_lines((const int(*)[4])boxes, rd->nwords, in, rd->nlines, &seg, &nseg) < 0 ||
        !(lines = calloc(nseg ? nseg : 1, sizeof(*lines)))) {
        err = dc_error_oom();
        goto done;
    }
    for (i = 0; i < nseg; i++) {
        const rline *from = &rd->lines[seg[i].line];
        rline *ln = &lines[i];
        double sum = 0;
        ln->block = seg[i].block;
        ln->para = seg[i].para || (from->para && seg[i].first == from->first);
        ln->first = seg[i].first;
        ln->n = seg[i].n;
        line_box(rd, ln);
        for (j = 0; j < ln->n; j++)
            sum += rd->words[ln->first + j].conf;
        ln->conf = (float)(ln->n == from->n ? from->conf : sum / (double)ln->n);
    }
    free(rd->lines);
    rd->lines = lines;
    rd->nlines = rd->caplines = nseg;
    lines = NULL;
done:
    free(lines);
    free(seg);
    free(in);
    free(boxes);
    return err;
}

static int reading_finish(reading *rd)
{
    size_t i, j, k = 0, n = 0, long_words = 0, tall = 0;
    double sum = 0;

    for (i = 0; i < rd->nlines; i++)
        if (rd->lines[i].n > 0 && !line_is_noise(rd, &rd->lines[i]))
            rd->lines[k++] = rd->lines[i];
    rd->nlines = k;
    rd->chars = 0;
    for (i = 0; i < rd->nlines; i++) {
        for (j = 0; j < rd->lines[i].n; j++) {
            const rword *w = &rd->words[rd->lines[i].first + j];
            sum += w->conf;
            rd->chars += strlen(w->text);
            n++;
            if (alnum_count(w->text) >= 3) {
                long_words++;
                tall += w->box[3] - w->box[1] > w->box[2] - w->box[0];
            }
        }
    }
    rd->kept = n;
    rd->mean_conf = n ? sum / (double)n : 0;
    rd->sideways = 2 * tall > long_words && long_words > 0;
    return reading_order(rd);
}

static int recognise(engine *e, double deadline, dc_ocr_result *r)
{
    ETEXT_DESC *mon = NULL;
    int rc;

    if (deadline > 0) {
        double left = (deadline - now_seconds()) * 1000.0;
        mon = TessMonitorCreate();
        if (!mon)
            return dc_error_oom();
        TessMonitorSetDeadlineMSecs(mon, left < 1 ? 1 : (int)(left > 2e9 ? 2e9 : left));
    }
    rc = TessBaseAPIRecognize(e->api, mon);
    TessMonitorDelete(mon);
    if (rc != 0 && deadline > 0 && now_seconds() >= deadline)
        return DC_ETIMEOUT;
    if (rc != 0) {
        page_fail(r, DC_EOCR, "DOCCLASS_OCR_FAILED", "recognition failed");
        return DC_EOCR;
    }
    return DC_OK;
}

/* ------------------------------------------------------------- layout */

/*
 * Tesseract's automatic layout keeps columns apart and leaves pictures
 * out, but it also takes faint or dot-matrix print for a picture
 * (Leptonica's halftone test) and drops it. Text it left out is found by
 * comparing its words with the page's text-like components (ocr_prep.c):
 * where many components lie outside every word, those regions are read
 * again as single blocks, and only their lines that read with some
 * confidence are kept, so a real picture stays out: of such a line, only
 * the words with a letter or digit read at REGION_WORD_CONF, and the line
 * only when one of them is a sure word (three letters or digits read at
 * NOISE_WORD_CONF). The layout's picture blocks are read too: faint print
 * is taken for one as often as a chart is.
 */
#define MISSED_MIN       5    /* components outside every word before a region counts */
#define MISSED_SHARE     0.0  /* ... and this share of all text-like components */
#define REGION_MIN_ITEMS 4    /* a region needs this many missed components */
#define REGION_LINE_CONF 40.0 /* a recovered line must read at least this well */
#define REGION_WORD_CONF 50.0 /* ... and each of its words kept, with a letter or digit */
#define MAX_REGIONS      32

typedef struct {
    int box[4];
    int items;
} region;

static int box_inside(const int *c, const int *w, int pad)
{
    int cx = (c[0] + c[2]) / 2, cy = (c[1] + c[3]) / 2;
    return cx >= w[0] - pad && cx <= w[2] + pad && cy >= w[1] - pad && cy <= w[3] + pad;
}

/* Merge the missed components into regions: boxes grown by a character
 * height sideways and half one up and down, overlapping ones joined. */
static size_t missed_regions(const int *cb, const char *missed, size_t n, region *out, size_t cap)
{
    size_t i, j, k = 0;
    int merged = 1;

    for (i = 0; i < n; i++) {
        const int *c = cb + 4 * i;
        int h = c[3] - c[1], g[4];
        if (!missed[i])
            continue;
        g[0] = c[0] - 2 * h;
        g[1] = c[1] - h / 2;
        g[2] = c[2] + 2 * h;
        g[3] = c[3] + h / 2;
        for (j = 0; j < k; j++) {
            int *b = out[j].box;
            if (g[0] <= b[2] && b[0] <= g[2] && g[1] <= b[3] && b[1] <= g[3])
                break;
        }
        if (j == k) {
            if (k == cap)
                continue;
            memcpy(out[k].box, g, sizeof(g));
            out[k++].items = 0;
        }
        out[j].box[0] = g[0] < out[j].box[0] ? g[0] : out[j].box[0];
        out[j].box[1] = g[1] < out[j].box[1] ? g[1] : out[j].box[1];
        out[j].box[2] = g[2] > out[j].box[2] ? g[2] : out[j].box[2];
        out[j].box[3] = g[3] > out[j].box[3] ? g[3] : out[j].box[3];
        out[j].items++;
    }
    while (merged) { /* regions that grew into each other become one */
        merged = 0;
        for (i = 0; i < k; i++) {
            for (j = i + 1; j < k; j++) {
                int *a = out[i].box, *b = out[j].box;
                if (a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3]) {
                    a[0] = a[0] < b[0] ? a[0] : b[0];
                    a[1] = a[1] < b[1] ? a[1] : b[1];
                    a[2] = a[2] > b[2] ? a[2] : b[2];
                    a[3] = a[3] > b[3] ? a[3] : b[3];
                    out[i].items += out[j].items;
                    out[j] = out[--k];
                    merged = 1;
                    j--;
                }
            }
        }
    }
    return k;
}

/* Read one left-out region as a single block and append its lines that
 * read well enough as a new block. */
static int
read_region(engine *e, const int *box, int w, int h, double deadline, reading *rd, dc_ocr_result *r)
{
    int l = box[0] < 0 ? 0 : box[0], t = box[1] < 0 ? 0 : box[1];
    int rr = box[2] > w ? w : box[2], b = box[3] > h ? h : box[3];
    reading part = {0};
    size_t i, j;
    int err, kept = 0;

    if (rr - l < 8 || b - t < 8)
        return DC_OK;
    TessBaseAPISetPageSegMode(e->api, PSM_SINGLE_BLOCK);
    TessBaseAPISetRectangle(e->api, l, t, rr - l, b - t);
    err = recognise(e, deadline, r);
    if (err >= 0)
        err = collect_words(e->api, &part);
    TessBaseAPISetPageSegMode(e->api, PSM_AUTO);
    for (i = 0; err >= 0 && i < part.nlines; i++) {
        rline *ln = &part.lines[i];
        double sum = 0;
        if (ln->n == 0)
            continue;
        for (j = 0; j < ln->n; j++)
            sum += part.words[ln->first + j].conf;
        if (sum / (double)ln->n < REGION_LINE_CONF)
            continue;
        err = grow((void **)&rd->lines, &rd->caplines, rd->nlines, sizeof(*rd->lines));
        if (err < 0)
            break;
        rd->lines[rd->nlines] = *ln;
        rd->lines[rd->nlines].block = rd->nblocks;
        rd->lines[rd->nlines].para = kept == 0;
        rd->lines[rd->nlines].first = rd->nwords;
        rd->lines[rd->nlines].n = 0;
        for (j = 0; err >= 0 && j < ln->n; j++) {
            rword *pw = &part.words[ln->first + j];
            if (alnum_count(pw->text) == 0 || pw->conf < REGION_WORD_CONF)
                continue; /* a symbol or a guess in clutter */
            err = grow((void **)&rd->words, &rd->capwords, rd->nwords, sizeof(*rd->words));
            if (err >= 0) {
                rd->words[rd->nwords++] = *pw;
                rd->lines[rd->nlines].n++;
                pw->text = NULL;
            }
        }
        if (rd->lines[rd->nlines].n == 0)
            continue;
        if (!sure_word(rd, &rd->lines[rd->nlines])) { /* clutter read as letters */
            for (j = 0; j < rd->lines[rd->nlines].n; j++)
                free(rd->words[--rd->nwords].text);
            continue;
        }
        line_box(rd, &rd->lines[rd->nlines]);
        rd->nlines++;
        kept++;
    }
    if (kept)
        rd->nblocks++;
    reading_dispose(&part);
    return err;
}

static void order_blocks(reading *rd, int layout_blocks);

/* Find what the automatic layout left out and read it. Returns the number
 * of regions read, or < 0. */
static int recover_missed(engine *e, PIX *pix, double deadline, reading *rd, dc_ocr_result *r)
{
    int *cb = NULL, err = DC_OK;
    size_t n = 0, i, j, nmissed = 0, nreg;
    char *missed = NULL;
    region reg[MAX_REGIONS];
    int done = 0, layout_blocks = rd->nblocks;

    if (dc_prep_text_boxes(pix, &cb, &n) < 0)
        return dc_error_oom();
    missed = calloc(n ? n : 1, 1);
    if (!missed) {
        free(cb);
        return dc_error_oom();
    }
    for (i = 0; i < n; i++) {
        int h = cb[4 * i + 3] - cb[4 * i + 1];
        for (j = 0; j < rd->nwords; j++)
            if (box_inside(cb + 4 * i, rd->words[j].box, h / 2))
                break;
        if (j == rd->nwords) {
            missed[i] = 1;
            nmissed++;
        }
    }
    if (nmissed >= MISSED_MIN && (double)nmissed >= MISSED_SHARE * (double)n) {
        nreg = missed_regions(cb, missed, n, reg, MAX_REGIONS);
        for (i = 0; err >= 0 && i < nreg; i++) {
            if (reg[i].items < REGION_MIN_ITEMS)
                continue;
            err = read_region(e, reg[i].box, pixGetWidth(pix), pixGetHeight(pix), deadline, rd, r);
            if (err == DC_ETIMEOUT) { /* the page's own reading stands */
                err = DC_OK;
                break;
            }
            done++;
        }
    }
    free(missed);
    free(cb);
    if (err < 0)
        return err;
    if (done)
        order_blocks(rd, layout_blocks);
    return done;
}

/* Blocks in reading order: the automatic layout's order is kept; a
 * recovered block goes just before the first layout block that starts
 * below its top and overlaps it horizontally, or at the end. Lines keep
 * their order within a block. */
static int line_cmp_rank(const void *a, const void *b)
{
    const rline *x = a, *y = b;

    if (x->rank != y->rank)
        return (x->rank > y->rank) - (x->rank < y->rank);
    return (x->first > y->first) - (x->first < y->first);
}

static void order_blocks(reading *rd, int layout_blocks)
{
    size_t i, j;

    for (i = 0; i < rd->nlines; i++) {
        rline *ln = &rd->lines[i];
        ln->rank = ln->block;
        if (ln->block < layout_blocks)
            continue;
        ln->rank = layout_blocks + ln->block * 1e-3;
        for (j = 0; j < rd->nlines; j++) {
            const rline *o = &rd->lines[j];
            if (o->block < layout_blocks && o->box[1] > ln->box[1] && o->box[0] < ln->box[2] &&
                ln->box[0] < o->box[2] && o->block - 0.5 + ln->block * 1e-3 < ln->rank)
                ln->rank = o->block - 0.5 + ln->block * 1e-3;
        }
    }
    /* a recovered block's lines all take the rank of its first line */
    for (i = 0; i < rd->nlines; i++)
        for (j = i + 1; j < rd->nlines; j++)
            if (rd->lines[j].block == rd->lines[i].block && rd->lines[i].block >= layout_blocks)
                rd->lines[j].rank = rd->lines[i].rank;
    qsort(rd->lines, rd->nlines, sizeof(*rd->lines), line_cmp_rank);
}

/* ------------------------------------------------------------- orientation */

/* Orientation of the page by OSD on the legacy engine: the quarter turn
 * the text is found turned by (clockwise) and OSD's confidence. 0 when
 * OSD is unavailable or finds too little text. */
static int detect_orientation(engine *e, PIX *pix, int dpi, double *conf_out)
{
    int deg = 0;
    float conf = 0, sconf = 0;
    const char *script = NULL;

    *conf_out = 0;
    if (!e->osd)
        return 0;
    TessBaseAPISetImage2(e->osd, pix);
    TessBaseAPISetSourceResolution(e->osd, dpi);
    if (!TessBaseAPIDetectOrientationScript(e->osd, &deg, &conf, &script, &sconf))
        deg = 0;
    /* script points into the engine's unicharset in 5.x, despite capi.h's
     * comment: freeing it is a double free when the engine ends. */
    TessBaseAPIClear(e->osd);
    if (deg % 90 != 0 || deg < 0 || deg >= 360)
        deg = 0;
    *conf_out = round((double)conf * 100.0) / 100.0;
    return deg;
}

/* Small skew (up to about 7 degrees): Leptonica's projection search on a
 * binarised copy; the page is rotated only when the angle is found with
 * confidence, which pixFindSkewAndDeskew decides (it returns a clone when
 * it leaves the page alone). */
static double fix_skew(PIX **pix)
{
    l_float32 angle = 0, conf = 0;
    PIX *straight = pixFindSkewAndDeskew(*pix, 2, &angle, &conf);

    if (!straight)
        return 0;
    if (straight == *pix || fabs(angle) < SKEW_MIN_ANGLE) {
        pixDestroy(&straight);
        return 0;
    }
    pixDestroy(pix);
    *pix = straight;
    return round((double)angle * 100.0) / 100.0;
}

/* ------------------------------------------------------------- text */

/* The page's text from a reading: blocks and paragraphs separated by a
 * blank line, lines in reading order, words joined by a space. */
static int reading_text(const reading *rd, dc_ocr_result *r)
{
    dc_buf b = DC_BUF_INIT;
    size_t i, j;
    int err = DC_OK, prev_block = -1;

    dc_buf_init(&b, PAGE_TEXT_MAX);
    for (i = 0; i < rd->nlines && err >= 0; i++) {
        const rline *ln = &rd->lines[i];
        if (b.len > 0)
            err = dc_buf_puts(&b, (ln->block != prev_block || ln->para) ? "\n\n" : "\n");
        for (j = 0; j < ln->n && err >= 0; j++) {
            if (j > 0)
                err = dc_buf_putc(&b, ' ');
            if (err >= 0)
                err = dc_buf_puts(&b, rd->words[ln->first + j].text);
        }
        prev_block = ln->block;
    }
    if (err < 0) {
        dc_buf_dispose(&b);
        return err;
    }
    free(r->text);
    r->text = dc_buf_detach(&b, &r->len);
    return r->text ? DC_OK : dc_error_oom();
}

static double conf2(double c)
{
    return round(c * 100.0) / 100.0;
}

/* Word boxes and confidences, lines keeping their words:
 * {"width", "height", "lines": [{"bbox": [l,t,r,b], "conf", "block",
 * "words": [{"text", "bbox", "conf"}]}]}, in pixels of the page image
 * turned upright and deskewed, before any scaling (k is the scale that was
 * applied to the image recognised). */
static json_t *words_json(const reading *rd, int width, int height, double k)
{
    json_t *root = json_pack("{s:i,s:i,s:[]}", "width", width, "height", height, "lines");
    json_t *lines = root ? json_object_get(root, "lines") : NULL;
    size_t i, j;

#define BOX(b)                                                                                     \
    json_pack("[iiii]", (int)lround((b)[0] / k), (int)lround((b)[1] / k), (int)lround((b)[2] / k), \
              (int)lround((b)[3] / k))
    for (i = 0; root && i < rd->nlines; i++) {
        const rline *ln = &rd->lines[i];
        json_t *words = json_array(), *line;
        for (j = 0; words && j < ln->n; j++) {
            const rword *w = &rd->words[ln->first + j];
            if (json_array_append_new(words, json_pack("{s:s,s:o,s:f}", "text", w->text, "bbox",
                                                       BOX(w->box), "conf", conf2(w->conf))) < 0) {
                json_decref(words);
                words = NULL;
            }
        }
        line = words ? json_pack("{s:o,s:f,s:i,s:o}", "bbox", BOX(ln->box), "conf", conf2(ln->conf),
                                 "block", ln->block, "words", words)
                     : NULL;
        if (!line || json_array_append_new(lines, line) < 0) {
            json_decref(root);
            root = NULL;
        }
    }
#undef BOX
    return root;
}

/* The kept words, typed, with boxes as fractions of the page as rendered:
 * the pixels of words_json (rounded alike), turned and deskewed back. */
static int page_words(
    dc_words *out, const reading *rd, int width, int height, double k, int rotation, double skew)
{
    size_t i, j;
    int err = DC_OK;

    if (width <= 0 || height <= 0)
        return DC_OK;
    for (i = 0; i < rd->nlines && err >= 0; i++) {
        const rline *ln = &rd->lines[i];
        for (j = 0; j < ln->n && err >= 0; j++) {
            const rword *w = &rd->words[ln->first + j];
            double box[4];
            int q;
            for (q = 0; q < 4; q++)
                box[q] = (double)lround(w->box[q] / k) / (q % 2 ? height : width);
            if (rotation || skew != 0)
                dc_word_box_unrotate(box, width, height, rotation, skew);
            err = dc_words_add(out, w->text, strlen(w->text), box, conf2(w->conf));
        }
    }
    return err;
}

/* ------------------------------------------------------------- tables */

typedef struct {
    const char *text;
    int l, t, r, b;
} lword;

static int lword_cmp_y(const void *a, const void *b)
{
    const lword *x = a, *y = b;
    int cx = x->t + x->b, cy = y->t + y->b;
    return (cx > cy) - (cx < cy);
}

static int lword_cmp_x(const void *a, const void *b)
{
    const lword *x = a, *y = b;
    return (x->l > y->l) - (x->l < y->l);
}

/* One row: words left to right; a wide gap separates cells (a tab), except
 * after a word ending in ':' where the next word is its value ("key: value"). */
static int row_put(dc_buf *b, lword *w, size_t n)
{
    int h = 1, err = DC_OK;
    size_t i;

    qsort(w, n, sizeof(*w), lword_cmp_x);
    for (i = 0; i < n; i++)
        h = w[i].b - w[i].t > h ? w[i].b - w[i].t : h;
    for (i = 0; i < n && err >= 0; i++) {
        if (i > 0) {
            size_t pl = strlen(w[i - 1].text);
            int key = pl > 1 && w[i - 1].text[pl - 1] == ':';
            int wide = w[i].l - w[i - 1].r > 2 * h;
            err = dc_buf_putc(b, wide && !key ? '\t' : ' ');
        }
        if (err >= 0)
            err = dc_buf_puts(b, w[i].text ? w[i].text : "");
    }
    return err;
}

/* Rebuild the text row by row from the word boxes, for TABLES and FORMS:
 * Tesseract reads a table column by column as separate blocks, while the
 * service keeps each table row on its own line with its cells in order.
 * Words whose vertical centre falls inside the current row's band join it. */
static int layout_text(const reading *rd, dc_ocr_result *r)
{
    lword *w = NULL;
    size_t n = rd->kept, start = 0, i, j, k = 0;
    dc_buf b = DC_BUF_INIT;
    int err = DC_OK, top = 0, bottom = 0;

    if (n == 0)
        return DC_OK;
    w = calloc(n, sizeof(*w));
    if (!w)
        return dc_error_oom();
    for (i = 0; i < rd->nlines; i++) {
        for (j = 0; j < rd->lines[i].n && k < n; j++) {
            const rword *x = &rd->words[rd->lines[i].first + j];
            w[k++] = (lword){x->text, x->box[0], x->box[1], x->box[2], x->box[3]};
        }
    }
    n = k;
    dc_buf_init(&b, PAGE_TEXT_MAX);
    qsort(w, n, sizeof(*w), lword_cmp_y);
    for (i = 0; i <= n && err >= 0; i++) {
        int mid = i < n ? (w[i].t + w[i].b) / 2 : 0;
        if (i > start && (i == n || mid > bottom || mid < top)) {
            if (b.len > 0)
                err = dc_buf_putc(&b, '\n');
            if (err >= 0)
                err = row_put(&b, w + start, i - start);
            start = i;
        }
        if (i < n && i == start) {
            top = w[i].t;
            bottom = w[i].b;
        }
    }
    if (err >= 0) {
        free(r->text);
        r->text = dc_buf_detach(&b, &r->len);
        err = r->text ? DC_OK : dc_error_oom();
    }
    dc_buf_dispose(&b);
    free(w);
    return err;
}

static int apply_layout(const reading *rd, dc_ocr_result *r, const dc_ocr_options *o)
{
    int err;

    if (!o->tables && !o->forms)
        return DC_OK;
    err = layout_text(rd, r);
    if (err >= 0 && o->tables)
        err = info_warn(r, "DOCCLASS_TABLES_APPROXIMATED",
                        "TABLES approximated: table rows rebuilt from OCR word boxes, cells "
                        "separated by tabs; merged cells and cell structure are not recovered");
    if (err >= 0 && o->forms)
        err = info_warn(r, "DOCCLASS_FORMS_APPROXIMATED",
                        "FORMS approximated: 'key: value' pairs only where a key ending in ':' "
                        "and its value share a line; check boxes are not read");
    return err;
}

/* ------------------------------------------------------------- one page */

/* What one page's reading needs besides the image. */
typedef struct {
    engine *e;
    const dc_ocr_options *o;
    dc_ocr_result *r;
    double deadline;
    int dpi;        /* resolution given to the recogniser */
    double text_px; /* character height in the prepared image */
    unsigned retry; /* DC_PREP_* steps for a second reading */
    int text_items; /* text-like components measured on the page */
} page_ctx;

/* Read a prepared image as it is: automatic layout, then what the layout
 * left out. */
static int read_image(page_ctx *c, PIX *pix, reading *rd)
{
    int err;

    TessBaseAPISetImage2(c->e->api, pix);
    TessBaseAPISetSourceResolution(c->e->api, c->dpi);
    err = recognise(c->e, c->deadline, c->r);
    if (err >= 0)
        err = collect_words(c->e->api, rd);
    if (err >= 0) {
        double t0 = now_seconds();
        err = recover_missed(c->e, pix, c->deadline, rd, c->r);
        rd->recovery = now_seconds() - t0;
        if (err >= 0) {
            rd->regions = err;
            err = DC_OK;
        }
    }
    TessBaseAPIClear(c->e->api);
    if (err >= 0)
        err = reading_finish(rd);
    return err;
}

/* Read the page turned by a quarter turn (deg clockwise found: turned
 * back), deskewed; *turned receives the image read (owned). */
static int read_turned(
    page_ctx *c, PIX *pix, int deg, unsigned enhance, reading *rd, PIX **turned, double *skew)
{
    double t0 = now_seconds();
    PIX *p = deg ? pixRotateOrth(pix, (360 - deg) / 90) : pixClone(pix);
    int err;

    *turned = NULL;
    *skew = 0;
    if (!p)
        return dc_error_oom();
    if (c->o->rotate)
        *skew = fix_skew(&p);
    if (enhance) {
        PIX *better = dc_prep_enhance(p, enhance, c->text_px);
        pixDestroy(&p);
        if (!better)
            return dc_error_oom();
        p = better;
    }
    rd->rotation = deg;
    rd->enhanced = enhance;
    err = read_image(c, p, rd);
    rd->seconds = now_seconds() - t0;
    if (err < 0) {
        pixDestroy(&p);
        return err;
    }
    *turned = p;
    return DC_OK;
}

/* How much a reading can be trusted to have read: its letters and digits,
 * each weighted by how far its word's confidence is above SCORE_FLOOR
 * (upside-down text and picture noise read at 20-35 and count for
 * nothing; a page read at 40 with all its words beats one read at 60 with
 * a tenth of them). */
static double reading_score(const reading *rd)
{
    double sum = 0;
    size_t i, j;

    for (i = 0; i < rd->nlines; i++) {
        for (j = 0; j < rd->lines[i].n; j++) {
            const rword *w = &rd->words[rd->lines[i].first + j];
            double wgt = (w->conf - SCORE_FLOOR) / (100.0 - SCORE_FLOOR);
            if (wgt > 0)
                sum += (double)alnum_count(w->text) * (wgt > 1 ? 1 : wgt);
        }
    }
    return sum;
}

/* A reading that read little of what the page holds: fewer letters and
 * digits than READ_SHARE_MIN of the text-like components measured on the
 * page. An upside-down page can read a word or two with confidence and
 * leave the rest to the layout's pictures. */
static int read_little(const page_ctx *c, const reading *rd)
{
    size_t i, j, n = 0;

    if (c->text_items < READ_ITEMS_MIN)
        return 0;
    for (i = 0; i < rd->nlines; i++)
        for (j = 0; j < rd->lines[i].n; j++)
            n += alnum_count(rd->words[rd->lines[i].first + j].text);
    return (double)n < READ_SHARE_MIN * (double)c->text_items;
}

/* A second reading wins when it scores clearly better. */
static int better(const reading *a, const reading *b)
{
    return reading_score(b) > reading_score(a) * SCORE_MARGIN;
}

typedef struct {
    reading rd;
    PIX *pix;
    double skew;
} candidate;

static void candidate_dispose(candidate *k)
{
    reading_dispose(&k->rd);
    pixDestroy(&k->pix);
}

static json_t *steps_json(unsigned steps)
{
    json_t *a = json_array();
    unsigned s;

    for (s = 1; a && s < (1u << DC_PREP_NSTEPS); s <<= 1)
        if ((steps & s) && json_array_append_new(a, json_string(dc_prep_step_name(s))) < 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static double ms(double seconds)
{
    return round(seconds * 1000.0) / 1000.0;
}

static json_t *reading_json(const reading *rd)
{
    return json_pack("{s:i,s:b,s:o,s:f,s:I,s:i,s:f,s:f}", "rotation", rd->rotation, "sideways",
                     rd->sideways, "steps", steps_json(rd->enhanced), "mean_confidence",
                     conf2(rd->mean_conf), "words", (json_int_t)rd->kept, "recovered_regions",
                     rd->regions, "seconds", ms(rd->seconds), "recovery_seconds", ms(rd->recovery));
}

static double box_iou(const int *a, const int *b)
{
    double ix = (double)((a[2] < b[2] ? a[2] : b[2]) - (a[0] > b[0] ? a[0] : b[0]));
    double iy = (double)((a[3] < b[3] ? a[3] : b[3]) - (a[1] > b[1] ? a[1] : b[1]));
    double ua, ub;

    if (ix <= 0 || iy <= 0)
        return 0;
    ua = (double)(a[2] - a[0]) * (double)(a[3] - a[1]);
    ub = (double)(b[2] - b[0]) * (double)(b[3] - b[1]);
    return ix * iy / (ua + ub - ix * iy);
}

/* Two readings of one page in the same geometry (as it is, and with the
 * second-reading steps) get different words wrong: a word of the kept
 * reading that the other one read in the same place (boxes overlapping by
 * MERGE_IOU) with MERGE_MARGIN more confidence takes the other's text.
 * Returns the number of words taken. Measured on the faint dot-matrix
 * receipts of the corpus: mean word F1 of 13 of them 0.631 -> 0.646. */
static int merge_words(reading *base, const reading *other)
{
    size_t i, j, a, b, n = 0;
    double sum = 0;
    int swaps = 0;

    for (i = 0; i < base->nlines; i++) {
        for (j = 0; j < base->lines[i].n; j++) {
            rword *w = &base->words[base->lines[i].first + j];
            const rword *m = NULL;
            double bi = MERGE_IOU;
            for (a = 0; a < other->nlines; a++) {
                const rline *ol = &other->lines[a];
                if (ol->box[3] < w->box[1] || ol->box[1] > w->box[3])
                    continue;
                for (b = 0; b < ol->n; b++) {
                    const rword *o = &other->words[ol->first + b];
                    double v = box_iou(w->box, o->box);
                    if (v >= bi) {
                        bi = v;
                        m = o;
                    }
                }
            }
            if (m && m->conf > w->conf + MERGE_MARGIN && strcmp(m->text, w->text) != 0) {
                char *t = strdup(m->text);
                if (!t)
                    return dc_error_oom();
                base->chars += strlen(t) - strlen(w->text);
                free(w->text);
                w->text = t;
                w->conf = m->conf;
                swaps++;
            }
            sum += w->conf;
            n++;
        }
    }
    base->mean_conf = n ? sum / (double)n : 0;
    return swaps;
}

/* Read the page once more (turned by deg, with the enhance steps) and
 * keep that reading when it is better. A second reading that runs out of
 * time is dropped: the first one stands. */
static int
try_other(page_ctx *c, PIX *pix, int deg, unsigned enhance, candidate *best, json_t *tried)
{
    candidate alt = {0};
    int err;

    if (c->deadline > 0 && now_seconds() >= c->deadline)
        return DC_OK;
    err = read_turned(c, pix, deg, enhance, &alt.rd, &alt.pix, &alt.skew);
    if (err >= 0) {
        if (json_array_append_new(tried, reading_json(&alt.rd)) < 0)
            err = dc_error_oom();
        if (better(&best->rd, &alt.rd)) {
            candidate t = *best;
            *best = alt;
            alt = t;
        }
        if (err >= 0 && enhance && alt.rd.rotation == best->rd.rotation) {
            int taken = merge_words(&best->rd, &alt.rd);
            if (taken < 0)
                err = taken;
            else
                best->rd.merged = taken;
        }
    } else if (err == DC_ETIMEOUT) {
        err = DC_OK;
    }
    candidate_dispose(&alt);
    return err;
}

/* Orientation you can trust. The page is read as it is first: most pages
 * are upright, and the automatic layout reads sideways text itself; a page
 * that reads well is done, without OSD (about as costly as a reading).
 * A page that reads poorly gets OSD: its turn, when OSD finds one with at
 * least OSD_HINT confidence, or else upside down when the reading was very
 * poor, is read too, and the better reading is kept (reading_score): a
 * turn is never taken on OSD's word alone. Then a page that still reads
 * poorly is read once more with the plan's second-reading steps. */
static int read_best(page_ctx *c, PIX *pix, candidate *best, json_t *tried)
{
    double osd_conf = 0;
    int deg, other = -1, little, err;

    err = read_turned(c, pix, 0, 0, &best->rd, &best->pix, &best->skew);
    if (err >= 0 && json_array_append_new(tried, reading_json(&best->rd)) < 0)
        err = dc_error_oom();
    little = err >= 0 && read_little(c, &best->rd);
    if (err >= 0 && c->o->rotate && (best->rd.mean_conf < GOOD_CONF || little)) {
        double t0 = now_seconds();
        deg = detect_orientation(c->e, pix, c->dpi, &osd_conf);
        if (c->e->osd &&
            json_object_set_new(c->r->info, "osd",
                                json_pack("{s:i,s:f,s:f}", "rotation", deg, "confidence", osd_conf,
                                          "seconds", ms(now_seconds() - t0))) < 0)
            err = dc_error_oom();
        if (deg && osd_conf >= OSD_HINT)
            other = deg;
        else if (best->rd.mean_conf < POOR_CONF || little)
            other = 180; /* upside down is how pages are most often fed wrong */
        if (err >= 0 && other > 0)
            err = try_other(c, pix, other, 0, best, tried);
    }
    if (err >= 0 && best->rd.mean_conf < GOOD_CONF && best->rd.kept > 0 && c->retry)
        err = try_other(c, pix, best->rd.rotation, c->retry, best, tried);
    return err;
}

/* Measure the page and prepare it (ocr_prep.c); what was measured and
 * the steps that ran go into info "prep". */
static int prepare(page_ctx *c, PIX **pix, int dpi, double *scale)
{
    dc_prep_facts f;
    dc_prep_plan plan;
    json_t *prep;
    int done, rules;

    double t0 = now_seconds(), t1;

    *scale = 1;
    if (dc_prep_measure(*pix, dpi, &f) < 0)
        return dc_error_oom();
    t1 = now_seconds();
    dc_prep_plan_for(&f, &plan);
    done = dc_prep_apply(pix, &plan);
    if (done < 0)
        return dc_error_oom();
    *scale = (done & (DC_PREP_UPSCALE | DC_PREP_DOWNSCALE)) ? plan.scale : 1;
    c->dpi = plan.dpi;
    c->text_px = f.text_px * *scale;
    c->retry = plan.retry;
    c->text_items = f.text_items;
    rules = (plan.steps & DC_PREP_RULES) ? dc_prep_erase_rules(pix, c->text_px) : 0;
    if (rules < 0)
        return dc_error_oom();
    if (rules > 0)
        done |= DC_PREP_RULES;
    prep = json_pack("{s:f,s:f,s:i,s:f,s:f,s:b,s:o,s:f,s:f}", "text_height", f.text_px,
                     "small_text_height", f.small_px, "text_items", f.text_items, "scale",
                     round(*scale * 1000.0) / 1000.0, "background_spread", f.bg_spread,
                     "dpi_from_text", plan.dpi_from_text, "steps", steps_json((unsigned)done),
                     "measure_seconds", ms(t1 - t0), "seconds", ms(now_seconds() - t0));
    if (!prep || json_object_set_new(c->r->info, "prep", prep) < 0 ||
        json_object_set_new(c->r->info, "dpi", json_integer(plan.dpi)) < 0)
        return dc_error_oom();
    return DC_OK;
}

static int finish(page_ctx *c, candidate *best, double scale)
{
    const reading *rd = &best->rd;
    int w = (int)lround(pixGetWidth(best->pix) / scale);
    int h = (int)lround(pixGetHeight(best->pix) / scale);
    int err;

    c->r->rotation = rd->rotation;
    c->r->skew = best->skew;
    c->r->width = w;
    c->r->height = h;
    if (json_object_set_new(c->r->info, "sideways", json_boolean(rd->sideways)) < 0 ||
        json_object_set_new(c->r->info, "merged_words", json_integer(rd->merged)) < 0)
        return dc_error_oom();
    c->r->mean_conf = conf2(rd->mean_conf);
    err = reading_text(rd, c->r);
    if (err < 0)
        return err;
    c->r->lines = words_json(rd, w, h, scale);
    if (!c->r->lines)
        return dc_error_oom();
    err = page_words(&c->r->words, rd, w, h, scale, rd->rotation, best->skew);
    if (err < 0)
        return err;
    return apply_layout(rd, c->r, c->o);
}

/* OCR one page: measure and prepare, orientation, reading(s), text.
 * Every failure stays in r (err, errcode, errmsg). */
static void ocr_page(engine *e, PIX **pix, int dpi, dc_ocr_result *r, const dc_ocr_options *o)
{
    double t0 = now_seconds(), scale = 1;
    page_ctx c = {e, o, r, o->page_timeout > 0 ? t0 + o->page_timeout : 0, dpi, 0, 0, 0};
    candidate best = {0};
    json_t *tried = json_array();
    int err;

    r->info = json_pack("{s:i}", "dpi", dpi);
    if (!r->info || !tried) {
        json_decref(tried);
        page_fail(r, DC_ENOMEM, "DOCCLASS_OCR_FAILED", "out of memory");
        return;
    }
    if (o->rotate && !e->osd)
        (void)info_warn(r, "DOCCLASS_NO_OSD",
                        "osd.traineddata is not installed: page orientation was not checked");
    err = prepare(&c, pix, dpi, &scale);
    if (err >= 0)
        err = read_best(&c, *pix, &best, tried);
    if (json_object_set_new(r->info, "readings", tried) < 0 && err >= 0)
        err = dc_error_oom();
    if (err >= 0)
        err = finish(&c, &best, scale);
    candidate_dispose(&best);
    r->seconds = round((now_seconds() - t0) * 1000.0) / 1000.0;
    if (err == DC_ETIMEOUT)
        page_fail(r, DC_ETIMEOUT, "DOCCLASS_PAGE_TIMEOUT",
                  "OCR took longer than the page timeout (%g s)", o->page_timeout);
    else if (err < 0 && !r->err)
        page_fail(r, err, "DOCCLASS_OCR_FAILED", "%s", dc_error_last()->message);
}

/* ------------------------------------------------------------- pool */

typedef struct {
    PIX *pix;
    int dpi;
    size_t index;
} slot;

typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t can_put, can_get;
    slot q[QUEUE_CAP];
    size_t head, count;
    size_t n, done; /* pages to read, pages read */
    dc_ocr_result *results;
    const dc_ocr_options *o;
    int closed;
    int cancelled; /* the progress callback said stop */
} pool;

typedef struct {
    pool *p;
    engine e;
    pthread_t tid;
    int started;
} worker;

static int pool_get(pool *p, slot *out)
{
    int got = 0;

    (void)pthread_mutex_lock(&p->mu);
    while (p->count == 0 && !p->closed)
        (void)pthread_cond_wait(&p->can_get, &p->mu);
    if (p->count > 0) {
        *out = p->q[p->head];
        p->head = (p->head + 1) % QUEUE_CAP;
        p->count--;
        got = 1;
        (void)pthread_cond_signal(&p->can_put);
    }
    (void)pthread_mutex_unlock(&p->mu);
    return got;
}

static void pool_put(pool *p, PIX *pix, int dpi, size_t index)
{
    (void)pthread_mutex_lock(&p->mu);
    while (p->count == QUEUE_CAP)
        (void)pthread_cond_wait(&p->can_put, &p->mu);
    p->q[(p->head + p->count) % QUEUE_CAP] = (slot){pix, dpi, index};
    p->count++;
    (void)pthread_cond_signal(&p->can_get);
    (void)pthread_mutex_unlock(&p->mu);
}

static void pool_close(pool *p)
{
    (void)pthread_mutex_lock(&p->mu);
    p->closed = 1;
    (void)pthread_cond_broadcast(&p->can_get);
    (void)pthread_mutex_unlock(&p->mu);
}

/* A page read: counted, and told to the progress callback (under the
 * pool's lock: one call at a time), which may stop the run. */
static void page_done(pool *p, size_t index)
{
    (void)pthread_mutex_lock(&p->mu);
    p->done++;
    if (p->o->progress && !p->cancelled) {
        dc_progress pr = {(p->o->page_of ? p->o->page_of[index] : index) + 1, p->done, p->n};
        p->cancelled = p->o->progress(&pr, p->o->progress_payload) != 0;
    }
    (void)pthread_mutex_unlock(&p->mu);
}

static int is_cancelled(pool *p)
{
    int c;

    (void)pthread_mutex_lock(&p->mu);
    c = p->cancelled;
    (void)pthread_mutex_unlock(&p->mu);
    return c;
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    slot s;

    one_thread_per_engine();
    while (pool_get(w->p, &s)) {
        if (is_cancelled(w->p)) /* queued before the stop: not read */
            page_fail(&w->p->results[s.index], DC_ECANCELED, "DOCCLASS_CANCELLED", "cancelled");
        else {
            ocr_page(&w->e, &s.pix, s.dpi, &w->p->results[s.index], w->p->o);
            page_done(w->p, s.index);
        }
        pixDestroy(&s.pix);
    }
    return NULL;
}

/* Render page i in the calling thread and queue it (blocks while the
 * queue is full). A page that cannot be rendered gets its own error. */
static void feed(pool *p, size_t i, dc_render_fn render, void *payload)
{
    dc_gray g = {0};
    dc_ocr_result *r = &p->results[i];
    PIX *pix = NULL;
    int err = render(payload, i, &g);

    if (err < 0) {
        page_fail(r, err, "DOCCLASS_RENDER_FAILED", "%s", dc_error_last()->message);
        dc_gray_dispose(&g);
        return;
    }
    pix = gray_to_pix(&g);
    if (!pix) {
        page_fail(r, DC_ENOMEM, "DOCCLASS_RENDER_FAILED", "cannot hold a %dx%d page image", g.width,
                  g.height);
        dc_gray_dispose(&g);
        return;
    }
    pool_put(p, pix, g.dpi > 0 ? g.dpi : 0, i); /* 0: unknown, judged from the text */
    dc_gray_dispose(&g);
}

static int resolve_jobs(int jobs, size_t n)
{
    long cores;

    if (jobs <= 0) {
        cores = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = cores > 0 ? (int)(cores > MAX_JOBS ? MAX_JOBS : cores) : 1;
    }
    if (jobs > MAX_JOBS)
        jobs = MAX_JOBS;
    if ((size_t)jobs > n)
        jobs = (int)n;
    return jobs < 1 ? 1 : jobs;
}

/* Engines are all started here, before any page is rendered, so a bad
 * language fails the whole run at once. */
dc_thread_create_fn dc_ocr__thread_create = pthread_create;

static int workers_open(worker *w, int jobs, pool *p, const dc_ocr_options *o)
{
    int i, err, rc = 0;

    for (i = 0; i < jobs; i++) {
        w[i].p = p;
        err = engine_open(&w[i].e, o->lang, o->rotate);
        if (err < 0)
            return err;
    }
    for (i = 0; i < jobs; i++) {
        rc = dc_ocr__thread_create(&w[i].tid, NULL, worker_main, &w[i]);
        if (rc != 0) /* pthread_create returns its error; errno is not set */
            break;
        w[i].started = 1;
    }
    if (i == 0)
        return dc_error_set(DC_EOCR, "cannot start an OCR thread: %s", strerror(rc));
    return DC_OK;
}

static void workers_close(worker *w, int jobs)
{
    int i;

    for (i = 0; i < jobs; i++) {
        if (w[i].started)
            (void)pthread_join(w[i].tid, NULL);
        engine_close(&w[i].e);
    }
}

void dc_ocr_process_init(void)
{
    (void)pthread_once(&once, process_init);
}

int dc_ocr_pages(
    dc_ocr_result *results, size_t n, dc_render_fn render, void *payload, const dc_ocr_options *o)
{
    pool p = {.results = results, .o = o, .n = n};
    worker *w = NULL;
    const char *lang = o->lang ? o->lang : "eng";
    int jobs = resolve_jobs(o->jobs, n), err;
    size_t i;

    err = dc_ocr_available();
    if (err < 0)
        return err;
    if (!lang_valid(lang))
        return dc_error_set(DC_EOCR, "language '%s' is not a valid Tesseract language list", lang);
    w = calloc((size_t)jobs, sizeof(*w));
    if (!w)
        return dc_error_oom();
    (void)pthread_mutex_init(&p.mu, NULL);
    (void)pthread_cond_init(&p.can_put, NULL);
    (void)pthread_cond_init(&p.can_get, NULL);
    err = workers_open(w, jobs, &p, o);
    if (err >= 0) {
        for (i = 0; i < n && !is_cancelled(&p); i++)
            feed(&p, i, render, payload);
    }
    pool_close(&p);
    workers_close(w, jobs);
    if (err >= 0 && p.cancelled)
        err = dc_error_set(DC_ECANCELED,
                           "cancelled by the progress callback after %zu of %zu "
                           "OCR pages",
                           p.done, n);
    (void)pthread_cond_destroy(&p.can_get);
    (void)pthread_cond_destroy(&p.can_put);
    (void)pthread_mutex_destroy(&p.mu);
    free(w);
    return err < 0 ? err : DC_OK;
}

int dc_ocr_page_info(json_t **out, dc_ocr_result *r)
{
    json_t *ocr = json_pack("{s:f,s:f,s:i,s:f}", "mean_confidence", r->mean_conf, "seconds",
                            r->seconds, "rotation", r->rotation, "skew", r->skew);

    *out = NULL;
    if (!ocr)
        return dc_error_oom();
    if (r->info && json_object_update(ocr, r->info) < 0)
        goto oom;
    json_object_del(ocr, "warnings");
    if (r->lines) {
        if (json_object_set(ocr, "width", json_object_get(r->lines, "width")) < 0 ||
            json_object_set(ocr, "height", json_object_get(r->lines, "height")) < 0 ||
            json_object_set_new(ocr, "lines", json_incref(json_object_get(r->lines, "lines"))) < 0)
            goto oom;
    }
    *out = json_pack("{s:o}", "ocr", ocr);
    if (!*out)
        return dc_error_oom();
    return DC_OK;
oom:
    json_decref(ocr);
    return dc_error_oom();
}

int dc_ocr_emit_warnings(dc_document *doc, int page, const dc_ocr_result *r)
{
    const json_t *wa;
    size_t i;
    int err;

    json_array_foreach(json_object_get(r->info, "warnings"), i, wa)
    {
        err = dc_doc_warn(doc, page, json_string_value(json_object_get(wa, "code")), "%s",
                          json_string_value(json_object_get(wa, "message")));
        if (err < 0)
            return err;
    }
    return DC_OK;
}
