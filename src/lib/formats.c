/*
 * The format table (formats.h): one row a format. Every stage that acts
 * by format reads its row; there is no switch on dc_format elsewhere.
 */
#include "formats.h"
#include "pageimage.h"
#include "service_limits.h"

static int extract_text(dc_document *doc, const void *data, size_t len, const dc_extract_options *o)
{
    (void)o;
    return dc_text_extract(doc, data, len);
}

static int
extract_textract(dc_document *doc, const void *data, size_t len, const dc_extract_options *o)
{
    (void)o;
    return dc_textract_extract(doc, data, len);
}

static int extract_docx(dc_document *doc, const void *data, size_t len, const dc_extract_options *o)
{
    return dc_docx_extract(doc, data, len, o->docx_parts);
}

static int extract_pdf(dc_document *doc, const void *data, size_t len, const dc_extract_options *o)
{
    return dc_pdf_extract(doc, data, len, o->password);
}

static int
extract_image(dc_document *doc, const void *data, size_t len, const dc_extract_options *o)
{
    (void)o;
    return dc_image_extract(doc, data, len);
}

static int render_image(
    dc_gray *out, const void *data, size_t len, const char *password, size_t page, int max_side)
{
    (void)password;
    return dc_image_render_gray(out, data, len, page, max_side);
}

/* A file of no supported type is still held to the general 10 MB; the
 * asynchronous path takes TIFF images of one page only. */
static const dc_format_info formats[] = {
    {.format = DC_FORMAT_UNSUPPORTED,
     .name = "unsupported",
     .page_class = "text",
     .rt_bytes = DC_RT_BINARY_BYTES,
     .async_bytes = DC_AS_IMG_BYTES,
     .async_pages = DC_AS_PAGES,
     .text_only = 1,
     .reader_config = 0,
     .split = DC_SPLIT_WHOLE},
    {.format = DC_FORMAT_PDF,
     .name = "pdf",
     .page_class = "pdf",
     .rt_bytes = DC_RT_BINARY_BYTES,
     .async_bytes = DC_AS_PDF_BYTES,
     .async_pages = DC_AS_PAGES,
     .text_only = 0,
     .reader_config = 1,
     .split = DC_SPLIT_PDF,
     .extract = extract_pdf,
     .render_gray = dc_pdf_render_gray},
    {.format = DC_FORMAT_DOCX,
     .name = "docx",
     .page_class = "word",
     .rt_bytes = DC_RT_BINARY_BYTES,
     .async_bytes = DC_AS_DOCX_BYTES,
     .async_pages = DC_AS_PAGES,
     .text_only = 0,
     .reader_config = 0,
     .config_note = "DocumentReaderConfig does not apply to Word documents",
     .split = DC_SPLIT_WHOLE,
     .extract = extract_docx},
    {.format = DC_FORMAT_PNG,
     .name = "png",
     .page_class = "image",
     .rt_bytes = DC_RT_BINARY_BYTES,
     .async_bytes = DC_AS_IMG_BYTES,
     .async_pages = DC_AS_PAGES,
     .text_only = 0,
     .reader_config = 1,
     .split = DC_SPLIT_WHOLE,
     .extract = extract_image,
     .render_gray = render_image},
    {.format = DC_FORMAT_JPEG,
     .name = "jpeg",
     .page_class = "image",
     .rt_bytes = DC_RT_BINARY_BYTES,
     .async_bytes = DC_AS_IMG_BYTES,
     .async_pages = DC_AS_PAGES,
     .text_only = 0,
     .reader_config = 1,
     .split = DC_SPLIT_WHOLE,
     .extract = extract_image,
     .render_gray = render_image},
    {.format = DC_FORMAT_TIFF,
     .name = "tiff",
     .page_class = "image",
     .rt_bytes = DC_RT_BINARY_BYTES,
     .async_bytes = DC_AS_IMG_BYTES,
     .async_pages = 1,
     .text_only = 0,
     .reader_config = 1,
     .split = DC_SPLIT_TIFF,
     .extract = extract_image,
     .render_gray = render_image},
    {.format = DC_FORMAT_TEXT,
     .name = "text",
     .page_class = "text",
     .rt_bytes = DC_RT_TEXT_BYTES,
     .async_bytes = DC_AS_TEXT_BYTES,
     .async_pages = DC_AS_PAGES,
     .text_only = 1,
     .reader_config = 0,
     .split = DC_SPLIT_WHOLE,
     .extract = extract_text},
    {.format = DC_FORMAT_TEXTRACT_JSON,
     .name = "textract-json",
     .page_class = "textract-json",
     .rt_bytes = DC_RT_TEXTRACT_BYTES,
     .async_bytes = DC_RT_TEXTRACT_BYTES,
     .async_pages = DC_AS_PAGES,
     .text_only = 0,
     .reader_config = 0,
     .split = DC_SPLIT_WHOLE,
     .extract = extract_textract},
};

#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

_Static_assert(NFORMATS == DC_FORMAT_TEXTRACT_JSON + 1, "every format has its row");

const dc_format_info *dc_format_info_of(dc_format format)
{
    size_t i;

    for (i = 0; i < NFORMATS; i++)
        if (formats[i].format == format)
            return &formats[i];
    return &formats[0];
}

const char *dc_format_name(dc_format format)
{
    return dc_format_info_of(format)->name;
}
