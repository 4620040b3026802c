/*
 * Internal helpers shared by the library's stages: error raising, bounded
 * buffers, UTF-8 utilities. Never installed.
 */
#ifndef DC_INTERNAL_H
#define DC_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "docclass/docclass.h"

#if defined(__GNUC__)
#define DC_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define DC_PRINTF(a, b)
#endif

/* ---------------------------------------------------------------- errors */

/* Record a one-line error for this thread and return @p code (< 0). */
int dc_error_set(int code, const char *fmt, ...) DC_PRINTF(2, 3);
int dc_error_vset(int code, const char *fmt, va_list ap);
/* Record "out of memory" without allocating; returns DC_ENOMEM. */
int dc_error_oom(void);
/* Prefix the current message with "prefix: " (e.g. "page 3"). Returns code. */
int dc_error_prefix(int code, const char *fmt, ...) DC_PRINTF(2, 3);

/* ---------------------------------------------------------------- buffers */

/* A growable byte buffer with a hard size cap (curl's dynbuf). The content
 * is always NUL-terminated once something was written. */
typedef struct {
    char *ptr;
    size_t len;
    size_t cap;
    size_t max; /* never grows past this many bytes (excluding the NUL) */
} dc_buf;

#define DC_BUF_INIT   \
    {                 \
        NULL, 0, 0, 0 \
    }

void dc_buf_init(dc_buf *b, size_t max);
/* Append; DC_ELIMIT when the cap would be passed, DC_ENOMEM. */
int dc_buf_put(dc_buf *b, const void *data, size_t len);
/* Room for len more bytes, allocated now at that size exactly (a buffer
 * whose final size is known grows once); DC_ELIMIT over the cap. */
int dc_buf_reserve(dc_buf *b, size_t len);
int dc_buf_puts(dc_buf *b, const char *s);
int dc_buf_putc(dc_buf *b, char c);
int dc_buf_printf(dc_buf *b, const char *fmt, ...) DC_PRINTF(2, 3);
/* Drop trailing bytes in @p set (e.g. " \t\n"). */
void dc_buf_rtrim(dc_buf *b, const char *set);
void dc_buf_clear(dc_buf *b);
/* Hand the content to the caller (free with free()); an empty buffer gives "". */
char *dc_buf_detach(dc_buf *b, size_t *len_out);
void dc_buf_dispose(dc_buf *b);

/* ---------------------------------------------------------------- UTF-8 */

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when invalid (overlong,
 * surrogate, beyond U+10FFFF, truncated). */
size_t dc_utf8_seq(const unsigned char *s, size_t avail, uint32_t *cp_out);
/* 1 when the whole buffer is valid UTF-8. If bad_offset is given it receives
 * the offset of the first invalid byte. */
int dc_utf8_valid(const void *data, size_t len, size_t *bad_offset);
/* Number of Unicode code points in valid UTF-8 (the one counting rule used
 * for ExtractedCharacters and every character limit). */
size_t dc_utf8_count(const char *s, size_t len);
/* Append code point cp as UTF-8. */
int dc_buf_put_cp(dc_buf *b, uint32_t cp);

/* ---------------------------------------------------------------- misc */

char *dc_strdup(const char *s);
char *dc_strndup(const char *s, size_t n);
/* SHA-256 of data as 64 lowercase hex digits + NUL. */
int dc_sha256_hex(char out[65], const void *data, size_t len);
/* crypto.c (libcrypto, loaded on first use): HMAC-SHA256 into out; standard
 * base64 of data (padding, no line breaks) appended to out; n random bytes;
 * zeroing a secret. */
int dc_hmac_sha256(
    unsigned char out[32], const void *key, size_t keylen, const void *msg, size_t msglen);
int dc_base64(dc_buf *out, const void *data, size_t len);
/* SHA-1 of data as 40 hex digits (the SSO token cache names its files so). */
int dc_sha1_hex(char out[41], const void *data, size_t len);
/* Initialise libcrypto once (the calls above do it themselves). */
int dc_crypto_init(void);
int dc_random_bytes(void *buf, size_t n);
void dc_cleanse(void *p, size_t n);

/* Read a whole file (regular files only) up to max bytes.
 * DC_ENOTFOUND, DC_EIO (directory, special file, read error), DC_ELIMIT. */
int dc_read_file(char **out, size_t *len_out, const char *path, size_t max);
/* dc_read_file that also reads a pipe or a character device to its end
 * (a config given as <(...) or /dev/stdin). */
int dc_read_file_stream(char **out, size_t *len_out, const char *path, size_t max);

#endif
