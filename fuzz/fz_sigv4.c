/*
 * SigV4 canonicalisation and signing (src/lib/sigv4.h). The input is
 * split on '\n' into method, path, query, then up to 16 "name:value"
 * header lines; an empty line ends the headers and the rest is the body.
 * Credentials and date are fixed (the botocore test-suite's).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "sigv4.h"

#define MAX_HEADERS 16

/* Next '\n'-terminated field of [*p, end) as a NUL-terminated copy in buf. */
static char *field(const char **p, const char *end, char *buf, size_t cap)
{
    const char *nl = memchr(*p, '\n', (size_t)(end - *p));
    size_t n = (size_t)((nl ? nl : end) - *p);

    if (n >= cap)
        n = cap - 1;
    memcpy(buf, *p, n);
    buf[n] = '\0';
    *p = nl ? nl + 1 : end;
    return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char store[3 + MAX_HEADERS][4096];
    dc_sigv4_header hdr[MAX_HEADERS];
    dc_sigv4_params prm = {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1",
                           "service", "20150830T123600Z"};
    dc_sigv4_request req;
    dc_sigv4_result res;
    dc_buf enc = DC_BUF_INIT;
    char date[DC_SIGV4_DATE_LEN];
    const char *p = (const char *)data, *end = p + size;
    size_t n = 0;

    memset(&req, 0, sizeof(req));
    req.method = field(&p, end, store[0], sizeof(store[0]));
    req.path = field(&p, end, store[1], sizeof(store[1]));
    req.query = field(&p, end, store[2], sizeof(store[2]));
    if (!*req.query)
        req.query = NULL;
    while (p < end && n < MAX_HEADERS && *p != '\n') {
        char *line = field(&p, end, store[3 + n], sizeof(store[0]));
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        *colon = '\0';
        hdr[n].name = line;
        hdr[n].value = colon + 1;
        n++;
    }
    if (p < end && *p == '\n')
        p++;
    req.headers = hdr;
    req.nheaders = n;
    req.body = p;
    req.body_len = (size_t)(end - p);
    (void)dc_sigv4__sign(&res, &req, &prm);
    dc_sigv4__result_dispose(&res); /* also after a failure: res is initialised */
    dc_buf_init(&enc, 1 << 20);
    (void)dc_sigv4__uri_encode(&enc, (const char *)data, size, size & 1);
    dc_buf_dispose(&enc);
    if (size >= 8) {
        long long t;
        memcpy(&t, data, sizeof(t));
        (void)dc_sigv4__amz_date(date, t);
    }
    return 0;
}
