/*
 * OCR and image input: generated scans (PNG, JPEG, multi-page TIFF) through
 * dc_document_extract_mem with the real Tesseract and Leptonica, plus the
 * pool directly through dc_ocr_pages.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <leptonica/allheaders.h>

#include "dc_test.h"
#include "doc.h"
#include "gen.h"
#include "img_gen.h"
#include "ocr.h"
#include "ocr_prep.h"

static const char *const dense[] = {
    "Alpha bravo charlie delta echo foxtrot golf hotel india juliet",
    "kilo lima mike november oscar papa quebec romeo sierra tango",
    "uniform victor whiskey xray yankee zulu one two three four five",
    "six seven eight nine ten eleven twelve thirteen fourteen fifteen",
    "Alpha bravo charlie delta echo foxtrot golf hotel india juliet",
    "kilo lima mike november oscar papa quebec romeo sierra tango",
    "uniform victor whiskey xray yankee zulu one two three four five",
    "six seven eight nine ten eleven twelve thirteen fourteen fifteen",
};

static char *sample_text(void)
{
    dc_buf b = DC_BUF_INIT;
    size_t i;

    dc_buf_init(&b, 1 << 16);
    for (i = 0; i < dc_gen_sample_nlines; i++) {
        assert_dc_ok(dc_buf_puts(&b, dc_gen_sample_lines[i]));
        assert_dc_ok(dc_buf_putc(&b, '\n'));
    }
    return dc_buf_detach(&b, NULL);
}

static void sample_page(dc_gray *g)
{
    assert_dc_ok(
        dc_gen_text_page(g, 1400, 700, dc_gen_sample_lines, dc_gen_sample_nlines, 42, 300));
}

static dc_extract_options opts1(int jobs)
{
    dc_extract_options o = DC_EXTRACT_OPTIONS_INIT;
    o.jobs = jobs;
    o.limits = DC_LIMITS_NONE;
    return o;
}

/* Extract an encoded image; returns the document (caller frees). */
static dc_document *extract(const unsigned char *data, size_t len, const dc_extract_options *o)
{
    dc_document *doc = NULL;
    assert_dc_ok(dc_document_extract_mem(&doc, data, len, "test", o));
    assert_non_null(doc);
    return doc;
}

static dc_document *
extract_pages(const dc_gray *pages, size_t n, const char *fmt, int dpi, const dc_extract_options *o)
{
    unsigned char *data = NULL;
    size_t len = 0;
    dc_document *doc;

    assert_dc_ok(dc_gen_encode(&data, &len, pages, n, fmt, dpi));
    doc = extract(data, len, o);
    dc_gen_free(data);
    return doc;
}

static const dc_note *find_note(const dc_note *v, size_t n, const char *code, int page)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (strcmp(v[i].code, code) == 0 && (page < 0 || v[i].page == page))
            return &v[i];
    return NULL;
}

static double page_ocr_num(const dc_document *doc, size_t i, const char *key)
{
    json_t *ocr = json_object_get(doc->pages[i].info, "ocr");
    assert_non_null(ocr);
    return json_number_value(json_object_get(ocr, key));
}

/* ---------------------------------------------------------------- tests */

static void clean_png_and_jpeg(void **state)
{
    const char *fmts[] = {"png", "jpeg"};
    char *want = sample_text();
    dc_extract_options o = opts1(1);
    dc_gray g;
    size_t f;

    (void)state;
    sample_page(&g);
    for (f = 0; f < 2; f++) {
        dc_document *doc = extract_pages(&g, 1, fmts[f], 300, &o);
        json_t *ocr;
        double recall;
        assert_int_equal(doc->npages, 1);
        assert_int_equal(doc->pages[0].extractor, DC_EXTRACTOR_OCR);
        assert_int_equal(doc->pages[0].type, DC_DOCTYPE_IMAGE);
        recall = dc_gen_recall(want, doc->pages[0].text);
        if (recall < 0.95)
            fail_msg("%s recall %.3f: %s", fmts[f], recall, doc->pages[0].text);
        ocr = json_object_get(doc->pages[0].info, "ocr");
        assert_true(json_number_value(json_object_get(ocr, "mean_confidence")) > 50);
        assert_true(json_number_value(json_object_get(ocr, "seconds")) > 0);
        assert_int_equal(json_integer_value(json_object_get(ocr, "dpi")), 300);
        assert_int_equal(json_integer_value(json_object_get(ocr, "width")), 1400);
        assert_true(json_array_size(json_object_get(ocr, "lines")) >= dc_gen_sample_nlines);
        assert_null(find_note(doc->warnings, doc->nwarnings, "DOCCLASS_DPI_ASSUMED", -1));
        assert_int_equal(doc->nerrors, 0);
        dc_document_free(doc);
    }
    dc_gray_dispose(&g);
    free(want);
}

static void rotations_are_corrected(void **state)
{
    static const int turns[] = {90, 180, 270};
    char *want = sample_text();
    dc_extract_options o = opts1(1);
    size_t i;

    (void)state;
    for (i = 0; i < 3; i++) {
        dc_gray g;
        dc_document *doc;
        double recall;
        sample_page(&g);
        assert_dc_ok(dc_gen_rotate(&g, turns[i]));
        doc = extract_pages(&g, 1, "png", 300, &o);
        recall = dc_gen_recall(want, doc->pages[0].text);
        if (recall < 0.95)
            fail_msg("turned %d: recall %.3f: %s", turns[i], recall, doc->pages[0].text);
        /* upside down is read turned back; a quarter turn either so, or
         * read as it is by the layout, which reads sideways text itself */
        if ((int)page_ocr_num(doc, 0, "rotation") == turns[i]) {
            assert_int_equal((int)page_ocr_num(doc, 0, "width"), 1400);
        } else {
            assert_int_not_equal(turns[i], 180);
            assert_int_equal((int)page_ocr_num(doc, 0, "rotation"), 0);
            assert_true(json_is_true(
                json_object_get(json_object_get(doc->pages[0].info, "ocr"), "sideways")));
            assert_int_equal((int)page_ocr_num(doc, 0, "width"), 700);
        }
        dc_document_free(doc);
        dc_gray_dispose(&g);
    }
    free(want);
}

/* Which column and place a word read back is from: -1 when it is not a
 * word of the page (picture noise, a misread). */
static int column_of(const char *w, size_t *index)
{
    int c;
    size_t i;
    const char *x;

    for (c = 0; c < 2; c++)
        for (i = 0; (x = dc_gen_column_word(c, i)) != NULL; i++)
            if (strcmp(x, w) == 0) {
                *index = i;
                return c;
            }
    return -1;
}

/* Two columns of text with a picture between them: no line holds words of
 * both columns, each column reads in order, the left one before the right
 * one (as Textract's LINE blocks go), and the picture adds no words. */
static void columns_stay_apart(void **state)
{
    dc_extract_options o = opts1(1);
    dc_document *doc;
    dc_gray g;
    char *text, *line, *save = NULL;
    size_t next[2] = {0, 0}, found[2] = {0, 0}, unknown = 0, lines = 0, nwords[2] = {80, 80};
    int seen_right = 0;

    (void)state;
    assert_dc_ok(dc_gen_columns_page(&g, 16, 300)); /* 80 words a column */
    doc = extract_pages(&g, 1, "png", 300, &o);
    assert_int_equal(doc->npages, 1);
    text = strdup(doc->pages[0].text);
    assert_non_null(text);
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *w, *wsave = NULL, whole[512];
        int cols = 0;
        (void)snprintf(whole, sizeof(whole), "%s", line);
        for (w = strtok_r(line, " ", &wsave); w; w = strtok_r(NULL, " ", &wsave)) {
            size_t idx = 0;
            int c = column_of(w, &idx);
            if (c < 0) {
                unknown++;
                continue;
            }
            cols |= 1 << c;
            if (idx < next[c]) /* out of order within its column */
                fail_msg("column %d: '%s' (word %zu) after word %zu", c, w, idx, next[c] - 1);
            next[c] = idx + 1;
            found[c]++;
            if (c == 0 && seen_right)
                fail_msg("left column word '%s' after the right column began", w);
            seen_right |= c == 1;
        }
        if (cols == 3)
            fail_msg("a line joins the two columns: %s\n%s", whole, doc->pages[0].text);
        lines++;
    }
    print_message("columns: %zu lines, %zu/%zu and %zu/%zu words, %zu other words\n", lines,
                  found[0], nwords[0], found[1], nwords[1], unknown);
    assert_true(found[0] >= nwords[0] * 95 / 100 && found[1] >= nwords[1] * 95 / 100);
    assert_true(unknown <= 3);
    free(text);
    dc_document_free(doc);
    dc_gray_dispose(&g);
}

static void skew_is_corrected(void **state)
{
    char *want = sample_text();
    dc_extract_options o = opts1(1);
    dc_document *doc;
    dc_gray g;
    double skew, recall;

    (void)state;
    sample_page(&g);
    assert_dc_ok(dc_gen_rotate(&g, 3.0));
    doc = extract_pages(&g, 1, "png", 300, &o);
    skew = page_ocr_num(doc, 0, "skew");
    if (skew > -2.5 && skew < 2.5)
        fail_msg("skew %.2f not found (3 degrees)", skew);
    assert_int_equal((int)page_ocr_num(doc, 0, "rotation"), 0);
    recall = dc_gen_recall(want, doc->pages[0].text);
    if (recall < 0.95)
        fail_msg("recall %.3f: %s", recall, doc->pages[0].text);
    dc_document_free(doc);
    dc_gray_dispose(&g);
    free(want);
}

/* Two TIFF pages, jobs=1 and jobs=2 give the same text, page by page. */
static void multipage_tiff_and_jobs(void **state)
{
    static const char *const second[] = {"Second page of the sample document."};
    dc_extract_options o1 = opts1(1), o2 = opts1(2);
    dc_document *a, *b;
    dc_gray p[2];
    size_t i;

    (void)state;
    sample_page(&p[0]);
    assert_dc_ok(dc_gen_text_page(&p[1], 1400, 300, second, 1, 42, 300));
    a = extract_pages(p, 2, "tiff", 300, &o1);
    b = extract_pages(p, 2, "tiff", 300, &o2);
    assert_int_equal(a->npages, 2);
    assert_int_equal(b->npages, 2);
    assert_true(dc_test_contains(a->pages[0].text, "quick brown fox"));
    assert_string_equal(a->pages[1].text, "Second page of the sample document.");
    for (i = 0; i < 2; i++)
        assert_string_equal(a->pages[i].text, b->pages[i].text);
    dc_document_free(a);
    dc_document_free(b);
    dc_gray_dispose(&p[0]);
    dc_gray_dispose(&p[1]);
}

/* A PNG whose header claims 40000 x 40000: refused from the header alone. */
static void pixel_bomb_is_refused(void **state)
{
    dc_extract_options o = opts1(1);
    unsigned char *data = NULL;
    size_t len = 0;
    dc_document *doc = NULL;
    dc_gray g;

    (void)state;
    assert_dc_ok(dc_gen_text_page(&g, 64, 64, NULL, 0, 10, 300));
    assert_dc_ok(dc_gen_encode(&data, &len, &g, 1, "png", 300));
    /* IHDR width and height sit at bytes 16..23; the CRC is left wrong on
     * purpose: the size must be refused before any chunk is checked. */
    data[16] = 0x00, data[17] = 0x00, data[18] = 0x9c, data[19] = 0x40;
    data[20] = 0x00, data[21] = 0x00, data[22] = 0x9c, data[23] = 0x40;
    assert_dc_fail(dc_document_extract_mem(&doc, data, len, "bomb.png", &o), DC_ELIMIT);
    assert_null(doc);
    assert_string_equal(dc_error_last()->message,
                        "image is 40000x40000 (1600.0 megapixels), over the 250-megapixel limit");
    dc_gen_free(data);
    dc_gray_dispose(&g);
}

static void resolution_warnings(void **state)
{
    static const char *const words[] = {"Low resolution"};
    dc_extract_options o = opts1(1);
    dc_document *doc;
    dc_gray g;

    (void)state;
    assert_dc_ok(dc_gen_text_page(&g, 600, 150, words, 1, 40, 100));
    doc = extract_pages(&g, 1, "png", 100, &o);
    assert_non_null(find_note(doc->warnings, doc->nwarnings, "DOCCLASS_LOW_RESOLUTION", 1));
    assert_null(find_note(doc->warnings, doc->nwarnings, "DOCCLASS_DPI_ASSUMED", -1));
    dc_document_free(doc);
    doc = extract_pages(&g, 1, "png", 0, &o);
    assert_non_null(find_note(doc->warnings, doc->nwarnings, "DOCCLASS_DPI_ASSUMED", 1));
    assert_null(find_note(doc->warnings, doc->nwarnings, "DOCCLASS_LOW_RESOLUTION", -1));
    assert_int_equal((int)page_ocr_num(doc, 0, "dpi"), 300);
    assert_true(
        json_is_true(json_object_get(json_object_get(doc->pages[0].info, "ocr"), "dpi_assumed")));
    dc_document_free(doc);
    dc_gray_dispose(&g);
}

/* Over 10,000 px a side: Textract's page error, OCR still done locally. */
static void wide_image_is_a_bad_page(void **state)
{
    dc_extract_options o = opts1(1);
    dc_document *doc;
    const dc_note *e;
    dc_gray g;

    (void)state;
    assert_dc_ok(dc_gen_text_page(&g, 10001, 20, NULL, 0, 10, 300));
    doc = extract_pages(&g, 1, "png", 300, &o);
    e = find_note(doc->errors, doc->nerrors, "TEXTRACT_BAD_PAGE", 1);
    assert_non_null(e);
    assert_true(dc_test_contains(e->message, "10001x20"));
    assert_int_equal(doc->npages, 1);
    dc_document_free(doc);
    dc_gray_dispose(&g);
}

/* A 1 ms deadline: the dense page times out, the blank one goes through. */
static void page_timeout(void **state)
{
    dc_extract_options o = opts1(1);
    dc_document *doc;
    const dc_note *e;
    dc_gray p[2];

    (void)state;
    o.page_timeout = 0.001;
    assert_dc_ok(dc_gen_text_page(&p[0], 2400, 1400, dense, 8, 44, 300));
    assert_dc_ok(dc_gen_text_page(&p[1], 400, 300, NULL, 0, 10, 300));
    doc = extract_pages(p, 2, "tiff", 300, &o);
    assert_int_equal(doc->npages, 2);
    e = find_note(doc->errors, doc->nerrors, "DOCCLASS_PAGE_TIMEOUT", 1);
    assert_non_null(e);
    assert_null(find_note(doc->errors, doc->nerrors, "DOCCLASS_PAGE_TIMEOUT", 2));
    assert_non_null(doc->pages[1].info);
    dc_document_free(doc);
    dc_gray_dispose(&p[0]);
    dc_gray_dispose(&p[1]);
}

static void missing_language(void **state)
{
    dc_extract_options o = opts1(1);
    unsigned char *data = NULL;
    size_t len = 0;
    dc_document *doc = NULL;
    dc_gray g;

    (void)state;
    assert_dc_ok(dc_gen_text_page(&g, 200, 100, NULL, 0, 10, 300));
    assert_dc_ok(dc_gen_encode(&data, &len, &g, 1, "png", 300));
    o.lang = "xxx";
    assert_dc_fail(dc_document_extract_mem(&doc, data, len, "x.png", &o), DC_EOCR);
    assert_true(dc_test_contains(dc_error_last()->message, "language 'xxx' is not installed"));
    assert_true(dc_test_contains(dc_error_last()->message, "eng"));
    o.lang = "../eng";
    assert_dc_fail(dc_document_extract_mem(&doc, data, len, "x.png", &o), DC_EOCR);
    dc_gen_free(data);
    dc_gray_dispose(&g);
}

/* Damaged files end in DC_ECORRUPT (or a page error), never a crash. */
static void damaged_images(void **state)
{
    const char *fmts[] = {"png", "jpeg", "tiff"};
    dc_extract_options o = opts1(1);
    dc_gray g;
    size_t f;

    (void)state;
    sample_page(&g);
    for (f = 0; f < 3; f++) {
        unsigned char *data = NULL;
        size_t len = 0, cut;
        assert_dc_ok(dc_gen_encode(&data, &len, &g, 1, fmts[f], 300));
        for (cut = 8; cut < len; cut = cut * 3 + 1) {
            dc_document *doc = NULL;
            int rc = dc_document_extract_mem(&doc, data, cut, "cut", &o);
            if (rc < 0) {
                assert_true(rc == DC_ECORRUPT || rc == DC_EUNSUPPORTED);
                assert_true(dc_error_last()->message[0] != '\0');
            }
            dc_document_free(doc);
        }
        dc_gen_free(data);
    }
    dc_gray_dispose(&g);
}

/* The pool directly: a page whose render fails gets its own error. */
typedef struct {
    dc_gray page;
} render_ctx;

static int render(void *payload, size_t i, dc_gray *out)
{
    render_ctx *c = payload;
    if (i == 1)
        return dc_error_set(DC_ECORRUPT, "page cannot be drawn");
    *out = c->page;
    out->px = malloc((size_t)c->page.stride * (size_t)c->page.height);
    if (!out->px)
        return dc_error_oom();
    memcpy(out->px, c->page.px, (size_t)c->page.stride * (size_t)c->page.height);
    return DC_OK;
}

static void pool_render_error(void **state)
{
    static const char *const words[] = {"Pool page text"};
    dc_ocr_options o = {.lang = "eng", .jobs = 2, .rotate = 1};
    dc_ocr_result r[3];
    render_ctx c;
    size_t i;

    (void)state;
    memset(r, 0, sizeof(r));
    assert_dc_ok(dc_gen_text_page(&c.page, 600, 150, words, 1, 40, 300));
    assert_dc_ok(dc_ocr_pages(r, 3, render, &c, &o));
    assert_string_equal(r[0].text, "Pool page text");
    assert_string_equal(r[2].text, "Pool page text");
    assert_int_equal(r[1].err, DC_ECORRUPT);
    assert_string_equal(r[1].errcode, "DOCCLASS_RENDER_FAILED");
    assert_string_equal(r[1].errmsg, "page cannot be drawn");
    assert_null(r[1].text);
    for (i = 0; i < 3; i++)
        dc_ocr_result_dispose(&r[i]);
    dc_gray_dispose(&c.page);
}

static int no_thread(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg)
{
    (void)t;
    (void)a;
    (void)fn;
    (void)arg;
    errno = 0; /* pthread_create returns its error and leaves errno alone */
    return EAGAIN;
}

/* No OCR thread can start: the run fails with the reason pthread_create
 * returned (the message said "Success", from errno, before). */
static void thread_start_failure(void **state)
{
    static const char *const words[] = {"Pool page text"};
    dc_ocr_options o = {.lang = "eng", .jobs = 2, .rotate = 1};
    dc_ocr_result r[2];
    render_ctx c;
    char want[128];

    (void)state;
    memset(r, 0, sizeof(r));
    assert_dc_ok(dc_gen_text_page(&c.page, 600, 150, words, 1, 40, 300));
    dc_ocr__thread_create = no_thread;
    assert_dc_fail(dc_ocr_pages(r, 2, render, &c, &o), DC_EOCR);
    dc_ocr__thread_create = pthread_create;
    (void)snprintf(want, sizeof(want), "cannot start an OCR thread: %s", strerror(EAGAIN));
    assert_true(dc_test_contains(dc_error_last()->message, want));
    assert_dc_ok(dc_ocr_pages(r, 2, render, &c, &o)); /* and the next run starts them */
    assert_string_equal(r[0].text, "Pool page text");
    dc_ocr_result_dispose(&r[0]);
    dc_ocr_result_dispose(&r[1]);
    dc_gray_dispose(&c.page);
}

/* TABLES: rows rebuilt from the word boxes, with the approximation said. */
static void tables_rows(void **state)
{
    static const char *const rows[] = {"Item                       Quantity",
                                       "Apples                     12",
                                       "Pears                      30"};
    dc_extract_options o = opts1(1);
    dc_document *doc;
    dc_gray g;

    (void)state;
    o.config.action = DC_READ_ACTION_ANALYZE_DOCUMENT;
    o.config.features[0] = DC_FEATURE_TABLES;
    o.config.nfeatures = 1;
    assert_dc_ok(dc_gen_text_page(&g, 1400, 400, rows, 3, 42, 300));
    doc = extract_pages(&g, 1, "png", 300, &o);
    assert_true(dc_test_contains(doc->pages[0].text, "Apples\t12"));
    assert_true(dc_test_contains(doc->pages[0].text, "Pears\t30"));
    assert_non_null(find_note(doc->warnings, doc->nwarnings, "DOCCLASS_TABLES_APPROXIMATED", 1));
    dc_document_free(doc);
    dc_gray_dispose(&g);
}

static void samples_are_written(void **state)
{
    const char *dir = dc_test_tmp("img-samples");
    char *data;
    size_t len;

    (void)state;
    (void)mkdir(dir, 0755);
    assert_int_equal(dc_gen_image_samples(dir), 0);
    data = dc_test_slurp(dc_test_tmp("img-samples/pages.tiff"), &len);
    assert_true(len > 100);
    free(data);
}

/* Acceptance: Tesseract's own phototest, recall >= 0.98. */
/* ---------------------------------------------------------------- preparation */

static PIX *gray_pix(const dc_gray *g)
{
    PIX *pix = pixCreate(g->width, g->height, 8);
    int x, y;

    assert_non_null(pix);
    for (y = 0; y < g->height; y++)
        for (x = 0; x < g->width; x++)
            pixSetPixel(pix, x, y, g->px[(size_t)y * (size_t)g->stride + (size_t)x]);
    return pix;
}

static const char *const measured_lines[] = {
    "Measured text height of a page",
    "Characters in lines of words",
    "Tall and small letters",
    "The median of the components",
    "Read at any size",
    "Scaled to the recogniser",
};

/* The text height is measured from the page, whatever the file says:
 * between the x-height and the height of capitals (small letters joined
 * into words by the closing that joins dot-matrix dots, larger ones
 * apart), growing with the font; a blank page has none. */
static void text_height_is_measured(void **state)
{
    static const double sizes[] = {16, 32, 64};
    double prev = 0;
    size_t i;

    (void)state;
    for (i = 0; i < 3; i++) {
        dc_gray g;
        dc_prep_facts f;
        PIX *pix;
        assert_dc_ok(dc_gen_text_page(&g, (int)(sizes[i] * 30), (int)(sizes[i] * 12),
                                      measured_lines, 6, sizes[i], 72));
        pix = gray_pix(&g);
        assert_int_equal(dc_prep_measure(pix, 72, &f), 0);
        print_message("font %.0f px: text %.0f px over %d components\n", sizes[i], f.text_px,
                      f.text_items);
        assert_true(f.text_px >= 0.45 * sizes[i] && f.text_px <= 0.95 * sizes[i]);
        assert_true(f.text_px > prev && f.text_items >= 8);
        prev = f.text_px;
        pixDestroy(&pix);
        dc_gray_dispose(&g);
    }
    {
        dc_gray g;
        dc_prep_facts f;
        PIX *pix;
        assert_dc_ok(dc_gen_text_page(&g, 800, 600, NULL, 0, 20, 300));
        pix = gray_pix(&g);
        assert_int_equal(dc_prep_measure(pix, 300, &f), 0);
        assert_true(f.text_px == 0 && f.text_items == 0 && f.bg_spread == 0);
        pixDestroy(&pix);
        dc_gray_dispose(&g);
    }
}

/* Print too small for the recogniser (a 7 pt receipt photographed at 100
 * DPI: 11-pixel letters) is scaled up, and the page's record says so and
 * by how much; ordinary 300 DPI print is left as it is. */
static void small_print_is_scaled_up(void **state)
{
    char *want = sample_text();
    dc_extract_options o = opts1(1);
    static const double fonts[] = {14, 44};
    size_t i;

    (void)state;
    for (i = 0; i < 2; i++) {
        dc_gray g;
        dc_document *doc;
        const json_t *prep;
        char *dump;
        double recall;
        assert_dc_ok(dc_gen_text_page(&g, (int)(fonts[i] * 32), (int)(fonts[i] * 16),
                                      dc_gen_sample_lines, dc_gen_sample_nlines, fonts[i], 0));
        doc = extract_pages(&g, 1, "png", 0, &o);
        prep = json_object_get(json_object_get(doc->pages[0].info, "ocr"), "prep");
        recall = dc_gen_recall(want, doc->pages[0].text);
        dump = json_dumps(prep, 0);
        print_message("font %.0f px: %s, recall %.3f\n", fonts[i], dump, recall);
        free(dump);
        if (recall < 0.95)
            fail_msg("font %.0f: recall %.3f: %s", fonts[i], recall, doc->pages[0].text);
        if (i == 0) {
            assert_true(json_real_value(json_object_get(prep, "scale")) > 1.5);
            assert_string_equal(
                json_string_value(json_array_get(json_object_get(prep, "steps"), 0)), "upscale");
            assert_true(json_is_true(json_object_get(prep, "dpi_from_text")));
        } else {
            assert_true(json_real_value(json_object_get(prep, "scale")) == 1.0);
            assert_int_equal(json_array_size(json_object_get(prep, "steps")), 0);
        }
        /* word boxes stay in the pixels of the image as given */
        assert_int_equal((int)page_ocr_num(doc, 0, "width"), g.width);
        dc_document_free(doc);
        dc_gray_dispose(&g);
    }
    free(want);
}

/* Count dark pixels in a row band of a grey Pix. */
static int dark_in_rows(PIX *pix, int y0, int y1)
{
    int x, y, n = 0;
    l_uint32 v;

    for (y = y0; y < y1; y++)
        for (x = 0; x < pixGetWidth(pix); x++)
            n += pixGetPixel(pix, x, y, &v) == 0 && v < 128;
    return n;
}

/* A table's rules are erased and its text stays; a page without rules is
 * left untouched. */
static void table_rules_are_erased(void **state)
{
    dc_gray g;
    PIX *pix, *orig;
    /* text baselines at 75, 123, 171, 219 (font 30: 2.5 and 1.6 line
     * heights); rules between the lines, clear of ascenders and descenders */
    int y, rows[4] = {60, 108, 156, 204}, base[4] = {75, 123, 171, 219};
    size_t i;

    (void)state;
    assert_dc_ok(dc_gen_text_page(&g, 1400, 300, dc_gen_sample_lines, 4, 30, 300));
    pix = gray_pix(&g);
    orig = pixCopy(NULL, pix);
    assert_int_equal(dc_prep_erase_rules(&pix, 22), 0); /* no rules: untouched */
    assert_true(pix != NULL);
    pixDestroy(&pix);
    pix = pixCopy(NULL, orig);
    /* a grid: rules between the text lines and down both sides */
    for (i = 0; i < 4; i++) {
        for (y = rows[i] + 24; y < rows[i] + 26; y++)
            pixRenderLine(pix, 20, y, 1380, y, 1, L_CLEAR_PIXELS); /* black */
        rows[i] += 24;
    }
    pixRenderLine(pix, 20, 40, 20, 240, 2, L_CLEAR_PIXELS);
    pixRenderLine(pix, 1380, 40, 1380, 240, 2, L_CLEAR_PIXELS);
    assert_true(dark_in_rows(pix, rows[0], rows[0] + 2) > 1000);
    assert_int_equal(dc_prep_erase_rules(&pix, 22), 1);
    for (i = 0; i < 4; i++) /* the rules are gone */
        assert_int_equal(dark_in_rows(pix, rows[i], rows[i] + 2), 0);
    /* the text is not: as much ink in the text lines as before */
    for (i = 0; i < 4; i++) {
        int before = dark_in_rows(orig, base[i] - 22, base[i] + 7);
        int after = dark_in_rows(pix, base[i] - 22, base[i] + 7);
        if (after == 0 || after < before * 9 / 10)
            fail_msg("line %zu: %d dark pixels, %d before", i, after, before);
    }
    pixDestroy(&orig);
    pixDestroy(&pix);
    dc_gray_dispose(&g);
}

/* A low-resolution receipt-like page (small print, 150 DPI) fed upside
 * down is read turned back, and the page's record tells why: the reading
 * as it was, OSD's verdict and the reading that was kept; the same page
 * upright is read once and not turned. */
static void upside_down_small_page(void **state)
{
    char *want = sample_text();
    dc_extract_options o = opts1(1);
    int turn;

    (void)state;
    for (turn = 0; turn <= 180; turn += 180) {
        dc_gray g;
        dc_document *doc;
        const json_t *ocr, *readings;
        char *dump;
        double recall;
        assert_dc_ok(
            dc_gen_text_page(&g, 560, 300, dc_gen_sample_lines, dc_gen_sample_nlines, 17, 150));
        assert_dc_ok(dc_gen_rotate(&g, turn));
        doc = extract_pages(&g, 1, "png", 150, &o);
        ocr = json_object_get(doc->pages[0].info, "ocr");
        readings = json_object_get(ocr, "readings");
        recall = dc_gen_recall(want, doc->pages[0].text);
        dump = json_dumps(readings, 0);
        print_message("turned %d: %s\n", turn, dump);
        free(dump);
        if (recall < 0.9)
            fail_msg("turned %d: recall %.3f: %s", turn, recall, doc->pages[0].text);
        assert_int_equal((int)page_ocr_num(doc, 0, "rotation"), turn);
        if (turn == 0) {
            assert_int_equal(json_array_size(readings), 1);
            assert_null(json_object_get(ocr, "osd"));
        } else {
            const json_t *first = json_array_get(readings, 0);
            assert_true(json_array_size(readings) >= 2);
            assert_int_equal(json_integer_value(json_object_get(first, "rotation")), 0);
            assert_true(json_real_value(json_object_get(first, "mean_confidence")) <
                        page_ocr_num(doc, 0, "mean_confidence"));
            assert_non_null(json_object_get(json_object_get(ocr, "osd"), "confidence"));
        }
        dc_document_free(doc);
        dc_gray_dispose(&g);
    }
    free(want);
}

/* Corpus receipts (a phone photo, a dot-matrix print, a 600 DPI scan)
 * turned upside down come out turned 180 and read as they read upright;
 * upright, they are not turned. */
static void corpus_receipts_upside_down(void **state)
{
    static const char *const names[] = {"500", "506", "510", "526"};
    dc_extract_options o = opts1(1);
    size_t i;

    (void)state;
    if (!dc_test_corpus("zzzDavid__ICDAR-2019-SROIE/data/img/500.jpg")) {
        print_message("corpus absent: receipts skipped\n");
        skip();
    }
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char rel[128];
        const char *img;
        dc_document *up = NULL, *doc = NULL;
        double recall;
        (void)snprintf(rel, sizeof(rel), "zzzDavid__ICDAR-2019-SROIE/data/img/%s.jpg", names[i]);
        img = dc_test_corpus(rel);
        assert_non_null(img);
        assert_int_equal(dc_gen_turn_file(img, dc_test_tmp("turned.jpg"), 180), 0);
        assert_dc_ok(dc_document_extract_file(&up, img, &o));
        assert_dc_ok(dc_document_extract_file(&doc, dc_test_tmp("turned.jpg"), &o));
        recall = dc_gen_recall(up->pages[0].text, doc->pages[0].text);
        print_message("receipt %s turned: rotation %.0f, %.3f of the upright reading's words\n",
                      names[i], page_ocr_num(doc, 0, "rotation"), recall);
        assert_int_equal((int)page_ocr_num(up, 0, "rotation"), 0);
        assert_int_equal((int)page_ocr_num(doc, 0, "rotation"), 180);
        /* read upside down, it shares almost no word; 506 (faint dot-matrix
         * print, which read upside down gives one word and nothing else)
         * only has to be turned: its background is measured differently
         * once turned, so its second reading takes other steps */
        if (strcmp(names[i], "506") != 0)
            assert_true(recall >= 0.6);
        dc_document_free(doc);
        dc_document_free(up);
    }
}

/* A faint dot-matrix receipt reads poorly as it is and is read a second
 * time with its dots smoothed into strokes; each reading gets other words wrong, and
 * the words the second one read with more confidence are taken ("BATE"
 * read as it is, "DATE" with joined strokes). */
static void corpus_receipt_readings_merged(void **state)
{
    const char *img = dc_test_corpus("zzzDavid__ICDAR-2019-SROIE/data/img/509.jpg");
    dc_extract_options o = opts1(1);
    dc_document *doc = NULL;
    const json_t *ocr;

    (void)state;
    if (!img) {
        print_message("corpus absent: receipt 509 skipped\n");
        skip();
    }
    assert_dc_ok(dc_document_extract_file(&doc, img, &o));
    ocr = json_object_get(doc->pages[0].info, "ocr");
    print_message("509: %zu readings, %.0f words merged\n",
                  json_array_size(json_object_get(ocr, "readings")),
                  page_ocr_num(doc, 0, "merged_words"));
    assert_int_equal(json_array_size(json_object_get(ocr, "readings")), 2);
    assert_true(page_ocr_num(doc, 0, "merged_words") >= 1);
    assert_true(dc_test_contains(doc->pages[0].text, "DATE: 12/09/2017"));
    dc_document_free(doc);
}

/* Receipt 505: faint purple dot-matrix print on pink paper. Read as it is,
 * the salesperson's line and the time come out as noise ("SALESPERSON':
 * AHOO2 Tivies 08213200"); the second reading, smoothed by a Gaussian of a
 * sixteenth of the text height (the grey erosion that joined strokes
 * before lost them as well), reads them. */
static void corpus_receipt_smoothed(void **state)
{
    const char *img = dc_test_corpus("zzzDavid__ICDAR-2019-SROIE/data/img/505.jpg");
    dc_extract_options o = opts1(1);
    dc_document *doc = NULL;
    const json_t *ocr, *steps;

    (void)state;
    if (!img) {
        print_message("corpus absent: receipt 505 skipped\n");
        skip();
    }
    assert_dc_ok(dc_document_extract_file(&doc, img, &o));
    ocr = json_object_get(doc->pages[0].info, "ocr");
    assert_int_equal(json_array_size(json_object_get(ocr, "readings")), 2);
    steps = json_object_get(json_array_get(json_object_get(ocr, "readings"), 1), "steps");
    assert_int_equal(json_array_size(steps), 1);
    assert_string_equal(json_string_value(json_array_get(steps, 0)), "smooth");
    assert_true(dc_test_contains(doc->pages[0].text, "SALESPERSON"));
    assert_true(dc_test_contains(doc->pages[0].text, "TIME: 08:13:00"));
    dc_document_free(doc);
}

/* nemotron_multipage: the same sentence upright, upside down and turned
 * both ways (Docling's test); every page reads it exactly. */
static void corpus_nemotron(void **state)
{
    const char *pdf = dc_test_corpus("docling-project__docling/tests/data/ocr/sources/"
                                     "nemotron_multipage.pdf");
    const char *gt = dc_test_corpus("docling-project__docling/tests/data/ocr/groundtruth/"
                                    "tesseract/full_page/ocr_test.tesseract.full_page.md");
    dc_extract_options o = opts1(2);
    dc_document *doc = NULL;
    char *want;
    size_t i;

    (void)state;
    if (!pdf || !gt) {
        print_message("corpus absent: nemotron_multipage skipped\n");
        skip();
    }
    want = dc_test_slurp(gt, NULL);
    assert_dc_ok(dc_document_extract_file(&doc, pdf, &o));
    assert_int_equal(doc->npages, 4);
    for (i = 0; i < 4; i++) {
        double recall = dc_gen_recall(want, doc->pages[i].text);
        print_message("page %zu: rotation %.0f, recall %.3f\n", i + 1,
                      page_ocr_num(doc, i, "rotation"), recall);
        if (recall < 1.0 || dc_gen_recall(doc->pages[i].text, want) < 1.0)
            fail_msg("page %zu: %s", i + 1, doc->pages[i].text);
    }
    assert_int_equal((int)page_ocr_num(doc, 1, "rotation"), 180);
    dc_document_free(doc);
    free(want);
}

/* OCRmyPDF's graph_ocred.pdf: a bar chart. The layout leaves its plot
 * out; read again as a left-out region, the plot came out as "& om & & &
 * cy s & ee & se" (38 words where the command reads 18): a recovered line
 * keeps only words read with confidence, and needs a sure word. */
static void corpus_chart_not_read(void **state)
{
    const char *pdf = dc_test_corpus("ocrmypdf__OCRmyPDF/tests/resources/graph_ocred.pdf");
    dc_extract_options o = opts1(1);
    dc_document *doc = NULL;

    (void)state;
    if (!pdf) {
        print_message("corpus absent: graph_ocred skipped\n");
        skip();
    }
    o.config.mode = DC_READ_MODE_FORCE_DOCUMENT_READ_ACTION;
    assert_dc_ok(dc_document_extract_file(&doc, pdf, &o));
    print_message("graph_ocred: %s\n", doc->pages[0].text);
    assert_true(dc_test_contains(doc->pages[0].text, "No vote"));
    assert_true(dc_test_contains(doc->pages[0].text, "Percentage"));
    assert_false(dc_test_contains(doc->pages[0].text, " om "));
    assert_false(dc_test_contains(doc->pages[0].text, "& &"));
    dc_document_free(doc);
}

static void corpus_phototest(void **state)
{
    const char *img = dc_test_corpus("tesseract-ocr__test/testing/phototest.tif");
    const char *txt = dc_test_corpus("tesseract-ocr__test/testing/phototest.txt");
    dc_extract_options o = opts1(1);
    dc_document *doc = NULL;
    char *want;
    double recall;

    (void)state;
    if (!img || !txt) {
        print_message("corpus absent: phototest skipped\n");
        skip();
    }
    want = dc_test_slurp(txt, NULL);
    assert_dc_ok(dc_document_extract_file(&doc, img, &o));
    recall = dc_gen_recall(want, doc->pages[0].text);
    if (recall < 0.98)
        fail_msg("phototest recall %.3f", recall);
    dc_document_free(doc);
    free(want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clean_png_and_jpeg),
        cmocka_unit_test(rotations_are_corrected),
        cmocka_unit_test(skew_is_corrected),
        cmocka_unit_test(columns_stay_apart),
        cmocka_unit_test(multipage_tiff_and_jobs),
        cmocka_unit_test(pixel_bomb_is_refused),
        cmocka_unit_test(resolution_warnings),
        cmocka_unit_test(wide_image_is_a_bad_page),
        cmocka_unit_test(page_timeout),
        cmocka_unit_test(missing_language),
        cmocka_unit_test(damaged_images),
        cmocka_unit_test(pool_render_error),
        cmocka_unit_test(thread_start_failure),
        cmocka_unit_test(tables_rows),
        cmocka_unit_test(samples_are_written),
        cmocka_unit_test(corpus_phototest),
        cmocka_unit_test(text_height_is_measured),
        cmocka_unit_test(small_print_is_scaled_up),
        cmocka_unit_test(table_rules_are_erased),
        cmocka_unit_test(upside_down_small_page),
        cmocka_unit_test(corpus_receipts_upside_down),
        cmocka_unit_test(corpus_receipt_readings_merged),
        cmocka_unit_test(corpus_receipt_smoothed),
        cmocka_unit_test(corpus_nemotron),
        cmocka_unit_test(corpus_chart_not_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
