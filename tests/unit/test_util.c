/* Unit tests: bounded buffers, UTF-8 rules, errors, file reading, SHA-256. */
#include <string.h>

#include <jansson.h>

#include "dc_test.h"

static void buf_cap_is_enforced(void **state)
{
    dc_buf b = DC_BUF_INIT;
    (void)state;
    dc_buf_init(&b, 8);
    assert_dc_ok(dc_buf_puts(&b, "12345678"));
    assert_int_equal(b.len, 8);
    assert_dc_fail(dc_buf_putc(&b, '9'), DC_ELIMIT);
    assert_string_equal(b.ptr, "12345678");
    assert_true(dc_test_contains(dc_error_last()->message, "8 bytes"));
    dc_buf_dispose(&b);
}

static void buf_printf_and_trim(void **state)
{
    dc_buf b = DC_BUF_INIT;
    char *s;
    size_t len;
    char big[600];
    (void)state;
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    dc_buf_init(&b, 4096);
    assert_dc_ok(dc_buf_printf(&b, "%d-%s", 42, "a"));
    assert_dc_ok(dc_buf_printf(&b, "%s", big)); /* longer than the small buffer */
    assert_int_equal(b.len, 4 + 599);
    assert_dc_ok(dc_buf_puts(&b, " \n\t "));
    dc_buf_rtrim(&b, " \t\n");
    assert_int_equal(b.len, 603);
    s = dc_buf_detach(&b, &len);
    assert_non_null(s);
    assert_int_equal(len, 603);
    assert_memory_equal(s, "42-a", 4);
    assert_null(b.ptr);
    free(s);
    s = dc_buf_detach(&b, &len); /* empty buffer gives "" */
    assert_string_equal(s, "");
    assert_int_equal(len, 0);
    free(s);
}

typedef struct {
    const char *bytes;
    size_t len;
    int valid;
    size_t bad_offset;
} utf8_case;

static void utf8_validation_table(void **state)
{
    static const utf8_case cases[] = {
        {"", 0, 1, 0},
        {"plain ascii", 11, 1, 0},
        {"caf\xC3\xA9", 5, 1, 0},
        {"\xE2\x82\xAC", 3, 1, 0},     /* euro sign */
        {"\xF0\x9F\x98\x80", 4, 1, 0}, /* emoji, 4 bytes */
        {"\xEF\xBB\xBFhi", 5, 1, 0},   /* BOM */
        {"ab\x80", 3, 0, 2},           /* lone continuation byte */
        {"\xC0\xAF", 2, 0, 0},         /* overlong '/' */
        {"\xE0\x80\xAF", 3, 0, 0},     /* overlong 3-byte */
        {"\xED\xA0\x80", 3, 0, 0},     /* surrogate U+D800 */
        {"\xF4\x90\x80\x80", 4, 0, 0}, /* beyond U+10FFFF */
        {"ok\xE2\x82", 4, 0, 2},       /* truncated at the end */
        {"\xF5\x80\x80\x80", 4, 0, 0}, /* invalid lead byte */
        {"a\xC3(", 3, 0, 1},           /* bad continuation */
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t bad = 999;
        int v = dc_utf8_valid(cases[i].bytes, cases[i].len, &bad);
        if (v != cases[i].valid)
            fail_msg("case %zu: valid=%d, expected %d", i, v, cases[i].valid);
        if (!v && bad != cases[i].bad_offset)
            fail_msg("case %zu: bad offset %zu, expected %zu", i, bad, cases[i].bad_offset);
    }
}

static void utf8_count_is_code_points(void **state)
{
    (void)state;
    assert_int_equal(dc_utf8_count("abc", 3), 3);
    assert_int_equal(dc_utf8_count("caf\xC3\xA9", 5), 4);
    assert_int_equal(dc_utf8_count("\xF0\x9F\x98\x80!", 5), 2);
    assert_int_equal(dc_utf8_count("", 0), 0);
}

static void utf8_encode_round_trip(void **state)
{
    dc_buf b = DC_BUF_INIT;
    uint32_t cps[] = {0x41, 0xE9, 0x20AC, 0x1F600, 0xD800 /* becomes U+FFFD */};
    uint32_t out;
    size_t i, off = 0;
    (void)state;
    dc_buf_init(&b, 64);
    for (i = 0; i < 5; i++)
        assert_dc_ok(dc_buf_put_cp(&b, cps[i]));
    for (i = 0; i < 5; i++) {
        size_t n = dc_utf8_seq((const unsigned char *)b.ptr + off, b.len - off, &out);
        assert_true(n > 0);
        assert_int_equal(out, i == 4 ? 0xFFFD : cps[i]);
        off += n;
    }
    assert_int_equal(off, b.len);
    dc_buf_dispose(&b);
}

static void errors_are_one_line_and_prefixed(void **state)
{
    (void)state;
    assert_int_equal(dc_error_set(DC_ECORRUPT, "bad\nthing %d", 3), DC_ECORRUPT);
    assert_string_equal(dc_error_last()->message, "bad thing 3");
    assert_int_equal(dc_error_last()->code, DC_ECORRUPT);
    dc_error_prefix(DC_ECORRUPT, "page %d", 2);
    assert_string_equal(dc_error_last()->message, "page 2: bad thing 3");
    assert_int_equal(dc_error_oom(), DC_ENOMEM);
    assert_string_equal(dc_error_last()->message, "out of memory");
    dc_error_clear();
    assert_int_equal(dc_error_last()->code, DC_OK);
    assert_string_equal(dc_error_last()->message, "");
    assert_string_equal(dc_strerror(DC_ETIMEOUT), "time limit exceeded");
}

static void read_file_errors(void **state)
{
    char *data = NULL;
    size_t len = 0;
    FILE *f;
    (void)state;
    assert_dc_fail(dc_read_file(&data, &len, "/nonexistent/file", 100), DC_ENOTFOUND);
    assert_null(data);
    assert_dc_fail(dc_read_file(&data, &len, "/", 100), DC_EIO);
    assert_true(dc_test_contains(dc_error_last()->message, "directory"));
    assert_dc_fail(dc_read_file(&data, &len, "/dev/null", 100), DC_EIO);
    f = fopen(dc_test_tmp("ten.bin"), "wb");
    assert_non_null(f);
    assert_int_equal(fwrite("0123456789", 1, 10, f), 10);
    assert_int_equal(fclose(f), 0);
    assert_dc_fail(dc_read_file(&data, &len, dc_test_tmp("ten.bin"), 9), DC_ELIMIT);
    assert_dc_ok(dc_read_file(&data, &len, dc_test_tmp("ten.bin"), 10));
    assert_int_equal(len, 10);
    assert_memory_equal(data, "0123456789", 10);
    free(data);
}

static void sha256_known_vectors(void **state)
{
    char hex[65];
    (void)state;
    assert_dc_ok(dc_sha256_hex(hex, "", 0));
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_dc_ok(dc_sha256_hex(hex, "abc", 3));
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

/* assert_dc_fail's check: a code without a message from this call fails,
 * a stale message from an earlier call does not count. */
static void failure_needs_its_own_message(void **state)
{
    (void)state;
    dc_error_clear();
    assert_false(dc_test_failed_with(DC_EINVAL, DC_EINVAL));
    assert_true(dc_error_set(DC_EINVAL, "bad %s", "thing") == DC_EINVAL);
    assert_true(dc_test_failed_with(DC_EINVAL, DC_EINVAL));
    assert_false(dc_test_failed_with(DC_ELIMIT, DC_EINVAL));
    dc_error_clear();
    assert_false(dc_test_failed_with(DC_EINVAL, DC_EINVAL));
    assert_dc_fail(dc_error_set(DC_ELIMIT, "too big"), DC_ELIMIT);
}

/* One name per error code, the same in extract's error records and in
 * scan's (scan named OCR failures, bad configs and exhausted memory
 * INTERNAL_ERROR, extract OCR_FAILED, CONFIG_ERROR, OUT_OF_MEMORY). */
static void error_names_are_one_table(void **state)
{
    dc_scan_meta meta = {"x.pdf", -1, 10, -1};
    int code;

    (void)state;
    assert_string_equal(dc_error_name(DC_EOCR), "OCR_FAILED");
    assert_string_equal(dc_error_name(DC_ETIMEOUT), "TIMEOUT");
    assert_string_equal(dc_error_name(-1000), "INTERNAL_ERROR");
    assert_string_equal(dc_strerror(-1000), "internal error");
    for (code = DC_ECRASH; code <= DC_ERROR; code++) {
        char *scan = NULL, *extract = NULL;
        json_t *a, *b;
        assert_string_not_equal(dc_error_name(code), "OK");
        assert_true(code == DC_ERROR || strcmp(dc_error_name(code), "INTERNAL_ERROR") != 0);
        assert_dc_ok(dc_scan_error_json(&scan, &meta, code, "m"));
        assert_dc_ok(dc_error_record_to_json(&extract, "x.pdf", code, "m", 0));
        a = json_loads(scan, 0, NULL);
        b = json_loads(extract, 0, NULL);
        assert_non_null(a);
        assert_non_null(b);
        assert_string_equal(json_string_value(json_object_get(json_object_get(a, "error"), "code")),
                            dc_error_name(code));
        assert_string_equal(json_string_value(json_object_get(json_object_get(b, "error"), "code")),
                            dc_error_name(code));
        json_decref(a);
        json_decref(b);
        dc_free(scan);
        dc_free(extract);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buf_cap_is_enforced),
        cmocka_unit_test(buf_printf_and_trim),
        cmocka_unit_test(utf8_validation_table),
        cmocka_unit_test(utf8_count_is_code_points),
        cmocka_unit_test(utf8_encode_round_trip),
        cmocka_unit_test(errors_are_one_line_and_prefixed),
        cmocka_unit_test(read_file_errors),
        cmocka_unit_test(sha256_known_vectors),
        cmocka_unit_test(failure_needs_its_own_message),
        cmocka_unit_test(error_names_are_one_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
