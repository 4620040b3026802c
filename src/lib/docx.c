/*
 * DOCX stage (libxml2 xmlTextReader over parts read by ooxml.c): the text a
 * reader of the final document sees, split into pages at explicit breaks.
 * Rules (docs/docx.md): runs, tabs, breaks, tables (a row per line, cells
 * separated by tabs), hyperlinks, symbols, one branch of each
 * mc:AlternateContent, insertions in and deletions out, field results in
 * and field codes out, hidden text out; headers at the top of page 1,
 * footnotes and comments after the page that references them, endnotes and
 * footers at the end of the last page.
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "doc.h"
#include "ooxml.h"

#define W_NS        "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define W_NS_STRICT "http://purl.oclc.org/ooxml/wordprocessingml/main"
#define MC_NS       "http://schemas.openxmlformats.org/markup-compatibility/2006"
#define M_NS        "http://schemas.openxmlformats.org/officeDocument/2006/math"
#define M_NS_STRICT "http://purl.oclc.org/ooxml/officeDocument/math"

#define MAX_NEST 64 /* tracked nesting of fields and AlternateContent */

enum { MODE_MAIN, MODE_HDRFTR, MODE_NOTES };
enum { REF_FOOTNOTE, REF_ENDNOTE, REF_COMMENT, REF_KINDS };
enum { ACT_GO = 0, ACT_SKIP = 1 };

typedef struct {
    int kind;
    long id;
    size_t off; /* main-text offset of the reference */
} note_ref;

typedef struct {
    int kind;
    long id;
    size_t start, end; /* in the notes buffer */
} note;

typedef struct {
    void *v;
    size_t n, cap;
} vec;

typedef struct {
    dc_xml *x;
    xmlTextReaderPtr r;
    dc_buf *out;
    int mode;
    int note_kind; /* MODE_NOTES: the part's REF_ kind */
    /* run and paragraph state (reader depths, -1 when none) */
    int in_t, run_depth, rpr_depth, hidden_depth, p_depth, ppr_depth, ppr_rpr_depth;
    int para_join, para_sect;
    /* tables */
    int tc_depth, row_first;
    /* fields: per open field 1 while in its code; count of those */
    unsigned char fld[MAX_NEST];
    int nfld, code_count;
    /* mc:AlternateContent: a branch already taken, per level */
    unsigned char ac[MAX_NEST];
    int nac;
    /* sections (main part) */
    int sect_depth, sect_para, sect_breaks, have_pending;
    size_t pending_off;
    int explicit_breaks, rendered_breaks;
    vec breaks; /* size_t offsets */
    vec refs;   /* note_ref */
    /* notes */
    vec notes; /* note */
    note cur;
} walker;

/* ---------------------------------------------------------------- helpers */

static int vec_push(vec *v, const void *item, size_t sz)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 16;
        void *p = realloc(v->v, cap * sz);

        if (!p)
            return dc_error_oom();
        v->v = p;
        v->cap = cap;
    }
    memcpy((char *)v->v + v->n * sz, item, sz);
    v->n++;
    return DC_OK;
}

static int visible(const walker *w)
{
    return w->hidden_depth < 0 && w->code_count == 0;
}

/* The w:val attribute of an on/off property: absent, "1", "true", "on". */
static int on_off(xmlTextReaderPtr r)
{
    xmlChar *v = xmlTextReaderGetAttributeNs(r, (const xmlChar *)"val", (const xmlChar *)W_NS);
    int on;

    if (!v)
        v = xmlTextReaderGetAttribute(r, (const xmlChar *)"w:val");
    on = !v || !(strcmp((char *)v, "0") == 0 || strcmp((char *)v, "false") == 0 ||
                 strcmp((char *)v, "off") == 0);
    xmlFree(v);
    return on;
}

/* A w: attribute by local name (prefix-independent). Caller xmlFree()s. */
static char *w_attr(xmlTextReaderPtr r, const char *local)
{
    xmlChar *v = xmlTextReaderGetAttributeNs(r, (const xmlChar *)local, (const xmlChar *)W_NS);

    if (!v)
        v = xmlTextReaderGetAttributeNs(r, (const xmlChar *)local, (const xmlChar *)W_NS_STRICT);
    return (char *)v;
}

static long w_attr_long(xmlTextReaderPtr r, const char *local, long dflt)
{
    char *v = w_attr(r, local);
    char *end = NULL;
    long n = v ? strtol(v, &end, 10) : dflt;

    if (v && (end == v || *end))
        n = dflt;
    xmlFree(v);
    return n;
}

static int w_attr_is(xmlTextReaderPtr r, const char *local, const char *value)
{
    char *v = w_attr(r, local);
    int is = v && strcmp(v, value) == 0;

    xmlFree(v);
    return is;
}

/* One space, unless the text already ends with white space. */
static int put_space(walker *w)
{
    const dc_buf *b = w->out;

    if (!b->len || strchr(" \t\n", b->ptr[b->len - 1]))
        return DC_OK;
    return dc_buf_putc(w->out, ' ');
}

/* A line break or tab where it keeps the layout: inside table cells, where
 * tabs and newlines separate cells and rows, a space. */
static int put_sep(walker *w, char c)
{
    return w->tc_depth ? put_space(w) : dc_buf_putc(w->out, c);
}

static int add_break(walker *w, size_t off)
{
    return vec_push(&w->breaks, &off, sizeof(off));
}

/* ---------------------------------------------------------------- symbols */

/* Symbol font letters 0x41..0x7A -> Greek (0 = keep the ASCII letter). */
static const unsigned short symbol_letters[] = {
    0x391, 0x392, 0x3A7, 0x394,  0x395, 0x3A6,  0x393, 0x397,  0x399, 0x3D1, 0x39A, 0x39B,
    0x39C, 0x39D, 0x39F, 0x3A0,  0x398, 0x3A1,  0x3A3, 0x3A4,  0x3A5, 0x3C2, 0x3A9, 0x39E,
    0x3A8, 0x396, '[',   0x2234, ']',   0x22A5, '_',   0x203E, 0x3B1, 0x3B2, 0x3C7, 0x3B4,
    0x3B5, 0x3C6, 0x3B3, 0x3B7,  0x3B9, 0x3D5,  0x3BA, 0x3BB,  0x3BC, 0x3BD, 0x3BF, 0x3C0,
    0x3B8, 0x3C1, 0x3C3, 0x3C4,  0x3C5, 0x3D6,  0x3C9, 0x3BE,  0x3C8, 0x3B6,
};

static const struct {
    unsigned char code;
    unsigned short cp;
} symbol_ops[] = {
    {0x22, 0x2200}, {0x24, 0x2203}, {0x27, 0x220B}, {0x2A, 0x2217}, {0x2D, 0x2212},
    {0x40, 0x2245}, {0xA3, 0x2264}, {0xA5, 0x221E}, {0xAC, 0x2190}, {0xAE, 0x2192},
    {0xB0, 0x00B0}, {0xB1, 0x00B1}, {0xB3, 0x2265}, {0xB4, 0x00D7}, {0xB6, 0x2202},
    {0xB7, 0x2022}, {0xB8, 0x00F7}, {0xB9, 0x2260}, {0xBA, 0x2261}, {0xBB, 0x2248},
    {0xD1, 0x2207}, {0xD6, 0x221A}, {0xD7, 0x22C5}, {0xE5, 0x2211}, {0xF2, 0x222B},
};

/* Unicode for a Symbol-font code, 0 when unknown. */
static uint32_t symbol_cp(unsigned code)
{
    size_t i;

    if (code >= 0x41 && code <= 0x7A)
        return symbol_letters[code - 0x41];
    for (i = 0; i < sizeof(symbol_ops) / sizeof(symbol_ops[0]); i++)
        if (symbol_ops[i].code == code)
            return symbol_ops[i].cp;
    return code >= 0x20 && code < 0x7F ? code : 0;
}

/* w:sym: Symbol-font codes (also as U+F0xx) map to Unicode; other fonts'
 * private-use codes (Wingdings pictures) are dropped; others kept. */
static int on_sym(walker *w)
{
    char *font = w_attr(w->r, "font");
    char *ch = w_attr(w->r, "char");
    unsigned long code = ch ? strtoul(ch, NULL, 16) : 0;
    uint32_t cp = 0;
    int err = DC_OK;

    if (font && strcmp(font, "Symbol") == 0)
        cp = symbol_cp(code >= 0xF000 && code <= 0xF0FF ? (unsigned)(code - 0xF000)
                                                        : (unsigned)code);
    else if (code && !(code >= 0xE000 && code <= 0xF8FF) && code <= 0x10FFFF)
        cp = (uint32_t)code;
    if (cp && visible(w))
        err = dc_buf_put_cp(w->out, cp);
    xmlFree(font);
    xmlFree(ch);
    return err;
}

/* ---------------------------------------------------------------- fields */

static int on_fldchar(walker *w)
{
    char *t = w_attr(w->r, "fldCharType");

    if (!t)
        return DC_OK;
    if (strcmp(t, "begin") == 0) {
        if (w->nfld < MAX_NEST)
            w->fld[w->nfld] = 1;
        w->nfld++;
        w->code_count++;
    } else if (strcmp(t, "separate") == 0 && w->nfld > 0 && w->nfld <= MAX_NEST &&
               w->fld[w->nfld - 1]) {
        w->fld[w->nfld - 1] = 0;
        w->code_count--;
    } else if (strcmp(t, "end") == 0 && w->nfld > 0) {
        if (w->nfld > MAX_NEST || w->fld[w->nfld - 1])
            w->code_count--;
        w->nfld--;
    }
    xmlFree(t);
    return DC_OK;
}

/* ---------------------------------------------------------------- structure */

static int on_br(walker *w)
{
    char *type = w_attr(w->r, "type");
    int err = DC_OK;

    if (!visible(w))
        goto done;
    if (type && strcmp(type, "page") == 0) {
        if (w->mode == MODE_MAIN) {
            w->explicit_breaks++;
            err = add_break(w, w->out->len);
        }
    } else {
        err = put_sep(w, '\n');
    }
done:
    xmlFree(type);
    return err;
}

static int on_page_break_before(walker *w, int depth)
{
    size_t off = w->out->len;
    const vec *b = &w->breaks;

    if (w->mode != MODE_MAIN || w->ppr_depth < 0 || depth != w->ppr_depth + 1 || w->tc_depth ||
        !on_off(w->r) || off == 0)
        return DC_OK;
    if (b->n && ((size_t *)b->v)[b->n - 1] == off)
        return DC_OK;
    w->explicit_breaks++;
    return add_break(w, off);
}

static int on_sect_start(walker *w, int depth)
{
    if (w->mode != MODE_MAIN)
        return ACT_SKIP;
    w->sect_depth = depth;
    w->sect_para = w->ppr_depth >= 0 && depth == w->ppr_depth + 1;
    w->sect_breaks = 1; /* nextPage is the default section type */
    return ACT_GO;
}

static void on_sect_type(walker *w, int depth)
{
    if (w->sect_depth >= 0 && depth == w->sect_depth + 1)
        w->sect_breaks = w_attr_is(w->r, "val", "nextPage") || w_attr_is(w->r, "val", "oddPage") ||
                         w_attr_is(w->r, "val", "evenPage");
}

/* A section's type says how it starts: the break falls where the previous
 * section ended, which was recorded as pending. */
static int on_sect_end(walker *w)
{
    int err = DC_OK;

    if (w->sect_depth < 0)
        return DC_OK;
    if (w->have_pending && w->sect_breaks) {
        w->explicit_breaks++;
        err = add_break(w, w->pending_off);
    }
    w->have_pending = 0;
    if (w->sect_para)
        w->para_sect = 1;
    w->sect_depth = -1;
    return err;
}

static int on_para_end(walker *w)
{
    int err = DC_OK;

    if (!w->para_join)
        err = put_sep(w, '\n');
    if (err >= 0 && w->para_sect) {
        w->have_pending = 1;
        w->pending_off = w->out->len;
    }
    w->para_join = 0;
    w->para_sect = 0;
    w->ppr_depth = -1;
    return err;
}

static int on_cell(walker *w, int start)
{
    if (start) {
        int err = DC_OK;
        if (w->tc_depth == 0 && !w->row_first)
            err = dc_buf_putc(w->out, '\t');
        w->row_first = 0;
        w->tc_depth++;
        return err;
    }
    if (w->tc_depth > 0)
        w->tc_depth--;
    if (w->tc_depth == 0) {
        dc_buf_rtrim(w->out, " ");
        return DC_OK;
    }
    return put_space(w);
}

static int on_ref(walker *w, int kind)
{
    note_ref ref;

    if (w->mode != MODE_MAIN || !visible(w))
        return DC_OK;
    ref.kind = kind;
    ref.id = w_attr_long(w->r, "id", -1);
    ref.off = w->out->len;
    return vec_push(&w->refs, &ref, sizeof(ref));
}

/* w:footnote / w:endnote / w:comment at the top of a notes part. */
static int on_note(walker *w, int start, int depth)
{
    char *type;
    int err;

    if (w->mode != MODE_NOTES || depth != 1)
        return ACT_GO;
    if (!start) {
        dc_buf_rtrim(w->out, " \t\n");
        w->cur.end = w->out->len;
        err = vec_push(&w->notes, &w->cur, sizeof(w->cur));
        err = err < 0 ? err : dc_buf_putc(w->out, '\n');
        return err < 0 ? err : ACT_GO;
    }
    type = w_attr(w->r, "type");
    err = type && strcmp(type, "normal") != 0 ? ACT_SKIP : ACT_GO; /* separators */
    xmlFree(type);
    w->cur.kind = w->note_kind;
    w->cur.id = w_attr_long(w->r, "id", -1);
    w->cur.start = w->out->len;
    return err;
}

/* ---------------------------------------------------------------- dispatch */

/* Properties: run rPr (hidden text) and paragraph pPr/rPr (joined marks). */
static int on_prop(walker *w, const char *name, int depth)
{
    if (strcmp(name, "pPr") == 0 && depth == w->p_depth + 1)
        w->ppr_depth = depth;
    else if (strcmp(name, "rPr") == 0 && depth == w->run_depth + 1)
        w->rpr_depth = depth;
    else if (strcmp(name, "rPr") == 0 && w->ppr_depth >= 0 && depth == w->ppr_depth + 1)
        w->ppr_rpr_depth = depth;
    else if (strcmp(name, "vanish") == 0 && w->rpr_depth >= 0 && depth == w->rpr_depth + 1) {
        if (w->hidden_depth < 0 && on_off(w->r))
            w->hidden_depth = w->rpr_depth - 1;
    } else if (w->ppr_rpr_depth >= 0 && depth == w->ppr_rpr_depth + 1) {
        /* a deleted or hidden paragraph mark joins the next paragraph */
        if (strcmp(name, "del") == 0 || (strcmp(name, "vanish") == 0 && on_off(w->r)))
            w->para_join = 1;
        return ACT_SKIP;
    } else if (strcmp(name, "del") == 0)
        return ACT_SKIP;
    return ACT_GO;
}

static const char *const skipped[] = {
    "delInstrText", "delText",         "fldData",       "ffData",     "instrText",
    "moveFrom",     "numberingChange", "pPrChange",     "rPrChange",  "sectPrChange",
    "tabs",         "tblPrChange",     "tblPrExChange", "tcPrChange", "trPrChange",
};

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int is_skipped(const char *name)
{
    return bsearch(&name, skipped, sizeof(skipped) / sizeof(skipped[0]), sizeof(skipped[0]),
                   cmp_name) != NULL;
}

/* Elements that write text. */
static int on_inline(walker *w, const char *name)
{
    if (strcmp(name, "tab") == 0 || strcmp(name, "ptab") == 0)
        return visible(w) ? put_sep(w, '\t') : DC_OK;
    if (strcmp(name, "br") == 0)
        return on_br(w);
    if (strcmp(name, "cr") == 0)
        return visible(w) ? put_sep(w, '\n') : DC_OK;
    if (strcmp(name, "noBreakHyphen") == 0)
        return visible(w) ? dc_buf_putc(w->out, '-') : DC_OK;
    if (strcmp(name, "sym") == 0)
        return on_sym(w);
    if (strcmp(name, "fldChar") == 0)
        return on_fldchar(w);
    if (strcmp(name, "footnoteReference") == 0)
        return on_ref(w, REF_FOOTNOTE);
    if (strcmp(name, "endnoteReference") == 0)
        return on_ref(w, REF_ENDNOTE);
    if (strcmp(name, "commentReference") == 0)
        return on_ref(w, REF_COMMENT);
    if (strcmp(name, "lastRenderedPageBreak") == 0)
        w->rendered_breaks++;
    if (strcmp(name, "txbxContent") == 0 && w->out->len &&
        !strchr(" \t\n", w->out->ptr[w->out->len - 1]))
        return put_sep(w, '\n'); /* a text box starts on its own line */
    return DC_OK;
}

/* Start of a w: element. Returns ACT_GO, ACT_SKIP or < 0. */
static int on_w_start(walker *w, const char *name, int depth)
{
    if (strcmp(name, "t") == 0) {
        w->in_t = 1;
        return ACT_GO;
    }
    if (strcmp(name, "r") == 0) {
        w->run_depth = depth;
        return ACT_GO;
    }
    if (strcmp(name, "p") == 0) {
        w->p_depth = depth;
        w->ppr_depth = -1;
        return ACT_GO;
    }
    if (is_skipped(name))
        return ACT_SKIP;
    if (strcmp(name, "tr") == 0) {
        w->row_first = w->tc_depth == 0 ? 1 : w->row_first;
        return ACT_GO;
    }
    if (strcmp(name, "tc") == 0)
        return on_cell(w, 1);
    if (strcmp(name, "pageBreakBefore") == 0)
        return on_page_break_before(w, depth);
    if (strcmp(name, "sectPr") == 0)
        return on_sect_start(w, depth);
    if (strcmp(name, "type") == 0) {
        on_sect_type(w, depth);
        return ACT_GO;
    }
    if (strcmp(name, "footnote") == 0 || strcmp(name, "endnote") == 0 ||
        strcmp(name, "comment") == 0)
        return on_note(w, 1, depth);
    if (strcmp(name, "pPr") == 0 || strcmp(name, "rPr") == 0 || strcmp(name, "vanish") == 0 ||
        strcmp(name, "del") == 0 || w->ppr_rpr_depth >= 0)
        return on_prop(w, name, depth);
    return on_inline(w, name);
}

static int on_w_end(walker *w, const char *name, int depth)
{
    if (strcmp(name, "t") == 0)
        w->in_t = 0;
    else if (strcmp(name, "r") == 0) {
        w->run_depth = -1;
        if (w->hidden_depth == depth)
            w->hidden_depth = -1;
    } else if (strcmp(name, "rPr") == 0) {
        w->rpr_depth = depth == w->rpr_depth ? -1 : w->rpr_depth;
        w->ppr_rpr_depth = depth == w->ppr_rpr_depth ? -1 : w->ppr_rpr_depth;
    } else if (strcmp(name, "p") == 0)
        return on_para_end(w);
    else if (strcmp(name, "tc") == 0)
        return on_cell(w, 0);
    else if (strcmp(name, "tr") == 0)
        return w->tc_depth == 0 ? dc_buf_putc(w->out, '\n') : put_space(w);
    else if (strcmp(name, "sectPr") == 0)
        return on_sect_end(w);
    else if (strcmp(name, "footnote") == 0 || strcmp(name, "endnote") == 0 ||
             strcmp(name, "comment") == 0)
        return on_note(w, 0, depth);
    return DC_OK;
}

/* mc:AlternateContent: the first mc:Choice (or the mc:Fallback when no
 * Choice came first) is read, every other branch skipped: text boxes that
 * Word writes twice (DrawingML and VML) come out once. */
static int on_mc(walker *w, const char *name, int start)
{
    if (strcmp(name, "AlternateContent") == 0) {
        if (start) {
            if (w->nac < MAX_NEST)
                w->ac[w->nac] = 0;
            w->nac++;
        } else if (w->nac > 0) {
            w->nac--;
        }
        return ACT_GO;
    }
    if (!start || (strcmp(name, "Choice") != 0 && strcmp(name, "Fallback") != 0))
        return ACT_GO;
    if (w->nac == 0 || w->nac > MAX_NEST || w->ac[w->nac - 1])
        return ACT_SKIP;
    w->ac[w->nac - 1] = 1;
    return ACT_GO;
}

static int ns_is(const char *ns, const char *a, const char *b)
{
    return ns && (strcmp(ns, a) == 0 || (b && strcmp(ns, b) == 0));
}

static int on_element(walker *w, int start, int depth)
{
    const char *name = (const char *)xmlTextReaderConstLocalName(w->r);
    const char *ns = (const char *)xmlTextReaderConstNamespaceUri(w->r);

    if (!name)
        return ACT_GO;
    if (ns_is(ns, W_NS, W_NS_STRICT))
        return start ? on_w_start(w, name, depth) : on_w_end(w, name, depth);
    if (ns_is(ns, MC_NS, NULL))
        return on_mc(w, name, start);
    if (ns_is(ns, M_NS, M_NS_STRICT) && strcmp(name, "t") == 0)
        w->in_t = start;
    else if (start && ns_is(ns, M_NS, M_NS_STRICT) && strcmp(name, "oMath") == 0)
        return put_space(w); /* adjacent equations stay apart */
    return ACT_GO;
}

static int on_node(walker *w)
{
    int type = xmlTextReaderNodeType(w->r);
    int depth = xmlTextReaderDepth(w->r);
    int act;

    switch (type) {
    case XML_READER_TYPE_ELEMENT:
        act = on_element(w, 1, depth);
        if (act == ACT_GO && xmlTextReaderIsEmptyElement(w->r) == 1)
            act = on_element(w, 0, depth);
        return act;
    case XML_READER_TYPE_END_ELEMENT:
        return on_element(w, 0, depth);
    case XML_READER_TYPE_TEXT:
    case XML_READER_TYPE_CDATA:
    case XML_READER_TYPE_WHITESPACE:
    case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
        if (w->in_t && visible(w))
            return dc_buf_puts(w->out, (const char *)xmlTextReaderConstValue(w->r));
        return ACT_GO;
    default:
        return ACT_GO;
    }
}

static void walker_reset(walker *w, dc_buf *out, int mode)
{
    w->out = out;
    w->mode = mode;
    w->in_t = 0;
    w->run_depth = w->rpr_depth = w->hidden_depth = w->p_depth = -1;
    w->ppr_depth = w->ppr_rpr_depth = w->sect_depth = -1;
    w->para_join = w->para_sect = w->tc_depth = w->row_first = 0;
    w->nfld = w->code_count = w->nac = 0;
    w->have_pending = 0;
}

/* Walk one part into w->out. */
static int walk(walker *w, const char *xml, size_t len, const char *part, int max_depth)
{
    int err = dc_xml_open(&w->x, xml, len, part, max_depth);

    if (err < 0)
        return err;
    w->r = dc_xml_reader(w->x);
    err = dc_xml_next(w->x);
    while (err == 1) {
        int act = on_node(w);
        if (act < 0) {
            err = dc_error_prefix(act, "part %s", part);
            break;
        }
        err = act == ACT_SKIP ? dc_xml_skip(w->x) : dc_xml_next(w->x);
    }
    dc_xml_free(w->x);
    w->x = NULL;
    w->r = NULL;
    return err;
}

/* ---------------------------------------------------------------- parts */

typedef struct {
    dc_document *doc;
    dc_ooxml *pkg;
    dc_zip_limits lim;
    unsigned parts;
    char *main_part;
    char *ctype;
    walker w;
    dc_buf body, hdr, ftr, notes;
    json_t *included, *skipped;
    long declared_pages;
} docx_ctx;

/* Read and walk a secondary part: damaged or missing parts are warnings,
 * limits and memory are errors. */
static int walk_part(docx_ctx *c, const char *part, dc_buf *out, int mode, int note_kind)
{
    char *xml = NULL;
    size_t len = 0;
    int err = dc_ooxml_read(c->pkg, part, &xml, &len);

    if (err >= 0) {
        walker_reset(&c->w, out, mode);
        c->w.note_kind = note_kind;
        err = walk(&c->w, xml, len, part, c->lim.max_xml_depth);
    }
    free(xml);
    if (err == DC_ECORRUPT || err == DC_ENOTFOUND) {
        err = dc_doc_warn(c->doc, 0, "DOCCLASS_DOCX_PART", "%s; part skipped",
                          dc_error_last()->message);
        return err < 0 ? err : 0;
    }
    if (err < 0)
        return err;
    return json_array_append_new(c->included, json_string(part)) < 0 ? dc_error_oom() : 1;
}

/* Header and footer text: each distinct part text once. */
static int add_hdrftr(docx_ctx *c, const char *part, dc_buf *dst)
{
    dc_buf one = DC_BUF_INIT;
    int err;

    dc_buf_init(&one, dst->max);
    err = walk_part(c, part, &one, MODE_HDRFTR, 0);
    dc_buf_rtrim(&one, " \t\n");
    if (err > 0 && one.len && !(dst->ptr && strstr(dst->ptr, one.ptr))) {
        err = dst->len ? dc_buf_putc(dst, '\n') : DC_OK;
        err = err < 0 ? err : dc_buf_put(dst, one.ptr, one.len);
    }
    dc_buf_dispose(&one);
    return err < 0 ? err : DC_OK;
}

static const struct {
    const char *type;
    unsigned flag;
    int kind; /* -1: header/footer */
} rel_parts[] = {
    {"header", DC_DOCX_HEADERS, -1},
    {"footer", DC_DOCX_FOOTERS, -1},
    {"footnotes", DC_DOCX_FOOTNOTES, REF_FOOTNOTE},
    {"endnotes", DC_DOCX_ENDNOTES, REF_ENDNOTE},
    {"comments", DC_DOCX_COMMENTS, REF_COMMENT},
};

static int one_rel(docx_ctx *c, const dc_ooxml_rel *rel)
{
    size_t i;

    for (i = 0; i < sizeof(rel_parts) / sizeof(rel_parts[0]); i++) {
        if (strcmp(rel->type, rel_parts[i].type) != 0 || !rel->target)
            continue;
        if (!(c->parts & rel_parts[i].flag)) {
            if (!dc_ooxml_has(c->pkg, rel->target))
                return DC_OK;
            return json_array_append_new(c->skipped, json_string(rel->target)) < 0 ? dc_error_oom()
                                                                                   : DC_OK;
        }
        if (rel_parts[i].kind < 0)
            return add_hdrftr(c, rel->target, i == 0 ? &c->hdr : &c->ftr);
        return walk_part(c, rel->target, &c->notes, MODE_NOTES, rel_parts[i].kind);
    }
    return DC_OK;
}

/* The main part's related parts, in the order of its .rels file. */
static int read_related(docx_ctx *c)
{
    dc_ooxml_rel *rels = NULL;
    size_t n = 0, i;
    int err = dc_ooxml_rels(c->pkg, c->main_part, &rels, &n);

    for (i = 0; err >= 0 && i < n; i++)
        err = one_rel(c, &rels[i]);
    dc_ooxml_rels_free(rels, n);
    return err;
}

/* <Pages> of the extended properties part, -1 when absent. */
static int read_declared_pages(docx_ctx *c)
{
    dc_ooxml_rel *rels = NULL;
    size_t n = 0, i;
    char *xml = NULL;
    size_t len = 0;
    dc_xml *x = NULL;
    int err = dc_ooxml_rels(c->pkg, "/", &rels, &n), in_pages = 0;

    c->declared_pages = -1;
    for (i = 0; err >= 0 && i < n && !xml; i++)
        if (strcmp(rels[i].type, "extended-properties") == 0 && rels[i].target &&
            dc_ooxml_read(c->pkg, rels[i].target, &xml, &len) < 0 &&
            dc_error_last()->code != DC_ENOTFOUND)
            err = dc_error_last()->code;
    if (err < 0 || !xml)
        goto done;
    err = dc_xml_open(&x, xml, len, "/docProps/app.xml", c->lim.max_xml_depth);
    while (err >= 0 && (err = dc_xml_next(x)) == 1) {
        xmlTextReaderPtr r = dc_xml_reader(x);
        int t = xmlTextReaderNodeType(r);
        if (t == XML_READER_TYPE_ELEMENT || t == XML_READER_TYPE_END_ELEMENT)
            in_pages = t == XML_READER_TYPE_ELEMENT &&
                       strcmp((const char *)xmlTextReaderConstLocalName(r), "Pages") == 0;
        else if (in_pages && t == XML_READER_TYPE_TEXT)
            c->declared_pages = strtol((const char *)xmlTextReaderConstValue(r), NULL, 10);
    }
done:
    if (err < 0 && err != DC_ENOMEM && err != DC_ELIMIT)
        err = DC_OK; /* a damaged app.xml only loses the declared count */
    dc_xml_free(x);
    free(xml);
    dc_ooxml_rels_free(rels, n);
    return err < 0 ? err : DC_OK;
}

/* ---------------------------------------------------------------- pages */

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* Sort the breaks and drop duplicates: a break where another already is
 * does not add an empty page. */
static void normalise_breaks(vec *v)
{
    size_t *b = v->v;
    size_t i, n = 0;

    if (!v->n)
        return;
    qsort(b, v->n, sizeof(size_t), cmp_size);
    for (i = 0; i < v->n; i++)
        if (n == 0 || b[i] != b[n - 1])
            b[n++] = b[i];
    v->n = n;
}

static int put_block(dc_buf *page, const char *s, size_t len)
{
    int err;

    while (len && (*s == '\n' || *s == ' '))
        s++, len--;
    if (!len)
        return DC_OK;
    err = page->len ? dc_buf_putc(page, '\n') : DC_OK;
    return err < 0 ? err : dc_buf_put(page, s, len);
}

/* Notes of one kind referenced in [from, to) of the body. */
static int put_notes(docx_ctx *c, dc_buf *page, int kind, size_t from, size_t to)
{
    const note_ref *refs = c->w.refs.v;
    const note *notes = c->w.notes.v;
    size_t i, j;
    int err = DC_OK;

    for (i = 0; err >= 0 && i < c->w.refs.n; i++) {
        if (refs[i].kind != kind || refs[i].off < from || refs[i].off >= to)
            continue;
        for (j = 0; j < c->w.notes.n; j++)
            if (notes[j].kind == kind && notes[j].id == refs[i].id)
                break;
        if (j < c->w.notes.n && c->notes.ptr) /* no arithmetic on an empty buffer's NULL */
            err = put_block(page, c->notes.ptr + notes[j].start, notes[j].end - notes[j].start);
    }
    return err;
}

static int build_page(docx_ctx *c, dc_buf *page, size_t i, size_t from, size_t to)
{
    int last = i == c->w.breaks.n;
    int err = DC_OK;

    if (i == 0)
        err = put_block(page, c->hdr.ptr, c->hdr.len);
    if (err >= 0 && c->body.ptr) /* NULL when the body has no text (empty document) */
        err = put_block(page, c->body.ptr + from, to - from);
    dc_buf_rtrim(page, " \t\n");
    if (err >= 0)
        err = put_notes(c, page, REF_FOOTNOTE, from, last ? SIZE_MAX : to);
    if (err >= 0)
        err = put_notes(c, page, REF_COMMENT, from, last ? SIZE_MAX : to);
    if (err >= 0 && last)
        err = put_notes(c, page, REF_ENDNOTE, 0, SIZE_MAX);
    if (err >= 0 && last)
        err = put_block(page, c->ftr.ptr, c->ftr.len);
    dc_buf_rtrim(page, " \t\n");
    return err;
}

static int add_pages(docx_ctx *c)
{
    const size_t *b;
    size_t i, from = 0;
    int err = DC_OK;

    normalise_breaks(&c->w.breaks);
    b = c->w.breaks.v;
    for (i = 0; err >= 0 && i <= c->w.breaks.n; i++) {
        size_t to = i < c->w.breaks.n ? b[i] : c->body.len;
        dc_buf page = DC_BUF_INIT;
        size_t len = 0;
        char *text;

        dc_buf_init(&page, c->body.max);
        err = build_page(c, &page, i, from, to);
        text = err < 0 ? NULL : dc_buf_detach(&page, &len);
        dc_buf_dispose(&page);
        if (err >= 0 && !text)
            err = DC_ENOMEM;
        if (err >= 0)
            err = dc_doc_add_page(c->doc, text, len, DC_EXTRACTOR_PARSER, DC_DOCTYPE_MS_WORD, NULL,
                                  "Word documents are read by the service's own parser");
        from = to;
    }
    return err < 0 ? err : DC_OK;
}

/* ---------------------------------------------------------------- entry */

static int check_main(docx_ctx *c)
{
    static const char *const word[] = {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
        "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    };
    size_t i;
    int err = dc_ooxml_main_part(c->pkg, &c->main_part, &c->ctype);

    if (err == DC_ENOTFOUND)
        return dc_error_set(DC_ECORRUPT, "not a Word document: %s", dc_error_last()->message);
    if (err < 0)
        return err;
    for (i = 0; c->ctype && i < sizeof(word) / sizeof(word[0]); i++)
        if (strcmp(c->ctype, word[i]) == 0)
            break;
    if (!c->ctype || i == sizeof(word) / sizeof(word[0]))
        return dc_error_set(DC_EUNSUPPORTED,
                            "main part %s has content type %s, not a Word document", c->main_part,
                            c->ctype ? c->ctype : "(undeclared)");
    if (i > 0)
        return dc_doc_warn(c->doc, 0, "DOCCLASS_DOCX_VARIANT",
                           "%s: read as a Word document (the service documents .docx only)",
                           i == 1   ? "macro-enabled document (.docm)"
                           : i == 2 ? "template (.dotx)"
                                    : "macro-enabled template (.dotm)");
    return DC_OK;
}

static int read_body(docx_ctx *c)
{
    char *xml = NULL;
    size_t len = 0;
    int err = dc_ooxml_read(c->pkg, c->main_part, &xml, &len);

    if (err == DC_ENOTFOUND)
        err = dc_error_set(DC_ECORRUPT, "main part %s is missing from the package", c->main_part);
    if (err < 0)
        return err;
    walker_reset(&c->w, &c->body, MODE_MAIN);
    err = walk(&c->w, xml, len, c->main_part, c->lim.max_xml_depth);
    free(xml);
    if (err < 0)
        return err;
    return json_array_append_new(c->included, json_string(c->main_part)) < 0 ? dc_error_oom()
                                                                             : DC_OK;
}

static int report(docx_ctx *c)
{
    size_t counted = c->w.breaks.n + 1;
    json_t *info =
        json_pack("{s:s,s:s,s:O,s:O,s:I,s:i,s:i}", "main_part", c->main_part, "content_type",
                  c->ctype, "parts_included", c->included, "parts_skipped", c->skipped,
                  "counted_pages", (json_int_t)counted, "page_breaks", c->w.explicit_breaks,
                  "rendered_page_breaks", c->w.rendered_breaks);
    int err;

    if (info && c->declared_pages >= 0 &&
        json_object_set_new(info, "declared_pages", json_integer(c->declared_pages)) < 0) {
        json_decref(info);
        info = NULL;
    }
    err = dc_doc_info_set(c->doc, "docx", info);
    if (err < 0 || c->declared_pages < 0 || (size_t)c->declared_pages == counted)
        return err;
    return dc_doc_warn(c->doc, 0, "DOCCLASS_DOCX_PAGE_COUNT",
                       "docProps/app.xml declares %ld pages; docclass counts %zu from explicit "
                       "page and section breaks",
                       c->declared_pages, counted);
}

static void ctx_dispose(docx_ctx *c)
{
    dc_ooxml_free(c->pkg);
    free(c->main_part);
    free(c->ctype);
    dc_buf_dispose(&c->body);
    dc_buf_dispose(&c->hdr);
    dc_buf_dispose(&c->ftr);
    dc_buf_dispose(&c->notes);
    free(c->w.breaks.v);
    free(c->w.refs.v);
    free(c->w.notes.v);
    json_decref(c->included);
    json_decref(c->skipped);
}

/*
 * Extract a DOCX: open the package (caps on entries, sizes and ratios are
 * enforced while inflating), find the main part through /_rels/.rels, walk
 * it and the switched-on related parts, and add one MS_WORD page per span
 * between explicit page breaks. DC_EPASSWORD for encrypted archives,
 * DC_ECORRUPT for damaged ones, DC_ELIMIT naming the cap that was hit.
 */
int dc_docx_extract(dc_document *doc, const void *data, size_t len, unsigned parts)
{
    docx_ctx c;
    int err;

    memset(&c, 0, sizeof(c));
    c.doc = doc;
    c.parts = parts;
    c.lim = (dc_zip_limits)DC_ZIP_LIMITS_INIT;
    dc_buf_init(&c.body, (size_t)c.lim.max_entry_size);
    dc_buf_init(&c.hdr, (size_t)c.lim.max_entry_size);
    dc_buf_init(&c.ftr, (size_t)c.lim.max_entry_size);
    dc_buf_init(&c.notes, (size_t)c.lim.max_entry_size);
    c.included = json_array();
    c.skipped = json_array();
    if (!c.included || !c.skipped) {
        err = dc_error_oom();
        goto done;
    }
    err = dc_ooxml_open(&c.pkg, data, len, &c.lim);
    if (err >= 0)
        err = check_main(&c);
    if (err >= 0)
        err = read_body(&c);
    if (err >= 0)
        err = read_related(&c);
    if (err >= 0)
        err = read_declared_pages(&c);
    if (err >= 0)
        err = add_pages(&c);
    if (err >= 0)
        err = report(&c);
done:
    ctx_dispose(&c);
    return err < 0 ? err : DC_OK;
}
