/*
 * Scan records: what the service would do with a file, computed without
 * rendering or OCR (docs/scan.md). The analysis itself is the extraction
 * pipeline in analyze-only mode; this file turns a document into its
 * JSON Lines record, with the verdicts of both limit profiles.
 */
#include <stdlib.h>
#include <string.h>

#include "formats.h"
#include "json_out.h"
#include "ocr.h"

/* The routing class of a page: pdf.c's class, else one per format. */
static const char *page_class(const dc_document *doc, const dc_page *p)
{
    return p->route.cls ? p->route.cls : dc_format_info_of(doc->det.format)->page_class;
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
    const dc_page_route *r = &p->route;

    if (r->cls)
        return r->width_pt * r->height_pt * (double)dpi * (double)dpi / (72.0 * 72.0) / 1e6;
    return (double)r->px_w * (double)r->px_h / 1e6;
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
        json_t *c =
            json_pack("{s:I,s:s,s:s,s:f}", "Page", (json_int_t)i + 1, "class", page_class(doc, p),
                      "Type", dc_doctype_name(p->type), "megapixels", mp);
        if (!c || json_array_append_new(classes, c) < 0)
            goto oom;
        if (p->route.rule && json_object_set_new(c, "rule", json_string(p->route.rule)) < 0)
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
            json_array_append_new(chars,
                                  p->extractor == DC_EXTRACTOR_OCR || goes_to_textract(doc, p, 0)
                                      ? json_null()
                                      : json_integer((json_int_t)p->chars));
    }
    json_object_set_new(rec, "page_classes", classes);
    json_object_set_new(
        rec, "textract_pages",
        json_pack("{s:o,s:o}", "SERVICE_DEFAULT", sd, "FORCE_DOCUMENT_READ_ACTION", force));
    json_object_set_new(
        rec, "ocr_megapixels",
        json_pack("{s:f,s:f}", "SERVICE_DEFAULT", mp_sd, "FORCE_DOCUMENT_READ_ACTION", mp_force));
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
    if (meta->archive_members >= 0)
        json_object_set_new(rec, "archive_members", json_integer(meta->archive_members));
    return rec;
}

static int dump(char **out, json_t *rec)
{
    *out = dc_json_dumps(rec, JSON_COMPACT | JSON_PRESERVE_ORDER);
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
    if (dpi <= 0) /* the resolution the document's options render at */
        dpi = doc->opts.dpi;
    json_object_set_new(rec, "sha256", json_string(doc->sha256));
    json_object_set_new(rec, "format", json_string(dc_format_name(doc->det.format)));
    json_object_set_new(rec, "kind", json_string(doc->det.kind ? doc->det.kind : "unknown"));
    if (doc->det.reason)
        json_object_set_new(rec, "reason", json_string(doc->det.reason));
    json_object_set_new(rec, "pages", json_integer((json_int_t)doc->npages));
    if (add_pages(rec, doc, dpi) < 0) {
        json_decref(rec);
        return dc_error_oom();
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

int dc_scan_error_json(char **out, const dc_scan_meta *meta, int code, const char *message)
{
    json_t *rec = meta_json(meta);
    const char *refusal = refusal_for(code);

    *out = NULL;
    if (!rec)
        return dc_error_oom();
    json_object_set_new(rec, "error",
                        json_pack("{s:s,s:s}", "code", dc_error_name(code), "message",
                                  message ? message : dc_strerror(code)));
    if (refusal) {
        json_t *v = json_pack("{s:b,s:[{s:s,s:s}],s:[]}", "accepted", 0, "refusals", "code",
                              refusal, "message", message ? message : "", "page_errors");
        json_object_set_new(rec, "admission", json_pack("{s:o,s:O}", "realtime", v, "async", v));
    }
    return dump(out, rec);
}

/* ---------------------------------------------------------------- summary */

struct dc_scan_summary {
    json_t *s; /* the running totals, in the shape of the summary JSON */
};

int dc_scan_summary_new(dc_scan_summary **out)
{
    dc_scan_summary *s = calloc(1, sizeof(*s));

    *out = NULL;
    if (!s)
        return dc_error_oom();
    s->s = json_pack("{s:i,s:i,s:{},s:{},s:{},s:{s:{s:i,s:i,s:{}},s:{s:i,s:i,s:{}}},"
                     "s:{s:i,s:i},s:{s:f,s:f},s:i}",
                     "files", 0, "pages", 0, "by_format", "by_class", "errors", "admission",
                     "realtime", "accepted", 0, "refused", 0, "codes", "async", "accepted", 0,
                     "refused", 0, "codes", "textract_pages", "SERVICE_DEFAULT", 0,
                     "FORCE_DOCUMENT_READ_ACTION", 0, "ocr_megapixels", "SERVICE_DEFAULT", 0.0,
                     "FORCE_DOCUMENT_READ_ACTION", 0.0, "inference_characters", 0);
    if (!s->s) {
        free(s);
        return dc_error_oom();
    }
    *out = s;
    return DC_OK;
}

void dc_scan_summary_free(dc_scan_summary *s)
{
    if (!s)
        return;
    json_decref(s->s);
    free(s);
}

/* obj[key] += by (integer) */
static void bump(json_t *obj, const char *key, json_int_t by)
{
    json_t *v = json_object_get(obj, key);
    json_object_set_new(obj, key, json_integer((v ? json_integer_value(v) : 0) + by));
}

static void bump_real(json_t *obj, const char *key, double by)
{
    json_t *v = json_object_get(obj, key);
    json_object_set_new(obj, key, json_real((v ? json_number_value(v) : 0) + by));
}

static void add_admission(json_t *sum, const json_t *adm, const char *profile)
{
    json_t *dst = json_object_get(sum, profile);
    const json_t *v = json_object_get(adm, profile);
    const json_t *r;
    size_t i;

    if (!v)
        return;
    bump(dst, json_is_true(json_object_get(v, "accepted")) ? "accepted" : "refused", 1);
    json_array_foreach(json_object_get(v, "refusals"), i, r)
        bump(json_object_get(dst, "codes"), json_string_value(json_object_get(r, "code")), 1);
    json_array_foreach(json_object_get(v, "page_errors"), i, r)
        bump(json_object_get(dst, "codes"), json_string_value(json_object_get(r, "code")), 1);
}

static void add_pages_to(json_t *sum, const json_t *rec)
{
    const json_t *p;
    size_t i;
    const json_t *tp = json_object_get(rec, "textract_pages");
    const json_t *mp = json_object_get(rec, "ocr_megapixels");

    json_array_foreach(json_object_get(rec, "page_classes"), i, p)
        bump(json_object_get(sum, "by_class"), json_string_value(json_object_get(p, "class")), 1);
    bump(json_object_get(sum, "textract_pages"), "SERVICE_DEFAULT",
         (json_int_t)json_array_size(json_object_get(tp, "SERVICE_DEFAULT")));
    bump(json_object_get(sum, "textract_pages"), "FORCE_DOCUMENT_READ_ACTION",
         (json_int_t)json_array_size(json_object_get(tp, "FORCE_DOCUMENT_READ_ACTION")));
    bump_real(json_object_get(sum, "ocr_megapixels"), "SERVICE_DEFAULT",
              num(mp, "SERVICE_DEFAULT"));
    bump_real(json_object_get(sum, "ocr_megapixels"), "FORCE_DOCUMENT_READ_ACTION",
              num(mp, "FORCE_DOCUMENT_READ_ACTION"));
    json_array_foreach(json_object_get(rec, "characters"), i, p)
        bump(sum, "inference_characters", json_is_integer(p) ? json_integer_value(p) : 0);
}

int dc_scan_summary_add(dc_scan_summary *s, const char *record)
{
    json_error_t jerr;
    json_t *rec = json_loads(record, 0, &jerr);
    const char *fmt;
    json_t *f;
    json_int_t pages;

    if (!rec)
        return dc_error_set(DC_EINVAL, "not a scan record: %s", jerr.text);
    fmt = json_string_value(json_object_get(rec, "format"));
    pages = json_integer_value(json_object_get(rec, "pages"));
    bump(s->s, "files", 1);
    bump(s->s, "pages", pages);
    if (json_object_get(rec, "error"))
        bump(json_object_get(s->s, "errors"),
             json_string_value(json_object_get(json_object_get(rec, "error"), "code")), 1);
    if (!fmt)
        fmt = "error";
    f = json_object_get(json_object_get(s->s, "by_format"), fmt);
    if (!f) {
        f = json_pack("{s:i,s:i}", "files", 0, "pages", 0);
        json_object_set_new(json_object_get(s->s, "by_format"), fmt, f);
    }
    bump(f, "files", 1);
    bump(f, "pages", pages);
    add_pages_to(s->s, rec);
    add_admission(json_object_get(s->s, "admission"), json_object_get(rec, "admission"),
                  "realtime");
    add_admission(json_object_get(s->s, "admission"), json_object_get(rec, "admission"), "async");
    json_decref(rec);
    return DC_OK;
}

/* Money from counts and a user's price table (no price is built in). */
static int add_costs(json_t *out, const json_t *sum, const char *prices_json, dc_read_action action)
{
    json_error_t jerr;
    json_t *pr = json_loads(prices_json, JSON_REJECT_DUPLICATES, &jerr);
    const char *act = dc_read_action_name(action ? action : DC_READ_ACTION_DETECT_DOCUMENT_TEXT);
    json_t *tx, *per_page, *cost;
    double unit, unit_chars, min_units, chars;
    int err = DC_OK;

    if (!pr)
        return dc_error_set(DC_ECONFIG, "prices: line %d, column %d: %s", jerr.line, jerr.column,
                            jerr.text);
    tx = json_object_get(pr, "textract_per_page");
    per_page = json_object_get(tx, act);
    if (!json_is_number(per_page)) {
        err = dc_error_set(DC_ECONFIG, "prices: textract_per_page.%s must be a number", act);
        goto done;
    }
    unit = num(pr, "comprehend_per_unit");
    unit_chars = num(pr, "comprehend_unit_characters");
    min_units = num(pr, "comprehend_min_units");
    chars = (double)json_integer_value(json_object_get(sum, "inference_characters"));
    cost = json_pack(
        "{s:s?,s:{s:f,s:f},s:f}", "currency", json_string_value(json_object_get(pr, "currency")),
        "textract", "SERVICE_DEFAULT",
        json_number_value(per_page) *
            (double)json_integer_value(
                json_object_get(json_object_get(sum, "textract_pages"), "SERVICE_DEFAULT")),
        "FORCE_DOCUMENT_READ_ACTION",
        json_number_value(per_page) *
            (double)json_integer_value(json_object_get(json_object_get(sum, "textract_pages"),
                                                       "FORCE_DOCUMENT_READ_ACTION")),
        "comprehend_native_characters",
        unit_chars > 0 ? unit * (chars / unit_chars > min_units ? chars / unit_chars : min_units)
                       : 0.0);
    if (!cost || json_object_set_new(out, "cost", cost) < 0)
        err = dc_error_oom();
done:
    json_decref(pr);
    return err;
}

int dc_scan_summary_json(char **out,
                         const dc_scan_summary *s,
                         double seconds_per_mp,
                         const char *prices_json,
                         dc_read_action action)
{
    json_t *sum = json_deep_copy(s->s);
    const json_t *mp;
    int err;

    *out = NULL;
    if (!sum)
        return dc_error_oom();
    mp = json_object_get(sum, "ocr_megapixels");
    json_object_set_new(sum, "seconds_per_megapixel",
                        seconds_per_mp > 0 ? json_real(seconds_per_mp) : json_null());
    json_object_set_new(sum, "ocr_seconds_estimate",
                        seconds_per_mp > 0
                            ? json_pack("{s:f,s:f}", "SERVICE_DEFAULT",
                                        num(mp, "SERVICE_DEFAULT") * seconds_per_mp,
                                        "FORCE_DOCUMENT_READ_ACTION",
                                        num(mp, "FORCE_DOCUMENT_READ_ACTION") * seconds_per_mp)
                            : json_null());
    if (prices_json) {
        err = add_costs(sum, s->s, prices_json, action);
        if (err < 0) {
            json_decref(sum);
            return err;
        }
    }
    *out = dc_json_dumps(sum, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(sum);
    return *out ? DC_OK : dc_error_oom();
}

/* ---------------------------------------------------------------- select */

static int all_pages_typed(const json_t *rec, const char *type)
{
    const json_t *p;
    size_t i;

    if (json_array_size(json_object_get(rec, "page_classes")) == 0)
        return 0;
    json_array_foreach(json_object_get(rec, "page_classes"), i, p)
    {
        if (strcmp(json_string_value(json_object_get(p, "Type")), type) != 0)
            return 0;
    }
    return 1;
}

int dc_scan_record_matches(const char *record, dc_select sel, int force, int async)
{
    json_error_t jerr;
    json_t *rec = json_loads(record, 0, &jerr);
    const char *fmt;
    const json_t *adm;
    int r = 0;

    if (!rec)
        return dc_error_set(DC_EINVAL, "not a scan record: %s", jerr.text);
    fmt = json_string_value(json_object_get(rec, "format"));
    adm = json_object_get(json_object_get(rec, "admission"), async ? "async" : "realtime");
    switch (sel) {
    case DC_SELECT_NATIVE:
        r = fmt && strcmp(fmt, "pdf") == 0 && all_pages_typed(rec, "NATIVE_PDF");
        break;
    case DC_SELECT_SCANNED:
        r = fmt && strcmp(fmt, "pdf") == 0 && all_pages_typed(rec, "SCANNED_PDF");
        break;
    case DC_SELECT_NEEDS_OCR:
        r = json_array_size(
                json_object_get(json_object_get(rec, "textract_pages"),
                                force ? "FORCE_DOCUMENT_READ_ACTION" : "SERVICE_DEFAULT")) > 0;
        break;
    case DC_SELECT_REJECTED:
        r = !json_is_true(json_object_get(adm, "accepted"));
        break;
    case DC_SELECT_ACCEPTED:
        r = json_is_true(json_object_get(adm, "accepted"));
        break;
    }
    json_decref(rec);
    return r;
}

void dc_scan_summary_totals(const dc_scan_summary *s, size_t *files, size_t *pages)
{
    *files = (size_t)json_integer_value(json_object_get(s->s, "files"));
    *pages = (size_t)json_integer_value(json_object_get(s->s, "pages"));
}

/* A scan record parsed, and a copy of its path (the caller frees both). */
static int load_record(const char *record, json_t **rec, char **path)
{
    json_error_t jerr;
    const char *p;

    *path = NULL;
    *rec = json_loads(record, 0, &jerr);
    if (!*rec)
        return dc_error_set(DC_EINVAL, "not a scan record: %s", jerr.text);
    p = json_string_value(json_object_get(*rec, "path"));
    if (!p || !(*path = dc_strdup(p))) {
        json_decref(*rec);
        *rec = NULL;
        return p ? DC_ENOMEM : dc_error_set(DC_EINVAL, "scan record without a path");
    }
    return DC_OK;
}

int dc_scan_record_key(
    const char *record, char **path, long long *size, long long *mtime, int *is_archive)
{
    json_t *rec;
    int err = load_record(record, &rec, path);

    if (err < 0)
        return err;
    *size = json_integer_value(json_object_get(rec, "size"));
    *mtime = json_is_integer(json_object_get(rec, "mtime"))
                 ? json_integer_value(json_object_get(rec, "mtime"))
                 : -1;
    *is_archive = json_object_get(rec, "archive_members") != NULL;
    json_decref(rec);
    return DC_OK;
}

int dc_scan_record_forecast(const char *record, int force, char **path, double *megapixels)
{
    json_t *rec;
    int err = load_record(record, &rec, path);

    *megapixels = 0;
    if (err < 0)
        return err;
    *megapixels = json_number_value(
        json_object_get(json_object_get(rec, "ocr_megapixels"),
                        force ? "FORCE_DOCUMENT_READ_ACTION" : "SERVICE_DEFAULT"));
    json_decref(rec);
    return DC_OK;
}
