/* STUB: replaced by the PDF stage. */
#include "ocr.h"

int dc_pdf_extract(dc_document *doc, const void *data, size_t len, const char *password)
{
    (void)doc; (void)data; (void)len; (void)password;
    return dc_error_set(DC_EUNSUPPORTED, "PDF extraction is not available in this build");
}
