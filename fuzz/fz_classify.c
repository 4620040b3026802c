/*
 * ClassifyDocument response and error parsing. Each input is a scripted
 * reply of a loopback HTTP server (tests/support/http_fixture.c, started
 * once): byte 0 picks the status, then header lines up to an empty line,
 * then the body (up to its first NUL: the fixture sends C strings). One
 * Text request goes through dc_classify_text() (libcurl, headers,
 * parse_success / parse_error, the one-line error), the classification
 * is rendered as JSON and as a table, and the raw bytes also go straight
 * through dc_send__error_line() (binary-safe).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docclass/docclass.h"
#include "fuzz.h"
#include "http_fixture.h"
#include "send_int.h"

#define ARN    "arn:aws:comprehend:us-west-2:111122223333:document-classifier-endpoint/ep1"
#define AKID   "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

#define BODY_MAX    65536
#define HEADERS_MAX 8192

static const int statuses[] = {200, 200, 200, 200, 400, 403, 404, 413, 429, 500, 503, 302};

static dc_fx *fx;
static dc_credentials *creds;
static dc_sender *sender;

static void stop(void)
{
    dc_sender_free(sender);
    dc_credentials_free(creds);
    if (fx)
        dc_fx_stop(fx);
}

static int start(void)
{
    dc_send_options o = DC_SEND_OPTIONS_INIT;
    char url[64];

    if (sender)
        return 0;
    dc_fuzz_init();
    if (dc_fx_start(&fx, SECRET, NULL, NULL) != 0 ||
        dc_credentials_new(&creds, AKID, SECRET, NULL) < 0)
        abort();
    (void)snprintf(url, sizeof(url), "http://127.0.0.1:%d", dc_fx_port(fx));
    o.endpoint_arn = ARN;
    o.endpoint_url = url;
    o.creds = creds;
    o.max_attempts = 1;
    o.timeout = 10;
    o.fixed_time = 1440938160;
    if (dc_sender_new(&sender, &o) < 0)
        abort();
    (void)atexit(stop);
    return 0;
}

/* Header lines "Name: value\r\n" from [p, end): lines without a colon,
 * control bytes and a leading space are dropped (the fixture writes the
 * block as is, and only a well-formed block is a reply at all). */
static void header_block(dc_buf *out, const char *p, const char *end)
{
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        const char *colon = memchr(p, ':', (size_t)(e - p));
        int ok = colon && colon > p && *p != ' ';

        for (const char *q = p; ok && q < e; q++)
            ok = (unsigned char)*q >= 0x20 && *q != 0x7f;
        if (ok && (dc_buf_put(out, p, (size_t)(e - p)) < 0 || dc_buf_puts(out, "\r\n") < 0))
            return;
        p = nl ? nl + 1 : end;
    }
}

static const char *find_blank_line(const char *p, const char *end)
{
    for (; p + 1 < end; p++)
        if (p[0] == '\n' && p[1] == '\n')
            return p;
    return NULL;
}

static void render(const dc_classification *c)
{
    char *out = NULL;
    size_t i, n = dc_classification_error_count(c);

    (void)dc_classification_status(c);
    for (i = 0; i < n; i++)
        (void)dc_classification_error(c, i);
    if (dc_classification_render(&out, c, 0) >= 0)
        dc_free(out);
    out = NULL;
    if (dc_classification_render(&out, c, DC_RENDER_TABLE) >= 0)
        dc_free(out);
}

/* The reply's strings live in static storage: the fixture keeps only the
 * pointers, and its thread may still be writing a reply to a connection
 * the client has given up on (say, after a malformed header) when the
 * next input starts. Overwritten in place, never freed. */
static char reply_body[BODY_MAX + 1];
static char reply_headers[HEADERS_MAX + 1];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size, *split;
    dc_buf hdrs = DC_BUF_INIT, line = DC_BUF_INIT;
    dc_classification *c = NULL;
    dc_fx_reply reply;
    size_t n;

    if (size < 1)
        return 0;
    start();
    memset(&reply, 0, sizeof(reply));
    reply.status = statuses[data[0] % (sizeof(statuses) / sizeof(statuses[0]))];
    p++;
    split = find_blank_line(p, end);
    dc_buf_init(&hdrs, HEADERS_MAX);
    if (split) {
        header_block(&hdrs, p, split);
        p = split + 2;
    }
    n = hdrs.len;
    memcpy(reply_headers, hdrs.ptr ? hdrs.ptr : "", n);
    reply_headers[n] = '\0';
    n = strnlen(p, (size_t)(end - p));
    n = n < BODY_MAX ? n : BODY_MAX;
    memcpy(reply_body, p, n);
    reply_body[n] = '\0';
    reply.headers = reply_headers;
    reply.body = reply_body;
    dc_fx_script(fx, &reply, 1);
    dc_fx_reset(fx);
    if (dc_classify_text(&c, sender, "fuzz", 4, NULL) >= 0)
        render(c);
    dc_classification_free(c);
    dc_buf_init(&line, 1024);
    (void)dc_send__error_line(&line, reply.status, p, (size_t)(end - p),
                              hdrs.len ? "Throttling:http://x/" : NULL, "req-1");
    dc_buf_dispose(&line);
    dc_buf_dispose(&hdrs);
    return 0;
}
