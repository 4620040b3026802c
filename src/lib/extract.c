/*
 * The extraction pipeline: detect the format from the bytes, route to the
 * stage's extractor, then check the service's limits.
 */
#include <stdlib.h>
#include <string.h>

#include "formats.h"
#include "options.h"
#include "json_out.h"
#include "ocr.h"

static int init_doc(dc_document **out,
                    const void *data,
                    size_t len,
                    const char *name,
                    const dc_extract_options *opts)
{
    dc_document *doc = calloc(1, sizeof(*doc));
    int err;

    *out = NULL;
    if (!doc)
        return dc_error_oom();
    doc->opts = *opts;         /* resolved */
    doc->opts.password = NULL; /* never kept */
    doc->lang = dc_strdup(doc->opts.lang ? doc->opts.lang : "eng");
    doc->opts.lang = doc->lang;
    doc->name = name ? dc_strdup(name) : NULL;
    doc->bytes = len;
    if (!doc->lang || (name && !doc->name)) {
        err = DC_ENOMEM;
        goto fail;
    }
    if (!doc->opts.no_input_hash) {
        err = dc_sha256_hex(doc->sha256, data, len);
        if (err < 0)
            goto fail;
    }
    err = dc_detect(&doc->det, data, len);
    if (err < 0)
        goto fail;
    *out = doc;
    return DC_OK;
fail:
    dc_document_free(doc);
    return err;
}

static int route(dc_document *doc, const void *data, size_t len, const dc_extract_options *opts)
{
    const dc_format_info *f = dc_format_info_of(doc->det.format);

    if (!f->extract)
        return dc_error_set(DC_EUNSUPPORTED, "unsupported document (%s): %s (UNSUPPORTED_DOC_TYPE)",
                            doc->det.kind ? doc->det.kind : "unknown",
                            doc->det.reason ? doc->det.reason : "not a supported format");
    if (f->config_note && doc->opts.config.action != DC_READ_ACTION_UNSET) {
        int err = dc_doc_warn(doc, 0, "DOCCLASS_CONFIG_IGNORED", "%s", f->config_note);
        if (err < 0)
            return err;
    }
    return f->extract(doc, data, len, opts);
}

static int extract_common(dc_document **out,
                          const void *data,
                          size_t len,
                          const char *name,
                          const dc_extract_options *opts,
                          int analyze_only,
                          int count_chars)
{
    dc_document *doc = NULL;
    dc_extract_options o;
    const char *note;
    int err;

    *out = NULL;
    if (!data && len)
        return dc_error_set(DC_EINVAL, "no data");
    err = dc_extract_options_resolve(&o, opts, 0);
    if (err < 0)
        return err;
    /* the input cap holds however the document arrives (scan has its own) */
    if (!analyze_only && len > o.max_input_bytes)
        return dc_error_set(DC_ELIMIT, "document is %zu bytes, over the %zu-byte input limit", len,
                            o.max_input_bytes);
    opts = &o;
    err = init_doc(&doc, data, len, name, opts);
    if (err < 0)
        return err;
    doc->analyze_only = analyze_only;
    doc->count_chars = count_chars;
    if ((note = dc_config_warning(&doc->opts.config)) != NULL) {
        err = dc_doc_warn(doc, 0, "DOCCLASS_CONFIG", "%s", note);
        if (err < 0)
            goto done;
    }
    if (!(analyze_only && doc->det.format == DC_FORMAT_UNSUPPORTED)) {
        err = route(doc, data, len, opts);
        if (err < 0)
            goto done;
    }
    err = dc_limits_apply(doc);
    if (err < 0)
        goto done;
    *out = doc;
    doc = NULL;
done:
    dc_document_free(doc);
    return err;
}

int dc_document_extract_mem(dc_document **out,
                            const void *data,
                            size_t len,
                            const char *name,
                            const dc_extract_options *opts)
{
    return extract_common(out, data, len, name, opts, 0, 0);
}

int dc_document_scan_mem(dc_document **out,
                         const void *data,
                         size_t len,
                         const char *name,
                         const dc_extract_options *opts,
                         unsigned flags)
{
    dc_extract_options o;
    int err = dc_extract_options_resolve(&o, opts, 0);

    if (err < 0)
        return err;
    /* limits are judged per profile by dc_scan_record_json() */
    o.limits = DC_LIMITS_NONE;
    return extract_common(out, data, len, name, &o, 1, (flags & DC_SCAN_COUNT_CHARS) != 0);
}

int dc_document_extract_file(dc_document **out, const char *path, const dc_extract_options *opts)
{
    dc_extract_options o;
    char *data = NULL;
    size_t len = 0;
    int err;

    *out = NULL;
    err = dc_extract_options_resolve(&o, opts, 0);
    if (err < 0)
        return err;
    err = dc_read_file(&data, &len, path, o.max_input_bytes);
    if (err < 0)
        return err;
    err = dc_document_extract_mem(out, data, len, path, &o);
    free(data);
    return err;
}

int dc_detect_file(dc_detection *out, const char *path, size_t *bytes_out)
{
    char *data = NULL;
    size_t len = 0;
    int err = dc_read_file(&data, &len, path, (size_t)256 << 20);

    if (err < 0)
        return err;
    err = dc_detect(out, data, len);
    if (err >= 0 && bytes_out)
        *bytes_out = len;
    free(data);
    return err;
}

int dc_detection_to_json(char **out, const char *path, size_t bytes, const dc_detection *det)
{
    json_t *j = json_pack("{s:s,s:I,s:s,s:s}", "path", path, "bytes", (json_int_t)bytes, "format",
                          dc_format_name(det->format), "kind", det->kind ? det->kind : "unknown");
    int err = DC_OK;

    *out = NULL;
    if (!j)
        return dc_error_oom();
    if (det->reason && json_object_set_new(j, "reason", json_string(det->reason)) < 0)
        err = dc_error_oom();
    if (det->format == DC_FORMAT_TEXTRACT_JSON &&
        json_object_set_new(j, "textract_operation",
                            json_string(det->textract == DC_TEXTRACT_ANALYZE_DOCUMENT
                                            ? "AnalyzeDocument"
                                            : "DetectDocumentText")) < 0)
        err = dc_error_oom();
    if (err >= 0) {
        *out = dc_json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
        if (!*out)
            err = dc_error_oom();
    }
    json_decref(j);
    return err;
}
