/* Plain text stage, service limits and the JSON result shape. */
#include <jansson.h>

#include "dc_test.h"
#include "doc.h"

static dc_document *
extract(const char *text, size_t len, dc_limits_profile limits, const dc_reader_config *cfg)
{
    dc_extract_options o = DC_EXTRACT_OPTIONS_INIT;
    dc_document *doc = NULL;
    o.limits = limits;
    if (cfg)
        o.config = *cfg;
    assert_dc_ok(dc_document_extract_mem(&doc, text, len, "t.txt", &o));
    assert_non_null(doc);
    return doc;
}

static void one_plain_text_page(void **state)
{
    const char text[] = "Caf\xC3\xA9 au lait\n";
    dc_document *doc = extract(text, sizeof(text) - 1, DC_LIMITS_REALTIME, NULL);
    size_t len;
    (void)state;
    assert_int_equal(dc_document_format(doc), DC_FORMAT_TEXT);
    assert_int_equal(dc_document_page_count(doc), 1);
    assert_string_equal(dc_document_page_text(doc, 0, &len), text);
    assert_int_equal(len, sizeof(text) - 1);
    assert_int_equal(doc->pages[0].chars, 13); /* code points, not bytes */
    assert_int_equal(doc->pages[0].type, DC_DOCTYPE_PLAIN_TEXT);
    assert_int_equal(doc->pages[0].extractor, DC_EXTRACTOR_NONE);
    assert_true(dc_document_accepted(doc));
    assert_null(dc_document_page_text(doc, 1, NULL));
    dc_document_free(doc);
}

static void bom_is_removed(void **state)
{
    const char text[] = "\xEF\xBB\xBFhello";
    dc_document *doc = extract(text, sizeof(text) - 1, DC_LIMITS_REALTIME, NULL);
    (void)state;
    assert_string_equal(dc_document_page_text(doc, 0, NULL), "hello");
    assert_true(dc_test_contains(doc->pages[0].reason, "byte order mark"));
    dc_document_free(doc);
}

static char *repeat(char c, size_t n)
{
    char *s = malloc(n + 1);
    assert_non_null(s);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

static int has_refusal(const dc_document *doc, const char *detail)
{
    size_t i;
    for (i = 0; i < doc->nrefusals; i++) {
        if (doc->refusals[i].detail_reason && strcmp(doc->refusals[i].detail_reason, detail) == 0)
            return 1;
    }
    return 0;
}

static void realtime_size_limit_is_10kb(void **state)
{
    char *s = repeat('a', 10000);
    dc_document *doc = extract(s, 10000, DC_LIMITS_REALTIME, NULL);
    (void)state;
    assert_true(dc_document_accepted(doc)); /* exactly at the limit */
    dc_document_free(doc);
    free(s);
    s = repeat('a', 10001);
    doc = extract(s, 10001, DC_LIMITS_REALTIME, NULL);
    assert_false(dc_document_accepted(doc));
    assert_true(has_refusal(doc, "DOCUMENT_SIZE_EXCEEDED"));
    assert_int_equal(doc->nerrors, 1);
    assert_string_equal(doc->errors[0].code, "PAGE_CHARACTERS_EXCEEDED");
    assert_int_equal(doc->errors[0].page, 1);
    assert_int_equal(dc_document_page_count(doc), 1); /* text still extracted */
    dc_document_free(doc);
    doc = extract(s, 10001, DC_LIMITS_ASYNC, NULL);
    assert_true(dc_document_accepted(doc));
    dc_document_free(doc);
    doc = extract(s, 10001, DC_LIMITS_NONE, NULL);
    assert_true(dc_document_accepted(doc));
    assert_int_equal(doc->nrefusals, 0);
    dc_document_free(doc);
    free(s);
}

static void page_chars_count_code_points(void **state)
{
    /* 5,000 two-byte characters: 10,000 bytes, 5,000 characters. */
    size_t i;
    char *s = malloc(10001);
    dc_document *doc;
    (void)state;
    for (i = 0; i < 5000; i++) {
        s[2 * i] = (char)0xC3;
        s[2 * i + 1] = (char)0xA9;
    }
    s[10000] = '\0';
    doc = extract(s, 10000, DC_LIMITS_REALTIME, NULL);
    assert_int_equal(doc->pages[0].chars, 5000);
    assert_true(dc_document_accepted(doc));
    dc_document_free(doc);
    free(s);
}

static void config_is_ignored_with_warning(void **state)
{
    dc_reader_config cfg = DC_READER_CONFIG_INIT;
    dc_document *doc;
    (void)state;
    cfg.action = DC_READ_ACTION_DETECT_DOCUMENT_TEXT;
    doc = extract("x", 1, DC_LIMITS_REALTIME, &cfg);
    assert_int_equal(doc->nwarnings, 1);
    assert_string_equal(doc->warnings[0].code, "DOCCLASS_CONFIG_IGNORED");
    dc_document_free(doc);
}

static void json_result_has_stable_shape(void **state)
{
    static const char *const keys[] = {
        "docclass_version", "input",  "config",   "admission", "DocumentMetadata",
        "DocumentType",     "Errors", "Warnings", "pages",
    };
    dc_document *doc = extract("hello world", 11, DC_LIMITS_REALTIME, NULL);
    char *out = NULL;
    json_t *j;
    json_error_t jerr;
    const char *key;
    json_t *v;
    size_t i = 0;
    (void)state;
    assert_dc_ok(dc_document_to_json(&out, doc, 0));
    j = json_loads(out, 0, &jerr);
    assert_non_null(j);
    json_object_foreach(j, key, v)
    {
        assert_true(i < sizeof(keys) / sizeof(keys[0]));
        assert_string_equal(key, keys[i]);
        i++;
    }
    assert_int_equal(i, sizeof(keys) / sizeof(keys[0]));
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(j, "DocumentMetadata"), "Pages")), 1);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(j, "DocumentType"), 0), "Type")),
                        "PLAIN_TEXT");
    assert_int_equal(
        json_integer_value(json_object_get(
            json_array_get(
                json_object_get(json_object_get(j, "DocumentMetadata"), "ExtractedCharacters"), 0),
            "Count")),
        11);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "input"), "sha256")),
                        "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
    json_decref(j);
    dc_free(out);
    /* compact rendering is one line */
    assert_dc_ok(dc_document_to_json(&out, doc, DC_JSON_COMPACT));
    assert_null(strchr(out, '\n'));
    dc_free(out);
    dc_document_free(doc);
}

static void error_record(void **state)
{
    char *out = NULL;
    (void)state;
    assert_dc_ok(dc_error_record_to_json(&out, "x.pdf", DC_ETIMEOUT, "too slow", DC_JSON_COMPACT));
    assert_string_equal(out, "{\"docclass_version\":\"" DC_VERSION_STRING
                             "\",\"input\":{\"path\":\"x.pdf\"},\"error\":{\"code\":\"TIMEOUT\","
                             "\"message\":\"too slow\"}}");
    dc_free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_plain_text_page),
        cmocka_unit_test(bom_is_removed),
        cmocka_unit_test(realtime_size_limit_is_10kb),
        cmocka_unit_test(page_chars_count_code_points),
        cmocka_unit_test(config_is_ignored_with_warning),
        cmocka_unit_test(json_result_has_stable_shape),
        cmocka_unit_test(error_record),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
