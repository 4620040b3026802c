/*
 * The service's admission limits (../docs/limits.md, from the Comprehend
 * developer guide). Sizes use powers of ten: 10 MB = 10,000,000 bytes.
 */
#include "doc.h"

#define KB 1000u
#define MB (1000u * 1000u)

/* Real-time ClassifyDocument. */
#define RT_PAGES        1
#define RT_PAGE_CHARS   10000
#define RT_TEXT_BYTES   (10u * KB)
#define RT_BINARY_BYTES (10u * MB)
#define RT_TEXTRACT     (1u * MB)

/* Asynchronous StartDocumentClassificationJob. */
#define AS_PAGES      100
#define AS_PDF_BYTES  (50u * MB)
#define AS_DOCX_BYTES (5u * MB)
#define AS_IMG_BYTES  (10u * MB)
#define AS_TEXT_BYTES (10u * MB)

static size_t size_limit(const dc_document *doc, int async)
{
    switch (doc->det.format) {
    case DC_FORMAT_TEXT:
        return async ? AS_TEXT_BYTES : RT_TEXT_BYTES;
    case DC_FORMAT_TEXTRACT_JSON:
        return RT_TEXTRACT;
    case DC_FORMAT_PDF:
        return async ? AS_PDF_BYTES : RT_BINARY_BYTES;
    case DC_FORMAT_DOCX:
        return async ? AS_DOCX_BYTES : RT_BINARY_BYTES;
    default:
        return async ? AS_IMG_BYTES : RT_BINARY_BYTES;
    }
}

static size_t page_limit(const dc_document *doc, int async)
{
    /* The async path takes TIFF images of one page only. */
    if (async && doc->det.format == DC_FORMAT_TIFF)
        return 1;
    return async ? AS_PAGES : RT_PAGES;
}

static int check_pages(dc_document *doc, int async)
{
    size_t i;
    int err;

    for (i = 0; !async && i < doc->npages; i++) {
        if (doc->pages[i].chars <= RT_PAGE_CHARS)
            continue;
        err = dc_doc_error(doc, (int)i + 1, "PAGE_CHARACTERS_EXCEEDED",
                           "page %zu has %zu characters, over the limit of %d", i + 1,
                           doc->pages[i].chars, RT_PAGE_CHARS);
        if (err < 0)
            return err;
    }
    return DC_OK;
}

int dc_limits_apply(dc_document *doc)
{
    int async = doc->opts.limits == DC_LIMITS_ASYNC;
    size_t max_bytes, max_pages;
    int err = DC_OK;

    if (doc->opts.limits == DC_LIMITS_NONE)
        return DC_OK;
    if (doc->det.format == DC_FORMAT_UNSUPPORTED)
        return dc_doc_refuse(doc, "InvalidRequestException", "INVALID_DOCUMENT",
                             "UNSUPPORTED_DOC_TYPE", "%s",
                             doc->det.reason ? doc->det.reason : "unsupported document type");
    max_bytes = size_limit(doc, async);
    if (doc->bytes > max_bytes) {
        err = dc_doc_refuse(doc, "InvalidRequestException", "INVALID_DOCUMENT",
                            "DOCUMENT_SIZE_EXCEEDED",
                            "%s file of %zu bytes is over the %s limit of %zu bytes",
                            dc_format_name(doc->det.format), doc->bytes,
                            async ? "asynchronous" : "real-time", max_bytes);
        if (err < 0)
            return err;
    }
    max_pages = page_limit(doc, async);
    if (doc->npages > max_pages) {
        err = dc_doc_refuse(doc, "InvalidRequestException", "INVALID_DOCUMENT",
                            "PAGE_LIMIT_EXCEEDED",
                            "document has %zu pages; the %s limit is %zu", doc->npages,
                            async ? "asynchronous" : "real-time", max_pages);
        if (err < 0)
            return err;
    }
    return check_pages(doc, async);
}
