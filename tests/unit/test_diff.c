/*
 * diff.c and compare.c: metrics against known strings and against an
 * independent full-matrix Levenshtein; word diff output; saved-result
 * readers (text, extract JSON, Textract JSON, ClassifyDocument response)
 * and their bad inputs; agreement and ranking.
 */
#include <math.h>

#include "dc_test.h"
#include "diff_int.h"

static void metrics(dc_text_metrics *m, const char *a, const char *b)
{
    assert_dc_ok(dc_text_metrics_compute(m, a, strlen(a), b, strlen(b)));
}

static void test_known(void **state)
{
    dc_text_metrics m;
    (void)state;

    metrics(&m, "kitten", "sitting");
    assert_int_equal(m.char_edits, 3);
    assert_true(fabs(m.cer - 3.0 / 7.0) < 1e-12);
    assert_int_equal(m.word_edits, 1);
    assert_true(fabs(m.wer - 1.0) < 1e-12);

    metrics(&m, "the cat sat", "the cat sat down");
    assert_int_equal(m.word_edits, 1);
    assert_true(fabs(m.wer - 0.25) < 1e-12);
    assert_int_equal(m.char_edits, 5); /* " down" */
    assert_true(fabs(m.precision - 1.0) < 1e-12);
    assert_true(fabs(m.recall - 0.75) < 1e-12);
    assert_true(fabs(m.length_ratio - 11.0 / 16.0) < 1e-12);

    /* bags of words: multiset intersection */
    metrics(&m, "a a b", "a b b");
    assert_int_equal(m.common_words, 2);
    assert_true(fabs(m.precision - 2.0 / 3.0) < 1e-12);
    assert_true(fabs(m.recall - 2.0 / 3.0) < 1e-12);

    /* whitespace is normalised: runs are one space, none at the ends */
    metrics(&m, "  a \t b\n\nc  ", "a b c");
    assert_int_equal(m.char_edits, 0);
    assert_int_equal(m.a_chars, 5);

    /* code points, not bytes */
    metrics(&m, "caf\xc3\xa9", "cafe");
    assert_int_equal(m.char_edits, 1);
    assert_int_equal(m.a_chars, 4);

    /* empty sides */
    metrics(&m, "", "");
    assert_true(m.cer == 0 && m.wer == 0 && m.precision == 1 && m.recall == 1);
    assert_true(m.length_ratio == 1);
    metrics(&m, "abc", "");
    assert_int_equal(m.char_edits, 3);
    assert_true(m.cer == 3); /* edits over max(1, 0) */
    metrics(&m, "", "abcd");
    assert_true(m.cer == 1 && m.recall == 0 && m.precision == 1);

    /* an invalid byte is one character that only equals itself */
    metrics(&m, "a\xff", "a\xfe");
    assert_int_equal(m.char_edits, 1);
}

/* Independent reference: the textbook full matrix. */
static size_t ref_lev(const char *a, size_t na, const char *b, size_t nb)
{
    size_t *d = calloc((na + 1) * (nb + 1), sizeof(*d)), i, j, r;

    assert_non_null(d);
    for (i = 0; i <= na; i++)
        d[i * (nb + 1)] = i;
    for (j = 0; j <= nb; j++)
        d[j] = j;
    for (i = 1; i <= na; i++) {
        for (j = 1; j <= nb; j++) {
            size_t sub = d[(i - 1) * (nb + 1) + j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = d[(i - 1) * (nb + 1) + j] + 1;
            size_t ins = d[i * (nb + 1) + j - 1] + 1;
            d[i * (nb + 1) + j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
    }
    r = d[na * (nb + 1) + nb];
    free(d);
    return r;
}

static void random_text(char *s, size_t n, unsigned *seed)
{
    static const char alpha[] = "abcab xyz";
    size_t i;

    for (i = 0; i < n; i++) {
        *seed = *seed * 1103515245u + 12345u;
        s[i] = alpha[(*seed >> 16) % (sizeof(alpha) - 1)];
    }
    s[n] = '\0';
    /* no leading, trailing or doubled spaces, so normalisation is a no-op */
    for (i = 0; i < n; i++) {
        if (s[i] == ' ' && (i == 0 || i + 1 == n || s[i - 1] == ' '))
            s[i] = 'q';
    }
}

static void test_against_reference(void **state)
{
    unsigned seed = 12345;
    char a[80], b[80];
    int k;
    (void)state;

    for (k = 0; k < 300; k++) {
        dc_text_metrics m;
        size_t na = (size_t)(k % 70), nb = (size_t)((k * 7) % 75);
        random_text(a, na, &seed);
        random_text(b, nb, &seed);
        if (k % 3 == 0 && na > 4) { /* similar strings too */
            memcpy(b, a, na + 1);
            b[na / 2] = 'z';
            nb = na;
        }
        metrics(&m, a, b);
        assert_int_equal(m.char_edits, ref_lev(a, strlen(a), b, strlen(b)));
    }
}

static void test_word_diff(void **state)
{
    char *out = NULL;
    const char *a = "one two three four five six seven eight nine ten";
    const char *b = "one two THREE four five six seven eight nine ten eleven";
    (void)state;

    assert_dc_ok(dc_word_diff(&out, a, strlen(a), b, strlen(b), "A", "B", 1));
    assert_string_equal(out, "--- A\n+++ B\n"
                             "@@ -2,3 +2,3 @@\n two\n-three\n+THREE\n four\n"
                             "@@ -10,1 +10,2 @@\n ten\n+eleven\n");
    dc_free(out);
    assert_dc_ok(dc_word_diff(&out, a, strlen(a), a, strlen(a), "A", "B", 3));
    assert_string_equal(out, "--- A\n+++ B\n");
    dc_free(out);
    assert_dc_ok(dc_word_diff(&out, "", 0, "x", 1, NULL, NULL, 0));
    assert_string_equal(out, "--- a\n+++ b\n@@ -0,0 +1,1 @@\n+x\n");
    dc_free(out);
}

static const char *write_tmp(const char *name, const char *content, size_t len)
{
    const char *p = dc_test_tmp(name);
    FILE *f = fopen(p, "wb");

    assert_non_null(f);
    assert_int_equal(fwrite(content, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    return p;
}

static void test_sides(void **state)
{
    static const char txt[] = "page one text\fpage two\f";
    static const char classify[] =
        "{\"Classes\":[{\"Name\":\"x\",\"Score\":0.9}],\"DocumentMetadata\":{\"Pages\":2,"
        "\"ExtractedCharacters\":[{\"Page\":1,\"Count\":13},{\"Page\":2,\"Count\":8}]},"
        "\"DocumentType\":[{\"Page\":1,\"Type\":\"NATIVE_PDF\"},{\"Page\":2,\"Type\":"
        "\"SCANNED_PDF\"}]}";
    static const char textract[] =
        "{\"DocumentMetadata\":{\"Pages\":1},\"Blocks\":[{\"BlockType\":\"PAGE\",\"Id\":\"p\"},"
        "{\"BlockType\":\"LINE\",\"Id\":\"l\",\"Text\":\"page one text\",\"Page\":1},"
        "{\"BlockType\":\"WORD\",\"Id\":\"w\",\"Text\":\"page\",\"Confidence\":90,\"Page\":1,"
        "\"Geometry\":{\"BoundingBox\":{\"Left\":0.1,\"Top\":0.2,\"Width\":0.1,\"Height\":0.05}}}]"
        "}";
    dc_side *t = NULL, *c = NULL, *x = NULL, *bad = NULL;
    dc_diff *d = NULL;
    (void)state;

    assert_dc_ok(dc_side_load_file(&t, write_tmp("side.txt", txt, sizeof(txt) - 1)));
    assert_int_equal(dc_side_page_count(t), 3); /* trailing form feed: an empty third page */
    assert_string_equal(dc_side_source(t), "text");
    assert_string_equal(t->pages[1].text, "page two");

    assert_dc_ok(dc_side_load_file(&c, write_tmp("cls.json", classify, sizeof(classify) - 1)));
    assert_string_equal(dc_side_source(c), "classify-response");
    assert_int_equal(dc_side_has_text(c), 0);
    assert_int_equal(dc_side_page_count(c), 2);
    assert_int_equal(c->pages[1].chars, 8);
    assert_string_equal(c->pages[1].type, "SCANNED_PDF");

    assert_dc_ok(dc_side_load_file(&x, write_tmp("tx.json", textract, sizeof(textract) - 1)));
    assert_string_equal(dc_side_source(x), "textract-json");
    assert_string_equal(x->pages[0].text, "page one text");
    assert_int_equal(x->pages[0].words.n, 1);
    assert_true(fabs(x->pages[0].words.w[0].x1 - 0.2) < 1e-9);

    /* text vs Textract: page 1 equal, pages 2 and 3 missing on one side */
    assert_dc_ok(dc_diff_new(&d, x, t));
    assert_int_equal(d->n, 3);
    assert_true(dc_diff_page_agrees(&d->pages[0], 0.0));
    assert_false(dc_diff_agrees(d, 0.05));
    assert_int_equal(d->order[2], 0); /* the agreeing page ranks last */
    dc_diff_free(d);

    /* counts only: the classify response against itself agrees */
    assert_dc_ok(dc_diff_new(&d, c, c));
    assert_true(dc_diff_agrees(d, 0));
    dc_diff_free(d);

    assert_dc_fail(dc_side_load_file(&bad, dc_test_tmp("no-such-file")), DC_ENOTFOUND);
    assert_dc_fail(dc_side_load_file(&bad, write_tmp("bin.txt", "a\xff\xfe", 3)), DC_ECORRUPT);
    assert_dc_fail(dc_side_load_file(&bad, write_tmp("o.json", "{\"x\":1}", 7)), DC_ECORRUPT);
    assert_dc_fail(dc_side_load_file(&bad, write_tmp("arr.json", "[{},{}]", 7)), DC_ECORRUPT);
    assert_dc_fail(
        dc_side_load_file(&bad, write_tmp("err.json",
                                          "{\"docclass_version\":\"0.1.0\",\"error\":{\"code\":"
                                          "\"CORRUPT\",\"message\":\"damaged PDF\"}}",
                                          79)),
        DC_ECORRUPT);
    assert_true(dc_test_contains(dc_error_last()->message, "damaged PDF"));
    assert_null(bad);
    dc_side_free(t);
    dc_side_free(c);
    dc_side_free(x);
}

static void test_json_and_table(void **state)
{
    dc_side *a = NULL, *b = NULL;
    dc_diff *d = NULL;
    char *out = NULL;
    json_t *j;
    (void)state;

    assert_dc_ok(dc_side_load_file(&a, write_tmp("a.txt", "alpha beta\fsame", 15)));
    assert_dc_ok(dc_side_load_file(&b, write_tmp("b.txt", "alpha gamma\fsame", 16)));
    assert_dc_ok(dc_diff_new(&d, a, b));
    assert_dc_ok(dc_diff_to_json(&out, d, 0.05, DC_JSON_COMPACT));
    j = json_loads(out, 0, NULL);
    assert_non_null(j);
    assert_false(json_is_true(json_object_get(j, "agrees")));
    assert_int_equal(json_integer_value(json_array_get(json_object_get(j, "worst_first"), 0)), 1);
    assert_int_equal(json_integer_value(json_object_get(
                         json_array_get(json_object_get(j, "pages"), 0), "char_edits")),
                     4);
    json_decref(j);
    dc_free(out);
    assert_dc_ok(dc_diff_to_table(&out, d, 0.05, 1));
    assert_true(dc_test_contains(out, "DIFFERS"));
    assert_true(dc_test_contains(out, "-beta\n+gamma\n"));
    dc_free(out);
    dc_diff_free(d);
    dc_side_free(a);
    dc_side_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known),          cmocka_unit_test(test_against_reference),
        cmocka_unit_test(test_word_diff),      cmocka_unit_test(test_sides),
        cmocka_unit_test(test_json_and_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
