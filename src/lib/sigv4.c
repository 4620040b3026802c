/*
 * Signing stage: AWS Signature Version 4 over OpenSSL's SHA-256 and HMAC
 * one-shots. Pure: the request, the credentials and the time come in as
 * parameters, the signature goes out in buffers; no I/O, no clock, so the
 * AWS test vectors and the tests' own cases can drive it byte for byte.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "sigv4.h"

#define SIGV4_ALGORITHM "AWS4-HMAC-SHA256"
#define SIGV4_MAX       ((size_t)64 << 20) /* canonical request cap: headers and paths only */

static const char hexdigits[] = "0123456789abcdef";

static void to_hex(char *out, const unsigned char *md, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        out[2 * i] = hexdigits[md[i] >> 4];
        out[2 * i + 1] = hexdigits[md[i] & 15];
    }
    out[2 * n] = '\0';
}

int dc_sigv4__amz_date(char out[DC_SIGV4_DATE_LEN], long long unix_time)
{
    struct tm tm;
    time_t t = (time_t)unix_time;

    if (unix_time < 0 || (long long)t != unix_time || !gmtime_r(&t, &tm) ||
        strftime(out, DC_SIGV4_DATE_LEN, "%Y%m%dT%H%M%SZ", &tm) != DC_SIGV4_DATE_LEN - 1)
        return dc_error_set(DC_EINVAL, "time %lld cannot be written as an X-Amz-Date", unix_time);
    return DC_OK;
}

/* ---------------------------------------------------------------- encoding */

static int unreserved(unsigned char c)
{
    return isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

int dc_sigv4__uri_encode(dc_buf *out, const char *s, size_t len, int keep_slash)
{
    size_t i;
    int err = DC_OK;

    for (i = 0; i < len && err >= 0; i++) {
        unsigned char c = (unsigned char)s[i];
        if (unreserved(c) || (keep_slash && c == '/'))
            err = dc_buf_putc(out, (char)c);
        else
            err = dc_buf_printf(out, "%%%c%c", "0123456789ABCDEF"[c >> 4],
                                "0123456789ABCDEF"[c & 15]);
    }
    return err;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-decode s[0..len) into out, then re-encode it canonically into enc. */
static int reencode(dc_buf *enc, const char *s, size_t len)
{
    dc_buf raw = DC_BUF_INIT;
    size_t i;
    int err = DC_OK;

    dc_buf_init(&raw, SIGV4_MAX);
    for (i = 0; i < len && err >= 0; i++) {
        if (s[i] == '%' && i + 2 < len && hexval((unsigned char)s[i + 1]) >= 0 &&
            hexval((unsigned char)s[i + 2]) >= 0) {
            err = dc_buf_putc(&raw, (char)(hexval((unsigned char)s[i + 1]) * 16 +
                                           hexval((unsigned char)s[i + 2])));
            i += 2;
        } else {
            err = dc_buf_putc(&raw, s[i]);
        }
    }
    if (err >= 0)
        err = dc_sigv4__uri_encode(enc, raw.ptr ? raw.ptr : "", raw.len, 0);
    dc_buf_dispose(&raw);
    return err;
}

/* ---------------------------------------------------------------- path */

/*
 * Canonical URI: dot segments removed and empty segments collapsed (the
 * non-S3 rule the normalize-path vectors test), each segment URI-encoded
 * once, a trailing slash kept.
 */
static int canonical_path(dc_buf *out, const char *path)
{
    size_t n = strlen(path);
    size_t *starts = NULL, *lens = NULL;
    size_t nseg = 0, i = 0;
    int err = DC_OK;

    starts = malloc((n + 1) * sizeof(*starts));
    lens = malloc((n + 1) * sizeof(*lens));
    if (!starts || !lens) {
        err = dc_error_oom();
        goto done;
    }
    while (i < n) {
        size_t j = i;
        while (j < n && path[j] != '/')
            j++;
        if (j - i == 2 && strncmp(path + i, "..", 2) == 0) {
            if (nseg)
                nseg--;
        } else if (j > i && !(j - i == 1 && path[i] == '.')) {
            starts[nseg] = i;
            lens[nseg++] = j - i;
        }
        i = j + 1;
    }
    err = dc_buf_putc(out, '/');
    for (i = 0; i < nseg && err >= 0; i++) {
        err = dc_sigv4__uri_encode(out, path + starts[i], lens[i], 0);
        if (err >= 0 && (i + 1 < nseg || (n && path[n - 1] == '/')))
            err = dc_buf_putc(out, '/');
    }
done:
    free(starts);
    free(lens);
    return err;
}

/* ---------------------------------------------------------------- query */

typedef struct {
    char *key;
    char *value;
} qparam;

static int qparam_cmp(const void *a, const void *b)
{
    const qparam *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : strcmp(x->value, y->value);
}

static int encode_dup(char **out, const char *s, size_t len)
{
    dc_buf b = DC_BUF_INIT;
    int err;

    dc_buf_init(&b, SIGV4_MAX);
    err = reencode(&b, s, len);
    if (err < 0) {
        dc_buf_dispose(&b);
        return err;
    }
    *out = dc_buf_detach(&b, NULL);
    return *out ? DC_OK : dc_error_oom();
}

/* Canonical query: each key and value decoded and re-encoded, sorted by
 * key then value, joined with '&'; a key without '=' gets an empty value. */
static int canonical_query(dc_buf *out, const char *query)
{
    qparam *ps = NULL;
    size_t np = 0, cap = 1, i;
    const char *p = query;
    int err = DC_OK;

    for (i = 0; query && query[i]; i++)
        cap += query[i] == '&';
    ps = calloc(cap, sizeof(*ps));
    if (!ps)
        return dc_error_oom();
    while (p && *p && err >= 0) {
        size_t n = strcspn(p, "&");
        size_t k = strcspn(p, "=&");
        if (n) {
            err = encode_dup(&ps[np].key, p, k);
            if (err >= 0)
                err = k < n ? encode_dup(&ps[np].value, p + k + 1, n - k - 1)
                            : encode_dup(&ps[np].value, "", 0);
            np++;
        }
        p += n + (p[n] == '&');
    }
    if (err >= 0)
        qsort(ps, np, sizeof(*ps), qparam_cmp);
    for (i = 0; i < np && err >= 0; i++)
        err = dc_buf_printf(out, "%s%s=%s", i ? "&" : "", ps[i].key, ps[i].value);
    for (i = 0; i < np; i++) {
        free(ps[i].key);
        free(ps[i].value);
    }
    free(ps);
    return err;
}

/* ---------------------------------------------------------------- headers */

typedef struct {
    char *name;  /* lowercase */
    char *value; /* trimmed, inner whitespace runs folded to one space */
    size_t order;
} cheader;

static int cheader_cmp(const void *a, const void *b)
{
    const cheader *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c)
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

static char *lower_dup(const char *s)
{
    char *d = dc_strdup(s);
    char *p;

    for (p = d; p && *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return d;
}

/* Trim and fold whitespace (spaces, tabs, line breaks of folded lines). */
static char *fold_dup(const char *s)
{
    char *d = malloc(strlen(s) + 1);
    size_t n = 0;
    int space = 0;

    if (!d)
        return NULL;
    for (; *s; s++) {
        if (isspace((unsigned char)*s)) {
            space = n > 0;
            continue;
        }
        if (space)
            d[n++] = ' ';
        space = 0;
        d[n++] = *s;
    }
    d[n] = '\0';
    return d;
}

static int canonical_headers(dc_buf *out, dc_buf *signed_headers, const dc_sigv4_request *r)
{
    cheader *hs = NULL;
    size_t i;
    int err = DC_OK;

    hs = calloc(r->nheaders ? r->nheaders : 1, sizeof(*hs));
    if (!hs)
        return dc_error_oom();
    for (i = 0; i < r->nheaders; i++) {
        hs[i].name = lower_dup(r->headers[i].name);
        hs[i].value = fold_dup(r->headers[i].value);
        hs[i].order = i;
        if (!hs[i].name || !hs[i].value)
            err = dc_error_oom();
    }
    if (err >= 0)
        qsort(hs, r->nheaders, sizeof(*hs), cheader_cmp);
    for (i = 0; i < r->nheaders && err >= 0; i++) {
        int same = i > 0 && strcmp(hs[i].name, hs[i - 1].name) == 0;
        if (same)
            err = dc_buf_printf(out, ",%s", hs[i].value);
        else
            err = dc_buf_printf(out, "%s%s:%s", i ? "\n" : "", hs[i].name, hs[i].value);
        if (err >= 0 && !same)
            err = dc_buf_printf(signed_headers, "%s%s", i ? ";" : "", hs[i].name);
    }
    if (err >= 0 && r->nheaders)
        err = dc_buf_putc(out, '\n');
    for (i = 0; i < r->nheaders; i++) {
        free(hs[i].name);
        free(hs[i].value);
    }
    free(hs);
    return err;
}

/* ---------------------------------------------------------------- signing */

int dc_sigv4__canonical_request(dc_buf *out, dc_buf *signed_headers, const dc_sigv4_request *r)
{
    char payload[65];
    int err;

    err = dc_sha256_hex(payload, r->body, r->body_len);
    if (err >= 0)
        err = dc_buf_printf(out, "%s\n", r->method);
    if (err >= 0)
        err = canonical_path(out, r->path && r->path[0] ? r->path : "/");
    if (err >= 0)
        err = dc_buf_putc(out, '\n');
    if (err >= 0)
        err = canonical_query(out, r->query);
    if (err >= 0)
        err = dc_buf_putc(out, '\n');
    if (err >= 0)
        err = canonical_headers(out, signed_headers, r);
    if (err >= 0)
        err =
            dc_buf_printf(out, "\n%s\n%s", signed_headers->ptr ? signed_headers->ptr : "", payload);
    if (err == DC_ELIMIT)
        err = dc_error_set(DC_ELIMIT, "request too large to sign");
    return err;
}

static int hmac(unsigned char out[32], const void *key, size_t keylen, const char *msg)
{
    return dc_hmac_sha256(out, key, keylen, msg, strlen(msg));
}

/* kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service),
 * "aws4_request"); the signature is HMAC(kSigning, string to sign) in hex. */
static int signature(char out[65], const dc_sigv4_params *p, const char *date8, const char *sts)
{
    unsigned char k[32];
    dc_buf secret = DC_BUF_INIT;
    int err;

    dc_buf_init(&secret, 4096);
    err = dc_buf_printf(&secret, "AWS4%s", p->secret_key);
    if (err >= 0)
        err = hmac(k, secret.ptr, secret.len, date8);
    if (err >= 0)
        err = hmac(k, k, sizeof(k), p->region);
    if (err >= 0)
        err = hmac(k, k, sizeof(k), p->service);
    if (err >= 0)
        err = hmac(k, k, sizeof(k), "aws4_request");
    if (err >= 0)
        err = hmac(k, k, sizeof(k), sts);
    if (err >= 0)
        to_hex(out, k, sizeof(k));
    dc_cleanse(k, sizeof(k));
    if (secret.ptr)
        dc_cleanse(secret.ptr, secret.len);
    dc_buf_dispose(&secret);
    if (err == DC_ELIMIT)
        err = dc_error_set(DC_EINVAL, "secret access key too long");
    return err;
}

void dc_sigv4__result_dispose(dc_sigv4_result *res)
{
    dc_buf_dispose(&res->canonical_request);
    dc_buf_dispose(&res->string_to_sign);
    dc_buf_dispose(&res->signed_headers);
    dc_buf_dispose(&res->authorization);
}

int dc_sigv4__sign(dc_sigv4_result *res, const dc_sigv4_request *r, const dc_sigv4_params *p)
{
    char date8[9];
    char creq_hash[65];
    int err;

    memset(res, 0, sizeof(*res));
    dc_buf_init(&res->canonical_request, SIGV4_MAX);
    dc_buf_init(&res->string_to_sign, 4096);
    dc_buf_init(&res->signed_headers, 65536);
    dc_buf_init(&res->authorization, 65536 + 1024);
    if (!p->amz_date || strlen(p->amz_date) != DC_SIGV4_DATE_LEN - 1)
        return dc_error_set(DC_EINVAL, "X-Amz-Date must be YYYYMMDDTHHMMSSZ");
    memcpy(date8, p->amz_date, 8);
    date8[8] = '\0';
    err = dc_sigv4__canonical_request(&res->canonical_request, &res->signed_headers, r);
    if (err >= 0)
        err = dc_sha256_hex(creq_hash, res->canonical_request.ptr, res->canonical_request.len);
    if (err >= 0)
        err = dc_buf_printf(&res->string_to_sign, SIGV4_ALGORITHM "\n%s\n%s/%s/%s/aws4_request\n%s",
                            p->amz_date, date8, p->region, p->service, creq_hash);
    if (err >= 0)
        err = signature(res->signature, p, date8, res->string_to_sign.ptr);
    if (err >= 0)
        err = dc_buf_printf(&res->authorization,
                            SIGV4_ALGORITHM " Credential=%s/%s/%s/%s/aws4_request, "
                                            "SignedHeaders=%s, Signature=%s",
                            p->access_key, date8, p->region, p->service, res->signed_headers.ptr,
                            res->signature);
    if (err == DC_ELIMIT)
        err = dc_error_set(DC_EINVAL, "credential scope too long");
    return err;
}
