/*
 * Words with their boxes (src/lib/words.c) and the words of the first pass
 * (pdfcore): a reserved list takes its words without moving, texts stay
 * readable after the pool grows, bad sizes are refused; a generated PDF's
 * pages give their own words only (the pass's buffers are reused from page
 * to page), each one's text in the page's text, in order, with boxes on
 * the page.
 */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_word_size),
        cmocka_unit_test(test_reserve_exact),
        cmocka_unit_test(test_reserve_refused),
        cmocka_unit_test(test_first_pass_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
