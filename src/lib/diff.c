/*
 * Text agreement metrics (docs/diff.md): character and word error rates by
 * edit distance, word precision and recall over bags of words, the length
 * ratio, and a unified word diff. Pure: no I/O, no global state.
 *
 * Memory is bounded: an edit distance keeps two rows over the shorter
 * sequence, and a table (after the common prefix and suffix are taken off)
 * over DC_DIFF_MAX_CELLS cells is not computed at all (the result says so).
 * The word diff's LCS keeps one byte a cell, capped at LCS_MAX_CELLS; over
 * it, everything between the common prefix and suffix is shown as changed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diff_int.h"

#define LCS_MAX_CELLS ((size_t)32 << 20)
#define MAX_TOKENS    ((size_t)4 << 20)

static int is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

int dc_tokens(dc_span **out, size_t *n, const char *text, size_t len, size_t max)
{
    dc_span *v = NULL;
    size_t cap = 0, k = 0, i = 0;

    *out = NULL;
    *n = 0;
    while (i < len && k < max) {
        size_t s;
        while (i < len && is_ws((unsigned char)text[i]))
            i++;
        if (i >= len)
            break;
        s = i;
        while (i < len && !is_ws((unsigned char)text[i]))
            i++;
        if (k == cap) {
            size_t nc = cap ? cap * 2 : 64;
            dc_span *p = realloc(v, nc * sizeof(*v));
            if (!p) {
                free(v);
                return dc_error_oom();
            }
            v = p;
            cap = nc;
        }
        v[k].off = s;
        v[k].len = i - s;
        k++;
    }
    *out = v;
    *n = k;
    return DC_OK;
}

/* Code points of the whitespace-normalised text (a run of whitespace is one
 * space, none at either end); an invalid byte is one character. */
static int normalised_cps(uint64_t **out, size_t *n, const char *t, size_t len)
{
    uint64_t *v = malloc((len ? len : 1) * sizeof(*v));
    size_t i = 0, k = 0;
    int space = 0;

    if (!v)
        return dc_error_oom();
    while (i < len) {
        uint32_t cp = 0;
        size_t m;
        if (is_ws((unsigned char)t[i])) {
            space = k > 0;
            i++;
            continue;
        }
        if (space)
            v[k++] = ' ';
        space = 0;
        m = dc_utf8_seq((const unsigned char *)t + i, len - i, &cp);
        if (m == 0) {
            cp = 0x110000u + (unsigned char)t[i]; /* not a code point: only equals itself */
            m = 1;
        }
        v[k++] = cp;
        i += m;
    }
    *out = v;
    *n = k;
    return DC_OK;
}

/* FNV-1a of each token: words compared by 64-bit hash. */
static int word_hashes(uint64_t **out, size_t *n, const char *t, size_t len)
{
    dc_span *tok = NULL;
    uint64_t *v;
    size_t k, i;
    int err = dc_tokens(&tok, &k, t, len, MAX_TOKENS);

    *out = NULL;
    if (err < 0)
        return err;
    v = malloc((k ? k : 1) * sizeof(*v));
    if (!v) {
        free(tok);
        return dc_error_oom();
    }
    for (i = 0; i < k; i++) {
        uint64_t h = 1469598103934665603ull;
        for (size_t j = 0; j < tok[i].len; j++)
            h = (h ^ (unsigned char)t[tok[i].off + j]) * 1099511628211ull;
        v[i] = h;
    }
    free(tok);
    *out = v;
    *n = k;
    return DC_OK;
}

/*
 * Levenshtein distance of a and b (unit costs), two rows over the shorter
 * one after the common prefix and suffix are dropped. *capped = 1 and
 * nothing computed when the remaining table is over DC_DIFF_MAX_CELLS.
 */
static int
edit_distance(size_t *dist, int *capped, const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    size_t *row = NULL, i, j;

    *capped = 0;
    while (na && nb && a[0] == b[0]) {
        a++;
        b++;
        na--;
        nb--;
    }
    while (na && nb && a[na - 1] == b[nb - 1]) {
        na--;
        nb--;
    }
    if (na < nb) {
        const uint64_t *t = a;
        size_t tn = na;
        a = b;
        na = nb;
        b = t;
        nb = tn;
    }
    if (nb == 0) {
        *dist = na;
        return DC_OK;
    }
    if ((double)na * (double)nb > DC_DIFF_MAX_CELLS) {
        *capped = 1;
        *dist = 0;
        return DC_OK;
    }
    row = malloc((nb + 1) * sizeof(*row));
    if (!row)
        return dc_error_oom();
    for (j = 0; j <= nb; j++)
        row[j] = j;
    for (i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    *dist = row[nb];
    free(row);
    return DC_OK;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

/* Size of the multiset intersection (sorts both arrays). */
static size_t bag_common(uint64_t *a, size_t na, uint64_t *b, size_t nb)
{
    size_t i = 0, j = 0, c = 0;

    qsort(a, na, sizeof(*a), cmp_u64);
    qsort(b, nb, sizeof(*b), cmp_u64);
    while (i < na && j < nb) {
        if (a[i] == b[j]) {
            c++;
            i++;
            j++;
        } else if (a[i] < b[j]) {
            i++;
        } else {
            j++;
        }
    }
    return c;
}

static double ratio(size_t num, size_t den, size_t when_both_zero)
{
    if (den == 0)
        return num == 0 ? (double)when_both_zero : (double)num;
    return (double)num / (double)den;
}

int dc_text_metrics_compute(
    dc_text_metrics *m, const char *a, size_t alen, const char *b, size_t blen)
{
    uint64_t *ca = NULL, *cb = NULL, *wa = NULL, *wb = NULL;
    size_t na = 0, nb = 0, nwa = 0, nwb = 0;
    int capped_c = 0, capped_w = 0, err;

    memset(m, 0, sizeof(*m));
    err = normalised_cps(&ca, &na, a ? a : "", a ? alen : 0);
    if (err >= 0)
        err = normalised_cps(&cb, &nb, b ? b : "", b ? blen : 0);
    if (err >= 0)
        err = word_hashes(&wa, &nwa, a ? a : "", a ? alen : 0);
    if (err >= 0)
        err = word_hashes(&wb, &nwb, b ? b : "", b ? blen : 0);
    if (err >= 0)
        err = edit_distance(&m->char_edits, &capped_c, ca, na, cb, nb);
    if (err >= 0)
        err = edit_distance(&m->word_edits, &capped_w, wa, nwa, wb, nwb);
    if (err < 0)
        goto done;
    m->a_chars = na;
    m->b_chars = nb;
    m->a_words = nwa;
    m->b_words = nwb;
    m->capped = capped_c || capped_w;
    m->cer = capped_c ? -1.0 : ratio(m->char_edits, nb, 0);
    m->wer = capped_w ? -1.0 : ratio(m->word_edits, nwb, 0);
    m->common_words = bag_common(wa, nwa, wb, nwb);
    m->precision = ratio(m->common_words, nwa, 1);
    m->recall = ratio(m->common_words, nwb, 1);
    m->length_ratio = ratio(na, nb, 1);
done:
    free(ca);
    free(cb);
    free(wa);
    free(wb);
    return err;
}

/* ---------------------------------------------------------------- word diff */

static int tok_eq(const char *a, const dc_span *x, const char *b, const dc_span *y)
{
    return x->len == y->len && memcmp(a + x->off, b + y->off, x->len) == 0;
}

/* LCS directions over the middle part [0, na) x [0, nb): marks tokens not
 * in the LCS. dir: 1 diagonal, 2 up (drop a), 3 left (drop b). */
static int lcs_mark(unsigned char *am,
                    unsigned char *bm,
                    const char *a,
                    const dc_span *at,
                    size_t na,
                    const char *b,
                    const dc_span *bt,
                    size_t nb)
{
    unsigned char *dir = NULL;
    size_t *prev = NULL, *cur = NULL, i, j;
    int err = DC_OK;

    if (na == 0 || nb == 0 || (double)na * (double)nb > (double)LCS_MAX_CELLS) {
        memset(am, 1, na);
        memset(bm, 1, nb);
        return DC_OK;
    }
    dir = malloc(na * nb);
    prev = calloc(nb + 1, sizeof(*prev));
    cur = calloc(nb + 1, sizeof(*cur));
    if (!dir || !prev || !cur) {
        err = dc_error_oom();
        goto done;
    }
    for (i = 0; i < na; i++) {
        for (j = 0; j < nb; j++) {
            unsigned char d;
            if (tok_eq(a, &at[i], b, &bt[j])) {
                cur[j + 1] = prev[j] + 1;
                d = 1;
            } else if (prev[j + 1] >= cur[j]) {
                cur[j + 1] = prev[j + 1];
                d = 2;
            } else {
                cur[j + 1] = cur[j];
                d = 3;
            }
            dir[i * nb + j] = d;
        }
        memcpy(prev, cur, (nb + 1) * sizeof(*prev));
    }
    memset(am, 1, na);
    memset(bm, 1, nb);
    i = na;
    j = nb;
    while (i > 0 && j > 0) {
        unsigned char d = dir[(i - 1) * nb + (j - 1)];
        if (d == 1) {
            am[--i] = 0;
            bm[--j] = 0;
        } else if (d == 2) {
            i--;
        } else {
            j--;
        }
    }
done:
    free(dir);
    free(prev);
    free(cur);
    return err;
}

int dc_diff_mark(unsigned char *a_only,
                 unsigned char *b_only,
                 const char *a,
                 const dc_span *at,
                 size_t na,
                 const char *b,
                 const dc_span *bt,
                 size_t nb)
{
    size_t p = 0, s = 0;

    while (p < na && p < nb && tok_eq(a, &at[p], b, &bt[p]))
        p++;
    while (s < na - p && s < nb - p && tok_eq(a, &at[na - 1 - s], b, &bt[nb - 1 - s]))
        s++;
    memset(a_only, 0, na);
    memset(b_only, 0, nb);
    return lcs_mark(a_only + p, b_only + p, a, at + p, na - p - s, b, bt + p, nb - p - s);
}

typedef struct {
    char op; /* ' ', '-', '+' */
    size_t ai, bi;
} wop;

/* The edit script from the marks: deletions before insertions between
 * common words. */
static size_t
script(wop *ops, const unsigned char *am, size_t na, const unsigned char *bm, size_t nb)
{
    size_t i = 0, j = 0, k = 0;

    while (i < na || j < nb) {
        if (i < na && am[i])
            ops[k++] = (wop){'-', i++, j};
        else if (j < nb && bm[j])
            ops[k++] = (wop){'+', i, j++};
        else
            ops[k++] = (wop){' ', i++, j++};
    }
    return k;
}

static int put_word(dc_buf *o, char op, const char *t, const dc_span *s)
{
    int err = dc_buf_putc(o, op);
    if (err >= 0)
        err = dc_buf_put(o, t + s->off, s->len);
    if (err >= 0)
        err = dc_buf_putc(o, '\n');
    return err;
}

/* One hunk: ops [from, to). */
static int hunk(dc_buf *o,
                const wop *ops,
                size_t from,
                size_t to,
                const char *a,
                const dc_span *at,
                const char *b,
                const dc_span *bt)
{
    size_t ac = 0, bc = 0, k;
    int err;

    for (k = from; k < to; k++) {
        ac += ops[k].op != '+';
        bc += ops[k].op != '-';
    }
    err = dc_buf_printf(o, "@@ -%zu,%zu +%zu,%zu @@\n", ops[from].ai + (ac > 0), ac,
                        ops[from].bi + (bc > 0), bc);
    for (k = from; k < to && err >= 0; k++) {
        if (ops[k].op == '+')
            err = put_word(o, '+', b, &bt[ops[k].bi]);
        else
            err = put_word(o, ops[k].op, a, &at[ops[k].ai]);
    }
    return err;
}

static int hunks(dc_buf *o,
                 const wop *ops,
                 size_t nops,
                 int context,
                 const char *a,
                 const dc_span *at,
                 const char *b,
                 const dc_span *bt)
{
    size_t ctx = context < 0 ? 0 : (size_t)context, k = 0;
    int err = DC_OK;

    while (k < nops && err >= 0) {
        size_t start, end, last;
        if (ops[k].op == ' ') {
            k++;
            continue;
        }
        start = k > ctx ? k - ctx : 0;
        last = k;
        end = k + 1;
        while (end < nops && end <= last + 2 * ctx + 1) {
            if (ops[end].op != ' ')
                last = end;
            end++;
        }
        end = last + 1 + ctx < nops ? last + 1 + ctx : nops;
        err = hunk(o, ops, start, end, a, at, b, bt);
        k = end;
    }
    return err;
}

int dc_word_diff(char **out,
                 const char *a,
                 size_t alen,
                 const char *b,
                 size_t blen,
                 const char *label_a,
                 const char *label_b,
                 int context)
{
    dc_span *at = NULL, *bt = NULL;
    unsigned char *am = NULL, *bm = NULL;
    wop *ops = NULL;
    size_t na = 0, nb = 0, nops;
    dc_buf o = DC_BUF_INIT;
    int err;

    *out = NULL;
    dc_buf_init(&o, (size_t)256 << 20);
    err = dc_tokens(&at, &na, a ? a : "", a ? alen : 0, MAX_TOKENS);
    if (err >= 0)
        err = dc_tokens(&bt, &nb, b ? b : "", b ? blen : 0, MAX_TOKENS);
    if (err < 0)
        goto done;
    am = malloc(na + 1);
    bm = malloc(nb + 1);
    ops = malloc((na + nb + 1) * sizeof(*ops));
    if (!am || !bm || !ops) {
        err = dc_error_oom();
        goto done;
    }
    err = dc_diff_mark(am, bm, a, at, na, b, bt, nb);
    nops = err >= 0 ? script(ops, am, na, bm, nb) : 0;
    if (err >= 0)
        err =
            dc_buf_printf(&o, "--- %s\n+++ %s\n", label_a ? label_a : "a", label_b ? label_b : "b");
    if (err >= 0)
        err = hunks(&o, ops, nops, context, a, at, b, bt);
    if (err >= 0) {
        *out = dc_buf_detach(&o, NULL);
        if (!*out)
            err = dc_error_oom();
    }
done:
    dc_buf_dispose(&o);
    free(at);
    free(bt);
    free(am);
    free(bm);
    free(ops);
    return err;
}
