/*
 * docclass: send documents to Amazon Comprehend's ClassifyDocument
 * (credentials, endpoint, request, SigV4 signing, transport with retries,
 * response) and classify files page by page.
 */
#ifndef DOCCLASS_SEND_H
#define DOCCLASS_SEND_H

#include "common.h"
#include "config.h"
#include "detect.h"
#include "extract.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------ credentials */

/** AWS credentials. Opaque; the secret and the token never leave it except
 *  into a signature. */
typedef struct dc_credentials dc_credentials;

/**
 * Find credentials as botocore (the AWS CLI, boto3) does, in its order:
 * the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN; skipped when @p profile is given); a role to assume
 * (role_arn with source_profile or credential_source: STS AssumeRole);
 * web identity (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, or the
 * profile's web_identity_token_file: STS AssumeRoleWithWebIdentity); SSO
 * (the token `aws sso login` cached); the shared credentials file
 * (AWS_SHARED_CREDENTIALS_FILE, default ~/.aws/credentials, section
 * [NAME]); credential_process; the config file (AWS_CONFIG_FILE, default
 * ~/.aws/config, [profile NAME] or [default]); the container endpoint
 * (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI, with
 * AWS_CONTAINER_AUTHORIZATION_TOKEN[_FILE]); EC2 instance metadata
 * (IMDSv2; AWS_EC2_METADATA_DISABLED, AWS_EC2_METADATA_SERVICE_ENDPOINT).
 * STS is reached at AWS_ENDPOINT_URL_STS or AWS_ENDPOINT_URL when set, SSO
 * at AWS_ENDPOINT_URL_SSO. Temporary credentials are fetched again from
 * the same chain before they expire (a quarter of an hour before, or half
 * their lifetime when that is shorter), by the sender, without a failed
 * request. See docs/credentials.md.
 * @param[out] out     the credentials; the caller frees them with dc_credentials_free()
 * @param profile      profile name (--profile), or NULL for AWS_PROFILE or "default"
 * @return DC_OK; DC_ECONFIG when none are found (the message lists where it
 *         looked), a named profile does not exist, or a provider that is
 *         configured fails (the message names it and says why); DC_ENOMEM.
 */
DC_API int dc_credentials_load(dc_credentials **out, const char *profile);

/**
 * Credentials from explicit values (copied). @p token may be NULL.
 * @param[out] out the caller frees it with dc_credentials_free()
 * @return DC_OK, DC_EINVAL (empty key or secret), DC_ENOMEM.
 */
DC_API int dc_credentials_new(dc_credentials **out,
                              const char *access_key_id,
                              const char *secret_access_key,
                              const char *session_token);

/** Where the credentials came from ("environment", "shared credentials file
 *  PATH, profile NAME", ...). Borrowed; valid until dc_credentials_free(). */
DC_API const char *dc_credentials_source(const dc_credentials *creds);

/** botocore's name for the provider the credentials came from ("env",
 *  "assume-role", "assume-role-with-web-identity", "sso",
 *  "shared-credentials-file", "custom-process", "config-file",
 *  "container-role", "iam-role"; "explicit" for dc_credentials_new()).
 *  Borrowed. */
DC_API const char *dc_credentials_provider(const dc_credentials *creds);

/** When temporary credentials expire (Unix time), 0 when they do not.
 *  Changes when they are fetched again. */
DC_API long long dc_credentials_expiration(const dc_credentials *creds);

/** The access key id (not a secret). Borrowed; changes when temporary
 *  credentials are fetched again. */
DC_API const char *dc_credentials_access_key_id(const dc_credentials *creds);

/** The region of the profile in the config file, or NULL. Borrowed. */
DC_API const char *dc_credentials_region(const dc_credentials *creds);

/** 1 when the credentials carry a session token. */
DC_API int dc_credentials_has_token(const dc_credentials *creds);

/**
 * The credentials described as one line of JSON, without the secret or the
 * token: {"provider", "source", "access_key_id", "session_token" (a
 * boolean), "expiration" (ISO 8601 or absent), "region" (or absent),
 * "refreshes"}.
 * @param[out] out the text; free with dc_free()
 * @return DC_OK, DC_EINVAL (NULL credentials), DC_ENOMEM.
 */
DC_API int dc_credentials_describe(char **out, const dc_credentials *creds);

/** Free credentials (the secret is wiped). NULL-safe. */
DC_API void dc_credentials_free(dc_credentials *creds);

/* ------------------------------------------------------------ endpoint */

#define DC_REGION_MAX 64

/**
 * Check an EndpointArn against the service's pattern and take its region.
 * @param[out] region_out the region (at least DC_REGION_MAX bytes)
 * @return DC_OK or DC_EINVAL with a message saying what is wrong.
 */
DC_API int dc_endpoint_arn_region(char *region_out, const char *arn);

/**
 * The URL to send to: @p endpoint_url when given, else
 * AWS_ENDPOINT_URL_COMPREHEND, else AWS_ENDPOINT_URL, else
 * https://comprehend.REGION.DNS-SUFFIX from the ARN's region and partition.
 * @param[out] out the URL; free with dc_free()
 * @return DC_OK, DC_EINVAL (bad ARN, unknown partition, bad URL), DC_ENOMEM.
 */
DC_API int dc_endpoint_resolve(char **out, const char *arn, const char *endpoint_url);

/* ------------------------------------------------------------ requests */

/** One ClassifyDocument request body. Opaque. */
typedef struct dc_request dc_request;

/**
 * A request with Text. Checks the ARN and the size limits (10,000 bytes of
 * UTF-8, not empty, valid UTF-8) before anything is sent.
 * @param[out] out the request; free with dc_request_free()
 * @return DC_OK, DC_EINVAL (ARN, empty or invalid text), DC_ELIMIT, DC_ENOMEM.
 */
DC_API int dc_request_new_text(dc_request **out, const char *arn, const char *text, size_t len);

/**
 * A request with Bytes (standard base64, no line breaks). @p config is
 * added as DocumentReaderConfig only for a PDF or an image and only when it
 * has an action. Size limits: 10 MB for PDF, DOCX and images, 1 MB for
 * Textract JSON, 10 KB for plain text.
 * @param[out] out the request; free with dc_request_free()
 * @return DC_OK, DC_EINVAL, DC_ELIMIT, DC_EUNSUPPORTED, DC_ENOMEM.
 */
DC_API int dc_request_new_bytes(dc_request **out,
                                const char *arn,
                                const void *data,
                                size_t len,
                                dc_format format,
                                const dc_reader_config *config);

/**
 * A request with a body as given (e.g. one a client sent to `docclass
 * serve`, forwarded as it is): a JSON object with an EndpointArn; the
 * sender signs it for that ARN's region.
 * @return DC_OK, DC_EINVAL, DC_ENOMEM.
 */
DC_API int dc_request_new_json(dc_request **out, const char *body, size_t len);

/** The JSON body. Borrowed; valid until dc_request_free(). */
DC_API const char *dc_request_body(const dc_request *req, size_t *len_out);

/** Free a request. NULL-safe. */
DC_API void dc_request_free(dc_request *req);

/* ------------------------------------------------------------ sender */

/**
 * A pace for the requests to one endpoint: its inference units' throughput
 * (each 100 characters and 2 documents a second), adaptive on throttling.
 * Thread-safe: the senders of every thread share one. docs/classify.md.
 */
typedef struct dc_pacer dc_pacer;

/** What a pacer has seen. */
typedef struct {
    double inference_units;
    long long requests;   /**< attempts paced (retries included) */
    long long sent;       /**< answered with success */
    long long throttles;  /**< answered with throttling (retried by the sender) */
    long long characters; /**< counted by the service in successful answers */
    double seconds;       /**< from the pacer's creation to the last answer */
    double waited;        /**< seconds of waiting handed out, over all threads */
    double share;         /**< of the provisioned rate in use now (adaptive), 0-1 */
} dc_pacer_stats;

/**
 * A pacer for an endpoint of @p inference_units (1 to 1000).
 * @param[out] out free with dc_pacer_free() after its senders
 * @return DC_OK, DC_EINVAL, DC_ENOMEM.
 */
DC_API int dc_pacer_new(dc_pacer **out, double inference_units);
/** What the pacer has seen so far. @return DC_OK or DC_EINVAL (NULL). */
DC_API int dc_pacer_get_stats(const dc_pacer *p, dc_pacer_stats *out);
/** Free a pacer. NULL-safe. */
DC_API void dc_pacer_free(dc_pacer *p);

/**
 * Transport and retry settings. Transparent; zero in any field is its
 * default: start from DC_SEND_OPTIONS_INIT or dc_send_options_init().
 * Versions 1 (verify_tls on at 1) and 2 (no pacer) are still accepted.
 */
typedef struct {
    int version;                 /**< DC_SEND_OPTIONS_VERSION */
    const char *endpoint_arn;    /**< decides the signing region (and the host) */
    const char *endpoint_url;    /**< NULL: resolved (see dc_endpoint_resolve()) */
    const dc_credentials *creds; /**< borrowed; must outlive the sender */
    const char *ca_bundle;       /**< CA file; NULL: AWS_CA_BUNDLE, else the system's */
    int no_verify_tls;           /**< 1 turns certificate checks off */
    double connect_timeout;      /**< seconds (0: 10) */
    double timeout;              /**< seconds per attempt (0: 60) */
    int max_attempts;            /**< attempts in all; 0: AWS_MAX_ATTEMPTS, else 3 */
    double backoff_base;         /**< seconds (0: 1); delay before retry n is uniform in
                                      [0, min(backoff_max, base * 2^(n-1))] */
    double backoff_max;          /**< seconds (0: 20) */
    long long fixed_time;        /**< Unix time to sign with; 0: the clock */
    /* version 3 */
    dc_pacer *pacer; /**< NULL: no pacing; else every attempt waits its turn (shared
                          by the senders of one endpoint) */
    /* version 4 */
    struct dc_endpoint *local; /**< NULL: the network; else requests are answered by this
                                    local endpoint (endpoint.h; `classify --local`), nothing
                                    leaves the process. Borrowed. */
} dc_send_options;

#define DC_SEND_OPTIONS_VERSION 4
#define DC_SEND_OPTIONS_INIT               \
    {                                      \
        .version = DC_SEND_OPTIONS_VERSION \
    }

/** Initialise send options to the defaults (all zeros and the version). */
DC_API int dc_send_options_init(dc_send_options *opts, int version);

/** A connection to the service: one HTTP handle reused across requests. */
typedef struct dc_sender dc_sender;

/** A service response. Opaque. */
typedef struct dc_response dc_response;

/**
 * Create a sender. Resolves the endpoint and the signing region (the
 * ARN's); nothing is sent yet.
 * @param[out] out the caller frees it with dc_sender_free()
 * @return DC_OK, DC_EINVAL (ARN, URL), DC_ENET (transport setup), DC_ENOMEM.
 */
DC_API int dc_sender_new(dc_sender **out, const dc_send_options *opts);

/** The URL requests go to. Borrowed; valid until dc_sender_free(). */
DC_API const char *dc_sender_url(const dc_sender *s);

/** The signing region (the ARN's). Borrowed. */
DC_API const char *dc_sender_region(const dc_sender *s);

/**
 * The exact HTTP request that would be sent, signed now, with the signature
 * and the session token replaced by "<redacted>" (for --dry-run and -v).
 * @param[out] out text; free with dc_free()
 */
DC_API int dc_sender_describe(char **out, dc_sender *s, const dc_request *req);

/**
 * Sign and send, retrying on 429, 5xx, throttling error types and
 * connection failures with exponential backoff and full jitter (Retry-After
 * honoured).
 * @param[out] out the response (also for service errors, so the type and
 *             status stay readable); NULL on DC_ENET. Free with dc_response_free().
 * @return DC_OK (HTTP 200), DC_EHTTP (the service answered with an error;
 *         one-line message with type, reason, message and request id),
 *         DC_ENET (connection, TLS, timeout after the last attempt), DC_ENOMEM.
 */
DC_API int dc_sender_send(dc_response **out, dc_sender *s, const dc_request *req);

/** Free a sender and its connection. NULL-safe. */
DC_API void dc_sender_free(dc_sender *s);

/** HTTP status of the last attempt. */
DC_API long dc_response_status(const dc_response *r);
/** Attempts made (1 when the first succeeded). */
DC_API int dc_response_attempts(const dc_response *r);
/** The error type without namespace or suffix (e.g. "InvalidRequestException"), or NULL. */
DC_API const char *dc_response_error_type(const dc_response *r);
/** The body of the last attempt's answer, as received. Borrowed. */
DC_API const char *dc_response_body(const dc_response *r, size_t *len);
/** x-amzn-RequestId, or NULL. */
DC_API const char *dc_response_request_id(const dc_response *r);
/**
 * The response as JSON: status, attempts, request_id, and either the
 * service's members (Classes, Labels, DocumentMetadata, DocumentType,
 * Errors, Warnings) or "error" {type, message, reason, detail_reason}.
 * @param[out] out free with dc_free()
 */
DC_API int dc_response_to_json(char **out, const dc_response *r, unsigned flags);
/** Free a response. NULL-safe. */
DC_API void dc_response_free(dc_response *r);

/* ------------------------------------------------------------ classify */

typedef enum {
    DC_SEND_AUTO = 0, /**< Bytes where the service reads the type itself, else Text */
    DC_SEND_TEXT,     /**< the extracted text of each page */
    DC_SEND_BYTES,    /**< the file's bytes (one page of it per request) */
} dc_send_mode;

/** Options of dc_classify_file(). Transparent; zero is the default in every
 *  field; start from DC_CLASSIFY_OPTIONS_INIT or dc_classify_options_init(). */
typedef struct {
    int version;                /**< DC_CLASSIFY_OPTIONS_VERSION */
    dc_send_mode mode;          /**< what to send */
    const char *pages;          /**< "1,3-5" (1-based), NULL: all */
    int truncate;               /**< cut pages over 10,000 characters at a word boundary */
    int dry_run;                /**< build and describe the requests, send nothing */
    dc_extract_options extract; /**< extraction options (config, password, OCR) */
} dc_classify_options;

#define DC_CLASSIFY_OPTIONS_VERSION 2 /* 1: its extract options were version 3's */
#define DC_CLASSIFY_OPTIONS_INIT                                                   \
    {                                                                              \
        .version = DC_CLASSIFY_OPTIONS_VERSION, .extract = DC_EXTRACT_OPTIONS_INIT \
    }

/** Initialise classify options to the defaults (zeros, the versions). The
 *  extract options inside may keep version 0: it means the current one. */
DC_API int dc_classify_options_init(dc_classify_options *opts, int version);

/** The result of classifying one input. Opaque. */
typedef struct dc_classification dc_classification;

/**
 * Classify a file: one request per selected page, sent through @p s (or,
 * with dry_run, only described).
 * @param[out] out the result, also when pages failed; free with dc_classification_free()
 * @return DC_OK when a result exists (see dc_classification_status() for the
 *         pages' outcome), or < 0 when the file could not be prepared at all
 *         (DC_ENOTFOUND, DC_EIO, DC_EINVAL for bad --pages, DC_ECORRUPT...).
 */
DC_API int dc_classify_file(dc_classification **out,
                            dc_sender *s,
                            const char *path,
                            const dc_classify_options *opts);

/**
 * Classify a document held in memory (a ZIP archive's member, a stream),
 * named @p name in messages and the result (NULL: "-"). As
 * dc_classify_file(); DC_ELIMIT for data over the input cap.
 */
DC_API int dc_classify_mem(dc_classification **out,
                           dc_sender *s,
                           const void *data,
                           size_t len,
                           const char *name,
                           const dc_classify_options *opts);

/** Classify a text given directly (one Text request). As dc_classify_file(). */
DC_API int dc_classify_text(dc_classification **out,
                            dc_sender *s,
                            const char *text,
                            size_t len,
                            const dc_classify_options *opts);

/**
 * Classify what `docclass extract` already extracted: one record of its
 * JSON (Lines) output, each page's text sent as Text (checked, cut with
 * truncate, refused as dc_classify_file() does). The result's path is the
 * record's input.path. A user OCRs an archive once and classifies it many
 * times (classify --from-results).
 * @return as dc_classify_file(); DC_EINVAL for a line that is not such a
 *         record, or a record without pages (extract's error is quoted).
 */
DC_API int dc_classify_record(dc_classification **out,
                              dc_sender *s,
                              const char *record,
                              size_t len,
                              const dc_classify_options *opts);

/**
 * Build the requests of a document without sending them, for a caller
 * that sends them itself through an AWS SDK (boto3's classify_document):
 * one request a page, split, checked and refused exactly as
 * dc_classify_file() does (the refusals are in the pages of
 * dc_classification_render()'s JSON, as local errors). No sender and no
 * ARN: the bodies carry no EndpointArn; the SDK adds it.
 * @param name  the document's name in messages and the result's "path" (NULL: "-")
 * @param[out] out the result; free with dc_classification_free()
 * @return as dc_classify_file(), and DC_ELIMIT for data over the input cap.
 */
DC_API int dc_classify_prepare_mem(dc_classification **out,
                                   const void *data,
                                   size_t len,
                                   const char *name,
                                   const dc_classify_options *opts);
/** Requests kept by dc_classify_prepare_mem() (0 for a sent or dry-run classification). */
DC_API size_t dc_classification_request_count(const dc_classification *c);
/**
 * Request @p i: its page (1-based) and its JSON body (ClassifyDocument's
 * input members: Text, or Bytes in base64 with DocumentReaderConfig when it
 * applies). Borrowed; valid until dc_classification_free().
 * @return DC_OK or DC_EINVAL (no such request).
 */
DC_API int dc_classification_request(
    const dc_classification *c, size_t i, int *page, const char **body, size_t *len);
/**
 * The worst outcome over the pages: DC_OK, DC_ELIMIT (a page was not sent:
 * a local page error), DC_EHTTP (service error) or DC_ENET.
 */
DC_API int dc_classification_status(const dc_classification *c);

/** Number of one-line error messages (one per failed page). */
DC_API size_t dc_classification_error_count(const dc_classification *c);
/** Error message @p i ("page 2: ThrottlingException: ..."). Borrowed. */
DC_API const char *dc_classification_error(const dc_classification *c, size_t i);

/** Rendering flags of dc_classification_render(). */
#define DC_RENDER_TABLE 0x100u /**< "page  class  score" lines instead of JSON */
#define DC_RENDER_DRY   0x200u /**< the described HTTP requests (dry run) */

/**
 * Render the result: JSON (DC_JSON_COMPACT allowed), a table, or the
 * requests of a dry run.
 * @param[out] out free with dc_free()
 */
DC_API int dc_classification_render(char **out, const dc_classification *c, unsigned flags);

/** Free a classification. NULL-safe. */
DC_API void dc_classification_free(dc_classification *c);

#ifdef __cplusplus
}
#endif

#endif
