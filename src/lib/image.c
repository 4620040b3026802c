/* STUB: replaced by the image stage. */
#include "ocr.h"

int dc_image_extract(dc_document *doc, const void *data, size_t len)
{
    (void)doc; (void)data; (void)len;
    return dc_error_set(DC_EUNSUPPORTED, "image extraction is not available in this build");
}
