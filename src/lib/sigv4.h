/*
 * AWS Signature Version 4 (pure: no I/O, no clock). The caller gives the
 * request, the credentials and the time; the module returns the canonical
 * request, the string to sign and the Authorization header value.
 */
#ifndef DC_SIGV4_H
#define DC_SIGV4_H

#include "internal.h"

typedef struct {
    const char *name;  /* as sent; compared case-insensitively */
    const char *value; /* raw value; trimmed and folded when canonicalised */
} dc_sigv4_header;

typedef struct {
    const char *method; /* "POST" */
    const char *path;   /* raw path, e.g. "/" or "/a b/../c" */
    const char *query;  /* raw query without '?', or NULL */
    const dc_sigv4_header *headers;
    size_t nheaders;
    const void *body;
    size_t body_len;
} dc_sigv4_request;

typedef struct {
    const char *access_key;
    const char *secret_key;
    const char *region;   /* signing region, e.g. us-east-1 */
    const char *service;  /* "comprehend" */
    const char *amz_date; /* YYYYMMDDTHHMMSSZ, the X-Amz-Date header value */
} dc_sigv4_params;

/* Output of dc_sigv4__sign(): every intermediate, for tests and --dry-run. */
typedef struct {
    dc_buf canonical_request;
    dc_buf string_to_sign;
    dc_buf signed_headers;
    char signature[65];
    dc_buf authorization; /* the Authorization header value */
} dc_sigv4_result;

#define DC_SIGV4_DATE_LEN 17 /* YYYYMMDDTHHMMSSZ + NUL */

/* X-Amz-Date for a Unix time (UTC). DC_EINVAL when out of range. */
int dc_sigv4__amz_date(char out[DC_SIGV4_DATE_LEN], long long unix_time);

/* The canonical request of r and its SignedHeaders list. */
int dc_sigv4__canonical_request(dc_buf *out, dc_buf *signed_headers, const dc_sigv4_request *r);

/* Sign: fills res (initialised here; free with dc_sigv4__result_dispose()). */
int dc_sigv4__sign(dc_sigv4_result *res, const dc_sigv4_request *r, const dc_sigv4_params *p);
void dc_sigv4__result_dispose(dc_sigv4_result *res);

/* URI-encode per SigV4 (unreserved A-Za-z0-9-._~ kept); keep_slash keeps '/'. */
int dc_sigv4__uri_encode(dc_buf *out, const char *s, size_t len, int keep_slash);

#endif
