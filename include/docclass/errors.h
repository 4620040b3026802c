/*
 * docclass: error codes and the thread-local last error.
 */
#ifndef DOCCLASS_ERRORS_H
#define DOCCLASS_ERRORS_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Error codes. The values are ABI: append, never renumber. */
typedef enum {
    DC_OK = 0,
    DC_ERROR = -1,        /**< internal error */
    DC_ENOMEM = -2,       /**< out of memory */
    DC_EINVAL = -3,       /**< invalid argument */
    DC_EIO = -4,          /**< input could not be read */
    DC_ENOTFOUND = -5,    /**< file or member not found */
    DC_EUNSUPPORTED = -6, /**< format the service does not accept */
    DC_ECORRUPT = -7,     /**< document is damaged or malformed */
    DC_ELIMIT = -8,       /**< a safety or service limit was hit */
    DC_ECONFIG = -9,      /**< bad DocumentReaderConfig or option */
    DC_EOCR = -10,        /**< OCR failed */
    DC_ENET = -11,        /**< network or TLS failure */
    DC_EHTTP = -12,       /**< the service rejected the request */
    DC_ETIMEOUT = -13,    /**< a time limit was hit */
    DC_EPASSWORD = -14,   /**< encrypted document, no or wrong password */
    DC_EMEMORY = -15,     /**< a per-document memory limit was hit */
    DC_ECRASH = -16,      /**< an isolated worker died (a crash inside a library) */
    DC_ECANCELED = -17,   /**< the caller's progress callback asked to stop */
} dc_error_code;

/** The last error raised on the calling thread. */
typedef struct {
    int code;            /**< a dc_error_code */
    const char *message; /**< one line, no trailing newline; never NULL */
} dc_error;

/**
 * The last error raised on this thread.
 * @return never NULL; borrowed, valid until the next failing call on this thread.
 */
DC_API const dc_error *dc_error_last(void);

/** Static text describing an error code ("internal error" for an unknown one). */
DC_API const char *dc_strerror(int code);

/**
 * Static name of an error code as JSON records give it ("error": {"code"}):
 * "OCR_FAILED", "TIMEOUT", ...; "INTERNAL_ERROR" for an unknown code.
 */
DC_API const char *dc_error_name(int code);

/** Forget the last error on this thread. */
DC_API void dc_error_clear(void);

#ifdef __cplusplus
}
#endif

#endif
