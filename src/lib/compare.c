/*
 * docclass diff (docs/diff.md): the two sides of a comparison (an extracted
 * document, or a saved result: extract JSON, Textract JSON, ClassifyDocument
 * response, plain text), the page by page comparison with its ranking, and
 * its JSON and table renderings.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json_out.h"
#include "diff_int.h"
#include "doc.h"

#define SIDE_FILE_MAX  ((size_t)256 << 20)
#define SIDE_MAX_PAGES 10000

/* ---------------------------------------------------------------- sides */

static void page_dispose(dc_side_page *p)
{
    free(p->text);
    free(p->type);
    free(p->extractor);
    dc_words_dispose(&p->words);
}

void dc_side_free(dc_side *s)
{
    size_t i;

    if (!s)
        return;
    for (i = 0; i < s->npages; i++)
        page_dispose(&s->pages[i]);
    free(s->pages);
    free(s->label);
    free(s->source);
    free(s);
}

size_t dc_side_page_count(const dc_side *s)
{
    return s->npages;
}

int dc_side_has_text(const dc_side *s)
{
    return s->has_text;
}

const char *dc_side_source(const dc_side *s)
{
    return s->source;
}

static int side_new(dc_side **out, size_t npages, const char *label, const char *source)
{
    dc_side *s = calloc(1, sizeof(*s));

    *out = NULL;
    if (!s)
        return dc_error_oom();
    s->pages = calloc(npages ? npages : 1, sizeof(*s->pages));
    s->npages = npages;
    s->label = dc_strdup(label ? label : "");
    s->source = dc_strdup(source);
    if (!s->pages || !s->label || !s->source) {
        dc_side_free(s);
        return dc_error_oom();
    }
    *out = s;
    return DC_OK;
}

/* Set a page's text (copied), type and extractor (copied, may be NULL). */
static int
page_set(dc_side_page *p, const char *text, size_t len, const char *type, const char *extractor)
{
    if (text) {
        p->text = dc_strndup(text, len);
        p->len = len;
        p->chars = (long)dc_utf8_count(text, len);
    } else {
        p->chars = -1;
    }
    p->type = type ? dc_strdup(type) : NULL;
    p->extractor = extractor ? dc_strdup(extractor) : NULL;
    if ((text && !p->text) || (type && !p->type) || (extractor && !p->extractor))
        return dc_error_oom();
    return DC_OK;
}

/* A copy of a page's words. */
static int words_copy(dc_words *out, const dc_words *in)
{
    size_t i;
    int err = DC_OK;

    for (i = 0; i < in->n && err >= 0; i++) {
        const dc_word *w = &in->w[i];
        const char *t = dc_word_text(in, i);
        double box[4] = {w->x0, w->y0, w->x1, w->y1};
        err = dc_words_add(out, t, strlen(t), w->boxed ? box : NULL, w->conf);
    }
    return err;
}

int dc_side_from_document(dc_side **out, const dc_document *doc, const char *label)
{
    dc_side *s = NULL;
    size_t i;
    int err;

    *out = NULL;
    err = side_new(&s, doc->npages, label, "extract");
    for (i = 0; i < doc->npages && err >= 0; i++) {
        const dc_page *p = &doc->pages[i];
        err = page_set(&s->pages[i], p->text, p->len, dc_doctype_name(p->type),
                       dc_extractor_name(p->extractor));
        if (err >= 0)
            err = words_copy(&s->pages[i].words, &p->words);
    }
    if (err < 0) {
        dc_side_free(s);
        return err;
    }
    s->has_text = 1;
    *out = s;
    return DC_OK;
}

/* Plain text: pages split at form feeds. */
static int side_text(dc_side **out, const char *label, const char *t, size_t len)
{
    size_t n = 1, i, start = 0, k = 0;
    int err;

    if (len >= 3 && memcmp(t, "\xEF\xBB\xBF", 3) == 0) {
        t += 3;
        len -= 3;
    }
    if (!dc_utf8_valid(t, len, &i))
        return dc_error_set(DC_ECORRUPT, "not JSON and not UTF-8 text (invalid byte at offset %zu)",
                            i);
    for (i = 0; i < len; i++)
        n += t[i] == '\f';
    if (n > SIDE_MAX_PAGES)
        return dc_error_set(DC_ELIMIT, "%zu pages is over the %d-page limit", n, SIDE_MAX_PAGES);
    err = side_new(out, n, label, "text");
    for (i = 0; i <= len && err >= 0; i++) {
        if (i == len || t[i] == '\f') {
            err = page_set(&(*out)->pages[k++], t + start, i - start, NULL, "text");
            start = i + 1;
        }
    }
    if (err < 0) {
        dc_side_free(*out);
        *out = NULL;
        return err;
    }
    (*out)->has_text = 1;
    return DC_OK;
}

static const char *jstr(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static double num(const json_t *a, size_t i)
{
    return json_number_value(json_array_get(a, i));
}

/* OCR words of a saved extract JSON's page record ({"words": {"width",
 * "height", "lines"}}), as boxes on the page as rendered (rotation and
 * skew undone). */
int dc_page_info_words(dc_words *ws, const json_t *info)
{
    /* "words" in the page record (ocr.c); older records nest them in "ocr" */
    const json_t *ocr = json_object_get(info, "words") ? json_object_get(info, "words")
                                                       : json_object_get(info, "ocr");
    const json_t *turn = json_object_get(info, "ocr");
    double w = json_number_value(json_object_get(ocr, "width"));
    double h = json_number_value(json_object_get(ocr, "height"));
    int rotation = (int)json_integer_value(json_object_get(turn, "rotation"));
    double skew = json_number_value(json_object_get(turn, "skew"));
    const json_t *line, *word;
    size_t i, j;
    int err = DC_OK;

    if (w <= 0 || h <= 0)
        return DC_OK;
    json_array_foreach(json_object_get(ocr, "lines"), i, line)
    {
        json_array_foreach(json_object_get(line, "words"), j, word)
        {
            const char *t = json_string_value(json_object_get(word, "text"));
            const json_t *bb = json_object_get(word, "bbox");
            double box[4] = {num(bb, 0) / w, num(bb, 1) / h, num(bb, 2) / w, num(bb, 3) / h};
            if (!t || json_array_size(bb) != 4)
                continue;
            if (rotation || skew != 0)
                dc_word_box_unrotate(box, w, h, rotation, skew);
            err = dc_words_add(ws, t, strlen(t), box,
                               json_number_value(json_object_get(word, "conf")));
            if (err < 0)
                return err;
        }
    }
    return err;
}

/* An extract JSON: pages[] with text, Type, extractor and OCR words. */
static int side_extract(dc_side **out, const char *label, const json_t *root)
{
    const json_t *pages = json_object_get(root, "pages"), *p;
    size_t i;
    int err;

    if (json_array_size(pages) > SIDE_MAX_PAGES)
        return dc_error_set(DC_ELIMIT, "over %d pages", SIDE_MAX_PAGES);
    err = side_new(out, json_array_size(pages), label, "extract-json");
    json_array_foreach(pages, i, p)
    {
        const json_t *t = json_object_get(p, "text");
        if (err < 0)
            break;
        err = page_set(&(*out)->pages[i], json_is_string(t) ? json_string_value(t) : "",
                       json_string_length(t), jstr(p, "Type"), jstr(p, "extractor"));
        if (err >= 0)
            err = dc_page_info_words(&(*out)->pages[i].words, p);
    }
    if (err < 0) {
        dc_side_free(*out);
        *out = NULL;
        return err;
    }
    (*out)->has_text = 1;
    return DC_OK;
}

static size_t block_page(const json_t *b)
{
    json_int_t v = json_integer_value(json_object_get(b, "Page"));
    return v < 1 ? 1 : (size_t)v;
}

/* One Textract block into its page: LINE text, WORD box. */
static int textract_block(dc_side *s, dc_buf *texts, const json_t *b)
{
    const char *type = jstr(b, "BlockType"), *text = jstr(b, "Text");
    const json_t *bb = json_object_get(json_object_get(b, "Geometry"), "BoundingBox");
    size_t pg = block_page(b);
    double l, t;
    int err = DC_OK;

    if (!type || !text || pg > s->npages)
        return DC_OK;
    if (strcmp(type, "LINE") == 0) {
        if (texts[pg - 1].len)
            err = dc_buf_putc(&texts[pg - 1], '\n');
        return err < 0 ? err : dc_buf_puts(&texts[pg - 1], text);
    }
    if (strcmp(type, "WORD") != 0)
        return DC_OK;
    l = json_number_value(json_object_get(bb, "Left"));
    t = json_number_value(json_object_get(bb, "Top"));
    {
        double box[4] = {l, t, l + json_number_value(json_object_get(bb, "Width")),
                         t + json_number_value(json_object_get(bb, "Height"))};
        return dc_words_add(&s->pages[pg - 1].words, text, strlen(text), bb ? box : NULL,
                            json_number_value(json_object_get(b, "Confidence")));
    }
}

static size_t textract_pages(const json_t *blocks)
{
    const json_t *b;
    size_t i, n = 0, maxp = 1;

    json_array_foreach(blocks, i, b)
    {
        const char *type = jstr(b, "BlockType");
        n += type && strcmp(type, "PAGE") == 0;
        if (block_page(b) > maxp && block_page(b) <= SIDE_MAX_PAGES)
            maxp = block_page(b);
    }
    return n > maxp ? n : maxp;
}

static int side_textract(dc_side **out, const char *label, const json_t *root)
{
    const json_t *blocks = json_object_get(root, "Blocks"), *b;
    size_t n = textract_pages(blocks), i;
    int analyze = json_object_get(root, "AnalyzeDocumentModelVersion") != NULL;
    dc_buf *texts = calloc(n, sizeof(*texts));
    int err = texts ? side_new(out, n, label, "textract-json") : dc_error_oom();

    for (i = 0; texts && i < n; i++)
        dc_buf_init(&texts[i], (size_t)64 << 20);
    json_array_foreach(blocks, i, b)
    {
        if (err < 0)
            break;
        err = textract_block(*out, texts, b);
    }
    for (i = 0; i < n && err >= 0; i++)
        err = page_set(&(*out)->pages[i], texts[i].ptr ? texts[i].ptr : "", texts[i].len,
                       analyze ? "TEXTRACT_ANALYZE_DOCUMENT_JSON"
                               : "TEXTRACT_DETECT_DOCUMENT_TEXT_JSON",
                       "textract");
    for (i = 0; texts && i < n; i++)
        dc_buf_dispose(&texts[i]);
    free(texts);
    if (err < 0) {
        dc_side_free(*out);
        *out = NULL;
        return err;
    }
    (*out)->has_text = 1;
    return DC_OK;
}

/* A ClassifyDocument response: page count, ExtractedCharacters and
 * DocumentType only. */
static int side_classify(dc_side **out, const char *label, const json_t *root)
{
    const json_t *md = json_object_get(root, "DocumentMetadata"), *e;
    json_int_t np = json_integer_value(json_object_get(md, "Pages"));
    size_t i, n = np > 0 && np <= SIDE_MAX_PAGES ? (size_t)np : 0;
    int err;

    json_array_foreach(json_object_get(root, "DocumentType"), i, e)
    {
        if (block_page(e) > n && block_page(e) <= SIDE_MAX_PAGES)
            n = block_page(e);
    }
    err = side_new(out, n, label, "classify-response");
    for (i = 0; i < n && err >= 0; i++)
        err = page_set(&(*out)->pages[i], NULL, 0, NULL, NULL);
    json_array_foreach(json_object_get(md, "ExtractedCharacters"), i, e)
    {
        size_t pg = block_page(e);
        if (err >= 0 && pg <= n)
            (*out)->pages[pg - 1].chars = (long)json_integer_value(json_object_get(e, "Count"));
    }
    json_array_foreach(json_object_get(root, "DocumentType"), i, e)
    {
        size_t pg = block_page(e);
        if (err >= 0 && pg <= n && jstr(e, "Type") && !(*out)->pages[pg - 1].type) {
            (*out)->pages[pg - 1].type = dc_strdup(jstr(e, "Type"));
            if (!(*out)->pages[pg - 1].type)
                err = dc_error_oom();
        }
    }
    if (err < 0) {
        dc_side_free(*out);
        *out = NULL;
    }
    return err;
}

static int side_json(dc_side **out, const char *label, const json_t *root)
{
    if (json_is_array(json_object_get(root, "Blocks")))
        return side_textract(out, label, root);
    if (json_object_get(root, "error") && json_object_get(root, "docclass_version"))
        return dc_error_set(DC_ECORRUPT, "an extract error record: %s",
                            jstr(json_object_get(root, "error"), "message")
                                ? jstr(json_object_get(root, "error"), "message")
                                : "no message");
    if (json_is_array(json_object_get(root, "pages")))
        return side_extract(out, label, root);
    if (json_object_get(root, "DocumentMetadata") || json_object_get(root, "DocumentType"))
        return side_classify(out, label, root);
    return dc_error_set(DC_ECORRUPT,
                        "JSON that is neither an extract result, a Textract result nor a "
                        "ClassifyDocument response");
}

int dc_side_load_file(dc_side **out, const char *path)
{
    char *data = NULL;
    size_t len = 0;
    json_error_t jerr;
    json_t *root = NULL;
    const char *label = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    int err;

    *out = NULL;
    err = dc_read_file(&data, &len, path, SIDE_FILE_MAX);
    if (err < 0)
        return err;
    root = json_loadb(data, len, 0, &jerr);
    if (json_is_array(root))
        err = dc_error_set(DC_ECORRUPT, "a JSON array of %zu results: give one result",
                           json_array_size(root));
    else if (json_is_object(root))
        err = side_json(out, label, root);
    else
        err = side_text(out, label, data, len);
    json_decref(root);
    free(data);
    return err;
}

/* ---------------------------------------------------------------- comparison */

void dc_diff_free(dc_diff *d)
{
    if (!d)
        return;
    free(d->pages);
    free(d->order);
    free(d);
}

static int same_str(const char *a, const char *b)
{
    return !a || !b || strcmp(a, b) == 0;
}

static int compare_page(dc_diff_page *dp, const dc_side *a, const dc_side *b, size_t i)
{
    const dc_side_page *pa = i < a->npages ? &a->pages[i] : NULL;
    const dc_side_page *pb = i < b->npages ? &b->pages[i] : NULL;
    int err = DC_OK;

    dp->page = i + 1;
    dp->in_a = pa != NULL;
    dp->in_b = pb != NULL;
    dp->a_chars = pa ? pa->chars : -1;
    dp->b_chars = pb ? pb->chars : -1;
    dp->limit_crossing = dp->a_chars >= 0 && dp->b_chars >= 0 &&
                         (dp->a_chars > DC_PAGE_CHAR_LIMIT) != (dp->b_chars > DC_PAGE_CHAR_LIMIT);
    if (!pa || !pb) {
        dp->score = INFINITY;
        return DC_OK;
    }
    dp->meta_differs = (dp->a_chars >= 0 && dp->b_chars >= 0 && dp->a_chars != dp->b_chars) ||
                       !same_str(pa->type, pb->type);
    if (pa->text && pb->text) {
        dp->text = 1;
        err = dc_text_metrics_compute(&dp->m, pa->text, pa->len, pb->text, pb->len);
        dp->score = dp->m.capped ? INFINITY : dp->m.cer + dp->m.wer / 1000.0;
    } else {
        dp->score = dp->meta_differs;
    }
    dp->score += dp->limit_crossing;
    return err;
}

/* 1 when page x ranks before page y: higher score, then lower number. */
static int before(const dc_diff *d, size_t x, size_t y)
{
    const dc_diff_page *a = &d->pages[x], *b = &d->pages[y];

    if (a->score != b->score)
        return a->score > b->score;
    return a->page < b->page;
}

/* Insertion sort, worst first (stable; pages are few). */
static void rank(dc_diff *d)
{
    size_t i, j;

    for (i = 0; i < d->n; i++)
        d->order[i] = i;
    for (i = 1; i < d->n; i++) {
        size_t v = d->order[i];
        for (j = i; j > 0 && before(d, v, d->order[j - 1]); j--)
            d->order[j] = d->order[j - 1];
        d->order[j] = v;
    }
}

int dc_diff_new(dc_diff **out, const dc_side *a, const dc_side *b)
{
    dc_diff *d = calloc(1, sizeof(*d));
    size_t i;
    int err = DC_OK;

    *out = NULL;
    if (!d)
        return dc_error_oom();
    d->a = a;
    d->b = b;
    d->n = a->npages > b->npages ? a->npages : b->npages;
    d->pages = calloc(d->n ? d->n : 1, sizeof(*d->pages));
    d->order = calloc(d->n ? d->n : 1, sizeof(*d->order));
    if (!d->pages || !d->order)
        err = dc_error_oom();
    for (i = 0; i < d->n && err >= 0; i++)
        err = compare_page(&d->pages[i], a, b, i);
    if (err < 0) {
        dc_diff_free(d);
        return err;
    }
    rank(d);
    *out = d;
    return DC_OK;
}

int dc_diff_page_agrees(const dc_diff_page *p, double max_cer)
{
    if (!p->in_a || !p->in_b || p->limit_crossing)
        return 0;
    if (p->text)
        return !p->m.capped && p->m.cer <= max_cer;
    return !p->meta_differs;
}

int dc_diff_agrees(const dc_diff *d, double max_cer)
{
    size_t i;

    for (i = 0; i < d->n; i++) {
        if (!dc_diff_page_agrees(&d->pages[i], max_cer))
            return 0;
    }
    return 1;
}

/* ---------------------------------------------------------------- JSON */

static json_t *side_page_json(const dc_side *s, size_t i)
{
    const dc_side_page *p = i < s->npages ? &s->pages[i] : NULL;

    if (!p)
        return json_null();
    return json_pack("{s:s?,s:s?,s:o}", "Type", p->type, "extractor", p->extractor, "characters",
                     p->chars >= 0 ? json_integer(p->chars) : json_null());
}

static json_t *num_or_null(double v)
{
    return v >= 0 && isfinite(v) ? json_real(v) : json_null();
}

static json_t *page_json(const dc_diff *d, const dc_diff_page *p, double max_cer)
{
    json_t *o =
        json_pack("{s:I,s:o,s:o,s:b,s:b}", "Page", (json_int_t)p->page, "a",
                  side_page_json(d->a, p->page - 1), "b", side_page_json(d->b, p->page - 1),
                  "agrees", dc_diff_page_agrees(p, max_cer), "limit_crossing", p->limit_crossing);
    json_t *m;

    if (!o || !p->text)
        return o;
    m = json_pack("{s:o,s:o,s:I,s:I,s:o,s:o,s:o,s:I,s:I,s:I,s:I,s:b}", "cer", num_or_null(p->m.cer),
                  "wer", num_or_null(p->m.wer), "char_edits", (json_int_t)p->m.char_edits,
                  "word_edits", (json_int_t)p->m.word_edits, "precision",
                  num_or_null(p->m.precision), "recall", num_or_null(p->m.recall), "length_ratio",
                  num_or_null(p->m.length_ratio), "a_words", (json_int_t)p->m.a_words, "b_words",
                  (json_int_t)p->m.b_words, "a_chars_normalised", (json_int_t)p->m.a_chars,
                  "b_chars_normalised", (json_int_t)p->m.b_chars, "capped", p->m.capped);
    if (!m || json_object_update(o, m) < 0) {
        json_decref(m);
        json_decref(o);
        return NULL;
    }
    json_decref(m);
    return o;
}

static json_t *side_json_summary(const dc_side *s)
{
    return json_pack("{s:s,s:s,s:I,s:b}", "label", s->label, "source", s->source, "pages",
                     (json_int_t)s->npages, "has_text", s->has_text);
}

/* Overall CER and WER: total edits over total reference characters/words. */
static void totals(const dc_diff *d, double *cer, double *wer, size_t *bad, double max_cer)
{
    size_t ce = 0, cn = 0, we = 0, wn = 0, i;
    int any = 0, capped = 0;

    *bad = 0;
    for (i = 0; i < d->n; i++) {
        const dc_diff_page *p = &d->pages[i];
        *bad += !dc_diff_page_agrees(p, max_cer);
        if (!p->text)
            continue;
        any = 1;
        capped |= p->m.capped;
        ce += p->m.char_edits;
        cn += p->m.b_chars;
        we += p->m.word_edits;
        wn += p->m.b_words;
    }
    *cer = any && !capped ? (cn ? (double)ce / (double)cn : (double)ce) : -1;
    *wer = any && !capped ? (wn ? (double)we / (double)wn : (double)we) : -1;
}

int dc_diff_to_json(char **out, const dc_diff *d, double max_cer, unsigned flags)
{
    json_t *root, *pages = json_array(), *worst = json_array();
    double cer, wer;
    size_t bad, i;
    int ok = pages && worst;

    *out = NULL;
    totals(d, &cer, &wer, &bad, max_cer);
    for (i = 0; ok && i < d->n; i++) {
        ok = json_array_append_new(pages, page_json(d, &d->pages[i], max_cer)) == 0 &&
             json_array_append_new(worst, json_integer((json_int_t)d->order[i] + 1)) == 0;
    }
    root = ok ? json_pack("{s:o,s:o,s:f,s:b,s:b,s:{s:I,s:I,s:o,s:o},s:O,s:O}", "a",
                          side_json_summary(d->a), "b", side_json_summary(d->b), "max_cer", max_cer,
                          "agrees", dc_diff_agrees(d, max_cer), "text_compared",
                          d->a->has_text && d->b->has_text, "summary", "pages", (json_int_t)d->n,
                          "pages_disagreeing", (json_int_t)bad, "cer", num_or_null(cer), "wer",
                          num_or_null(wer), "worst_first", worst, "pages", pages)
              : NULL;
    json_decref(pages);
    json_decref(worst);
    if (!root)
        return dc_error_oom();
    *out = dc_json_dumps(root, JSON_PRESERVE_ORDER |
                                   ((flags & DC_JSON_COMPACT) ? JSON_COMPACT : JSON_INDENT(2)));
    json_decref(root);
    return *out ? DC_OK : dc_error_oom();
}

/* ---------------------------------------------------------------- table */

static void fmt_num(char *buf, size_t n, double v, int have)
{
    if (have && v >= 0 && isfinite(v))
        (void)snprintf(buf, n, "%.4f", v);
    else
        (void)snprintf(buf, n, "-");
}

static void fmt_side(char *buf, size_t n, const dc_side *s, size_t i)
{
    const dc_side_page *p = i < s->npages ? &s->pages[i] : NULL;

    if (!p)
        (void)snprintf(buf, n, "(no page)");
    else if (p->chars >= 0)
        (void)snprintf(buf, n, "%s/%s %ld", p->type ? p->type : "-",
                       p->extractor ? p->extractor : "-", p->chars);
    else
        (void)snprintf(buf, n, "%s/%s", p->type ? p->type : "-", p->extractor ? p->extractor : "-");
}

static int table_row(dc_buf *o, const dc_diff *d, const dc_diff_page *p, double max_cer)
{
    char cer[16], wer[16], pr[16], rc[16], lr[16], sa[96], sb[96];
    int t = p->text;

    fmt_num(cer, sizeof(cer), p->m.cer, t);
    fmt_num(wer, sizeof(wer), p->m.wer, t);
    fmt_num(pr, sizeof(pr), p->m.precision, t);
    fmt_num(rc, sizeof(rc), p->m.recall, t);
    fmt_num(lr, sizeof(lr), p->m.length_ratio, t);
    fmt_side(sa, sizeof(sa), d->a, p->page - 1);
    fmt_side(sb, sizeof(sb), d->b, p->page - 1);
    return dc_buf_printf(o, "%4zu  %-7s %-7s %-7s %-7s %-7s %-34s %-34s %s%s\n", p->page, cer, wer,
                         pr, rc, lr, sa, sb, dc_diff_page_agrees(p, max_cer) ? "ok" : "DIFFERS",
                         p->limit_crossing ? " LIMIT" : "");
}

static int words_section(dc_buf *o, const dc_diff *d)
{
    size_t k;
    int err = DC_OK;

    for (k = 0; k < d->n && err >= 0; k++) {
        const dc_diff_page *p = &d->pages[d->order[k]];
        const dc_side_page *pa, *pb;
        char *wd = NULL, la[300], lb[300];
        if (!p->text || p->m.word_edits == 0)
            continue;
        pa = &d->a->pages[p->page - 1];
        pb = &d->b->pages[p->page - 1];
        (void)snprintf(la, sizeof(la), "A %s page %zu", d->a->label, p->page);
        (void)snprintf(lb, sizeof(lb), "B %s page %zu", d->b->label, p->page);
        err = dc_word_diff(&wd, pa->text, pa->len, pb->text, pb->len, la, lb, 3);
        if (err >= 0)
            err = dc_buf_printf(o, "\n%s", wd);
        free(wd);
    }
    return err;
}

int dc_diff_to_table(char **out, const dc_diff *d, double max_cer, int words)
{
    dc_buf o = DC_BUF_INIT;
    double cer, wer;
    size_t bad, k;
    char c[16], w[16];
    int err;

    *out = NULL;
    dc_buf_init(&o, (size_t)512 << 20);
    totals(d, &cer, &wer, &bad, max_cer);
    err = dc_buf_printf(&o, "A: %s (%s, %zu pages)\nB: %s (%s, %zu pages)\n", d->a->label,
                        d->a->source, d->a->npages, d->b->label, d->b->source, d->b->npages);
    if (err >= 0 && !(d->a->has_text && d->b->has_text))
        err = dc_buf_printf(&o,
                            "text unavailable on %s: comparing page counts, characters and "
                            "DocumentType only\n",
                            d->a->has_text ? "B" : "A");
    if (err >= 0)
        err = dc_buf_printf(&o, "\n%4s  %-7s %-7s %-7s %-7s %-7s %-34s %-34s %s\n", "page", "CER",
                            "WER", "prec", "recall", "len", "A type/extractor chars",
                            "B type/extractor chars", "verdict");
    for (k = 0; k < d->n && err >= 0; k++)
        err = table_row(&o, d, &d->pages[d->order[k]], max_cer);
    fmt_num(c, sizeof(c), cer, 1);
    fmt_num(w, sizeof(w), wer, 1);
    if (err >= 0)
        err = dc_buf_printf(&o, "\noverall: CER %s, WER %s; %zu of %zu pages over --max-cer %g\n",
                            c, w, bad, d->n, max_cer);
    if (err >= 0 && words)
        err = words_section(&o, d);
    if (err >= 0) {
        *out = dc_buf_detach(&o, NULL);
        if (!*out)
            err = dc_error_oom();
    }
    dc_buf_dispose(&o);
    return err;
}
