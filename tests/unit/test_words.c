/*
 * Words with their boxes (src/lib/words.c) and the words of the first pass
 * (pdfcore): a reserved list takes its words without moving, texts stay
 * readable after the pool grows, bad sizes are refused; a generated PDF's
 * pages give their own words only (the pass's buffers are reused from page
 * to page), each one's text in the page's text, in order, with boxes on
 * the page. The arena the document keeps them in (src/lib/arena.c): every
 * piece aligned and its own, across blocks and threads; a list borrowing
 * its room from it is never freed on its own and moves out to grow.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "dc_test.h"
#include "pdfcore.h"
#include "words.h"

int dc_pdf_gen_pages(const char *path, const char *kinds);

static void test_word_size(void **state)
{
    (void)state;
    /* the first pass keeps one of these for every word of a document */
    assert_true(sizeof(dc_word) <= 48);
}

static void test_reserve_exact(void **state)
{
    static const struct {
        const char *text;
        int boxed;
    } in[] = {{"alpha", 1}, {"be", 0}, {"", 1}, {"gamma\xc3\xa9", 1}};
    dc_words ws = {0};
    size_t bytes = 0, i;
    const dc_word *w0;
    const char *pool0;
    (void)state;

    for (i = 0; i < 4; i++)
        bytes += strlen(in[i].text) + 1;
    assert_dc_ok(dc_words_reserve(&ws, 4, bytes));
    assert_int_equal(ws.cap, 4);
    assert_int_equal(ws.pool_cap, bytes);
    w0 = ws.w;
    pool0 = ws.pool;
    for (i = 0; i < 4; i++) {
        double box[4] = {0.1 * (double)i, 0.2, 0.3 + 0.1 * (double)i, 0.4};
        assert_dc_ok(
            dc_words_add(&ws, in[i].text, strlen(in[i].text), in[i].boxed ? box : NULL, 100.0));
    }
    /* nothing moved: the reservation was enough */
    assert_ptr_equal(ws.w, w0);
    assert_ptr_equal(ws.pool, pool0);
    assert_int_equal(ws.n, 4);
    assert_int_equal(ws.pool_len, bytes);
    for (i = 0; i < 4; i++) {
        assert_string_equal(dc_word_text(&ws, i), in[i].text);
        assert_int_equal(ws.w[i].boxed, in[i].boxed);
    }
    assert_true(ws.w[3].x0 > 0.29 && ws.w[3].x0 < 0.31 && ws.w[3].x1 > 0.59);
    /* past the reservation the list grows, earlier texts still read */
    for (i = 0; i < 300; i++)
        assert_dc_ok(dc_words_add(&ws, "overflowing", 11, NULL, -1));
    assert_int_equal(ws.n, 304);
    assert_string_equal(dc_word_text(&ws, 0), "alpha");
    assert_string_equal(dc_word_text(&ws, 3), "gamma\xc3\xa9");
    assert_string_equal(dc_word_text(&ws, 303), "overflowing");
    /* reserving on a list with words adds room beyond them */
    assert_dc_ok(dc_words_reserve(&ws, 10, 100));
    assert_true(ws.cap >= ws.n + 10);
    assert_true(ws.pool_cap >= ws.pool_len + 100);
    dc_words_dispose(&ws);
    assert_null(ws.w);
    assert_int_equal(ws.n, 0);
}

static void test_reserve_refused(void **state)
{
    dc_words ws = {0};
    (void)state;

    assert_dc_fail(dc_words_reserve(&ws, (size_t)-1 / 2, 0), DC_ELIMIT);
    assert_dc_fail(dc_words_reserve(&ws, 1, ((size_t)1 << 30) + 1), DC_ELIMIT);
    /* a refusal leaves the list usable */
    assert_dc_ok(dc_words_add(&ws, "ok", 2, NULL, 50));
    assert_string_equal(dc_word_text(&ws, 0), "ok");
    dc_words_dispose(&ws);
}

/* The words of page i, joined by spaces, against the page's text with its
 * white space folded: the same words in the same order. */
static void check_page(dc_pdfcore *pdf, size_t i, size_t *nwords)
{
    dc_pdfcore_page pg;
    char *joined, *folded;
    size_t k, n = 0, m = 0;

    assert_dc_ok(dc_pdfcore_analyze(pdf, i, 1, 1 << 20, 1, &pg));
    *nwords = pg.nwords;
    joined = calloc(1, pg.word_bytes + pg.nwords + 1);
    folded = calloc(1, pg.len + 1);
    assert_non_null(joined);
    assert_non_null(folded);
    for (k = 0; k < pg.nwords; k++) {
        const dc_pdfcore_word *w = &pg.words[k];
        if (k)
            joined[n++] = ' ';
        memcpy(joined + n, w->text, w->len);
        n += w->len;
        assert_true(w->box[0] >= 0 && w->box[0] <= w->box[2] && w->box[2] <= 1);
        assert_true(w->box[1] >= 0 && w->box[1] <= w->box[3] && w->box[3] <= 1);
    }
    for (k = 0; k < pg.len; k++) {
        int sp = strchr(" \t\n\r\f", pg.text[k]) != NULL;
        if (sp && (m == 0 || folded[m - 1] == ' '))
            continue;
        folded[m++] = sp ? ' ' : pg.text[k];
    }
    while (m && folded[m - 1] == ' ')
        m--;
    folded[m] = '\0';
    assert_string_equal(joined, folded);
    free(joined);
    free(folded);
    dc_pdfcore_page_dispose(&pg);
}

static void test_first_pass_words(void **state)
{
    const char *p = dc_test_tmp("words.pdf");
    dc_pdfcore *pdf = NULL;
    size_t len, n[4], i;
    int encrypted;
    char *data;
    (void)state;

    /* digital, blank, digital, vector: pages with words, without, with */
    assert_int_equal(dc_pdf_gen_pages(p, "dbdv"), 0);
    data = dc_test_slurp(p, &len);
    assert_non_null(data);
    assert_dc_ok(dc_pdfcore_open(&pdf, &encrypted, data, len, NULL));
    for (i = 0; i < 4; i++)
        check_page(pdf, i, &n[i]);
    assert_true(n[0] > 10);
    assert_int_equal(n[1], 0); /* the blank page after a full one: none left over */
    assert_true(n[2] > 10);
    assert_int_equal(n[3], 0);
    /* the same page again gives the same words */
    {
        size_t again;
        check_page(pdf, 0, &again);
        assert_int_equal(again, n[0]);
    }
    dc_pdfcore_close(pdf);
    free(data);
}

/* Pieces of many sizes, filled each with its own byte, then read back:
 * none overlaps another, across blocks (the first one small) and one
 * piece larger than any block so far. */
static void test_arena_pieces(void **state)
{
    enum { N = 2000 };
    dc_arena *a = dc_arena_new(0);
    unsigned char *p[N + 1];
    size_t len[N + 1], used, held, i, k, total = 0;
    (void)state;

    assert_non_null(a);
    for (i = 0; i < N; i++) {
        len[i] = (i * 7919) % 1500; /* 0 to 1,499 bytes */
        p[i] = dc_arena_alloc(a, len[i]);
        assert_non_null(p[i]);
        assert_int_equal((uintptr_t)p[i] % 16, 0);
        memset(p[i], (int)(i & 0xFF), len[i]);
        total += len[i];
    }
    len[N] = (size_t)3 << 20; /* a huge-page block of its own */
    p[N] = dc_arena_alloc(a, len[N]);
    assert_non_null(p[N]);
    memset(p[N], 0xA5, len[N]);
    for (i = 0; i < N; i++)
        for (k = 0; k < len[i]; k++)
            assert_int_equal(p[i][k], i & 0xFF);
    assert_int_equal(p[N][0], 0xA5);
    assert_int_equal(p[N][len[N] - 1], 0xA5);
    dc_arena_usage(a, &used, &held);
    assert_true(used >= total + len[N]);
    assert_true(held >= used);
    assert_true(held > ((size_t)3 << 20)); /* several blocks */
    dc_arena_free(a);
    dc_arena_free(NULL);
}

static void test_arena_refused(void **state)
{
    dc_arena *a = dc_arena_new((size_t)1 << 40); /* a hint beyond reason: capped */
    size_t used, held;
    char *p;
    (void)state;

    assert_non_null(a);
    dc_error_clear();
    assert_null(dc_arena_alloc(a, (size_t)-1 / 2));
    assert_int_equal(dc_error_last()->code, DC_ELIMIT);
    dc_arena_usage(a, &used, &held);
    assert_int_equal(used, 0);
    /* still usable, its first block no larger than the cap on it */
    p = dc_arena_alloc(a, 10);
    assert_non_null(p);
    memcpy(p, "0123456789", 10);
    dc_arena_usage(a, &used, &held);
    assert_true(held <= ((size_t)64 << 20));
    dc_arena_free(a);
}

typedef struct {
    dc_arena *a;
    uint32_t id;
    uint32_t *p[4000];
} arena_user;

static void *arena_thread(void *arg)
{
    arena_user *u = arg;
    size_t i;

    for (i = 0; i < 4000; i++) {
        u->p[i] = dc_arena_alloc(u->a, 3 * sizeof(uint32_t));
        if (!u->p[i])
            return NULL;
        u->p[i][0] = u->id;
        u->p[i][1] = (uint32_t)i;
        u->p[i][2] = u->id ^ (uint32_t)i;
    }
    return NULL;
}

/* Two threads at once (the planning threads of one document): each piece
 * still holds what its thread wrote. */
static void test_arena_threads(void **state)
{
    static arena_user u[2];
    pthread_t t[2];
    size_t k, i;
    (void)state;

    u[0].a = u[1].a = dc_arena_new(4096);
    assert_non_null(u[0].a);
    for (k = 0; k < 2; k++) {
        u[k].id = (uint32_t)k + 1;
        assert_int_equal(pthread_create(&t[k], NULL, arena_thread, &u[k]), 0);
    }
    for (k = 0; k < 2; k++)
        assert_int_equal(pthread_join(t[k], NULL), 0);
    for (k = 0; k < 2; k++) {
        for (i = 0; i < 4000; i++) {
            assert_non_null(u[k].p[i]);
            assert_int_equal(u[k].p[i][0], u[k].id);
            assert_int_equal(u[k].p[i][1], i);
            assert_int_equal(u[k].p[i][2], u[k].id ^ (uint32_t)i);
        }
    }
    dc_arena_free(u[0].a);
}

/* A list on an arena's room: filled in place, left to the arena by
 * dispose (freeing it would abort, or fail under ASan), moved to memory of
 * its own when it grows past its room, texts and boxes intact. */
static void test_words_borrowed(void **state)
{
    dc_arena *a = dc_arena_new(0);
    dc_words ws = {0}, kept = {0};
    double box[4] = {0.1, 0.2, 0.3, 0.4};
    const dc_word *w0;
    size_t i;
    (void)state;

    assert_non_null(a);
    assert_dc_ok(dc_words_reserve_in(&ws, a, 2, 12));
    assert_true(ws.borrowed);
    w0 = ws.w;
    assert_dc_ok(dc_words_add(&ws, "alpha", 5, box, 100));
    assert_dc_ok(dc_words_add(&ws, "beta", 4, NULL, 90));
    assert_ptr_equal(ws.w, w0); /* in place */
    assert_true(ws.borrowed);
    kept = ws; /* a copy of the borrowed list: the arena's memory */
    assert_dc_ok(dc_words_add(&ws, "gamma", 5, box, 80));
    assert_false(ws.borrowed);
    assert_ptr_not_equal(ws.w, w0);
    assert_int_equal(ws.n, 3);
    assert_string_equal(dc_word_text(&ws, 0), "alpha");
    assert_string_equal(dc_word_text(&ws, 1), "beta");
    assert_string_equal(dc_word_text(&ws, 2), "gamma");
    assert_true(ws.w[0].boxed && !ws.w[1].boxed && ws.w[2].boxed);
    assert_true(ws.w[0].x1 > 0.29 && ws.w[0].x1 < 0.31);
    /* the arena's copy is untouched by the move */
    assert_string_equal(dc_word_text(&kept, 1), "beta");
    for (i = 0; i < 100; i++)
        assert_dc_ok(dc_words_add(&ws, "more", 4, NULL, 50));
    assert_string_equal(dc_word_text(&ws, 2), "gamma");
    dc_words_dispose(&ws);   /* its own memory: freed */
    dc_words_dispose(&kept); /* the arena's: left to it */
    assert_null(kept.w);
    /* reserving more on a borrowed list moves it too */
    assert_dc_ok(dc_words_reserve_in(&ws, a, 1, 3));
    assert_dc_ok(dc_words_add(&ws, "ab", 2, NULL, 1));
    assert_dc_ok(dc_words_reserve(&ws, 5, 50));
    assert_false(ws.borrowed);
    assert_true(ws.cap >= 6);
    assert_string_equal(dc_word_text(&ws, 0), "ab");
    dc_words_dispose(&ws);
    dc_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arena_pieces),    cmocka_unit_test(test_arena_refused),
        cmocka_unit_test(test_arena_threads),   cmocka_unit_test(test_words_borrowed),
        cmocka_unit_test(test_word_size),       cmocka_unit_test(test_reserve_exact),
        cmocka_unit_test(test_reserve_refused), cmocka_unit_test(test_first_pass_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
