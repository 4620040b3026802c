/*
 * OCR stage: Tesseract (C API) on grey page images, with Leptonica for
 * orientation and skew correction. A pool of worker threads, each with its
 * own engine created once, takes pages from a small bounded queue that the
 * calling thread fills in page order, so memory stays flat however long the
 * document is. The only file that includes the Tesseract headers.
 */
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

/*
 * Tesseract is loaded on first use (dlopen), not linked: libtesseract and
 * what it pulls in (libgomp, libarchive, ...) cost about 60 ms at every
 * start of a process that never OCRs (DOCX, digital PDFs, scan), and
 * libgomp reads OMP_THREAD_LIMIT only when it is loaded, so loading it here,
 * after the variable is set, is what makes the limit hold without
 * restarting the process.
 */
#define DC_TESS_SONAME "libtesseract.so.5"
#define DC_TESS_FUNCS(X)                      \
    X(TessBaseAPIClear)                       \
    X(TessBaseAPICreate)                      \
    X(TessBaseAPIDelete)                      \
    X(TessBaseAPIDetectOrientationScript)     \
    X(TessBaseAPIEnd)                         \
    X(TessBaseAPIGetDatapath)                 \
    X(TessBaseAPIGetIterator)                 \
    X(TessBaseAPIGetUTF8Text)                 \
    X(TessBaseAPIInit2)                       \
    X(TessBaseAPIMeanTextConf)                \
    X(TessBaseAPIRecognize)                   \
    X(TessBaseAPISetImage2)                   \
    X(TessBaseAPISetSourceResolution)         \
    X(TessBaseAPISetVariable)                 \
    X(TessDeleteText)                         \
    X(TessMonitorCreate)                      \
    X(TessMonitorDelete)                      \
    X(TessMonitorSetDeadlineMSecs)            \
    X(TessPageIteratorBoundingBox)            \
    X(TessPageIteratorIsAtBeginningOf)        \
    X(TessResultIteratorConfidence)           \
    X(TessResultIteratorDelete)               \
    X(TessResultIteratorGetPageIteratorConst) \
    X(TessResultIteratorGetUTF8Text)          \
    X(TessResultIteratorNext)

#define DC_TESS_PTR(f) static __typeof__(f) *dl_##f;
DC_TESS_FUNCS(DC_TESS_PTR)
#undef DC_TESS_PTR
#define TessBaseAPIClear                       dl_TessBaseAPIClear
#define TessBaseAPICreate                      dl_TessBaseAPICreate
#define TessBaseAPIDelete                      dl_TessBaseAPIDelete
#define TessBaseAPIDetectOrientationScript     dl_TessBaseAPIDetectOrientationScript
#define TessBaseAPIEnd                         dl_TessBaseAPIEnd
#define TessBaseAPIGetDatapath                 dl_TessBaseAPIGetDatapath
#define TessBaseAPIGetIterator                 dl_TessBaseAPIGetIterator
#define TessBaseAPIGetUTF8Text                 dl_TessBaseAPIGetUTF8Text
#define TessBaseAPIInit2                       dl_TessBaseAPIInit2
#define TessBaseAPIMeanTextConf                dl_TessBaseAPIMeanTextConf
#define TessBaseAPIRecognize                   dl_TessBaseAPIRecognize
#define TessBaseAPISetImage2                   dl_TessBaseAPISetImage2
#define TessBaseAPISetSourceResolution         dl_TessBaseAPISetSourceResolution
#define TessBaseAPISetVariable                 dl_TessBaseAPISetVariable
#define TessDeleteText                         dl_TessDeleteText
#define TessMonitorCreate                      dl_TessMonitorCreate
#define TessMonitorDelete                      dl_TessMonitorDelete
#define TessMonitorSetDeadlineMSecs            dl_TessMonitorSetDeadlineMSecs
#define TessPageIteratorBoundingBox            dl_TessPageIteratorBoundingBox
#define TessPageIteratorIsAtBeginningOf        dl_TessPageIteratorIsAtBeginningOf
#define TessResultIteratorConfidence           dl_TessResultIteratorConfidence
#define TessResultIteratorDelete               dl_TessResultIteratorDelete
#define TessResultIteratorGetPageIteratorConst dl_TessResultIteratorGetPageIteratorConst
#define TessResultIteratorGetUTF8Text          dl_TessResultIteratorGetUTF8Text
#define TessResultIteratorNext                 dl_TessResultIteratorNext

static void *tess_lib;
static char tess_error[256];

#define MAX_JOBS       64
#define QUEUE_CAP      1          /* images waiting beyond those being read */
#define PAGE_TEXT_MAX  (4u << 20) /* bytes of text per page */
#define OSD_MIN_CONF   2.0        /* orientation confidence needed to rotate */
#define SKEW_MIN_ANGLE 0.1        /* degrees; below it the page is left alone */
#define LANG_MAX       128

/* ------------------------------------------------------------- process */

static pthread_once_t once = PTHREAD_ONCE_INIT;

/* libgomp reads OMP_THREAD_LIMIT when it initialises, which happens on the
 * first Tesseract call: without it each engine spawns a thread per core and
 * the workers fight (16 s instead of 4 s a page). A user's own value wins. */
/* Load libtesseract and resolve the functions used here. */
static void load_tesseract(void)
{
    static const dc_dl_sym syms[] = {DC_TESS_FUNCS(DC_DL_SYM)};

    tess_lib = dc_dl_open(DC_TESS_SONAME, syms, sizeof(syms) / sizeof(syms[0]), tess_error,
                          sizeof(tess_error));
}

static void process_init(void)
{
    (void)setenv("OMP_THREAD_LIMIT", "1", 0);
    (void)setMsgSeverity(L_SEVERITY_NONE);
}

static pthread_once_t tess_once = PTHREAD_ONCE_INIT;

int dc_ocr_available(void)
{
    dc_ocr_process_init();
    (void)pthread_once(&tess_once, load_tesseract);
    if (tess_error[0])
        return dc_error_set(DC_EOCR, "%s", tess_error);
    return DC_OK;
}

int dc_ocr_thread_limit(void)
{
    int (*limit)(void);
    void *sym;

    if (dc_ocr_available() < 0)
        return -1;
    sym = dlsym(tess_lib, "omp_get_thread_limit");
    if (!sym)
        return 0; /* not built with OpenMP */
    memcpy(&limit, &sym, sizeof(sym));
    return limit();
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
    o->rotate = doc->opts.rotate;
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
    json_decref(r->words);
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

/* Orientation: OSD on the legacy engine gives the quadrant the text faces;
 * the page is turned upright with pixRotateOrth when the detection is
 * confident. Pages without enough text are left as they are. */
static void fix_orientation(engine *e, PIX **pix, int dpi, dc_ocr_result *r)
{
    int deg = 0, quads;
    float conf = 0, sconf = 0;
    const char *script = NULL;
    PIX *turned;

    if (!e->osd)
        return;
    TessBaseAPISetImage2(e->osd, *pix);
    TessBaseAPISetSourceResolution(e->osd, dpi);
    if (!TessBaseAPIDetectOrientationScript(e->osd, &deg, &conf, &script, &sconf))
        deg = 0;
    /* script points into the engine's unicharset in 5.x, despite capi.h's
     * comment: freeing it is a double free when the engine ends. */
    TessBaseAPIClear(e->osd);
    if (deg % 90 != 0 || deg <= 0 || deg >= 360 || conf < OSD_MIN_CONF)
        return;
    quads = (360 - deg) / 90; /* deg is clockwise from upright: turn back */
    turned = pixRotateOrth(*pix, quads);
    if (!turned)
        return;
    pixDestroy(pix);
    *pix = turned;
    r->rotation = deg;
}

/* Small skew (up to about 7 degrees): Leptonica's projection search on a
 * binarised copy; the page is rotated only when the angle is found with
 * confidence, which pixFindSkewAndDeskew decides (it returns a clone when
 * it leaves the page alone). */
static void fix_skew(PIX **pix, dc_ocr_result *r)
{
    l_float32 angle = 0, conf = 0;
    PIX *straight = pixFindSkewAndDeskew(*pix, 2, &angle, &conf);

    if (!straight)
        return;
    if (straight == *pix || fabs(angle) < SKEW_MIN_ANGLE) {
        pixDestroy(&straight);
        return;
    }
    pixDestroy(pix);
    *pix = straight;
    r->skew = round((double)angle * 100.0) / 100.0;
}

/* ------------------------------------------------------------- results */

static json_t *box_json(const TessPageIterator *it, TessPageIteratorLevel level)
{
    int l = 0, t = 0, rt = 0, b = 0;

    if (!TessPageIteratorBoundingBox(it, level, &l, &t, &rt, &b))
        return json_pack("[iiii]", 0, 0, 0, 0);
    return json_pack("[iiii]", l, t, rt, b);
}

static double conf2(float c)
{
    return round((double)c * 100.0) / 100.0;
}

/* Start a line object {"bbox", "conf", "words": []} appended to lines. */
static json_t *line_new(json_t *lines, TessResultIterator *ri)
{
    const TessPageIterator *pi = TessResultIteratorGetPageIteratorConst(ri);
    json_t *line = json_pack("{s:o,s:f,s:[]}", "bbox", box_json(pi, RIL_TEXTLINE), "conf",
                             conf2(TessResultIteratorConfidence(ri, RIL_TEXTLINE)), "words");

    if (!line || json_array_append_new(lines, line) < 0)
        return NULL;
    return line;
}

static int word_add(json_t *line, TessResultIterator *ri)
{
    const TessPageIterator *pi = TessResultIteratorGetPageIteratorConst(ri);
    char *text = TessResultIteratorGetUTF8Text(ri, RIL_WORD);
    json_t *w = NULL;
    int err = DC_OK;

    if (!text || !text[0] || !dc_utf8_valid(text, strlen(text), NULL))
        goto done;
    w = json_pack("{s:s,s:o,s:f}", "text", text, "bbox", box_json(pi, RIL_WORD), "conf",
                  conf2(TessResultIteratorConfidence(ri, RIL_WORD)));
    if (!w || json_array_append_new(json_object_get(line, "words"), w) < 0)
        err = dc_error_oom();
done:
    TessDeleteText(text);
    return err;
}

/* Word boxes and confidences, lines keeping their words:
 * {"width", "height", "lines": [{"bbox": [l,t,r,b], "conf", "words":
 * [{"text", "bbox", "conf"}]}]}, pixels of the image that was recognised
 * (after rotation and deskew). */
static json_t *words_json(TessBaseAPI *api, int width, int height)
{
    TessResultIterator *ri = TessBaseAPIGetIterator(api);
    json_t *root = json_pack("{s:i,s:i,s:[]}", "width", width, "height", height, "lines");
    json_t *lines = root ? json_object_get(root, "lines") : NULL;
    json_t *line = NULL;
    int err = DC_OK;

    if (!root || !ri)
        goto done;
    do {
        const TessPageIterator *pi = TessResultIteratorGetPageIteratorConst(ri);
        if (TessPageIteratorIsAtBeginningOf(pi, RIL_TEXTLINE) || !line)
            line = line_new(lines, ri);
        err = line ? word_add(line, ri) : DC_ENOMEM;
    } while (err >= 0 && TessResultIteratorNext(ri, RIL_WORD));
done:
    TessResultIteratorDelete(ri);
    if (err < 0) {
        json_decref(root);
        return NULL;
    }
    return root;
}

/* Tesseract's text, tidied: no trailing blanks on a line, runs of blank
 * lines collapsed to one, no blank lines at either end. */
static int text_normalise(dc_buf *out, const char *in)
{
    int blank = 0, err = DC_OK;

    while (*in && err >= 0) {
        size_t n = strcspn(in, "\n");
        size_t t = n;
        while (t > 0 &&
               (in[t - 1] == ' ' || in[t - 1] == '\t' || in[t - 1] == '\r' || in[t - 1] == '\f'))
            t--;
        if (t == 0) {
            blank = 1;
        } else {
            if (out->len > 0)
                err = dc_buf_puts(out, blank ? "\n\n" : "\n");
            if (err >= 0)
                err = dc_buf_put(out, in, t);
            blank = 0;
        }
        in += n + (in[n] == '\n');
    }
    return err;
}

static int take_text(dc_ocr_result *r, const char *raw)
{
    dc_buf b = DC_BUF_INIT;
    int err;

    dc_buf_init(&b, PAGE_TEXT_MAX);
    err = text_normalise(&b, raw ? raw : "");
    if (err < 0) {
        dc_buf_dispose(&b);
        return err;
    }
    r->text = dc_buf_detach(&b, &r->len);
    return r->text ? DC_OK : dc_error_oom();
}

/* ------------------------------------------------------------- layout */

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

static size_t collect_words(const json_t *words, lword **out)
{
    const json_t *line, *w;
    size_t i, j, n = 0, k = 0;

    json_array_foreach(json_object_get(words, "lines"), i, line) n +=
        json_array_size(json_object_get(line, "words"));
    *out = n ? calloc(n, sizeof(lword)) : NULL;
    if (!*out)
        return 0;
    json_array_foreach(json_object_get(words, "lines"), i, line)
    {
        json_array_foreach(json_object_get(line, "words"), j, w)
        {
            const json_t *bb = json_object_get(w, "bbox");
            lword *lw = &(*out)[k++];
            lw->text = json_string_value(json_object_get(w, "text"));
            lw->l = (int)json_integer_value(json_array_get(bb, 0));
            lw->t = (int)json_integer_value(json_array_get(bb, 1));
            lw->r = (int)json_integer_value(json_array_get(bb, 2));
            lw->b = (int)json_integer_value(json_array_get(bb, 3));
        }
    }
    return k;
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
static int layout_text(dc_ocr_result *r)
{
    lword *w = NULL;
    size_t n = collect_words(r->words, &w), start = 0, i;
    dc_buf b = DC_BUF_INIT;
    int err = DC_OK, top = 0, bottom = 0;

    if (n == 0)
        goto done;
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
done:
    dc_buf_dispose(&b);
    free(w);
    return err;
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

static int apply_layout(dc_ocr_result *r, const dc_ocr_options *o)
{
    int err;

    if (!o->tables && !o->forms)
        return DC_OK;
    err = layout_text(r);
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

static int recognise(engine *e, PIX *pix, int dpi, double deadline, dc_ocr_result *r)
{
    ETEXT_DESC *mon = NULL;
    int rc;

    TessBaseAPISetImage2(e->api, pix);
    TessBaseAPISetSourceResolution(e->api, dpi);
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

static int collect(engine *e, PIX *pix, dc_ocr_result *r, const dc_ocr_options *o)
{
    char *raw = TessBaseAPIGetUTF8Text(e->api);
    int err;

    err = take_text(r, raw);
    TessDeleteText(raw);
    if (err < 0)
        return err;
    r->mean_conf = (double)TessBaseAPIMeanTextConf(e->api);
    if (r->mean_conf < 0)
        r->mean_conf = 0;
    r->words = words_json(e->api, pixGetWidth(pix), pixGetHeight(pix));
    if (!r->words)
        return dc_error_oom();
    return apply_layout(r, o);
}

/* OCR one page: orientation and skew first, then recognition under the
 * page deadline. Every failure stays in r (err, errcode, errmsg). */
static void ocr_page(engine *e, PIX **pix, int dpi, dc_ocr_result *r, const dc_ocr_options *o)
{
    double t0 = now_seconds();
    double deadline = o->page_timeout > 0 ? t0 + o->page_timeout : 0;
    int err;

    r->info = json_pack("{s:i}", "dpi", dpi);
    if (!r->info) {
        page_fail(r, DC_ENOMEM, "DOCCLASS_OCR_FAILED", "out of memory");
        return;
    }
    if (o->rotate && !e->osd)
        (void)info_warn(r, "DOCCLASS_NO_OSD",
                        "osd.traineddata is not installed: page orientation was not checked");
    if (o->rotate) {
        fix_orientation(e, pix, dpi, r);
        fix_skew(pix, r);
    }
    err = recognise(e, *pix, dpi, deadline, r);
    if (err >= 0)
        err = collect(e, *pix, r, o);
    TessBaseAPIClear(e->api);
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
    int closed;
    dc_ocr_result *results;
    const dc_ocr_options *o;
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

static void *worker_main(void *arg)
{
    worker *w = arg;
    slot s;

    while (pool_get(w->p, &s)) {
        ocr_page(&w->e, &s.pix, s.dpi, &w->p->results[s.index], w->p->o);
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
    pool_put(p, pix, g.dpi > 0 ? g.dpi : 300, i);
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
static int workers_open(worker *w, int jobs, pool *p, const dc_ocr_options *o)
{
    int i, err;

    for (i = 0; i < jobs; i++) {
        w[i].p = p;
        err = engine_open(&w[i].e, o->lang, o->rotate);
        if (err < 0)
            return err;
    }
    for (i = 0; i < jobs; i++) {
        if (pthread_create(&w[i].tid, NULL, worker_main, &w[i]) != 0)
            break;
        w[i].started = 1;
    }
    if (i == 0)
        return dc_error_set(DC_EOCR, "cannot start an OCR thread: %s", strerror(errno));
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
    pool p = {.results = results, .o = o};
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
        for (i = 0; i < n; i++)
            feed(&p, i, render, payload);
    }
    pool_close(&p);
    workers_close(w, jobs);
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
    if (r->words) {
        if (json_object_set(ocr, "width", json_object_get(r->words, "width")) < 0 ||
            json_object_set(ocr, "height", json_object_get(r->words, "height")) < 0 ||
            json_object_set_new(ocr, "lines", json_incref(json_object_get(r->words, "lines"))) < 0)
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
