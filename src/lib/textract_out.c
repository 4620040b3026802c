/*
 * Textract-shaped output (docs/textract-output.md): an extracted document
 * as DetectDocumentText would return it, and the word boxes of extracted
 * pages that docclass diff draws.
 *
 * The text is authoritative: LINE blocks are the lines of the page text
 * (blank lines dropped), WORD blocks its whitespace-separated words, so
 * reading the output back gives the page text up to whitespace. Boxes come
 * from the extractor's words (Tesseract's for OCR pages, poppler's text
 * layout for parser pages), matched to the text's words in order; a word
 * with no match gets an estimated box after its neighbour. The words are
 * the pages' own (dc_page.words), kept by the first pass: nothing is read
 * or parsed again.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json_out.h"
#include "diff_int.h"
#include "doc.h"

/* How far ahead of the cursor a word of the text looks for its box. */
#define ALIGN_WINDOW 40
/* Estimated size of a word with no box: width per character, line height. */
#define EST_CHAR_W 0.008
#define EST_LINE_H 0.015

/* ---------------------------------------------------------------- alignment */

static void set_box(dc_word *dst, const dc_word *src)
{
    dst->x0 = src->x0;
    dst->y0 = src->y0;
    dst->x1 = src->x1;
    dst->y1 = src->y1;
    dst->conf = src->conf;
    dst->boxed = src->boxed;
}

static void union_box(dc_word *dst, const dc_word *src)
{
    dst->x0 = fmin(dst->x0, src->x0);
    dst->y0 = fmin(dst->y0, src->y0);
    dst->x1 = fmax(dst->x1, src->x1);
    dst->y1 = fmax(dst->y1, src->y1);
    dst->conf = fmin(dst->conf, src->conf);
}

/* Length of w's text without a trailing hyphen (dehyphenated words). */
static size_t stem_len(const char *w)
{
    size_t n = strlen(w);
    return n > 1 && w[n - 1] == '-' ? n - 1 : n;
}

/* The token (t, n) glued from words[c..]: "taki-" + "mata". Returns the
 * number of words used, 0 when they do not spell the token. */
static size_t glued(dc_word *box, const char *t, size_t n, const dc_words *ws, size_t c)
{
    size_t used = 0, off = 0;

    while (c + used < ws->n && off < n) {
        const char *w = dc_word_text(ws, c + used);
        size_t m = off + strlen(w) == n ? strlen(w) : stem_len(w);
        if (m == 0 || off + m > n || memcmp(t + off, w, m) != 0)
            return 0;
        if (used == 0)
            set_box(box, &ws->w[c]);
        else
            union_box(box, &ws->w[c + used]);
        off += m;
        used++;
    }
    return off == n ? used : 0;
}

int dc_align_boxes(
    dc_word *boxes, const char *text, const dc_span *tok, size_t ntok, const dc_words *ws)
{
    size_t c = 0, i;

    for (i = 0; i < ntok; i++) {
        const char *t = text + tok[i].off;
        size_t n = tok[i].len, j, used;
        memset(&boxes[i], 0, sizeof(boxes[i]));
        for (j = c; j < ws->n && j < c + ALIGN_WINDOW; j++) {
            if (strlen(dc_word_text(ws, j)) == n && memcmp(dc_word_text(ws, j), t, n) == 0)
                break;
        }
        if (j < ws->n && j < c + ALIGN_WINDOW) {
            set_box(&boxes[i], &ws->w[j]);
            c = j + 1;
            continue;
        }
        used = glued(&boxes[i], t, n, ws, c);
        if (used) {
            c += used;
            continue;
        }
        if (c < ws->n && strncmp(dc_word_text(ws, c), t, n) == 0)
            set_box(&boxes[i], &ws->w[c]); /* part of a word the text split */
        else
            boxes[i].boxed = 0;
    }
    return DC_OK;
}

/* ---------------------------------------------------------------- Textract JSON */

/* A UUID-shaped id from the SHA-256 of what the block is and where. */
static json_t *
block_id(const char *what, size_t page, size_t line, size_t word, const char *text, size_t tlen)
{
    dc_buf b = DC_BUF_INIT;
    char h[65], id[37];
    int err;

    dc_buf_init(&b, tlen + 128);
    err = dc_buf_printf(&b, "%s/%zu/%zu/%zu/", what, page, line, word);
    if (err >= 0)
        err = dc_buf_put(&b, text, tlen);
    if (err >= 0)
        err = dc_sha256_hex(h, b.ptr, b.len);
    dc_buf_dispose(&b);
    if (err < 0)
        return NULL;
    h[12] = '5';                       /* version nibble */
    h[16] = "89ab"[(h[16] - '0') & 3]; /* variant */
    (void)snprintf(id, sizeof(id), "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
    return json_string(id);
}

static double clip(double v)
{
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

static json_t *geometry(const dc_word *w)
{
    double l = clip(fmin(w->x0, w->x1)), t = clip(fmin(w->y0, w->y1));
    double r = clip(fmax(w->x0, w->x1)), b = clip(fmax(w->y0, w->y1));

    return json_pack("{s:{s:f,s:f,s:f,s:f},s:[{s:f,s:f},{s:f,s:f},{s:f,s:f},{s:f,s:f}]}",
                     "BoundingBox", "Width", r - l, "Height", b - t, "Left", l, "Top", t, "Polygon",
                     "X", l, "Y", t, "X", r, "Y", t, "X", r, "Y", b, "X", l, "Y", b);
}

/* Where estimated boxes go: after the last box on the line. */
typedef struct {
    double x, y0, y1;
    int have;
} pen;

static void estimate(dc_word *w, pen *p, size_t chars)
{
    double x0 = p->have ? p->x + 0.004 : 0.05;

    w->x0 = clip(x0);
    w->x1 = clip(x0 + EST_CHAR_W * (double)(chars ? chars : 1));
    w->y0 = clip(p->y0);
    w->y1 = clip(p->y1);
    w->boxed = 1;
}

static int add_block(json_t *blocks, json_t *b)
{
    if (!b || json_array_append_new(blocks, b) < 0)
        return dc_error_oom();
    return DC_OK;
}

/* A WORD block for token k; appends its id to ids. */
static int word_block(json_t *blocks,
                      json_t *ids,
                      const char *text,
                      const dc_span *s,
                      const dc_word *box,
                      size_t page,
                      size_t line,
                      size_t k)
{
    json_t *id = block_id("WORD", page, line, k, text + s->off, s->len);
    json_t *b =
        id ? json_pack("{s:s,s:f,s:s%,s:s,s:o,s:O,s:I}", "BlockType", "WORD", "Confidence",
                       fmin(100, fmax(0, box->conf)), "Text", text + s->off, s->len, "TextType",
                       "PRINTED", "Geometry", geometry(box), "Id", id, "Page", (json_int_t)page)
           : NULL;

    if (!b || json_array_append(ids, id) < 0) {
        json_decref(id);
        json_decref(b);
        return dc_error_oom();
    }
    json_decref(id);
    return add_block(blocks, b);
}

typedef struct {
    json_t *blocks;
    json_t *page_ids; /* CHILD ids of the PAGE block */
    const char *text;
    const dc_span *tok;
    dc_word *box;
    size_t page;
    size_t nlines;
    pen pen;
    double default_conf;
} page_ctx;

/* Tokens [from, to) are one line: its WORD blocks and the LINE block. */
static int line_blocks(page_ctx *c, size_t from, size_t to)
{
    json_t *ids = json_array(), *id = NULL, *b = NULL;
    dc_buf lt = DC_BUF_INIT;
    dc_word lb = {0};
    double conf = 0;
    size_t k, at = json_array_size(c->blocks);
    int err = ids ? DC_OK : dc_error_oom();

    dc_buf_init(&lt, (size_t)16 << 20);
    c->pen.have = 0;
    for (k = from; k < to && err >= 0; k++) {
        dc_word *w = &c->box[k];
        if (!w->boxed) {
            estimate(w, &c->pen, dc_utf8_count(c->text + c->tok[k].off, c->tok[k].len));
            w->conf = c->default_conf;
        }
        c->pen = (pen){w->x1, w->y0, w->y1, 1};
        if (k == from)
            lb = *w;
        else
            union_box(&lb, w);
        conf += fmin(100, fmax(0, w->conf));
        err = word_block(c->blocks, ids, c->text, &c->tok[k], w, c->page, c->nlines, k);
        if (err >= 0 && k > from)
            err = dc_buf_putc(&lt, ' ');
        if (err >= 0)
            err = dc_buf_put(&lt, c->text + c->tok[k].off, c->tok[k].len);
    }
    if (err >= 0) {
        id = block_id("LINE", c->page, c->nlines, 0, lt.ptr, lt.len);
        b = id ? json_pack("{s:s,s:f,s:s%,s:o,s:O,s:[{s:s,s:O}],s:I}", "BlockType", "LINE",
                           "Confidence", conf / (double)(to - from), "Text", lt.ptr, lt.len,
                           "Geometry", geometry(&lb), "Id", id, "Relationships", "Type", "CHILD",
                           "Ids", ids, "Page", (json_int_t)c->page)
               : NULL;
        if (b && json_array_append(c->page_ids, id) < 0) {
            json_decref(b);
            b = NULL;
        }
        /* LINE before its WORDs, as Textract orders them */
        if (!b || json_array_insert_new(c->blocks, at, b) < 0)
            err = dc_error_oom();
        /* next line starts below this one when its first word has no box */
        c->pen = (pen){0, lb.y1 + 0.005, lb.y1 + 0.005 + fmax(lb.y1 - lb.y0, EST_LINE_H), 0};
    }
    c->nlines++;
    json_decref(id);
    json_decref(ids);
    dc_buf_dispose(&lt);
    return err;
}

static int has_newline(const char *t, size_t from, size_t to)
{
    return memchr(t + from, '\n', to - from) != NULL;
}

static double mean_conf(const dc_word *box, size_t n, double dflt)
{
    double s = 0;
    size_t i, k = 0;

    for (i = 0; i < n; i++) {
        if (box[i].boxed) {
            s += box[i].conf;
            k++;
        }
    }
    return k ? s / (double)k : dflt;
}

/* Fill c->page_ids and blocks with the page's lines and words. */
static int page_lines(page_ctx *c, const dc_page *p, const dc_words *ws)
{
    dc_span *tok = NULL;
    size_t n = 0, from = 0, k;
    int err = dc_tokens(&tok, &n, p->text, p->len, (size_t)4 << 20);

    if (err < 0)
        return err;
    c->box = calloc(n ? n : 1, sizeof(*c->box));
    if (!c->box) {
        free(tok);
        return dc_error_oom();
    }
    c->text = p->text;
    c->tok = tok;
    err = dc_align_boxes(c->box, p->text, tok, n, ws);
    c->default_conf = mean_conf(c->box, n, 100.0);
    c->pen = (pen){0, 0.05, 0.05 + EST_LINE_H, 0};
    for (k = 1; k <= n && err >= 0; k++) {
        if (k == n || has_newline(p->text, tok[k - 1].off + tok[k - 1].len, tok[k].off)) {
            err = line_blocks(c, from, k);
            from = k;
        }
    }
    free(c->box);
    c->box = NULL;
    free(tok);
    return err;
}

static int page_block(json_t *blocks, size_t page, const dc_page *p, const dc_words *ws)
{
    static const dc_word full = {.x1 = 1, .y1 = 1, .conf = 100, .boxed = 1};
    page_ctx c;
    size_t at = json_array_size(blocks);
    json_t *id = block_id("PAGE", page, 0, 0, "", 0);
    json_t *b = id ? json_pack("{s:s,s:o,s:O,s:I}", "BlockType", "PAGE", "Geometry",
                               geometry(&full), "Id", id, "Page", (json_int_t)page)
                   : NULL;
    int err;

    memset(&c, 0, sizeof(c));
    c.blocks = blocks;
    c.page = page;
    c.page_ids = json_array();
    if (!b || !c.page_ids || json_array_append(blocks, b) < 0) {
        err = dc_error_oom();
        goto done;
    }
    err = page_lines(&c, p, ws);
    if (err >= 0 && json_array_size(c.page_ids) &&
        json_object_set_new(json_array_get(blocks, at), "Relationships",
                            json_pack("[{s:s,s:O}]", "Type", "CHILD", "Ids", c.page_ids)) < 0)
        err = dc_error_oom();
done:
    json_decref(b);
    json_decref(id);
    json_decref(c.page_ids);
    return err;
}

int dc_document_to_textract_json(char **out, const dc_document *doc, unsigned flags)
{
    json_t *root = NULL, *blocks;
    size_t i;
    int err = DC_OK;

    *out = NULL;
    root = json_pack("{s:{s:I},s:[],s:s}", "DocumentMetadata", "Pages", (json_int_t)doc->npages,
                     "Blocks", "DetectDocumentTextModelVersion", "1.0");
    blocks = json_object_get(root, "Blocks");
    if (!root) {
        err = dc_error_oom();
        goto done;
    }
    for (i = 0; i < doc->npages && err >= 0; i++)
        err = page_block(blocks, i + 1, &doc->pages[i], &doc->pages[i].words);
    if (err >= 0) {
        *out = dc_json_dumps(root, JSON_PRESERVE_ORDER |
                                       ((flags & DC_JSON_COMPACT) ? JSON_COMPACT : JSON_INDENT(2)));
        if (!*out)
            err = dc_error_oom();
    }
done:
    json_decref(root);
    return err;
}
