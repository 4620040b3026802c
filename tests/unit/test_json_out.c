/* Unit tests: shortest reals in JSON output (src/lib/json_out.c), by
 * tables: each real prints with the fewest digits that read back as the
 * same double; strings, integers and literals pass through untouched. */
#include <float.h>
#include <locale.h>
#include <math.h>

#include <jansson.h>

#include "dc_test.h"
#include "json_out.h"

static void reals_are_shortest(void **state)
{
    static const struct {
        double v;
        const char *want;
    } cases[] = {
        {0.1, "0.1"},
        {8.415, "8.415"},
        {16.83, "16.83"},
        {0.3, "0.3"},
        {0.1 + 0.2, "0.30000000000000004"},
        {1.0, "1.0"},
        {0.0, "0.0"},
        {-0.0, "-0.0"},
        {-2.5, "-2.5"},
        {100.0, "100.0"},
        {1e21, "1e+21"},
        {1e-7, "1e-07"},
        {123456789012.0, "123456789012.0"},
        {DBL_MAX, "1.7976931348623157e+308"},
        {5e-324, "5e-324"},
        {1e16, "1e+16"},
        {123.456e-10, "1.23456e-08"},
        {0.0001, "0.0001"},
        {96.44, "96.44"},
        {1.0 / 3.0, "0.3333333333333333"},
    };
    char buf[40];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int n = dc_json_real_text(buf, sizeof(buf), cases[i].v);
        if (n < 0 || strcmp(buf, cases[i].want) != 0)
            fail_msg("%.17g: got '%s', want '%s'", cases[i].v, n < 0 ? "(error)" : buf,
                     cases[i].want);
        assert_int_equal(n, (int)strlen(cases[i].want));
        assert_true(strtod(buf, NULL) == cases[i].v);
    }
    assert_int_equal(dc_json_real_text(buf, sizeof(buf), NAN), -1);
    assert_int_equal(dc_json_real_text(buf, sizeof(buf), INFINITY), -1);
    assert_int_equal(dc_json_real_text(buf, 8, 0.5), -1);
}

/* The fewest digits, by brute force: every count from 1 tried. */
static int fewest_digits(double v)
{
    char sci[40];
    int p;

    for (p = 1; p < 17; p++) {
        (void)snprintf(sci, sizeof(sci), "%.*e", p - 1, v);
        if (strtod(sci, NULL) == v)
            break;
    }
    return p;
}

/* The significant digits of a printed real ("0.00123" -> 3, "1e+21" -> 1,
 * "100.0" -> 1). */
static int digits_of(const char *s)
{
    char d[40];
    size_t n = 0;

    for (; *s && *s != 'e' && n < sizeof(d) - 1; s++)
        if (*s >= '0' && *s <= '9' && (n > 0 || *s != '0'))
            d[n++] = *s;
    while (n > 1 && d[n - 1] == '0')
        n--;
    return n ? (int)n : 1;
}

/* 200,000 doubles of every kind (random bits, short decimals, values near
 * powers of ten, subnormals): each prints with as few digits as the search
 * that tries every count finds, and reads back the same. */
static void reals_match_brute_force(void **state)
{
    unsigned long long x = 0x9E3779B97F4A7C15ull;
    char buf[40];
    int i;

    (void)state;
    for (i = 0; i < 200000; i++) {
        double v;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        switch (i % 4) {
        case 0: /* any finite double */
            memcpy(&v, &x, sizeof(v));
            if (!isfinite(v))
                continue;
            break;
        case 1: /* a short decimal, as boxes and confidences are */
            v = (double)(x % 100000000ull) / pow(10.0, (double)(x >> 60));
            break;
        case 2: /* next to a power of ten */
            v = nextafter(pow(10.0, (double)((int)(x % 40) - 20)), (x >> 63) ? 0.0 : 1e300);
            break;
        default: /* subnormal */
            v = (double)(x % 1000000ull) * 4.9406564584124654e-324;
        }
        if (dc_json_real_text(buf, sizeof(buf), v) < 0 || strtod(buf, NULL) != v ||
            digits_of(buf) != fewest_digits(v))
            fail_msg("%.17g: got '%s', %d digits where %d read back", v, buf, digits_of(buf),
                     fewest_digits(v));
    }
}

/* A text rewritten: only number tokens with a fraction or exponent change;
 * numbers inside strings (escaped quotes too), integers and literals not. */
static void texts_are_rewritten_token_by_token(void **state)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"{\"a\":8.4149999999999991}", "{\"a\":8.415}"},
        {"[0.10000000000000001,-2.5,7,-3,true,false,null]", "[0.1,-2.5,7,-3,true,false,null]"},
        {"{\"8.4149999999999991\":\"0.10000000000000001\"}",
         "{\"8.4149999999999991\":\"0.10000000000000001\"}"},
        {"[\"a\\\"0.10000000000000001\\\\\",0.10000000000000001]",
         "[\"a\\\"0.10000000000000001\\\\\",0.1]"},
        {"{\n  \"x\": 1.0000000000000000e+21,\n  \"y\": 12\n}",
         "{\n  \"x\": 1e+21,\n  \"y\": 12\n}"},
        {"1.5", "1.5"},
        {"", ""},
        {"[1e5]", "[100000.0]"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *out = NULL;
        assert_int_equal(dc_json_shorten(cases[i].in, strlen(cases[i].in), &out), 0);
        if (strcmp(out, cases[i].want) != 0)
            fail_msg("'%s': got '%s', want '%s'", cases[i].in, out, cases[i].want);
        free(out);
    }
}

/* jansson's own dump, every real shortened, everything else as
 * json_dumps writes it; the text reads back to an equal value. */
static void dumps_reads_back_equal(void **state)
{
    json_t *j = json_pack("{s:f,s:[f,f,i],s:s,s:{s:f}}", "mp", 2550.0 * 3300.0 / 1e6, "v", 0.1,
                          1.0 / 3.0, (json_int_t)42, "s", "8.4149999999999991", "o", "c", 96.44);
    char *mine, *theirs;
    json_t *back;
    size_t flags[] = {JSON_COMPACT | JSON_PRESERVE_ORDER, JSON_INDENT(2) | JSON_PRESERVE_ORDER};
    size_t k;

    (void)state;
    assert_non_null(j);
    for (k = 0; k < 2; k++) {
        mine = dc_json_dumps(j, flags[k]);
        theirs = json_dumps(j, flags[k]);
        assert_non_null(mine);
        assert_non_null(theirs);
        assert_true(dc_test_contains(mine, "\"mp\": 8.415") ||
                    dc_test_contains(mine, "\"mp\":8.415"));
        assert_true(dc_test_contains(mine, "0.1,") || dc_test_contains(mine, "0.1\n"));
        assert_true(dc_test_contains(mine, "\"8.4149999999999991\""));
        assert_true(strlen(mine) < strlen(theirs));
        back = json_loads(mine, 0, NULL);
        assert_non_null(back);
        assert_true(json_equal(back, j));
        json_decref(back);
        free(mine);
        free(theirs);
    }
    json_decref(j);
}

/* Under a locale whose decimal point is a comma the text still uses '.'. */
static void comma_locale(void **state)
{
    char buf[40];

    (void)state;
    if (!setlocale(LC_NUMERIC, "de_DE.UTF-8") && !setlocale(LC_NUMERIC, "fr_FR.UTF-8")) {
        print_message("skipped: no locale with a decimal comma installed\n");
        skip();
    }
    assert_int_equal(dc_json_real_text(buf, sizeof(buf), 8.415), 5);
    assert_string_equal(buf, "8.415");
    (void)setlocale(LC_NUMERIC, "C");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reals_are_shortest),
        cmocka_unit_test(reals_match_brute_force),
        cmocka_unit_test(texts_are_rewritten_token_by_token),
        cmocka_unit_test(dumps_reads_back_equal),
        cmocka_unit_test(comma_locale),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
