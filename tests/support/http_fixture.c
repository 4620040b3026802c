/*
 * Loopback HTTP(S) server for the sender's tests (see http_fixture.h).
 * One thread serves one connection at a time with keep-alive; a new
 * connection replaces the current one. Requests need Content-Length.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "http_fixture.h"
#include "sigv4.h"

#define FX_MAX_REPLIES  16
#define FX_MAX_REQUESTS 256
#define FX_HEAD_MAX     65536
#define FX_BODY_MAX     ((size_t)32 << 20)

struct dc_fx {
    int lfd;
    int stop[2];
    int port;
    pthread_t thread;
    pthread_mutex_t mu;
    char secret[256];
    SSL_CTX *ctx;
    dc_fx_reply replies[FX_MAX_REPLIES];
    size_t nreplies;
    dc_fx_request reqs[FX_MAX_REQUESTS];
    size_t nreqs;
    int conns;
};

typedef struct {
    int fd;
    SSL *ssl;
    char buf[FX_HEAD_MAX];
    size_t have; /* bytes buffered */
} conn;

/* ---------------------------------------------------------------- I/O */

static ssize_t io_read(conn *c, void *p, size_t n)
{
    if (c->ssl) {
        int r = SSL_read(c->ssl, p, (int)n);
        return r > 0 ? r : -1;
    }
    return recv(c->fd, p, n, 0);
}

static int io_write(conn *c, const char *p, size_t n)
{
    while (n) {
        ssize_t w = c->ssl ? SSL_write(c->ssl, p, (int)n) : send(c->fd, p, n, MSG_NOSIGNAL);
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Wait until fd is readable or stop fires (or ms pass). 1 readable, 0 timeout, -1 stop. */
static int wait_fd(dc_fx *fx, int fd, int ms)
{
    struct pollfd p[2] = {{fx->stop[0], POLLIN, 0}, {fd, POLLIN, 0}};
    int r = poll(p, fd >= 0 ? 2 : 1, ms);

    if (r < 0 && errno == EINTR)
        return 0;
    if (r < 0 || (p[0].revents & POLLIN))
        return -1;
    return r > 0 && fd >= 0 && (p[1].revents & (POLLIN | POLLHUP | POLLERR)) ? 1 : 0;
}

/* Wait for the next request on fd: 1 readable, 0 a new connection is
 * waiting (drop this one) or timeout, -1 stop. */
static int wait_next(dc_fx *fx, int fd)
{
    struct pollfd p[3] = {{fx->stop[0], POLLIN, 0}, {fd, POLLIN, 0}, {fx->lfd, POLLIN, 0}};
    int r = poll(p, 3, 30000);

    if (r < 0 || (p[0].revents & POLLIN))
        return -1;
    if (p[1].revents & (POLLIN | POLLHUP | POLLERR))
        return 1;
    return 0;
}

/* ---------------------------------------------------------------- parsing */

const char *dc_fx_header(const dc_fx_request *r, const char *name, char *buf, size_t size)
{
    const char *p = r->headers;
    size_t n = strlen(name);

    while (p && *p) {
        const char *e = strstr(p, "\r\n");
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len > n && strncasecmp(p, name, n) == 0 && p[n] == ':') {
            const char *v = p + n + 1;
            size_t vl = len - n - 1;
            while (vl && isspace((unsigned char)*v)) {
                v++;
                vl--;
            }
            while (vl && isspace((unsigned char)v[vl - 1]))
                vl--;
            (void)snprintf(buf, size, "%.*s", (int)vl, v);
            return buf;
        }
        p = e ? e + 2 : NULL;
    }
    return NULL;
}

/* Verify the request's SigV4 signature with the project's signer. */
static int verify(const dc_fx_request *r, const char *secret)
{
    char auth[4096], cred[512], signed_h[2048], sig[128], date[64], value[8192];
    char *akid, *d8, *region, *service, *save = NULL, *name;
    dc_sigv4_header hs[32];
    size_t nh = 0;
    dc_sigv4_result res;
    int ok;

    if (!dc_fx_header(r, "Authorization", auth, sizeof(auth)) ||
        !dc_fx_header(r, "X-Amz-Date", date, sizeof(date)) ||
        sscanf(auth,
               "AWS4-HMAC-SHA256 Credential=%511[^,], SignedHeaders=%2047[^,], Signature=%127s",
               cred, signed_h, sig) != 3)
        return -1;
    akid = strtok_r(cred, "/", &save);
    d8 = strtok_r(NULL, "/", &save);
    region = strtok_r(NULL, "/", &save);
    service = strtok_r(NULL, "/", &save);
    if (!akid || !d8 || !region || !service)
        return -1;
    char *values = calloc(32, 8192);
    save = NULL;
    for (name = strtok_r(signed_h, ";", &save); name && nh < 32;
         name = strtok_r(NULL, ";", &save)) {
        if (!dc_fx_header(r, name, value, sizeof(value)))
            value[0] = '\0';
        memcpy(values + nh * 8192, value, sizeof(value));
        hs[nh].name = name;
        hs[nh].value = values + nh * 8192;
        nh++;
    }
    {
        char path[2048];
        char *q;
        (void)snprintf(path, sizeof(path), "%s", r->path);
        q = strchr(path, '?');
        if (q)
            *q++ = '\0';
        dc_sigv4_request rq = {r->method, path, q, hs, nh, r->body, r->body_len};
        dc_sigv4_params p = {akid, secret, region, service, date};
        ok = dc_sigv4__sign(&res, &rq, &p) >= 0 && strcmp(res.signature, sig) == 0;
        dc_sigv4__result_dispose(&res);
    }
    free(values);
    return ok;
}

/* Read one request; 1 done, 0 connection closed, -1 stop/error. */
static int read_request(dc_fx *fx, conn *c, dc_fx_request *r)
{
    char *end = NULL, *cl;
    size_t head, want;
    char num[32];

    memset(r, 0, sizeof(*r));
    while (!(end = c->have ? strstr(c->buf, "\r\n\r\n") : NULL)) {
        ssize_t n;
        if (c->have + 1 >= sizeof(c->buf))
            return -1;
        if (!(c->ssl && SSL_pending(c->ssl)) && wait_next(fx, c->fd) <= 0)
            return 0;
        n = io_read(c, c->buf + c->have, sizeof(c->buf) - 1 - c->have);
        if (n <= 0)
            return 0;
        c->have += (size_t)n;
        c->buf[c->have] = '\0';
    }
    head = (size_t)(end - c->buf) + 4;
    if (sscanf(c->buf, "%15s %2047s", r->method, r->path) != 2)
        return -1;
    r->headers =
        strndup(strstr(c->buf, "\r\n") + 2, head - (size_t)(strstr(c->buf, "\r\n") + 2 - c->buf));
    cl = (char *)dc_fx_header(r, "Content-Length", num, sizeof(num));
    want = cl ? strtoul(cl, NULL, 10) : 0;
    if (want > FX_BODY_MAX)
        return -1;
    r->body = malloc(want + 1);
    if (!r->body || !r->headers)
        return -1;
    r->body_len = c->have - head < want ? c->have - head : want;
    memcpy(r->body, c->buf + head, r->body_len);
    memmove(c->buf, c->buf + head + r->body_len, c->have - head - r->body_len);
    c->have -= head + r->body_len;
    c->buf[c->have] = '\0';
    while (r->body_len < want) {
        ssize_t n;
        if (!(c->ssl && SSL_pending(c->ssl)) && wait_fd(fx, c->fd, 30000) <= 0)
            return -1;
        n = io_read(c, r->body + r->body_len, want - r->body_len);
        if (n <= 0)
            return 0;
        r->body_len += (size_t)n;
    }
    r->body[r->body_len] = '\0';
    return 1;
}

static const char *reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    default:
        return "Status";
    }
}

/* Wait ms before replying; -1 when stopped or the client went away (a
 * client that timed out closes: the late reply is not written, and the
 * server is free for its next attempt). */
static int delay(dc_fx *fx, conn *c, int ms)
{
    struct pollfd p[2] = {{fx->stop[0], POLLIN, 0}, {c->fd, POLLIN, 0}};
    char b;
    int r = poll(p, 2, ms);

    if (r < 0 || (p[0].revents & POLLIN))
        return -1;
    if ((p[1].revents & (POLLIN | POLLHUP | POLLERR)) && recv(c->fd, &b, 1, MSG_PEEK) <= 0)
        return -1;
    return 0;
}

/* Reply with the scripted reply for request number idx. 0 ok, -1 close. */
static int reply(dc_fx *fx, conn *c, size_t idx)
{
    dc_fx_reply rp;
    char head[4096];
    const char *body;
    int n;

    pthread_mutex_lock(&fx->mu);
    rp = fx->replies[idx < fx->nreplies ? idx : fx->nreplies - 1];
    pthread_mutex_unlock(&fx->mu);
    body = rp.body ? rp.body : "{}";
    if (rp.delay_ms > 0 && delay(fx, c, rp.delay_ms) < 0)
        return -1;
    n = snprintf(head, sizeof(head),
                 "HTTP/1.1 %d %s\r\nContent-Type: application/x-amz-json-1.1\r\n"
                 "Content-Length: %zu\r\nx-amzn-RequestId: req-%zu\r\n%s%s\r\n",
                 rp.status, reason(rp.status), strlen(body), idx + 1, rp.headers ? rp.headers : "",
                 rp.close ? "Connection: close\r\n" : "");
    if (io_write(c, head, (size_t)n) < 0 || io_write(c, body, strlen(body)) < 0)
        return -1;
    return rp.close ? -1 : 0;
}

static void serve(dc_fx *fx, conn *c)
{
    for (;;) {
        dc_fx_request r;
        size_t idx;
        int rc = read_request(fx, c, &r);
        if (rc <= 0) {
            free(r.headers);
            free(r.body);
            return;
        }
        r.sig_ok = verify(&r, fx->secret);
        pthread_mutex_lock(&fx->mu);
        r.conn = fx->conns - 1;
        idx = fx->nreqs;
        if (fx->nreqs < FX_MAX_REQUESTS) {
            fx->reqs[fx->nreqs++] = r;
        } else {
            free(r.headers);
            free(r.body);
        }
        pthread_mutex_unlock(&fx->mu);
        if (reply(fx, c, idx) < 0)
            return;
    }
}

static void *run(void *arg)
{
    dc_fx *fx = arg;

    while (wait_fd(fx, fx->lfd, -1) > 0) {
        conn *c = calloc(1, sizeof(*c));
        if (!c)
            break;
        c->fd = accept(fx->lfd, NULL, NULL);
        if (c->fd < 0) {
            free(c);
            continue;
        }
        pthread_mutex_lock(&fx->mu);
        fx->conns++;
        pthread_mutex_unlock(&fx->mu);
        if (fx->ctx) {
            c->ssl = SSL_new(fx->ctx);
            if (c->ssl && (SSL_set_fd(c->ssl, c->fd) != 1 || SSL_accept(c->ssl) != 1)) {
                ERR_clear_error();
                SSL_free(c->ssl);
                c->ssl = NULL;
                close(c->fd);
                free(c);
                continue;
            }
        }
        serve(fx, c);
        if (c->ssl) {
            (void)SSL_shutdown(c->ssl);
            SSL_free(c->ssl);
        }
        close(c->fd);
        free(c);
    }
    return NULL;
}

static int tls_setup(dc_fx *fx, const char *cert, const char *key)
{
    fx->ctx = SSL_CTX_new(TLS_server_method());
    if (!fx->ctx || SSL_CTX_use_certificate_chain_file(fx->ctx, cert) != 1 ||
        SSL_CTX_use_PrivateKey_file(fx->ctx, key, SSL_FILETYPE_PEM) != 1)
        return -1;
    return 0;
}

int dc_fx_start(dc_fx **out, const char *secret, const char *cert, const char *key)
{
    dc_fx *fx = calloc(1, sizeof(*fx));
    struct sockaddr_in a;
    socklen_t alen = sizeof(a);
    static const dc_fx_reply ok = {200, NULL, NULL, 0, 0};

    *out = NULL;
    if (!fx)
        return -1;
    (void)signal(SIGPIPE, SIG_IGN);
    pthread_mutex_init(&fx->mu, NULL);
    (void)snprintf(fx->secret, sizeof(fx->secret), "%s", secret);
    fx->replies[0] = ok;
    fx->nreplies = 1;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    fx->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fx->lfd < 0 || bind(fx->lfd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        listen(fx->lfd, 16) != 0 || getsockname(fx->lfd, (struct sockaddr *)&a, &alen) != 0 ||
        pipe(fx->stop) != 0 || (cert && tls_setup(fx, cert, key) != 0)) {
        if (fx->lfd >= 0)
            close(fx->lfd);
        SSL_CTX_free(fx->ctx);
        free(fx);
        return -1;
    }
    fx->port = ntohs(a.sin_port);
    if (pthread_create(&fx->thread, NULL, run, fx) != 0) {
        close(fx->lfd);
        free(fx);
        return -1;
    }
    *out = fx;
    return 0;
}

int dc_fx_port(const dc_fx *fx)
{
    return fx->port;
}

void dc_fx_script(dc_fx *fx, const dc_fx_reply *replies, size_t n)
{
    pthread_mutex_lock(&fx->mu);
    if (n > FX_MAX_REPLIES)
        n = FX_MAX_REPLIES;
    memcpy(fx->replies, replies, n * sizeof(*replies));
    fx->nreplies = n;
    pthread_mutex_unlock(&fx->mu);
}

void dc_fx_reset(dc_fx *fx)
{
    size_t i;

    pthread_mutex_lock(&fx->mu);
    for (i = 0; i < fx->nreqs; i++) {
        free(fx->reqs[i].headers);
        free(fx->reqs[i].body);
    }
    fx->nreqs = 0;
    fx->conns = fx->conns > 0 ? 1 : 0; /* the open one, if any, stays */
    pthread_mutex_unlock(&fx->mu);
}

size_t dc_fx_count(dc_fx *fx)
{
    size_t n;

    pthread_mutex_lock(&fx->mu);
    n = fx->nreqs;
    pthread_mutex_unlock(&fx->mu);
    return n;
}

int dc_fx_connections(dc_fx *fx)
{
    int n;

    pthread_mutex_lock(&fx->mu);
    n = fx->conns;
    pthread_mutex_unlock(&fx->mu);
    return n;
}

const dc_fx_request *dc_fx_request_at(dc_fx *fx, size_t i)
{
    return i < dc_fx_count(fx) ? &fx->reqs[i] : NULL;
}

void dc_fx_stop(dc_fx *fx)
{
    if (!fx)
        return;
    (void)!write(fx->stop[1], "x", 1);
    pthread_join(fx->thread, NULL);
    dc_fx_reset(fx);
    close(fx->lfd);
    close(fx->stop[0]);
    close(fx->stop[1]);
    SSL_CTX_free(fx->ctx);
    pthread_mutex_destroy(&fx->mu);
    free(fx);
}
