/* Unit tests: the local classifier (src/lib/model.c). Texts of three
 * classes drawn from their own words over shared filler: training finds
 * them, probabilities sum to 1, the same seed gives the same bytes, a
 * saved model reads back to the same scores, and every damaged file is
 * refused with its reason. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dc_test.h"

static const char *const vocab[3][8] = {
    {"invoice", "total", "due", "remit", "payment", "tax", "subtotal", "net"},
    {"dear", "sincerely", "regards", "letter", "kindly", "yours", "hope", "meeting"},
    {"receipt", "cash", "change", "visa", "cashier", "store", "qty", "paid"},
};
static const char *const names[3] = {"invoice", "letter", "receipt"};
static const char *const filler[6] = {"the", "of", "and", "to", "with", "a"};

static unsigned long long rng = 42;

static unsigned rnd(unsigned n)
{
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)((rng >> 33) % n);
}

static void make_text(char *buf, size_t size, int c)
{
    size_t n = 0;
    int i;

    buf[0] = '\0';
    for (i = 0; i < 30 && n + 16 < size; i++) {
        const char *w = rnd(3) ? filler[rnd(6)] : vocab[c][rnd(8)];
        n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? " " : "", w);
    }
}

static dc_trainset *make_set(int per_class, int multi)
{
    dc_trainset *ts = NULL;
    char text[512];
    int c, i;

    assert_dc_ok(dc_trainset_new(&ts));
    for (c = 0; c < 3; c++) {
        for (i = 0; i < per_class; i++) {
            const char *labels[2] = {names[c], "urgent"};
            make_text(text, sizeof(text), c);
            assert_dc_ok(dc_trainset_add(ts, text, strlen(text), labels, multi && (i % 2) ? 2 : 1));
        }
    }
    return ts;
}

static double top(const dc_model *m, const char *text, size_t *best)
{
    double p[8], sum = 0;
    size_t i, k = dc_model_class_count(m);

    assert_dc_ok(dc_model_predict(m, text, strlen(text), p));
    *best = 0;
    for (i = 0; i < k; i++) {
        sum += p[i];
        if (p[i] > p[*best])
            *best = i;
    }
    if (dc_model_get_mode(m) == DC_MODEL_MULTI_CLASS)
        assert_true(fabs(sum - 1.0) < 1e-9);
    return p[*best];
}

static void trains_and_predicts(void **state)
{
    dc_train_options o = DC_TRAIN_OPTIONS_INIT;
    int alg;

    (void)state;
    for (alg = 0; alg < 2; alg++) {
        dc_trainset *ts = make_set(40, 0);
        dc_model *m = NULL;
        char *report = NULL;
        size_t best;

        o.algorithm = alg ? DC_MODEL_BAYES : DC_MODEL_LOGISTIC;
        assert_dc_ok(dc_model_train(&m, &report, ts, &o));
        assert_int_equal(dc_model_class_count(m), 3);
        assert_string_equal(dc_model_class_name(m, 1), "letter");
        assert_true(dc_test_contains(report, "\"folds\":5"));
        assert_true(strtod(strstr(report, "\"accuracy\":") + 11, NULL) >= 0.9);
        {
            char *text = NULL;
            assert_dc_ok(dc_model_report_format(&text, report));
            assert_true(dc_test_contains(text, "cross-validated (5 folds): accuracy"));
            assert_true(dc_test_contains(text, "  letter "));
            assert_true(dc_test_contains(text, "calibration: temperature"));
            dc_free(text);
            assert_dc_fail(dc_model_report_format(&text, "{\"x\":1}"), DC_EINVAL);
        }
        assert_true(top(m, "please remit the payment, total due net of tax", &best) > 0.5);
        assert_string_equal(dc_model_class_name(m, best), "invoice");
        (void)top(m, "dear friend, sincerely yours, kindly", &best);
        assert_string_equal(dc_model_class_name(m, best), "letter");
        (void)top(m, "", &best); /* no words: still a distribution */
        dc_free(report);
        dc_model_free(m);
        dc_trainset_free(ts);
    }
}

static void multi_label(void **state)
{
    dc_train_options o = DC_TRAIN_OPTIONS_INIT;
    dc_trainset *ts = make_set(40, 1);
    dc_model *m = NULL;
    double p[4];

    (void)state;
    o.mode = DC_MODEL_MULTI_LABEL;
    o.folds = -1;
    assert_dc_ok(dc_model_train(&m, NULL, ts, &o));
    assert_int_equal(dc_model_class_count(m), 4);
    assert_dc_ok(dc_model_predict(m, "cash receipt from the store cashier", 35, p));
    assert_true(p[2] > 0.5);               /* receipt */
    assert_true(p[0] < 0.5 && p[1] < 0.5); /* not invoice, not letter */
    assert_true(p[3] > 0.0 && p[3] < 1.0); /* urgent: a probability of its own */
    dc_model_free(m);
    /* naive Bayes is multi-class only; a multi-class set of two labels a text is refused */
    o.algorithm = DC_MODEL_BAYES;
    assert_dc_fail(dc_model_train(&m, NULL, ts, &o), DC_EINVAL);
    o.algorithm = DC_MODEL_LOGISTIC;
    o.mode = DC_MODEL_MULTI_CLASS;
    assert_dc_fail(dc_model_train(&m, NULL, ts, &o), DC_EINVAL);
    assert_true(dc_test_contains(dc_error_last()->message, "has 2 labels"));
    dc_trainset_free(ts);
}

static void deterministic_and_round_trip(void **state)
{
    dc_train_options o = DC_TRAIN_OPTIONS_INIT;
    dc_trainset *ts = make_set(30, 0);
    dc_model *a = NULL, *b = NULL, *c = NULL, *back = NULL;
    char *ba = NULL, *bb = NULL, *bc = NULL, *bback = NULL;
    size_t la, lb, lc, lback;
    double pa[3], pb[3];
    const char *q = "total due, remit payment";

    (void)state;
    o.dims_log2 = 12;
    assert_dc_ok(dc_model_train(&a, NULL, ts, &o));
    assert_dc_ok(dc_model_train(&b, NULL, ts, &o));
    o.seed = 99;
    assert_dc_ok(dc_model_train(&c, NULL, ts, &o));
    assert_dc_ok(dc_model_set_metadata(a, "{\"DocumentReadMode\":\"SERVICE_DEFAULT\"}"));
    assert_dc_ok(dc_model_set_metadata(b, "{\"DocumentReadMode\":\"SERVICE_DEFAULT\"}"));
    assert_dc_ok(dc_model_save(a, &ba, &la));
    assert_dc_ok(dc_model_save(b, &bb, &lb));
    assert_dc_ok(dc_model_save(c, &bc, &lc));
    assert_int_equal(la, lb);
    assert_memory_equal(ba, bb, la);                  /* same seed, same bytes */
    assert_true(la != lc || memcmp(ba, bc, la) != 0); /* another seed, another model */
    assert_dc_ok(dc_model_load(&back, ba, la));
    assert_dc_ok(dc_model_save(back, &bback, &lback));
    assert_int_equal(lback, la);
    assert_memory_equal(bback, ba, la);
    assert_string_equal(dc_model_metadata(back), "{\"DocumentReadMode\":\"SERVICE_DEFAULT\"}");
    assert_dc_ok(dc_model_predict(a, q, strlen(q), pa));
    assert_dc_ok(dc_model_predict(back, q, strlen(q), pb));
    assert_memory_equal(pa, pb, sizeof(pa));
    assert_dc_fail(dc_model_set_metadata(a, "[1]"), DC_EINVAL);
    free(ba);
    free(bb);
    free(bc);
    free(bback);
    dc_model_free(a);
    dc_model_free(b);
    dc_model_free(c);
    dc_model_free(back);
    dc_trainset_free(ts);
}

static void damaged_files_are_refused(void **state)
{
    dc_train_options o = DC_TRAIN_OPTIONS_INIT;
    dc_trainset *ts = make_set(10, 0);
    dc_model *m = NULL, *x = NULL;
    char *buf = NULL, *copy;
    size_t len, nl;
    float nan = NAN;

    (void)state;
    o.dims_log2 = 10;
    o.folds = -1;
    assert_dc_ok(dc_model_train(&m, NULL, ts, &o));
    assert_dc_ok(dc_model_save(m, &buf, &len));
    copy = malloc(len + 8);
    assert_non_null(copy);
    assert_dc_fail(dc_model_load(&x, "hello", 5), DC_ECORRUPT);
    assert_dc_fail(dc_model_load(&x, buf, len - 1), DC_ECORRUPT); /* truncated */
    assert_true(dc_test_contains(dc_error_last()->message, "header says"));
    memcpy(copy, buf, len);
    memcpy(copy + len, "junk", 4);
    assert_dc_fail(dc_model_load(&x, copy, len + 4), DC_ECORRUPT); /* trailing bytes */
    memcpy(copy, buf, len);
    copy[15] = '2'; /* "docclass-model 2" */
    assert_dc_fail(dc_model_load(&x, copy, len), DC_EUNSUPPORTED);
    memcpy(copy, buf, len);
    nl = (size_t)((char *)memchr(copy + 17, '\n', len - 17) - copy);
    memcpy(copy + nl + 1, &nan, 4);
    assert_dc_fail(dc_model_load(&x, copy, len), DC_ECORRUPT); /* a weight that is no number */
    memcpy(copy, buf, len);
    memcpy(strstr(copy, "\"dims_log2\":10"), "\"dims_log2\":30", 14);
    assert_dc_fail(dc_model_load(&x, copy, len), DC_ECORRUPT);
    assert_null(x);
    /* bad training input */
    assert_dc_fail(dc_trainset_add(ts, "x", 1, NULL, 0), DC_EINVAL);
    {
        const char *empty[1] = {""};
        assert_dc_fail(dc_trainset_add(ts, "x", 1, empty, 1), DC_EINVAL);
    }
    {
        dc_trainset *one = NULL;
        const char *l[1] = {"only"};
        assert_dc_ok(dc_trainset_new(&one));
        assert_dc_ok(dc_trainset_add(one, "a b c", 5, l, 1));
        assert_dc_fail(dc_model_train(&x, NULL, one, NULL), DC_EINVAL);
        assert_true(dc_test_contains(dc_error_last()->message, "at least 2"));
        dc_trainset_free(one);
    }
    o.dims_log2 = 30;
    assert_dc_fail(dc_model_train(&x, NULL, ts, &o), DC_EINVAL);
    free(copy);
    free(buf);
    dc_model_free(m);
    dc_trainset_free(ts);
}

static void evaluates_another_reading(void **state)
{
    dc_train_options o = DC_TRAIN_OPTIONS_INIT;
    dc_trainset *ts = make_set(30, 0), *other = NULL;
    dc_model *m = NULL;
    char *rep = NULL;
    const char *inv[1] = {"invoice"}, *unk[1] = {"memo"};

    (void)state;
    o.folds = -1;
    assert_dc_ok(dc_model_train(&m, NULL, ts, &o));
    assert_dc_ok(dc_trainset_new(&other));
    assert_dc_ok(dc_trainset_add(other, "total due remit", 15, inv, 1));
    assert_dc_ok(dc_trainset_add(other, "a memo", 6, unk, 1));
    assert_dc_ok(dc_model_evaluate(&rep, m, other));
    assert_true(dc_test_contains(rep, "\"accuracy\":0.5"));
    assert_true(dc_test_contains(rep, "\"unknown_labels\":1"));
    dc_free(rep);
    dc_model_free(m);
    dc_trainset_free(ts);
    dc_trainset_free(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(trains_and_predicts),          cmocka_unit_test(multi_label),
        cmocka_unit_test(deterministic_and_round_trip), cmocka_unit_test(damaged_files_are_refused),
        cmocka_unit_test(evaluates_another_reading),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
