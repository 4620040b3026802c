/*
 * DOCX stage: exact text per feature, page splitting, parts switches, the
 * package probe, and hostile or damaged packages (codes and messages).
 * Samples are written at test time by tests/support/docx_gen.c.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "dc_test.h"
#include "doc.h"
#include "gen.h"
#include "ooxml.h"

/* tests/support/docx_gen.c */
int dc_gen_docx_case(const char *path, const char *name);

static const char *sample(const char *name)
{
    char file[256];
    const char *path;

    (void)snprintf(file, sizeof(file), "docx-%s.docx", name);
    path = dc_test_tmp(file);
    if (dc_gen_docx_case(path, name) < 0)
        fail_msg("cannot generate %s", name);
    return path;
}

/* Extract case @p name with @p parts; returns the document (rc DC_OK) or
 * NULL after checking that rc is @p expect. */
static dc_document *run_case(const char *name, unsigned parts, int expect)
{
    size_t len = 0;
    char *data = dc_test_slurp(sample(name), &len);
    dc_document *doc = calloc(1, sizeof(*doc));
    int rc;

    assert_non_null(doc);
    dc_error_clear();
    rc = dc_docx_extract(doc, data, len, parts);
    free(data);
    if (rc != expect)
        fail_msg("%s: rc %d, expected %d (%s)", name, rc, expect, dc_error_last()->message);
    if (rc < 0) {
        assert_true(dc_error_last()->message[0] != '\0');
        dc_document_free(doc);
        return NULL;
    }
    return doc;
}

static void expect_text(const char *name, unsigned parts, const char *const *pages, size_t n)
{
    dc_document *doc = run_case(name, parts, DC_OK);
    size_t i;

    if (doc->npages != n)
        fail_msg("%s: %zu pages, expected %zu (page 1: \"%s\")", name, doc->npages, n,
                 doc->npages ? doc->pages[0].text : "");
    for (i = 0; i < n; i++) {
        assert_string_equal(doc->pages[i].text, pages[i]);
        assert_int_equal(doc->pages[i].type, DC_DOCTYPE_MS_WORD);
        assert_int_equal(doc->pages[i].extractor, DC_EXTRACTOR_PARSER);
    }
    dc_document_free(doc);
}

#define ONE(name, text)                                  \
    do {                                                 \
        static const char *const p_[] = {text};          \
        expect_text(name, DC_DOCX_DEFAULT_PARTS, p_, 1); \
    } while (0)

static int has_warning(const dc_document *doc, const char *code)
{
    size_t i;

    for (i = 0; i < doc->nwarnings; i++)
        if (strcmp(doc->warnings[i].code, code) == 0)
            return 1;
    return 0;
}

static void expect_fail(const char *name, int code, const char *needle)
{
    assert_null(run_case(name, DC_DOCX_DEFAULT_PARTS, code));
    if (!dc_test_contains(dc_error_last()->message, needle))
        fail_msg("%s: message \"%s\" lacks \"%s\"", name, dc_error_last()->message, needle);
}

/* ---------------------------------------------------------------- text */

static void test_runs(void **state)
{
    (void)state;
    ONE("runs", "Hello bold world\nSecond paragraph");
    ONE("tabs", "Name:\tValue\tEnd");
    ONE("breaks", "line one\nline two\nline three\nnon-breaking!");
    ONE("list", "Shopping:\nFirst item\nSecond item\nThird item");
    ONE("hyperlink", "See the site and the top.");
    ONE("math", "Area A=\xcf\x80r");
    ONE("empty", "");
}

static void test_table(void **state)
{
    (void)state;
    ONE("table", "Before\nName\tAge\nAlice Smith\t30\n\tx\nouter\tin1 in2 in3 in4\nAfter");
}

static void test_symbols_and_textbox(void **state)
{
    (void)state;
    /* Symbol font -> Greek, Wingdings picture dropped, Unicode kept */
    ONE("sym", "alpha=\xce\xb1 pi=\xcf\x80 tick bullet\xe2\x80\xa2");
    /* the DrawingML branch only: the VML fallback copy is skipped */
    ONE("textbox", "Anchor\nBoxed text\n\nAfter");
}

static void test_revisions_fields_hidden(void **state)
{
    (void)state;
    ONE("tracked", "The new text\nstays Moved\nReformatted\nJoined paragraphs");
    ONE("field", "Page 7 of 9, yes, done");
    ONE("vanish", "Visible shown end");
}

static void test_parts_switches(void **state)
{
    static const char *const dflt[] = {"Header text\nBody text more\nFootnote text",
                                       "Second page\nEndnote text\nFooter text"};
    static const char *const all[] = {"Header text\nBody text more\nFootnote text\nComment text",
                                      "Second page\nEndnote text\nFooter text"};
    static const char *const none[] = {"Body text more", "Second page"};
    static const char *const hdr[] = {"Header text\nBody text more", "Second page"};
    dc_document *doc;
    json_t *d;

    (void)state;
    expect_text("parts", DC_DOCX_DEFAULT_PARTS, dflt, 2);
    expect_text("parts", DC_DOCX_DEFAULT_PARTS | DC_DOCX_COMMENTS, all, 2);
    expect_text("parts", 0, none, 2);
    expect_text("parts", DC_DOCX_HEADERS, hdr, 2);

    doc = run_case("parts", DC_DOCX_DEFAULT_PARTS, DC_OK);
    d = json_object_get(doc->info, "docx");
    assert_non_null(d);
    assert_string_equal(json_string_value(json_object_get(d, "main_part")), "/word/document.xml");
    assert_int_equal(json_array_size(json_object_get(d, "parts_included")), 5);
    assert_string_equal(json_string_value(json_array_get(json_object_get(d, "parts_skipped"), 0)),
                        "/word/comments.xml");
    assert_int_equal(json_integer_value(json_object_get(d, "declared_pages")), 2);
    assert_false(has_warning(doc, "DOCCLASS_DOCX_PAGE_COUNT"));
    dc_document_free(doc);
}

static void test_main_part_elsewhere(void **state)
{
    dc_document *doc;

    (void)state;
    ONE("elsewhere", "Its header\nReal main part");
    doc = run_case("elsewhere", DC_DOCX_DEFAULT_PARTS, DC_OK);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(doc->info, "docx"), "main_part")),
        "/content/main.xml");
    dc_document_free(doc);
}

static void test_pages(void **state)
{
    static const char *const pages[] = {"One", "Two", "Three\nThree b", "Three c\nFour\nFour b",
                                        "Five"};
    dc_document *doc;
    json_t *d;

    (void)state;
    expect_text("pages", DC_DOCX_DEFAULT_PARTS, pages, 5);
    doc = run_case("pages", DC_DOCX_DEFAULT_PARTS, DC_OK);
    d = json_object_get(doc->info, "docx");
    assert_int_equal(json_integer_value(json_object_get(d, "declared_pages")), 3);
    assert_int_equal(json_integer_value(json_object_get(d, "counted_pages")), 5);
    assert_true(has_warning(doc, "DOCCLASS_DOCX_PAGE_COUNT"));
    dc_document_free(doc);
}

static void test_variants(void **state)
{
    dc_document *doc;

    (void)state;
    doc = run_case("docm", DC_DOCX_DEFAULT_PARTS, DC_OK);
    assert_string_equal(doc->pages[0].text, "Variant body");
    assert_true(has_warning(doc, "DOCCLASS_DOCX_VARIANT"));
    dc_document_free(doc);
    expect_fail("xlsx", DC_EUNSUPPORTED, "not a Word document");
}

/* ---------------------------------------------------------------- hostile */

static void test_zip_bomb(void **state)
{
    clock_t t0 = clock();

    (void)state;
    expect_fail("bomb", DC_ELIMIT, "zip bomb");
    assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 5.0);
}

static void test_xxe_and_laughs(void **state)
{
    dc_document *doc;
    clock_t t0;

    (void)state;
    expect_fail("xxe", DC_ECORRUPT, "declares a DTD");
    assert_false(dc_test_contains(dc_error_last()->message, "TOPSECRET"));

    /* a hostile header is skipped with a warning; the body survives */
    doc = run_case("xxe-header", DC_DOCX_DEFAULT_PARTS, DC_OK);
    assert_string_equal(doc->pages[0].text, "Body survives");
    assert_true(has_warning(doc, "DOCCLASS_DOCX_PART"));
    dc_document_free(doc);

    t0 = clock();
    expect_fail("laughs", DC_ECORRUPT, "declares a DTD");
    assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);
}

static void test_damaged(void **state)
{
    (void)state;
    expect_fail("corrupt", DC_ECORRUPT, "damaged ZIP archive");
    expect_fail("crc", DC_ECORRUPT, "part /word/document.xml is damaged");
    expect_fail("encrypted", DC_EPASSWORD, "encrypted");
    expect_fail("deep", DC_ELIMIT, "deeper than the limit of 200 levels");
    expect_fail("zip", DC_ECORRUPT, "not a Word document");
}

/* The caps of dc_zip_limits, each on its own. */
static void test_caps(void **state)
{
    size_t len = 0;
    char *data = dc_test_slurp(sample("parts"), &len);
    dc_zip_limits lim = DC_ZIP_LIMITS_INIT;
    dc_ooxml *pkg = NULL;
    char *part = NULL;
    size_t plen = 0;

    (void)state;
    lim.max_entries = 3;
    assert_dc_fail(dc_ooxml_open(&pkg, data, len, &lim), DC_ELIMIT);
    assert_true(dc_test_contains(dc_error_last()->message, "over the limit of 3"));

    lim = (dc_zip_limits)DC_ZIP_LIMITS_INIT;
    lim.max_entry_size = 100;
    assert_dc_ok(dc_ooxml_open(&pkg, data, len, &lim));
    assert_dc_fail(dc_ooxml_read(pkg, "/word/document.xml", &part, &plen), DC_ELIMIT);
    assert_true(dc_test_contains(dc_error_last()->message, "per-part limit of 100 bytes"));
    assert_dc_fail(dc_ooxml_read(pkg, "/word/nothere.xml", &part, &plen), DC_ENOTFOUND);
    dc_ooxml_free(pkg);

    lim = (dc_zip_limits)DC_ZIP_LIMITS_INIT;
    lim.max_total = 1500;
    assert_dc_ok(dc_ooxml_open(&pkg, data, len, &lim));
    assert_dc_ok(dc_ooxml_read(pkg, "/word/document.xml", &part, &plen));
    free(part);
    assert_dc_fail(dc_ooxml_read(pkg, "/word/footnotes.xml", &part, &plen), DC_ELIMIT);
    assert_true(dc_test_contains(dc_error_last()->message, "total limit of 1500 bytes"));
    assert_null(part);
    dc_ooxml_free(pkg);
    free(data);
}

/* ---------------------------------------------------------------- probe */

static void expect_kind(const char *name, dc_format format, const char *kind)
{
    size_t len = 0;
    char *data = dc_test_slurp(sample(name), &len);
    dc_format f = DC_FORMAT_TEXT;
    const char *k = NULL, *reason = NULL;

    assert_dc_ok(dc_ooxml_probe(data, len, &f, &k, &reason));
    free(data);
    if (f != format || !k || strcmp(k, kind) != 0)
        fail_msg("%s: probe gave %d/%s, expected %d/%s", name, f, k ? k : "?", format, kind);
    if (format == DC_FORMAT_UNSUPPORTED)
        assert_true(reason && reason[0]);
    if (strcmp(kind, "docx") == 0)
        assert_null(reason);
}

static void test_probe(void **state)
{
    (void)state;
    expect_kind("runs", DC_FORMAT_DOCX, "docx");
    expect_kind("elsewhere", DC_FORMAT_DOCX, "docx");
    expect_kind("docm", DC_FORMAT_DOCX, "docm");
    expect_kind("dotx", DC_FORMAT_DOCX, "dotx");
    expect_kind("xlsx", DC_FORMAT_UNSUPPORTED, "xlsx");
    expect_kind("pptx", DC_FORMAT_UNSUPPORTED, "pptx");
    expect_kind("odf", DC_FORMAT_UNSUPPORTED, "odf");
    expect_kind("zip", DC_FORMAT_UNSUPPORTED, "zip");
    expect_kind("encrypted", DC_FORMAT_UNSUPPORTED, "zip-encrypted");
    expect_kind("corrupt", DC_FORMAT_UNSUPPORTED, "zip-corrupt");
}

/* ---------------------------------------------------------------- samples */

static void test_letter_sample(void **state)
{
    char path[4096];
    size_t len = 0;
    char *data;
    dc_document *doc = calloc(1, sizeof(*doc));
    const char *t;

    (void)state;
    assert_non_null(doc);
    (void)snprintf(path, sizeof(path), "%s", dc_test_tmp("letter.docx"));
    *strrchr(path, '/') = '\0';
    assert_int_equal(dc_gen_docx_samples(path), 0);
    data = dc_test_slurp(dc_test_tmp("letter.docx"), &len);
    assert_dc_ok(dc_docx_extract(doc, data, len, DC_DOCX_DEFAULT_PARTS));
    assert_int_equal(doc->npages, 1);
    t = doc->pages[0].text;
    assert_true(dc_test_contains(t, "Northwind Components Ltd - Order confirmation\n"));
    assert_true(dc_test_contains(t, "\nHydraulic valve HV-200\t40\tGBP 118.00\n"));
    assert_true(dc_test_contains(t, "Dear Ms Whitfield,"));
    assert_true(dc_test_contains(t, "\nVolume discount of 8% on orders over GBP 5,000"));
    assert_false(has_warning(doc, "DOCCLASS_DOCX_PAGE_COUNT"));
    free(data);
    dc_document_free(doc);
}

/* Through the public pipeline, once detection routes DOCX here. */
static void test_pipeline(void **state)
{
    size_t len = 0;
    char *data = dc_test_slurp(sample("runs"), &len);
    dc_detection det;
    dc_document *doc = NULL;

    (void)state;
    assert_dc_ok(dc_detect(&det, data, len));
    if (det.format != DC_FORMAT_DOCX) {
        free(data);
        skip(); /* detect.c does not route ZIP input to the probe yet */
    }
    assert_dc_ok(dc_document_extract_mem(&doc, data, len, "runs.docx", NULL));
    assert_int_equal(dc_document_page_count(doc), 1);
    assert_string_equal(dc_document_page_text(doc, 0, NULL), "Hello bold world\nSecond paragraph");
    dc_document_free(doc);
    free(data);
}

/* Every docx of ../shared/corpus: a result or a clean error, never a crash. */
static void test_corpus(void **state)
{
    static const char *const files[] = {
        "docling-project__docling/tests/data/docx/sources/word_sample.docx",
        "docling-project__docling/tests/data/docx/sources/textbox.docx",
        "docling-project__docling/tests/data/docx/sources/word_tables.docx",
        "python-openxml__python-docx/features/steps/test_files/comments-rich-para.docx",
        "Unstructured-IO__unstructured/example-docs/docx-hdrftr.docx",
    };
    size_t i, found = 0;

    (void)state;
    for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        const char *p = dc_test_corpus(files[i]);
        size_t len = 0;
        char *data;
        dc_document *doc;

        if (!p)
            continue;
        found++;
        data = dc_test_slurp(p, &len);
        doc = calloc(1, sizeof(*doc));
        assert_non_null(doc);
        assert_dc_ok(dc_docx_extract(doc, data, len, DC_DOCX_DEFAULT_PARTS));
        assert_true(doc->npages >= 1);
        assert_true(doc->pages[0].len > 0);
        dc_document_free(doc);
        free(data);
    }
    if (!found)
        skip(); /* ../shared/corpus is absent */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_runs),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_symbols_and_textbox),
        cmocka_unit_test(test_revisions_fields_hidden),
        cmocka_unit_test(test_parts_switches),
        cmocka_unit_test(test_main_part_elsewhere),
        cmocka_unit_test(test_pages),
        cmocka_unit_test(test_variants),
        cmocka_unit_test(test_zip_bomb),
        cmocka_unit_test(test_xxe_and_laughs),
        cmocka_unit_test(test_damaged),
        cmocka_unit_test(test_caps),
        cmocka_unit_test(test_probe),
        cmocka_unit_test(test_letter_sample),
        cmocka_unit_test(test_pipeline),
        cmocka_unit_test(test_corpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
