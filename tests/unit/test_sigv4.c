/*
 * SigV4: the 34 AWS test vectors (read from ../shared/corpus at test time,
 * skipped when absent), the project's own cases for the ClassifyDocument
 * POST, and a byte-for-byte comparison with botocore's signer.
 */
#include <dirent.h>
#include <sys/stat.h>

#include "dc_test.h"
#include "sigv4.h"

#define SUITE      "boto__botocore/tests/unit/auth/aws4_testsuite"
#define KEY        "AKIDEXAMPLE"
#define SECRET     "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define VEC_TOKEN  "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"
#define MAX_HEADER 32

/* A parsed .req file: request line, headers (continuation lines folded
 * into the value with their line break), body. Points into buf. */
typedef struct {
    char *buf;
    char *method, *path, *query;
    dc_sigv4_header headers[MAX_HEADER];
    size_t nheaders;
    char *body;
    size_t body_len;
} vreq;

static char *next_line(char **p)
{
    char *s = *p, *e;

    if (!s)
        return NULL;
    e = strchr(s, '\n');
    if (e) {
        *e = '\0';
        *p = e + 1;
    } else {
        *p = NULL;
    }
    return s;
}

static void parse_req(vreq *v, char *buf, size_t len)
{
    char *p = buf, *line, *http;

    memset(v, 0, sizeof(*v));
    v->buf = buf;
    line = next_line(&p);
    assert_non_null(line);
    v->method = line;
    line = strchr(line, ' ');
    assert_non_null(line);
    *line++ = '\0';
    http = strstr(line, " HTTP/");
    assert_non_null(http);
    *http = '\0';
    v->path = line;
    v->query = strchr(line, '?');
    if (v->query)
        *v->query++ = '\0';
    while ((line = next_line(&p)) != NULL && *line) {
        if ((*line == ' ' || *line == '\t') && v->nheaders) {
            /* continuation: re-join with the previous value (in place) */
            char *prev = (char *)v->headers[v->nheaders - 1].value;
            line[-1] = '\n';
            (void)prev;
            continue;
        }
        assert_true(v->nheaders < MAX_HEADER);
        v->headers[v->nheaders].name = line;
        line = strchr(line, ':');
        assert_non_null(line);
        *line++ = '\0';
        v->headers[v->nheaders++].value = line;
    }
    v->body = p ? p : buf + len;
    v->body_len = (size_t)(buf + len - v->body);
}

static char *slurp_case(const char *dir, const char *name, const char *ext, size_t *len)
{
    char path[4096];

    (void)snprintf(path, sizeof(path), "%s/%s.%s", dir, name, ext);
    return dc_test_slurp(path, len);
}

/* Run one vector; returns 1 when all three outputs match. */
static int run_vector(const char *dir, const char *name)
{
    size_t len, n;
    char *req = slurp_case(dir, name, "req", &len);
    char *creq = slurp_case(dir, name, "creq", &n);
    char *sts = slurp_case(dir, name, "sts", &n);
    char *authz = slurp_case(dir, name, "authz", &n);
    dc_sigv4_params p = {KEY, SECRET, "us-east-1", "service", "20150830T123600Z"};
    dc_sigv4_request r;
    dc_sigv4_result res;
    vreq v;
    int ok;

    parse_req(&v, req, len);
    if (strcmp(name, "get-vanilla-with-session-token") == 0) {
        /* the token is a header added before signing */
        v.headers[v.nheaders].name = "X-Amz-Security-Token";
        v.headers[v.nheaders++].value = VEC_TOKEN;
    }
    r = (dc_sigv4_request){v.method, v.path, v.query, v.headers, v.nheaders, v.body, v.body_len};
    assert_dc_ok(dc_sigv4__sign(&res, &r, &p));
    ok = strcmp(res.canonical_request.ptr, creq) == 0 && strcmp(res.string_to_sign.ptr, sts) == 0 &&
         strcmp(res.authorization.ptr, authz) == 0;
    if (!ok)
        print_message("vector %s differs:\n--- got creq\n%s\n--- want\n%s\n--- got authz\n%s\n",
                      name, res.canonical_request.ptr, creq, res.authorization.ptr);
    dc_sigv4__result_dispose(&res);
    free(req);
    free(creq);
    free(sts);
    free(authz);
    return ok;
}

/* Walk the suite: every directory holding NAME.req is a vector. */
static void walk(const char *dir, int *total, int *passed)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    const char *base = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
    char path[4096];
    struct stat st;

    assert_non_null(d);
    (void)snprintf(path, sizeof(path), "%s/%s.req", dir, base);
    if (stat(path, &st) == 0) {
        (*total)++;
        *passed += run_vector(dir, base);
    }
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        (void)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            walk(path, total, passed);
    }
    closedir(d);
}

static void test_aws_vectors(void **state)
{
    const char *dir = dc_test_corpus(SUITE);
    int total = 0, passed = 0;

    (void)state;
    if (!dir) {
        skip();
        return;
    }
    walk(dir, &total, &passed);
    print_message("SigV4 vectors: %d/%d\n", passed, total);
    assert_int_equal(total, 34);
    assert_int_equal(passed, 34);
}

/* ---- the project's own request: the ClassifyDocument POST ---- */

static const char cd_body[] = "{\"EndpointArn\":\"arn:aws:comprehend:us-west-2:111122223333:"
                              "document-classifier-endpoint/ep\",\"Text\":\"hello world\"}";
static const dc_sigv4_header cd_headers[] = {
    {"Content-Type", "application/x-amz-json-1.1"},
    {"Host", "comprehend.us-west-2.amazonaws.com"},
    {"X-Amz-Date", "20150830T123600Z"},
    {"X-Amz-Security-Token", "SESSIONTOKENEXAMPLE"},
    {"X-Amz-Target", "Comprehend_20171127.ClassifyDocument"},
};

static void sign_cd(dc_sigv4_result *res, size_t nheaders)
{
    dc_sigv4_params p = {KEY, SECRET, "us-west-2", "comprehend", "20150830T123600Z"};
    dc_sigv4_request r = {"POST", "/", NULL, cd_headers, nheaders, cd_body, strlen(cd_body)};

    assert_dc_ok(dc_sigv4__sign(res, &r, &p));
}

static void test_classify_request(void **state)
{
    dc_sigv4_result res;

    (void)state;
    sign_cd(&res, 5);
    assert_string_equal(res.signed_headers.ptr,
                        "content-type;host;x-amz-date;x-amz-security-token;x-amz-target");
    assert_true(dc_test_contains(res.canonical_request.ptr,
                                 "POST\n/\n\ncontent-type:application/x-amz-json-1.1\n"));
    assert_true(
        dc_test_contains(res.string_to_sign.ptr, "20150830/us-west-2/comprehend/aws4_request\n"));
    assert_true(dc_test_contains(res.authorization.ptr,
                                 "Credential=AKIDEXAMPLE/20150830/us-west-2/comprehend/"));
    /* pinned: botocore 1.43 gives the same (test_botocore checks it live) */
    assert_string_equal(res.signature,
                        "deb91067b6f6620e50b3a032d0f9dcf32e6e6d180baf20e46441f8d619e52ea8");
    /* the secret never appears in any output */
    assert_false(dc_test_contains(res.canonical_request.ptr, SECRET));
    assert_false(dc_test_contains(res.authorization.ptr, SECRET));
    dc_sigv4__result_dispose(&res);
}

/* A changed byte of the body, the token or the date changes the signature. */
static void test_sensitivity(void **state)
{
    dc_sigv4_result a, b;
    dc_sigv4_params p = {KEY, SECRET, "us-west-2", "comprehend", "20150830T123601Z"};
    dc_sigv4_request r = {"POST", "/", NULL, cd_headers, 5, cd_body, strlen(cd_body) - 1};

    (void)state;
    sign_cd(&a, 5);
    assert_dc_ok(dc_sigv4__sign(&b, &r, &p));
    assert_string_not_equal(a.signature, b.signature);
    dc_sigv4__result_dispose(&b);
    sign_cd(&b, 4);
    assert_string_not_equal(a.signature, b.signature);
    dc_sigv4__result_dispose(&b);
    dc_sigv4__result_dispose(&a);
}

static void test_bad_input(void **state)
{
    dc_sigv4_result res;
    dc_sigv4_params p = {KEY, SECRET, "us-west-2", "comprehend", "2015-08-30"};
    dc_sigv4_request r = {"POST", "/", NULL, cd_headers, 5, cd_body, strlen(cd_body)};
    char date[DC_SIGV4_DATE_LEN];

    (void)state;
    assert_dc_fail(dc_sigv4__sign(&res, &r, &p), DC_EINVAL);
    dc_sigv4__result_dispose(&res);
    assert_dc_ok(dc_sigv4__amz_date(date, 1440938160));
    assert_string_equal(date, "20150830T123600Z");
    assert_dc_fail(dc_sigv4__amz_date(date, -1), DC_EINVAL);
}

static void test_uri_encode(void **state)
{
    dc_buf b = DC_BUF_INIT;

    (void)state;
    dc_buf_init(&b, 1024);
    assert_dc_ok(dc_sigv4__uri_encode(&b, "a b/c~+=\xe1\x88\xb4", 11, 1));
    assert_string_equal(b.ptr, "a%20b/c~%2B%3D%E1%88%B4");
    dc_buf_clear(&b);
    assert_dc_ok(dc_sigv4__uri_encode(&b, "/", 1, 0));
    assert_string_equal(b.ptr, "%2F");
    dc_buf_dispose(&b);
}

/* ---- botocore, when python3 can import it ---- */

static const char boto_script[] =
    "import sys, datetime\n"
    "import botocore.auth as A\n"
    "from botocore.awsrequest import AWSRequest\n"
    "from botocore.credentials import Credentials\n"
    "T = datetime.datetime(2015, 8, 30, 12, 36, 0)\n"
    "class D(datetime.datetime):  # releases that read the clock with utcnow() or now()\n"
    "    @classmethod\n"
    "    def utcnow(cls): return T\n"
    "    @classmethod\n"
    "    def now(cls, tz=None): return T.replace(tzinfo=tz) if tz else T\n"
    "datetime.datetime = D\n"
    "A.get_current_datetime = lambda *a, **k: T  # releases with the helper\n"
    "body = open(sys.argv[1], 'rb').read()\n"
    "r = AWSRequest(method='POST', url='https://comprehend.us-west-2.amazonaws.com/', data=body,\n"
    "    headers={'Content-Type': 'application/x-amz-json-1.1',\n"
    "             'X-Amz-Target': 'Comprehend_20171127.ClassifyDocument'})\n"
    "A.SigV4Auth(Credentials(sys.argv[2], sys.argv[3], sys.argv[4]), 'comprehend',\n"
    "            'us-west-2').add_auth(r)\n"
    "print(r.headers['Authorization'])\n";

static void test_botocore(void **state)
{
    const char *script = dc_test_tmp("sigv4_boto.py");
    const char *body = dc_test_tmp("sigv4_boto.json");
    char cmd[8192], line[1024] = "";
    dc_sigv4_result res;
    FILE *f;

    (void)state;
    if (system("python3 -c 'import botocore' >/dev/null 2>&1") != 0) {
        skip();
        return;
    }
    f = fopen(script, "w");
    assert_non_null(f);
    assert_int_equal(fputs(boto_script, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
    f = fopen(body, "w");
    assert_non_null(f);
    assert_int_equal(fputs(cd_body, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
    (void)snprintf(cmd, sizeof(cmd), "python3 '%s' '%s' %s '%s' SESSIONTOKENEXAMPLE", script, body,
                   KEY, SECRET);
    f = popen(cmd, "r");
    assert_non_null(f);
    assert_non_null(fgets(line, sizeof(line), f));
    assert_int_equal(pclose(f), 0);
    line[strcspn(line, "\n")] = '\0';
    sign_cd(&res, 5);
    print_message("botocore: %s\ndocclass: %s\n", line, res.authorization.ptr);
    assert_string_equal(res.authorization.ptr, line);
    dc_sigv4__result_dispose(&res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aws_vectors), cmocka_unit_test(test_classify_request),
        cmocka_unit_test(test_sensitivity), cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_uri_encode),  cmocka_unit_test(test_botocore),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
