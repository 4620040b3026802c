/*
 * Credential providers that ask something else: STS (AssumeRole, signed
 * with the source credentials, and AssumeRoleWithWebIdentity, unsigned),
 * the container credentials endpoint (ECS, Batch, EKS Pod Identity), EC2
 * instance metadata (IMDSv2), IAM Identity Center (SSO) from the token
 * cache `aws sso login` writes, and credential_process. creds.c decides
 * which one runs (the chain); each function here fetches one set of
 * credentials or says in one line why it could not. No message names a
 * secret or a token.
 */
#define _GNU_SOURCE /* timegm */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "send_int.h"
#include "sigv4.h"

extern char **environ;

#define REPLY_MAX      ((size_t)256 << 10) /* a credentials answer is small */
#define PROCESS_MAX    ((size_t)64 << 10)  /* credential_process output */
#define PROCESS_SECS   60                  /* credential_process may take this long */
#define IMDS_TTL       "21600"
#define STS_VERSION    "2011-06-15"
#define CONTAINER_HOST "http://169.254.170.2"
#define IMDS_HOST      "http://169.254.169.254"

void dc_cred_vals__dispose(dc_cred_vals *v)
{
    if (!v)
        return;
    if (v->secret)
        dc_cleanse(v->secret, strlen(v->secret));
    if (v->token)
        dc_cleanse(v->token, strlen(v->token));
    free(v->key);
    free(v->secret);
    free(v->token);
    memset(v, 0, sizeof(*v));
}

static int vals_set(dc_cred_vals *v, const char *key, const char *secret, const char *token)
{
    v->key = dc_strdup(key);
    v->secret = dc_strdup(secret);
    v->token = token && *token ? dc_strdup(token) : NULL;
    if (!v->key || !v->secret || (token && *token && !v->token)) {
        dc_cred_vals__dispose(v);
        return dc_error_oom();
    }
    return DC_OK;
}

/* ISO 8601 UTC ("2026-12-01T06:00:00Z", fractions and "+00:00" allowed)
 * to Unix time; -1 when it does not parse. */
long long dc_creds__parse_time(const char *s)
{
    struct tm tm;
    int y, mo, d, h, mi, sec, n = 0;
    const char *p;
    long off = 0;
    time_t t;

    if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6)
        return -1;
    p = s + n;
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++)
            ;
    if ((*p == '+' || *p == '-') && strlen(p) >= 6 && p[3] == ':') {
        off = ((p[1] - '0') * 10 + (p[2] - '0')) * 3600L + ((p[4] - '0') * 10 + (p[5] - '0')) * 60L;
        if (*p == '-')
            off = -off;
    } else if (*p != 'Z' && *p != '\0') {
        return -1;
    }
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    t = timegm(&tm);
    return t == (time_t)-1 ? -1 : (long long)t - off;
}

/* ---------------------------------------------------------------- HTTP */

typedef struct {
    const char *method; /* GET, PUT, POST */
    const char *url;
    const char *const *headers;
    const char *body;
    size_t len;
    double timeout; /* seconds, connect and whole */
} call;

static int http(const call *c, dc_http_reply *rep, const char *who)
{
    dc_transport *t = NULL;
    dc_http_options ho = {getenv("AWS_CA_BUNDLE"), 1, c->timeout, c->timeout};
    dc_http_request req = {c->url, c->headers, c->body ? c->body : "", c->len, c->method};
    int err;

    dc_http__reply_init(rep);
    rep->body.max = REPLY_MAX;
    err = dc_http__curl_new(&t, &ho);
    if (err >= 0)
        err = t->perform(t, &req, rep);
    if (t)
        t->destroy(t);
    if (err < 0)
        return dc_error_prefix(err, "%s: %s", who, c->url);
    return DC_OK;
}

/* Host header and path of an http(s) URL. */
static int url_parts(const char *url, char *host, size_t hsize, char *path, size_t psize)
{
    const char *a = strstr(url, "://");
    size_t n;

    if (!a || (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0))
        return dc_error_set(DC_EINVAL, "'%s' is not an http(s) URL", url);
    a += 3;
    n = strcspn(a, "/?#");
    if (n == 0 || n >= hsize)
        return dc_error_set(DC_EINVAL, "'%s' has no usable host", url);
    memcpy(host, a, n);
    host[n] = '\0';
    (void)snprintf(path, psize, "%.*s", a[n] == '/' ? (int)strcspn(a + n, "?#") : 1,
                   a[n] == '/' ? a + n : "/");
    return DC_OK;
}

/* Credentials from the JSON members the container endpoint, IMDS and
 * credential_process use (AccessKeyId, SecretAccessKey, Token or
 * SessionToken, Expiration). */
static int from_json(dc_cred_vals *out, json_t *o, const char *who)
{
    const char *key = json_string_value(json_object_get(o, "AccessKeyId"));
    const char *secret = json_string_value(json_object_get(o, "SecretAccessKey"));
    const char *token = json_string_value(json_object_get(o, "Token"));
    const char *exp = json_string_value(json_object_get(o, "Expiration"));
    int err;

    if (!token)
        token = json_string_value(json_object_get(o, "SessionToken"));
    if (!key || !*key || !secret || !*secret)
        return dc_error_set(DC_ECONFIG, "%s: the answer has no AccessKeyId and SecretAccessKey",
                            who);
    err = vals_set(out, key, secret, token);
    if (err < 0)
        return err;
    if (exp && (out->expires = dc_creds__parse_time(exp)) < 0) {
        dc_cred_vals__dispose(out);
        return dc_error_set(DC_ECONFIG, "%s: Expiration '%.40s' is not an ISO 8601 time", who, exp);
    }
    return DC_OK;
}

static int bad_status(const dc_http_reply *rep, const char *who, const char *url)
{
    return dc_error_set(DC_ECONFIG, "%s: %s answered HTTP %ld: %.200s", who, url, rep->status,
                        rep->body.len ? rep->body.ptr : "(empty)");
}

/* ---------------------------------------------------------------- STS */

static const xmlNode *xml_find(const xmlNode *n, const char *name)
{
    for (; n; n = n->next) {
        const xmlNode *hit;
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0)
            return n;
        hit = xml_find(n->children, name);
        if (hit)
            return hit;
    }
    return NULL;
}

/* The text of the first element called name, or NULL; free with xmlFree. */
static char *xml_text(xmlDoc *doc, const char *name)
{
    const xmlNode *n = xml_find(xmlDocGetRootElement(doc), name);
    return n ? (char *)xmlNodeGetContent(n) : NULL;
}

static void xml_free_secret(char *s)
{
    if (s) {
        dc_cleanse(s, strlen(s));
        xmlFree(s);
    }
}

/* Parse an STS answer: Credentials on 200, Error/Code and Message else. */
static int sts_reply(dc_cred_vals *out, const dc_http_reply *rep, const char *who)
{
    xmlDoc *doc = NULL;
    char *key = NULL, *secret = NULL, *token = NULL, *exp = NULL;
    int err = DC_OK;

    doc = rep->body.len && rep->body.len < INT32_MAX
              ? xmlReadMemory(rep->body.ptr, (int)rep->body.len, NULL, NULL,
                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)
              : NULL;
    if (!doc) {
        err = dc_error_set(DC_ECONFIG, "%s: STS answered HTTP %ld without XML", who, rep->status);
        goto done;
    }
    if (rep->status != 200) {
        char *code = xml_text(doc, "Code"), *msg = xml_text(doc, "Message");
        err = dc_error_set(DC_ECONFIG, "%s: STS answered HTTP %ld %s: %.200s", who, rep->status,
                           code ? code : "(no code)", msg ? msg : "");
        xmlFree(code);
        xmlFree(msg);
        goto done;
    }
    key = xml_text(doc, "AccessKeyId");
    secret = xml_text(doc, "SecretAccessKey");
    token = xml_text(doc, "SessionToken");
    exp = xml_text(doc, "Expiration");
    if (!key || !secret || !*key || !*secret) {
        err = dc_error_set(DC_ECONFIG, "%s: STS's answer has no Credentials", who);
        goto done;
    }
    err = vals_set(out, key, secret, token);
    if (err >= 0 && exp && (out->expires = dc_creds__parse_time(exp)) < 0) {
        dc_cred_vals__dispose(out);
        err = dc_error_set(DC_ECONFIG, "%s: STS's Expiration '%.40s' does not parse", who, exp);
    }
done:
    xmlFree(key);
    xml_free_secret(secret);
    xml_free_secret(token);
    xmlFree(exp);
    xmlFreeDoc(doc);
    return err;
}

/* The STS endpoint: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, else the
 * regional one when a region is known (what the SDKs now default to),
 * else the global one; the signing region goes to sign_region. */
static int sts_url(dc_buf *url, char *sign_region, size_t size, const char *region)
{
    const char *u = getenv("AWS_ENDPOINT_URL_STS");

    if (!u || !*u)
        u = getenv("AWS_ENDPOINT_URL");
    (void)snprintf(sign_region, size, "%s", region && *region ? region : "us-east-1");
    if (u && *u)
        return dc_buf_puts(url, u);
    if (region && *region) {
        const char *suffix = strncmp(region, "cn-", 3) == 0 ? "amazonaws.com.cn" : "amazonaws.com";
        return dc_buf_printf(url, "https://sts.%s.%s", region, suffix);
    }
    return dc_buf_puts(url, "https://sts.amazonaws.com");
}

static int form_add(dc_buf *b, const char *name, const char *value)
{
    int err = dc_buf_printf(b, "%s%s=", b->len ? "&" : "", name);

    if (err >= 0)
        err = dc_sigv4__uri_encode(b, value, strlen(value), 0);
    return err;
}

/* POST a form to STS, signed with src when it is given. */
static int sts_post(dc_cred_vals *out,
                    const dc_cred_vals *src,
                    const dc_buf *form,
                    const char *region,
                    const char *who)
{
    dc_buf url = DC_BUF_INIT, lines = DC_BUF_INIT;
    dc_http_reply rep;
    dc_sigv4_result sig;
    char sign_region[DC_REGION_MAX], host[256], path[512], date[DC_SIGV4_DATE_LEN];
    const char *hdrs[6];
    size_t off[5], n = 0, i;
    int err, signed_ = 0;

    dc_http__reply_init(&rep);
    memset(&sig, 0, sizeof(sig));
    dc_buf_init(&url, 2048);
    dc_buf_init(&lines, 64 << 10);
    err = sts_url(&url, sign_region, sizeof(sign_region), region);
    if (err >= 0)
        err = url_parts(url.ptr, host, sizeof(host), path, sizeof(path));
    if (err >= 0)
        err = dc_sigv4__amz_date(date, (long long)time(NULL));
    if (err < 0)
        goto done;
#define LINE(...)                                     \
    do {                                              \
        off[n++] = lines.len;                         \
        if (err >= 0)                                 \
            err = dc_buf_printf(&lines, __VA_ARGS__); \
        if (err >= 0)                                 \
            err = dc_buf_put(&lines, "", 1);          \
    } while (0)
    LINE("Content-Type: application/x-www-form-urlencoded; charset=utf-8");
    LINE("X-Amz-Date: %s", date);
    if (src) {
        dc_sigv4_header h[5];
        size_t nh = 0;
        h[nh++] = (dc_sigv4_header){"Host", host};
        h[nh++] =
            (dc_sigv4_header){"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"};
        h[nh++] = (dc_sigv4_header){"X-Amz-Date", date};
        if (src->token)
            h[nh++] = (dc_sigv4_header){"X-Amz-Security-Token", src->token};
        {
            dc_sigv4_request r = {"POST", path, NULL, h, nh, form->ptr, form->len};
            dc_sigv4_params p = {src->key, src->secret, sign_region, "sts", date};
            if (err >= 0)
                err = dc_sigv4__sign(&sig, &r, &p);
            signed_ = err >= 0;
        }
        if (src->token)
            LINE("X-Amz-Security-Token: %s", src->token);
        if (signed_)
            LINE("Authorization: %s", sig.authorization.ptr);
    }
#undef LINE
    if (err < 0)
        goto done;
    for (i = 0; i < n; i++)
        hdrs[i] = lines.ptr + off[i];
    hdrs[n] = NULL;
    {
        call c = {"POST", url.ptr, hdrs, form->ptr, form->len, 10};
        err = http(&c, &rep, who);
    }
    if (err >= 0)
        err = sts_reply(out, &rep, who);
done:
    if (signed_)
        dc_sigv4__result_dispose(&sig);
    dc_cleanse(lines.ptr, lines.len);
    dc_buf_dispose(&lines);
    dc_buf_dispose(&url);
    dc_http__reply_dispose(&rep);
    return err;
}

/* Action, Version, RoleArn and RoleSessionName of an STS form. */
static int role_form(dc_buf *form, const char *action, const dc_role *role)
{
    int err = form_add(form, "Action", action);

    if (err >= 0)
        err = form_add(form, "Version", STS_VERSION);
    if (err >= 0)
        err = form_add(form, "RoleArn", role->arn);
    if (err >= 0)
        err = form_add(form, "RoleSessionName", role->session);
    return err;
}

int dc_creds__assume_role(dc_cred_vals *out,
                          const dc_cred_vals *src,
                          const dc_role *role,
                          const char *who)
{
    dc_buf form = DC_BUF_INIT;
    int err;

    dc_buf_init(&form, 64 << 10);
    err = role_form(&form, "AssumeRole", role);
    if (err >= 0 && role->external_id)
        err = form_add(&form, "ExternalId", role->external_id);
    if (err >= 0 && role->duration > 0)
        err = dc_buf_printf(&form, "&DurationSeconds=%d", role->duration);
    if (err >= 0)
        err = sts_post(out, src, &form, role->region, who);
    dc_buf_dispose(&form);
    return err;
}

int dc_creds__web_identity(dc_cred_vals *out,
                           const dc_role *role,
                           const char *token_file,
                           const char *who)
{
    dc_buf form = DC_BUF_INIT;
    char *token = NULL;
    size_t len = 0;
    int err = dc_read_file(&token, &len, token_file, 64 << 10);

    if (err < 0) /* a credentials problem (exit 3), whatever the file's */
        return err == DC_ENOMEM ? err
                                : dc_error_prefix(DC_ECONFIG, "%s: token file %s", who, token_file);
    while (len && (token[len - 1] == '\n' || token[len - 1] == '\r' || token[len - 1] == ' '))
        token[--len] = '\0';
    dc_buf_init(&form, 128 << 10);
    err = role_form(&form, "AssumeRoleWithWebIdentity", role);
    if (err >= 0)
        err = form_add(&form, "WebIdentityToken", token);
    if (err >= 0)
        err = sts_post(out, NULL, &form, role->region, who);
    dc_cleanse(token, len);
    free(token);
    dc_cleanse(form.ptr, form.len);
    dc_buf_dispose(&form);
    return err;
}

/* ---------------------------------------------------------------- container */

/* The full URI must be https, or http to a loopback or the EKS Pod
 * Identity agent's address (as botocore allows). */
static int container_host_allowed(const char *url)
{
    static const char *const ok[] = {"http://127.0.0.1",      "http://localhost",
                                     "http://169.254.170.23", "http://[fd00:ec2::23]",
                                     "http://[::1]",          CONTAINER_HOST};
    size_t i;

    if (strncmp(url, "https://", 8) == 0)
        return 1;
    for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        size_t n = strlen(ok[i]);
        if (strncmp(url, ok[i], n) == 0 && (url[n] == ':' || url[n] == '/' || url[n] == '\0'))
            return 1;
    }
    return 0;
}

int dc_creds__container(dc_cred_vals *out, char *source, size_t size)
{
    const char *rel = getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    const char *full = getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    const char *tok = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    const char *tok_file = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    dc_buf url = DC_BUF_INIT, auth = DC_BUF_INIT;
    dc_http_reply rep;
    json_t *o = NULL;
    const char *hdrs[2] = {NULL, NULL};
    char *filetok = NULL;
    size_t len = 0;
    int err, attempt;

    dc_http__reply_init(&rep);
    dc_buf_init(&url, 4096);
    dc_buf_init(&auth, 16 << 10);
    if (rel && *rel)
        err = dc_buf_printf(&url, "%s%s", CONTAINER_HOST, rel);
    else
        err = dc_buf_puts(&url, full);
    if (err < 0)
        goto done;
    (void)snprintf(source, size, "container credentials (%s)", url.ptr);
    if (!(rel && *rel) && !container_host_allowed(url.ptr)) {
        err = dc_error_set(DC_ECONFIG,
                           "container credentials: AWS_CONTAINER_CREDENTIALS_FULL_URI %s is "
                           "neither https nor a loopback or container agent address",
                           url.ptr);
        goto done;
    }
    if (tok_file && *tok_file) {
        err = dc_read_file(&filetok, &len, tok_file, 16 << 10);
        if (err < 0) {
            if (err != DC_ENOMEM)
                err = dc_error_prefix(DC_ECONFIG,
                                      "container credentials: "
                                      "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE %s",
                                      tok_file);
            goto done;
        }
        while (len && (filetok[len - 1] == '\n' || filetok[len - 1] == '\r'))
            filetok[--len] = '\0';
        tok = filetok;
    }
    if (tok && *tok) {
        if (strpbrk(tok, "\r\n")) {
            err = dc_error_set(DC_ECONFIG, "container credentials: the authorization token "
                                           "holds a line break");
            goto done;
        }
        err = dc_buf_printf(&auth, "Authorization: %s", tok);
        if (err < 0)
            goto done;
        hdrs[0] = auth.ptr;
    }
    for (attempt = 0; attempt < 3; attempt++) { /* botocore: 3 attempts of 2 s */
        call c = {"GET", url.ptr, hdrs, NULL, 0, 2};
        dc_http__reply_dispose(&rep);
        err = http(&c, &rep, "container credentials");
        if (err >= 0 && rep.status < 500)
            break;
    }
    if (err < 0)
        goto done;
    if (rep.status != 200) {
        err = bad_status(&rep, "container credentials", url.ptr);
        goto done;
    }
    o = json_loadb(rep.body.ptr, rep.body.len, 0, NULL);
    err = o ? from_json(out, o, "container credentials")
            : dc_error_set(DC_ECONFIG, "container credentials: the answer is not JSON");
done:
    if (rep.body.ptr)
        dc_cleanse(rep.body.ptr, rep.body.len);
    json_decref(o);
    if (filetok) {
        dc_cleanse(filetok, len);
        free(filetok);
    }
    dc_cleanse(auth.ptr, auth.len);
    dc_buf_dispose(&auth);
    dc_buf_dispose(&url);
    dc_http__reply_dispose(&rep);
    return err;
}

/* ---------------------------------------------------------------- IMDS */

/* One IMDS request: 1 when it could not be made or was not answered
 * with a 200 (why says so), 0 with the answer in rep. */
static int imds_get(const char *method,
                    const dc_buf *url,
                    const char *const *hdrs,
                    dc_http_reply *rep,
                    char *why,
                    size_t wsize)
{
    call c = {method, url->ptr, hdrs, NULL, 0, 1};

    dc_http__reply_dispose(rep);
    if (http(&c, rep, "EC2 instance metadata") < 0) {
        if (dc_error_last()->code == DC_ENOMEM)
            return DC_ENOMEM;
        (void)snprintf(why, wsize, "%s", dc_error_last()->message);
        dc_error_clear();
        return 1;
    }
    if (rep->status != 200 || !rep->body.len) {
        (void)snprintf(why, wsize, "EC2 instance metadata: %s answered HTTP %ld", url->ptr,
                       rep->status);
        return 1;
    }
    return 0;
}

int dc_creds__imds(dc_cred_vals *out, char *source, size_t size, char *why, size_t wsize)
{
    const char *base = getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT");
    dc_buf url = DC_BUF_INIT, th = DC_BUF_INIT;
    dc_http_reply rep;
    json_t *o = NULL;
    char role[256] = "";
    const char *hdrs[2] = {NULL, NULL};
    const char *ttl[2] = {"X-aws-ec2-metadata-token-ttl-seconds: " IMDS_TTL, NULL};
    const char *code;
    size_t blen;
    int r;

    if (!base || !*base)
        base = IMDS_HOST;
    blen = strlen(base);
    while (blen && base[blen - 1] == '/')
        blen--;
    dc_http__reply_init(&rep);
    dc_buf_init(&url, 4096);
    dc_buf_init(&th, 4096);
    (void)snprintf(source, size, "EC2 instance metadata (%.*s)", (int)blen, base);
    /* IMDSv2: a session token first. As in botocore, a 403, 404 or 405
     * means IMDSv1, asked without one; but a metadata service that does not
     * answer at all is not asked again (one timeout, not two). */
    r = dc_buf_printf(&url, "%.*s/latest/api/token", (int)blen, base);
    if (r >= 0)
        r = imds_get("PUT", &url, ttl, &rep, why, wsize);
    if (r < 0)
        goto done;
    if (r == 0 && !strpbrk(rep.body.ptr, "\r\n")) {
        r = dc_buf_printf(&th, "X-aws-ec2-metadata-token: %s", rep.body.ptr);
        if (r < 0)
            goto done;
        hdrs[0] = th.ptr;
    } else if (rep.status != 403 && rep.status != 404 && rep.status != 405) {
        r = 1;
        goto done;
    }
    url.len = 0;
    r = dc_buf_printf(&url, "%.*s/latest/meta-data/iam/security-credentials/", (int)blen, base);
    if (r >= 0)
        r = imds_get("GET", &url, hdrs, &rep, why, wsize);
    if (r != 0)
        goto done;
    (void)snprintf(role, sizeof(role), "%.*s", (int)strcspn(rep.body.ptr, "\r\n"), rep.body.ptr);
    url.len = 0;
    r = dc_buf_printf(&url, "%.*s/latest/meta-data/iam/security-credentials/", (int)blen, base);
    if (r >= 0)
        r = dc_sigv4__uri_encode(&url, role, strlen(role), 0);
    if (r >= 0)
        r = imds_get("GET", &url, hdrs, &rep, why, wsize);
    if (r != 0)
        goto done;
    (void)snprintf(source, size, "EC2 instance metadata (%.*s, role %s)", (int)blen, base, role);
    o = json_loadb(rep.body.ptr, rep.body.len, 0, NULL);
    code = json_string_value(json_object_get(o, "Code"));
    if (!o || (code && strcmp(code, "Success") != 0)) {
        (void)snprintf(why, wsize, "EC2 instance metadata: role %s: %s", role,
                       o ? "Code is not Success" : "the answer is not JSON");
        r = 1;
        goto done;
    }
    r = from_json(out, o, "EC2 instance metadata");
    if (r < 0 && r != DC_ENOMEM) { /* quiet, as botocore is about IMDS */
        (void)snprintf(why, wsize, "%s", dc_error_last()->message);
        dc_error_clear();
        r = 1;
    }
done:
    if (rep.body.ptr)
        dc_cleanse(rep.body.ptr, rep.body.len);
    json_decref(o);
    dc_cleanse(th.ptr, th.len);
    dc_buf_dispose(&th);
    dc_buf_dispose(&url);
    dc_http__reply_dispose(&rep);
    return r;
}

/* ---------------------------------------------------------------- SSO */

int dc_creds__sso(dc_cred_vals *out, const dc_sso *sso, const char *who)
{
    const char *home = getenv("HOME");
    const char *ep = getenv("AWS_ENDPOINT_URL_SSO");
    char hash[41], path[1200];
    char *cache = NULL;
    size_t len = 0;
    json_t *c = NULL, *o = NULL;
    const char *tok, *exp;
    long long expires;
    dc_buf url = DC_BUF_INIT, bearer = DC_BUF_INIT;
    dc_http_reply rep;
    const char *hdrs[2] = {NULL, NULL};
    int err;

    dc_http__reply_init(&rep);
    dc_buf_init(&url, 4096);
    dc_buf_init(&bearer, 64 << 10);
    /* the cache file is named by the SHA-1 of the session name (sso-session)
     * or of the start URL (legacy profiles) */
    err = dc_sha1_hex(hash, sso->cache_key, strlen(sso->cache_key));
    if (err < 0)
        goto done;
    (void)snprintf(path, sizeof(path), "%s/.aws/sso/cache/%s.json", home ? home : "", hash);
    err = dc_read_file(&cache, &len, path, 1 << 20);
    if (err < 0) {
        err = dc_error_set(DC_ECONFIG, "%s: no SSO token cached (%s): run 'aws sso login'", who,
                           path);
        goto done;
    }
    c = json_loadb(cache, len, 0, NULL);
    tok = json_string_value(json_object_get(c, "accessToken"));
    exp = json_string_value(json_object_get(c, "expiresAt"));
    if (!tok || !*tok || !exp) {
        err = dc_error_set(DC_ECONFIG, "%s: %s holds no accessToken and expiresAt", who, path);
        goto done;
    }
    expires = dc_creds__parse_time(exp);
    if (expires < 0 || expires <= (long long)time(NULL)) {
        err = dc_error_set(DC_ECONFIG,
                           "%s: the SSO token in %s has expired (%s): run 'aws sso "
                           "login'",
                           who, path, exp);
        goto done;
    }
    if (strpbrk(tok, "\r\n")) {
        err = dc_error_set(DC_ECONFIG, "%s: the cached SSO token holds a line break", who);
        goto done;
    }
    err = dc_buf_printf(&bearer, "x-amz-sso_bearer_token: %s", tok);
    if (err < 0)
        goto done;
    hdrs[0] = bearer.ptr;
    if (ep && *ep)
        err = dc_buf_printf(&url, "%s", ep);
    else
        err = dc_buf_printf(&url, "https://portal.sso.%s.amazonaws.com", sso->region);
    while (err >= 0 && url.len && url.ptr[url.len - 1] == '/')
        url.ptr[--url.len] = '\0';
    if (err >= 0)
        err = dc_buf_puts(&url, "/federation/credentials?role_name=");
    if (err >= 0)
        err = dc_sigv4__uri_encode(&url, sso->role, strlen(sso->role), 0);
    if (err >= 0)
        err = dc_buf_puts(&url, "&account_id=");
    if (err >= 0)
        err = dc_sigv4__uri_encode(&url, sso->account, strlen(sso->account), 0);
    if (err >= 0) {
        call k = {"GET", url.ptr, hdrs, NULL, 0, 10};
        err = http(&k, &rep, who);
    }
    if (err < 0)
        goto done;
    if (rep.status != 200) {
        err = bad_status(&rep, who, "the SSO portal");
        goto done;
    }
    o = json_loadb(rep.body.ptr, rep.body.len, 0, NULL);
    {
        json_t *rc = json_object_get(o, "roleCredentials");
        const char *k = json_string_value(json_object_get(rc, "accessKeyId"));
        const char *s = json_string_value(json_object_get(rc, "secretAccessKey"));
        const char *t = json_string_value(json_object_get(rc, "sessionToken"));
        json_t *e = json_object_get(rc, "expiration");
        if (!k || !s || !*k || !*s) {
            err =
                dc_error_set(DC_ECONFIG, "%s: the SSO portal's answer has no roleCredentials", who);
            goto done;
        }
        err = vals_set(out, k, s, t);
        if (err >= 0 && json_is_integer(e))
            out->expires = (long long)(json_integer_value(e) / 1000); /* milliseconds */
    }
done:
    if (rep.body.ptr)
        dc_cleanse(rep.body.ptr, rep.body.len);
    json_decref(o);
    json_decref(c);
    if (cache) {
        dc_cleanse(cache, len);
        free(cache);
    }
    dc_cleanse(bearer.ptr, bearer.len);
    dc_buf_dispose(&bearer);
    dc_buf_dispose(&url);
    dc_http__reply_dispose(&rep);
    return err;
}

/* ---------------------------------------------------------------- process */

/* Split a command line as POSIX shells do (quotes and backslashes), no
 * expansion; argv points into buf. Returns the number of words or < 0. */
static int split_words(char *buf, char **argv, int max, const char *cmd)
{
    const char *r = cmd;
    char *w = buf;
    int n = 0;

    while (*r) {
        int in = 0;
        while (*r == ' ' || *r == '\t' || *r == '\n')
            r++;
        if (!*r)
            break;
        if (n == max - 1)
            return dc_error_set(DC_ECONFIG, "credential_process has more than %d words", max - 2);
        argv[n++] = w;
        while (*r && (in || (*r != ' ' && *r != '\t' && *r != '\n'))) {
            if (!in && (*r == '\'' || *r == '"')) {
                in = (unsigned char)*r++;
            } else if (in && *r == in) {
                in = 0;
                r++;
            } else if (*r == '\\' && in != '\'' && r[1]) {
                r++;
                *w++ = *r++;
            } else {
                *w++ = *r++;
            }
        }
        if (in)
            return dc_error_set(DC_ECONFIG, "credential_process: unmatched %c quote", in);
        *w++ = '\0';
    }
    argv[n] = NULL;
    return n;
}

/* Start argv with its stdout on a pipe; *fd reads it. */
static int spawn_piped(char **argv, pid_t *pid, int *fd, const char *who)
{
    posix_spawn_file_actions_t fa;
    int fds[2], n;

    *pid = -1;
    *fd = -1;
    if (pipe2(fds, O_CLOEXEC) < 0)
        return dc_error_set(DC_EIO, "%s: pipe: %s", who, strerror(errno));
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    /* stderr goes where ours goes, as the CLI does; stdin stays ours */
    n = posix_spawnp(pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (n != 0) {
        close(fds[0]);
        *pid = -1;
        return dc_error_set(DC_ECONFIG, "%s: cannot run credential_process '%s': %s", who, argv[0],
                            strerror(n));
    }
    *fd = fds[0];
    return DC_OK;
}

/* Everything fd gives until end of file, within PROCESS_SECS. */
static int read_all(int fd, dc_buf *o, const char *who, const char *name)
{
    time_t deadline = time(NULL) + PROCESS_SECS;

    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        char chunk[4096];
        ssize_t got;
        int left = (int)(deadline - time(NULL));
        if (left <= 0 || poll(&p, 1, left * 1000) == 0)
            return dc_error_set(DC_ECONFIG, "%s: credential_process '%s' took more than %d s", who,
                                name, PROCESS_SECS);
        got = read(fd, chunk, sizeof(chunk));
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return DC_OK;
        if (dc_buf_put(o, chunk, (size_t)got) < 0)
            return dc_error_set(DC_ECONFIG, "%s: credential_process wrote more than %zu bytes", who,
                                PROCESS_MAX);
    }
}

/* The credentials of credential_process's JSON (Version 1). */
static int process_json(dc_cred_vals *out, const dc_buf *o, const char *who, const char *name)
{
    json_t *j = o->len ? json_loadb(o->ptr, o->len, 0, NULL) : NULL;
    int err;

    if (!j)
        return dc_error_set(DC_ECONFIG, "%s: credential_process '%s' did not print JSON", who,
                            name);
    if (json_integer_value(json_object_get(j, "Version")) != 1)
        err = dc_error_set(DC_ECONFIG, "%s: credential_process printed Version %lld, not 1", who,
                           (long long)json_integer_value(json_object_get(j, "Version")));
    else
        err = from_json(out, j, who);
    json_decref(j);
    return err;
}

int dc_creds__process(dc_cred_vals *out, const char *command, const char *who)
{
    char *buf = malloc(strlen(command) + 1), *argv[64];
    int fd = -1, status = 0, n, err;
    pid_t pid = -1;
    dc_buf o = DC_BUF_INIT;

    if (!buf)
        return dc_error_oom();
    n = split_words(buf, argv, 64, command);
    if (n <= 0 || !argv[0]) {
        err = n < 0 ? n : dc_error_set(DC_ECONFIG, "%s: credential_process is empty", who);
        free(buf);
        return err;
    }
    dc_buf_init(&o, PROCESS_MAX);
    err = spawn_piped(argv, &pid, &fd, who);
    if (err >= 0)
        err = read_all(fd, &o, who, argv[0]);
    if (pid > 0 && err < 0)
        (void)kill(pid, SIGKILL); /* too slow or too talkative */
    if (pid > 0)
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
    if (err >= 0 && (!WIFEXITED(status) || WEXITSTATUS(status) != 0))
        err = dc_error_set(DC_ECONFIG, "%s: credential_process '%s' failed (%s %d)", who, argv[0],
                           WIFEXITED(status) ? "exit status" : "signal",
                           WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
    if (err >= 0)
        err = process_json(out, &o, who, argv[0]);
    if (fd >= 0)
        close(fd);
    if (o.ptr)
        dc_cleanse(o.ptr, o.len);
    dc_buf_dispose(&o);
    free(buf);
    return err;
}
