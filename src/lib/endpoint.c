/*
 * The service's side of ClassifyDocument (docs/serve.md): check a request
 * as the endpoint receives it (SigV4, X-Amz-Target, the JSON members) and
 * answer it as the service would, from docclass's extraction and a local
 * model. Pure apart from the extraction it calls: the HTTP server is the
 * caller's.
 *
 * Error shapes are AWS JSON 1.1's: {"__type", "Message"} plus Reason and
 * Detail.Reason for InvalidRequestException, with the HTTP status the
 * service uses (docs/serve.md has the table and where each came from).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "docclass/endpoint.h"
#include "json_out.h"
#include "send_int.h"
#include "sigv4.h"

#define BODY_MAX    ((size_t)14 << 20) /* 10 MB of Bytes is 13.4 MB of base64 */
#define SKEW        300.0
#define HEADERS_MAX 64

struct dc_endpoint {
    dc_endpoint_options o;
    dc_cred_vals *keys;
    size_t nkeys;
};

struct dc_call {
    char *body;
    size_t len;
    char *arn;
    char *text; /* Text, or NULL */
    size_t text_len;
    unsigned char *data; /* decoded Bytes, or NULL */
    size_t data_len;
    dc_reader_config config;
    char request_id[40];
};

struct dc_reply {
    int status;
    char *body;
    size_t len;
    char *type;
    char request_id[128];
};

/* ---------------------------------------------------------------- options */

int dc_endpoint_options_init(dc_endpoint_options *opts, int version)
{
    if (!opts || version < 1 || version > DC_ENDPOINT_OPTIONS_VERSION)
        return dc_error_set(DC_EINVAL, "dc_endpoint_options version %d is not 1 to %d", version,
                            DC_ENDPOINT_OPTIONS_VERSION);
    memset(opts, 0, sizeof(*opts));
    opts->version = version;
    return dc_extract_options_init(&opts->extract, DC_EXTRACT_OPTIONS_VERSION);
}

static void default_keys_path(char *out, size_t size)
{
    const char *f = getenv("AWS_SHARED_CREDENTIALS_FILE"), *home = getenv("HOME");

    if (f && *f)
        (void)snprintf(out, size, "%s", f);
    else
        (void)snprintf(out, size, "%s/.aws/credentials", home ? home : "");
}

int dc_endpoint_new(dc_endpoint **out, const dc_endpoint_options *opts)
{
    dc_endpoint *ep;
    char path[1024];
    int err = DC_OK;

    *out = NULL;
    if (!opts || opts->version < 1 || opts->version > DC_ENDPOINT_OPTIONS_VERSION)
        return dc_error_set(DC_EINVAL, "dc_endpoint_options version %d is not 1 to %d",
                            opts ? opts->version : 0, DC_ENDPOINT_OPTIONS_VERSION);
    if ((unsigned)opts->auth > DC_AUTH_NONE)
        return dc_error_set(DC_EINVAL, "unknown authentication mode %d", (int)opts->auth);
    ep = calloc(1, sizeof(*ep));
    if (!ep)
        return dc_error_oom();
    ep->o = *opts;
    if (ep->o.clock_skew <= 0)
        ep->o.clock_skew = SKEW;
    if (ep->o.extract.version == 0)
        dc_extract_options_init(&ep->o.extract, DC_EXTRACT_OPTIONS_VERSION);
    if (opts->auth == DC_AUTH_SIGV4) {
        if (opts->credentials_file)
            (void)snprintf(path, sizeof(path), "%s", opts->credentials_file);
        else
            default_keys_path(path, sizeof(path));
        err = dc_creds__file_keys(path, &ep->keys, &ep->nkeys);
    }
    if (err < 0) {
        dc_endpoint_free(ep);
        return err;
    }
    *out = ep;
    return DC_OK;
}

void dc_endpoint_free(dc_endpoint *ep)
{
    size_t i;

    if (!ep)
        return;
    for (i = 0; i < ep->nkeys; i++)
        dc_cred_vals__dispose(&ep->keys[i]);
    free(ep->keys);
    free(ep);
}

/* ---------------------------------------------------------------- replies */

int dc_reply_new(dc_reply **out, int status, const char *body, size_t len, const char *request_id)
{
    dc_reply *r = calloc(1, sizeof(*r));

    *out = NULL;
    if (!r)
        return dc_error_oom();
    r->status = status;
    r->body = malloc(len + 1);
    if (!r->body) {
        free(r);
        return dc_error_oom();
    }
    if (len)
        memcpy(r->body, body, len);
    r->body[len] = '\0';
    r->len = len;
    (void)snprintf(r->request_id, sizeof(r->request_id), "%s", request_id ? request_id : "");
    if (status != 200) {
        json_t *v = json_loadb(body ? body : "", len, 0, NULL);
        const char *t = json_string_value(json_object_get(v, "__type"));
        if (t) {
            r->type = dc_strdup(t);
            if (r->type)
                dc_send__strip_type(r->type);
        }
        json_decref(v);
    }
    *out = r;
    return DC_OK;
}

int dc_reply_status(const dc_reply *r)
{
    return r ? r->status : 0;
}

const char *dc_reply_body(const dc_reply *r, size_t *len)
{
    if (len)
        *len = r ? r->len : 0;
    return r ? r->body : NULL;
}

const char *dc_reply_request_id(const dc_reply *r)
{
    return r ? r->request_id : NULL;
}

const char *dc_reply_error_type(const dc_reply *r)
{
    return r ? r->type : NULL;
}

void dc_reply_free(dc_reply *r)
{
    if (!r)
        return;
    free(r->body);
    free(r->type);
    free(r);
}

/* A reply holding v (stolen). */
static int reply_json(dc_reply **out, int status, json_t *v, const char *rid)
{
    char *s = v ? dc_json_dumps(v, JSON_COMPACT) : NULL;
    int err;

    json_decref(v);
    if (!s)
        return dc_error_oom();
    err = dc_reply_new(out, status, s, strlen(s), rid);
    free(s);
    return err;
}

/* The service's error: __type, Message, and Reason / Detail.Reason when given. */
static int reply_error(dc_reply **out,
                       int status,
                       const char *type,
                       const char *reason,
                       const char *detail,
                       const char *rid,
                       const char *fmt,
                       ...) DC_PRINTF(7, 8);

static int reply_error(dc_reply **out,
                       int status,
                       const char *type,
                       const char *reason,
                       const char *detail,
                       const char *rid,
                       const char *fmt,
                       ...)
{
    char msg[1024];
    va_list ap;
    json_t *v;

    va_start(ap, fmt);
    (void)vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    v = json_pack("{s:s,s:s}", "__type", type, "Message", msg);
    if (v && reason)
        json_object_set_new(v, "Reason", json_string(reason));
    if (v && detail)
        json_object_set_new(v, "Detail", json_pack("{s:s}", "Reason", detail));
    return reply_json(out, status, v, rid);
}

/* ---------------------------------------------------------------- calls */

const char *dc_call_endpoint_arn(const dc_call *call)
{
    return call ? call->arn : NULL;
}

const char *dc_call_body(const dc_call *call, size_t *len)
{
    if (len)
        *len = call ? call->len : 0;
    return call ? call->body : NULL;
}

int dc_call_has_bytes(const dc_call *call)
{
    return call && call->data;
}

const char *dc_call_request_id(const dc_call *call)
{
    return call ? call->request_id : NULL;
}

void dc_call_free(dc_call *call)
{
    if (!call)
        return;
    free(call->body);
    free(call->arn);
    free(call->text);
    free(call->data);
    free(call);
}

/* A version 4 UUID, as the service's request ids are. */
static void new_request_id(char out[40])
{
    unsigned char b[16];
    int i, n = 0;

    if (dc_random_bytes(b, sizeof(b)) < 0) {
        for (i = 0; i < 16; i++)
            b[i] = (unsigned char)rand();
    }
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    for (i = 0; i < 16; i++) {
        n += snprintf(out + n, (size_t)(40 - n), "%02x", b[i]);
        if (i == 3 || i == 5 || i == 7 || i == 9)
            out[n++] = '-';
    }
    out[n] = '\0';
}

/* ---------------------------------------------------------------- headers */

static const char *header(const dc_http_call *req, const char *name)
{
    size_t i;

    for (i = 0; i < req->nheaders; i++) {
        if (req->headers[i].name && strcasecmp(req->headers[i].name, name) == 0)
            return req->headers[i].value ? req->headers[i].value : "";
    }
    return NULL;
}

/* ---------------------------------------------------------------- SigV4 */

typedef struct {
    char akid[128];
    char date[16];
    char region[64];
    char service[64];
    char signed_headers[2048];
    char signature[128];
} auth_parts;

/* "AWS4-HMAC-SHA256 Credential=A/D/R/S/aws4_request, SignedHeaders=x;y,
 * Signature=hex": 0, or -1 when a part is missing. */
static int parse_auth(auth_parts *a, const char *v)
{
    const char *cred, *sh, *sig;
    char scope[512];

    memset(a, 0, sizeof(*a));
    if (strncmp(v, "AWS4-HMAC-SHA256 ", 17) != 0)
        return -1;
    cred = strstr(v, "Credential=");
    sh = strstr(v, "SignedHeaders=");
    sig = strstr(v, "Signature=");
    if (!cred || !sh || !sig)
        return -1;
    if (sscanf(cred + 11, "%511[^,]", scope) != 1 ||
        sscanf(sh + 14, "%2047[^, ]", a->signed_headers) != 1 ||
        sscanf(sig + 10, "%127[0-9a-fA-F]", a->signature) != 1)
        return -1;
    if (sscanf(scope, "%127[^/]/%15[^/]/%63[^/]/%63[^/]/", a->akid, a->date, a->region,
               a->service) != 4 ||
        strlen(scope) < 13 || strcmp(scope + strlen(scope) - 13, "/aws4_request") != 0)
        return -1;
    return 0;
}

static long long amz_time(const char *d)
{
    char iso[32];
    int y, mo, da, h, mi, s;

    if (!d || strlen(d) != 16 || sscanf(d, "%4d%2d%2dT%2d%2d%2dZ", &y, &mo, &da, &h, &mi, &s) != 6)
        return -1;
    (void)snprintf(iso, sizeof(iso), "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, da, h, mi, s);
    return dc_creds__parse_time(iso);
}

static int same_secret(const char *a, const char *b)
{
    size_t i, n = strlen(a);
    unsigned char d = (unsigned char)(n != strlen(b));

    for (i = 0; i < n && b[i]; i++)
        d |= (unsigned char)(a[i] ^ b[i]);
    return d == 0;
}

#define INVALID_SIG                                                                         \
    "The request signature we calculated does not match the signature you provided. Check " \
    "your AWS Secret Access Key and signing method. Consult the service documentation for " \
    "details."
#define BAD_TOKEN "The security token included in the request is invalid."

/* Verify the signature of req: DC_OK, or *reply set to the service's error. */
static int verify(dc_endpoint *ep, const dc_http_call *req, const char *rid, dc_reply **reply)
{
    const char *authz = header(req, "Authorization"), *date = header(req, "X-Amz-Date");
    const char *token = header(req, "X-Amz-Security-Token");
    dc_sigv4_header hs[HEADERS_MAX];
    dc_sigv4_result res;
    auth_parts a;
    char names[2048], *save = NULL, *n, now_s[DC_SIGV4_DATE_LEN], lim_s[DC_SIGV4_DATE_LEN];
    const dc_cred_vals *key = NULL;
    long long now = ep->o.fixed_time ? ep->o.fixed_time : (long long)time(NULL), t;
    size_t nh = 0, i;
    int err, host = 0, ok;

    if (!authz)
        return reply_error(reply, 400, "MissingAuthenticationTokenException", NULL, NULL, rid,
                           "Missing Authentication Token");
    if (parse_auth(&a, authz) != 0)
        return reply_error(reply, 400, "IncompleteSignatureException", NULL, NULL, rid,
                           "Authorization header requires 'Credential', 'SignedHeaders' and "
                           "'Signature' parameters (AWS4-HMAC-SHA256)");
    if (!date)
        return reply_error(reply, 400, "IncompleteSignatureException", NULL, NULL, rid,
                           "Authorization header requires existence of either a 'X-Amz-Date' or "
                           "a 'Date' header.");
    t = amz_time(date);
    if (t < 0)
        return reply_error(reply, 400, "IncompleteSignatureException", NULL, NULL, rid,
                           "X-Amz-Date '%s' is not YYYYMMDDTHHMMSSZ", date);
    if (strcmp(a.service, DC_CD_SERVICE) != 0)
        return reply_error(reply, 400, "InvalidSignatureException", NULL, NULL, rid,
                           "Credential should be scoped to correct service: '%s'.", DC_CD_SERVICE);
    if (strncmp(a.date, date, 8) != 0 || strlen(a.date) != 8)
        return reply_error(reply, 400, "InvalidSignatureException", NULL, NULL, rid,
                           "Date in Credential scope does not match YYYYMMDD from ISO-8601 "
                           "version of date from HTTP: '%s' != '%.8s', from 'X-Amz-Date'.",
                           a.date, date);
    if ((double)(now - t) > ep->o.clock_skew || (double)(t - now) > ep->o.clock_skew) {
        int late = now > t;
        dc_sigv4__amz_date(now_s, now);
        dc_sigv4__amz_date(lim_s, late ? now - (long long)ep->o.clock_skew
                                       : now + (long long)ep->o.clock_skew);
        return reply_error(reply, 400, "InvalidSignatureException", NULL, NULL, rid,
                           late ? "Signature expired: %s is now earlier than %s (%s - %g min.)"
                                : "Signature not yet current: %s is still later than %s (%s + "
                                  "%g min.)",
                           date, lim_s, now_s, ep->o.clock_skew / 60);
    }
    for (i = 0; i < ep->nkeys && !key; i++) {
        if (strcmp(ep->keys[i].key, a.akid) == 0)
            key = &ep->keys[i];
    }
    if (!key || (key->token && (!token || !same_secret(key->token, token))))
        return reply_error(reply, 400, "UnrecognizedClientException", NULL, NULL, rid, BAD_TOKEN);
    (void)snprintf(names, sizeof(names), "%s", a.signed_headers);
    for (n = strtok_r(names, ";", &save); n; n = strtok_r(NULL, ";", &save)) {
        const char *v = header(req, n);
        if (!v || nh == HEADERS_MAX)
            return reply_error(reply, 400, "InvalidSignatureException", NULL, NULL, rid,
                               v ? "too many signed headers" : INVALID_SIG);
        host |= strcasecmp(n, "host") == 0;
        hs[nh].name = n;
        hs[nh].value = v;
        nh++;
    }
    if (!host)
        return reply_error(reply, 400, "InvalidSignatureException", NULL, NULL, rid,
                           "'Host' or ':authority' must be a 'SignedHeader' in the AWS "
                           "Authorization.");
    {
        dc_sigv4_request rq = {req->method, req->path, req->query,   hs,
                               nh,          req->body, req->body_len};
        dc_sigv4_params p = {key->key, key->secret, a.region, a.service, date};
        err = dc_sigv4__sign(&res, &rq, &p);
    }
    if (err < 0)
        return err;
    ok = same_secret(res.signature, a.signature);
    dc_sigv4__result_dispose(&res);
    if (!ok)
        return reply_error(reply, 400, "InvalidSignatureException", NULL, NULL, rid, INVALID_SIG);
    return DC_OK;
}

/* ---------------------------------------------------------------- check */

static int b64val(int c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* Standard base64 with padding, nothing else (as the service's JSON blob):
 * 0, or -1 when s is not that. */
static int unbase64(const char *s, size_t n, unsigned char **out, size_t *len)
{
    unsigned char *o;
    size_t i, k = 0;

    *out = NULL;
    *len = 0;
    if (n % 4 != 0)
        return -1;
    o = malloc(n / 4 * 3 + 1);
    if (!o)
        return -2;
    for (i = 0; i < n; i += 4) {
        int a = b64val(s[i]), b = b64val(s[i + 1]), c = b64val(s[i + 2]), d = b64val(s[i + 3]);
        int last = i + 4 == n;
        if (a < 0 || b < 0 || (c < 0 && !(last && s[i + 2] == '=' && s[i + 3] == '=')) ||
            (d < 0 && !(last && s[i + 3] == '='))) {
            free(o);
            return -1;
        }
        o[k++] = (unsigned char)(a << 2 | b >> 4);
        if (c >= 0)
            o[k++] = (unsigned char)((b & 15) << 4 | c >> 2);
        if (c >= 0 && d >= 0)
            o[k++] = (unsigned char)((c & 3) << 6 | d);
    }
    *out = o;
    *len = k;
    return 0;
}

#define VALIDATION(fmt, ...)                                                  \
    reply_error(reply, 400, "ValidationException", NULL, NULL, c->request_id, \
                "1 validation error detected: " fmt, __VA_ARGS__)

/* The members of a ClassifyDocument body into c: DC_OK, or *reply set. */
static int read_members(dc_call *c, json_t *root, dc_reply **reply)
{
    json_t *arn = json_object_get(root, "EndpointArn"), *text = json_object_get(root, "Text");
    json_t *bytes = json_object_get(root, "Bytes"),
           *cfg = json_object_get(root, "DocumentReaderConfig");
    const dc_reader_config none = DC_READER_CONFIG_INIT;
    char region[DC_REGION_MAX], partition[32];
    int err;

    if (!arn || json_is_null(arn))
        return VALIDATION("Value null at '%s' failed to satisfy constraint: Member must not be "
                          "null",
                          "endpointArn");
    if (!json_is_string(arn))
        return reply_error(reply, 400, "SerializationException", NULL, NULL, c->request_id,
                           "EndpointArn is not a string");
    if (json_string_length(arn) > DC_ARN_MAX ||
        dc_request__arn_parse(json_string_value(arn), region, partition) < 0)
        return VALIDATION("Value '%.300s' at 'endpointArn' failed to satisfy constraint: Member "
                          "must satisfy regular expression pattern: "
                          "arn:aws(-[^:]+)?:comprehend:[a-zA-Z0-9-]*:[0-9]{12}:"
                          "document-classifier-endpoint/[a-zA-Z0-9](-*[a-zA-Z0-9])*",
                          json_string_value(arn));
    dc_error_clear();
    c->arn = dc_strdup(json_string_value(arn));
    if (!c->arn)
        return dc_error_oom();
    if ((text && !json_is_null(text) && !json_is_string(text)) ||
        (bytes && !json_is_null(bytes) && !json_is_string(bytes)))
        return reply_error(reply, 400, "SerializationException", NULL, NULL, c->request_id,
                           "Text and Bytes must be strings");
    if (json_is_string(text) == json_is_string(bytes))
        return reply_error(reply, 400, "InvalidRequestException", NULL, NULL, c->request_id,
                           "Either Text or Bytes must be given, not both and not neither");
    if (json_is_string(text)) {
        if (json_string_length(text) == 0)
            return VALIDATION("Value at '%s' failed to satisfy constraint: Member must have "
                              "length greater than or equal to 1",
                              "text");
        c->text_len = json_string_length(text);
        c->text = malloc(c->text_len + 1);
        if (!c->text)
            return dc_error_oom();
        memcpy(c->text, json_string_value(text), c->text_len + 1);
    } else {
        err = unbase64(json_string_value(bytes), json_string_length(bytes), &c->data, &c->data_len);
        if (err == -2)
            return dc_error_oom();
        if (err < 0)
            return reply_error(reply, 400, "SerializationException", NULL, NULL, c->request_id,
                               "Bytes is not standard base64 with padding");
        if (c->data_len == 0)
            return VALIDATION("Value at '%s' failed to satisfy constraint: Member must have "
                              "length greater than or equal to 1",
                              "bytes");
    }
    c->config = none;
    if (cfg && !json_is_null(cfg)) {
        char *s;
        if (!json_is_object(cfg))
            return VALIDATION("%s", "DocumentReaderConfig is not an object");
        s = json_dumps(cfg, JSON_COMPACT);
        if (!s)
            return dc_error_oom();
        err = dc_config_parse(&c->config, s, strlen(s), "DocumentReaderConfig");
        if (err >= 0)
            err = dc_config_validate(&c->config, "DocumentReaderConfig");
        free(s);
        if (err == DC_ENOMEM)
            return err;
        if (err < 0) {
            err = VALIDATION("%s", dc_error_last()->message);
            dc_error_clear();
            return err;
        }
    }
    return DC_OK;
}

int dc_endpoint_check(dc_endpoint *ep, const dc_http_call *req, dc_call **call, dc_reply **reply)
{
    const char *target = header(req, "X-Amz-Target");
    dc_call *c = NULL;
    json_t *root = NULL;
    json_error_t jerr;
    int err = DC_OK;

    *call = NULL;
    *reply = NULL;
    c = calloc(1, sizeof(*c));
    if (!c)
        return dc_error_oom();
    new_request_id(c->request_id);
    if (ep->o.auth == DC_AUTH_SIGV4) {
        err = verify(ep, req, c->request_id, reply);
        if (err < 0 || *reply)
            goto done;
    }
    if (!req->method || strcmp(req->method, "POST") != 0 || !target ||
        strcmp(target, DC_CD_TARGET) != 0) {
        err = reply_error(reply, 400, "UnknownOperationException", NULL, NULL, c->request_id,
                          "%s%s is not an operation of this endpoint: it answers %s",
                          target ? "" : "no X-Amz-Target: ", target ? target : req->method,
                          DC_CD_TARGET);
        goto done;
    }
    if (req->body_len > BODY_MAX) {
        err = reply_error(reply, 413, "RequestEntityTooLargeException", NULL, NULL, c->request_id,
                          "request body of %zu bytes (at most %zu)", req->body_len, BODY_MAX);
        goto done;
    }
    root = json_loadb(req->body ? req->body : "", req->body_len, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(root)) {
        err = reply_error(reply, 400, "SerializationException", NULL, NULL, c->request_id,
                          "the body is not a JSON object%s%s", root ? "" : ": ",
                          root ? "" : jerr.text);
        goto done;
    }
    err = read_members(c, root, reply);
    if (err < 0 || *reply)
        goto done;
    c->body = malloc(req->body_len + 1);
    if (!c->body) {
        err = dc_error_oom();
        goto done;
    }
    memcpy(c->body, req->body, req->body_len);
    c->body[req->body_len] = '\0';
    c->len = req->body_len;
done:
    json_decref(root);
    if (err >= 0 && !*reply) {
        *call = c;
        return DC_OK;
    }
    dc_call_free(c);
    return err < 0 ? err : DC_OK;
}

/* ---------------------------------------------------------------- answer */

typedef struct {
    size_t c;
    double score;
} ranked;

static int by_score(const void *a, const void *b)
{
    const ranked *x = a, *y = b;

    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return x->c < y->c ? -1 : x->c > y->c;
}

/* The model's classes of a text, best first, into arr (page 0: no Page). */
static int add_classes(json_t *arr, const dc_model *m, const char *text, size_t len, int page)
{
    size_t k = dc_model_class_count(m), i;
    double *p = malloc(k * sizeof(double));
    ranked *r = malloc(k * sizeof(ranked));
    int err;

    if (!p || !r) {
        free(p);
        free(r);
        return dc_error_oom();
    }
    err = dc_model_predict(m, text, len, p);
    for (i = 0; err >= 0 && i < k; i++) {
        r[i].c = i;
        r[i].score = p[i];
    }
    if (err >= 0)
        qsort(r, k, sizeof(ranked), by_score);
    for (i = 0; err >= 0 && i < k; i++) {
        json_t *o = json_pack("{s:s,s:f}", "Name", dc_model_class_name(m, r[i].c), "Score",
                              (double)(float)r[i].score);
        if (o && page > 0)
            json_object_set_new(o, "Page", json_integer(page));
        if (!o || json_array_append_new(arr, o) != 0)
            err = dc_error_oom();
    }
    free(p);
    free(r);
    return err;
}

static const char *classes_key(const dc_model *m)
{
    return dc_model_get_mode(m) == DC_MODEL_MULTI_LABEL ? "Labels" : "Classes";
}

static int answer_text(dc_endpoint *ep, const dc_call *c, dc_reply **reply)
{
    json_t *v, *arr;
    int err;

    if (c->text_len > DC_RT_TEXT_BYTES)
        return reply_error(reply, 400, "TextSizeLimitExceededException", NULL, NULL, c->request_id,
                           "Input text size exceeds limit. Max length of request text allowed is "
                           "%u bytes while in this request the text size is %zu bytes",
                           (unsigned)DC_RT_TEXT_BYTES, c->text_len);
    v = json_object();
    if (!v)
        return dc_error_oom();
    if (ep->o.model) {
        arr = json_array();
        err = arr ? add_classes(arr, ep->o.model, c->text, c->text_len, 0) : dc_error_oom();
        json_object_set_new(v, classes_key(ep->o.model), arr);
        if (err < 0) {
            json_decref(v);
            return err;
        }
    }
    return reply_json(reply, 200, v, c->request_id);
}

/* What a library error while reading Bytes is, as the service says it. */
static int extract_error(dc_reply **reply, const dc_call *c, int code)
{
    const char *msg = dc_error_last()->message;
    const char *detail = code == DC_EUNSUPPORTED ? "UNSUPPORTED_DOC_TYPE"
                         : code == DC_ELIMIT     ? "DOCUMENT_SIZE_EXCEEDED"
                                                 : "INVALID_DOCUMENT";

    if (code == DC_ENOMEM)
        return code;
    if (code == DC_EOCR || code == DC_ETIMEOUT || code == DC_EMEMORY || code == DC_ERROR ||
        code == DC_ECRASH)
        return reply_error(reply, 500, "InternalServerException", NULL, NULL, c->request_id, "%s",
                           msg);
    return reply_error(reply, 400, "InvalidRequestException", "INVALID_DOCUMENT", detail,
                       c->request_id, "%s", msg);
}

static int answer_bytes(dc_endpoint *ep, const dc_call *c, dc_reply **reply)
{
    dc_extract_options xo = ep->o.extract;
    dc_document *doc = NULL;
    json_t *v = NULL, *classes = NULL, *chars, *types, *errs, *warns;
    size_t i, n, npages;
    int err;

    xo.config = c->config;
    xo.limits = DC_LIMITS_REALTIME;
    xo.no_input_hash = 1;
    err = dc_document_extract_mem(&doc, c->data, c->data_len, "Bytes", &xo);
    if (err < 0) {
        err = extract_error(reply, c, err);
        dc_error_clear();
        return err;
    }
    if (dc_document_refusal_count(doc) > 0) {
        const char *code, *exc, *msg;
        dc_document_refusal(doc, 0, &code, &exc, &msg);
        err = reply_error(reply, strcmp(exc, "InternalServerException") == 0 ? 500 : 400, exc,
                          strcmp(exc, "InvalidRequestException") == 0 ? "INVALID_DOCUMENT" : NULL,
                          strcmp(exc, "InvalidRequestException") == 0 ? code : NULL, c->request_id,
                          "%s", msg);
        goto done;
    }
    npages = dc_document_page_count(doc);
    v = json_object();
    chars = json_array();
    types = json_array();
    errs = json_array();
    warns = json_array();
    if (ep->o.model)
        classes = json_array();
    if (!v || !chars || !types || !errs || !warns || (ep->o.model && !classes)) {
        json_decref(chars);
        json_decref(types);
        json_decref(errs);
        json_decref(warns);
        json_decref(classes);
        err = dc_error_oom();
        goto done;
    }
    n = dc_document_note_count(doc, DC_NOTES_ERRORS);
    for (i = 0; i < n; i++) {
        int page;
        const char *code, *msg;
        dc_document_note(doc, DC_NOTES_ERRORS, i, &page, &code, &msg);
        json_array_append_new(
            errs, json_pack("{s:i,s:s,s:s}", "Page", page, "ErrorCode", code, "ErrorMessage", msg));
    }
    n = dc_document_note_count(doc, DC_NOTES_WARNINGS);
    for (i = 0; i < n; i++) {
        int page;
        const char *code, *msg;
        dc_document_note(doc, DC_NOTES_WARNINGS, i, &page, &code, &msg);
        json_array_append_new(
            warns, json_pack("{s:i,s:s,s:s}", "Page", page, "WarnCode", code, "WarnMessage", msg));
    }
    for (i = 0; i < npages && err >= 0; i++) {
        dc_doctype type;
        dc_extractor ex;
        size_t nch = 0, tl = 0;
        const char *text = dc_document_page_text(doc, i, &tl);
        dc_document_page_info(doc, i, &type, &ex, &nch);
        json_array_append_new(chars,
                              json_pack("{s:i,s:I}", "Page", (int)i + 1, "Count", (json_int_t)nch));
        json_array_append_new(
            types, json_pack("{s:i,s:s}", "Page", (int)i + 1, "Type", dc_doctype_name(type)));
        if (classes && nch <= DC_RT_PAGE_CHARS)
            err = add_classes(classes, ep->o.model, text ? text : "", tl, (int)i + 1);
    }
    if (classes)
        json_object_set_new(v, classes_key(ep->o.model), classes);
    json_object_set_new(
        v, "DocumentMetadata",
        json_pack("{s:I,s:o}", "Pages", (json_int_t)npages, "ExtractedCharacters", chars));
    json_object_set_new(v, "DocumentType", types);
    json_object_set_new(v, "Errors", errs);
    json_object_set_new(v, "Warnings", warns);
    if (err >= 0) {
        err = reply_json(reply, 200, v, c->request_id);
        v = NULL;
    }
done:
    json_decref(v);
    dc_document_free(doc);
    return err;
}

int dc_endpoint_answer(dc_endpoint *ep, const dc_call *call, dc_reply **reply)
{
    *reply = NULL;
    if (!ep || !call)
        return dc_error_set(DC_EINVAL, "no endpoint or no call");
    return call->text ? answer_text(ep, call, reply) : answer_bytes(ep, call, reply);
}

/* ---------------------------------------------------------------- compare */

/* One side of the comparison: status, type, reason; per-page types and counts. */
static json_t *side(const dc_reply *r)
{
    json_t *b = json_loadb(r->body ? r->body : "", r->len, 0, NULL), *v, *types, *chars;
    json_t *a;
    size_t i;

    v = json_pack("{s:i}", "status", r->status);
    if (!v)
        goto done;
    if (r->status != 200) {
        json_object_set_new(v, "type", r->type ? json_string(r->type) : json_null());
        a = json_object_get(json_object_get(b, "Detail"), "Reason");
        json_object_set(v, "reason", a ? a : json_null());
        goto done;
    }
    types = json_array();
    chars = json_array();
    a = json_object_get(b, "DocumentType");
    for (i = 0; types && i < json_array_size(a); i++)
        json_array_append(types, json_object_get(json_array_get(a, i), "Type"));
    a = json_object_get(json_object_get(b, "DocumentMetadata"), "ExtractedCharacters");
    for (i = 0; chars && i < json_array_size(a); i++)
        json_array_append(chars, json_object_get(json_array_get(a, i), "Count"));
    json_object_set_new(v, "document_type", types);
    json_object_set_new(v, "characters", chars);
    a = json_object_get(b, "Errors");
    if (json_array_size(a)) {
        json_t *codes = json_array();
        for (i = 0; codes && i < json_array_size(a); i++)
            json_array_append(codes, json_object_get(json_array_get(a, i), "ErrorCode"));
        json_object_set_new(v, "errors", codes);
    }
done:
    json_decref(b);
    return v;
}

static json_t *agree_chars(json_t *a, json_t *b)
{
    size_t i;

    if (!json_array_size(a) || !json_array_size(b))
        return json_null();
    if (json_array_size(a) != json_array_size(b))
        return json_false();
    for (i = 0; i < json_array_size(a); i++) {
        double x = (double)json_integer_value(json_array_get(a, i));
        double y = (double)json_integer_value(json_array_get(b, i));
        double m = x > y ? x : y;
        if (m > 0 && fabs(x - y) / m > 0.05)
            return json_false();
    }
    return json_true();
}

int dc_reply_compare(char **out,
                     const dc_call *call,
                     const dc_reply *predicted,
                     const dc_reply *service)
{
    json_t *a = side(predicted), *b = side(service), *v;
    int adm;

    *out = NULL;
    if (!a || !b) {
        json_decref(a);
        json_decref(b);
        return dc_error_oom();
    }
    adm = (predicted->status == 200) == (service->status == 200) &&
          (predicted->status == 200 ||
           json_equal(json_object_get(a, "reason"), json_object_get(b, "reason")));
    v = json_pack("{s:s,s:s,s:s,s:I,s:o,s:o}", "request_id",
                  service->request_id[0] ? service->request_id : call->request_id, "arn",
                  call->arn ? call->arn : "", "input", call->data ? "Bytes" : "Text", "bytes",
                  (json_int_t)(call->data ? call->data_len : call->text_len), "docclass", a,
                  "service", b);
    if (v) {
        json_t *ta = json_object_get(a, "document_type"), *tb = json_object_get(b, "document_type");
        json_object_set_new(v, "agree",
                            json_pack("{s:b,s:o,s:o}", "admission", adm, "document_type",
                                      json_array_size(ta) && json_array_size(tb)
                                          ? json_boolean(json_equal(ta, tb))
                                          : json_null(),
                                      "characters",
                                      agree_chars(json_object_get(a, "characters"),
                                                  json_object_get(b, "characters"))));
        *out = dc_json_dumps(v, JSON_COMPACT);
    }
    json_decref(v);
    return *out ? DC_OK : dc_error_oom();
}

/* ---------------------------------------------------------------- transport */

/* The sender's seam answered here: `classify --local` sends what it would
 * send to the service, and this endpoint answers it in process. */
typedef struct {
    dc_transport t;
    dc_endpoint *ep;
} local_transport;

static int local_perform(dc_transport *t, const dc_http_request *req, dc_http_reply *rep)
{
    local_transport *lt = (local_transport *)t;
    dc_http_header hs[16];
    char *copies[16];
    size_t nh = 0, i;
    dc_call *call = NULL;
    dc_reply *r = NULL;
    int err;

    for (i = 0; req->headers && req->headers[i] && nh < 16; i++) {
        char *c = dc_strdup(req->headers[i]), *colon;
        if (!c)
            break;
        colon = strchr(c, ':');
        if (!colon) {
            free(c);
            continue;
        }
        *colon = '\0';
        copies[nh] = c;
        hs[nh].name = c;
        hs[nh].value = colon + 1 + strspn(colon + 1, " ");
        nh++;
    }
    {
        dc_http_call hc = {"POST", "/", NULL, hs, nh, req->body, req->body_len};
        err = dc_endpoint_check(lt->ep, &hc, &call, &r);
    }
    if (err >= 0 && call)
        err = dc_endpoint_answer(lt->ep, call, &r);
    if (err >= 0 && r) {
        rep->status = r->status;
        (void)snprintf(rep->request_id, sizeof(rep->request_id), "%s", r->request_id);
        err = dc_buf_put(&rep->body, r->body, r->len);
    }
    for (i = 0; i < nh; i++)
        free(copies[i]);
    dc_call_free(call);
    dc_reply_free(r);
    return err;
}

static void local_destroy(dc_transport *t)
{
    free(t);
}

int dc_endpoint__transport(dc_transport **out, struct dc_endpoint *ep)
{
    local_transport *lt = calloc(1, sizeof(*lt));

    *out = NULL;
    if (!lt)
        return dc_error_oom();
    lt->t.perform = local_perform;
    lt->t.destroy = local_destroy;
    lt->ep = ep;
    *out = &lt->t;
    return DC_OK;
}
