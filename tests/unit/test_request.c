/*
 * The sender's pure parts: EndpointArn checks, request bodies (Text xor
 * Bytes, base64, DocumentReaderConfig only where it applies, size limits),
 * truncation at a word boundary, credentials and profiles, endpoints, error
 * lines, retry decisions and backoff.
 */
#include <openssl/evp.h>

#include "dc_test.h"
#include "send_int.h"

#define ARN "arn:aws:comprehend:eu-west-1:111122223333:document-classifier-endpoint/ep-1"

static void test_arn(void **state)
{
    static const struct {
        const char *arn;
        int ok;
        const char *region;
    } cases[] = {
        {ARN, 1, "eu-west-1"},
        {"arn:aws-cn:comprehend:cn-north-1:111122223333:document-classifier-endpoint/a", 1,
         "cn-north-1"},
        {"arn:aws-us-gov:comprehend:us-gov-west-1:aws:document-classifier-endpoint/a1", 1,
         "us-gov-west-1"},
        {"arn:aws:comprehend::111122223333:document-classifier-endpoint/a", 0, NULL},
        {"arn:aws:s3:eu-west-1:111122223333:document-classifier-endpoint/a", 0, NULL},
        {"arn:aws:comprehend:eu-west-1:1111:document-classifier-endpoint/a", 0, NULL},
        {"arn:aws:comprehend:eu-west-1:111122223333:entity-recognizer-endpoint/a", 0, NULL},
        {"arn:aws:comprehend:eu-west-1:111122223333:document-classifier-endpoint/-a", 0, NULL},
        {"arn:aws:comprehend:eu-west-1:111122223333:document-classifier-endpoint/", 0, NULL},
        {"arn:aws-:comprehend:eu-west-1:111122223333:document-classifier-endpoint/a", 0, NULL},
        {"not an arn", 0, NULL},
        {"", 0, NULL},
    };
    char region[DC_REGION_MAX], part[32];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (cases[i].ok) {
            assert_dc_ok(dc_request__arn_parse(cases[i].arn, region, part));
            assert_string_equal(region, cases[i].region);
        } else {
            assert_dc_fail(dc_request__arn_parse(cases[i].arn, region, part), DC_EINVAL);
        }
    }
}

static void test_text_body(void **state)
{
    dc_request *r = NULL;
    char big[DC_RT_TEXT_BYTES + 1];
    size_t len;

    (void)state;
    assert_dc_ok(dc_request_new_text(&r, ARN, "a \"quoted\" caf\xc3\xa9", 16));
    assert_string_equal(dc_request_body(r, &len),
                        "{\"EndpointArn\":\"" ARN "\",\"Text\":\"a \\\"quoted\\\" caf\xc3\xa9\"}");
    dc_request_free(r);
    assert_dc_fail(dc_request_new_text(&r, ARN, "", 0), DC_EINVAL);
    assert_dc_fail(dc_request_new_text(&r, ARN, "\xff\xfe", 2), DC_EINVAL);
    assert_dc_fail(dc_request_new_text(&r, "arn:x", "hi", 2), DC_EINVAL);
    memset(big, 'a', sizeof(big));
    assert_dc_fail(dc_request_new_text(&r, ARN, big, sizeof(big)), DC_ELIMIT);
    assert_true(dc_test_contains(dc_error_last()->message, "TextSizeLimitExceededException"));
    assert_dc_ok(dc_request_new_text(&r, ARN, big, sizeof(big) - 1));
    dc_request_free(r);
    assert_null(r = NULL);
}

static void test_bytes_body(void **state)
{
    dc_reader_config cfg = DC_READER_CONFIG_INIT;
    dc_request *r = NULL;
    const char *body;
    unsigned char doc[5000];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(doc); i++)
        doc[i] = (unsigned char)(i * 7);
    cfg.action = DC_READ_ACTION_DETECT_DOCUMENT_TEXT;
    assert_dc_ok(dc_request_new_bytes(&r, ARN, doc, sizeof(doc), DC_FORMAT_PNG, &cfg));
    body = dc_request_body(r, NULL);
    assert_null(strchr(body, '\n')); /* no line breaks in the base64 */
    assert_true(dc_test_contains(body, "\"DocumentReaderConfig\":{\"DocumentReadAction\":"
                                       "\"TEXTRACT_DETECT_DOCUMENT_TEXT\"}"));
    assert_false(dc_test_contains(body, "\"Text\""));
    dc_request_free(r);
    /* DOCX and Textract JSON: no config */
    assert_dc_ok(dc_request_new_bytes(&r, ARN, doc, sizeof(doc), DC_FORMAT_DOCX, &cfg));
    assert_false(dc_test_contains(dc_request_body(r, NULL), "DocumentReaderConfig"));
    dc_request_free(r);
    assert_dc_fail(dc_request_new_bytes(&r, ARN, doc, 0, DC_FORMAT_PDF, NULL), DC_EINVAL);
    assert_dc_fail(dc_request_new_bytes(&r, ARN, doc, sizeof(doc), DC_FORMAT_UNSUPPORTED, NULL),
                   DC_EUNSUPPORTED);
    assert_int_equal(dc_request__bytes_limit(DC_FORMAT_TEXTRACT_JSON), 1000000);
    assert_int_equal(dc_request__bytes_limit(DC_FORMAT_TEXT), 10000);
    assert_int_equal(dc_request__bytes_limit(DC_FORMAT_TIFF), 10000000);
}

static void test_base64(void **state)
{
    static const struct {
        const char *in, *out;
    } cases[] = {{"", ""},        {"f", "Zg=="},        {"fo", "Zm8="},
                 {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"\xff\xfe\xfd", "//79"}};
    dc_buf b = DC_BUF_INIT;
    size_t i, n = ((size_t)3 << 20) + 5;
    unsigned char *big = calloc(1, n), *back = malloc(n + 3);

    (void)state;
    dc_buf_init(&b, (size_t)8 << 20);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        dc_buf_clear(&b);
        assert_dc_ok(dc_buf_put(&b, "", 0));
        assert_dc_ok(dc_base64(&b, cases[i].in, strlen(cases[i].in)));
        assert_string_equal(b.ptr, cases[i].out);
    }
    /* across the 3 MiB chunk boundary: decodes back exactly */
    for (i = 0; i < n; i++)
        big[i] = (unsigned char)(i * 31 + 7);
    dc_buf_clear(&b);
    assert_dc_ok(dc_base64(&b, big, n));
    assert_int_equal(b.len, 4 * ((n + 2) / 3));
    assert_int_equal(EVP_DecodeBlock(back, (unsigned char *)b.ptr, (int)b.len), (int)(n + 1));
    assert_memory_equal(back, big, n);
    dc_buf_dispose(&b);
    free(big);
    free(back);
}

static void test_truncate(void **state)
{
    (void)state;
    assert_int_equal(dc_request__truncate("hello world", 11, 100, 100), 11);
    assert_int_equal(dc_request__truncate("hello world foo", 15, 13, 100), 11);
    assert_int_equal(dc_request__truncate("helloworld", 10, 5, 100), 5); /* no space: hard cut */
    /* bytes bound: never splits a UTF-8 sequence */
    assert_int_equal(dc_request__truncate("\xc3\xa9\xc3\xa9\xc3\xa9", 6, 100, 5), 4);
    assert_int_equal(dc_request__truncate("ab  cd", 6, 4, 100), 2);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_true(fputs(text, f) >= 0);
    assert_int_equal(fclose(f), 0);
}

static void clear_env(void)
{
    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_SECRET_ACCESS_KEY");
    unsetenv("AWS_SESSION_TOKEN");
    unsetenv("AWS_PROFILE");
    unsetenv("AWS_DEFAULT_PROFILE");
}

static void test_credentials(void **state)
{
    const char *cred = dc_test_tmp("creds-credentials");
    const char *conf = dc_test_tmp("creds-config");
    dc_credentials *c = NULL;

    (void)state;
    clear_env();
    write_file(cred, "# comment\n[default]\naws_access_key_id = AKIDDEFAULT\n"
                     "aws_secret_access_key = SECRETDEFAULT\n\n[work]\n"
                     "aws_access_key_id=AKIDWORK\naws_secret_access_key=SECRETWORK\n"
                     "aws_session_token = TOKENWORK\n");
    write_file(conf, "[default]\nregion = eu-west-1\n[profile work]\nregion = us-east-2\n"
                     "s3 =\n  region = nowhere\n[profile cfgonly]\naws_access_key_id = AKIDCFG\n"
                     "aws_secret_access_key = SECRETCFG\n");
    setenv("AWS_SHARED_CREDENTIALS_FILE", cred, 1);
    setenv("AWS_CONFIG_FILE", conf, 1);

    assert_dc_ok(dc_credentials_load(&c, NULL));
    assert_string_equal(dc_credentials_access_key_id(c), "AKIDDEFAULT");
    assert_string_equal(dc_credentials_region(c), "eu-west-1");
    assert_false(dc_credentials_has_token(c));
    dc_credentials_free(c);

    setenv("AWS_PROFILE", "work", 1);
    assert_dc_ok(dc_credentials_load(&c, NULL));
    assert_string_equal(dc_credentials_access_key_id(c), "AKIDWORK");
    assert_string_equal(dc_credentials_region(c), "us-east-2");
    assert_true(dc_credentials_has_token(c));
    assert_false(dc_test_contains(dc_credentials_source(c), "SECRET"));
    dc_credentials_free(c);

    /* the environment wins over AWS_PROFILE, but not over --profile */
    setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "SECRETENV", 1);
    assert_dc_ok(dc_credentials_load(&c, NULL));
    assert_string_equal(dc_credentials_access_key_id(c), "AKIDENV");
    assert_string_equal(dc_credentials_source(c), "environment");
    dc_credentials_free(c);
    assert_dc_ok(dc_credentials_load(&c, "cfgonly"));
    assert_string_equal(dc_credentials_access_key_id(c), "AKIDCFG");
    dc_credentials_free(c);

    assert_dc_fail(dc_credentials_load(&c, "missing"), DC_ECONFIG);
    assert_true(dc_test_contains(dc_error_last()->message, "profile 'missing' not found"));
    clear_env();
    setenv("AWS_SHARED_CREDENTIALS_FILE", dc_test_tmp("creds-none"), 1);
    setenv("AWS_CONFIG_FILE", dc_test_tmp("creds-none2"), 1);
    assert_dc_fail(dc_credentials_load(&c, NULL), DC_ECONFIG);
    assert_true(dc_test_contains(dc_error_last()->message, "looked in the environment"));
    assert_true(dc_test_contains(dc_error_last()->message, "creds-none"));
    assert_dc_fail(dc_credentials_new(&c, "AKID", "", NULL), DC_EINVAL);
    unsetenv("AWS_SHARED_CREDENTIALS_FILE");
    unsetenv("AWS_CONFIG_FILE");
}

static void test_endpoints(void **state)
{
    char *url = NULL;

    (void)state;
    unsetenv("AWS_ENDPOINT_URL");
    unsetenv("AWS_ENDPOINT_URL_COMPREHEND");
    assert_dc_ok(dc_endpoint_resolve(&url, ARN, NULL));
    assert_string_equal(url, "https://comprehend.eu-west-1.amazonaws.com");
    dc_free(url);
    assert_dc_ok(dc_endpoint_resolve(
        &url, "arn:aws-cn:comprehend:cn-north-1:111122223333:document-classifier-endpoint/a",
        NULL));
    assert_string_equal(url, "https://comprehend.cn-north-1.amazonaws.com.cn");
    dc_free(url);
    setenv("AWS_ENDPOINT_URL", "http://generic:1", 1);
    assert_dc_ok(dc_endpoint_resolve(&url, ARN, NULL));
    assert_string_equal(url, "http://generic:1");
    dc_free(url);
    setenv("AWS_ENDPOINT_URL_COMPREHEND", "http://specific:2", 1);
    assert_dc_ok(dc_endpoint_resolve(&url, ARN, NULL));
    assert_string_equal(url, "http://specific:2");
    dc_free(url);
    assert_dc_ok(dc_endpoint_resolve(&url, ARN, "https://given:3"));
    assert_string_equal(url, "https://given:3");
    dc_free(url);
    assert_dc_fail(dc_endpoint_resolve(&url, ARN, "ftp://x"), DC_EINVAL);
    unsetenv("AWS_ENDPOINT_URL");
    unsetenv("AWS_ENDPOINT_URL_COMPREHEND");
    assert_dc_fail(
        dc_endpoint_resolve(
            &url, "arn:aws-xx:comprehend:xx-1:111122223333:document-classifier-endpoint/a", NULL),
        DC_EINVAL);
}

static void test_error_lines(void **state)
{
    static const char b1[] = "{\"__type\":\"ns.x#ResourceUnavailableException:http://x/\","
                             "\"message\":\"not ready\"}";
    dc_buf line = DC_BUF_INIT;
    char type[64] = "a.b#TooManyRequestsException:suffix";

    (void)state;
    dc_send__strip_type(type);
    assert_string_equal(type, "TooManyRequestsException");
    dc_buf_init(&line, 2048);
    assert_dc_ok(dc_send__error_line(&line, 404, b1, strlen(b1), NULL, "rid-9"));
    assert_string_equal(line.ptr,
                        "ResourceUnavailableException (HTTP 404): not ready (request id rid-9)");
    dc_buf_clear(&line);
    assert_dc_ok(dc_send__error_line(&line, 400, "", 0, "ThrottlingException:x", NULL));
    assert_string_equal(line.ptr, "ThrottlingException (HTTP 400)");
    dc_buf_dispose(&line);
    assert_true(dc_send__retryable(429, NULL));
    assert_true(dc_send__retryable(503, NULL));
    assert_true(dc_send__retryable(400, "ThrottlingException"));
    assert_false(dc_send__retryable(400, "InvalidRequestException"));
    assert_false(dc_send__retryable(404, "ResourceUnavailableException"));
    assert_true(dc_send__backoff(1, 20, 1, 0.5) == 0.5);
    assert_true(dc_send__backoff(1, 20, 3, 0.999) < 4.0);
    assert_true(dc_send__backoff(1, 20, 10, 0.999) <= 20.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arn),        cmocka_unit_test(test_text_body),
        cmocka_unit_test(test_bytes_body), cmocka_unit_test(test_base64),
        cmocka_unit_test(test_truncate),   cmocka_unit_test(test_credentials),
        cmocka_unit_test(test_endpoints),  cmocka_unit_test(test_error_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
