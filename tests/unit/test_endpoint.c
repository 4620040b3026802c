/* Unit tests: the service's side of ClassifyDocument (src/lib/endpoint.c).
 * A table of requests as a server receives them, signed (or not) with the
 * project's SigV4 signer at a fixed time, each with the status and error
 * type the service gives; then answers (Text, Bytes, limits) and the
 * forward comparison line. The AWS CLI and botocore drive the same code
 * over HTTP in tests/cli/test_serve.py. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dc_test.h"
#include "sigv4.h"

#define NOW    1767225600LL /* 2026-01-01T00:00:00Z */
#define ARN    "arn:aws:comprehend:us-east-1:123456789012:document-classifier-endpoint/ep"
#define TARGET "Comprehend_20171127.ClassifyDocument"

typedef struct {
    const char *name;
    const char *target; /* NULL: no X-Amz-Target */
    const char *body;
    const char *key; /* NULL: unsigned */
    const char *secret;
    long long skew; /* signed this many seconds from NOW */
    const char *service;
    int status; /* 0: accepted at the door (a call) */
    const char *type;
} row;

static const row rows[] = {
    {"text", TARGET, "{\"EndpointArn\":\"" ARN "\",\"Text\":\"hello\"}", "AKID", "secret", 0,
     "comprehend", 0, NULL},
    {"bytes", TARGET, "{\"EndpointArn\":\"" ARN "\",\"Bytes\":\"aGVsbG8=\"}", "AKID", "secret", 0,
     "comprehend", 0, NULL},
    {"4 min early is within the skew", TARGET, "{\"EndpointArn\":\"" ARN "\",\"Text\":\"x\"}",
     "AKID", "secret", -240, "comprehend", 0, NULL},
    {"unsigned", TARGET, "{\"EndpointArn\":\"" ARN "\",\"Text\":\"x\"}", NULL, NULL, 0, NULL, 400,
     "MissingAuthenticationTokenException"},
    {"wrong secret", TARGET, "{\"EndpointArn\":\"" ARN "\",\"Text\":\"x\"}", "AKID", "nope", 0,
     "comprehend", 400, "InvalidSignatureException"},
    {"unknown key", TARGET, "{\"EndpointArn\":\"" ARN "\",\"Text\":\"x\"}", "AKIDX", "secret", 0,
     "comprehend", 400, "UnrecognizedClientException"},
    {"expired", TARGET, "{\"EndpointArn\":\"" ARN "\",\"Text\":\"x\"}", "AKID", "secret", -600,
     "comprehend", 400, "InvalidSignatureException"},
    {"from the future", TARGET, "{\"EndpointArn\":\"" ARN "\",\"Text\":\"x\"}", "AKID", "secret",
     600, "comprehend", 400, "InvalidSignatureException"},
    {"scoped to s3", TARGET, "{\"EndpointArn\":\"" ARN "\",\"Text\":\"x\"}", "AKID", "secret", 0,
     "s3", 400, "InvalidSignatureException"},
    {"another operation", "Comprehend_20171127.DetectSentiment", "{\"Text\":\"x\"}", "AKID",
     "secret", 0, "comprehend", 400, "UnknownOperationException"},
    {"no target", NULL, "{}", "AKID", "secret", 0, "comprehend", 400, "UnknownOperationException"},
    {"not JSON", TARGET, "{\"EndpointArn\":", "AKID", "secret", 0, "comprehend", 400,
     "SerializationException"},
    {"an array", TARGET, "[1,2]", "AKID", "secret", 0, "comprehend", 400, "SerializationException"},
    {"duplicate member", TARGET, "{\"EndpointArn\":\"" ARN "\",\"Text\":\"a\",\"Text\":\"b\"}",
     "AKID", "secret", 0, "comprehend", 400, "SerializationException"},
    {"no ARN", TARGET, "{\"Text\":\"x\"}", "AKID", "secret", 0, "comprehend", 400,
     "ValidationException"},
    {"ARN of S3", TARGET, "{\"EndpointArn\":\"arn:aws:s3:::b\",\"Text\":\"x\"}", "AKID", "secret",
     0, "comprehend", 400, "ValidationException"},
    {"ARN a number", TARGET, "{\"EndpointArn\":5,\"Text\":\"x\"}", "AKID", "secret", 0,
     "comprehend", 400, "SerializationException"},
    {"Text and Bytes", TARGET, "{\"EndpointArn\":\"" ARN "\",\"Text\":\"x\",\"Bytes\":\"eA==\"}",
     "AKID", "secret", 0, "comprehend", 400, "InvalidRequestException"},
    {"neither", TARGET, "{\"EndpointArn\":\"" ARN "\"}", "AKID", "secret", 0, "comprehend", 400,
     "InvalidRequestException"},
    {"empty Text", TARGET, "{\"EndpointArn\":\"" ARN "\",\"Text\":\"\"}", "AKID", "secret", 0,
     "comprehend", 400, "ValidationException"},
    {"unpadded base64", TARGET, "{\"EndpointArn\":\"" ARN "\",\"Bytes\":\"aGVsbG8\"}", "AKID",
     "secret", 0, "comprehend", 400, "SerializationException"},
    {"base64 with a newline", TARGET, "{\"EndpointArn\":\"" ARN "\",\"Bytes\":\"aGVs\\nbG8=\"}",
     "AKID", "secret", 0, "comprehend", 400, "SerializationException"},
    {"bad action", TARGET,
     "{\"EndpointArn\":\"" ARN "\",\"Bytes\":\"eA==\",\"DocumentReaderConfig\":"
     "{\"DocumentReadAction\":\"READ_IT\"}}",
     "AKID", "secret", 0, "comprehend", 400, "ValidationException"},
    {"config not an object", TARGET,
     "{\"EndpointArn\":\"" ARN "\",\"Bytes\":\"eA==\",\"DocumentReaderConfig\":7}", "AKID",
     "secret", 0, "comprehend", 400, "ValidationException"},
};

static char keys_path[256];

static int setup(void **state)
{
    FILE *f;

    (void)state;
    (void)snprintf(keys_path, sizeof(keys_path), "/tmp/dc-endpoint-keys-%d", (int)getpid());
    f = fopen(keys_path, "w");
    assert_non_null(f);
    fputs("[default]\naws_access_key_id = AKID\naws_secret_access_key = secret\n"
          "[other]\naws_access_key_id = AKIDT\naws_secret_access_key = s2\n"
          "aws_session_token = tok\n",
          f);
    fclose(f);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    remove(keys_path);
    return 0;
}

static dc_endpoint *endpoint(dc_endpoint_auth auth, const dc_model *model)
{
    dc_endpoint_options o;
    dc_endpoint *ep = NULL;

    assert_dc_ok(dc_endpoint_options_init(&o, DC_ENDPOINT_OPTIONS_VERSION));
    o.auth = auth;
    o.credentials_file = keys_path;
    o.fixed_time = NOW;
    o.model = model;
    assert_dc_ok(dc_endpoint_new(&ep, &o));
    return ep;
}

/* Sign as a client would and check at the door. */
static int door(dc_endpoint *ep, const row *r, const char *token, dc_call **call, dc_reply **reply)
{
    char date[DC_SIGV4_DATE_LEN], authz[1024];
    dc_sigv4_header sh[4];
    dc_http_header h[6];
    size_t nh = 0, ns = 0;
    int err;

    dc_sigv4__amz_date(date, NOW + r->skew);
    sh[ns++] = (dc_sigv4_header){"Host", "127.0.0.1:8000"};
    sh[ns++] = (dc_sigv4_header){"X-Amz-Date", date};
    if (r->target)
        sh[ns++] = (dc_sigv4_header){"X-Amz-Target", r->target};
    if (token)
        sh[ns++] = (dc_sigv4_header){"X-Amz-Security-Token", token};
    for (size_t i = 0; i < ns; i++)
        h[nh++] = (dc_http_header){sh[i].name, sh[i].value};
    if (r->key) {
        dc_sigv4_result res;
        dc_sigv4_request rq = {"POST", "/", NULL, sh, ns, r->body, strlen(r->body)};
        dc_sigv4_params p = {r->key, r->secret, "us-east-1", r->service, date};
        assert_dc_ok(dc_sigv4__sign(&res, &rq, &p));
        (void)snprintf(authz, sizeof(authz), "%s", res.authorization.ptr);
        dc_sigv4__result_dispose(&res);
        h[nh++] = (dc_http_header){"Authorization", authz};
    }
    {
        dc_http_call hc = {"POST", "/", NULL, h, nh, r->body, strlen(r->body)};
        err = dc_endpoint_check(ep, &hc, call, reply);
    }
    return err;
}

static void the_door(void **state)
{
    dc_endpoint *ep = endpoint(DC_AUTH_SIGV4, NULL);
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const row *r = &rows[i];
        dc_call *call = NULL;
        dc_reply *reply = NULL;
        assert_dc_ok(door(ep, r, NULL, &call, &reply));
        if (r->status == 0) {
            if (!call)
                fail_msg("%s: refused: %s", r->name, dc_reply_body(reply, NULL));
            assert_null(reply);
            assert_string_equal(dc_call_endpoint_arn(call), ARN);
            assert_int_equal(strlen(dc_call_request_id(call)), 36);
        } else {
            if (!reply)
                fail_msg("%s: accepted", r->name);
            assert_null(call);
            if (dc_reply_status(reply) != r->status ||
                strcmp(dc_reply_error_type(reply), r->type) != 0)
                fail_msg("%s: %d %s", r->name, dc_reply_status(reply), dc_reply_body(reply, NULL));
            assert_true(dc_test_contains(dc_reply_body(reply, NULL), "\"Message\":"));
        }
        dc_call_free(call);
        dc_reply_free(reply);
    }
    dc_endpoint_free(ep);
}

static void session_tokens(void **state)
{
    dc_endpoint *ep = endpoint(DC_AUTH_SIGV4, NULL);
    row r = {"token",      TARGET, "{\"EndpointArn\":\"" ARN "\",\"Text\":\"x\"}",
             "AKIDT",      "s2",   0,
             "comprehend", 0,      NULL};
    dc_call *call = NULL;
    dc_reply *reply = NULL;

    (void)state;
    assert_dc_ok(door(ep, &r, "tok", &call, &reply));
    assert_non_null(call);
    dc_call_free(call);
    call = NULL;
    assert_dc_ok(door(ep, &r, "other", &call, &reply));
    assert_string_equal(dc_reply_error_type(reply), "UnrecognizedClientException");
    dc_reply_free(reply);
    reply = NULL;
    assert_dc_ok(door(ep, &r, NULL, &call, &reply));
    assert_string_equal(dc_reply_error_type(reply), "UnrecognizedClientException");
    dc_reply_free(reply);
    dc_endpoint_free(ep);
}

static void answers(void **state)
{
    dc_endpoint *ep = endpoint(DC_AUTH_NONE, NULL);
    char big[10100 + 64];
    row r = {"", TARGET, NULL, NULL, NULL, 0, NULL, 0, NULL};
    dc_call *call = NULL;
    dc_reply *reply = NULL, *svc = NULL;
    char *line = NULL;

    (void)state;
    /* Text over 10,000 bytes */
    (void)snprintf(big, sizeof(big), "{\"EndpointArn\":\"%s\",\"Text\":\"%010001d\"}", ARN, 1);
    r.body = big;
    assert_dc_ok(door(ep, &r, NULL, &call, &reply));
    assert_dc_ok(dc_endpoint_answer(ep, call, &reply));
    assert_string_equal(dc_reply_error_type(reply), "TextSizeLimitExceededException");
    assert_true(dc_test_contains(dc_reply_body(reply, NULL), "text size is 10001 bytes"));
    dc_reply_free(reply);
    dc_call_free(call);
    /* Bytes of a text file: PLAIN_TEXT, its characters, no Classes without a model */
    r.body = "{\"EndpointArn\":\"" ARN "\",\"Bytes\":\"aGVsbG8gd29ybGQ=\"}";
    assert_dc_ok(door(ep, &r, NULL, &call, &reply));
    assert_dc_ok(dc_endpoint_answer(ep, call, &reply));
    assert_int_equal(dc_reply_status(reply), 200);
    assert_string_equal(dc_reply_body(reply, NULL),
                        "{\"DocumentMetadata\":{\"Pages\":1,\"ExtractedCharacters\":[{\"Page\":1,"
                        "\"Count\":11}]},\"DocumentType\":[{\"Page\":1,\"Type\":\"PLAIN_TEXT\"}],"
                        "\"Errors\":[],\"Warnings\":[]}");
    /* the comparison with what a service said */
    {
        static const char said[] = "{\"DocumentMetadata\":{\"Pages\":1,\"ExtractedCharacters\":"
                                   "[{\"Page\":1,\"Count\":12}]},\"DocumentType\":[{\"Page\":"
                                   "1,\"Type\":\"PLAIN_TEXT\"}]}";
        assert_dc_ok(dc_reply_new(&svc, 200, said, sizeof(said) - 1, "rid-1"));
    }
    assert_dc_ok(dc_reply_compare(&line, call, reply, svc));
    assert_true(dc_test_contains(line, "\"request_id\":\"rid-1\""));
    assert_true(dc_test_contains(line, "\"input\":\"Bytes\""));
    assert_true(dc_test_contains(
        line, "\"agree\":{\"admission\":true,\"document_type\":true,\"characters\":false}"));
    dc_free(line);
    dc_reply_free(svc);
    dc_reply_free(reply);
    dc_call_free(call);
    /* junk bytes: the service's UNSUPPORTED_DOC_TYPE */
    r.body = "{\"EndpointArn\":\"" ARN "\",\"Bytes\":\"AAECAwQFBgcICQ==\"}";
    assert_dc_ok(door(ep, &r, NULL, &call, &reply));
    assert_dc_ok(dc_endpoint_answer(ep, call, &reply));
    assert_int_equal(dc_reply_status(reply), 400);
    assert_true(dc_test_contains(dc_reply_body(reply, NULL),
                                 "\"Reason\":\"INVALID_DOCUMENT\",\"Detail\":{\"Reason\":"
                                 "\"UNSUPPORTED_DOC_TYPE\"}"));
    dc_reply_free(reply);
    dc_call_free(call);
    dc_endpoint_free(ep);
}

static void keys_file_errors(void **state)
{
    dc_endpoint_options o;
    dc_endpoint *ep = NULL;
    char empty[300];
    FILE *f;

    (void)state;
    dc_endpoint_options_init(&o, DC_ENDPOINT_OPTIONS_VERSION);
    o.credentials_file = "/nonexistent/keys";
    assert_dc_fail(dc_endpoint_new(&ep, &o), DC_ENOTFOUND);
    (void)snprintf(empty, sizeof(empty), "%s.empty", keys_path);
    f = fopen(empty, "w");
    assert_non_null(f);
    fputs("[default]\nregion = us-east-1\n", f);
    fclose(f);
    o.credentials_file = empty;
    assert_dc_fail(dc_endpoint_new(&ep, &o), DC_ECONFIG);
    remove(empty);
    o.auth = DC_AUTH_NONE; /* no keys needed */
    assert_dc_ok(dc_endpoint_new(&ep, &o));
    dc_endpoint_free(ep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_door),
        cmocka_unit_test(session_tokens),
        cmocka_unit_test(answers),
        cmocka_unit_test(keys_file_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
