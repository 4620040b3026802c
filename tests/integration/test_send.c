/*
 * The sender against a real HTTP(S) server on 127.0.0.1 (http_fixture):
 * the exact signed request, per-page requests of PDFs and images, every
 * service error shape, the retry rules (counted at the server), timeouts,
 * refused connections, TLS with a CA made here by `openssl req`, and a
 * 10 MB document.
 */
#include <time.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <openssl/evp.h>

#include "dc_test.h"
#include "http_fixture.h"
#include "send_int.h"
#include "sigv4.h"

#define AKID   "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define TOKEN  "FQoGZXIvYXdzSESSIONTOKENSECRETVALUE"
#define ARN    "arn:aws:comprehend:us-west-2:111122223333:document-classifier-endpoint/ep1"
#define T0     1440938160LL /* 20150830T123600Z */

static const char ok_body[] =
    "{\"Classes\":[{\"Name\":\"invoice\",\"Score\":0.91,\"Page\":1},"
    "{\"Name\":\"letter\",\"Score\":0.09,\"Page\":1}],"
    "\"DocumentMetadata\":{\"Pages\":1,\"ExtractedCharacters\":[{\"Page\":1,\"Count\":11}]},"
    "\"DocumentType\":[{\"Page\":1,\"Type\":\"NATIVE_PDF\"}],\"Warnings\":[]}";

typedef struct {
    dc_fx *fx;
    dc_credentials *creds;
    dc_sender *s;
    char url[64];
} ctx;

static void make_sender(ctx *c, const char *url, double timeout, int attempts)
{
    dc_send_options o = DC_SEND_OPTIONS_INIT;

    dc_sender_free(c->s);
    c->s = NULL;
    o.endpoint_arn = ARN;
    o.endpoint_url = url;
    o.creds = c->creds;
    o.fixed_time = T0;
    o.timeout = timeout;
    o.connect_timeout = 2;
    o.max_attempts = attempts;
    o.backoff_base = 0.01;
    o.backoff_max = 0.05;
    assert_dc_ok(dc_sender_new(&c->s, &o));
}

static int setup(void **state)
{
    ctx *c = calloc(1, sizeof(*c));

    assert_int_equal(dc_fx_start(&c->fx, SECRET, NULL, NULL), 0);
    assert_dc_ok(dc_credentials_new(&c->creds, AKID, SECRET, TOKEN));
    (void)snprintf(c->url, sizeof(c->url), "http://127.0.0.1:%d", dc_fx_port(c->fx));
    make_sender(c, c->url, 5, 3);
    *state = c;
    return 0;
}

static int teardown(void **state)
{
    ctx *c = *state;

    dc_sender_free(c->s);
    dc_credentials_free(c->creds);
    dc_fx_stop(c->fx);
    free(c);
    return 0;
}

static void script1(ctx *c, int status, const char *headers, const char *body)
{
    dc_fx_reply r = {status, headers, body, 0, 0};
    dc_fx_script(c->fx, &r, 1);
    dc_fx_reset(c->fx);
}

static void assert_no_secret(const char *s)
{
    assert_false(dc_test_contains(s, SECRET));
    assert_false(dc_test_contains(s, TOKEN));
}

/* ---------------------------------------------------------------- success */

static void test_text_exact_request(void **state)
{
    ctx *c = *state;
    dc_request *req = NULL;
    dc_response *resp = NULL;
    const dc_fx_request *got;
    char buf[1024], *json = NULL;
    size_t blen;
    const char *body;

    script1(c, 200, NULL, ok_body);
    assert_dc_ok(dc_request_new_text(&req, ARN, "hello world", 11));
    assert_dc_ok(dc_sender_send(&resp, c->s, req));
    assert_int_equal(dc_fx_count(c->fx), 1);
    got = dc_fx_request_at(c->fx, 0);
    body = dc_request_body(req, &blen);
    assert_string_equal(got->method, "POST");
    assert_string_equal(got->path, "/");
    assert_int_equal(got->sig_ok, 1);
    assert_int_equal(got->body_len, blen);
    assert_memory_equal(got->body, body, blen);
    assert_string_equal(dc_fx_header(got, "X-Amz-Target", buf, sizeof(buf)), DC_CD_TARGET);
    assert_string_equal(dc_fx_header(got, "Content-Type", buf, sizeof(buf)), DC_CD_CONTENT_TYPE);
    assert_string_equal(dc_fx_header(got, "X-Amz-Date", buf, sizeof(buf)), "20150830T123600Z");
    assert_string_equal(dc_fx_header(got, "X-Amz-Security-Token", buf, sizeof(buf)), TOKEN);
    assert_true(
        dc_test_contains(dc_fx_header(got, "Authorization", buf, sizeof(buf)),
                         "Credential=AKIDEXAMPLE/20150830/us-west-2/comprehend/aws4_request, "
                         "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;"
                         "x-amz-target, Signature="));
    assert_string_equal(body, "{\"EndpointArn\":\"" ARN "\",\"Text\":\"hello world\"}");
    assert_int_equal(dc_response_status(resp), 200);
    assert_int_equal(dc_response_attempts(resp), 1);
    assert_string_equal(dc_response_request_id(resp), "req-1");
    assert_dc_ok(dc_response_to_json(&json, resp, DC_JSON_COMPACT));
    assert_true(dc_test_contains(json, "\"Classes\":[{\"Name\":\"invoice\""));
    assert_true(dc_test_contains(json, "\"DocumentType\""));
    dc_free(json);
    dc_response_free(resp);
    dc_request_free(req);
}

static void make_pdf(const char *path, int pages)
{
    cairo_surface_t *s = cairo_pdf_surface_create(path, 612, 792);
    cairo_t *cr = cairo_create(s);
    int i;

    for (i = 0; i < pages; i++) {
        char line[64];
        (void)snprintf(line, sizeof(line), "Invoice page %d of %d", i + 1, pages);
        cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                               CAIRO_FONT_WEIGHT_NORMAL);
        cairo_set_font_size(cr, 18);
        cairo_move_to(cr, 72, 100);
        cairo_show_text(cr, line);
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_destroy(s);
}

static void make_png(const char *path)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 400, 120);
    cairo_t *cr = cairo_create(s);

    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_font_size(cr, 30);
    cairo_move_to(cr, 20, 70);
    cairo_show_text(cr, "Invoice 42");
    cairo_destroy(cr);
    assert_int_equal(cairo_surface_write_to_png(s, path), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
}

/* Decode the Bytes member of a recorded body. */
static unsigned char *bytes_of(const dc_fx_request *r, size_t *len)
{
    const char *p = strstr(r->body, "\"Bytes\":\"");
    const char *e;
    unsigned char *out;

    assert_non_null(p);
    p += 9;
    e = strchr(p, '"');
    out = malloc((size_t)(e - p));
    *len = (size_t)EVP_DecodeBlock(out, (const unsigned char *)p, (int)(e - p));
    while (*len && e[-1] == '=') {
        (*len)--;
        e--;
    }
    return out;
}

static void test_pdf_pages_with_config(void **state)
{
    ctx *c = *state;
    const char *pdf = dc_test_tmp("send-three.pdf");
    dc_classify_options o = DC_CLASSIFY_OPTIONS_INIT;
    dc_classification *cl = NULL;
    char *json = NULL;
    size_t i;

    make_pdf(pdf, 3);
    script1(c, 200, NULL, ok_body);
    o.mode = DC_SEND_BYTES;
    o.extract.config.action = DC_READ_ACTION_ANALYZE_DOCUMENT;
    o.extract.config.mode = DC_READ_MODE_FORCE_DOCUMENT_READ_ACTION;
    o.extract.config.features[0] = DC_FEATURE_TABLES;
    o.extract.config.nfeatures = 1;
    assert_dc_ok(dc_classify_file(&cl, c->s, pdf, &o));
    assert_int_equal(dc_classification_status(cl), DC_OK);
    assert_int_equal(dc_fx_count(c->fx), 3);
    assert_int_equal(dc_fx_connections(c->fx), 1); /* one connection reused */
    for (i = 0; i < 3; i++) {
        const dc_fx_request *r = dc_fx_request_at(c->fx, i);
        size_t n = 0, pages = 0;
        unsigned char *doc = bytes_of(r, &n);
        assert_int_equal(r->sig_ok, 1);
        assert_true(dc_test_contains(r->body, "\"DocumentReaderConfig\":{\"DocumentReadAction\":"
                                              "\"TEXTRACT_ANALYZE_DOCUMENT\",\"DocumentReadMode\":"
                                              "\"FORCE_DOCUMENT_READ_ACTION\",\"FeatureTypes\":"
                                              "[\"TABLES\"]}"));
        assert_memory_equal(doc, "%PDF-", 5);
        assert_dc_ok(dc_split__pdf_count(&pages, doc, n, NULL));
        assert_int_equal(pages, 1);
        free(doc);
    }
    assert_dc_ok(dc_classification_render(&json, cl, 0));
    assert_true(dc_test_contains(json, "\"page_count\": 3"));
    assert_true(dc_test_contains(json, "\"member\": \"Bytes\""));
    dc_free(json);
    assert_dc_ok(dc_classification_render(&json, cl, DC_RENDER_TABLE));
    assert_true(dc_test_contains(json, "\t3\tinvoice\t0.9100\n"));
    dc_free(json);
    dc_classification_free(cl);

    /* --pages 2: one request */
    dc_fx_reset(c->fx);
    o.pages = "2";
    assert_dc_ok(dc_classify_file(&cl, c->s, pdf, &o));
    assert_int_equal(dc_fx_count(c->fx), 1);
    dc_classification_free(cl);
    o.pages = "4";
    assert_dc_fail(dc_classify_file(&cl, c->s, pdf, &o), DC_EINVAL);
}

static void test_image_bytes(void **state)
{
    ctx *c = *state;
    const char *png = dc_test_tmp("send-word.png");
    dc_classify_options o = DC_CLASSIFY_OPTIONS_INIT;
    dc_classification *cl = NULL;
    char *file;
    unsigned char *sent;
    size_t flen, slen;

    make_png(png);
    file = dc_test_slurp(png, &flen);
    script1(c, 200, NULL, ok_body);
    o.extract.config.action = DC_READ_ACTION_DETECT_DOCUMENT_TEXT;
    assert_dc_ok(dc_classify_file(&cl, c->s, png, &o)); /* auto: bytes for an image */
    assert_int_equal(dc_fx_count(c->fx), 1);
    sent = bytes_of(dc_fx_request_at(c->fx, 0), &slen);
    assert_int_equal(slen, flen);
    assert_memory_equal(sent, file, flen);
    assert_true(dc_test_contains(dc_fx_request_at(c->fx, 0)->body,
                                 "\"DocumentReaderConfig\":{\"DocumentReadAction\":"
                                 "\"TEXTRACT_DETECT_DOCUMENT_TEXT\"}"));
    free(sent);
    free(file);
    dc_classification_free(cl);
}

/* ---------------------------------------------------------------- errors */

static void expect_error(ctx *c,
                         int status,
                         const char *body,
                         const char *type,
                         const char *const *parts,
                         size_t want_count)
{
    dc_request *req = NULL;
    dc_response *resp = NULL;
    size_t i;

    script1(c, status, NULL, body);
    assert_dc_ok(dc_request_new_text(&req, ARN, "hello", 5));
    assert_dc_fail(dc_sender_send(&resp, c->s, req), DC_EHTTP);
    assert_non_null(resp);
    assert_int_equal(dc_response_status(resp), status);
    assert_string_equal(dc_response_error_type(resp), type);
    for (i = 0; parts[i]; i++) {
        if (!dc_test_contains(dc_error_last()->message, parts[i]))
            fail_msg("'%s' not in '%s'", parts[i], dc_error_last()->message);
    }
    assert_null(strchr(dc_error_last()->message, '\n'));
    assert_no_secret(dc_error_last()->message);
    assert_int_equal(dc_fx_count(c->fx), want_count);
    assert_int_equal(dc_response_attempts(resp), (int)want_count);
    dc_response_free(resp);
    dc_request_free(req);
}

static void test_service_errors(void **state)
{
    ctx *c = *state;
    const char *const invalid[] = {"InvalidRequestException (HTTP 400)",
                                   "INVALID_DOCUMENT/DOCUMENT_SIZE_EXCEEDED", ": too big",
                                   "(request id req-1)", NULL};
    const char *const size[] = {"TextSizeLimitExceededException", "text too long", NULL};
    const char *const unavail[] = {"ResourceUnavailableException (HTTP 404)", "not ready", NULL};
    const char *const internal[] = {"InternalServerException (HTTP 500)", "(request id req-3)",
                                    NULL};
    const char *const unknown[] = {"NOT_TEXTRACT_JSON", NULL};
    const char *const raw[] = {"service error (HTTP 502): <html>bad gateway</html>", NULL};

    expect_error(c, 400,
                 "{\"__type\":\"com.amazonaws.comprehend#InvalidRequestException\","
                 "\"Message\":\"too big\",\"Reason\":\"INVALID_DOCUMENT\","
                 "\"Detail\":{\"Reason\":\"DOCUMENT_SIZE_EXCEEDED\"}}",
                 "InvalidRequestException", invalid, 1);
    expect_error(c, 400,
                 "{\"__type\":\"TextSizeLimitExceededException:http://internal.amazon.com/\","
                 "\"message\":\"text too long\"}",
                 "TextSizeLimitExceededException", size, 1);
    expect_error(c, 404, "{\"__type\":\"ResourceUnavailableException\",\"Message\":\"not ready\"}",
                 "ResourceUnavailableException", unavail, 1);
    expect_error(c, 500, "{\"__type\":\"InternalServerException\",\"Message\":\"boom\"}",
                 "InternalServerException", internal, 3); /* retried: 3 attempts */
    expect_error(c, 400,
                 "{\"__type\":\"InvalidRequestException\",\"Reason\":\"INVALID_DOCUMENT\","
                 "\"Detail\":{\"Reason\":\"NOT_TEXTRACT_JSON\"}}",
                 "InvalidRequestException", unknown, 1);
    {
        dc_request *req = NULL;
        dc_response *resp = NULL;
        script1(c, 502, NULL, "<html>bad gateway</html>");
        assert_dc_ok(dc_request_new_text(&req, ARN, "hello", 5));
        assert_dc_fail(dc_sender_send(&resp, c->s, req), DC_EHTTP);
        assert_true(dc_test_contains(dc_error_last()->message, raw[0]));
        assert_int_equal(dc_fx_count(c->fx), 3);
        dc_response_free(resp);
        dc_request_free(req);
    }
}

/* ---------------------------------------------------------------- retries */

static int send_text(ctx *c, dc_response **resp)
{
    dc_request *req = NULL;
    int err;

    assert_dc_ok(dc_request_new_text(&req, ARN, "hello", 5));
    err = dc_sender_send(resp, c->s, req);
    dc_request_free(req);
    return err;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_429_then_success(void **state)
{
    ctx *c = *state;
    dc_fx_reply rs[] = {
        {429, "Retry-After: 1\r\n", "{\"__type\":\"TooManyRequestsException\"}", 0, 0},
        {200, NULL, ok_body, 0, 0},
    };
    dc_response *resp = NULL;
    double t;

    dc_fx_script(c->fx, rs, 2);
    dc_fx_reset(c->fx);
    t = now_s();
    assert_dc_ok(send_text(c, &resp));
    t = now_s() - t;
    assert_int_equal(dc_fx_count(c->fx), 2);
    assert_int_equal(dc_response_attempts(resp), 2);
    assert_true(t >= 0.95); /* Retry-After: 1 honoured over a 10 ms backoff */
    print_message("429 then 200: %zu requests at the server, %.2f s\n", dc_fx_count(c->fx), t);
    dc_response_free(resp);

    /* a throttling type on a 400 is retried too */
    rs[0] =
        (dc_fx_reply){400, NULL, "{\"__type\":\"ThrottlingException\",\"message\":\"slow\"}", 0, 0};
    dc_fx_script(c->fx, rs, 2);
    dc_fx_reset(c->fx);
    assert_dc_ok(send_text(c, &resp));
    assert_int_equal(dc_fx_count(c->fx), 2);
    dc_response_free(resp);
}

static void test_500_gives_up(void **state)
{
    ctx *c = *state;
    dc_response *resp = NULL;

    script1(c, 500, NULL, "{\"__type\":\"InternalServerException\"}");
    assert_dc_fail(send_text(c, &resp), DC_EHTTP);
    assert_int_equal(dc_fx_count(c->fx), 3);
    dc_response_free(resp);

    /* AWS_MAX_ATTEMPTS when the option is 0 */
    setenv("AWS_MAX_ATTEMPTS", "5", 1);
    make_sender(c, c->url, 5, 0);
    dc_fx_reset(c->fx);
    assert_dc_fail(send_text(c, &resp), DC_EHTTP);
    assert_int_equal(dc_fx_count(c->fx), 5);
    assert_int_equal(dc_response_attempts(resp), 5);
    dc_response_free(resp);
    unsetenv("AWS_MAX_ATTEMPTS");
    make_sender(c, c->url, 5, 1);
    dc_fx_reset(c->fx);
    assert_dc_fail(send_text(c, &resp), DC_EHTTP);
    assert_int_equal(dc_fx_count(c->fx), 1);
    dc_response_free(resp);
    make_sender(c, c->url, 5, 3);
}

static void test_timeout(void **state)
{
    ctx *c = *state;
    dc_fx_reply slow = {200, NULL, ok_body, 1500, 0};
    dc_response *resp = NULL;
    double t;

    make_sender(c, c->url, 0.3, 2);
    dc_fx_script(c->fx, &slow, 1);
    dc_fx_reset(c->fx);
    t = now_s();
    assert_dc_fail(send_text(c, &resp), DC_ENET);
    t = now_s() - t;
    assert_null(resp);
    assert_true(dc_test_contains(dc_error_last()->message, "2 attempts"));
    assert_true(dc_test_contains(dc_error_last()->message, "imed out"));
    assert_true(t < 1.5);
    assert_int_equal(dc_fx_count(c->fx), 2); /* both attempts reached the server */
    print_message("timeout: %s (%.2f s)\n", dc_error_last()->message, t);
    make_sender(c, c->url, 5, 3);
}

static void test_connection_refused(void **state)
{
    ctx *c = *state;
    dc_fx *gone = NULL;
    char url[64];
    dc_response *resp = NULL;

    assert_int_equal(dc_fx_start(&gone, SECRET, NULL, NULL), 0);
    (void)snprintf(url, sizeof(url), "http://127.0.0.1:%d", dc_fx_port(gone));
    dc_fx_stop(gone); /* the port is now closed */
    make_sender(c, url, 2, 2);
    assert_dc_fail(send_text(c, &resp), DC_ENET);
    assert_true(dc_test_contains(dc_error_last()->message, url));
    assert_no_secret(dc_error_last()->message);
    make_sender(c, c->url, 5, 3);
}

/* ---------------------------------------------------------------- TLS */

static void test_https_ca_bundle(void **state)
{
    ctx *c = *state;
    const char *cert = dc_test_tmp("send-cert.pem");
    const char *key = dc_test_tmp("send-key.pem");
    char cmd[2048], url[64];
    dc_fx *tls = NULL;
    dc_send_options o = DC_SEND_OPTIONS_INIT;
    dc_sender *s = NULL;
    dc_request *req = NULL;
    dc_response *resp = NULL;

    (void)snprintf(cmd, sizeof(cmd),
                   "openssl req -x509 -newkey rsa:2048 -nodes -keyout '%s' -out '%s' -days 2 "
                   "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 "
                   "-addext basicConstraints=critical,CA:TRUE >/dev/null 2>&1",
                   key, cert);
    if (system(cmd) != 0) {
        skip();
        return;
    }
    assert_int_equal(dc_fx_start(&tls, SECRET, cert, key), 0);
    (void)snprintf(url, sizeof(url), "https://127.0.0.1:%d", dc_fx_port(tls));
    o.endpoint_arn = ARN;
    o.endpoint_url = url;
    o.creds = c->creds;
    o.max_attempts = 1;
    o.ca_bundle = cert;
    assert_dc_ok(dc_request_new_text(&req, ARN, "hello", 5));
    assert_dc_ok(dc_sender_new(&s, &o));
    assert_dc_ok(dc_sender_send(&resp, s, req));
    assert_int_equal(dc_fx_request_at(tls, 0)->sig_ok, 1);
    dc_response_free(resp);
    dc_sender_free(s);

    o.ca_bundle = "/etc/ssl/certs/ca-certificates.crt"; /* the system CAs: not ours */
    assert_dc_ok(dc_sender_new(&s, &o));
    assert_dc_fail(dc_sender_send(&resp, s, req), DC_ENET);
    print_message("without our CA: %s\n", dc_error_last()->message);
    dc_sender_free(s);
    assert_int_equal(dc_fx_count(tls), 1); /* the refused one never got through */

    o.no_verify_tls = 1;
    assert_dc_ok(dc_sender_new(&s, &o));
    assert_dc_ok(dc_sender_send(&resp, s, req));
    dc_response_free(resp);
    dc_sender_free(s);
    dc_request_free(req);
    dc_fx_stop(tls);
}

/* ---------------------------------------------------------------- sizes */

static void test_ten_mb(void **state)
{
    ctx *c = *state;
    size_t n = DC_RT_BINARY_BYTES;
    char *doc = malloc(n + 1);
    dc_request *req = NULL;
    dc_response *resp = NULL;
    const dc_fx_request *got;

    memset(doc, 'A', n + 1);
    memcpy(doc, "%PDF-1.4\n", 9);
    script1(c, 200, NULL, ok_body);
    assert_dc_fail(dc_request_new_bytes(&req, ARN, doc, n + 1, DC_FORMAT_PDF, NULL), DC_ELIMIT);
    assert_true(dc_test_contains(dc_error_last()->message, "DOCUMENT_SIZE_EXCEEDED"));
    assert_dc_ok(dc_request_new_bytes(&req, ARN, doc, n, DC_FORMAT_PDF, NULL));
    assert_dc_ok(dc_sender_send(&resp, c->s, req));
    assert_int_equal(dc_fx_count(c->fx), 1);
    got = dc_fx_request_at(c->fx, 0);
    assert_int_equal(got->sig_ok, 1);
    assert_int_equal(got->body_len, dc_request_body(req, NULL) ? req->len : 0);
    assert_true(got->body_len > 13333333);
    print_message("10 MB document: %zu-byte body received and verified\n", got->body_len);
    dc_response_free(resp);
    dc_request_free(req);
    free(doc);
}

/* ---------------------------------------------------------------- dry run */

static void test_describe_redacts(void **state)
{
    ctx *c = *state;
    dc_request *req = NULL;
    char *text = NULL;

    assert_dc_ok(dc_request_new_text(&req, ARN, "hello", 5));
    dc_fx_reset(c->fx);
    assert_dc_ok(dc_sender_describe(&text, c->s, req));
    assert_true(dc_test_contains(text, "POST / HTTP/1.1\nHost: 127.0.0.1:"));
    assert_true(dc_test_contains(text, "X-Amz-Security-Token: <redacted>\n"));
    assert_true(dc_test_contains(text, "Signature=<redacted>\n"));
    assert_true(dc_test_contains(text, "Credential=AKIDEXAMPLE/20150830/us-west-2/comprehend/"));
    assert_no_secret(text);
    assert_int_equal(dc_fx_count(c->fx), 0);
    dc_free(text);
    dc_request_free(req);
}

static void test_text_page_limit(void **state)
{
    ctx *c = *state;
    dc_classify_options o = DC_CLASSIFY_OPTIONS_INIT;
    dc_classification *cl = NULL;
    char *big = malloc(12001), *json = NULL;
    size_t i;

    for (i = 0; i < 12000; i++)
        big[i] = (i % 6 == 5) ? ' ' : 'a';
    big[12000] = '\0';
    script1(c, 200, NULL, ok_body);
    assert_dc_ok(dc_classify_text(&cl, c->s, big, 12000, &o));
    assert_int_equal(dc_classification_status(cl), DC_ELIMIT);
    assert_int_equal(dc_fx_count(c->fx), 0); /* not sent */
    assert_true(dc_test_contains(dc_classification_error(cl, 0), "PAGE_CHARACTERS_EXCEEDED"));
    dc_classification_free(cl);
    o.truncate = 1;
    assert_dc_ok(dc_classify_text(&cl, c->s, big, 12000, &o));
    assert_int_equal(dc_classification_status(cl), DC_OK);
    assert_int_equal(dc_fx_count(c->fx), 1);
    assert_dc_ok(dc_classification_render(&json, cl, DC_JSON_COMPACT));
    assert_true(dc_test_contains(json, "\"truncated\":{\"from_characters\":12000,"
                                       "\"to_characters\":9995}"));
    /* cut at a word boundary: the sent text ends with a whole word */
    assert_true(dc_test_contains(dc_fx_request_at(c->fx, 0)->body, "aaaaa\"}"));
    dc_free(json);
    dc_classification_free(cl);
    free(big);
}

/* dc_classify_prepare_mem: the same pages and refusals as classify, the
 * requests kept for an SDK (no EndpointArn), nothing sent. */
static void test_prepare_for_sdk(void **state)
{
    ctx *c = *state;
    const char *pdf = dc_test_tmp("prepare-three.pdf");
    dc_classify_options o = DC_CLASSIFY_OPTIONS_INIT;
    dc_classification *cl = NULL;
    char *data, *big, *json = NULL;
    const char *body;
    size_t len = 0, blen = 0, i;
    int page = 0;

    dc_fx_reset(c->fx);
    make_pdf(pdf, 3);
    data = dc_test_slurp(pdf, &len);
    o.mode = DC_SEND_BYTES;
    o.extract.config.action = DC_READ_ACTION_DETECT_DOCUMENT_TEXT;
    o.pages = "1,3";
    assert_dc_ok(dc_classify_prepare_mem(&cl, data, len, "three.pdf", &o));
    assert_int_equal(dc_classification_status(cl), DC_OK);
    assert_int_equal(dc_classification_request_count(cl), 2);
    for (i = 0; i < 2; i++) {
        dc_fx_request r;
        size_t n = 0, pages = 0;
        unsigned char *doc;
        assert_dc_ok(dc_classification_request(cl, i, &page, &body, &blen));
        assert_int_equal(page, i == 0 ? 1 : 3);
        assert_int_equal(strlen(body), blen);
        assert_false(dc_test_contains(body, "EndpointArn"));
        assert_true(dc_test_contains(body, "\"DocumentReaderConfig\":{\"DocumentReadAction\":"
                                           "\"TEXTRACT_DETECT_DOCUMENT_TEXT\""));
        memset(&r, 0, sizeof(r));
        r.body = (char *)body;
        doc = bytes_of(&r, &n);
        assert_memory_equal(doc, "%PDF-", 5);
        assert_dc_ok(dc_split__pdf_count(&pages, doc, n, NULL));
        assert_int_equal(pages, 1);
        free(doc);
    }
    assert_dc_fail(dc_classification_request(cl, 2, &page, &body, &blen), DC_EINVAL);
    assert_dc_ok(dc_classification_render(&json, cl, DC_JSON_COMPACT));
    assert_true(dc_test_contains(json, "\"path\":\"three.pdf\",\"endpoint\":null"));
    dc_free(json);
    dc_classification_free(cl);
    free(data);

    /* text over the page limit: refused locally, no request; truncate cuts it */
    big = malloc(12000);
    for (i = 0; i < 12000; i++)
        big[i] = (i % 6 == 5) ? ' ' : 'a';
    o.pages = NULL;
    o.mode = DC_SEND_AUTO;
    assert_dc_ok(dc_classify_prepare_mem(&cl, big, 12000, NULL, &o));
    assert_int_equal(dc_classification_status(cl), DC_ELIMIT);
    assert_int_equal(dc_classification_request_count(cl), 0);
    assert_true(dc_test_contains(dc_classification_error(cl, 0), "PAGE_CHARACTERS_EXCEEDED"));
    dc_classification_free(cl);
    o.truncate = 1;
    assert_dc_ok(dc_classify_prepare_mem(&cl, big, 12000, NULL, &o));
    assert_int_equal(dc_classification_request_count(cl), 1);
    assert_dc_ok(dc_classification_request(cl, 0, &page, &body, &blen));
    assert_true(dc_test_contains(body, "{\"Text\":\"aaaaa"));
    dc_classification_free(cl);
    free(big);

    /* bad input: refused as classify refuses it */
    assert_dc_fail(dc_classify_prepare_mem(&cl, "GIF89a", 6, "x.gif", &o), DC_EUNSUPPORTED);
    assert_null(cl);
    assert_dc_fail(dc_classify_prepare_mem(&cl, NULL, 5, NULL, &o), DC_EINVAL);
    assert_int_equal(dc_fx_count(c->fx), 0); /* nothing was sent */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_exact_request),
        cmocka_unit_test(test_pdf_pages_with_config),
        cmocka_unit_test(test_image_bytes),
        cmocka_unit_test(test_service_errors),
        cmocka_unit_test(test_429_then_success),
        cmocka_unit_test(test_500_gives_up),
        cmocka_unit_test(test_timeout),
        cmocka_unit_test(test_connection_refused),
        cmocka_unit_test(test_https_ca_bundle),
        cmocka_unit_test(test_ten_mb),
        cmocka_unit_test(test_describe_redacts),
        cmocka_unit_test(test_text_page_limit),
        cmocka_unit_test(test_prepare_for_sdk),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
