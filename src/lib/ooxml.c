/* STUB: replaced by the OOXML package stage. */
#include "ooxml.h"

int dc_ooxml_probe(const void *data, size_t len, dc_format *format, const char **kind,
                   const char **reason)
{
    (void)data; (void)len;
    *format = DC_FORMAT_UNSUPPORTED;
    *kind = "zip";
    *reason = "ZIP archive that is not a Word document";
    return DC_OK;
}
