/*
 * PDF stage: routing. Poppler itself is behind pdfcore.h (pdfcore.cc, the
 * only file that includes it); this file decides.
 *
 * Every page gets its signals from one pass of poppler's text device (text
 * layer, visibility, Unicode mapping, text area, image placement), a class
 * (native, scanned, hybrid, prior_ocr, garbled_text, vector_only, blank)
 * with the rule that fired, and a route: parser text or OCR. The parser text
 * of a page is what pdftotext prints for it. docs/routing.md describes the
 * signals, the rule order and why each class goes where it goes.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ocr.h"
#include "pdfcore.h"

/* Textract's largest PDF page side: 40 in. */
#define TEXTRACT_MAX_SIDE_PT 2880.0
/* Resolution of the ink probe used for blank and vector-only pages. */
#define INK_DPI 20
/* A pixel darker than this (0-255 grey) is ink in the probe. */
#define INK_LEVEL 250
/* Largest rendered side, pixels. */
#define RENDER_MAX_SIDE 32767
/* Cap on one page's parser text. */
#define PAGE_TEXT_MAX ((size_t)64 << 20)
/* Pages a planning thread should have before another one is worth it. */
#define PAGES_PER_THREAD 16
#define MAX_PLAN_THREADS 8
/* room the document's arena starts with for each page's words: a 100-page
 * PDF of 60 lines of 14 words a page keeps 53 KB a page, one of 40 lines
 * 25 KB (48 bytes a word and its text) */
#define WORD_BYTES_A_PAGE ((size_t)32 << 10)
#define WORD_HINT_PAGES   ((size_t)2048)

typedef enum {
    CLS_NATIVE = 0,
    CLS_SCANNED,
    CLS_HYBRID,
    CLS_PRIOR_OCR,
    CLS_GARBLED,
    CLS_VECTOR_ONLY,
    CLS_BLANK,
} page_class;

static const char *const class_names[] = {
    "native", "scanned", "hybrid", "prior_ocr", "garbled_text", "vector_only", "blank",
};

typedef struct {
    double width, height; /* points, page rotation applied */
    size_t chars;         /* non-whitespace characters drawn */
    size_t invisible;     /* of those, in render mode 3 or 7 */
    size_t unmapped;      /* U+FFFD, control, private-use or undecodable */
    size_t nomap;         /* glyphs drawn without any Unicode mapping */
    double text_coverage; /* character boxes / page area */
    int images;           /* placed images */
    double image_max;     /* largest image's share of the page */
    double image_total;   /* all images' share (capped at 1) */
    int px_w, px_h;       /* its pixel size */
    double image_dpi;     /* its effective resolution; 0 when unknown */
    double ink;           /* share of inked pixels; -1: not measured */
} pdf_signals;

typedef struct {
    page_class cls;
    char rule[160];
    int ocr;      /* routed to OCR */
    int bad_page; /* Textract would refuse the page */
    int dpi;      /* render resolution when ocr */
    double width, height;
    dc_doctype type;
    char *text; /* parser text, malloc'd */
    size_t len;
    dc_words words;  /* parser words with their boxes, from the same pass */
    pdf_signals sig; /* what decided the route */
    json_t *info;    /* the page record's extra members, made at assembly */
} pdf_plan;

typedef struct {
    dc_document *doc;
    dc_pdfcore *pdf;
    dc_read_mode mode;
    pdf_plan *plan;
    size_t npages;
    size_t *ocr_pages; /* page indices sent to OCR, in order */
    size_t nocr;
    dc_arena *words; /* the document's: where the pass keeps words, or NULL */
} pdf_ctx;

/* ---------------------------------------------------------------- signals */

/* Render page i at dpi as grey pixels into *out. */
static int render_gray(dc_gray *out, dc_pdfcore *pdf, size_t i, double dpi)
{
    int err;

    memset(out, 0, sizeof(*out));
    err = dc_pdfcore_render(pdf, i, dpi, &out->px, &out->width, &out->height);
    out->stride = out->width;
    out->dpi = (int)lround(dpi);
    return err;
}

/* Share of inked pixels of a low-resolution render: tells a blank page from
 * one drawn only with paths. */
static double ink_share(dc_pdfcore *pdf, size_t i)
{
    dc_gray g;
    size_t k, n, inked = 0;

    if (render_gray(&g, pdf, i, INK_DPI) < 0 || !g.px) {
        dc_gray_dispose(&g);
        return -1;
    }
    n = (size_t)g.width * (size_t)g.height;
    for (k = 0; k < n; k++)
        inked += g.px[k] < INK_LEVEL;
    dc_gray_dispose(&g);
    return n ? (double)inked / (double)n : 0;
}

/* ---------------------------------------------------------------- classes */

static int pct(double share)
{
    return (int)lround(share * 100);
}

/* The class of a page and the rule that fired, first match wins (the order
 * is documented in docs/routing.md). */
static page_class
classify(const pdf_signals *s, const dc_routing_thresholds *t, char *rule, size_t rule_size)
{
    double invisible = s->chars ? (double)s->invisible / (double)s->chars : 0;
    int big_image = s->image_max >= t->scan_image_share;

    if (s->chars && (double)s->unmapped / (double)s->chars >= t->garbled_ratio) {
        (void)snprintf(rule, rule_size,
                       "%zu of %zu characters decode to U+FFFD, controls or private use",
                       s->unmapped, s->chars);
        return CLS_GARBLED;
    }
    if (s->chars == 0 && s->nomap > 0) {
        (void)snprintf(rule, rule_size, "%zu glyphs drawn, none with a Unicode mapping", s->nomap);
        return CLS_GARBLED;
    }
    if (s->chars == 0 && s->images == 0) {
        (void)snprintf(rule, rule_size, "no text, no images, %s",
                       s->ink > t->blank_ink ? "paths draw ink" : "nothing drawn");
        return s->ink > t->blank_ink ? CLS_VECTOR_ONLY : CLS_BLANK;
    }
    if ((double)s->chars < t->min_chars && (big_image || s->chars == 0)) {
        (void)snprintf(rule, rule_size,
                       "%zu characters of text; largest image covers %d%% of the page", s->chars,
                       pct(s->image_max));
        return CLS_SCANNED;
    }
    if (big_image && invisible >= t->invisible_ratio) {
        (void)snprintf(rule, rule_size,
                       "%d%% of %zu characters are invisible over an image covering %d%%",
                       pct(invisible), s->chars, pct(s->image_max));
        return CLS_PRIOR_OCR;
    }
    if (big_image && s->text_coverage < t->hybrid_text_coverage) {
        (void)snprintf(rule, rule_size, "text covers %.1f%% of a page whose image covers %d%%",
                       s->text_coverage * 100, pct(s->image_max));
        return CLS_HYBRID;
    }
    (void)snprintf(rule, rule_size, "%zu characters of text%s", s->chars,
                   big_image ? " over a background image" : "");
    return CLS_NATIVE;
}

/* SERVICE_DEFAULT: whether the service would hand the page to Textract. A
 * garbled layer that yields text is a text layer to a PDF parser: the
 * service reads it as it is (a warning says so); one that yields no text at
 * all is like no layer. */
static int wants_ocr(page_class c, const pdf_signals *s)
{
    return c == CLS_SCANNED || c == CLS_HYBRID || c == CLS_VECTOR_ONLY ||
           (c == CLS_GARBLED && s->chars == 0);
}

/* ---------------------------------------------------------------- page record */

static json_t *signals_json(const pdf_signals *s)
{
    return json_pack(
        "{s:[f,f],s:I,s:I,s:I,s:I,s:I,s:f,s:i,s:f,s:f,s:o,s:o,s:b,s:o}", "page_size_pt", s->width,
        s->height, "chars", (json_int_t)s->chars, "visible_chars",
        (json_int_t)(s->chars - s->invisible), "invisible_chars", (json_int_t)s->invisible,
        "unmapped_chars", (json_int_t)s->unmapped, "glyphs_without_unicode", (json_int_t)s->nomap,
        "text_coverage", round(s->text_coverage * 1e4) / 1e4, "images", s->images,
        "largest_image_share", round(s->image_max * 1e4) / 1e4, "images_share",
        round(s->image_total * 1e4) / 1e4, "largest_image_px",
        s->px_w ? json_pack("[i,i]", s->px_w, s->px_h) : json_null(), "largest_image_dpi",
        s->image_dpi > 0 ? json_integer(lround(s->image_dpi)) : json_null(), "vector_only",
        s->chars == 0 && s->images == 0 && s->ink > 0, "ink",
        s->ink >= 0 ? json_real(round(s->ink * 1e4) / 1e4) : json_null());
}

static json_t *thresholds_json(const dc_routing_thresholds *t)
{
    return json_pack("{s:f,s:f,s:f,s:f,s:f,s:f}", "min_chars", t->min_chars, "garbled_ratio",
                     t->garbled_ratio, "scan_image_share", t->scan_image_share,
                     "hybrid_text_coverage", t->hybrid_text_coverage, "blank_ink", t->blank_ink,
                     "invisible_ratio", t->invisible_ratio);
}

static int routing_info(pdf_plan *p, const pdf_signals *s, const dc_routing_thresholds *t)
{
    json_t *sig = signals_json(s);
    json_t *th = thresholds_json(t);

    if (!sig || !th) {
        json_decref(sig);
        json_decref(th);
        return dc_error_oom();
    }
    /* json_pack steals sig and th, also when it fails */
    p->info = json_pack("{s:{s:s,s:s,s:o,s:o}}", "routing", "class", class_names[p->cls], "rule",
                        p->rule, "signals", sig, "thresholds", th);
    return p->info ? DC_OK : dc_error_oom();
}

/* The render resolution: opts.dpi, lowered so the image stays within
 * max_megapixels and the renderer's side limit. */
static void render_dpi(pdf_plan *p, const dc_extract_options *o)
{
    double dpi = o->dpi > 0 ? o->dpi : 300;
    double max_px = (o->max_megapixels > 0 ? o->max_megapixels : 100) * 1e6;
    double in2 = (p->width / 72.0) * (p->height / 72.0);
    double side = fmax(p->width, p->height) / 72.0;

    if (in2 > 0 && dpi * dpi * in2 > max_px)
        dpi = floor(sqrt(max_px / in2));
    if (side * dpi > RENDER_MAX_SIDE)
        dpi = floor(RENDER_MAX_SIDE / side);
    if (dpi < 1)
        dpi = 1;
    p->dpi = (int)dpi;
}

/* The page record's extra members: its routing and, for a page rendered
 * under the requested resolution, why. Made when the page is assembled,
 * not during the pass, so that the pass allocates nothing that lives on
 * but its text and words. */
static int page_info(const pdf_ctx *c, pdf_plan *p)
{
    const dc_extract_options *o = &c->doc->opts;
    int requested = o->dpi > 0 ? o->dpi : 300;
    int err = routing_info(p, &p->sig, &o->routing);

    if (err < 0 || !p->dpi || p->dpi == requested)
        return err;
    return json_object_set_new(
               p->info, "render",
               json_pack("{s:i,s:i,s:s}", "dpi", p->dpi, "requested_dpi", requested, "reason",
                         "lowered to stay within the render cap (max_megapixels)")) < 0
               ? dc_error_oom()
               : DC_OK;
}

/* ---------------------------------------------------------------- planning */

/* The signals of one pass (pdfcore) as shares of the page. */
static void measure(pdf_signals *s, const dc_pdfcore_page *pg)
{
    double area = fmax(1.0, pg->pass_w) * fmax(1.0, pg->pass_h);

    memset(s, 0, sizeof(*s));
    s->ink = -1;
    s->width = fmax(1.0, pg->width);
    s->height = fmax(1.0, pg->height);
    s->chars = pg->chars;
    s->invisible = pg->invisible;
    s->unmapped = pg->unmapped;
    s->nomap = pg->nomap;
    s->text_coverage = fmin(1.0, pg->text_area / area);
    s->images = pg->images;
    s->image_max = fmin(1.0, pg->image_max_area / area);
    s->image_total = fmin(1.0, pg->image_total_area / area);
    s->px_w = pg->px_w;
    s->px_h = pg->px_h;
    s->image_dpi = pg->dpi;
}

/* The words of the pass, kept on the plan: two pieces of the document's
 * arena of their exact sizes. */
static int keep_words(dc_words *ws, dc_arena *a, const dc_pdfcore_page *pg)
{
    size_t k;
    int err;

    if (!pg->nwords)
        return DC_OK;
    err = dc_words_reserve_in(ws, a, pg->nwords, pg->word_bytes + pg->nwords);
    for (k = 0; k < pg->nwords && err >= 0; k++)
        err = dc_words_add(ws, pg->words[k].text, pg->words[k].len, pg->words[k].box, 100.0);
    return err;
}

/* Decide the route of page i: signals, class, doctype, parser text. The
 * text comes from the same pass as the signals, so it is asked for whenever
 * it may be kept. */
static int plan_page(pdf_ctx *c, dc_pdfcore *pdf, size_t i)
{
    const dc_extract_options *o = &c->doc->opts;
    pdf_plan *p = &c->plan[i];
    dc_pdfcore_page pg;
    pdf_signals s;
    int want_text = c->mode != DC_READ_MODE_FORCE_DOCUMENT_READ_ACTION &&
                    (!c->doc->analyze_only || c->doc->count_chars);
    int want_words = c->words != NULL;
    int err = dc_pdfcore_analyze(pdf, i, want_text, PAGE_TEXT_MAX, want_words, &pg);

    if (err >= 0 && want_words)
        err = keep_words(&p->words, c->words, &pg);
    if (err < 0)
        goto done;
    measure(&s, &pg);
    if (s.chars == 0 && s.images == 0)
        s.ink = ink_share(pdf, i);
    p->width = s.width;
    p->height = s.height;
    p->cls = classify(&s, &o->routing, p->rule, sizeof(p->rule));
    p->ocr = c->mode == DC_READ_MODE_FORCE_DOCUMENT_READ_ACTION || wants_ocr(p->cls, &s);
    p->type = wants_ocr(p->cls, &s) ? DC_DOCTYPE_SCANNED_PDF : DC_DOCTYPE_NATIVE_PDF;
    p->sig = s;
    if (p->ocr) {
        p->bad_page = fmax(s.width, s.height) > TEXTRACT_MAX_SIDE_PT;
        if (!c->doc->analyze_only)
            render_dpi(p, o);
    } else if (want_text) {
        p->text = pg.text; /* never NULL when asked for */
        p->len = pg.len;
        pg.text = NULL;
    }
done:
    if (err < 0 || p->ocr)
        dc_words_dispose(&p->words); /* an OCR page gets Tesseract's */
    dc_pdfcore_page_dispose(&pg);
    return err < 0 ? dc_error_prefix(err, "page %zu", i + 1) : err;
}

/*
 * Planning in parallel: the pass over a page costs what pdftotext's does,
 * so a long digital PDF is split between threads (extract only; scan runs
 * documents in parallel instead). Each thread opens its own poppler
 * document on the same bytes (a PDFDoc is not shared between threads) and
 * takes every n-th page; the first failing page, in page order, decides.
 */
typedef struct {
    pdf_ctx *c;
    const void *data;
    size_t len;
    const char *password;
    size_t first, step;
    size_t fail_page; /* page that failed; npages: none */
    int err;
    int started; /* tid runs it; else the calling thread does */
    char msg[512];
    pthread_t tid;
} planner;

int dc_pdf__planner_open_fails;

static void *plan_thread(void *arg)
{
    planner *t = arg;
    dc_pdfcore *pdf = NULL;
    int encrypted = 0;
    size_t i;

    if (t->first == 0)
        t->err = DC_OK;
    else if (dc_pdf__planner_open_fails)
        t->err = dc_error_set(DC_ENOMEM,
                              "planning thread %zu: the document cannot be opened "
                              "again (test)",
                              t->first);
    else
        t->err = dc_pdfcore_open(&pdf, &encrypted, t->data, t->len, t->password);
    if (t->err < 0) /* none of its pages is planned: its first one decides */
        t->fail_page = t->first;
    for (i = t->first; i < t->c->npages && t->err >= 0; i += t->step) {
        t->err = plan_page(t->c, t->first == 0 ? t->c->pdf : pdf, i);
        if (t->err < 0)
            t->fail_page = i;
    }
    if (t->err < 0)
        (void)snprintf(t->msg, sizeof(t->msg), "%s", dc_error_last()->message);
    dc_pdfcore_close(pdf);
    return NULL;
}

static size_t plan_threads(const pdf_ctx *c)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t n = c->doc->opts.jobs > 0 ? (size_t)c->doc->opts.jobs : cores > 0 ? (size_t)cores : 1;

    if (c->doc->analyze_only)
        return 1;
    if (n > c->npages / PAGES_PER_THREAD)
        n = c->npages / PAGES_PER_THREAD;
    if (n > MAX_PLAN_THREADS)
        n = MAX_PLAN_THREADS;
    return n < 1 ? 1 : n;
}

static int plan_pages(pdf_ctx *c, const void *data, size_t len, const char *password)
{
    planner t[MAX_PLAN_THREADS];
    size_t n = plan_threads(c), k, worst = 0;

    memset(t, 0, sizeof(t));
    for (k = 0; k < n; k++)
        t[k] = (planner){.c = c,
                         .data = data,
                         .len = len,
                         .password = password,
                         .first = k,
                         .step = n,
                         .fail_page = c->npages};
    for (k = 1; k < n; k++)
        t[k].started = pthread_create(&t[k].tid, NULL, plan_thread, &t[k]) == 0;
    plan_thread(&t[0]);
    /* a share whose thread could not start runs here */
    for (k = 1; k < n; k++) {
        if (t[k].started)
            (void)pthread_join(t[k].tid, NULL);
        else
            plan_thread(&t[k]);
    }
    for (k = 1; k < n; k++)
        if (t[k].fail_page < t[worst].fail_page)
            worst = k;
    if (t[worst].err >= 0)
        return DC_OK;
    return dc_error_set(t[worst].err, "%s", t[worst].msg);
}

/* ---------------------------------------------------------------- OCR */

/* dc_render_fn: the i-th OCR page as an 8-bit grey image on white. */
static int render_for_ocr(void *payload, size_t i, dc_gray *out)
{
    pdf_ctx *c = payload;
    size_t pi = c->ocr_pages[i];

    return render_gray(out, c->pdf, pi, c->plan[pi].dpi);
}

/* OCR every page routed there (except the ones Textract would refuse): the
 * pool pulls rendered images one at a time, so memory stays flat. */
static int run_ocr(pdf_ctx *c, dc_ocr_result **results_out)
{
    dc_ocr_options oo;
    size_t i;

    *results_out = NULL;
    c->ocr_pages = calloc(c->npages ? c->npages : 1, sizeof(size_t));
    if (!c->ocr_pages)
        return dc_error_oom();
    for (i = 0; i < c->npages; i++)
        if (c->plan[i].ocr && !c->plan[i].bad_page)
            c->ocr_pages[c->nocr++] = i;
    if (c->nocr == 0)
        return DC_OK;
    *results_out = calloc(c->nocr, sizeof(dc_ocr_result));
    if (!*results_out)
        return dc_error_oom();
    memset(&oo, 0, sizeof(oo));
    dc_ocr_options_from(&oo, c->doc);
    if (c->doc->opts.config.action == DC_READ_ACTION_ANALYZE_DOCUMENT) {
        for (i = 0; i < c->doc->opts.config.nfeatures; i++) {
            oo.tables |= c->doc->opts.config.features[i] == DC_FEATURE_TABLES;
            oo.forms |= c->doc->opts.config.features[i] == DC_FEATURE_FORMS;
        }
    }
    oo.page_of = c->ocr_pages;
    return dc_ocr_pages(*results_out, c->nocr, render_for_ocr, c, &oo);
}

/* The OCR page record as for images ({"ocr": {..., "lines": [...]}}) and the
 * OCR stage's warnings (e.g. DOCCLASS_TABLES_APPROXIMATED) for page i. */
static int merge_ocr_info(pdf_ctx *c, size_t i, pdf_plan *p, dc_ocr_result *r)
{
    json_t *info = NULL;
    int err = dc_ocr_emit_warnings(c->doc, (int)i + 1, r);

    if (err >= 0)
        err = dc_ocr_page_info(&info, r);
    if (err >= 0 && json_object_update(p->info, info) < 0)
        err = dc_error_oom();
    json_decref(info);
    return err;
}

static const char *mode_name(const pdf_ctx *c)
{
    return dc_read_mode_name(c->mode);
}

/* The page just added at index at (or the error that stopped it): its
 * words (taken; an empty list, such as a page without OCR's, is only read)
 * and its route. */
static int page_added(pdf_ctx *c, int at, const pdf_plan *p, dc_words *words)
{
    if (at < 0)
        return at;
    if (words->n || words->w || words->pool)
        dc_doc_page_take_words(c->doc, (size_t)at, words);
    return dc_doc_page_set_route(c->doc, (size_t)at, class_names[p->cls], p->rule, p->width,
                                 p->height, 0, 0);
}

/* Add an OCR-routed page: its OCR text, or its page error and no text. */
static int add_ocr_page(pdf_ctx *c, size_t i, dc_ocr_result *r)
{
    pdf_plan *p = &c->plan[i];
    char *text = NULL;
    size_t len = 0;
    int err = page_info(c, p);

    if (err < 0)
        return err;
    if (p->bad_page) {
        err = dc_doc_error(c->doc, (int)i + 1, "TEXTRACT_BAD_PAGE",
                           "page of %.0f x %.0f pt is over Textract's 40 in (2880 pt) side limit",
                           p->width, p->height);
    } else if (c->doc->analyze_only) {
        /* scan: routed to Textract, not OCRed here */
    } else if (r->err < 0 || !r->text) {
        err = dc_doc_error(c->doc, (int)i + 1, r->errcode[0] ? r->errcode : "TEXTRACT_BAD_PAGE",
                           "%s", r->errmsg[0] ? r->errmsg : "OCR failed");
    } else {
        err = merge_ocr_info(c, i, p, r);
        text = r->text;
        len = r->len;
        r->text = NULL;
    }
    if (err < 0) {
        free(text);
        return err;
    }
    err = dc_doc_add_page(c->doc, text, len, DC_EXTRACTOR_OCR, p->type, p->info,
                          "%s page: OCR (%s; %s)", class_names[p->cls], p->rule, mode_name(c));
    p->info = NULL;
    return page_added(c, err, p, &r->words);
}

static int assemble(pdf_ctx *c, dc_ocr_result *results)
{
    size_t i, k = 0;
    int err = DC_OK;

    for (i = 0; i < c->npages && err >= 0; i++) {
        pdf_plan *p = &c->plan[i];
        static dc_ocr_result none;

        if (p->ocr) {
            int used = k < c->nocr && c->ocr_pages[k] == i;
            err = add_ocr_page(c, i, used ? &results[k] : &none);
            k += (size_t)used;
            continue;
        }
        if (p->cls == CLS_GARBLED)
            err = dc_doc_warn(c->doc, (int)i + 1, "DOCCLASS_GARBLED_TEXT",
                              "the text layer does not decode (%s); the service reads it as "
                              "it is, FORCE_DOCUMENT_READ_ACTION would OCR the page",
                              p->rule);
        if (err >= 0)
            err = page_info(c, p);
        if (err < 0)
            break;
        err = dc_doc_add_page(c->doc, p->text, p->len, DC_EXTRACTOR_PARSER, p->type, p->info,
                              "%s page: parser text (%s; %s)", class_names[p->cls], p->rule,
                              mode_name(c));
        p->text = NULL;
        p->info = NULL;
        err = page_added(c, err, p, &p->words);
    }
    return err < 0 ? err : DC_OK;
}

static int document_info(pdf_ctx *c, int encrypted)
{
    int err = dc_doc_info_set(
        c->doc, "pdf",
        json_pack("{s:I,s:b}", "pages", (json_int_t)c->npages, "encrypted", encrypted));

    if (err < 0 || !encrypted)
        return err;
    return dc_doc_refuse(c->doc, "InvalidRequestException", "INVALID_DOCUMENT", "INVALID_DOCUMENT",
                         "the PDF is password-protected; ClassifyDocument does not accept "
                         "encrypted PDFs");
}

/* ---------------------------------------------------------------- entry */

int dc_pdf_extract(dc_document *doc, const void *data, size_t len, const char *password)
{
    pdf_ctx c;
    dc_ocr_result *results = NULL;
    int encrypted = 0, err;
    size_t i;

    memset(&c, 0, sizeof(c));
    c.doc = doc;
    c.mode = dc_config_effective_mode(&doc->opts.config);
    err = dc_pdfcore_open(&c.pdf, &encrypted, data, len, password);
    if (err < 0)
        goto done;
    c.npages = dc_pdfcore_npages(c.pdf);
    c.plan = calloc(c.npages ? c.npages : 1, sizeof(pdf_plan));
    if (!c.plan) {
        err = dc_error_oom();
        goto done;
    }
    /* the parser's words are kept whenever its text may be */
    if (c.mode != DC_READ_MODE_FORCE_DOCUMENT_READ_ACTION && !doc->analyze_only &&
        !(c.words = dc_doc_arena(doc, (c.npages < WORD_HINT_PAGES ? c.npages : WORD_HINT_PAGES) *
                                          WORD_BYTES_A_PAGE))) {
        err = dc_error_last()->code;
        goto done;
    }
    err = plan_pages(&c, data, len, password);
    if (err >= 0)
        err = document_info(&c, encrypted);
    if (err >= 0 && !doc->analyze_only)
        err = run_ocr(&c, &results);
    if (err >= 0)
        err = assemble(&c, results);
done:
    for (i = 0; i < c.nocr && results; i++)
        dc_ocr_result_dispose(&results[i]);
    free(results);
    for (i = 0; i < c.npages && c.plan; i++) {
        free(c.plan[i].text);
        dc_words_dispose(&c.plan[i].words);
        json_decref(c.plan[i].info);
    }
    free(c.plan);
    free(c.ocr_pages);
    dc_pdfcore_close(c.pdf);
    return err < 0 ? err : DC_OK;
}

/* ================================================================ page images
 * For docclass diff's report (pageimage.h). */

#include "pageimage.h"

int dc_pdf_render_gray(
    dc_gray *out, const void *data, size_t len, const char *password, size_t page, int max_side)
{
    dc_pdfcore *pdf = NULL;
    double w = 1, h = 1;
    int encrypted = 0, err;

    memset(out, 0, sizeof(*out));
    err = dc_pdfcore_open(&pdf, &encrypted, data, len, password);
    if (err < 0)
        goto done;
    if (page >= dc_pdfcore_npages(pdf)) {
        err = dc_error_set(DC_ENOTFOUND, "page %zu cannot be read", page + 1);
        goto done;
    }
    dc_pdfcore_page_size(pdf, page, &w, &h);
    err = render_gray(out, pdf, page, 72.0 * max_side / fmax(1.0, fmax(w, h)));
done:
    dc_pdfcore_close(pdf);
    return err;
}
