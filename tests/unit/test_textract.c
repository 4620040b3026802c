/* Textract JSON input: probe, text from LINE blocks, page checks, limits. */
#include "dc_test.h"
#include "doc.h"

#define BLK(id, type, page, text) \
    "{\"Id\":\"" id "\",\"BlockType\":\"" type "\",\"Page\":" #page ",\"Text\":\"" text "\"}"

static const char two_pages[] =
    "{\"DocumentMetadata\":{\"Pages\":2},\"Blocks\":["
    "{\"Id\":\"p1\",\"BlockType\":\"PAGE\",\"Page\":1}," BLK("l1", "LINE", 1, "First line") "," BLK(
        "w1",
        "WORD",
        1,
        "First") "," BLK("l2",
                         "LINE",
                         1,
                         "Second line") ","
                                        "{\"Id\":\"p2\",\"BlockType\":\"PAGE\",\"Page\":2}," BLK(
                                            "l3", "LINE", 2, "Page two") "]}";

static dc_document *run(const char *json, dc_limits_profile limits)
{
    dc_extract_options o = DC_EXTRACT_OPTIONS_INIT;
    dc_document *doc = NULL;
    o.limits = limits;
    assert_dc_ok(dc_document_extract_mem(&doc, json, strlen(json), "t.json", &o));
    return doc;
}

typedef struct {
    const char *json;
    int found;
    dc_textract_kind kind;
} probe_case;

static void probe_table(void **state)
{
    static const probe_case cases[] = {
        {"{\"Blocks\":[]}", 1, DC_TEXTRACT_DETECT_DOCUMENT_TEXT},
        {"{\"DetectDocumentTextModelVersion\":\"1.0\",\"Blocks\":[]}", 1,
         DC_TEXTRACT_DETECT_DOCUMENT_TEXT},
        {"{\"AnalyzeDocumentModelVersion\":\"1.0\",\"Blocks\":[]}", 1,
         DC_TEXTRACT_ANALYZE_DOCUMENT},
        {"{\"Blocks\":[{\"BlockType\":\"TABLE\"}]}", 1, DC_TEXTRACT_ANALYZE_DOCUMENT},
        {"{\"Blocks\":[{\"BlockType\":\"LAYOUT_TEXT\"}]}", 1, DC_TEXTRACT_ANALYZE_DOCUMENT},
        {"{\"Blocks\":[{\"BlockType\":\"KEY_VALUE_SET\"}]}", 1, DC_TEXTRACT_ANALYZE_DOCUMENT},
        {"{\"Blocks\":{}}", 0, DC_TEXTRACT_NONE},
        {"{\"blocks\":[]}", 0, DC_TEXTRACT_NONE},
        {"[{\"Blocks\":[]}]", 0, DC_TEXTRACT_NONE},
        {"{\"Blocks\":[", 0, DC_TEXTRACT_NONE},
        {"{\"Blocks\":[],\"Blocks\":[]}", 0,
         DC_TEXTRACT_NONE}, /* duplicate keys: not JSON we trust */
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        dc_textract_kind k = DC_TEXTRACT_NONE;
        int found = dc_textract_probe(cases[i].json, strlen(cases[i].json), &k);
        if (found != cases[i].found || k != cases[i].kind)
            fail_msg("case %zu (%s): found=%d kind=%d", i, cases[i].json, found, (int)k);
    }
}

static void lines_in_page_then_block_order(void **state)
{
    dc_document *doc = run(two_pages, DC_LIMITS_NONE);
    (void)state;
    assert_int_equal(dc_document_format(doc), DC_FORMAT_TEXTRACT_JSON);
    assert_int_equal(dc_document_page_count(doc), 2);
    assert_string_equal(dc_document_page_text(doc, 0, NULL), "First line\nSecond line");
    assert_string_equal(dc_document_page_text(doc, 1, NULL), "Page two");
    assert_int_equal(doc->pages[0].type, DC_DOCTYPE_TEXTRACT_DETECT_DOCUMENT_TEXT_JSON);
    assert_int_equal(doc->nrefusals, 0);
    dc_document_free(doc);
}

static void two_pages_break_the_realtime_page_limit(void **state)
{
    dc_document *doc = run(two_pages, DC_LIMITS_REALTIME);
    (void)state;
    assert_false(dc_document_accepted(doc));
    assert_int_equal(doc->nrefusals, 1);
    assert_string_equal(doc->refusals[0].detail_reason, "PAGE_LIMIT_EXCEEDED");
    assert_int_equal(dc_document_page_count(doc), 2);
    dc_document_free(doc);
}

static void mismatched_page_count(void **state)
{
    const char json[] = "{\"DocumentMetadata\":{\"Pages\":3},\"Blocks\":["
                        "{\"Id\":\"p1\",\"BlockType\":\"PAGE\"}," BLK("l1", "LINE", 1, "x") "]}";
    dc_document *doc = run(json, DC_LIMITS_NONE);
    (void)state;
    assert_int_equal(doc->nrefusals, 1);
    assert_string_equal(doc->refusals[0].detail_reason, "MISMATCHED_TOTAL_PAGE_COUNT");
    assert_true(dc_test_contains(doc->refusals[0].message, "3"));
    dc_document_free(doc);
}

static void duplicate_ids_are_refused(void **state)
{
    const char json[] = "{\"Blocks\":[{\"Id\":\"a\",\"BlockType\":\"PAGE\"},"
                        "{\"Id\":\"a\",\"BlockType\":\"LINE\",\"Text\":\"x\"}]}";
    dc_document *doc = run(json, DC_LIMITS_NONE);
    (void)state;
    assert_int_equal(doc->nrefusals, 1);
    assert_string_equal(doc->refusals[0].detail_reason, "NOT_TEXTRACT_JSON");
    assert_true(dc_test_contains(doc->refusals[0].message, "a"));
    assert_int_equal(dc_document_page_count(doc), 0);
    dc_document_free(doc);
}

static void analyze_output_type(void **state)
{
    const char json[] = "{\"AnalyzeDocumentModelVersion\":\"1.0\",\"Blocks\":["
                        "{\"Id\":\"p\",\"BlockType\":\"PAGE\"},"
                        "{\"Id\":\"l\",\"BlockType\":\"LINE\",\"Text\":\"Total: 5\"}]}";
    dc_document *doc = run(json, DC_LIMITS_REALTIME);
    (void)state;
    assert_int_equal(doc->pages[0].type, DC_DOCTYPE_TEXTRACT_ANALYZE_DOCUMENT_JSON);
    assert_string_equal(dc_document_page_text(doc, 0, NULL), "Total: 5");
    assert_true(dc_document_accepted(doc));
    dc_document_free(doc);
}

static void one_megabyte_limit(void **state)
{
    /* A valid one-page document padded past 1 MB with a long LINE. */
    size_t n = 1000 * 1000;
    const char head[] = "{\"Blocks\":[{\"Id\":\"p\",\"BlockType\":\"PAGE\"},"
                        "{\"Id\":\"l\",\"BlockType\":\"LINE\",\"Text\":\"";
    const char tail[] = "\"}]}";
    char *json = malloc(sizeof(head) + n + sizeof(tail));
    dc_document *doc;
    (void)state;
    memcpy(json, head, sizeof(head) - 1);
    memset(json + sizeof(head) - 1, 'a', n);
    memcpy(json + sizeof(head) - 1 + n, tail, sizeof(tail));
    doc = run(json, DC_LIMITS_REALTIME);
    assert_int_equal(doc->nrefusals, 1);
    assert_string_equal(doc->refusals[0].detail_reason, "DOCUMENT_SIZE_EXCEEDED");
    assert_int_equal(doc->nerrors, 1); /* and the page is over 10,000 characters */
    assert_string_equal(doc->errors[0].code, "PAGE_CHARACTERS_EXCEEDED");
    dc_document_free(doc);
    free(json);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(probe_table),
        cmocka_unit_test(lines_in_page_then_block_order),
        cmocka_unit_test(two_pages_break_the_realtime_page_limit),
        cmocka_unit_test(mismatched_page_count),
        cmocka_unit_test(duplicate_ids_are_refused),
        cmocka_unit_test(analyze_output_type),
        cmocka_unit_test(one_megabyte_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
