/* Unit tests: the format table (src/lib/formats.c), by a table of what
 * the service documents for each format: every format has its row, with
 * its limits, how it is sent and where DocumentReaderConfig applies; a
 * value with no row gets the unsupported row, never another format's. */
#include "dc_test.h"
#include "formats.h"
#include "service_limits.h"

static void every_format_has_its_row(void **state)
{
    static const struct {
        dc_format f;
        const char *name;
        size_t rt, as, as_pages;
        int text_only, config, extracts;
        dc_split_kind split;
    } want[] = {
        {DC_FORMAT_UNSUPPORTED, "unsupported", DC_RT_BINARY_BYTES, DC_AS_IMG_BYTES, DC_AS_PAGES, 1,
         0, 0, DC_SPLIT_WHOLE},
        {DC_FORMAT_PDF, "pdf", DC_RT_BINARY_BYTES, DC_AS_PDF_BYTES, DC_AS_PAGES, 0, 1, 1,
         DC_SPLIT_PDF},
        {DC_FORMAT_DOCX, "docx", DC_RT_BINARY_BYTES, DC_AS_DOCX_BYTES, DC_AS_PAGES, 0, 0, 1,
         DC_SPLIT_WHOLE},
        {DC_FORMAT_PNG, "png", DC_RT_BINARY_BYTES, DC_AS_IMG_BYTES, DC_AS_PAGES, 0, 1, 1,
         DC_SPLIT_WHOLE},
        {DC_FORMAT_JPEG, "jpeg", DC_RT_BINARY_BYTES, DC_AS_IMG_BYTES, DC_AS_PAGES, 0, 1, 1,
         DC_SPLIT_WHOLE},
        {DC_FORMAT_TIFF, "tiff", DC_RT_BINARY_BYTES, DC_AS_IMG_BYTES, 1, 0, 1, 1, DC_SPLIT_TIFF},
        {DC_FORMAT_TEXT, "text", DC_RT_TEXT_BYTES, DC_AS_TEXT_BYTES, DC_AS_PAGES, 1, 0, 1,
         DC_SPLIT_WHOLE},
        {DC_FORMAT_TEXTRACT_JSON, "textract-json", DC_RT_TEXTRACT_BYTES, DC_RT_TEXTRACT_BYTES,
         DC_AS_PAGES, 0, 0, 1, DC_SPLIT_WHOLE},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        const dc_format_info *r = dc_format_info_of(want[i].f);
        print_message("%s\n", want[i].name);
        assert_int_equal(r->format, want[i].f);
        assert_string_equal(r->name, want[i].name);
        assert_string_equal(dc_format_name(want[i].f), want[i].name);
        assert_int_equal(r->rt_bytes, want[i].rt);
        assert_int_equal(r->async_bytes, want[i].as);
        assert_int_equal(r->async_pages, want[i].as_pages);
        assert_int_equal(r->text_only, want[i].text_only);
        assert_int_equal(r->reader_config, want[i].config);
        assert_int_equal(r->extract != NULL, want[i].extracts);
        assert_int_equal(r->split, want[i].split);
        /* only the formats DocumentReaderConfig applies to have pages to draw
         * for the report; a config on a format it does not apply to is
         * noted only where the service documents it (Word) */
        assert_int_equal(r->render_gray != NULL, want[i].config);
        assert_non_null(r->page_class);
    }
    assert_non_null(dc_format_info_of(DC_FORMAT_DOCX)->config_note);
}

/* A value that is no format: the unsupported row (refused), never the
 * image or text behaviour a switch's default used to give. */
static void unknown_value_is_unsupported(void **state)
{
    const dc_format_info *r = dc_format_info_of((dc_format)99);

    (void)state;
    assert_int_equal(r->format, DC_FORMAT_UNSUPPORTED);
    assert_null(r->extract);
    assert_null(r->render_gray);
    assert_string_equal(dc_format_name((dc_format)99), "unsupported");
    assert_string_equal(dc_format_name((dc_format)-1), "unsupported");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_format_has_its_row),
        cmocka_unit_test(unknown_value_is_unsupported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
