/*
 * Internals of the sender (request.c, creds.c, http.c, send.c, split.c,
 * classify.c): shared between those files and reached by the tests.
 */
#ifndef DC_SEND_INT_H
#define DC_SEND_INT_H

#include <pthread.h>

#include "internal.h"
#include "service_limits.h"
#include "docclass/send.h"

/* The real-time limits: service_limits.h (one place). */
#define DC_ARN_MAX 256u

#define DC_CD_TARGET       "Comprehend_20171127.ClassifyDocument"
#define DC_CD_CONTENT_TYPE "application/x-amz-json-1.1"
#define DC_CD_SERVICE      "comprehend"

/* ---------------------------------------------------------------- request.c */

struct dc_request {
    char *body; /* JSON, NUL-terminated */
    size_t len;
    int bytes;        /* 1: Bytes, 0: Text */
    dc_format format; /* of the Bytes */
    int has_config;   /* DocumentReaderConfig included */
    size_t payload;   /* bytes of text or of the raw document */
    size_t chars;     /* characters of the Text (0 for Bytes: the answer says) */
};

/* dc_request_new_text() and dc_request_new_bytes() after the ARN is
 * checked; a NULL arn leaves EndpointArn out of the body (the requests of
 * dc_classify_prepare_mem(), which an SDK completes). */
int dc_request__new_text(dc_request **out, const char *arn, const char *text, size_t len);
int dc_request__new_bytes(dc_request **out,
                          const char *arn,
                          const void *data,
                          size_t len,
                          dc_format format,
                          const dc_reader_config *config);
/* Check an ARN; region (DC_REGION_MAX) and partition (32 bytes) out. */
int dc_request__arn_parse(const char *arn, char *region, char *partition);
/* Longest prefix of text with at most max_chars code points and max_bytes
 * bytes, cut at a word boundary (whitespace) when there is one. */
size_t dc_request__truncate(const char *text, size_t len, size_t max_chars, size_t max_bytes);
/* The size limit of Bytes of a format. */
size_t dc_request__bytes_limit(dc_format format);

/* ---------------------------------------------------------------- creds.c */

/* One set of credentials; expires is Unix time, 0 for never. */
typedef struct {
    char *key;
    char *secret;
    char *token;
    long long expires;
} dc_cred_vals;

void dc_cred_vals__dispose(dc_cred_vals *v);

struct dc_credentials {
    pthread_mutex_t mu; /* guards vals while they are fetched again */
    dc_cred_vals vals;
    long long fetched; /* when vals were fetched */
    int refreshable;   /* from the chain: fetched again before they expire */
    int refreshes;     /* times they were */
    char *profile;     /* the --profile given, or NULL */
    char *source;
    char *method; /* botocore's name for the provider ("env", "assume-role", ...) */
    char *region;
};

/* A copy of the credentials to sign with now, fetched again first when
 * they expire soon (dispose the copy with dc_cred_vals__dispose()). */
int dc_creds__current(dc_credentials *creds, dc_cred_vals *out);

/* Every key of a credentials file (INI sections with aws_access_key_id and
 * aws_secret_access_key, optional aws_session_token): the keys `serve`
 * checks signatures with. *out freed with dc_cred_vals__dispose() each,
 * then free(). DC_ENOTFOUND, DC_ECONFIG (no key in it), DC_ENOMEM. */
int dc_creds__file_keys(const char *path, dc_cred_vals **out, size_t *n);

/* ISO 8601 UTC time to Unix time, -1 when it does not parse. */
long long dc_creds__parse_time(const char *iso);

/* creds_fetch.c: the providers that ask something else. who names the
 * provider in messages. */
typedef struct {
    const char *arn;
    const char *session;
    const char *external_id; /* or NULL */
    int duration;            /* seconds; 0: STS's default */
    const char *region;      /* for STS's endpoint; "" or NULL: the global one */
} dc_role;

typedef struct {
    const char *cache_key; /* sso-session name, or the start URL */
    const char *region;
    const char *account;
    const char *role;
} dc_sso;

int dc_creds__assume_role(dc_cred_vals *out,
                          const dc_cred_vals *src,
                          const dc_role *role,
                          const char *who);
int dc_creds__web_identity(dc_cred_vals *out,
                           const dc_role *role,
                           const char *token_file,
                           const char *who);
int dc_creds__container(dc_cred_vals *out, char *source, size_t size);
/* 1 when instance metadata gave nothing (why says why: botocore is quiet
 * about it too), < 0 only when out of memory. */
int dc_creds__imds(dc_cred_vals *out, char *source, size_t size, char *why, size_t wsize);
int dc_creds__sso(dc_cred_vals *out, const dc_sso *sso, const char *who);
int dc_creds__process(dc_cred_vals *out, const char *command, const char *who);

/* DNS suffix of a partition ("aws" -> "amazonaws.com"), or NULL. */
const char *dc_creds__dns_suffix(const char *partition);

/* ---------------------------------------------------------------- http.c */

typedef struct {
    const char *url;
    const char *const *headers; /* "Name: value", NULL-terminated */
    const char *body;
    size_t body_len;
    const char *method; /* "GET", "PUT" (empty body) or NULL: POST */
} dc_http_request;

typedef struct {
    long status;
    dc_buf body;
    char request_id[128];
    char error_type[256]; /* x-amzn-ErrorType header */
    double retry_after;   /* seconds; < 0 when absent */
    int retryable;        /* for a failure: a connection problem worth retrying */
} dc_http_reply;

/* The transport seam: the real one is libcurl; tests may drive it or
 * replace it. perform fills rep (status and body) or fails with DC_ENET. */
typedef struct dc_transport {
    int (*perform)(struct dc_transport *t, const dc_http_request *req, dc_http_reply *rep);
    void (*destroy)(struct dc_transport *t);
} dc_transport;

typedef struct {
    const char *ca_bundle;
    int verify_tls;
    double connect_timeout;
    double timeout;
} dc_http_options;

#define DC_HTTP_BODY_MAX ((size_t)16 << 20) /* response cap */

int dc_http__curl_new(dc_transport **out, const dc_http_options *o);
/* endpoint.c: a transport answered by a local endpoint (no network). */
struct dc_endpoint;
int dc_endpoint__transport(dc_transport **out, struct dc_endpoint *ep);
void dc_http__reply_init(dc_http_reply *rep);
void dc_http__reply_dispose(dc_http_reply *rep);

/* ---------------------------------------------------------------- pace.c */

/* The schedule of a pacer (pure: the caller gives the time, in seconds). */
typedef struct {
    double units;               /* inference units provisioned */
    double share;               /* of their rate used now, (0, 1] (adaptive) */
    double tat_docs, tat_chars; /* theoretical arrival times (GCRA) */
    double start, last_cut;
    long long requests, sent, throttles;
    double charged, characters, waited;
} dc_pace_state;

void dc_pace__init(dc_pace_state *s, double units, double now);
/* Reserve one request of chars characters at now: the seconds to wait. */
double dc_pace__reserve(dc_pace_state *s, double now, double chars);
/* A request answered: charged the characters reserved, actual those the
 * service counted (a debt when more), ok when it succeeded. */
void dc_pace__settle(dc_pace_state *s, double charged, double actual, int ok);
/* A request throttled at now: the share is cut (at most once a second). */
void dc_pace__throttled(dc_pace_state *s, double now);
/* The pacer: reserve and sleep; report an answer. */
void dc_pacer__wait(dc_pacer *p, double chars);
void dc_pacer__done(dc_pacer *p, double charged, double actual, int ok, int throttled);

/* ---------------------------------------------------------------- send.c */

/* Parse an error body and headers into type (without "ns#" or ":suffix"),
 * message, reason, detail reason; returns the one-line message in line. */
int dc_send__error_line(dc_buf *line,
                        long status,
                        const char *body,
                        size_t len,
                        const char *header_type,
                        const char *request_id);
/* Normalise an error type: drop "namespace#" and ":suffix". */
void dc_send__strip_type(char *type);
/* Non-zero when a status/type pair is worth retrying: 2 for a throttling
 * error type, 1 for 429, 5xx and the rest. */
int dc_send__retryable(long status, const char *type);
/* Retry delay (seconds) before attempt n+1 (n >= 1), full jitter; r in [0,1). */
double dc_send__backoff(double base, double max, int n, double r);

/* The EndpointArn the sender was made for. */
const char *dc_send__arn(const dc_sender *s);
/* The response as a jansson object (new reference), or NULL on OOM. */
struct json_t *dc_send__response_json(const dc_response *r);

/* ---------------------------------------------------------------- split.c */

int dc_split__pdf_count(size_t *n, const void *data, size_t len, const char *password);
/* Page index (0-based) as a one-page PDF; *out freed with free(). */
int dc_split__pdf_page(
    char **out, size_t *len_out, const void *data, size_t len, size_t index, const char *password);
int dc_split__tiff_count(size_t *n, const void *data, size_t len);
int dc_split__tiff_page(char **out, size_t *len_out, const void *data, size_t len, size_t index);

#endif
