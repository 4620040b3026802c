/*
 * Error stage: the thread-local last error (libgit2's model). Every negative
 * return in the library sets a one-line message here first.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define DC_ERROR_MSG_MAX 1024

static _Thread_local char last_msg[DC_ERROR_MSG_MAX];
static _Thread_local dc_error last_err = {DC_OK, ""};

const dc_error *dc_error_last(void)
{
    if (!last_err.message)
        last_err.message = "";
    return &last_err;
}

void dc_error_clear(void)
{
    last_msg[0] = '\0';
    last_err.code = DC_OK;
    last_err.message = last_msg;
}

/* Keep messages to one line: newlines and tabs become spaces. */
static void flatten(char *s)
{
    for (; *s; s++) {
        if (*s == '\n' || *s == '\r' || *s == '\t')
            *s = ' ';
    }
}

int dc_error_vset(int code, const char *fmt, va_list ap)
{
    int n = vsnprintf(last_msg, sizeof(last_msg), fmt, ap);
    if (n < 0)
        last_msg[0] = '\0';
    flatten(last_msg);
    last_err.code = code;
    last_err.message = last_msg;
    return code;
}

int dc_error_set(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dc_error_vset(code, fmt, ap);
    va_end(ap);
    return code;
}

int dc_error_oom(void)
{
    static const char oom[] = "out of memory";
    memcpy(last_msg, oom, sizeof(oom));
    last_err.code = DC_ENOMEM;
    last_err.message = last_msg;
    return DC_ENOMEM;
}

int dc_error_prefix(int code, const char *fmt, ...)
{
    char prefix[256];
    char old[DC_ERROR_MSG_MAX];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(prefix, sizeof(prefix), fmt, ap);
    va_end(ap);
    if (n < 0)
        return code;
    memcpy(old, last_msg, sizeof(old));
    n = snprintf(last_msg, sizeof(last_msg), "%s: %s", prefix, old);
    if (n < 0)
        last_msg[0] = '\0';
    flatten(last_msg);
    last_err.code = code;
    last_err.message = last_msg;
    return code;
}

const char *dc_strerror(int code)
{
    switch (code) {
    case DC_OK:
        return "success";
    case DC_ENOMEM:
        return "out of memory";
    case DC_EINVAL:
        return "invalid argument";
    case DC_EIO:
        return "input could not be read";
    case DC_ENOTFOUND:
        return "not found";
    case DC_EUNSUPPORTED:
        return "unsupported document type";
    case DC_ECORRUPT:
        return "damaged or malformed document";
    case DC_ELIMIT:
        return "limit exceeded";
    case DC_ECONFIG:
        return "configuration error";
    case DC_EOCR:
        return "OCR failed";
    case DC_ENET:
        return "network failure";
    case DC_EHTTP:
        return "request rejected by the service";
    case DC_ETIMEOUT:
        return "time limit exceeded";
    case DC_EPASSWORD:
        return "document is encrypted";
    case DC_EMEMORY:
        return "memory limit exceeded";
    case DC_ECRASH:
        return "worker crashed";
    default:
        return "internal error";
    }
}
