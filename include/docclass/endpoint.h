/*
 * docclass: a local ClassifyDocument endpoint (docs/serve.md).
 *
 * The service's side of the wire: a request as an HTTP server received it
 * is checked (target, signature, JSON shape) and answered as the service
 * would answer it, with docclass's extraction standing in for the
 * service's and, when a model is given, its classes. No I/O of its own:
 * the HTTP server is the caller's (`docclass serve` uses libmicrohttpd).
 */
#ifndef DOCCLASS_ENDPOINT_H
#define DOCCLASS_ENDPOINT_H

#include "common.h"
#include "extract.h"
#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    DC_AUTH_SIGV4 = 0, /**< verify SigV4 against the keys of a credentials file */
    DC_AUTH_NONE,      /**< accept every request (throwaway tests) */
} dc_endpoint_auth;

/** Options of an endpoint; zero in every field is its default. */
typedef struct {
    int version;                  /**< DC_ENDPOINT_OPTIONS_VERSION */
    dc_endpoint_auth auth;        /**< SIGV4 */
    const char *credentials_file; /**< the keys (INI: aws_access_key_id, aws_secret_access_key,
                                       aws_session_token); NULL: AWS_SHARED_CREDENTIALS_FILE,
                                       else ~/.aws/credentials */
    const dc_model *model;        /**< the classes to answer with; NULL: none (forwarding) */
    dc_extract_options extract;   /**< extraction (OCR languages, DPI, jobs); its config and
                                       limits come from each request */
    double clock_skew;            /**< seconds a request's X-Amz-Date may be off (0: 300) */
    long long fixed_time;         /**< Unix time to check dates against; 0: the clock */
} dc_endpoint_options;

#define DC_ENDPOINT_OPTIONS_VERSION 1
#define DC_ENDPOINT_OPTIONS_INIT                                                   \
    {                                                                              \
        .version = DC_ENDPOINT_OPTIONS_VERSION, .extract = DC_EXTRACT_OPTIONS_INIT \
    }

DC_API int dc_endpoint_options_init(dc_endpoint_options *opts, int version);

/** One header as received. */
typedef struct {
    const char *name;
    const char *value;
} dc_http_header;

/** A request as an HTTP server received it. */
typedef struct {
    const char *method; /**< "POST" */
    const char *path;   /**< "/" */
    const char *query;  /**< without '?', or NULL */
    const dc_http_header *headers;
    size_t nheaders;
    const void *body;
    size_t body_len;
} dc_http_call;

typedef struct dc_endpoint dc_endpoint;
/** A checked ClassifyDocument call. Opaque. */
typedef struct dc_call dc_call;
/** An HTTP answer: status, JSON body, request id. Opaque. */
typedef struct dc_reply dc_reply;

/**
 * An endpoint. With DC_AUTH_SIGV4 the credentials file is read now.
 * @return DC_OK, DC_ENOTFOUND / DC_ECONFIG (credentials file), DC_EINVAL, DC_ENOMEM.
 */
DC_API int dc_endpoint_new(dc_endpoint **out, const dc_endpoint_options *opts);
DC_API void dc_endpoint_free(dc_endpoint *ep);

/**
 * Check a request at the door (cheap: no extraction): the operation, the
 * signature, the JSON body and its members. Either @p call is set (a
 * ClassifyDocument request to answer) or @p reply is (the service's error,
 * or another operation's answer).
 * @return DC_OK, or DC_ENOMEM (neither set).
 */
DC_API int
dc_endpoint_check(dc_endpoint *ep, const dc_http_call *req, dc_call **call, dc_reply **reply);

/**
 * Answer a checked call as the service would: Text is scored as it is;
 * Bytes are detected, checked against the real-time limits and extracted
 * under the call's DocumentReaderConfig (OCR included: this can take
 * seconds), then scored page by page. Refusals are the service's errors
 * (InvalidRequestException with its Reason and Detail.Reason,
 * TextSizeLimitExceededException). Without a model the answer has no
 * Classes or Labels (docclass's prediction of the rest).
 * @return DC_OK (*reply set), DC_ENOMEM.
 */
DC_API int dc_endpoint_answer(dc_endpoint *ep, const dc_call *call, dc_reply **reply);

/** The call's EndpointArn. Borrowed. */
DC_API const char *dc_call_endpoint_arn(const dc_call *call);
/** The request body as received. Borrowed. */
DC_API const char *dc_call_body(const dc_call *call, size_t *len);
/** 1 when the call has Bytes, 0 for Text. */
DC_API int dc_call_has_bytes(const dc_call *call);
/** The request id the endpoint gave the call. */
DC_API const char *dc_call_request_id(const dc_call *call);
DC_API void dc_call_free(dc_call *call);

DC_API int dc_reply_status(const dc_reply *r);
/** The JSON body. Borrowed. */
DC_API const char *dc_reply_body(const dc_reply *r, size_t *len);
/** x-amzn-RequestId. Borrowed. */
DC_API const char *dc_reply_request_id(const dc_reply *r);
/** The error's type (e.g. "InvalidRequestException"), NULL for a success. */
DC_API const char *dc_reply_error_type(const dc_reply *r);
/** A reply from its parts (e.g. what a forwarded request got back). */
DC_API int
dc_reply_new(dc_reply **out, int status, const char *body, size_t len, const char *request_id);
DC_API void dc_reply_free(dc_reply *r);

/**
 * One JSON Lines record comparing docclass's prediction with what the
 * service answered for the same call: both answers' status, error type
 * and reason, DocumentType and ExtractedCharacters per page, and
 * "agree": {admission, document_type, characters (within 5 %)}.
 * @param[out] out dc_free()
 */
DC_API int dc_reply_compare(char **out,
                            const dc_call *call,
                            const dc_reply *predicted,
                            const dc_reply *service);

#ifdef __cplusplus
}
#endif

#endif
