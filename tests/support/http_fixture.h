/*
 * A loopback HTTP(S) server for the sender's tests: listens on
 * 127.0.0.1:0 in a thread, records every request (and on which connection
 * it came), verifies its SigV4 signature with the project's signer, and
 * replays scripted replies (status, headers, body, delay).
 */
#ifndef DC_HTTP_FIXTURE_H
#define DC_HTTP_FIXTURE_H

#include <stddef.h>

typedef struct {
    int status;          /* HTTP status */
    const char *headers; /* extra header lines, each ending in \r\n, or NULL */
    const char *body;    /* NULL: "{}" */
    int delay_ms;        /* wait before replying */
    int close;           /* close the connection after replying */
} dc_fx_reply;

typedef struct {
    char method[16];
    char path[2048];
    char *headers; /* raw header block (lines separated by \r\n) */
    char *body;
    size_t body_len;
    int sig_ok; /* 1 verified, 0 wrong, -1 no/unparseable Authorization */
    int conn;   /* 0-based connection number */
} dc_fx_request;

typedef struct dc_fx dc_fx;

/* Start on 127.0.0.1:0; plain HTTP when cert is NULL, else TLS with the
 * PEM cert and key. secret: the key signatures are checked with. */
int dc_fx_start(dc_fx **out, const char *secret, const char *cert, const char *key);
int dc_fx_port(const dc_fx *fx);
/* Replies in order; the last one repeats. Copied. Resets nothing else. */
void dc_fx_script(dc_fx *fx, const dc_fx_reply *replies, size_t n);
/* Forget recorded requests and connections. */
void dc_fx_reset(dc_fx *fx);
size_t dc_fx_count(dc_fx *fx);
int dc_fx_connections(dc_fx *fx);
/* Request i (valid until reset/stop). */
const dc_fx_request *dc_fx_request_at(dc_fx *fx, size_t i);
/* Value of header name (case-insensitive) of a request, or NULL. */
const char *dc_fx_header(const dc_fx_request *r, const char *name, char *buf, size_t size);
void dc_fx_stop(dc_fx *fx);

#endif
