/*
 * The document model: pages, Errors, Warnings and refusals collected by the
 * extractors, plus the public getters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"

/* Grow an array of elements of size sz to hold one more. */
static int reserve(void **items, size_t *cap, size_t n, size_t sz)
{
    size_t ncap;
    void *p;

    if (n < *cap)
        return DC_OK;
    ncap = *cap ? *cap * 2 : 8;
    if (ncap > SIZE_MAX / sz)
        return dc_error_oom();
    p = realloc(*items, ncap * sz);
    if (!p)
        return dc_error_oom();
    *items = p;
    *cap = ncap;
    return DC_OK;
}

static char *vformat(const char *fmt, va_list ap)
{
    dc_buf b = DC_BUF_INIT;
    char tmp[1024];
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);

    if (n < 0)
        tmp[0] = '\0';
    dc_buf_init(&b, sizeof(tmp));
    if (dc_buf_puts(&b, tmp) < 0) {
        dc_buf_dispose(&b);
        return NULL;
    }
    return dc_buf_detach(&b, NULL);
}

int dc_doc_add_page(dc_document *doc,
                    char *text,
                    size_t len,
                    dc_extractor extractor,
                    dc_doctype type,
                    json_t *info,
                    const char *reason_fmt,
                    ...)
{
    va_list ap;
    dc_page *p;
    char *reason = NULL;
    int err;

    err = reserve((void **)&doc->pages, &doc->pages_cap, doc->npages, sizeof(dc_page));
    if (err < 0)
        goto fail;
    va_start(ap, reason_fmt);
    reason = vformat(reason_fmt, ap);
    va_end(ap);
    if (!reason) {
        err = DC_ENOMEM;
        goto fail;
    }
    if (!text) {
        text = calloc(1, 1);
        len = 0;
        if (!text) {
            err = dc_error_oom();
            goto fail;
        }
    }
    p = &doc->pages[doc->npages];
    p->text = text;
    p->len = len;
    p->chars = dc_utf8_count(text, len);
    p->extractor = extractor;
    p->type = type;
    p->reason = reason;
    p->info = info;
    memset(&p->words, 0, sizeof(p->words));
    memset(&p->route, 0, sizeof(p->route));
    return (int)doc->npages++;
fail:
    free(text);
    free(reason);
    json_decref(info);
    return err;
}

int dc_doc_page_set_route(dc_document *doc,
                          size_t i,
                          const char *cls,
                          const char *rule,
                          double width_pt,
                          double height_pt,
                          int px_w,
                          int px_h)
{
    dc_page_route *r = &doc->pages[i].route;
    char *copy = rule ? dc_strdup(rule) : NULL;

    if (rule && !copy)
        return dc_error_oom();
    free(r->rule);
    r->cls = cls;
    r->rule = copy;
    r->width_pt = width_pt;
    r->height_pt = height_pt;
    r->px_w = px_w;
    r->px_h = px_h;
    return DC_OK;
}

dc_arena *dc_doc_arena(dc_document *doc, size_t hint)
{
    if (!doc->arena)
        doc->arena = dc_arena_new(hint);
    return doc->arena;
}

void dc_doc_page_take_words(dc_document *doc, size_t i, dc_words *ws)
{
    dc_words_dispose(&doc->pages[i].words);
    doc->pages[i].words = *ws;
    memset(ws, 0, sizeof(*ws));
}

static int add_note(
    dc_note **v, size_t *n, size_t *cap, int page, const char *code, const char *fmt, va_list ap)
{
    dc_note *e;
    int err = reserve((void **)v, cap, *n, sizeof(dc_note));

    if (err < 0)
        return err;
    e = &(*v)[*n];
    e->page = page;
    e->code = dc_strdup(code);
    e->message = vformat(fmt, ap);
    if (!e->code || !e->message) {
        free(e->code);
        free(e->message);
        return dc_error_oom();
    }
    (*n)++;
    return DC_OK;
}

int dc_doc_error(dc_document *doc, int page, const char *code, const char *fmt, ...)
{
    va_list ap;
    int err;
    va_start(ap, fmt);
    err = add_note(&doc->errors, &doc->nerrors, &doc->errors_cap, page, code, fmt, ap);
    va_end(ap);
    return err;
}

int dc_doc_warn(dc_document *doc, int page, const char *code, const char *fmt, ...)
{
    va_list ap;
    int err;
    va_start(ap, fmt);
    err = add_note(&doc->warnings, &doc->nwarnings, &doc->warnings_cap, page, code, fmt, ap);
    va_end(ap);
    return err;
}

int dc_doc_refuse(dc_document *doc,
                  const char *type,
                  const char *reason,
                  const char *detail_reason,
                  const char *fmt,
                  ...)
{
    va_list ap;
    dc_refusal *r;
    int err =
        reserve((void **)&doc->refusals, &doc->refusals_cap, doc->nrefusals, sizeof(dc_refusal));

    if (err < 0)
        return err;
    r = &doc->refusals[doc->nrefusals];
    memset(r, 0, sizeof(*r));
    r->type = dc_strdup(type);
    r->reason = reason ? dc_strdup(reason) : NULL;
    r->detail_reason = detail_reason ? dc_strdup(detail_reason) : NULL;
    va_start(ap, fmt);
    r->message = vformat(fmt, ap);
    va_end(ap);
    if (!r->type || !r->message || (reason && !r->reason) || (detail_reason && !r->detail_reason)) {
        free(r->type);
        free(r->reason);
        free(r->detail_reason);
        free(r->message);
        return dc_error_oom();
    }
    doc->nrefusals++;
    return DC_OK;
}

int dc_doc_info_set(dc_document *doc, const char *key, json_t *value)
{
    if (!value)
        return dc_error_oom();
    if (!doc->info) {
        doc->info = json_object();
        if (!doc->info) {
            json_decref(value);
            return dc_error_oom();
        }
    }
    if (json_object_set_new(doc->info, key, value) < 0)
        return dc_error_oom();
    return DC_OK;
}

const char *dc_doctype_name(dc_doctype t)
{
    static const char *const names[] = {
        "NATIVE_PDF",
        "SCANNED_PDF",
        "MS_WORD",
        "IMAGE",
        "PLAIN_TEXT",
        "TEXTRACT_DETECT_DOCUMENT_TEXT_JSON",
        "TEXTRACT_ANALYZE_DOCUMENT_JSON",
    };
    return (size_t)t < sizeof(names) / sizeof(names[0]) ? names[t] : "UNKNOWN";
}

const char *dc_extractor_name(dc_extractor e)
{
    switch (e) {
    case DC_EXTRACTOR_PARSER:
        return "parser";
    case DC_EXTRACTOR_OCR:
        return "ocr";
    default:
        return "none";
    }
}

static void free_notes(dc_note *v, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        free(v[i].code);
        free(v[i].message);
    }
    free(v);
}

void dc_document_free(dc_document *doc)
{
    size_t i;

    if (!doc)
        return;
    for (i = 0; i < doc->npages; i++) {
        free(doc->pages[i].text);
        free(doc->pages[i].reason);
        dc_words_dispose(&doc->pages[i].words);
        free(doc->pages[i].route.rule);
        json_decref(doc->pages[i].info);
    }
    free(doc->pages);
    dc_arena_free(doc->arena); /* after the pages: their words may be in it */
    free_notes(doc->errors, doc->nerrors);
    free_notes(doc->warnings, doc->nwarnings);
    for (i = 0; i < doc->nrefusals; i++) {
        free(doc->refusals[i].type);
        free(doc->refusals[i].reason);
        free(doc->refusals[i].detail_reason);
        free(doc->refusals[i].message);
    }
    free(doc->refusals);
    json_decref(doc->info);
    free(doc->lang);
    free(doc->name);
    free(doc);
}

dc_format dc_document_format(const dc_document *doc)
{
    return doc->det.format;
}

size_t dc_document_page_count(const dc_document *doc)
{
    return doc->npages;
}

const char *dc_document_page_text(const dc_document *doc, size_t index, size_t *len_out)
{
    if (index >= doc->npages)
        return NULL;
    if (len_out)
        *len_out = doc->pages[index].len;
    return doc->pages[index].text;
}

int dc_document_accepted(const dc_document *doc)
{
    if (doc->opts.limits == DC_LIMITS_NONE)
        return 1;
    return doc->nrefusals == 0 && doc->nerrors == 0;
}

/* ------------------------------------------------------------ accessors */

int dc_document_page_info(const dc_document *doc,
                          size_t index,
                          dc_doctype *type,
                          dc_extractor *extractor,
                          size_t *characters)
{
    const dc_page *p;

    if (index >= doc->npages)
        return dc_error_set(DC_EINVAL, "page %zu of a %zu-page document", index + 1, doc->npages);
    p = &doc->pages[index];
    if (type)
        *type = p->type;
    if (extractor)
        *extractor = p->extractor;
    if (characters)
        *characters = p->chars;
    return DC_OK;
}

const char *dc_document_page_reason(const dc_document *doc, size_t index)
{
    return index < doc->npages ? doc->pages[index].reason : NULL;
}

double dc_document_page_ocr_confidence(const dc_document *doc, size_t index)
{
    const json_t *ocr, *conf;

    if (index >= doc->npages || doc->pages[index].extractor != DC_EXTRACTOR_OCR)
        return -1;
    ocr = json_object_get(doc->pages[index].info, "ocr");
    conf = ocr ? json_object_get(ocr, "mean_confidence") : NULL;
    return json_is_number(conf) ? json_number_value(conf) : -1;
}

size_t dc_document_note_count(const dc_document *doc, dc_notes which)
{
    return which == DC_NOTES_ERRORS ? doc->nerrors : doc->nwarnings;
}

int dc_document_note(const dc_document *doc,
                     dc_notes which,
                     size_t index,
                     int *page,
                     const char **code,
                     const char **message)
{
    const dc_note *v = which == DC_NOTES_ERRORS ? doc->errors : doc->warnings;

    if (index >= dc_document_note_count(doc, which))
        return dc_error_set(DC_EINVAL, "note %zu of %zu", index + 1,
                            dc_document_note_count(doc, which));
    if (page)
        *page = v[index].page;
    if (code)
        *code = v[index].code;
    if (message)
        *message = v[index].message;
    return DC_OK;
}

size_t dc_document_refusal_count(const dc_document *doc)
{
    return doc->nrefusals;
}

int dc_document_refusal(const dc_document *doc,
                        size_t index,
                        const char **code,
                        const char **exception,
                        const char **message)
{
    const dc_refusal *r;

    if (index >= doc->nrefusals)
        return dc_error_set(DC_EINVAL, "refusal %zu of %zu", index + 1, doc->nrefusals);
    r = &doc->refusals[index];
    if (code)
        *code = r->detail_reason ? r->detail_reason : r->reason ? r->reason : r->type;
    if (exception)
        *exception = r->type;
    if (message)
        *message = r->message;
    return DC_OK;
}
