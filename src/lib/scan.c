/*
 * Scan records: what the service would do with a file, computed without
 * rendering or OCR (docs/scan.md). The analysis itself is the extraction
 * pipeline in analyze-only mode; this file turns a document into its
 * JSON Lines record, with the verdicts of both limit profiles.
 */
#include <string.h>

#include "ocr.h"

/* The routing class of a page: pdf.c's class, else one per format. */
static const char *page_class(const dc_document *doc, const dc_page *p)
{
    const char *c = json_string_value(json_object_get(json_object_get(p->info, "routing"), "class"));

    if (c)
        return c;
    switch (doc->det.format) {
    case DC_FORMAT_PNG:
    case DC_FORMAT_JPEG:
    case DC_FORMAT_TIFF:
        return "image";
    case DC_FORMAT_DOCX:
        return "word";
    case DC_FORMAT_TEXTRACT_JSON:
        return "textract-json";
    default:
        return "text";
    }
}

static double num(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : 0.0;
}

/* Megapixels the page would be OCRed at: PDF pages at dpi from their size
 * in points, images at their own pixel size. 0 when unknown. */
static double page_megapixels(const dc_page *p, int dpi)
{
    const json_t *sig = json_object_get(json_object_get(p->info, "routing"), "signals");
    const json_t *img = json_object_get(p->info, "image");
    double w, h;

    if (sig) {
        w = num(sig, "width_pt");
        h = num(sig, "height_pt");
        return w * h * (double)dpi * (double)dpi / (72.0 * 72.0) / 1e6;
    }
    if (!img)
        img = json_object_get(p->info, "ocr");
    w = num(img, "width");
    h = num(img, "height");
    return w * h / 1e6;
}

static int goes_to_textract(const dc_document *doc, const dc_page *p, int force)
{
    if (p->type == DC_DOCTYPE_IMAGE || p->type == DC_DOCTYPE_SCANNED_PDF)
        return 1;
    return force && doc->det.format == DC_FORMAT_PDF;
}

/* Per-page classes and the Textract forecast of both reading modes. */
static int add_pages(json_t *rec, const dc_document *doc, int dpi)
{
    json_t *classes = json_array();
    json_t *sd = json_array();
    json_t *force = json_array();
    json_t *chars = doc->count_chars ? json_array() : NULL;
    double mp_sd = 0, mp_force = 0;
    size_t i;

    if (!classes || !sd || !force || (doc->count_chars && !chars))
        goto oom;
    for (i = 0; i < doc->npages; i++) {
        const dc_page *p = &doc->pages[i];
        double mp = page_megapixels(p, dpi);
        json_t *rule = json_object_get(json_object_get(p->info, "routing"), "rule");
        json_t *c = json_pack("{s:I,s:s,s:s,s:f}", "Page", (json_int_t)i + 1, "class",
                              page_class(doc, p), "Type", dc_doctype_name(p->type), "megapixels",
                              mp);
        if (!c || json_array_append_new(classes, c) < 0)
            goto oom;
        if (rule && json_object_set(c, "rule", rule) < 0)
            goto oom;
        if (goes_to_textract(doc, p, 0)) {
            json_array_append_new(sd, json_integer((json_int_t)i + 1));
            mp_sd += mp;
        }
        if (goes_to_textract(doc, p, 1)) {
            json_array_append_new(force, json_integer((json_int_t)i + 1));
            mp_force += mp;
        }
        if (chars)
            json_array_append_new(chars, p->extractor == DC_EXTRACTOR_OCR || goes_to_textract(doc, p, 0)
                                             ? json_null()
                                             : json_integer((json_int_t)p->chars));
    }
    json_object_set_new(rec, "page_classes", classes);
    json_object_set_new(rec, "textract_pages",
                        json_pack("{s:o,s:o}", "SERVICE_DEFAULT", sd, "FORCE_DOCUMENT_READ_ACTION",
                                  force));
    json_object_set_new(rec, "ocr_megapixels",
                        json_pack("{s:f,s:f}", "SERVICE_DEFAULT", mp_sd,
                                  "FORCE_DOCUMENT_READ_ACTION", mp_force));
    if (chars)
        json_object_set_new(rec, "characters", chars);
    return DC_OK;
oom:
    json_decref(classes);
    json_decref(sd);
    json_decref(force);
    json_decref(chars);
    return dc_error_oom();
}

static json_t *meta_json(const dc_scan_meta *meta)
{
    json_t *rec = json_object();

    if (!rec)
        return NULL;
    json_object_set_new(rec, "path", json_string(meta->path));
    json_object_set_new(rec, "size", json_integer(meta->size));
    json_object_set_new(rec, "mtime", meta->mtime >= 0 ? json_integer(meta->mtime) : json_null());
    return rec;
}

static int dump(char **out, json_t *rec)
{
    *out = json_dumps(rec, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(rec);
    return *out ? DC_OK : dc_error_oom();
}

static json_t *warnings_json(const dc_document *doc)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; a && i < doc->nwarnings; i++)
        json_array_append_new(a, json_string(doc->warnings[i].code));
    return a;
}

int dc_scan_record_json(char **out, const dc_document *doc, const dc_scan_meta *meta, int dpi)
{
    json_t *rec = meta_json(meta);
    json_t *rt, *as;

    *out = NULL;
    if (!rec)
        return dc_error_oom();
    json_object_set_new(rec, "sha256", json_string(doc->sha256));
    json_object_set_new(rec, "format", json_string(dc_format_name(doc->det.format)));
    json_object_set_new(rec, "kind", json_string(doc->det.kind ? doc->det.kind : "unknown"));
    if (doc->det.reason)
        json_object_set_new(rec, "reason", json_string(doc->det.reason));
    json_object_set_new(rec, "pages", json_integer((json_int_t)doc->npages));
    if (add_pages(rec, doc, dpi) < 0) {
        json_decref(rec);
        return DC_ENOMEM;
    }
    rt = dc_limits_verdict(doc, DC_LIMITS_REALTIME);
    as = dc_limits_verdict(doc, DC_LIMITS_ASYNC);
    if (!rt || !as) {
        json_decref(rt);
        json_decref(as);
        json_decref(rec);
        return dc_error_oom();
    }
    json_object_set_new(rec, "admission", json_pack("{s:o,s:o}", "realtime", rt, "async", as));
    json_object_set_new(rec, "warnings", warnings_json(doc));
    return dump(out, rec);
}

/* What the service would answer to a file we could not analyse. */
static const char *refusal_for(int code)
{
    switch (code) {
    case DC_EPASSWORD:
    case DC_ECORRUPT:
        return "INVALID_DOCUMENT";
    case DC_EUNSUPPORTED:
        return "UNSUPPORTED_DOC_TYPE";
    default:
        return NULL;
    }
}

static const char *error_name(int code)
{
    switch (code) {
    case DC_ETIMEOUT:
        return "TIMEOUT";
    case DC_EMEMORY:
        return "MEMORY_LIMIT";
    case DC_ECRASH:
        return "CRASH";
    case DC_EPASSWORD:
        return "ENCRYPTED";
    case DC_ECORRUPT:
        return "CORRUPT";
    case DC_ELIMIT:
        return "LIMIT_EXCEEDED";
    case DC_ENOTFOUND:
        return "NOT_FOUND";
    case DC_EIO:
        return "IO_ERROR";
    case DC_EUNSUPPORTED:
        return "UNSUPPORTED";
    default:
        return "INTERNAL_ERROR";
    }
}

int dc_scan_error_json(char **out, const dc_scan_meta *meta, int code, const char *message)
{
    json_t *rec = meta_json(meta);
    const char *refusal = refusal_for(code);

    *out = NULL;
    if (!rec)
        return dc_error_oom();
    json_object_set_new(rec, "error",
                        json_pack("{s:s,s:s}", "code", error_name(code), "message",
                                  message ? message : dc_strerror(code)));
    if (refusal) {
        json_t *v = json_pack("{s:b,s:[{s:s,s:s}],s:[]}", "accepted", 0, "refusals", "code",
                              refusal, "message", message ? message : "", "page_errors");
        json_object_set_new(rec, "admission",
                            json_pack("{s:o,s:O}", "realtime", v, "async", v));
    }
    return dump(out, rec);
}
