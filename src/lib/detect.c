/* STUB: replaced by the detection stage. */
#include "doc.h"
#include "ooxml.h"

const char *dc_format_name(dc_format format)
{
    switch (format) {
    case DC_FORMAT_PDF:
        return "pdf";
    case DC_FORMAT_DOCX:
        return "docx";
    case DC_FORMAT_PNG:
        return "png";
    case DC_FORMAT_JPEG:
        return "jpeg";
    case DC_FORMAT_TIFF:
        return "tiff";
    case DC_FORMAT_TEXT:
        return "text";
    case DC_FORMAT_TEXTRACT_JSON:
        return "textract-json";
    default:
        return "unsupported";
    }
}

int dc_detect(dc_detection *out, const void *data, size_t len)
{
    (void)data;
    out->format = DC_FORMAT_TEXT;
    out->kind = "text";
    out->reason = NULL;
    out->textract = DC_TEXTRACT_NONE;
    (void)len;
    return DC_OK;
}
