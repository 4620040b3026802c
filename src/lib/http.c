/*
 * Transport stage: HTTP POST over libcurl behind the dc_transport vtable.
 * One CURL handle lives as long as the transport, so its connection cache
 * keeps the connection open across pages and files. Connect and total
 * timeouts, TLS verification (a CA bundle may be named), a capped response
 * body, and the headers the sender needs (x-amzn-RequestId, Retry-After,
 * x-amzn-ErrorType) captured.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "send_int.h"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static int curl_failed;

/* curl_global_init once per process, before the first handle. */
static void init_curl(void)
{
    curl_failed = curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK;
}

static int curl_available(void)
{
    (void)pthread_once(&curl_once, init_curl);
    if (curl_failed)
        return dc_error_set(DC_ENET, "libcurl could not be initialised");
    return DC_OK;
}

typedef struct {
    dc_transport base;
    CURL *curl;
    char *ca_bundle;
    int verify_tls;
    long connect_ms;
    long timeout_ms;
    char errbuf[CURL_ERROR_SIZE];
} curl_transport;

void dc_http__reply_init(dc_http_reply *rep)
{
    memset(rep, 0, sizeof(*rep));
    dc_buf_init(&rep->body, DC_HTTP_BODY_MAX);
    rep->retry_after = -1;
}

void dc_http__reply_dispose(dc_http_reply *rep)
{
    dc_buf_dispose(&rep->body);
}

static size_t on_body(char *data, size_t size, size_t n, void *userdata)
{
    dc_http_reply *rep = userdata;

    if (dc_buf_put(&rep->body, data, size * n) < 0)
        return 0; /* over the cap: curl stops with CURLE_WRITE_ERROR */
    return size * n;
}

/* Copy a header value (trimmed) into dst when the line's name is @p name. */
static int header_value(char *dst, size_t size, const char *line, size_t len, const char *name)
{
    size_t n = strlen(name), end;

    if (len <= n || strncasecmp(line, name, n) != 0 || line[n] != ':')
        return 0;
    line += n + 1;
    len -= n + 1;
    while (len && isspace((unsigned char)*line)) {
        line++;
        len--;
    }
    end = len;
    while (end && isspace((unsigned char)line[end - 1]))
        end--;
    if (end >= size)
        end = size - 1;
    memcpy(dst, line, end);
    dst[end] = '\0';
    return 1;
}

static size_t on_header(char *data, size_t size, size_t n, void *userdata)
{
    dc_http_reply *rep = userdata;
    size_t len = size * n;
    char v[64];

    if (len > 5 && strncmp(data, "HTTP/", 5) == 0) {
        /* a new response (after a 100 Continue or a redirect): start over */
        rep->request_id[0] = rep->error_type[0] = '\0';
        rep->retry_after = -1;
        return len;
    }
    if (header_value(v, sizeof(v), data, len, "Retry-After")) {
        char *end = NULL;
        double s = strtod(v, &end);
        if (end != v && *end == '\0' && s >= 0)
            rep->retry_after = s;
    }
    if (!header_value(rep->request_id, sizeof(rep->request_id), data, len, "x-amzn-RequestId"))
        (void)header_value(rep->request_id, sizeof(rep->request_id), data, len, "x-amz-request-id");
    (void)header_value(rep->error_type, sizeof(rep->error_type), data, len, "x-amzn-ErrorType");
    return len;
}

/* Failures worth another attempt: the server was not reached, went away,
 * or was too slow. A refused certificate or a bad URL is not. */
static int retryable(CURLcode rc)
{
    switch (rc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
        return 1;
    default:
        return 0;
    }
}

static int
setup(curl_transport *t, const dc_http_request *req, dc_http_reply *rep, struct curl_slist *headers)
{
    CURL *c = t->curl;
    CURLcode rc = CURLE_OK;

#define SET(opt, val)                           \
    do {                                        \
        if (rc == CURLE_OK)                     \
            rc = curl_easy_setopt(c, opt, val); \
    } while (0)
    SET(CURLOPT_URL, req->url);
    if (req->method && strcmp(req->method, "GET") == 0) {
        SET(CURLOPT_CUSTOMREQUEST, NULL);
        SET(CURLOPT_HTTPGET, 1L);
    } else {
        SET(CURLOPT_CUSTOMREQUEST, req->method && strcmp(req->method, "PUT") == 0 ? "PUT" : NULL);
        SET(CURLOPT_POST, 1L);
        SET(CURLOPT_POSTFIELDS, req->body ? req->body : "");
        SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
    }
    SET(CURLOPT_HTTPHEADER, headers);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, rep);
    SET(CURLOPT_HEADERFUNCTION, on_header);
    SET(CURLOPT_HEADERDATA, rep);
    SET(CURLOPT_ERRORBUFFER, t->errbuf);
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_CONNECTTIMEOUT_MS, t->connect_ms);
    SET(CURLOPT_TIMEOUT_MS, t->timeout_ms);
    SET(CURLOPT_USERAGENT, "docclass/" DC_VERSION_STRING);
    SET(CURLOPT_SSL_VERIFYPEER, t->verify_tls ? 1L : 0L);
    SET(CURLOPT_SSL_VERIFYHOST, t->verify_tls ? 2L : 0L);
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
    if (t->ca_bundle)
        SET(CURLOPT_CAINFO, t->ca_bundle);
#undef SET
    if (rc != CURLE_OK)
        return dc_error_set(DC_ENET, "HTTP setup failed: %s", curl_easy_strerror(rc));
    return DC_OK;
}

static int build_headers(struct curl_slist **out, const dc_http_request *req)
{
    struct curl_slist *list = NULL, *next;
    size_t i;

    *out = NULL;
    for (i = 0; req->headers[i]; i++) {
        next = curl_slist_append(list, req->headers[i]);
        if (!next)
            goto oom;
        list = next;
    }
    /* no "Expect: 100-continue" round trip, no Accept header of curl's own */
    next = curl_slist_append(list, "Expect:");
    if (!next)
        goto oom;
    list = next;
    next = curl_slist_append(list, "Accept:");
    if (!next)
        goto oom;
    *out = next;
    return DC_OK;
oom:
    curl_slist_free_all(list);
    return dc_error_oom();
}

static int curl_perform(dc_transport *base, const dc_http_request *req, dc_http_reply *rep)
{
    curl_transport *t = (curl_transport *)base;
    struct curl_slist *headers = NULL;
    CURLcode rc;
    long status = 0;
    int err;

    t->errbuf[0] = '\0';
    err = build_headers(&headers, req);
    if (err >= 0)
        err = setup(t, req, rep, headers);
    if (err < 0)
        goto done;
    rc = curl_easy_perform(t->curl);
    if (rc == CURLE_WRITE_ERROR && rep->body.len >= DC_HTTP_BODY_MAX - 65536) {
        err = dc_error_set(DC_ENET, "response larger than %zu bytes", DC_HTTP_BODY_MAX);
    } else if (rc != CURLE_OK) {
        rep->retryable = retryable(rc);
        err = dc_error_set(DC_ENET, "%s", t->errbuf[0] ? t->errbuf : curl_easy_strerror(rc));
    } else {
        (void)curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
        rep->status = status;
    }
done:
    /* the list must not outlive this call: the handle keeps a pointer to it */
    (void)curl_easy_setopt(t->curl, CURLOPT_HTTPHEADER, NULL);
    curl_slist_free_all(headers);
    return err;
}

static void curl_destroy(dc_transport *base)
{
    curl_transport *t = (curl_transport *)base;

    if (!t)
        return;
    curl_easy_cleanup(t->curl);
    free(t->ca_bundle);
    free(t);
}

int dc_http__curl_new(dc_transport **out, const dc_http_options *o)
{
    curl_transport *t = NULL;
    int err = curl_available();

    *out = NULL;
    if (err < 0)
        return err;
    t = calloc(1, sizeof(*t));
    if (!t)
        return dc_error_oom();
    t->base.perform = curl_perform;
    t->base.destroy = curl_destroy;
    t->curl = curl_easy_init();
    t->verify_tls = o->verify_tls;
    t->connect_ms = (long)(o->connect_timeout * 1000.0);
    t->timeout_ms = (long)(o->timeout * 1000.0);
    if (o->ca_bundle && *o->ca_bundle)
        t->ca_bundle = dc_strdup(o->ca_bundle);
    if (!t->curl || (o->ca_bundle && *o->ca_bundle && !t->ca_bundle)) {
        curl_destroy(&t->base);
        return dc_error_set(DC_ENET, "cannot create an HTTP handle");
    }
    *out = &t->base;
    return DC_OK;
}
