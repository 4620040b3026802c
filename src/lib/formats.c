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

/* One row: format, name, scan class, real-time bytes, async bytes, async
 * pages, Text only, DocumentReaderConfig applies, the note when a config is
 * given where it does not, page split, extractor, page renderer. */
/* clang-format off */
#define ROW(F, NAME, CLS, RT, AS, PAGES, TEXT, CFG, NOTE, SPLIT, EX, RENDER)                  \
    {.format = (F), .name = (NAME), .page_class = (CLS), .rt_bytes = (RT), .async_bytes = (AS), \
     .async_pages = (PAGES), .text_only = (TEXT), .reader_config = (CFG), .config_note = (NOTE), \
     .split = (SPLIT), .extract = (EX), .render_gray = (RENDER)}

/* A file of no supported type is still held to the general 10 MB; the
 * asynchronous path takes TIFF images of one page only. */
static const dc_format_info formats[] = {
    ROW(DC_FORMAT_UNSUPPORTED, "unsupported", "text", DC_RT_BINARY_BYTES, DC_AS_IMG_BYTES,
        DC_AS_PAGES, 1, 0, NULL, DC_SPLIT_WHOLE, NULL, NULL),
    ROW(DC_FORMAT_PDF, "pdf", "pdf", DC_RT_BINARY_BYTES, DC_AS_PDF_BYTES,
        DC_AS_PAGES, 0, 1, NULL, DC_SPLIT_PDF, extract_pdf, dc_pdf_render_gray),
    ROW(DC_FORMAT_DOCX, "docx", "word", DC_RT_BINARY_BYTES, DC_AS_DOCX_BYTES,
        DC_AS_PAGES, 0, 0, "DocumentReaderConfig does not apply to Word documents",
        DC_SPLIT_WHOLE, extract_docx, NULL),
    ROW(DC_FORMAT_PNG, "png", "image", DC_RT_BINARY_BYTES, DC_AS_IMG_BYTES,
        DC_AS_PAGES, 0, 1, NULL, DC_SPLIT_WHOLE, extract_image, render_image),
    ROW(DC_FORMAT_JPEG, "jpeg", "image", DC_RT_BINARY_BYTES, DC_AS_IMG_BYTES,
        DC_AS_PAGES, 0, 1, NULL, DC_SPLIT_WHOLE, extract_image, render_image),
    ROW(DC_FORMAT_TIFF, "tiff", "image", DC_RT_BINARY_BYTES, DC_AS_IMG_BYTES,
        1, 0, 1, NULL, DC_SPLIT_TIFF, extract_image, render_image),
    ROW(DC_FORMAT_TEXT, "text", "text", DC_RT_TEXT_BYTES, DC_AS_TEXT_BYTES,
        DC_AS_PAGES, 1, 0, NULL, DC_SPLIT_WHOLE, extract_text, NULL),
    ROW(DC_FORMAT_TEXTRACT_JSON, "textract-json", "textract-json", DC_RT_TEXTRACT_BYTES,
        DC_RT_TEXTRACT_BYTES, DC_AS_PAGES, 0, 0, NULL, DC_SPLIT_WHOLE, extract_textract, NULL),
};
/* clang-format on */

#undef ROW

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
