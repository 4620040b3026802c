/*
 * The service's admission limits (docs/limits.md, from the Comprehend
 * developer guide). Sizes use powers of ten: 10 MB = 10,000,000 bytes.
 *
 * One checker, two outlets: dc_limits_apply() records the verdict of the
 * document's own profile in the document (refusals and page Errors), and
 * dc_limits_verdict() returns the verdict of any profile as JSON without
 * touching the document (used by scan, which reports both profiles).
 */
#include <stdio.h>
#include <string.h>

#include "doc.h"
#include "formats.h"
#include "service_limits.h"

/* the service's limits (service_limits.h), by their short names here */
#define RT_PAGES      DC_RT_PAGES
#define RT_PAGE_CHARS DC_RT_PAGE_CHARS

/* Where a verdict goes. */
typedef struct {
    int (*refuse)(void *ctx, const char *detail, const char *msg);
    int (*page_error)(void *ctx, int page, const char *code, const char *msg);
    void *ctx;
} outlet;

/* The request size and page limits of the document's format (formats.c). */
static size_t size_limit(const dc_document *doc, int async)
{
    const dc_format_info *f = dc_format_info_of(doc->det.format);

    return async ? f->async_bytes : f->rt_bytes;
}

static size_t page_limit(const dc_document *doc, int async)
{
    return async ? dc_format_info_of(doc->det.format)->async_pages : RT_PAGES;
}

static int check_pages(const dc_document *doc, int async, const outlet *o)
{
    char msg[160];
    size_t i;
    int err;

    for (i = 0; !async && i < doc->npages; i++) {
        if (doc->pages[i].chars <= RT_PAGE_CHARS)
            continue;
        (void)snprintf(msg, sizeof(msg), "page %zu has %zu characters, over the limit of %u", i + 1,
                       doc->pages[i].chars, RT_PAGE_CHARS);
        err = o->page_error(o->ctx, (int)i + 1, "PAGE_CHARACTERS_EXCEEDED", msg);
        if (err < 0)
            return err;
    }
    return DC_OK;
}

static int check(const dc_document *doc, dc_limits_profile profile, const outlet *o)
{
    int async = profile == DC_LIMITS_ASYNC;
    const char *name = async ? "asynchronous" : "real-time";
    size_t max_bytes, max_pages;
    char msg[256];
    int err;

    if (profile == DC_LIMITS_NONE)
        return DC_OK;
    if (doc->det.format == DC_FORMAT_UNSUPPORTED)
        return o->refuse(o->ctx, "UNSUPPORTED_DOC_TYPE",
                         doc->det.reason ? doc->det.reason : "unsupported document type");
    max_bytes = size_limit(doc, async);
    if (doc->bytes > max_bytes) {
        (void)snprintf(msg, sizeof(msg), "%s file of %zu bytes is over the %s limit of %zu bytes",
                       dc_format_name(doc->det.format), doc->bytes, name, max_bytes);
        err = o->refuse(o->ctx, "DOCUMENT_SIZE_EXCEEDED", msg);
        if (err < 0)
            return err;
    }
    max_pages = page_limit(doc, async);
    if (doc->npages > max_pages) {
        (void)snprintf(msg, sizeof(msg), "document has %zu pages; the %s limit is %zu", doc->npages,
                       name, max_pages);
        err = o->refuse(o->ctx, "PAGE_LIMIT_EXCEEDED", msg);
        if (err < 0)
            return err;
    }
    return check_pages(doc, async, o);
}

/* ---- outlet 1: the document itself ---- */

static int doc_refuse(void *ctx, const char *detail, const char *msg)
{
    return dc_doc_refuse(ctx, "InvalidRequestException", "INVALID_DOCUMENT", detail, "%s", msg);
}

static int doc_page_error(void *ctx, int page, const char *code, const char *msg)
{
    return dc_doc_error(ctx, page, code, "%s", msg);
}

int dc_limits_apply(dc_document *doc)
{
    outlet o = {doc_refuse, doc_page_error, doc};
    return check(doc, doc->opts.limits, &o);
}

/* ---- outlet 2: a JSON verdict ---- */

/* Codes this file derives from a profile: recomputed, never copied. */
static int is_profile_code(const char *code)
{
    return strcmp(code, "UNSUPPORTED_DOC_TYPE") == 0 ||
           strcmp(code, "DOCUMENT_SIZE_EXCEEDED") == 0 ||
           strcmp(code, "PAGE_LIMIT_EXCEEDED") == 0 ||
           strcmp(code, "PAGE_CHARACTERS_EXCEEDED") == 0;
}

static int json_refuse(void *ctx, const char *detail, const char *msg)
{
    json_t *v = ctx;
    return json_array_append_new(json_object_get(v, "refusals"),
                                 json_pack("{s:s,s:s}", "code", detail, "message", msg)) < 0
               ? dc_error_oom()
               : DC_OK;
}

static int json_page_error(void *ctx, int page, const char *code, const char *msg)
{
    json_t *v = ctx;
    return json_array_append_new(
               json_object_get(v, "page_errors"),
               json_pack("{s:i,s:s,s:s}", "Page", page, "code", code, "message", msg)) < 0
               ? dc_error_oom()
               : DC_OK;
}

json_t *dc_limits_verdict(const dc_document *doc, dc_limits_profile profile)
{
    json_t *v = json_pack("{s:b,s:[],s:[]}", "accepted", 1, "refusals", "page_errors");
    outlet o = {json_refuse, json_page_error, v};
    size_t i;

    if (!v)
        return NULL;
    if (check(doc, profile, &o) < 0) {
        json_decref(v);
        return NULL;
    }
    /* Refusals found while extracting (encryption, page count mismatch,
     * Textract page limits) hold for every profile. */
    for (i = 0; i < doc->nrefusals; i++) {
        if (doc->refusals[i].detail_reason && !is_profile_code(doc->refusals[i].detail_reason) &&
            json_refuse(v, doc->refusals[i].detail_reason, doc->refusals[i].message) < 0) {
            json_decref(v);
            return NULL;
        }
    }
    for (i = 0; i < doc->nerrors; i++) {
        if (!is_profile_code(doc->errors[i].code) &&
            json_page_error(v, doc->errors[i].page, doc->errors[i].code, doc->errors[i].message) <
                0) {
            json_decref(v);
            return NULL;
        }
    }
    json_object_set_new(v, "accepted",
                        json_boolean(json_array_size(json_object_get(v, "refusals")) == 0 &&
                                     json_array_size(json_object_get(v, "page_errors")) == 0));
    return v;
}
