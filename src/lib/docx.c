/* STUB: replaced by the DOCX stage. */
#include "doc.h"

int dc_docx_extract(dc_document *doc, const void *data, size_t len, unsigned parts)
{
    (void)doc; (void)data; (void)len; (void)parts;
    return dc_error_set(DC_EUNSUPPORTED, "DOCX extraction not built");
}
