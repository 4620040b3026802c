/*
 * Shared set-up of the fuzz targets and their regression runner.
 */
#include <stdlib.h>

#include "docclass/docclass.h"
#include "fuzz.h"

/* Once per process: libFuzzer calls the body from one thread. */
void dc_fuzz_init(void)
{
    static int done;

    if (done)
        return;
    done = 1;
    (void)setenv("OMP_THREAD_LIMIT", "1", 0);
    (void)dc_library_init();
}

void dc_fuzz_render(const dc_document *doc)
{
    dc_scan_meta meta = {"fuzz", -1, 0, -1};
    char *json = NULL;
    size_t i, n = dc_document_page_count(doc), len = 0;

    for (i = 0; i < n; i++)
        (void)dc_document_page_text(doc, i, &len);
    (void)dc_document_accepted(doc);
    if (dc_document_to_json(&json, doc, 0) >= 0)
        dc_free(json);
    json = NULL;
    if (dc_document_to_json(&json, doc, DC_JSON_COMPACT) >= 0)
        dc_free(json);
    json = NULL;
    if (dc_scan_record_json(&json, doc, &meta, 300) >= 0)
        dc_free(json);
}

void dc_fuzz_extract(const uint8_t *data, size_t size, int format, int scan)
{
    dc_extract_options o = DC_EXTRACT_OPTIONS_INIT;
    dc_detection det;
    dc_document *doc = NULL;
    int err;

    dc_fuzz_init();
    if (dc_detect(&det, data, size) < 0 || (int)det.format != format)
        return;
    o.lang = "!"; /* not a valid language list: dc_ocr_pages fails before any work */
    o.jobs = 1;
    o.no_rotate = 1;
    o.docx_parts = DC_DOCX_DEFAULT_PARTS | DC_DOCX_COMMENTS;
    if (scan)
        err = dc_document_scan_mem(&doc, data, size, "fuzz", &o, DC_SCAN_COUNT_CHARS);
    else
        err = dc_document_extract_mem(&doc, data, size, "fuzz", &o);
    if (err >= 0)
        dc_fuzz_render(doc);
    dc_document_free(doc);
}
