/*
 * Bounded growable buffers. Every buffer has a cap: appending past it fails
 * with DC_ELIMIT instead of growing without end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void dc_buf_init(dc_buf *b, size_t max)
{
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

static int grow(dc_buf *b, size_t need)
{
    size_t cap;
    char *p;

    if (need > b->max)
        return dc_error_set(DC_ELIMIT, "buffer limit of %zu bytes exceeded", b->max);
    if (need + 1 <= b->cap)
        return DC_OK;
    cap = b->cap ? b->cap : 64;
    while (cap < need + 1)
        cap = cap > SIZE_MAX / 2 ? need + 1 : cap * 2;
    if (cap > b->max + 1)
        cap = b->max + 1;
    p = realloc(b->ptr, cap);
    if (!p)
        return dc_error_oom();
    b->ptr = p;
    b->cap = cap;
    return DC_OK;
}

int dc_buf_reserve(dc_buf *b, size_t len)
{
    char *p;

    if (len > SIZE_MAX - b->len - 1)
        return dc_error_set(DC_ELIMIT, "buffer size overflow");
    if (b->len + len + 1 <= b->cap)
        return DC_OK;
    if (b->len + len > b->max)
        return dc_error_set(DC_ELIMIT, "buffer limit of %zu bytes exceeded", b->max);
    p = realloc(b->ptr, b->len + len + 1);
    if (!p)
        return dc_error_oom();
    b->ptr = p;
    b->cap = b->len + len + 1;
    return DC_OK;
}

int dc_buf_put(dc_buf *b, const void *data, size_t len)
{
    int err;

    if (len > SIZE_MAX - b->len - 1)
        return dc_error_set(DC_ELIMIT, "buffer size overflow");
    err = grow(b, b->len + len);
    if (err < 0)
        return err;
    if (len)
        memcpy(b->ptr + b->len, data, len);
    b->len += len;
    b->ptr[b->len] = '\0';
    return DC_OK;
}

int dc_buf_puts(dc_buf *b, const char *s)
{
    return dc_buf_put(b, s, strlen(s));
}

int dc_buf_putc(dc_buf *b, char c)
{
    return dc_buf_put(b, &c, 1);
}

int dc_buf_printf(dc_buf *b, const char *fmt, ...)
{
    va_list ap;
    char small[256];
    char *big = NULL;
    int n;
    int err;

    va_start(ap, fmt);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
        return dc_error_set(DC_ERROR, "formatting failed");
    if ((size_t)n < sizeof(small))
        return dc_buf_put(b, small, (size_t)n);
    big = malloc((size_t)n + 1);
    if (!big)
        return dc_error_oom();
    va_start(ap, fmt);
    n = vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    err = n < 0 ? dc_error_set(DC_ERROR, "formatting failed") : dc_buf_put(b, big, (size_t)n);
    free(big);
    return err;
}

void dc_buf_rtrim(dc_buf *b, const char *set)
{
    while (b->len && strchr(set, b->ptr[b->len - 1]))
        b->len--;
    if (b->ptr)
        b->ptr[b->len] = '\0';
}

void dc_buf_clear(dc_buf *b)
{
    b->len = 0;
    if (b->ptr)
        b->ptr[0] = '\0';
}

char *dc_buf_detach(dc_buf *b, size_t *len_out)
{
    char *p = b->ptr;

    if (!p) {
        p = calloc(1, 1);
        if (!p) {
            dc_error_oom();
            return NULL;
        }
    }
    if (len_out)
        *len_out = b->len;
    b->ptr = NULL;
    b->len = b->cap = 0;
    return p;
}

void dc_buf_dispose(dc_buf *b)
{
    free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
}
