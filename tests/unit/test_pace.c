/* Unit tests: the pace of requests to an endpoint's inference units
 * (src/lib/pace.c), driven with a given clock. Each row reserves requests
 * and checks the waits handed out; the long-run rate is the provisioned
 * one whatever the burst. */
#include "dc_test.h"
#include "send_int.h"

#define EPS 1e-9

typedef struct {
    const char *name;
    double units;
    double at;    /* when the request is reserved */
    double chars; /* its characters */
    double wait;  /* the wait expected */
} reserve_row;

/* Rows of one schedule share a name; a new name starts a new schedule. */
static const reserve_row rows[] = {
    /* 1 IU: 2 documents a second; half a second of burst, then one every 0.5 s */
    {"docs", 1, 0, 0, 0},
    {"docs", 1, 0, 0, 0},
    {"docs", 1, 0, 0, 0.5},
    {"docs", 1, 0, 0, 1.0},
    {"docs", 1, 5, 0, 0}, /* idle time is not saved up beyond the burst */
    {"docs", 1, 5, 0, 0},
    {"docs", 1, 5, 0, 0.5},
    /* 1 IU: 100 characters a second binds at 100 characters a request */
    {"chars", 1, 0, 100, 0},
    {"chars", 1, 0, 100, 0.5},
    {"chars", 1, 0, 100, 1.5},
    {"chars", 1, 0, 100, 2.5},
    /* 4 IU: 8 documents and 400 characters a second; 50-character pages bind on documents */
    {"four", 4, 0, 50, 0},
    {"four", 4, 0, 50, 0},
    {"four", 4, 0, 50, 0},
    {"four", 4, 0, 50, 0},
    {"four", 4, 0, 50, 0},
    {"four", 4, 0, 50, 0.125},
    {"four", 4, 0, 50, 0.25},
    /* a page over a second's characters goes, and the next pays its debt */
    {"debt", 1, 0, 300, 0},
    {"debt", 1, 0, 10, 2.5},
};

static void schedules(void **state)
{
    dc_pace_state s;
    const char *cur = NULL;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const reserve_row *r = &rows[i];
        double w;
        if (!cur || strcmp(cur, r->name) != 0) {
            dc_pace__init(&s, r->units, 0);
            cur = r->name;
        }
        w = dc_pace__reserve(&s, r->at, r->chars);
        if (w < r->wait - EPS || w > r->wait + EPS)
            fail_msg("%s row %zu: wait %g, want %g", r->name, i, w, r->wait);
    }
}

/* Over 1,000 requests reserved as fast as they are allowed, the rate is
 * the provisioned one (the burst is half a second of it). */
static void long_run_rate(void **state)
{
    dc_pace_state s;
    double t = 0;
    int i;

    (void)state;
    dc_pace__init(&s, 4, 0);
    for (i = 0; i < 1000; i++)
        t += dc_pace__reserve(&s, t, 30);
    /* 1,000 documents at 8 a second, the first 5 at once (half a second) */
    assert_true(t > 124.3 && t < 124.4); /* 995 x 0.125 s */
    dc_pace__init(&s, 2, 0);
    for (t = 0, i = 0; i < 1000; i++)
        t += dc_pace__reserve(&s, t, 150); /* 200 characters a second bind */
    assert_true(t > 748.7 && t < 748.8);   /* 999 x 0.75 s, less the burst */
}

/* Characters known only from the answer are a debt the next request pays. */
static void settle_charges_the_answer(void **state)
{
    dc_pace_state s;

    (void)state;
    dc_pace__init(&s, 1, 0);
    assert_true(dc_pace__reserve(&s, 0, 0) == 0);
    dc_pace__settle(&s, 0, 250, 1); /* Bytes: the answer counted 250 */
    assert_true(dc_pace__reserve(&s, 0, 0) > 1.9);
    assert_int_equal(s.sent, 1);
    assert_true(s.characters == 250);
}

/* Throttles cut the share, at most once a second, never under 0.1;
 * successes probe it back, never over 1. */
static void adaptive_share(void **state)
{
    dc_pace_state s;
    int i;

    (void)state;
    dc_pace__init(&s, 1, 0);
    dc_pace__throttled(&s, 10);
    assert_true(s.share > 0.7 - EPS && s.share < 0.7 + EPS);
    dc_pace__throttled(&s, 10.5); /* within a second: counted, not cut */
    assert_true(s.share > 0.7 - EPS && s.share < 0.7 + EPS);
    assert_int_equal(s.throttles, 2);
    dc_pace__throttled(&s, 11.5);
    assert_true(s.share > 0.49 - EPS && s.share < 0.49 + EPS);
    for (i = 0; i < 20; i++)
        dc_pace__throttled(&s, 20.0 + 2 * i);
    assert_true(s.share > 0.1 - EPS && s.share < 0.1 + EPS);
    /* at a tenth of the rate, a document every 5 s */
    dc_pace__init(&s, 1, 0);
    s.share = 0.1;
    (void)dc_pace__reserve(&s, 0, 0);
    (void)dc_pace__reserve(&s, 0, 0);
    assert_true(dc_pace__reserve(&s, 0, 0) > 9.4);
    for (i = 0; i < 100; i++)
        dc_pace__settle(&s, 0, 0, 1);
    assert_true(s.share == 1.0);
}

static void pacer_api(void **state)
{
    dc_pacer *p = NULL;
    dc_pacer_stats st;

    (void)state;
    assert_dc_fail(dc_pacer_new(&p, 0), DC_EINVAL);
    assert_dc_fail(dc_pacer_new(&p, 1001), DC_EINVAL);
    assert_dc_ok(dc_pacer_new(&p, 3));
    dc_pacer__wait(p, 10);
    dc_pacer__done(p, 10, 12, 1, 0);
    dc_pacer__wait(p, 10);
    dc_pacer__done(p, 10, 10, 0, 1);
    assert_dc_ok(dc_pacer_get_stats(p, &st));
    assert_true(st.inference_units == 3);
    assert_int_equal(st.requests, 2);
    assert_int_equal(st.sent, 1);
    assert_int_equal(st.throttles, 1);
    assert_int_equal(st.characters, 12);
    assert_true(st.share < 1.0);
    dc_pacer_free(p);
    assert_dc_fail(dc_pacer_get_stats(NULL, &st), DC_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(schedules),
        cmocka_unit_test(long_run_rate),
        cmocka_unit_test(settle_charges_the_answer),
        cmocka_unit_test(adaptive_share),
        cmocka_unit_test(pacer_api),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
