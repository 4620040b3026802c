/*
 * Classify stage: a file (or a text) to one ClassifyDocument request per
 * selected page, each built, checked against the service's limits locally,
 * then sent through a dc_sender (or only described in a dry run), and the
 * per-page results gathered into one JSON record per input.
 *
 * What is sent (--send auto): Bytes where the service reads the type itself
 * within its limits (a PDF page as a one-page PDF, an image or a TIFF page,
 * a DOCX, a Textract JSON), else the extracted text. Plain text files go as
 * Text. A page over 10,000 characters of text gets the service's page error
 * here and is not sent, unless truncate cuts it at a word boundary.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "formats.h"
#include "options.h"
#include "json_out.h"
#include "send_int.h"

#define MAX_PAGES 100000

typedef struct {
    dc_request *req;
    int page; /* 1-based */
} kept_request;

struct dc_classification {
    json_t *root;
    json_t *pages;    /* borrowed from root */
    json_t *warnings; /* borrowed from root */
    int status;
    char **errors;
    size_t nerrors;
    dc_buf dry;
    kept_request *reqs; /* dc_classify_prepare_mem(): the requests, kept */
    size_t nreqs;
};

/* Everything known about the input while its pages are sent. */
typedef struct {
    dc_classification *c;
    dc_sender *s;
    const dc_classify_options *o;
    const char *arn;
    const char *data; /* file bytes (NULL for --text) */
    size_t len;
    dc_format format;
    dc_document *doc; /* extracted lazily, for text */
    const char *path;
    size_t npages; /* pages of the document */
    int net_down;  /* a network failure: later pages are not tried */
    int prepare;   /* dc_classify_prepare_mem(): keep the requests, no sender */
} job;

/* ---------------------------------------------------------------- result */

static int status_rank(int st)
{
    switch (st) {
    case DC_OK:
        return 0;
    case DC_ELIMIT:
        return 1;
    case DC_EHTTP:
        return 2;
    default:
        return 3;
    }
}

static int
add_error(dc_classification *c, int code, const char *fmt, const char *page_msg, int page)
{
    char line[1200];
    char **v;

    (void)fmt;
    if (status_rank(code) > status_rank(c->status))
        c->status = code;
    v = realloc(c->errors, (c->nerrors + 1) * sizeof(*v));
    if (!v)
        return dc_error_oom();
    c->errors = v;
    if (page > 0)
        (void)snprintf(line, sizeof(line), "page %d: %s", page, page_msg);
    else
        (void)snprintf(line, sizeof(line), "%s", page_msg);
    c->errors[c->nerrors] = dc_strdup(line);
    if (!c->errors[c->nerrors])
        return dc_error_oom();
    c->nerrors++;
    return DC_OK;
}

static int warn(job *j, const char *msg)
{
    return json_array_append_new(j->c->warnings, json_string(msg)) ? dc_error_oom() : DC_OK;
}

static int new_classification(dc_classification **out, const char *path, const dc_sender *s)
{
    dc_classification *c = calloc(1, sizeof(*c));
    int bad;

    *out = NULL;
    if (!c)
        return dc_error_oom();
    c->root = json_object();
    c->pages = json_array();
    c->warnings = json_array();
    dc_buf_init(&c->dry, (size_t)1 << 30);
    bad = !c->root || !c->pages || !c->warnings;
    bad |= json_object_set_new(c->root, "path", json_string(path)) != 0;
    bad |= json_object_set_new(c->root, "endpoint",
                               s ? json_string(dc_sender_url(s)) : json_null()) != 0;
    bad |= json_object_set_new(c->root, "region",
                               s ? json_string(dc_sender_region(s)) : json_null()) != 0;
    bad |= json_object_set(c->root, "pages", c->pages) != 0;
    bad |= json_object_set(c->root, "warnings", c->warnings) != 0;
    json_decref(c->pages);
    json_decref(c->warnings);
    if (bad) {
        dc_classification_free(c);
        return dc_error_oom();
    }
    *out = c;
    return DC_OK;
}

/* ---------------------------------------------------------------- pages */

/* Parse "1,3-5" into a 0/1 map of n pages. */
static int select_pages(unsigned char *sel, size_t n, const char *spec)
{
    const char *p = spec;

    if (!spec || !*spec) {
        memset(sel, 1, n);
        return DC_OK;
    }
    memset(sel, 0, n);
    while (*p) {
        char *end = NULL;
        long a = strtol(p, &end, 10), b;
        if (end == p || a < 1)
            return dc_error_set(DC_EINVAL, "--pages '%s': expected a list such as 1,3-5", spec);
        b = a;
        if (*end == '-') {
            p = end + 1;
            b = strtol(p, &end, 10);
            if (end == p || b < a)
                return dc_error_set(DC_EINVAL, "--pages '%s': bad range", spec);
        }
        if ((size_t)b > n)
            return dc_error_set(DC_EINVAL, "--pages '%s': page %ld does not exist (%zu page%s)",
                                spec, b, n, n == 1 ? "" : "s");
        for (; a <= b; a++)
            sel[a - 1] = 1;
        if (*end != ',' && *end != '\0')
            return dc_error_set(DC_EINVAL, "--pages '%s': expected a list such as 1,3-5", spec);
        p = *end ? end + 1 : end;
    }
    return DC_OK;
}

static int extract(job *j)
{
    dc_extract_options eo;

    if (j->doc)
        return DC_OK;
    eo = j->o->extract;
    eo.limits = DC_LIMITS_NONE; /* pages go one per request: limits are checked per page */
    return dc_document_extract_mem(&j->doc, j->data, j->len, j->path, &eo);
}

/* The bytes of page i as its own document (a view of the file when whole). */
static int page_bytes(job *j, size_t i, char **own, const char **data, size_t *len)
{
    *own = NULL;
    /* a one-page document goes as it is, byte for byte */
    dc_split_kind split = dc_format_info_of(j->format)->split;

    if (j->npages > 1 && split == DC_SPLIT_PDF)
        return dc_split__pdf_page(own, len, j->data, j->len, i, j->o->extract.password);
    if (j->npages > 1 && split == DC_SPLIT_TIFF)
        return dc_split__tiff_page(own, len, j->data, j->len, i);
    *data = j->data;
    *len = j->len;
    return DC_OK;
}

/* Bytes only for types the service reads itself. */
/* ---------------------------------------------------------------- one page */

typedef struct {
    json_t *rec;
    dc_request *req;
} page_ctx;

static int local_error(job *j, page_ctx *pc, int page, const char *code, const char *msg)
{
    json_t *e = json_pack("{s:s, s:s, s:b}", "ErrorCode", code, "ErrorMessage", msg, "local", 1);

    if (!e || json_object_set_new(pc->rec, "error", e) != 0)
        return dc_error_oom();
    return add_error(j->c, DC_ELIMIT, NULL, msg, page);
}

/* Text of page i, checked (and cut with truncate) against the per-page
 * limits. Returns 1 when the page must not be sent (error recorded). */
static int text_request(job *j, page_ctx *pc, size_t i, const char *text, size_t len)
{
    size_t chars = dc_utf8_count(text, len);
    char msg[256];
    int err;

    if (chars > DC_RT_PAGE_CHARS || len > DC_RT_TEXT_BYTES) {
        size_t cut;
        if (!j->o->truncate) {
            (void)snprintf(msg, sizeof(msg),
                           "%s: %zu characters (%zu bytes) over the limit of %u characters "
                           "(%zu bytes) of a page; not sent (--truncate cuts it)",
                           chars > DC_RT_PAGE_CHARS ? "PAGE_CHARACTERS_EXCEEDED"
                                                    : "TextSizeLimitExceededException",
                           chars, len, DC_RT_PAGE_CHARS, DC_RT_TEXT_BYTES);
            err = local_error(j, pc, (int)i + 1,
                              chars > DC_RT_PAGE_CHARS ? "PAGE_CHARACTERS_EXCEEDED"
                                                       : "TEXT_SIZE_LIMIT_EXCEEDED",
                              msg);
            return err < 0 ? err : 1;
        }
        cut = dc_request__truncate(text, len, DC_RT_PAGE_CHARS, DC_RT_TEXT_BYTES);
        if (json_object_set_new(pc->rec, "truncated",
                                json_pack("{s:I, s:I}", "from_characters", (json_int_t)chars,
                                          "to_characters", (json_int_t)dc_utf8_count(text, cut))) !=
            0)
            return dc_error_oom();
        len = cut;
        chars = dc_utf8_count(text, cut);
    }
    if (len == 0) {
        err = local_error(j, pc, (int)i + 1, "NO_TEXT", "the page has no text; not sent");
        return err < 0 ? err : 1;
    }
    if (json_object_set_new(pc->rec, "characters", json_integer((json_int_t)chars)) != 0)
        return dc_error_oom();
    return j->prepare ? dc_request__new_text(&pc->req, NULL, text, len)
                      : dc_request_new_text(&pc->req, j->arn, text, len);
}

static int page_text_request(job *j, page_ctx *pc, size_t i)
{
    size_t len = 0;
    const char *text;
    int err = extract(j);

    if (err < 0)
        return err;
    text = dc_document_page_text(j->doc, i, &len);
    if (!text)
        return dc_error_set(DC_EINVAL, "page %zu has no text in the extraction", i + 1);
    return text_request(j, pc, i, text, len);
}

/* Decide Bytes or Text for page i and build the request. Returns 1 when
 * the page was refused locally (recorded), else DC_OK or < 0. */
static int build_request(job *j, page_ctx *pc, size_t i)
{
    dc_send_mode m = j->o->mode;
    char *own = NULL;
    const char *data = NULL;
    size_t len = 0;
    int err;

    if (m == DC_SEND_AUTO && dc_format_info_of(j->format)->text_only)
        m = DC_SEND_TEXT;
    if (m == DC_SEND_TEXT)
        return page_text_request(j, pc, i);
    err = page_bytes(j, i, &own, &data, &len);
    if (err >= 0 && own)
        data = own;
    if (err >= 0 && m == DC_SEND_AUTO && len > dc_request__bytes_limit(j->format)) {
        free(own);
        if (warn(j, "a page is over the Bytes limit: its extracted text is sent instead") < 0)
            return dc_error_oom();
        return page_text_request(j, pc, i);
    }
    if (err >= 0 && j->prepare)
        err = dc_request__new_bytes(&pc->req, NULL, data, len, j->format, &j->o->extract.config);
    else if (err >= 0)
        err = dc_request_new_bytes(&pc->req, j->arn, data, len, j->format, &j->o->extract.config);
    if (err == DC_ELIMIT) {
        char msg[512];
        (void)snprintf(msg, sizeof(msg), "%s; not sent", dc_error_last()->message);
        err = local_error(j, pc, (int)i + 1, "PAGE_SIZE_EXCEEDED", msg);
        err = err < 0 ? err : 1;
    }
    free(own);
    return err;
}

static int describe_request(job *j, page_ctx *pc)
{
    char *text = NULL;
    int err = dc_sender_describe(&text, j->s, pc->req);

    if (err >= 0)
        err = dc_buf_puts(&j->c->dry, text);
    if (err >= 0)
        err = dc_buf_putc(&j->c->dry, '\n');
    free(text);
    return err;
}

/* dc_classify_prepare_mem(): the request stays on the result. */
static int keep_request(job *j, page_ctx *pc, int page)
{
    dc_classification *c = j->c;
    kept_request *r = realloc(c->reqs, (c->nreqs + 1) * sizeof(*r));

    if (!r)
        return dc_error_oom();
    c->reqs = r;
    c->reqs[c->nreqs].req = pc->req;
    c->reqs[c->nreqs++].page = page;
    pc->req = NULL;
    return DC_OK;
}

static int send_request(job *j, page_ctx *pc, int page)
{
    dc_response *resp = NULL;
    int err = dc_sender_send(&resp, j->s, pc->req);
    int rc = DC_OK;

    if (resp && json_object_set_new(pc->rec, "response", dc_send__response_json(resp)) != 0)
        rc = dc_error_oom();
    if (err == DC_EHTTP || err == DC_ENET) {
        if (err == DC_ENET) {
            j->net_down = 1;
            if (json_object_set_new(pc->rec, "error",
                                    json_pack("{s:s, s:s}", "ErrorCode", "NETWORK", "ErrorMessage",
                                              dc_error_last()->message)) != 0)
                rc = dc_error_oom();
        }
        if (rc >= 0)
            rc = add_error(j->c, err, NULL, dc_error_last()->message, page);
    } else if (err < 0) {
        rc = err;
    }
    dc_response_free(resp);
    return rc;
}

static int request_facts(page_ctx *pc)
{
    json_t *r = json_object();
    int bad = !r;

    bad |= json_object_set_new(r, "member", json_string(pc->req->bytes ? "Bytes" : "Text")) != 0;
    if (pc->req->bytes)
        bad |= json_object_set_new(r, "format", json_string(dc_format_name(pc->req->format))) != 0;
    bad |= json_object_set_new(r, "payload_bytes", json_integer((json_int_t)pc->req->payload)) != 0;
    bad |= json_object_set_new(r, "body_bytes", json_integer((json_int_t)pc->req->len)) != 0;
    bad |= json_object_set_new(r, "document_reader_config", json_boolean(pc->req->has_config)) != 0;
    bad |= json_object_set_new(pc->rec, "request", r) != 0;
    return bad ? dc_error_oom() : DC_OK;
}

/* Page i: its request built (from text when given: a page already
 * extracted, else from the document), then kept, described or sent. A page
 * refused locally is recorded and is no failure. */
static int run_page(job *j, size_t i, const char *text, size_t len)
{
    page_ctx pc = {NULL, NULL};
    int err;

    pc.rec = json_pack("{s:I}", "page", (json_int_t)i + 1);
    if (!pc.rec || json_array_append_new(j->c->pages, pc.rec) != 0)
        return dc_error_oom();
    if (j->net_down) {
        return json_object_set_new(pc.rec, "error",
                                   json_pack("{s:s, s:s}", "ErrorCode", "NOT_SENT", "ErrorMessage",
                                             "not sent after a network failure"))
                   ? dc_error_oom()
                   : DC_OK;
    }
    err = text ? text_request(j, &pc, i, text, len) : build_request(j, &pc, i);
    if (err == DC_OK)
        err = request_facts(&pc);
    if (err == DC_OK && j->prepare)
        err = keep_request(j, &pc, (int)i + 1);
    else if (err == DC_OK)
        err = j->o->dry_run ? describe_request(j, &pc) : send_request(j, &pc, (int)i + 1);
    dc_request_free(pc.req);
    return err < 0 ? err : DC_OK;
}

/* ---------------------------------------------------------------- files */

static int count_pages(job *j, size_t *n)
{
    dc_send_mode m = j->o->mode;
    int err;

    const dc_format_info *f = dc_format_info_of(j->format);

    if (m == DC_SEND_TEXT || f->text_only) {
        err = extract(j);
        if (err >= 0)
            *n = dc_document_page_count(j->doc);
        return err;
    }
    if (f->split == DC_SPLIT_PDF)
        return dc_split__pdf_count(n, j->data, j->len, j->o->extract.password);
    if (f->split == DC_SPLIT_TIFF)
        return dc_split__tiff_count(n, j->data, j->len);
    *n = 1; /* one request for the whole document */
    return DC_OK;
}

static int config_notes(job *j)
{
    if (j->o->extract.config.action == DC_READ_ACTION_UNSET)
        return DC_OK;
    if (j->o->mode == DC_SEND_TEXT || dc_format_info_of(j->format)->text_only)
        return warn(j, "DocumentReaderConfig is not sent with Text");
    if (!dc_format_info_of(j->format)->reader_config)
        return warn(j, "DocumentReaderConfig applies to PDFs and images only: not sent");
    return DC_OK;
}

static int run_pages(job *j)
{
    unsigned char *sel = NULL;
    size_t n = 0, i;
    int err = count_pages(j, &n);

    if (err < 0)
        return err;
    if (n == 0 || n > MAX_PAGES)
        return dc_error_set(DC_ELIMIT, "the document has %zu pages", n);
    j->npages = n;
    sel = malloc(n);
    if (!sel)
        return dc_error_oom();
    err = select_pages(sel, n, j->o->pages);
    if (err >= 0)
        err = json_object_set_new(j->c->root, "page_count", json_integer((json_int_t)n))
                  ? dc_error_oom()
                  : config_notes(j);
    for (i = 0; i < n && err >= 0; i++) {
        if (sel[i])
            err = run_page(j, i, NULL, 0);
    }
    free(sel);
    return err;
}

static int finish(dc_classification **out, job *j, int err)
{
    dc_document_free(j->doc);
    if (err < 0) {
        dc_classification_free(j->c);
        return err;
    }
    if (json_object_set_new(j->c->root, "dry_run", json_boolean(j->o->dry_run || j->prepare)) !=
        0) {
        dc_classification_free(j->c);
        return dc_error_oom();
    }
    *out = j->c;
    return DC_OK;
}

/* Classify (or, with j->prepare, only build) the document data[0..len). */
static int classify_mem(dc_classification **out, job *j, const char *data, size_t len)
{
    dc_detection det;
    int err = dc_detect(&det, data, len);

    if (err >= 0 && det.format == DC_FORMAT_UNSUPPORTED)
        err = dc_error_set(DC_EUNSUPPORTED, "%s", det.reason ? det.reason : "unsupported format");
    if (err >= 0)
        err = new_classification(&j->c, j->path, j->s);
    if (err < 0)
        return err;
    j->data = data;
    j->len = len;
    j->format = det.format;
    err = json_object_set_new(j->c->root, "format", json_string(dc_format_name(det.format)))
              ? dc_error_oom()
              : run_pages(j);
    return finish(out, j, err);
}

/* A job for sender s (NULL: build only) with opts resolved into o. */
static int job_init(job *j, dc_classify_options *o, dc_sender *s, const dc_classify_options *opts)
{
    int err;

    memset(j, 0, sizeof(*j));
    err = dc_classify_options_resolve(o, opts);
    if (err < 0)
        return err;
    j->s = s;
    j->o = o;
    j->arn = s ? dc_send__arn(s) : NULL;
    return DC_OK;
}

int dc_classify_file(dc_classification **out,
                     dc_sender *s,
                     const char *path,
                     const dc_classify_options *opts)
{
    dc_classify_options o;
    char *data = NULL;
    size_t len = 0;
    job j;
    int err;

    *out = NULL;
    err = job_init(&j, &o, s, opts);
    if (err < 0)
        return err;
    j.path = path;
    err = dc_read_file(&data, &len, path, j.o->extract.max_input_bytes);
    if (err >= 0)
        err = classify_mem(out, &j, data, len);
    free(data);
    return err;
}

/* A document in memory, sent through s or, with prepare, only built. */
static int classify_data(dc_classification **out,
                         dc_sender *s,
                         int prepare,
                         const void *data,
                         size_t len,
                         const char *name,
                         const dc_classify_options *opts)
{
    dc_classify_options o;
    job j;
    int err;

    *out = NULL;
    if (!data && len)
        return dc_error_set(DC_EINVAL, "no document (NULL data)");
    err = job_init(&j, &o, s, opts);
    if (err < 0)
        return err;
    if (len > o.extract.max_input_bytes)
        return dc_error_set(DC_ELIMIT, "the document is %zu bytes, over the %zu-byte input cap",
                            len, o.extract.max_input_bytes);
    j.prepare = prepare;
    j.path = name ? name : "-";
    return classify_mem(out, &j, data ? data : "", len);
}

int dc_classify_mem(dc_classification **out,
                    dc_sender *s,
                    const void *data,
                    size_t len,
                    const char *name,
                    const dc_classify_options *opts)
{
    return classify_data(out, s, 0, data, len, name, opts);
}

int dc_classify_prepare_mem(dc_classification **out,
                            const void *data,
                            size_t len,
                            const char *name,
                            const dc_classify_options *opts)
{
    return classify_data(out, NULL, 1, data, len, name, opts);
}

size_t dc_classification_request_count(const dc_classification *c)
{
    return c ? c->nreqs : 0;
}

int dc_classification_request(
    const dc_classification *c, size_t i, int *page, const char **body, size_t *len)
{
    if (!c || i >= c->nreqs)
        return dc_error_set(DC_EINVAL, "no request %zu", i);
    if (page)
        *page = c->reqs[i].page;
    if (body)
        *body = dc_request_body(c->reqs[i].req, len);
    return DC_OK;
}

int dc_classify_record(dc_classification **out,
                       dc_sender *s,
                       const char *record,
                       size_t len,
                       const dc_classify_options *opts)
{
    dc_classify_options o;
    json_error_t jerr;
    json_t *rec = NULL, *pages;
    const char *path, *msg;
    unsigned char *sel = NULL;
    size_t n, i;
    job j;
    int err;

    *out = NULL;
    err = job_init(&j, &o, s, opts);
    if (err < 0)
        return err;
    rec = json_loadb(record, len, 0, &jerr);
    if (!rec)
        return dc_error_set(DC_EINVAL, "not a JSON record: %s", jerr.text);
    path = json_string_value(json_object_get(json_object_get(rec, "input"), "path"));
    pages = json_object_get(rec, "pages");
    msg = json_string_value(json_object_get(json_object_get(rec, "error"), "message"));
    if (!path)
        err = dc_error_set(DC_EINVAL, "not a record of docclass extract (no input.path)");
    else if (!json_is_array(pages) || json_array_size(pages) == 0)
        err = dc_error_set(DC_EINVAL, "%s: the record has no pages%s%s", path,
                           msg ? ": extract said: " : "", msg ? msg : "");
    if (err < 0)
        goto done;
    n = json_array_size(pages);
    j.format = DC_FORMAT_TEXT;
    j.path = path;
    sel = malloc(n);
    err = sel ? select_pages(sel, n, o.pages) : dc_error_oom();
    if (err >= 0)
        err = new_classification(&j.c, path, s);
    if (err < 0)
        goto done;
    err = json_object_set_new(j.c->root, "page_count", json_integer((json_int_t)n)) != 0 ||
                  json_object_set_new(j.c->root, "format", json_string("extract-record")) != 0
              ? dc_error_oom()
              : DC_OK;
    for (i = 0; i < n && err >= 0; i++) {
        json_t *t = json_object_get(json_array_get(pages, i), "text");
        if (sel[i])
            err = run_page(&j, i, json_is_string(t) ? json_string_value(t) : "",
                           json_is_string(t) ? json_string_length(t) : 0);
    }
    err = finish(out, &j, err);
    j.c = NULL;
done:
    if (err < 0 && j.c)
        dc_classification_free(j.c);
    free(sel);
    json_decref(rec);
    return err;
}

int dc_classify_text(dc_classification **out,
                     dc_sender *s,
                     const char *text,
                     size_t len,
                     const dc_classify_options *opts)
{
    dc_classify_options o;
    job j;
    int err;

    *out = NULL;
    err = job_init(&j, &o, s, opts);
    if (err < 0)
        return err;
    j.format = DC_FORMAT_TEXT;
    if (!dc_utf8_valid(text, len, NULL))
        return dc_error_set(DC_EINVAL, "--text is not valid UTF-8");
    err = new_classification(&j.c, "-", s);
    if (err < 0)
        return err;
    err = json_object_set_new(j.c->root, "page_count", json_integer(1)) != 0
              ? dc_error_oom()
              : run_page(&j, 0, text, len);
    return finish(out, &j, err);
}

/* ---------------------------------------------------------------- access */

int dc_classification_status(const dc_classification *c)
{
    return c ? c->status : DC_OK;
}

size_t dc_classification_error_count(const dc_classification *c)
{
    return c ? c->nerrors : 0;
}

const char *dc_classification_error(const dc_classification *c, size_t i)
{
    return c && i < c->nerrors ? c->errors[i] : NULL;
}

/* The best-scored entry of Classes (or Labels). */
static json_t *top_class(json_t *resp)
{
    json_t *list = json_object_get(resp, "Classes");
    json_t *best = NULL, *v;
    size_t i;

    if (!json_array_size(list))
        list = json_object_get(resp, "Labels");
    json_array_foreach(list, i, v)
    {
        if (!best || json_number_value(json_object_get(v, "Score")) >
                         json_number_value(json_object_get(best, "Score")))
            best = v;
    }
    return best;
}

static int table_row(dc_buf *b, const char *path, json_t *page)
{
    json_t *resp = json_object_get(page, "response");
    json_t *err = json_object_get(page, "error");
    json_t *best = top_class(resp);
    long long n = (long long)json_integer_value(json_object_get(page, "page"));

    if (best)
        return dc_buf_printf(b, "%s\t%lld\t%s\t%.4f\n", path, n,
                             json_string_value(json_object_get(best, "Name")),
                             json_number_value(json_object_get(best, "Score")));
    if (json_is_object(json_object_get(resp, "error")))
        err = json_object_get(resp, "error");
    if (err) {
        const char *code = json_string_value(json_object_get(err, "ErrorCode"));
        if (!code)
            code = json_string_value(json_object_get(err, "type"));
        return dc_buf_printf(b, "%s\t%lld\t-\t%s\n", path, n, code ? code : "error");
    }
    return dc_buf_printf(b, "%s\t%lld\t-\t%s\n", path, n, resp ? "no class" : "not sent");
}

int dc_classification_render(char **out, const dc_classification *c, unsigned flags)
{
    dc_buf b = DC_BUF_INIT;
    json_t *page;
    size_t i;
    int err = DC_OK;

    *out = NULL;
    if (flags & DC_RENDER_DRY) {
        *out = dc_strdup(c->dry.ptr ? c->dry.ptr : "");
        return *out ? DC_OK : dc_error_oom();
    }
    if (!(flags & DC_RENDER_TABLE)) {
        *out =
            dc_json_dumps(c->root, JSON_PRESERVE_ORDER |
                                       ((flags & DC_JSON_COMPACT) ? JSON_COMPACT : JSON_INDENT(2)));
        return *out ? DC_OK : dc_error_oom();
    }
    dc_buf_init(&b, (size_t)64 << 20);
    json_array_foreach(c->pages, i, page)
    {
        if (err >= 0)
            err = table_row(&b, json_string_value(json_object_get(c->root, "path")), page);
    }
    if (err >= 0)
        *out = dc_buf_detach(&b, NULL);
    dc_buf_dispose(&b);
    return err < 0 ? err : (*out ? DC_OK : dc_error_oom());
}

void dc_classification_free(dc_classification *c)
{
    size_t i;

    if (!c)
        return;
    json_decref(c->root);
    for (i = 0; i < c->nerrors; i++)
        free(c->errors[i]);
    free(c->errors);
    for (i = 0; i < c->nreqs; i++)
        dc_request_free(c->reqs[i].req);
    free(c->reqs);
    dc_buf_dispose(&c->dry);
    free(c);
}
