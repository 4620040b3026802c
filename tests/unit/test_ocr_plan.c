/*
 * The pure parts of the OCR stage, by tables of cases: the preparation
 * plan from measured facts (ocr_prep.c) and the reading order of lines
 * (ocr_order.c).
 */
#include <math.h>
#include <string.h>

#include "dc_test.h"
#include "ocr_order.h"
#include "ocr_prep.h"

/* ---------------------------------------------------------------- plan */

typedef struct {
    const char *name;
    dc_prep_facts f;
    unsigned steps; /* DC_PREP_UPSCALE / DC_PREP_DOWNSCALE expected (RULES always) */
    double scale;
    int dpi;
    int dpi_from_text;
    unsigned retry;
} plan_case;

static void plan_table(void **state)
{
    static const plan_case cases[] = {
        /* name, {w, h, dpi, text, small, items, bg}, steps, scale, dpi, from text, retry */
        {"300 DPI letter, 10 pt", {2550, 3300, 300, 30, 26, 500, 5}, 0, 1, 300, 0, DC_PREP_SMOOTH},
        {"phone photo of a receipt, no DPI",
         {600, 1700, 0, 17, 15, 400, 20},
         DC_PREP_UPSCALE,
         28.0 / 17,
         289,
         1,
         DC_PREP_SMOOTH},
        {"says 72 DPI, text says 200",
         {600, 1700, 72, 20, 18, 300, 20},
         DC_PREP_UPSCALE,
         1.4,
         288,
         1,
         DC_PREP_SMOOTH},
        {"tiny text: at most 4x",
         {500, 500, 0, 5, 5, 50, 0},
         DC_PREP_UPSCALE,
         4,
         206,
         1,
         DC_PREP_SMOOTH},
        /* the recogniser is told the resolution at which the text is 10 pt */
        {"tiny text on a huge page: no room to scale",
         {8000, 8000, 300, 10, 10, 900, 0},
         0,
         1,
         103,
         1,
         DC_PREP_SMOOTH},
        {"600 DPI receipt",
         {4961, 7016, 0, 68, 60, 400, 3},
         DC_PREP_DOWNSCALE,
         28.0 / 68,
         288,
         1,
         DC_PREP_SMOOTH},
        {"large print with footnotes: footnotes kept readable",
         {2550, 3300, 300, 70, 30, 400, 3},
         DC_PREP_DOWNSCALE,
         22.0 / 30,
         220,
         0,
         DC_PREP_SMOOTH},
        {"large text, small print too close: left alone",
         {2550, 3300, 300, 40, 21, 400, 3},
         0,
         1,
         300,
         0,
         DC_PREP_SMOOTH},
        {"no text found", {1000, 1000, 0, 0, 0, 0, 0}, 0, 1, 300, 0, DC_PREP_SMOOTH},
        /* 3small.pdf's map: 37 labels over 0.74 MP are no text to scale for */
        {"a map: a few labels over a large area, not scaled",
         {833, 888, 300, 15, 9, 37, 95},
         0,
         1,
         300,
         0,
         DC_PREP_SMOOTH | DC_PREP_BACKGROUND},
        /* paystub_header.png: 21 components on a 632 x 128 strip are dense */
        {"a strip of small print, scaled",
         {632, 128, 0, 10, 9, 21, 0},
         DC_PREP_UPSCALE,
         2.8,
         288,
         1,
         DC_PREP_SMOOTH},
        {"uneven lighting",
         {2000, 3000, 300, 30, 28, 400, 90},
         0,
         1,
         300,
         0,
         DC_PREP_SMOOTH | DC_PREP_BACKGROUND},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const plan_case *c = &cases[i];
        dc_prep_plan p;
        dc_prep_plan_for(&c->f, &p);
        if ((p.steps & (DC_PREP_UPSCALE | DC_PREP_DOWNSCALE)) != c->steps ||
            fabs(p.scale - c->scale) > 0.01 || abs(p.dpi - c->dpi) > 2 ||
            p.dpi_from_text != c->dpi_from_text || p.retry != c->retry ||
            !(p.steps & DC_PREP_RULES))
            fail_msg("%s: steps %x scale %.3f dpi %d from text %d retry %x", c->name, p.steps,
                     p.scale, p.dpi, p.dpi_from_text, p.retry);
    }
}

static void step_names(void **state)
{
    (void)state;
    assert_string_equal(dc_prep_step_name(DC_PREP_UPSCALE), "upscale");
    assert_string_equal(dc_prep_step_name(DC_PREP_DOWNSCALE), "downscale");
    assert_string_equal(dc_prep_step_name(DC_PREP_BACKGROUND), "background");
    assert_string_equal(dc_prep_step_name(DC_PREP_RULES), "rules");
    assert_string_equal(dc_prep_step_name(DC_PREP_SMOOTH), "smooth");
    assert_string_equal(dc_prep_step_name(1u << DC_PREP_NSTEPS), "?");
}

/* ---------------------------------------------------------------- order */

#define MAXW 64

/* A case: words as boxes (h 20 px unless given), lines as runs of words,
 * and the expected output: the words in reading order, one string per
 * output line ("0 1 2"), and which output lines start a part. */
typedef struct {
    const char *name;
    int boxes[MAXW][4];
    size_t nwords;
    size_t lines[8][2]; /* first, n */
    size_t nlines;
    const char *want[16];
    const char *paras; /* '1' where an output line starts a column or part */
} order_case;

/* Word x positions of a line: 5 words of 60 px with 15 px spaces from x. */
#define W5(x, y)                                                                         \
    {x, y, x + 60, y + 20}, {x + 75, y, x + 135, y + 20}, {x + 150, y, x + 210, y + 20}, \
        {x + 225, y, x + 285, y + 20},                                                   \
    {                                                                                    \
        x + 300, y, x + 360, y + 20                                                      \
    }

static void order_table(void **state)
{
    static const order_case cases[] = {
        {"one column keeps the engine's order",
         {W5(0, 0), W5(0, 30), W5(0, 60)},
         15,
         {{0, 5}, {5, 5}, {10, 5}},
         3,
         {"0 1 2 3 4", "5 6 7 8 9", "10 11 12 13 14"},
         "100"},
        {"columns joined by the engine are cut and read one after the other",
         {W5(0, 0), W5(500, 0), W5(0, 30), W5(500, 30)},
         20,
         {{0, 10}, {10, 10}},
         2,
         {"0 1 2 3 4", "10 11 12 13 14", "5 6 7 8 9", "15 16 17 18 19"},
         "1010"},
        {"a title across both columns comes first",
         {{100, 0, 700, 40}, W5(0, 80), W5(500, 80), W5(0, 110), W5(500, 110)},
         21,
         {{0, 1}, {1, 10}, {11, 10}},
         3,
         {"0", "1 2 3 4 5", "11 12 13 14 15", "6 7 8 9 10", "16 17 18 19 20"},
         "10010"},
        {"a wide justified space does not cut a line",
         {{0, 0, 60, 20}, {85, 0, 145, 20}, {160, 0, 220, 20}},
         3,
         {{0, 3}},
         1,
         {"0 1 2"},
         "1"},
        {"no words", {{0}}, 0, {{0, 0}}, 0, {NULL}, ""},
    };
    size_t i, j, k;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const order_case *c = &cases[i];
        dc_order_line in[8];
        dc_order_seg *seg = NULL;
        size_t nseg = 0, total = 0;
        for (j = 0; j < c->nlines; j++)
            in[j] = (dc_order_line){(int)j, c->lines[j][0], c->lines[j][1]};
        assert_int_equal(dc_order_lines(c->boxes, c->nwords, in, c->nlines, &seg, &nseg), 0);
        for (j = 0; j < nseg; j++) {
            char got[256] = "";
            for (k = 0; k < seg[j].n; k++)
                (void)snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%zu", k ? " " : "",
                               seg[j].first + k);
            if (!c->want[j] || strcmp(got, c->want[j]) != 0)
                fail_msg("%s: line %zu is '%s', want '%s'", c->name, j, got,
                         c->want[j] ? c->want[j] : "(none)");
            if ((c->paras[j] == '1') != (seg[j].para != 0))
                fail_msg("%s: line %zu para %d", c->name, j, seg[j].para);
            total += seg[j].n;
        }
        if (c->want[nseg] != NULL)
            fail_msg("%s: %zu lines, more wanted", c->name, nseg);
        assert_int_equal(total, c->nwords); /* every word exactly once */
        free(seg);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plan_table),
        cmocka_unit_test(step_names),
        cmocka_unit_test(order_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
