/*
 * Shortest reals in JSON output. jansson prints a real with "%.17g", which
 * reads back exactly but shows 0.1 as 0.10000000000000001; its
 * JSON_REAL_PRECISION flag applies one precision to every number. Here each
 * real gets the fewest significant digits that read back as the same
 * double (what Python's repr and JavaScript print), by rewriting the
 * number tokens of jansson's output: a small lexer over the text that
 * knows strings (numbers inside them are left alone) and number tokens.
 */
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "json_out.h"

#define NUM_MAX 64 /* longest number token rewritten (jansson's are < 32) */

/* strtod and snprintf use the locale's decimal point; JSON uses '.'. */
static char decimal_point(void)
{
    const char *p = localeconv()->decimal_point;
    return p && p[0] ? p[0] : '.';
}

static void swap_point(char *s, char from, char to)
{
    if (from != to)
        for (; *s; s++)
            if (*s == from)
                *s = to;
}

int dc_json_real_text(char *buf, size_t size, double v)
{
    char dp = decimal_point(), sci[40];
    int p, n = -1, e;

    if (!isfinite(v) || size < 32)
        return -1;
    /* The fewest significant digits that read back as v. When some k <= 15
     * digits do, v rounded to 15 is those k digits and zeros (v is within
     * half an ulp, 1.1e-16 of it, of them; 15 digits step by 1e-15 at
     * least): one try at 15 and its trailing zeros dropped find k. Else
     * 16, else 17 (which always read back). Subnormals have fewer bits:
     * every count is tried. */
    for (p = fabs(v) >= DBL_MIN ? 15 : 1; p <= 17; p++) {
        n = snprintf(sci, sizeof(sci), "%.*e", p - 1, v);
        if (n < 0 || (size_t)n >= sizeof(sci))
            return -1;
        if (strtod(sci, NULL) == v)
            break;
    }
    if (p > 17)
        p = 17;
    if (p == 15 && fabs(v) >= DBL_MIN) {
        const char *x = strchr(sci, 'e');
        while (p > 1 && x[-1] == '0') {
            x--;
            p--;
        }
    }
    e = atoi(strchr(sci, 'e') + 1);
    /* plain notation where it is short (as Python's repr), else exponent */
    if (e >= -4 && e < 16)
        n = snprintf(buf, size, "%.*f", p - 1 - e > 0 ? p - 1 - e : 0, v);
    else
        n = snprintf(buf, size, "%.*e", p - 1, v);
    if (n < 0 || (size_t)n >= size)
        return -1;
    swap_point(buf, dp, '.');
    if (!strpbrk(buf, ".eE")) {
        if ((size_t)n + 2 >= size)
            return -1;
        memcpy(buf + n, ".0", 3);
        n += 2;
    }
    return n;
}

typedef struct {
    dc_buf out;
    int in_str, esc;
    char num[NUM_MAX];
    size_t nlen;
    int in_num, failed;
} shortener;

static void put(shortener *s, const char *p, size_t n)
{
    if (!s->failed && dc_buf_put(&s->out, p, n) < 0)
        s->failed = 1;
}

/* End of a number token: a real is rewritten, an integer kept. */
static void flush_num(shortener *s)
{
    char text[40];
    int n = -1;

    if (!s->in_num)
        return;
    s->num[s->nlen] = '\0';
    if (strpbrk(s->num, ".eE")) {
        char local[NUM_MAX];
        memcpy(local, s->num, s->nlen + 1);
        swap_point(local, '.', decimal_point());
        n = dc_json_real_text(text, sizeof(text), strtod(local, NULL));
    }
    if (n > 0)
        put(s, text, (size_t)n);
    else
        put(s, s->num, s->nlen);
    s->in_num = 0;
    s->nlen = 0;
}

static int num_char(char c)
{
    return c != '\0' && strchr("0123456789.eE+-", c) != NULL;
}

/* Copy the text through, spans at a time; number tokens (which may be cut
 * between two calls) go through s->num. */
static void feed(shortener *s, const char *p, size_t n)
{
    size_t i, start = 0;

    for (i = 0; i < n; i++) {
        char c = p[i];
        if (s->in_num) {
            if (num_char(c) && s->nlen + 1 < sizeof(s->num)) {
                s->num[s->nlen++] = c;
                start = i + 1;
                continue;
            }
            if (num_char(c)) { /* too long to be jansson's: left as it is */
                put(s, s->num, s->nlen);
                s->in_num = 0;
                s->nlen = 0;
                start = i;
                continue;
            }
            flush_num(s);
            start = i;
        }
        if (s->in_str) {
            if (s->esc)
                s->esc = 0;
            else if (c == '\\')
                s->esc = 1;
            else if (c == '"')
                s->in_str = 0;
        } else if (c == '"') {
            s->in_str = 1;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            put(s, p + start, i - start);
            s->in_num = 1;
            s->num[0] = c;
            s->nlen = 1;
            start = i + 1;
        }
    }
    if (start < n)
        put(s, p + start, n - start);
}

/* The end of the text: its last number, and the result handed over. */
static char *finish(shortener *s)
{
    char *text;

    flush_num(s);
    if (s->failed) {
        dc_buf_dispose(&s->out);
        return NULL;
    }
    text = dc_buf_detach(&s->out, NULL);
    return text;
}

int dc_json_shorten(const char *in, size_t len, char **out)
{
    shortener s;

    memset(&s, 0, sizeof(s));
    dc_buf_init(&s.out, (size_t)-1 / 2);
    feed(&s, in, len);
    *out = finish(&s);
    return *out ? 0 : -1;
}

static int dump_cb(const char *buffer, size_t size, void *data)
{
    shortener *s = data;

    feed(s, buffer, size);
    return s->failed ? -1 : 0;
}

char *dc_json_dumps(const json_t *j, size_t flags)
{
    shortener s;

    memset(&s, 0, sizeof(s));
    dc_buf_init(&s.out, (size_t)-1 / 2);
    if (json_dump_callback(j, dump_cb, &s, flags) != 0) {
        dc_buf_dispose(&s.out);
        return NULL;
    }
    return finish(&s);
}
