/* Integration tests: the typed accessors of a document say what its JSON
 * result says (page Type, extractor, characters, reason, OCR confidence,
 * Errors, Warnings, refusals), for every bundled sample in both read
 * modes, and refuse indexes out of range. */
#include <jansson.h>

#include "dc_test.h"

static const char *const samples[] = {"digital.pdf",     "hybrid.pdf",  "scan.pdf",
                                      "three-pages.pdf", "scan.png",    "scan.jpg",
                                      "pages.tiff",      "letter.docx", NULL};

static void check_notes(const dc_document *doc, dc_notes which, const json_t *arr)
{
    size_t i;

    assert_int_equal(dc_document_note_count(doc, which), json_array_size(arr));
    for (i = 0; i < json_array_size(arr); i++) {
        const json_t *e = json_array_get(arr, i);
        int page = -1;
        const char *code = NULL, *msg = NULL;
        assert_dc_ok(dc_document_note(doc, which, i, &page, &code, &msg));
        assert_int_equal(page, (int)json_integer_value(json_object_get(e, "Page")));
        assert_string_equal(code, json_string_value(json_object_get(e, "ErrorCode")
                                                        ? json_object_get(e, "ErrorCode")
                                                        : json_object_get(e, "WarnCode")));
        assert_string_equal(msg, json_string_value(json_object_get(e, "ErrorMessage")
                                                       ? json_object_get(e, "ErrorMessage")
                                                       : json_object_get(e, "WarnMessage")));
    }
    assert_dc_fail(dc_document_note(doc, which, i, NULL, NULL, NULL), DC_EINVAL);
}

static void check_document(const char *name, dc_read_mode mode)
{
    dc_extract_options o = DC_EXTRACT_OPTIONS_INIT;
    dc_document *doc = NULL;
    char *js = NULL;
    json_t *j, *pages, *refusals;
    size_t i;

    o.config.mode = mode;
    o.config.action = mode ? DC_READ_ACTION_DETECT_DOCUMENT_TEXT : DC_READ_ACTION_UNSET;
    o.jobs = 1;
    assert_dc_ok(dc_document_extract_file(&doc, dc_test_src(name), &o));
    assert_dc_ok(dc_document_to_json(&js, doc, 0));
    j = json_loads(js, 0, NULL);
    assert_non_null(j);
    pages = json_object_get(j, "pages");
    assert_int_equal(dc_document_page_count(doc), json_array_size(pages));
    for (i = 0; i < json_array_size(pages); i++) {
        const json_t *p = json_array_get(pages, i);
        const json_t *ocr = json_object_get(p, "ocr");
        dc_doctype type;
        dc_extractor ex;
        size_t chars;
        assert_dc_ok(dc_document_page_info(doc, i, &type, &ex, &chars));
        assert_string_equal(dc_doctype_name(type), json_string_value(json_object_get(p, "Type")));
        assert_string_equal(dc_extractor_name(ex),
                            json_string_value(json_object_get(p, "extractor")));
        assert_int_equal(chars, json_integer_value(json_object_get(p, "characters")));
        assert_string_equal(dc_document_page_reason(doc, i),
                            json_string_value(json_object_get(p, "reason")));
        if (ocr && ex == DC_EXTRACTOR_OCR)
            assert_true(dc_document_page_ocr_confidence(doc, i) ==
                        json_number_value(json_object_get(ocr, "mean_confidence")));
        else
            assert_true(dc_document_page_ocr_confidence(doc, i) == -1);
    }
    assert_dc_fail(dc_document_page_info(doc, i, NULL, NULL, NULL), DC_EINVAL);
    assert_null(dc_document_page_reason(doc, i));
    check_notes(doc, DC_NOTES_ERRORS, json_object_get(j, "Errors"));
    check_notes(doc, DC_NOTES_WARNINGS, json_object_get(j, "Warnings"));
    refusals = json_object_get(json_object_get(j, "admission"), "refusals");
    assert_int_equal(dc_document_refusal_count(doc), json_array_size(refusals));
    for (i = 0; i < json_array_size(refusals); i++) {
        const json_t *r = json_array_get(refusals, i);
        const json_t *detail = json_object_get(json_object_get(r, "Detail"), "Reason");
        const char *code, *exc, *msg;
        assert_dc_ok(dc_document_refusal(doc, i, &code, &exc, &msg));
        assert_string_equal(code,
                            json_string_value(detail ? detail : json_object_get(r, "Reason")));
        assert_string_equal(exc, json_string_value(json_object_get(r, "__type")));
        assert_string_equal(msg, json_string_value(json_object_get(r, "Message")));
    }
    assert_dc_fail(dc_document_refusal(doc, i, NULL, NULL, NULL), DC_EINVAL);
    print_message("%s (%s): %zu pages, %zu errors, %zu warnings, %zu refusals\n", name,
                  mode == DC_READ_MODE_FORCE_DOCUMENT_READ_ACTION ? "FORCE" : "DEFAULT",
                  dc_document_page_count(doc), dc_document_note_count(doc, DC_NOTES_ERRORS),
                  dc_document_note_count(doc, DC_NOTES_WARNINGS), dc_document_refusal_count(doc));
    json_decref(j);
    dc_free(js);
    dc_document_free(doc);
}

static void accessors_match_json(void **state)
{
    size_t i;
    char rel[64];

    (void)state;
    for (i = 0; samples[i]; i++) {
        (void)snprintf(rel, sizeof(rel), "samples/%s", samples[i]);
        check_document(rel, DC_READ_MODE_SERVICE_DEFAULT);
        check_document(rel, DC_READ_MODE_FORCE_DOCUMENT_READ_ACTION);
    }
}

/* A page over the real-time character limit: a page Error, said by the
 * accessors as by the JSON. */
static void page_error(void **state)
{
    char *big = malloc(10002);
    dc_document *doc = NULL;
    int page = 0;
    const char *code = NULL, *msg = NULL;

    (void)state;
    assert_non_null(big);
    memset(big, 'a', 10001);
    big[10001] = '\0';
    assert_dc_ok(dc_document_extract_mem(&doc, big, 10001, "big.txt", NULL));
    assert_int_equal(dc_document_note_count(doc, DC_NOTES_ERRORS), 1);
    assert_dc_ok(dc_document_note(doc, DC_NOTES_ERRORS, 0, &page, &code, &msg));
    assert_int_equal(page, 1);
    print_message("error: page %d %s: %s\n", page, code, msg);
    assert_true(dc_test_contains(code, "EXCEEDED") || dc_test_contains(code, "LIMIT"));
    assert_false(dc_document_accepted(doc));
    dc_document_free(doc);
    free(big);
}

/* One entry point for every output format: the same text as each
 * format's own function; names round-trip; unknown formats are refused. */
static void render_formats(void **state)
{
    const char *pdf = dc_test_src("samples/three-pages.pdf");
    dc_extract_options o = DC_EXTRACT_OPTIONS_INIT;
    dc_render_options ro = DC_RENDER_OPTIONS_INIT;
    dc_document *doc = NULL;
    char *a = NULL, *b = NULL;
    size_t len = 0, i;
    dc_output_format f;
    static const dc_output_format all[] = {DC_OUTPUT_JSON, DC_OUTPUT_TEXT, DC_OUTPUT_TEXTRACT};

    (void)state;
    o.jobs = 1;
    assert_dc_ok(dc_document_extract_file(&doc, pdf, &o));
    for (i = 0; i < 3; i++) {
        assert_dc_ok(dc_output_format_from_name(&f, dc_output_format_name(all[i])));
        assert_int_equal(f, all[i]);
    }
    assert_dc_fail(dc_output_format_from_name(&f, "yaml"), DC_EINVAL);
    assert_true(dc_test_contains(dc_error_last()->message, "json, text, textract"));

    assert_dc_ok(dc_document_render(&a, &len, doc, DC_OUTPUT_JSON, NULL));
    assert_dc_ok(dc_document_to_json(&b, doc, 0));
    assert_string_equal(a, b);
    assert_int_equal(len, strlen(b));
    dc_free(a);
    dc_free(b);
    ro.flags = DC_JSON_COMPACT;
    assert_dc_ok(dc_document_render(&a, NULL, doc, DC_OUTPUT_TEXTRACT, &ro));
    {
        json_t *j = json_loads(a, 0, NULL);
        assert_non_null(j);
        assert_null(strchr(a, '\n')); /* compact */
        assert_int_equal(
            json_integer_value(json_object_get(json_object_get(j, "DocumentMetadata"), "Pages")),
            (json_int_t)dc_document_page_count(doc));
        assert_true(json_array_size(json_object_get(j, "Blocks")) > 3);
        json_decref(j);
    }
    dc_free(a);
    assert_dc_ok(dc_document_render(&a, &len, doc, DC_OUTPUT_TEXT, NULL));
    assert_int_equal(len, strlen(a));
    assert_true(a[len - 1] == '\n');
    {
        size_t p, off = 0, plen;
        for (p = 0; p < dc_document_page_count(doc); p++) {
            const char *t = dc_document_page_text(doc, p, &plen);
            assert_memory_equal(a + off, t, plen);
            off += plen;
            assert_true(a[off] == (p + 1 < dc_document_page_count(doc) ? '\f' : '\n'));
            off++;
        }
        assert_int_equal(off, len);
    }
    dc_free(a);
    assert_dc_fail(dc_document_render(&a, NULL, doc, (dc_output_format)7, NULL), DC_EINVAL);
    ro.version = 0;
    assert_dc_fail(dc_document_render(&a, NULL, doc, DC_OUTPUT_JSON, &ro), DC_EINVAL);
    dc_document_free(doc);
}

typedef struct {
    size_t calls, last_done, total, pages_seen;
    int stop_after; /* 0: never */
} progress_log;

static int on_progress(const dc_progress *p, void *payload)
{
    progress_log *log = payload;

    log->calls++;
    assert_int_equal(p->pages_done, log->last_done + 1); /* one call at a time, in order */
    log->last_done = p->pages_done;
    log->total = p->pages_total;
    assert_true(p->page >= 1 && p->page <= 3);
    log->pages_seen |= (size_t)1 << p->page;
    return log->stop_after && (int)log->calls >= log->stop_after;
}

/* The progress callback is called once a page OCRed, with the document's
 * page numbers; a non-zero return stops the extraction (DC_ECANCELED)
 * before the rest of the pages are read. */
static void progress_and_cancel(void **state)
{
    const char *pdf = dc_test_src("samples/three-pages.pdf");
    dc_extract_options o = DC_EXTRACT_OPTIONS_INIT;
    progress_log log = {0};
    dc_document *doc = NULL;

    (void)state;
    o.jobs = 2;
    o.dpi = 100;
    o.config.action = DC_READ_ACTION_DETECT_DOCUMENT_TEXT;
    o.config.mode = DC_READ_MODE_FORCE_DOCUMENT_READ_ACTION;
    o.progress = on_progress;
    o.progress_payload = &log;
    assert_dc_ok(dc_document_extract_file(&doc, pdf, &o));
    assert_int_equal(log.calls, 3);
    assert_int_equal(log.total, 3);
    assert_int_equal(log.pages_seen, (size_t)0xE); /* pages 1, 2 and 3 */
    dc_document_free(doc);
    doc = NULL;

    memset(&log, 0, sizeof(log));
    log.stop_after = 1;
    o.jobs = 1;
    assert_dc_fail(dc_document_extract_file(&doc, pdf, &o), DC_ECANCELED);
    assert_null(doc);
    assert_int_equal(log.calls, 1); /* no call after the stop */
    assert_true(dc_test_contains(dc_error_last()->message, "cancelled"));
    assert_string_equal(dc_error_name(DC_ECANCELED), "CANCELLED");
}

/* The input cap holds for documents given in memory as for files. */
static void input_cap_in_memory(void **state)
{
    dc_extract_options o = DC_EXTRACT_OPTIONS_INIT;
    dc_document *doc = NULL;
    const char *text = "twenty bytes of text";

    (void)state;
    o.max_input_bytes = 19;
    assert_dc_fail(dc_document_extract_mem(&doc, text, 20, "t.txt", &o), DC_ELIMIT);
    assert_null(doc);
    assert_true(strstr(dc_error_last()->message, "20 bytes, over the 19-byte input limit") != NULL);
    o.max_input_bytes = 20;
    assert_dc_ok(dc_document_extract_mem(&doc, text, 20, "t.txt", &o));
    dc_document_free(doc);
}

static void names(void **state)
{
    (void)state;
    assert_string_equal(dc_doctype_name(DC_DOCTYPE_SCANNED_PDF), "SCANNED_PDF");
    assert_string_equal(dc_doctype_name((dc_doctype)99), "UNKNOWN");
    assert_string_equal(dc_extractor_name(DC_EXTRACTOR_OCR), "ocr");
    assert_string_equal(dc_extractor_name(DC_EXTRACTOR_NONE), "none");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accessors_match_json), cmocka_unit_test(page_error),
        cmocka_unit_test(render_formats),       cmocka_unit_test(input_cap_in_memory),
        cmocka_unit_test(progress_and_cancel),  cmocka_unit_test(names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
