/*
 * Send stage: sign a ClassifyDocument request (sigv4.c), send it through
 * the transport (http.c), retry what is worth retrying, parse the answer.
 *
 * Retries follow the AWS "standard" mode: AWS_MAX_ATTEMPTS attempts in all
 * (default 3), only on 429, 5xx, throttling error types and connection
 * failures; the delay before retry n is uniform in [0, min(max, base*2^(n-1))]
 * (full jitter), or the server's Retry-After when it asks for longer.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "options.h"
#include "json_out.h"
#include "send_int.h"
#include "sigv4.h"

#define RETRY_AFTER_MAX 60.0 /* seconds: never wait longer on a server's word */
#define ERROR_LINE_MAX  1024

struct dc_sender {
    dc_send_options o;
    char *arn;
    char *url;
    char host[512];
    char path[1024];
    char region[DC_REGION_MAX];
    const dc_credentials *creds;
    dc_transport *t;
};

struct dc_response {
    long status;
    int attempts;
    char *type;
    char *message;
    char *reason;
    char *detail;
    char *request_id;
    json_t *result; /* the service's members, for a 200 */
    char *raw;      /* the body as received */
    size_t raw_len;
};

/* ---------------------------------------------------------------- sender */

/* Split http(s)://AUTHORITY/PATH into the Host header and the path. */
static int split_url(dc_sender *s)
{
    const char *a = strstr(s->url, "://") + 3;
    size_t n = strcspn(a, "/?#");

    if (n == 0 || n >= sizeof(s->host))
        return dc_error_set(DC_EINVAL, "endpoint URL '%s' has no usable host", s->url);
    memcpy(s->host, a, n);
    s->host[n] = '\0';
    if (a[n] == '/')
        (void)snprintf(s->path, sizeof(s->path), "%.*s", (int)strcspn(a + n, "?#"), a + n);
    else
        (void)snprintf(s->path, sizeof(s->path), "/");
    return DC_OK;
}

static int env_attempts(void)
{
    const char *v = getenv("AWS_MAX_ATTEMPTS");
    char *end = NULL;
    long n;

    if (!v || !*v)
        return 3;
    n = strtol(v, &end, 10);
    return (*end || n < 1 || n > 100) ? 3 : (int)n;
}

int dc_sender_new(dc_sender **out, const dc_send_options *opts)
{
    dc_send_options so;
    dc_sender *s = NULL;
    dc_http_options ho;
    char partition[32];
    int err;

    *out = NULL;
    err = dc_send_options_resolve(&so, opts);
    if (err < 0)
        return err;
    opts = &so;
    if (!opts->creds)
        return dc_error_set(DC_EINVAL, "no credentials given to the sender");
    s = calloc(1, sizeof(*s));
    if (!s)
        return dc_error_oom();
    s->o = *opts;
    s->creds = opts->creds;
    s->arn = dc_strdup(opts->endpoint_arn ? opts->endpoint_arn : "");
    s->o.endpoint_arn = s->arn;
    if (!s->arn) {
        free(s);
        return dc_error_oom();
    }
    if (s->o.max_attempts <= 0)
        s->o.max_attempts = env_attempts();
    err = dc_request__arn_parse(opts->endpoint_arn, s->region, partition);
    if (err >= 0)
        err = dc_endpoint_resolve(&s->url, opts->endpoint_arn, opts->endpoint_url);
    if (err >= 0)
        err = split_url(s);
    if (err < 0)
        goto done;
    if (opts->local) {
        err = dc_endpoint__transport(&s->t, opts->local);
        goto done;
    }
    ho.ca_bundle = opts->ca_bundle ? opts->ca_bundle : getenv("AWS_CA_BUNDLE");
    ho.verify_tls = !opts->no_verify_tls;
    ho.connect_timeout = opts->connect_timeout;
    ho.timeout = opts->timeout;
    err = dc_http__curl_new(&s->t, &ho);
done:
    if (err < 0) {
        dc_sender_free(s);
        return err;
    }
    *out = s;
    return DC_OK;
}

const char *dc_sender_url(const dc_sender *s)
{
    return s ? s->url : NULL;
}

const char *dc_send__arn(const dc_sender *s)
{
    return s ? s->arn : NULL;
}

const char *dc_sender_region(const dc_sender *s)
{
    return s ? s->region : NULL;
}

void dc_sender_free(dc_sender *s)
{
    if (!s)
        return;
    if (s->t)
        s->t->destroy(s->t);
    free(s->url);
    free(s->arn);
    free(s);
}

/* ---------------------------------------------------------------- signing */

typedef struct {
    char date[DC_SIGV4_DATE_LEN];
    dc_sigv4_result sig;
    dc_buf lines;        /* "Name: value\0" lines, back to back */
    const char *hdrs[8]; /* pointers into lines, NULL-terminated */
    dc_cred_vals creds;  /* what it is signed with (a copy) */
} signed_req;

static void signed_dispose(signed_req *sr)
{
    dc_cred_vals__dispose(&sr->creds);
    dc_sigv4__result_dispose(&sr->sig);
    dc_buf_dispose(&sr->lines);
}

static int header_lines(signed_req *sr, const dc_sender *s)
{
    size_t off[7], n = 0, i;
    int err = DC_OK;

#define LINE(...)                                         \
    do {                                                  \
        off[n++] = sr->lines.len;                         \
        if (err >= 0)                                     \
            err = dc_buf_printf(&sr->lines, __VA_ARGS__); \
        if (err >= 0)                                     \
            err = dc_buf_put(&sr->lines, "", 1);          \
    } while (0)
    LINE("Host: %s", s->host);
    LINE("Content-Type: %s", DC_CD_CONTENT_TYPE);
    LINE("X-Amz-Target: %s", DC_CD_TARGET);
    LINE("X-Amz-Date: %s", sr->date);
    if (sr->creds.token)
        LINE("X-Amz-Security-Token: %s", sr->creds.token);
    LINE("Authorization: %s", sr->sig.authorization.ptr);
#undef LINE
    for (i = 0; i < n && err >= 0; i++)
        sr->hdrs[i] = sr->lines.ptr + off[i];
    sr->hdrs[n] = NULL;
    return err;
}

/* Sign the request for now (or the fixed time) and build its headers. */
static int sign(signed_req *sr, const dc_sender *s, const dc_request *req)
{
    dc_sigv4_header h[5];
    size_t nh = 0;
    long long now = s->o.fixed_time ? s->o.fixed_time : (long long)time(NULL);
    int err;

    memset(sr, 0, sizeof(*sr));
    dc_buf_init(&sr->lines, 1 << 20);
    err = dc_sigv4__amz_date(sr->date, now);
    if (err >= 0) /* logically const: only refreshed, under its lock */
        err = dc_creds__current((dc_credentials *)s->creds, &sr->creds);
    if (err < 0)
        return err;
    h[nh++] = (dc_sigv4_header){"Host", s->host};
    h[nh++] = (dc_sigv4_header){"Content-Type", DC_CD_CONTENT_TYPE};
    h[nh++] = (dc_sigv4_header){"X-Amz-Target", DC_CD_TARGET};
    h[nh++] = (dc_sigv4_header){"X-Amz-Date", sr->date};
    if (sr->creds.token)
        h[nh++] = (dc_sigv4_header){"X-Amz-Security-Token", sr->creds.token};
    {
        dc_sigv4_request r = {"POST", s->path, NULL, h, nh, req->body, req->len};
        dc_sigv4_params p = {sr->creds.key, sr->creds.secret, s->region, DC_CD_SERVICE, sr->date};
        err = dc_sigv4__sign(&sr->sig, &r, &p);
    }
    if (err >= 0)
        err = header_lines(sr, s);
    return err;
}

/* Write a header line with its secret part replaced. */
static int redacted_line(dc_buf *b, const char *line)
{
    const char *sig = strstr(line, "Signature=");

    if (strncmp(line, "X-Amz-Security-Token:", 21) == 0)
        return dc_buf_puts(b, "X-Amz-Security-Token: <redacted>\n");
    if (strncmp(line, "Authorization:", 14) == 0 && sig)
        return dc_buf_printf(b, "%.*sSignature=<redacted>\n", (int)(sig - line), line);
    return dc_buf_printf(b, "%s\n", line);
}

int dc_sender_describe(char **out, dc_sender *s, const dc_request *req)
{
    signed_req sr;
    dc_buf b = DC_BUF_INIT;
    size_t i;
    int err;

    *out = NULL;
    dc_buf_init(&b, req->len + 65536);
    err = sign(&sr, s, req);
    if (err >= 0)
        err = dc_buf_printf(&b, "POST %s HTTP/1.1\n", s->path);
    for (i = 0; err >= 0 && sr.hdrs[i]; i++)
        err = redacted_line(&b, sr.hdrs[i]);
    if (err >= 0)
        err = dc_buf_printf(&b, "Content-Length: %zu\n\n", req->len);
    if (err >= 0)
        err = dc_buf_put(&b, req->body, req->len);
    if (err >= 0)
        err = dc_buf_putc(&b, '\n');
    signed_dispose(&sr);
    if (err >= 0)
        *out = dc_buf_detach(&b, NULL);
    dc_buf_dispose(&b);
    return err < 0 ? err : (*out ? DC_OK : dc_error_oom());
}

/* ---------------------------------------------------------------- errors */

void dc_send__strip_type(char *type)
{
    char *hash = strrchr(type, '#');
    size_t n;

    if (hash)
        memmove(type, hash + 1, strlen(hash + 1) + 1);
    n = strcspn(type, ":");
    type[n] = '\0';
}

int dc_send__retryable(long status, const char *type)
{
    static const char *const throttling[] = {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "TransactionInProgressException",
        "RequestLimitExceeded",
        "BandwidthLimitExceeded",
        "LimitExceededException",
        "RequestThrottled",
        "SlowDown",
        "PriorRequestNotComplete",
        "EC2ThrottledException",
    };
    size_t i;

    if (status == 429 || (status >= 500 && status <= 599))
        return 1;
    for (i = 0; type && i < sizeof(throttling) / sizeof(throttling[0]); i++) {
        if (strcmp(type, throttling[i]) == 0)
            return 2; /* throttled */
    }
    return 0;
}

double dc_send__backoff(double base, double max, int n, double r)
{
    double cap = base * pow(2.0, (double)(n - 1));

    if (cap > max)
        cap = max;
    return cap * r;
}

static char *json_str_dup(json_t *obj, const char *key)
{
    const char *v = json_string_value(json_object_get(obj, key));
    return v ? dc_strdup(v) : NULL;
}

/* Fill the error members of rep from the body (AWS JSON 1.1 error shape). */
static void parse_error(dc_response *r, const dc_http_reply *rep)
{
    json_t *root = json_loadb(rep->body.ptr ? rep->body.ptr : "", rep->body.len, 0, NULL);
    json_t *detail;

    if (json_is_object(root)) {
        r->type = json_str_dup(root, "__type");
        if (!r->type)
            r->type = json_str_dup(root, "code");
        r->message = json_str_dup(root, "Message");
        if (!r->message)
            r->message = json_str_dup(root, "message");
        r->reason = json_str_dup(root, "Reason");
        detail = json_object_get(root, "Detail");
        if (json_is_object(detail))
            r->detail = json_str_dup(detail, "Reason");
    }
    if (!r->type && rep->error_type[0])
        r->type = dc_strdup(rep->error_type);
    if (r->type)
        dc_send__strip_type(r->type);
    if (r->type && !*r->type) {
        free(r->type);
        r->type = NULL;
    }
    json_decref(root);
}

/* A body that is not the JSON error shape: its start, on one line. */
static int raw_excerpt(dc_buf *line, const dc_http_reply *rep)
{
    size_t i, n = rep->body.len < 200 ? rep->body.len : 200;
    int err = DC_OK;

    for (i = 0; i < n && err >= 0; i++) {
        char c = rep->body.ptr[i];
        err = dc_buf_putc(line, (c == '\n' || c == '\r' || c == '\t') ? ' ' : c);
    }
    return err;
}

static int error_line(dc_buf *line, const dc_response *r, const dc_http_reply *rep)
{
    int err = dc_buf_printf(line, "%s (HTTP %ld)", r->type ? r->type : "service error", r->status);

    if (err >= 0 && r->reason)
        err = dc_buf_printf(line, " %s%s%s", r->reason, r->detail ? "/" : "",
                            r->detail ? r->detail : "");
    else if (err >= 0 && r->detail)
        err = dc_buf_printf(line, " %s", r->detail);
    if (err >= 0 && r->message)
        err = dc_buf_printf(line, ": %s", r->message);
    else if (err >= 0 && !r->type && rep->body.len)
        err = dc_buf_puts(line, ": ") >= 0 ? raw_excerpt(line, rep) : DC_ENOMEM;
    if (err >= 0 && r->request_id)
        err = dc_buf_printf(line, " (request id %s)", r->request_id);
    if (err == DC_ELIMIT)
        err = DC_OK; /* a long message is cut, not an error */
    return err;
}

int dc_send__error_line(dc_buf *line,
                        long status,
                        const char *body,
                        size_t len,
                        const char *header_type,
                        const char *request_id)
{
    dc_response r;
    dc_http_reply rep;
    int err;

    memset(&r, 0, sizeof(r));
    dc_http__reply_init(&rep);
    rep.status = status;
    (void)snprintf(rep.error_type, sizeof(rep.error_type), "%s", header_type ? header_type : "");
    err = dc_buf_put(&rep.body, body, len);
    r.status = status;
    r.request_id = request_id ? (char *)request_id : NULL;
    if (err >= 0) {
        parse_error(&r, &rep);
        err = error_line(line, &r, &rep);
    }
    free(r.type);
    free(r.message);
    free(r.reason);
    free(r.detail);
    dc_http__reply_dispose(&rep);
    return err;
}

/* ---------------------------------------------------------------- responses */

static int parse_success(dc_response *r, const dc_http_reply *rep)
{
    static const char *const members[] = {"Classes",      "Labels", "DocumentMetadata",
                                          "DocumentType", "Errors", "Warnings"};
    json_t *root = json_loadb(rep->body.ptr ? rep->body.ptr : "", rep->body.len, 0, NULL);
    size_t i;
    int err = DC_OK;

    if (!json_is_object(root)) {
        json_decref(root);
        return dc_error_set(DC_EHTTP, "HTTP 200 with a body that is not a JSON object%s%s",
                            rep->request_id[0] ? " (request id " : "",
                            rep->request_id[0] ? rep->request_id : "");
    }
    r->result = json_object();
    for (i = 0; r->result && i < sizeof(members) / sizeof(members[0]); i++) {
        json_t *v = json_object_get(root, members[i]);
        if (v && json_object_set(r->result, members[i], v) != 0)
            err = dc_error_oom();
    }
    if (!r->result)
        err = dc_error_oom();
    json_decref(root);
    return err;
}

static int respond(dc_response *r, const dc_http_reply *rep)
{
    dc_buf line = DC_BUF_INIT;
    int err;

    r->status = rep->status;
    free(r->raw);
    r->raw_len = 0;
    r->raw = malloc(rep->body.len + 1);
    if (!r->raw)
        return dc_error_oom();
    if (rep->body.len)
        memcpy(r->raw, rep->body.ptr, rep->body.len);
    r->raw[rep->body.len] = '\0';
    r->raw_len = rep->body.len;
    free(r->request_id);
    r->request_id = rep->request_id[0] ? dc_strdup(rep->request_id) : NULL;
    if (rep->status == 200)
        return parse_success(r, rep);
    parse_error(r, rep);
    dc_buf_init(&line, ERROR_LINE_MAX);
    err = error_line(&line, r, rep);
    if (err >= 0)
        err = dc_error_set(DC_EHTTP, "%s", line.ptr ? line.ptr : "service error");
    dc_buf_dispose(&line);
    return err;
}

static void clear_error(dc_response *r)
{
    free(r->type);
    free(r->message);
    free(r->reason);
    free(r->detail);
    r->type = r->message = r->reason = r->detail = NULL;
}

static void pause_for(double seconds)
{
    struct timespec ts;

    if (seconds <= 0)
        return;
    ts.tv_sec = (time_t)seconds;
    ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
    while (nanosleep(&ts, &ts) != 0)
        ;
}

static double jitter(void)
{
    unsigned int v = 0;

    if (dc_random_bytes(&v, sizeof(v)) < 0)
        v = (unsigned int)rand();
    return (double)v / 4294967296.0;
}

/* One attempt: sign, send, judge. Returns DC_OK, DC_EHTTP, DC_ENET; sets
 * *again when another attempt could help, *wait to the server's wish. */
/* The characters the service counted in a successful answer
 * (DocumentMetadata.ExtractedCharacters), or fallback. */
static double counted(const dc_response *r, double fallback)
{
    json_t *a =
        json_object_get(json_object_get(r->result, "DocumentMetadata"), "ExtractedCharacters");
    double n = 0;
    size_t i;

    if (!json_is_array(a) || json_array_size(a) == 0)
        return fallback;
    for (i = 0; i < json_array_size(a); i++)
        n += (double)json_integer_value(json_object_get(json_array_get(a, i), "Count"));
    return n;
}

static int attempt(dc_sender *s, const dc_request *req, dc_response *r, int *again, double *wait)
{
    signed_req sr;
    dc_http_reply rep;
    int err;

    dc_http__reply_init(&rep);
    clear_error(r);
    *again = 0;
    *wait = -1;
    if (s->o.pacer)
        dc_pacer__wait(s->o.pacer, (double)req->chars);
    err = sign(&sr, s, req);
    if (err >= 0) {
        dc_http_request hr = {s->url, sr.hdrs, req->body, req->len, "POST"};
        err = s->t->perform(s->t, &hr, &rep);
        if (err < 0)
            *again = rep.retryable;
    }
    if (err >= 0) {
        err = respond(r, &rep);
        *again = err == DC_EHTTP && dc_send__retryable(rep.status, r->type);
        *wait = rep.retry_after;
    }
    if (s->o.pacer) {
        int throttled =
            err == DC_EHTTP && (rep.status == 429 || dc_send__retryable(rep.status, r->type) == 2);
        double c = (double)req->chars;
        dc_pacer__done(s->o.pacer, c, err >= 0 ? counted(r, c) : c, err >= 0, throttled);
    }
    signed_dispose(&sr);
    dc_http__reply_dispose(&rep);
    return err;
}

int dc_sender_send(dc_response **out, dc_sender *s, const dc_request *req)
{
    dc_response *r = calloc(1, sizeof(*r));
    int err = DC_OK, again = 1;
    double wait = -1;

    *out = NULL;
    if (!r)
        return dc_error_oom();
    while (again && r->attempts < s->o.max_attempts) {
        if (r->attempts > 0) {
            double d = dc_send__backoff(s->o.backoff_base, s->o.backoff_max, r->attempts, jitter());
            if (wait > d)
                d = wait < RETRY_AFTER_MAX ? wait : RETRY_AFTER_MAX;
            pause_for(d);
        }
        r->attempts++;
        err = attempt(s, req, r, &again, &wait);
    }
    if (err == DC_ENET && r->attempts > 1)
        dc_error_prefix(DC_ENET, "%s: %d attempts", s->url, r->attempts);
    else if (err == DC_ENET)
        dc_error_prefix(DC_ENET, "%s", s->url);
    if (err == DC_ENET || err == DC_ENOMEM) {
        dc_response_free(r);
        return err;
    }
    *out = r;
    return err;
}

/* ---------------------------------------------------------------- accessors */

long dc_response_status(const dc_response *r)
{
    return r ? r->status : 0;
}

int dc_response_attempts(const dc_response *r)
{
    return r ? r->attempts : 0;
}

const char *dc_response_error_type(const dc_response *r)
{
    return r ? r->type : NULL;
}

const char *dc_response_request_id(const dc_response *r)
{
    return r ? r->request_id : NULL;
}

static int set_str(json_t *o, const char *k, const char *v)
{
    return v ? json_object_set_new(o, k, json_string(v)) : 0;
}

json_t *dc_send__response_json(const dc_response *r)
{
    json_t *o = json_object();
    json_t *e = NULL;
    int bad = !o;

    bad |= json_object_set_new(o, "status", json_integer(r->status)) != 0;
    bad |= json_object_set_new(o, "attempts", json_integer(r->attempts)) != 0;
    bad |= set_str(o, "request_id", r->request_id) != 0;
    if (r->result) {
        bad |= json_object_update(o, r->result) != 0;
    } else {
        e = json_object();
        bad |= !e || set_str(e, "type", r->type) != 0 || set_str(e, "message", r->message) != 0 ||
               set_str(e, "reason", r->reason) != 0 || set_str(e, "detail_reason", r->detail) != 0;
        bad |= json_object_set_new(o, "error", e) != 0;
    }
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

int dc_response_to_json(char **out, const dc_response *r, unsigned flags)
{
    json_t *o = dc_send__response_json(r);

    *out = NULL;
    if (o)
        *out = dc_json_dumps(o, JSON_PRESERVE_ORDER |
                                    ((flags & DC_JSON_COMPACT) ? JSON_COMPACT : JSON_INDENT(2)));
    json_decref(o);
    return *out ? DC_OK : dc_error_oom();
}

void dc_response_free(dc_response *r)
{
    if (!r)
        return;
    clear_error(r);
    free(r->request_id);
    free(r->raw);
    json_decref(r->result);
    free(r);
}

const char *dc_response_body(const dc_response *r, size_t *len)
{
    if (len)
        *len = r && r->raw ? r->raw_len : 0;
    return r ? (r->raw ? r->raw : "") : NULL;
}
