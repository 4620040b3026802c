/* STUB: replaced by the OCR stage. */
#include "ocr.h"

int dc_ocr_pages(dc_ocr_result *results, size_t n, dc_render_fn render, void *payload,
                 const dc_ocr_options *o)
{
    (void)results; (void)n; (void)render; (void)payload; (void)o;
    return dc_error_set(DC_EOCR, "OCR is not available in this build");
}

void dc_ocr_result_dispose(dc_ocr_result *r)
{
    (void)r;
}

void dc_gray_dispose(dc_gray *g)
{
    (void)g;
}

void dc_ocr_options_from(dc_ocr_options *o, const dc_document *doc)
{
    (void)o; (void)doc;
}
