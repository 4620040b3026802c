/*
 * UTF-8 validation and counting. One rule everywhere: a character is a
 * Unicode code point of the emitted UTF-8 text.
 */
#include "internal.h"

size_t dc_utf8_seq(const unsigned char *s, size_t avail, uint32_t *cp_out)
{
    uint32_t cp;
    size_t n;
    size_t i;

    if (avail == 0)
        return 0;
    if (s[0] < 0x80) {
        cp = s[0];
        n = 1;
    } else if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        cp = s[0] & 0x1Fu;
        n = 2;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        cp = s[0] & 0x0Fu;
        n = 3;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        cp = s[0] & 0x07u;
        n = 4;
    } else {
        return 0;
    }
    if (n > avail)
        return 0;
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0u) != 0x80u)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    /* overlong forms, surrogates, beyond the Unicode range */
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    if (cp_out)
        *cp_out = cp;
    return n;
}

int dc_utf8_valid(const void *data, size_t len, size_t *bad_offset)
{
    const unsigned char *s = data;
    size_t i = 0;

    while (i < len) {
        size_t n;
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        n = dc_utf8_seq(s + i, len - i, NULL);
        if (n == 0) {
            if (bad_offset)
                *bad_offset = i;
            return 0;
        }
        i += n;
    }
    return 1;
}

size_t dc_utf8_count(const char *s, size_t len)
{
    size_t count = 0;
    size_t i;

    for (i = 0; i < len; i++) {
        if (((unsigned char)s[i] & 0xC0u) != 0x80u)
            count++;
    }
    return count;
}

int dc_buf_put_cp(dc_buf *b, uint32_t cp)
{
    unsigned char out[4];
    size_t n;

    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        n = 1;
    } else if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | (cp >> 6));
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | (cp >> 12));
        out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        out[0] = (unsigned char)(0xF0 | (cp >> 18));
        out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return dc_buf_put(b, out, n);
}
