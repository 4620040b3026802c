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

/* Every error code once: its name in JSON records (extract's and scan's
 * "error.code") and its text (dc_strerror). */
static const struct {
    int code;
    const char *name, *text;
} error_table[] = {
    {DC_OK, "OK", "success"},
    {DC_ERROR, "INTERNAL_ERROR", "internal error"},
    {DC_ENOMEM, "OUT_OF_MEMORY", "out of memory"},
    {DC_EINVAL, "INVALID_ARGUMENT", "invalid argument"},
    {DC_EIO, "IO_ERROR", "input could not be read"},
    {DC_ENOTFOUND, "NOT_FOUND", "not found"},
    {DC_EUNSUPPORTED, "UNSUPPORTED", "unsupported document type"},
    {DC_ECORRUPT, "CORRUPT", "damaged or malformed document"},
    {DC_ELIMIT, "LIMIT_EXCEEDED", "limit exceeded"},
    {DC_ECONFIG, "CONFIG_ERROR", "configuration error"},
    {DC_EOCR, "OCR_FAILED", "OCR failed"},
    {DC_ENET, "NETWORK_ERROR", "network failure"},
    {DC_EHTTP, "SERVICE_ERROR", "request rejected by the service"},
    {DC_ETIMEOUT, "TIMEOUT", "time limit exceeded"},
    {DC_EPASSWORD, "ENCRYPTED", "document is encrypted"},
    {DC_EMEMORY, "MEMORY_LIMIT", "memory limit exceeded"},
    {DC_ECRASH, "CRASH", "worker crashed"},
    {DC_ECANCELED, "CANCELLED", "cancelled by the caller"},
};

static size_t error_index(int code)
{
    size_t i;

    for (i = 0; i < sizeof(error_table) / sizeof(error_table[0]); i++)
        if (error_table[i].code == code)
            return i;
    return 1; /* an unknown code is an internal error */
}

const char *dc_strerror(int code)
{
    return error_table[error_index(code)].text;
}

const char *dc_error_name(int code)
{
    return error_table[error_index(code)].name;
}
