/*
 * PDF stage: per-page routing (class, rule, DocumentType), parser text,
 * OCR of routed pages in both read modes, encryption, damaged files.
 * Documents come from tests/support/pdf_gen.c; OCR assertions use the real
 * Tesseract pool and are skipped only when this build has no OCR engine.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "dc_test.h"
#include "gen.h"
#include "ocr.h"

/* tests/support/pdf_gen.c */
int dc_pdf_gen_pages(const char *path, const char *kinds);
int dc_pdf_gen_invisible(const char *path);
int dc_pdf_gen_garbled(const char *path);
int dc_pdf_gen_encrypted(const char *path, const char *user);
int dc_pdf_gen_big(const char *path);
extern const char *const dc_pdf_gen_scan_lines[];
extern const char *const dc_pdf_gen_digital_lines[][4];
extern const char *const dc_pdf_gen_header;
extern const char *const dc_pdf_gen_invisible_text;

static const char *gen_path(const char *name)
{
    mkdir(dc_test_tmp("pdf"), 0755);
    return dc_test_tmp(name);
}

static const char *gen(const char *name, const char *kinds)
{
    char rel[256];
    const char *p;

    (void)snprintf(rel, sizeof(rel), "pdf/%s", name);
    p = gen_path(rel);
    assert_int_equal(dc_pdf_gen_pages(p, kinds), 0);
    return p;
}

/* 1 when the OCR engine of this build runs (the stub refuses every call). */
static int ocr_available(void)
{
    dc_ocr_result r;
    dc_ocr_options o = {.lang = "eng", .jobs = 1};
    return dc_ocr_pages(&r, 0, NULL, NULL, &o) >= 0;
}

#define NEED_OCR()                                                        \
    do {                                                                  \
        if (!ocr_available()) {                                           \
            print_message("skipped: this build has no OCR engine (%s)\n", \
                          dc_error_last()->message);                      \
            skip();                                                       \
        }                                                                 \
    } while (0)

/* Extract path and return its result JSON (caller decrefs). With accepted,
 * the real-time limits apply and *accepted gets dc_document_accepted(). */
static json_t *extract(const char *path, dc_read_mode mode, const char *password, int *accepted)
{
    dc_extract_options o = DC_EXTRACT_OPTIONS_INIT;
    dc_document *doc = NULL;
    char *js = NULL;
    json_t *j;

    o.config.mode = mode;
    o.config.action = mode ? DC_READ_ACTION_DETECT_DOCUMENT_TEXT : DC_READ_ACTION_UNSET;
    o.password = password;
    o.limits = accepted ? DC_LIMITS_REALTIME : DC_LIMITS_NONE;
    o.jobs = 1;
    assert_dc_ok(dc_document_extract_file(&doc, path, &o));
    if (accepted)
        *accepted = dc_document_accepted(doc);
    assert_dc_ok(dc_document_to_json(&js, doc, 0));
    j = json_loads(js, 0, NULL);
    assert_non_null(j);
    dc_free(js);
    dc_document_free(doc);
    return j;
}

static json_t *page(json_t *res, size_t i)
{
    json_t *p = json_array_get(json_object_get(res, "pages"), i);
    assert_non_null(p);
    return p;
}

static const char *pstr(json_t *res, size_t i, const char *key)
{
    const char *s = json_string_value(json_object_get(page(res, i), key));
    assert_non_null(s);
    return s;
}

static const char *route_str(json_t *res, size_t i, const char *key)
{
    const char *s =
        json_string_value(json_object_get(json_object_get(page(res, i), "routing"), key));
    assert_non_null(s);
    return s;
}

static json_t *signal(json_t *res, size_t i, const char *key)
{
    json_t *sig = json_object_get(json_object_get(page(res, i), "routing"), "signals");
    return json_object_get(sig, key);
}

/* Assert page i's class, rule fragment, DocumentType and extractor. */
static void assert_route(json_t *res,
                         size_t i,
                         const char *cls,
                         const char *rule,
                         const char *type,
                         const char *extractor)
{
    assert_string_equal(route_str(res, i, "class"), cls);
    if (!dc_test_contains(route_str(res, i, "rule"), rule))
        fail_msg("page %zu rule '%s' lacks '%s'", i + 1, route_str(res, i, "rule"), rule);
    assert_string_equal(pstr(res, i, "Type"), type);
    assert_string_equal(pstr(res, i, "extractor"), extractor);
    assert_true(dc_test_contains(pstr(res, i, "reason"), cls));
}

/* Share of the expected words (lowercase alphanumeric runs, as a multiset)
 * found in got. */
static size_t words(char out[][32], size_t max, const char *s)
{
    size_t n = 0;
    while (*s && n < max) {
        size_t k = 0;
        while (*s && !isalnum((unsigned char)*s))
            s++;
        while (*s && isalnum((unsigned char)*s)) {
            if (k < 31)
                out[n][k++] = (char)tolower((unsigned char)*s);
            s++;
        }
        if (k) {
            out[n][k] = '\0';
            n++;
        }
    }
    return n;
}

static double recall(const char *expected, const char *got)
{
    static char e[512][32], g[512][32];
    size_t ne = words(e, 512, expected), ng = words(g, 512, got), hit = 0;

    for (size_t i = 0; i < ne; i++)
        for (size_t k = 0; k < ng; k++)
            if (g[k][0] && strcmp(e[i], g[k]) == 0) {
                g[k][0] = '\0';
                hit++;
                break;
            }
    return ne ? (double)hit / (double)ne : 1.0;
}

static void assert_recall(const char *const *lines, const char *got, double min)
{
    char all[2048] = "";
    for (size_t i = 0; lines[i]; i++) {
        strncat(all, lines[i], sizeof(all) - strlen(all) - 2);
        strcat(all, " ");
    }
    if (recall(all, got) < min)
        fail_msg("word recall %.3f < %.2f; OCR text: %s", recall(all, got), min, got);
}

/* ---------------------------------------------------------------- parser-only pages */

static void digital_pages_are_native(void **state)
{
    json_t *r;
    (void)state;
    assert_int_equal(dc_gen_pdf_samples(gen_path("pdf")), 0);
    r = extract(dc_test_tmp("pdf/digital.pdf"), DC_READ_MODE_UNSET, NULL, NULL);
    assert_int_equal(json_array_size(json_object_get(r, "pages")), 2);
    for (size_t i = 0; i < 2; i++) {
        assert_route(r, i, "native", "characters of text", "NATIVE_PDF", "parser");
        assert_true(dc_test_contains(pstr(r, i, "reason"), "SERVICE_DEFAULT"));
        for (size_t k = 0; dc_pdf_gen_digital_lines[i][k]; k++)
            assert_true(dc_test_contains(pstr(r, i, "text"), dc_pdf_gen_digital_lines[i][k]));
        assert_int_equal(json_integer_value(signal(r, i, "images")), 0);
        assert_int_equal(json_integer_value(signal(r, i, "unmapped_chars")), 0);
        assert_true(json_real_value(signal(r, i, "text_coverage")) > 0.001);
    }
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(json_object_get(r, "input"), "pdf"), "pages")),
                     2);
    json_decref(r);
}

static void blank_page(void **state)
{
    json_t *r;
    (void)state;
    r = extract(gen("blank.pdf", "b"), DC_READ_MODE_UNSET, NULL, NULL);
    assert_route(r, 0, "blank", "nothing drawn", "NATIVE_PDF", "parser");
    assert_string_equal(pstr(r, 0, "text"), "");
    assert_true(json_real_value(signal(r, 0, "ink")) <= 0.0002);
    json_decref(r);
}

static void invisible_layer_is_prior_ocr(void **state)
{
    const char *p = gen_path("pdf/invisible.pdf");
    json_t *r;
    (void)state;
    assert_int_equal(dc_pdf_gen_invisible(p), 0);
    r = extract(p, DC_READ_MODE_SERVICE_DEFAULT, NULL, NULL);
    assert_route(r, 0, "prior_ocr", "invisible over an image", "NATIVE_PDF", "parser");
    assert_true(dc_test_contains(pstr(r, 0, "text"), dc_pdf_gen_invisible_text));
    assert_int_equal(json_integer_value(signal(r, 0, "visible_chars")), 0);
    assert_true(json_integer_value(signal(r, 0, "invisible_chars")) >= 30);
    /* the image's pixel size and resolution come from its XObject */
    assert_int_equal(json_integer_value(json_array_get(signal(r, 0, "largest_image_px"), 0)), 1700);
    assert_int_equal(json_integer_value(signal(r, 0, "largest_image_dpi")), 200);
    json_decref(r);
}

static void oversized_page_is_textract_bad_page(void **state)
{
    const char *p = gen_path("pdf/big.pdf");
    json_t *r, *err;
    (void)state;
    assert_int_equal(dc_pdf_gen_big(p), 0);
    r = extract(p, DC_READ_MODE_UNSET, NULL, NULL);
    assert_route(r, 0, "vector_only", "paths draw ink", "SCANNED_PDF", "ocr");
    assert_string_equal(pstr(r, 0, "text"), "");
    err = json_array_get(json_object_get(r, "Errors"), 0);
    assert_string_equal(json_string_value(json_object_get(err, "ErrorCode")), "TEXTRACT_BAD_PAGE");
    assert_int_equal(json_integer_value(json_object_get(err, "Page")), 1);
    json_decref(r);
}

/* ---------------------------------------------------------------- encryption, damage */

static void encrypted_pdf(void **state)
{
    const char *p = gen_path("pdf/encrypted.pdf");
    dc_extract_options o = DC_EXTRACT_OPTIONS_INIT;
    dc_document *doc = NULL;
    json_t *r;
    int accepted = 1;
    (void)state;
    assert_int_equal(dc_pdf_gen_encrypted(p, "s3cret"), 0);
    assert_dc_fail(dc_document_extract_file(&doc, p, &o), DC_EPASSWORD);
    assert_null(doc);
    assert_true(dc_test_contains(dc_error_last()->message, "--password"));
    assert_true(dc_test_contains(dc_error_last()->message, "INVALID_DOCUMENT"));
    o.password = "wrong";
    assert_dc_fail(dc_document_extract_file(&doc, p, &o), DC_EPASSWORD);
    assert_true(dc_test_contains(dc_error_last()->message, "password is wrong"));
    r = extract(p, DC_READ_MODE_UNSET, "s3cret", &accepted);
    assert_route(r, 0, "native", "characters", "NATIVE_PDF", "parser");
    assert_true(dc_test_contains(pstr(r, 0, "text"), "Secret quarterly numbers are inside"));
    assert_int_equal(accepted, 0);
    assert_true(json_is_true(
        json_object_get(json_object_get(json_object_get(r, "input"), "pdf"), "encrypted")));
    {
        char *s = json_dumps(r, 0);
        assert_true(dc_test_contains(s, "INVALID_DOCUMENT"));
        free(s);
    }
    json_decref(r);
}

static void damaged_pdf(void **state)
{
    static const char garbage[] = "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\n";
    dc_document *doc = NULL;
    size_t len = 0;
    char *full;
    (void)state;
    gen("for-truncation.pdf", "dd");
    full = dc_test_slurp(dc_test_tmp("pdf/for-truncation.pdf"), &len);
    assert_dc_fail(dc_document_extract_mem(&doc, full, 200, "truncated.pdf", NULL), DC_ECORRUPT);
    assert_null(doc);
    assert_true(dc_test_contains(dc_error_last()->message, "damaged PDF"));
    assert_dc_fail(dc_document_extract_mem(&doc, garbage, sizeof(garbage) - 1, "g.pdf", NULL),
                   DC_ECORRUPT);
    free(full);
}

/* ---------------------------------------------------------------- OCR-routed pages */

static void scan_is_ocred(void **state)
{
    json_t *r;
    (void)state;
    NEED_OCR();
    assert_int_equal(dc_gen_pdf_samples(gen_path("pdf")), 0);
    r = extract(dc_test_tmp("pdf/scan.pdf"), DC_READ_MODE_UNSET, NULL, NULL);
    assert_route(r, 0, "scanned", "largest image covers 100% of the page", "SCANNED_PDF", "ocr");
    assert_int_equal(json_integer_value(signal(r, 0, "largest_image_dpi")), 300);
    assert_recall(dc_pdf_gen_scan_lines, pstr(r, 0, "text"), 0.95);
    json_decref(r);
}

static void rotated_scan_is_ocred(void **state)
{
    json_t *r;
    (void)state;
    NEED_OCR();
    r = extract(gen("rotated.pdf", "r"), DC_READ_MODE_UNSET, NULL, NULL);
    assert_route(r, 0, "scanned", "largest image covers 100%", "SCANNED_PDF", "ocr");
    assert_int_equal(json_integer_value(signal(r, 0, "largest_image_dpi")), 300);
    assert_recall(dc_pdf_gen_scan_lines, pstr(r, 0, "text"), 0.95);
    json_decref(r);
}

/* The warning with code on page (1-based), or NULL. */
static json_t *warning(json_t *res, int pageno, const char *code)
{
    json_t *w;
    size_t i;
    json_array_foreach(json_object_get(res, "Warnings"), i, w)
    {
        if (json_integer_value(json_object_get(w, "Page")) == pageno &&
            strcmp(json_string_value(json_object_get(w, "WarnCode")), code) == 0)
            return w;
    }
    return NULL;
}

static void hybrid_vector_are_ocred_garbled_is_read(void **state)
{
    const char *g = gen_path("pdf/garbled.pdf");
    const char *hdr[] = {dc_pdf_gen_header, NULL};
    json_t *r;
    (void)state;
    NEED_OCR();
    r = extract(gen("hybrid-vector.pdf", "hv"), DC_READ_MODE_UNSET, NULL, NULL);
    assert_route(r, 0, "hybrid", "text covers", "SCANNED_PDF", "ocr");
    assert_recall(dc_pdf_gen_scan_lines, pstr(r, 0, "text"), 0.95);
    assert_recall(hdr, pstr(r, 0, "text"), 1.0);
    assert_route(r, 1, "vector_only", "paths draw ink", "SCANNED_PDF", "ocr");
    json_decref(r);
    assert_int_equal(dc_pdf_gen_garbled(g), 0);
    /* SERVICE_DEFAULT reads a garbled layer as it is, with a warning */
    r = extract(g, DC_READ_MODE_UNSET, NULL, NULL);
    assert_route(r, 0, "garbled_text", "decode to U+FFFD", "NATIVE_PDF", "parser");
    assert_int_equal(json_integer_value(signal(r, 0, "unmapped_chars")),
                     json_integer_value(signal(r, 0, "chars")));
    assert_non_null(warning(r, 1, "DOCCLASS_GARBLED_TEXT"));
    json_decref(r);
    r = extract(g, DC_READ_MODE_FORCE_DOCUMENT_READ_ACTION, NULL, NULL);
    assert_route(r, 0, "garbled_text", "decode to U+FFFD", "NATIVE_PDF", "ocr");
    assert_null(warning(r, 1, "DOCCLASS_GARBLED_TEXT"));
    json_decref(r);
}

static void three_pages_both_modes(void **state)
{
    static const char *const cls[] = {"native", "scanned", "hybrid"};
    static const char *const type[] = {"NATIVE_PDF", "SCANNED_PDF", "SCANNED_PDF"};
    json_t *r;
    (void)state;
    NEED_OCR();
    assert_int_equal(dc_gen_pdf_samples(gen_path("pdf")), 0);
    r = extract(dc_test_tmp("pdf/three-pages.pdf"), DC_READ_MODE_SERVICE_DEFAULT, NULL, NULL);
    for (size_t i = 0; i < 3; i++)
        assert_route(r, i, cls[i], "", type[i], i ? "ocr" : "parser");
    assert_true(dc_test_contains(pstr(r, 0, "text"), dc_pdf_gen_digital_lines[0][0]));
    assert_recall(dc_pdf_gen_scan_lines, pstr(r, 1, "text"), 0.95);
    json_decref(r);
    r = extract(dc_test_tmp("pdf/three-pages.pdf"), DC_READ_MODE_FORCE_DOCUMENT_READ_ACTION, NULL,
                NULL);
    for (size_t i = 0; i < 3; i++) {
        assert_route(r, i, cls[i], "", type[i], "ocr");
        assert_true(dc_test_contains(pstr(r, i, "reason"), "FORCE_DOCUMENT_READ_ACTION"));
    }
    assert_recall(dc_pdf_gen_digital_lines[0], pstr(r, 0, "text"), 0.95);
    json_decref(r);
}

/* A 40-page digital PDF is planned by two threads, each opening the
 * document itself. When the second cannot, the document fails with its
 * error; its pages are never left unplanned as empty parser pages. */
static void planner_thread_open_failure_fails(void **state)
{
    const char *p = gen("forty.pdf", "dddddddddddddddddddddddddddddddddddddddd");
    dc_extract_options o = DC_EXTRACT_OPTIONS_INIT;
    dc_document *doc = NULL;

    (void)state;
    o.limits = DC_LIMITS_NONE;
    o.jobs = 2;
    assert_dc_ok(dc_document_extract_file(&doc, p, &o));
    assert_int_equal(doc->npages, 40);
    assert_true(doc->pages[39].text[0] != '\0'); /* the second thread's share is read */
    dc_document_free(doc);
    doc = NULL;
    dc_pdf__planner_open_fails = 1;
    assert_dc_fail(dc_document_extract_file(&doc, p, &o), DC_ENOMEM);
    dc_pdf__planner_open_fails = 0;
    assert_true(dc_test_contains(dc_error_last()->message, "cannot be opened again"));
    assert_null(doc);
}

static void render_cap_lowers_dpi(void **state)
{
    dc_extract_options o = DC_EXTRACT_OPTIONS_INIT;
    dc_document *doc = NULL;
    char *js = NULL;
    json_t *r, *render;
    (void)state;
    NEED_OCR();
    o.max_megapixels = 2.0; /* letter at 300 dpi is 8.4 MP */
    o.limits = DC_LIMITS_NONE;
    assert_dc_ok(dc_document_extract_file(&doc, gen("capped.pdf", "s"), &o));
    assert_dc_ok(dc_document_to_json(&js, doc, 0));
    r = json_loads(js, 0, NULL);
    render = json_object_get(page(r, 0), "render");
    assert_int_equal(json_integer_value(json_object_get(render, "dpi")), 146);
    assert_int_equal(json_integer_value(json_object_get(render, "requested_dpi")), 300);
    json_decref(r);
    dc_free(js);
    dc_document_free(doc);
}

/* ---------------------------------------------------------------- corpus */

static void corpus_type3_is_garbled(void **state)
{
    const char *p = dc_test_corpus("ocrmypdf__OCRmyPDF/tests/resources/type3_font_nomapping.pdf");
    json_t *r;
    (void)state;
    if (!p) {
        print_message("skipped: ../shared/corpus is absent\n");
        skip();
    }
    NEED_OCR();
    r = extract(p, DC_READ_MODE_UNSET, NULL, NULL);
    assert_route(r, 0, "garbled_text", "decode to U+FFFD", "NATIVE_PDF", "parser");
    assert_non_null(warning(r, 1, "DOCCLASS_GARBLED_TEXT"));
    json_decref(r);
}

/* 1 when a and b hold the same text once whitespace runs are one space. */
static int same_words(const char *a, const char *b)
{
    for (;;) {
        while (isspace((unsigned char)*a))
            a++;
        while (isspace((unsigned char)*b))
            b++;
        if (!*a || !*b)
            return !*a && !*b;
        if (*a != *b)
            return 0;
        a++;
        b++;
        if (isspace((unsigned char)*a) != isspace((unsigned char)*b) && (*a && *b))
            return 0;
    }
}

static void corpus_docling_ocr_tests(void **state)
{
    static const char *const names[] = {"ocr_test", "ocr_test_rotated_90", "ocr_test_rotated_180"};
    (void)state;
    if (!dc_test_corpus("docling-project__docling/tests/data/ocr/sources/ocr_test.pdf")) {
        print_message("skipped: ../shared/corpus is absent\n");
        skip();
    }
    NEED_OCR();
    for (size_t i = 0; i < 3; i++) {
        char rel[512];
        char *truth;
        json_t *r;
        (void)snprintf(rel, sizeof(rel),
                       "docling-project__docling/tests/data/ocr/groundtruth/"
                       "tesseract/full_page/%s.tesseract.full_page.md",
                       names[i]);
        truth = dc_test_slurp(dc_test_corpus(rel), NULL);
        (void)snprintf(rel, sizeof(rel), "docling-project__docling/tests/data/ocr/sources/%s.pdf",
                       names[i]);
        r = extract(dc_test_corpus(rel), DC_READ_MODE_UNSET, NULL, NULL);
        assert_route(r, 0, "scanned", "", "SCANNED_PDF", "ocr");
        if (!same_words(truth, pstr(r, 0, "text")))
            fail_msg("%s: truth '%s'; got '%s'", names[i], truth, pstr(r, 0, "text"));
        free(truth);
        json_decref(r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(digital_pages_are_native),
        cmocka_unit_test(blank_page),
        cmocka_unit_test(invisible_layer_is_prior_ocr),
        cmocka_unit_test(oversized_page_is_textract_bad_page),
        cmocka_unit_test(encrypted_pdf),
        cmocka_unit_test(damaged_pdf),
        cmocka_unit_test(scan_is_ocred),
        cmocka_unit_test(rotated_scan_is_ocred),
        cmocka_unit_test(hybrid_vector_are_ocred_garbled_is_read),
        cmocka_unit_test(three_pages_both_modes),
        cmocka_unit_test(planner_thread_open_failure_fails),
        cmocka_unit_test(render_cap_lowers_dpi),
        cmocka_unit_test(corpus_type3_is_garbled),
        cmocka_unit_test(corpus_docling_ocr_tests),
    };
    (void)dc_library_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
