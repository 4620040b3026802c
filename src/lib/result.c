/*
 * The JSON result (docs/output-format.md). Keys are added in a fixed order;
 * jansson keeps insertion order, so the output is stable.
 */
#include <stdlib.h>
#include <string.h>

#include "json_out.h"
#include "doc.h"

/* json_object_set_new on a fresh object only fails on OOM; collect that. */
#define SET(obj, key, val)                                \
    do {                                                  \
        if (json_object_set_new((obj), (key), (val)) < 0) \
            ok = 0;                                       \
    } while (0)

static const char *limits_name(dc_limits_profile p)
{
    return p == DC_LIMITS_ASYNC ? "async" : p == DC_LIMITS_NONE ? "none" : "realtime";
}

static json_t *features_json(const dc_reader_config *c)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; a && i < c->nfeatures; i++)
        json_array_append_new(a, json_string(dc_feature_name(c->features[i])));
    return a;
}

static json_t *config_json(const dc_document *doc)
{
    const dc_reader_config *c = &doc->opts.config;
    json_t *o = json_object();
    json_t *given = json_null();
    json_t *eff = json_object();
    int ok = 1;

    if (!o || !eff)
        goto fail;
    if (c->action != DC_READ_ACTION_UNSET) {
        given = json_object();
        if (!given)
            goto fail;
        SET(given, "DocumentReadAction", json_string(dc_read_action_name(c->action)));
        if (c->mode != DC_READ_MODE_UNSET)
            SET(given, "DocumentReadMode", json_string(dc_read_mode_name(c->mode)));
        if (c->nfeatures)
            SET(given, "FeatureTypes", features_json(c));
    }
    SET(eff, "DocumentReadAction",
        json_string(dc_read_action_name(
            c->action != DC_READ_ACTION_UNSET ? c->action : DC_READ_ACTION_DETECT_DOCUMENT_TEXT)));
    SET(eff, "DocumentReadMode", json_string(dc_read_mode_name(dc_config_effective_mode(c))));
    SET(eff, "FeatureTypes", features_json(c));
    SET(o, "DocumentReaderConfig", given);
    SET(o, "effective", eff);
    SET(o, "limits", json_string(limits_name(doc->opts.limits)));
    if (ok)
        return o;
    json_decref(o);
    return NULL;
fail:
    json_decref(o);
    json_decref(eff);
    json_decref(given);
    return NULL;
}

static json_t *input_json(const dc_document *doc)
{
    json_t *o = json_object();
    const char *key;
    json_t *v;
    int ok = 1;

    if (!o)
        return NULL;
    SET(o, "path", doc->name ? json_string(doc->name) : json_null());
    SET(o, "bytes", json_integer((json_int_t)doc->bytes));
    SET(o, "sha256", doc->sha256[0] ? json_string(doc->sha256) : json_null());
    SET(o, "format", json_string(dc_format_name(doc->det.format)));
    SET(o, "kind", json_string(doc->det.kind ? doc->det.kind : "unknown"));
    if (doc->det.reason)
        SET(o, "unsupported_reason", json_string(doc->det.reason));
    json_object_foreach(doc->info, key, v) SET(o, key, json_incref(v));
    if (ok)
        return o;
    json_decref(o);
    return NULL;
}

static json_t *notes_json(const dc_note *v, size_t n, const char *code_key, const char *msg_key)
{
    json_t *a = json_array();
    size_t i;
    int ok = 1;

    for (i = 0; a && i < n; i++) {
        json_t *o = json_object();
        if (!o || json_array_append_new(a, o) < 0) {
            json_decref(a);
            return NULL;
        }
        if (v[i].page > 0)
            SET(o, "Page", json_integer(v[i].page));
        SET(o, code_key, json_string(v[i].code));
        SET(o, msg_key, json_string(v[i].message));
    }
    if (!ok) {
        json_decref(a);
        return NULL;
    }
    return a;
}

static json_t *admission_json(const dc_document *doc)
{
    json_t *o = json_object();
    json_t *a = json_array();
    size_t i;
    int ok = 1;

    if (!o || !a) {
        json_decref(o);
        json_decref(a);
        return NULL;
    }
    SET(o, "profile", json_string(limits_name(doc->opts.limits)));
    SET(o, "accepted", json_boolean(dc_document_accepted(doc)));
    for (i = 0; i < doc->nrefusals; i++) {
        const dc_refusal *r = &doc->refusals[i];
        json_t *e = json_object();
        if (!e || json_array_append_new(a, e) < 0) {
            ok = 0;
            break;
        }
        SET(e, "__type", json_string(r->type));
        SET(e, "Message", json_string(r->message));
        if (r->reason)
            SET(e, "Reason", json_string(r->reason));
        if (r->detail_reason)
            SET(e, "Detail", json_pack("{s:s}", "Reason", r->detail_reason));
    }
    SET(o, "refusals", a);
    if (ok)
        return o;
    json_decref(o);
    return NULL;
}

static json_t *metadata_json(const dc_document *doc, json_t **types_out)
{
    json_t *md = json_object();
    json_t *chars = json_array();
    json_t *types = json_array();
    size_t i;
    int ok = md && chars && types;

    for (i = 0; ok && i < doc->npages; i++) {
        if (json_array_append_new(chars, json_pack("{s:I,s:I}", "Page", (json_int_t)i + 1, "Count",
                                                   (json_int_t)doc->pages[i].chars)) < 0 ||
            json_array_append_new(types, json_pack("{s:I,s:s}", "Page", (json_int_t)i + 1, "Type",
                                                   dc_doctype_name(doc->pages[i].type))) < 0)
            ok = 0;
    }
    if (ok) {
        SET(md, "Pages", json_integer((json_int_t)doc->npages));
        SET(md, "ExtractedCharacters", chars);
        chars = NULL;
    }
    if (!ok) {
        json_decref(md);
        json_decref(chars);
        json_decref(types);
        return NULL;
    }
    *types_out = types;
    return md;
}

static json_t *pages_json(const dc_document *doc)
{
    json_t *a = json_array();
    size_t i;
    int ok = a != NULL;

    for (i = 0; ok && i < doc->npages; i++) {
        const dc_page *p = &doc->pages[i];
        json_t *o = json_object();
        const char *key;
        json_t *v;
        if (!o || json_array_append_new(a, o) < 0) {
            ok = 0;
            break;
        }
        SET(o, "Page", json_integer((json_int_t)i + 1));
        SET(o, "Type", json_string(dc_doctype_name(p->type)));
        SET(o, "extractor", json_string(dc_extractor_name(p->extractor)));
        SET(o, "reason", json_string(p->reason));
        SET(o, "characters", json_integer((json_int_t)p->chars));
        json_object_foreach(p->info, key, v) SET(o, key, json_incref(v));
        SET(o, "text", json_stringn(p->text, p->len));
    }
    if (!ok) {
        json_decref(a);
        return NULL;
    }
    return a;
}

json_t *dc_result_json(const dc_document *doc)
{
    json_t *o = json_object();
    json_t *types = NULL;
    json_t *md;
    int ok = o != NULL;

    if (!ok)
        return NULL;
    SET(o, "docclass_version", json_string(DC_VERSION_STRING));
    SET(o, "input", input_json(doc));
    SET(o, "config", config_json(doc));
    SET(o, "admission", admission_json(doc));
    md = metadata_json(doc, &types);
    SET(o, "DocumentMetadata", md);
    SET(o, "DocumentType", types);
    SET(o, "Errors", notes_json(doc->errors, doc->nerrors, "ErrorCode", "ErrorMessage"));
    SET(o, "Warnings", notes_json(doc->warnings, doc->nwarnings, "WarnCode", "WarnMessage"));
    SET(o, "pages", pages_json(doc));
    if (ok)
        return o;
    json_decref(o);
    return NULL;
}

static int dump(char **out, json_t *j, unsigned flags)
{
    size_t jf = JSON_ENSURE_ASCII * 0 | JSON_PRESERVE_ORDER;

    jf |= (flags & DC_JSON_COMPACT) ? JSON_COMPACT : JSON_INDENT(2);
    *out = dc_json_dumps(j, jf);
    if (!*out)
        return dc_error_oom();
    return DC_OK;
}

int dc_document_to_json(char **out, const dc_document *doc, unsigned flags)
{
    json_t *j = dc_result_json(doc);
    int err;

    *out = NULL;
    if (!j)
        return dc_error_oom();
    err = dump(out, j, flags);
    json_decref(j);
    return err;
}

int dc_error_record_to_json(
    char **out, const char *path, int code, const char *message, unsigned flags)
{
    json_t *j = json_pack("{s:s,s:{s:s?},s:{s:s,s:s}}", "docclass_version", DC_VERSION_STRING,
                          "input", "path", path, "error", "code", dc_error_name(code), "message",
                          message ? message : dc_strerror(code));
    int err;

    *out = NULL;
    if (!j)
        return dc_error_oom();
    err = dump(out, j, flags);
    json_decref(j);
    return err;
}

int dc_record_path(const char *record, char **path)
{
    json_error_t jerr;
    json_t *rec = json_loads(record, 0, &jerr);
    const char *p;
    int err = DC_OK;

    *path = NULL;
    if (!rec)
        return dc_error_set(DC_EINVAL, "not a JSON record: %s", jerr.text);
    p = json_string_value(json_object_get(json_object_get(rec, "input"), "path"));
    if (!p) /* classify's records name it at the top */
        p = json_string_value(json_object_get(rec, "path"));
    if (!p)
        err = dc_error_set(DC_EINVAL, "record without input.path");
    else if (!(*path = dc_strdup(p)))
        err = DC_ENOMEM;
    json_decref(rec);
    return err;
}

int dc_record_pages(const char *record, size_t *pages, size_t *ocr_pages)
{
    json_error_t jerr;
    json_t *rec = json_loads(record, 0, &jerr);
    json_t *arr, *p;
    size_t i;

    *pages = *ocr_pages = 0;
    if (!rec)
        return dc_error_set(DC_EINVAL, "not a JSON record: %s", jerr.text);
    arr = json_object_get(rec, "pages");
    json_array_foreach(arr, i, p)
    {
        (*pages)++;
        if (json_is_string(json_object_get(p, "extractor")) &&
            strcmp(json_string_value(json_object_get(p, "extractor")), "ocr") == 0)
            (*ocr_pages)++;
    }
    json_decref(rec);
    return DC_OK;
}
