/*
 * Textract-shaped output: a generated PDF with a digital page and a scanned
 * page (OCR at 150 DPI) written as DetectDocumentText JSON, checked against
 * the Textract service model when the corpus has it (member names, enum
 * values, required members), ids unique and stable, CHILD ids page -> lines
 * -> words, geometry inside the page, and read back by extract (Textract
 * JSON input) to the same text per page up to whitespace.
 */
#include <math.h>
#include <unistd.h>

#include "dc_test.h"
#include "diff_int.h"
#include "doc.h"
#include "pageimage.h"

int dc_pdf_gen_pages(const char *path, const char *kinds);
int dc_pdf_gen_cropped(const char *path);

static dc_document *doc;
static char *data;
static size_t len;

static int setup(void **state)
{
    dc_extract_options o = DC_EXTRACT_OPTIONS_INIT;
    const char *p = dc_test_tmp("textract-out.pdf");
    (void)state;

    o.dpi = 150;
    o.jobs = 1;
    o.limits = DC_LIMITS_NONE;
    if (dc_pdf_gen_pages(p, "ds") != 0)
        return -1;
    data = dc_test_slurp(p, &len);
    if (!data || dc_document_extract_mem(&doc, data, len, p, &o) < 0)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    dc_document_free(doc);
    free(data);
    return 0;
}

static json_t *textract_json(void)
{
    char *out = NULL;
    json_t *j;

    assert_dc_ok(dc_document_to_textract_json(&out, doc, DC_JSON_COMPACT));
    j = json_loads(out, 0, NULL);
    assert_non_null(j);
    dc_free(out);
    return j;
}

/* Page text as the round trip keeps it: blank lines dropped, blanks one space. */
static char *norm(const char *t)
{
    dc_buf b = DC_BUF_INIT;
    int line_has = 0, space = 0;

    dc_buf_init(&b, 1 << 24);
    for (; *t; t++) {
        if (*t == '\n') {
            if (line_has)
                assert_dc_ok(dc_buf_putc(&b, '\n'));
            line_has = space = 0;
        } else if (*t == ' ' || *t == '\t') {
            space = line_has;
        } else {
            if (space)
                assert_dc_ok(dc_buf_putc(&b, ' '));
            assert_dc_ok(dc_buf_putc(&b, *t));
            line_has = 1;
            space = 0;
        }
    }
    dc_buf_rtrim(&b, "\n");
    return dc_buf_detach(&b, NULL);
}

static void test_round_trip(void **state)
{
    json_t *j = textract_json();
    char *text = json_dumps(j, JSON_COMPACT);
    dc_document *back = NULL;
    size_t i;
    (void)state;

    assert_int_equal(dc_document_page_count(doc), 2);
    assert_dc_ok(dc_document_extract_mem(&back, text, strlen(text), "back.json", NULL));
    assert_int_equal(dc_document_format(back), DC_FORMAT_TEXTRACT_JSON);
    assert_int_equal(dc_document_page_count(back), 2);
    for (i = 0; i < 2; i++) {
        char *a = norm(dc_document_page_text(doc, i, NULL));
        char *b = norm(dc_document_page_text(back, i, NULL));
        assert_true(strlen(a) > 20);
        assert_string_equal(a, b);
        free(a);
        free(b);
    }
    dc_document_free(back);
    free(text);
    json_decref(j);
}

static const json_t *find(const json_t *blocks, const char *id)
{
    size_t i;
    const json_t *b;

    json_array_foreach(blocks, i, b)
    {
        if (strcmp(json_string_value(json_object_get(b, "Id")), id) == 0)
            return b;
    }
    return NULL;
}

static void check_geometry(const json_t *b)
{
    const json_t *bb = json_object_get(json_object_get(b, "Geometry"), "BoundingBox");
    double l = json_real_value(json_object_get(bb, "Left"));
    double t = json_real_value(json_object_get(bb, "Top"));
    double w = json_real_value(json_object_get(bb, "Width"));
    double h = json_real_value(json_object_get(bb, "Height"));

    assert_true(l >= 0 && t >= 0 && w >= 0 && h >= 0 && l + w <= 1.000001 && t + h <= 1.000001);
    assert_int_equal(json_array_size(json_object_get(json_object_get(b, "Geometry"), "Polygon")),
                     4);
}

static void test_structure(void **state)
{
    json_t *j = textract_json(), *again = textract_json();
    const json_t *blocks = json_object_get(j, "Blocks"), *b;
    json_t *seen = json_object();
    size_t i, k, words = 0, boxed_ok = 0;
    (void)state;

    assert_true(json_equal(j, again)); /* ids and all: stable */
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(j, "DocumentMetadata"), "Pages")), 2);
    json_array_foreach(blocks, i, b)
    {
        const char *id = json_string_value(json_object_get(b, "Id"));
        const char *type = json_string_value(json_object_get(b, "BlockType"));
        const json_t *rel = json_object_get(b, "Relationships"), *cid;
        assert_non_null(id);
        assert_int_equal(strlen(id), 36);
        assert_null(json_object_get(seen, id));
        json_object_set_new(seen, id, json_true());
        check_geometry(b);
        json_array_foreach(json_object_get(json_array_get(rel, 0), "Ids"), k, cid)
        {
            const json_t *child = find(blocks, json_string_value(cid));
            assert_non_null(child);
            assert_string_equal(json_string_value(json_object_get(child, "BlockType")),
                                strcmp(type, "PAGE") == 0 ? "LINE" : "WORD");
        }
        if (strcmp(type, "WORD") == 0) {
            double c = json_real_value(json_object_get(b, "Confidence"));
            assert_true(c >= 0 && c <= 100);
            assert_string_equal(json_string_value(json_object_get(b, "TextType")), "PRINTED");
            words++;
            boxed_ok += json_real_value(json_object_get(
                            json_object_get(json_object_get(b, "Geometry"), "BoundingBox"),
                            "Width")) > 0.005;
        }
    }
    assert_true(words > 40);
    assert_int_equal(boxed_ok, words);
    json_decref(seen);
    json_decref(j);
    json_decref(again);
}

/* Validate value v against shape name of the service model. */
static void check_shape(const json_t *shapes, const char *name, const json_t *v)
{
    const json_t *s = json_object_get(shapes, name);
    const char *type = json_string_value(json_object_get(s, "type"));
    const json_t *members = json_object_get(s, "members"), *x, *e;
    const char *key;
    size_t i;
    int found;

    assert_non_null(type);
    if (strcmp(type, "structure") == 0) {
        assert_true(json_is_object(v));
        json_array_foreach(json_object_get(s, "required"), i, e)
            assert_non_null(json_object_get(v, json_string_value(e)));
        json_object_foreach((json_t *)v, key, x)
        {
            const json_t *m = json_object_get(members, key);
            if (!m)
                fail_msg("member %s is not in %s", key, name);
            check_shape(shapes, json_string_value(json_object_get(m, "shape")), x);
        }
    } else if (strcmp(type, "list") == 0) {
        assert_true(json_is_array(v));
        json_array_foreach(v, i, x) check_shape(
            shapes, json_string_value(json_object_get(json_object_get(s, "member"), "shape")), x);
    } else if (strcmp(type, "string") == 0) {
        assert_true(json_is_string(v));
        found = !json_object_get(s, "enum");
        json_array_foreach(json_object_get(s, "enum"), i, e) found |= json_equal(e, v);
        if (!found)
            fail_msg("%s is not a value of %s", json_string_value(v), name);
    } else if (strcmp(type, "float") == 0 || strcmp(type, "integer") == 0) {
        assert_true(json_is_number(v));
    }
}

static void test_service_model(void **state)
{
    const char *path =
        dc_test_corpus("boto__botocore/botocore/data/textract/2018-06-27/service-2.json");
    json_t *model, *j;
    (void)state;

    if (!path || access(path, R_OK) != 0) /* skipped cleanly without the corpus */
        skip();
    model = json_load_file(path, 0, NULL);
    assert_non_null(model);
    j = textract_json();
    check_shape(json_object_get(model, "shapes"), "DetectDocumentTextResponse", j);
    json_decref(j);
    json_decref(model);
}

/* Textract output comes from what the extraction kept: the file it was
 * extracted from may be gone (it was read and parsed again, and failed). */
static void test_file_not_read_again(void **state)
{
    dc_extract_options o = DC_EXTRACT_OPTIONS_INIT;
    const char *p = dc_test_tmp("gone.pdf");
    dc_document *d = NULL;
    char *a = NULL, *b = NULL;
    FILE *f;
    (void)state;

    o.jobs = 1;
    o.dpi = 150;
    o.limits = DC_LIMITS_NONE;
    f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    assert_dc_ok(dc_document_extract_file(&d, p, &o));
    assert_int_equal(d->pages[0].extractor, DC_EXTRACTOR_PARSER);
    assert_true(d->pages[0].words.n >= 5);
    assert_dc_ok(dc_document_to_textract_json(&a, d, DC_JSON_COMPACT));
    assert_int_equal(unlink(p), 0);
    assert_dc_ok(dc_document_to_textract_json(&b, d, DC_JSON_COMPACT));
    assert_string_equal(a, b);
    assert_non_null(strstr(b, "\"BlockType\":\"WORD\""));
    dc_free(a);
    dc_free(b);
    dc_document_free(d);
}

/* Ink (grey < 128) of g inside the box (fractions of the page): its share
 * and its centroid as fractions of the box (0.5, 0.5 is the middle). */
static double box_ink(const dc_gray *g, const dc_word *w, double *cx, double *cy)
{
    int x0 = (int)floor(w->x0 * g->width), x1 = (int)ceil(w->x1 * g->width);
    int y0 = (int)floor(w->y0 * g->height), y1 = (int)ceil(w->y1 * g->height);
    double n = 0, sx = 0, sy = 0;

    for (int y = y0; y < y1 && y < g->height; y++)
        for (int x = x0; x < x1 && x < g->width; x++)
            if (x >= 0 && y >= 0 && g->px[(size_t)y * (size_t)g->stride + (size_t)x] < 128) {
                n++;
                sx += x + 0.5;
                sy += y + 0.5;
            }
    *cx = n ? (sx / n - x0) / (x1 - x0) : 0;
    *cy = n ? (sy / n - y0) / (y1 - y0) : 0;
    return n / ((double)(x1 - x0) * (y1 - y0));
}

/* OCR word boxes of a turned and of a skewed scan land on the words of the
 * page as rendered: ink inside every box, centred in it; on the page turned
 * by 90 degrees the boxes of words are taller than wide. */
static void test_boxes_on_turned_pages(void **state)
{
    dc_extract_options o = DC_EXTRACT_OPTIONS_INIT;
    const char *p = dc_test_tmp("turned.pdf");
    dc_document *d = NULL;
    char *js = NULL, *bytes;
    size_t n = 0;
    json_t *r;
    (void)state;

    o.dpi = 150;
    o.jobs = 1;
    o.limits = DC_LIMITS_NONE;
    assert_int_equal(dc_pdf_gen_pages(p, "rk"), 0);
    bytes = dc_test_slurp(p, &n);
    assert_non_null(bytes);
    assert_dc_ok(dc_document_extract_mem(&d, bytes, n, p, &o));
    assert_dc_ok(dc_document_to_json(&js, d, 0));
    r = json_loads(js, 0, NULL);
    for (size_t i = 0; i < 2; i++) {
        const json_t *page = json_array_get(json_object_get(r, "pages"), i);
        const json_t *ocr = json_object_get(page, "ocr");
        dc_words ws = {0};
        dc_gray g;
        size_t centred = 0, tall = 0, long_words = 0;
        assert_dc_ok(dc_page_info_words(&ws, page));
        assert_true(ws.n >= 20);
        if (i == 0) /* turned back, or read sideways as it is by the layout */
            assert_true(json_integer_value(json_object_get(ocr, "rotation")) == 90 ||
                        json_is_true(json_object_get(ocr, "sideways")));
        else
            assert_true(fabs(json_real_value(json_object_get(ocr, "skew"))) > 2);
        assert_dc_ok(dc_pdf_render_gray(&g, bytes, n, NULL, i, 1500));
        for (size_t k = 0; k < ws.n; k++) {
            double cx, cy, ink = box_ink(&g, &ws.w[k], &cx, &cy);
            double wpt = (ws.w[k].x1 - ws.w[k].x0) * 612, hpt = (ws.w[k].y1 - ws.w[k].y0) * 792;
            centred += ink > 0.05 && fabs(cx - 0.5) < 0.2 && fabs(cy - 0.5) < 0.2;
            if (strlen(dc_word_text(&ws, k)) >= 5) {
                long_words++;
                tall += hpt > wpt;
            }
        }
        print_message("page %zu: %zu of %zu boxes centred on ink, %zu of %zu long words tall\n",
                      i + 1, centred, ws.n, tall, long_words);
        assert_true(centred >= ws.n * 9 / 10);
        assert_int_equal(tall, i == 0 ? long_words : 0);
        dc_gray_dispose(&g);
        dc_words_dispose(&ws);
    }
    json_decref(r);
    dc_free(js);
    dc_document_free(d);
    free(bytes);
}

/* A document extracted without its input hash (no_input_hash, as the CLI's
 * --format text does) still gives Textract output and a diff side: there
 * is no hash to check the bytes against, so they are not checked (the
 * comparison with an empty hash used to fail with DC_ECORRUPT). */
static void test_without_input_hash(void **state)
{
    dc_extract_options o = DC_EXTRACT_OPTIONS_INIT;
    dc_document *d = NULL;
    dc_side *side = NULL;
    char *out = NULL;
    (void)state;

    o.jobs = 1;
    o.dpi = 150;
    o.limits = DC_LIMITS_NONE;
    o.no_input_hash = 1;
    assert_dc_ok(dc_document_extract_mem(&d, data, len, "nohash.pdf", &o));
    assert_dc_ok(dc_document_to_textract_json(&out, d, DC_JSON_COMPACT));
    assert_non_null(strstr(out, "\"BlockType\":\"WORD\""));
    dc_free(out);
    assert_dc_ok(dc_side_from_document(&side, d, "A"));
    dc_side_free(side);
    dc_document_free(d);
}

/* Word boxes of a digital page whose CropBox is offset in its MediaBox are
 * fractions of the page as rendered (the CropBox): each lands on its ink
 * (they were fractions of the MediaBox, shifted and scaled off the words). */
static void test_boxes_on_a_cropped_page(void **state)
{
    dc_extract_options o = DC_EXTRACT_OPTIONS_INIT;
    const char *p = dc_test_tmp("cropped.pdf");
    dc_document *d = NULL;
    const dc_words *words;
    char *bytes;
    size_t n = 0, k, centred = 0;
    dc_gray g;
    (void)state;

    o.jobs = 1;
    o.limits = DC_LIMITS_NONE;
    assert_int_equal(dc_pdf_gen_cropped(p), 0);
    bytes = dc_test_slurp(p, &n);
    assert_non_null(bytes);
    assert_dc_ok(dc_document_extract_mem(&d, bytes, n, p, &o));
    assert_int_equal(d->pages[0].extractor, DC_EXTRACTOR_PARSER);
    words = &d->pages[0].words;
    assert_true(words->n >= 12);
    assert_dc_ok(dc_pdf_render_gray(&g, bytes, n, NULL, 0, 1000));
    for (k = 0; k < words->n; k++) {
        double cx, cy, ink = box_ink(&g, &words->w[k], &cx, &cy);
        centred += ink > 0.05 && fabs(cx - 0.5) < 0.2 && fabs(cy - 0.5) < 0.2;
    }
    print_message("%zu of %zu boxes centred on ink\n", centred, words->n);
    assert_int_equal(centred, words->n);
    dc_gray_dispose(&g);
    dc_document_free(d);
    free(bytes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_structure),
        cmocka_unit_test(test_service_model),
        cmocka_unit_test(test_file_not_read_again),
        cmocka_unit_test(test_boxes_on_turned_pages),
        cmocka_unit_test(test_without_input_hash),
        cmocka_unit_test(test_boxes_on_a_cropped_page),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
