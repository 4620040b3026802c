/*
 * DOCX generator for the tests and samples/: writes OOXML packages with
 * libzip from XML strings written here, one per feature of the DOCX stage,
 * plus hostile packages (zip bomb, XXE, billion laughs, corrupt, encrypted)
 * and non-Word skeletons (xlsx, pptx, odf) for the probe.
 */
#include <stdio.h>
#include <string.h>

#include <zip.h>

#include "dc_test.h"
#include "gen.h"

#define NS_DECL                                                                            \
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "            \
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" "     \
    "xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" "            \
    "xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\" "     \
    "xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" " \
    "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "                   \
    "xmlns:v=\"urn:schemas-microsoft-com:vml\" "                                           \
    "xmlns:m=\"http://schemas.openxmlformats.org/officeDocument/2006/math\" "              \
    "mc:Ignorable=\"wps\""

/* A Word package: the main part's name (default word/document.xml), the
 * inner XML of w:body (or raw_main: the whole part), the inner XML of the
 * related parts (NULL: absent), docProps/app.xml <Pages> (0: no app.xml),
 * the kind of main content type ("docx", "docm", "dotx") and extra entries
 * (terminated by a NULL name). */
typedef struct {
    const char *main;
    const char *body;
    const char *raw_main;
    const char *header, *footer, *footnotes, *endnotes, *comments;
    int declared_pages;
    const char *kind;
    const dc_gen_entry *extra;
} dc_docx_spec;

int dc_gen_docx(const char *path, const dc_docx_spec *s);
int dc_gen_docx_case(const char *path, const char *name);

#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define REL_NS   "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
#define CT_WML   "application/vnd.openxmlformats-officedocument.wordprocessingml."

/* ---------------------------------------------------------------- zip */

int dc_gen_zip(const char *path, const dc_gen_entry *e, size_t n)
{
    zip_t *za;
    int zerr = 0;
    size_t i;

    za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    if (!za) {
        (void)fprintf(stderr, "docx_gen: cannot create %s (libzip error %d)\n", path, zerr);
        return -1;
    }
    for (i = 0; i < n; i++) {
        size_t len = e[i].len ? e[i].len : strlen(e[i].data);
        zip_source_t *src = zip_source_buffer(za, e[i].data, len, 0);
        zip_int64_t idx = src ? zip_file_add(za, e[i].name, src, ZIP_FL_OVERWRITE) : -1;

        if (idx < 0) {
            zip_source_free(src);
            goto fail;
        }
        if (e[i].store && zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0) < 0)
            goto fail;
        if (e[i].password &&
            zip_file_set_encryption(za, (zip_uint64_t)idx, ZIP_EM_AES_256, e[i].password) < 0)
            goto fail;
    }
    if (zip_close(za) < 0)
        goto fail;
    return 0;
fail:
    (void)fprintf(stderr, "docx_gen: %s: %s\n", path, zip_strerror(za));
    zip_discard(za);
    return -1;
}

/* ---------------------------------------------------------------- docx */

static char *xml_printf(const char *fmt, ...) DC_PRINTF(1, 2);

static char *xml_printf(const char *fmt, ...)
{
    va_list ap;
    char *s;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    s = malloc((size_t)n + 1);
    if (!s)
        return NULL;
    va_start(ap, fmt);
    (void)vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

static const struct {
    const char *file, *type, *ctype, *root;
} side_parts[] = {
    {"header1.xml", "header", CT_WML "header+xml", "hdr"},
    {"footer1.xml", "footer", CT_WML "footer+xml", "ftr"},
    {"footnotes.xml", "footnotes", CT_WML "footnotes+xml", "footnotes"},
    {"endnotes.xml", "endnotes", CT_WML "endnotes+xml", "endnotes"},
    {"comments.xml", "comments", CT_WML "comments+xml", "comments"},
};

#define SEPARATORS                                                                           \
    "<w:%s w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/></w:r></w:p></w:%s>"     \
    "<w:%s w:type=\"continuationSeparator\" w:id=\"0\"><w:p><w:r><w:continuationSeparator/>" \
    "</w:r></w:p></w:%s>"

static char *side_xml(size_t i, const char *inner)
{
    const char *root = side_parts[i].root;

    if (i == 2 || i == 3) {
        const char *el = i == 2 ? "footnote" : "endnote";
        return xml_printf(XML_DECL "<w:%s " NS_DECL ">" SEPARATORS "%s</w:%s>", root, el, el, el,
                          el, inner, root);
    }
    return xml_printf(XML_DECL "<w:%s " NS_DECL ">%s</w:%s>", root, inner, root);
}

/* The folder of the main part ("word/" for "word/document.xml"). */
static size_t dir_len(const char *main)
{
    const char *slash = strrchr(main, '/');
    return slash ? (size_t)(slash - main) + 1 : 0;
}

typedef struct {
    dc_gen_entry e[16];
    char *own[16];
    size_t n;
} pkg_build;

static int take(pkg_build *p, const char *name, char *data)
{
    if (!data || p->n == 16) {
        free(data);
        return -1;
    }
    p->own[p->n] = data;
    p->e[p->n].name = name;
    p->e[p->n].data = data;
    p->e[p->n].len = 0;
    p->e[p->n].store = 0;
    p->e[p->n].password = NULL;
    p->n++;
    return 0;
}

static int add_side_parts(pkg_build *p,
                          const dc_docx_spec *s,
                          const char *main,
                          dc_buf *rels,
                          dc_buf *ct,
                          char names[][256])
{
    const char *inner[] = {s->header, s->footer, s->footnotes, s->endnotes, s->comments};
    size_t i, d = dir_len(main);

    for (i = 0; i < 5; i++) {
        if (!inner[i])
            continue;
        (void)snprintf(names[i], 256, "%.*s%s", (int)d, main, side_parts[i].file);
        if (dc_buf_printf(rels,
                          "<Relationship Id=\"rIdS%zu\" Type=\"" REL_NS "%s\" Target=\"%s\"/>", i,
                          side_parts[i].type, side_parts[i].file) < 0 ||
            dc_buf_printf(ct, "<Override PartName=\"/%s\" ContentType=\"%s\"/>", names[i],
                          side_parts[i].ctype) < 0 ||
            take(p, names[i], side_xml(i, inner[i])) < 0)
            return -1;
    }
    return 0;
}

static const char *main_ctype(const char *kind)
{
    if (kind && strcmp(kind, "docm") == 0)
        return "application/vnd.ms-word.document.macroEnabled.main+xml";
    if (kind && strcmp(kind, "dotx") == 0)
        return CT_WML "template.main+xml";
    return CT_WML "document.main+xml";
}

int dc_gen_docx(const char *path, const dc_docx_spec *s)
{
    const char *main = s->main ? s->main : "word/document.xml";
    char names[5][256], rels_path[300];
    pkg_build p;
    dc_buf rels = DC_BUF_INIT, ct = DC_BUF_INIT;
    size_t d = dir_len(main), i;
    int rc = -1;

    memset(&p, 0, sizeof(p));
    dc_buf_init(&rels, 1 << 16);
    dc_buf_init(&ct, 1 << 16);
    (void)snprintf(rels_path, sizeof(rels_path), "%.*s_rels/%s.rels", (int)d, main, main + d);
    if (dc_buf_puts(&rels, XML_DECL "<Relationships xmlns=\"http://schemas.openxmlformats.org/"
                                    "package/2006/relationships\">") < 0 ||
        dc_buf_printf(&ct,
                      XML_DECL "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                               "content-types\"><Default Extension=\"rels\" ContentType=\""
                               "application/vnd.openxmlformats-package.relationships+xml\"/>"
                               "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                               "<Override PartName=\"/%s\" ContentType=\"%s\"/>",
                      main, main_ctype(s->kind)) < 0 ||
        add_side_parts(&p, s, main, &rels, &ct, names) < 0 ||
        dc_buf_puts(&rels, "<Relationship Id=\"rId9\" Type=\"" REL_NS "hyperlink\" "
                           "Target=\"https://example.com/\" TargetMode=\"External\"/>"
                           "</Relationships>") < 0)
        goto done;
    if (take(&p, main,
             s->raw_main ? xml_printf("%s", s->raw_main)
                         : xml_printf(XML_DECL "<w:document " NS_DECL "><w:body>%s</w:body>"
                                               "</w:document>",
                                      s->body ? s->body : "")) < 0 ||
        take(&p, rels_path, dc_buf_detach(&rels, NULL)) < 0)
        goto done;
    if (s->declared_pages > 0 &&
        (dc_buf_puts(&ct, "<Override PartName=\"/docProps/app.xml\" ContentType=\""
                          "application/vnd.openxmlformats-officedocument.extended-properties+xml"
                          "\"/>") < 0 ||
         take(&p, "docProps/app.xml",
              xml_printf(XML_DECL "<Properties xmlns=\"http://schemas.openxmlformats.org/"
                                  "officeDocument/2006/extended-properties\"><Application>"
                                  "docclass docx_gen</Application><Pages>%d</Pages>"
                                  "</Properties>",
                         s->declared_pages)) < 0))
        goto done;
    if (dc_buf_puts(&ct, "</Types>") < 0 ||
        take(&p, "[Content_Types].xml", dc_buf_detach(&ct, NULL)) < 0 ||
        take(&p, "_rels/.rels",
             xml_printf(XML_DECL "<Relationships xmlns=\"http://schemas.openxmlformats.org/"
                                 "package/2006/relationships\"><Relationship Id=\"rId1\" Type=\""
                                 "%s\" Target=\"%s\"/>%s</Relationships>",
                        REL_NS "officeDocument", main,
                        s->declared_pages > 0
                            ? "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats."
                              "org/officeDocument/2006/relationships/extended-properties\" "
                              "Target=\"docProps/app.xml\"/>"
                            : "")) < 0)
        goto done;
    for (i = 0; s->extra && s->extra[i].name; i++)
        if (p.n < 16)
            p.e[p.n++] = s->extra[i];
    rc = dc_gen_zip(path, p.e, p.n);
done:
    for (i = 0; i < 16; i++)
        free(p.own[i]);
    dc_buf_dispose(&rels);
    dc_buf_dispose(&ct);
    if (rc < 0 && p.n == 0)
        (void)fprintf(stderr, "docx_gen: %s: out of memory\n", path);
    return rc;
}

/* ---------------------------------------------------------------- samples */

#define P(text)    "<w:p><w:r><w:t xml:space=\"preserve\">" text "</w:t></w:r></w:p>"
#define CELL(text) "<w:tc><w:tcPr><w:tcW w:w=\"3000\" w:type=\"dxa\"/></w:tcPr>" P(text) "</w:tc>"

/* clang-format off */
static const char letter_body[] =
    P("Northwind Components Ltd") P("14 Harbour Road, Bristol BS1 5TT") P("") P("3 March 2025")
    P("") P("Ms Jane Whitfield") P("Purchasing Manager") P("Oakridge Engineering plc")
    P("22 Mill Lane, Leeds LS2 7EW") P("") P("Dear Ms Whitfield,")
    "<w:p><w:r><w:t xml:space=\"preserve\">Thank you for your order of 24 February. "
    "We are pleased to confirm the items and prices below, which include the volume "
    "discount agreed at our last meeting</w:t></w:r><w:r><w:rPr><w:rStyle "
    "w:val=\"FootnoteReference\"/></w:rPr><w:footnoteReference w:id=\"1\"/></w:r>"
    "<w:r><w:t>.</w:t></w:r></w:p>"
    "<w:tbl><w:tblPr><w:tblW w:w=\"9000\" w:type=\"dxa\"/></w:tblPr>"
    "<w:tr>" CELL("Item") CELL("Quantity") CELL("Unit price") "</w:tr>"
    "<w:tr>" CELL("Hydraulic valve HV-200") CELL("40") CELL("GBP 118.00") "</w:tr>"
    "<w:tr>" CELL("Pressure gauge PG-16") CELL("25") CELL("GBP 42.50") "</w:tr>"
    "<w:tr>" CELL("Mounting bracket MB-3") CELL("120") CELL("GBP 6.75") "</w:tr>"
    "</w:tbl>"
    P("The goods will be dispatched within ten working days of this confirmation. "
      "Payment is due within 30 days of the invoice date.")
    P("Please do not hesitate to contact me if you have any questions.") P("")
    P("Yours sincerely,") P("") P("Thomas Reed") P("Sales Director")
    "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdS0\"/>"
    "<w:pgSz w:w=\"11906\" w:h=\"16838\"/></w:sectPr>";
/* clang-format on */

int dc_gen_docx_samples(const char *dir)
{
    char path[4096];
    dc_docx_spec s;

    memset(&s, 0, sizeof(s));
    s.body = letter_body;
    s.header = P("Northwind Components Ltd - Order confirmation");
    s.footnotes = "<w:footnote w:id=\"1\"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t "
                  "xml:space=\"preserve\"> Volume discount of 8% on orders over GBP 5,000, "
                  "agreed on 12 January 2025.</w:t></w:r></w:p></w:footnote>";
    s.declared_pages = 1;
    (void)snprintf(path, sizeof(path), "%s/letter.docx", dir);
    return dc_gen_docx(path, &s);
}

/* ---------------------------------------------------------------- test cases */

#define R(text)   "<w:r><w:t xml:space=\"preserve\">" text "</w:t></w:r>"
#define FLD(code) "<w:r><w:fldChar w:fldCharType=\"" code "\"/></w:r>"
#define INSTR(c)  "<w:r><w:instrText xml:space=\"preserve\">" c "</w:instrText></w:r>"
#define TXBX(t)   "<w:txbxContent>" P(t) "</w:txbxContent>"
#define LIST(t)                                                                     \
    "<w:p><w:pPr><w:pStyle w:val=\"ListParagraph\"/><w:numPr><w:ilvl w:val=\"0\"/>" \
    "<w:numId w:val=\"1\"/></w:numPr></w:pPr>" R(t) "</w:p>"

/* clang-format off */
static const struct {
    const char *name;
    const char *body;
} bodies[] = {
    {"runs", "<w:p>" R("Hello ") "<w:r><w:rPr><w:b/><w:i/></w:rPr><w:t>bold</w:t></w:r>"
             "<w:proofErr w:type=\"spellStart\"/>" R(" world") "</w:p>" P("Second paragraph")},
    {"tabs", "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>"
             "<w:r><w:t>Name:</w:t><w:tab/><w:t>Value</w:t></w:r>"
             "<w:r><w:ptab w:relativeTo=\"margin\" w:alignment=\"right\" w:leader=\"none\"/>"
             "<w:t>End</w:t></w:r></w:p>"},
    {"breaks", "<w:p><w:r><w:t>line one</w:t><w:br/><w:t>line two</w:t><w:cr/>"
               "<w:t>line three</w:t><w:br w:type=\"textWrapping\"/><w:t>non</w:t>"
               "<w:noBreakHyphen/><w:t>breaking</w:t><w:softHyphen/><w:t>!</w:t></w:r></w:p>"},
    {"table", P("Before") "<w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w=\"100\"/></w:tblGrid>"
              "<w:tr>" CELL("Name") CELL("Age") "</w:tr>"
              "<w:tr><w:tc>" P("Alice") P("Smith") "</w:tc>" CELL("30") "</w:tr>"
              "<w:tr><w:tc><w:p/></w:tc>" CELL("x") "</w:tr>"
              "<w:tr>" CELL("outer") "<w:tc><w:tbl><w:tr>" CELL("in1") CELL("in2") "</w:tr>"
              "<w:tr>" CELL("in3") CELL("in4") "</w:tr></w:tbl><w:p/></w:tc></w:tr>"
              "</w:tbl>" P("After")},
    {"list", P("Shopping:") LIST("First item") LIST("Second item") LIST("Third item")},
    {"hyperlink", "<w:p>" R("See ") "<w:hyperlink r:id=\"rId9\" w:history=\"1\">"
                  "<w:r><w:rPr><w:rStyle w:val=\"Hyperlink\"/></w:rPr><w:t>the site</w:t></w:r>"
                  "</w:hyperlink>" R(" and ") "<w:hyperlink w:anchor=\"top\">" R("the top")
                  "</w:hyperlink>" R(".") "</w:p>"},
    {"sym", "<w:p><w:r><w:t>alpha=</w:t><w:sym w:font=\"Symbol\" w:char=\"F061\"/>"
            "<w:t xml:space=\"preserve\"> pi=</w:t><w:sym w:font=\"Symbol\" w:char=\"70\"/>"
            "<w:t xml:space=\"preserve\"> tick</w:t><w:sym w:font=\"Wingdings\" w:char=\"F0FC\"/>"
            "<w:t xml:space=\"preserve\"> bullet</w:t><w:sym w:font=\"Arial\" w:char=\"2022\"/>"
            "</w:r></w:p>"},
    {"textbox", "<w:p>" R("Anchor") "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\">"
                "<w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx>"
                TXBX("Boxed text") "</wps:txbx></wps:wsp></a:graphicData></a:graphic>"
                "</wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict>"
                "<v:shape><v:textbox>" TXBX("Boxed text") "</v:textbox></v:shape></w:pict>"
                "</mc:Fallback></mc:AlternateContent></w:r></w:p>" P("After")},
    {"tracked",
     "<w:p>" R("The ") "<w:del w:id=\"1\" w:author=\"A\"><w:r><w:delText>old</w:delText></w:r>"
     "</w:del><w:ins w:id=\"2\" w:author=\"A\">" R("new") "</w:ins>" R(" text") "</w:p>"
     "<w:p><w:moveFrom w:id=\"3\" w:author=\"A\">" R("Moved ") "</w:moveFrom>" R("stays")
     "<w:moveTo w:id=\"4\" w:author=\"A\">" R(" Moved") "</w:moveTo></w:p>"
     "<w:p><w:r><w:rPr><w:b/><w:rPrChange w:id=\"5\" w:author=\"A\"><w:rPr><w:vanish/>"
     "</w:rPr></w:rPrChange></w:rPr><w:t>Reformatted</w:t></w:r></w:p>"
     "<w:p><w:pPr><w:rPr><w:del w:id=\"6\" w:author=\"A\"/></w:rPr></w:pPr>" R("Joined ")
     "</w:p>" P("paragraphs")},
    {"field", "<w:p>" R("Page ") FLD("begin") INSTR(" PAGE ") FLD("separate") R("7") FLD("end")
              R(" of ") "<w:fldSimple w:instr=\" NUMPAGES \">" R("9") "</w:fldSimple>"
              R(", ") FLD("begin") INSTR(" IF ") FLD("begin") INSTR(" MERGEFIELD x ")
              FLD("separate") R("inner") FLD("end") INSTR(" = 1 \"yes\" ") FLD("separate")
              R("yes") FLD("end") R(", ") FLD("begin") INSTR(" XE \"index\" ") FLD("end")
              R("done") "</w:p>"},
    {"vanish", "<w:p>" R("Visible ") "<w:r><w:rPr><w:vanish/></w:rPr><w:t>secret </w:t></w:r>"
               "<w:r><w:rPr><w:vanish w:val=\"0\"/></w:rPr><w:t>shown </w:t></w:r>"
               "<w:r><w:rPr><w:vanish w:val=\"true\"/></w:rPr><w:t>hidden </w:t><w:tab/>"
               "</w:r>" R("end") "</w:p>"},
    {"pages", P("One") "<w:p><w:r><w:br w:type=\"page\"/></w:r>" R("Two") "</w:p>"
              "<w:p><w:pPr><w:pageBreakBefore/></w:pPr>" R("Three") "</w:p>"
              "<w:p><w:pPr><w:sectPr><w:type w:val=\"continuous\"/></w:sectPr></w:pPr>"
              R("Three b") "</w:p>"
              "<w:p><w:pPr><w:sectPr/></w:pPr>" R("Three c") "</w:p>"
              "<w:p><w:pPr><w:pageBreakBefore w:val=\"0\"/></w:pPr>" R("Four") "</w:p>"
              "<w:p><w:pPr><w:sectPr><w:type w:val=\"continuous\"/></w:sectPr></w:pPr>"
              R("Four b") "</w:p>"
              "<w:p><w:pPr><w:pageBreakBefore/></w:pPr>" R("Five") "</w:p>"
              "<w:sectPr><w:type w:val=\"continuous\"/></w:sectPr>"},
    {"math", "<w:p>" R("Area ") "<m:oMath><m:r><m:t>A=</m:t></m:r><m:r><m:t>\xcf\x80r</m:t></m:r>"
             "</m:oMath></w:p>"},
    {"empty", ""},
};
/* clang-format on */

static const char parts_body[] = "<w:p>" R(
    "Body text") "<w:r><w:footnoteReference w:id=\"1\"/></w:r>"
                 "<w:commentRangeStart w:id=\"0\"/>" R(
                     " more") "<w:commentRangeEnd w:id=\"0\"/>"
                              "<w:r><w:commentReference w:id=\"0\"/></w:r><w:r><w:endnoteReference "
                              "w:id=\"1\"/></w:r>"
                              "</w:p><w:p><w:r><w:br w:type=\"page\"/></w:r>" R(
                                  "Second page") "</w:p>";

static int gen_parts(const char *path)
{
    dc_docx_spec s;

    memset(&s, 0, sizeof(s));
    s.body = parts_body;
    s.header = P("Header text");
    s.footer = P("Footer text");
    s.footnotes = "<w:footnote w:id=\"1\">" P(
        "Footnote text") "</w:footnote>"
                         "<w:footnote w:id=\"2\">" P("Unreferenced footnote") "</w:footnote>";
    s.endnotes = "<w:endnote w:id=\"1\">" P("Endnote text") "</w:endnote>";
    s.comments = "<w:comment w:id=\"0\" w:author=\"A\">" P("Comment text") "</w:comment>";
    s.declared_pages = 2;
    return dc_gen_docx(path, &s);
}

/* The main part is content/main.xml; a decoy word/document.xml is present. */
static int gen_elsewhere(const char *path)
{
    static const char decoy[] =
        XML_DECL "<w:document " NS_DECL "><w:body>" P("Decoy") "</w:body></w:document>";
    static const dc_gen_entry extra[] = {{"word/document.xml", decoy, 0, 0, NULL},
                                         {NULL, NULL, 0, 0, NULL}};
    dc_docx_spec s;

    memset(&s, 0, sizeof(s));
    s.main = "content/main.xml";
    s.body = P("Real main part");
    s.header = P("Its header");
    s.extra = extra;
    return dc_gen_docx(path, &s);
}

/* A highly compressible 32 MB text run: the ratio cap stops it at ~1 MB. */
static int gen_bomb(const char *path)
{
    static const char head[] = XML_DECL "<w:document " NS_DECL "><w:body><w:p><w:r><w:t>";
    static const char tail[] = "</w:t></w:r></w:p></w:body></w:document>";
    size_t fill = (size_t)32 << 20;
    char *xml = malloc(sizeof(head) + fill + sizeof(tail));
    dc_docx_spec s;
    dc_gen_entry extra[2];
    int rc;

    if (!xml)
        return -1;
    memcpy(xml, head, sizeof(head) - 1);
    memset(xml + sizeof(head) - 1, 'A', fill);
    memcpy(xml + sizeof(head) - 1 + fill, tail, sizeof(tail));
    memset(&s, 0, sizeof(s));
    memset(extra, 0, sizeof(extra));
    s.main = "word/document.xml";
    s.raw_main = "<placeholder/>";
    extra[0].name = "word/document.xml";
    extra[0].data = xml;
    s.extra = extra;
    rc = dc_gen_docx(path, &s);
    free(xml);
    return rc;
}

static int gen_xxe(const char *path, int in_header)
{
    char secret[4096], *xml;
    const char *slash = strrchr(path, '/');
    FILE *f;
    dc_docx_spec s;
    dc_gen_entry extra[2];
    int rc;

    (void)snprintf(secret, sizeof(secret), "%.*s/xxe-secret.txt", slash ? (int)(slash - path) : 1,
                   slash ? path : ".");
    f = fopen(secret, "w");
    if (!f || fputs("TOPSECRET-XXE\n", f) < 0 || fclose(f) != 0)
        return -1;
    xml =
        xml_printf(XML_DECL "<!DOCTYPE w:%s [<!ENTITY xxe SYSTEM \"file://%s\">]>"
                            "<w:%s " NS_DECL "><w:body>" P("Before &xxe; after") "</w:body></w:%s>",
                   in_header ? "hdr" : "document", secret, in_header ? "hdr" : "document",
                   in_header ? "hdr" : "document");
    if (!xml)
        return -1;
    memset(&s, 0, sizeof(s));
    memset(extra, 0, sizeof(extra));
    extra[0].name = "word/header1.xml";
    extra[0].data = xml;
    if (in_header) {
        s.body = P("Body survives");
        s.header = P("placeholder");
        s.extra = extra;
    } else {
        s.raw_main = xml;
    }
    rc = dc_gen_docx(path, &s);
    free(xml);
    return rc;
}

#define LAUGH(a, b) "<!ENTITY " a " \"&" b ";&" b ";&" b ";&" b ";&" b ";&" b ";&" b ";&" b ";\">"

static int gen_laughs(const char *path)
{
    static const char xml[] = XML_DECL "<!DOCTYPE w:document [<!ENTITY l0 \"ha\">" LAUGH("l1", "l0")
        LAUGH("l2", "l1") LAUGH("l3", "l2") LAUGH("l4", "l3") LAUGH("l5", "l4") LAUGH("l6", "l5")
            LAUGH("l7", "l6") LAUGH("l8", "l7") LAUGH("l9", "l8")
                LAUGH("l10", "l9") "]><w:document " NS_DECL
                                   "><w:body>" P("&l10;") "</w:body></w:document>";
    dc_docx_spec s;

    memset(&s, 0, sizeof(s));
    s.raw_main = xml;
    return dc_gen_docx(path, &s);
}

/* 300 nested elements inside a paragraph. */
static int gen_deep(const char *path)
{
    dc_buf b = DC_BUF_INIT;
    dc_docx_spec s;
    int i, rc = -1;

    dc_buf_init(&b, 1 << 20);
    for (i = 0; i < 300; i++)
        if (dc_buf_puts(&b, "<w:sdt><w:sdtContent>") < 0)
            goto done;
    for (i = 0; i < 300; i++)
        if (dc_buf_puts(&b, "</w:sdtContent></w:sdt>") < 0)
            goto done;
    memset(&s, 0, sizeof(s));
    s.body = b.ptr;
    rc = dc_gen_docx(path, &s);
done:
    dc_buf_dispose(&b);
    return rc;
}

/* Rewrite the file keeping only its first half (no central directory). */
static int truncate_half(const char *path)
{
    char *data = NULL;
    size_t len = 0;
    FILE *f;
    int rc = -1;

    if (dc_read_file(&data, &len, path, (size_t)1 << 26) < 0)
        return -1;
    f = fopen(path, "wb");
    if (f && fwrite(data, 1, len / 2, f) == len / 2)
        rc = 0;
    if (f && fclose(f) != 0)
        rc = -1;
    free(data);
    return rc;
}

/* Stored (uncompressed) main part with one byte changed: CRC mismatch. */
static int gen_crc(const char *path)
{
    char *data = NULL, *hit;
    size_t len = 0;
    FILE *f;
    int rc = -1;
    static const char xml[] =
        XML_DECL "<w:document " NS_DECL "><w:body>" P("Checksum me") "</w:body></w:document>";
    static const dc_gen_entry extra[] = {{"word/document.xml", xml, 0, 1, NULL},
                                         {NULL, NULL, 0, 0, NULL}};
    dc_docx_spec s;

    memset(&s, 0, sizeof(s));
    s.raw_main = "<placeholder/>";
    s.extra = extra;
    if (dc_gen_docx(path, &s) < 0 || dc_read_file(&data, &len, path, (size_t)1 << 26) < 0)
        return -1;
    for (hit = data; hit + 11 <= data + len && memcmp(hit, "Checksum me", 11) != 0; hit++)
        ;
    if (hit + 11 > data + len)
        hit = NULL;
    else
        hit[0] = 'X';
    f = fopen(path, "wb");
    if (hit && f && fwrite(data, 1, len, f) == len)
        rc = 0;
    if (f && fclose(f) != 0)
        rc = -1;
    free(data);
    return rc;
}

static int gen_encrypted(const char *path)
{
    static const dc_gen_entry extra[] = {{"word/document.xml",
                                          XML_DECL "<w:document " NS_DECL
                                                   "><w:body>" P("Locked") "</w:body></w:document>",
                                          0, 0, "secret"},
                                         {NULL, NULL, 0, 0, NULL}};
    dc_docx_spec s;

    memset(&s, 0, sizeof(s));
    s.raw_main = "<placeholder/>";
    s.extra = extra;
    return dc_gen_docx(path, &s);
}

/* A non-Word OOXML skeleton: main part with content type ct. */
static int gen_office(const char *path, const char *main, const char *ct)
{
    char *types = xml_printf(
        XML_DECL "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                 "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                 "<Override PartName=\"/%s\" ContentType=\"%s\"/></Types>",
        main, ct);
    char *rels = xml_printf(
        XML_DECL "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                 "relationships\"><Relationship Id=\"rId1\" Type=\"" REL_NS "officeDocument\" "
                 "Target=\"%s\"/></Relationships>",
        main);
    dc_gen_entry e[3];
    int rc = -1;

    memset(e, 0, sizeof(e));
    e[0].name = "[Content_Types].xml";
    e[0].data = types;
    e[1].name = "_rels/.rels";
    e[1].data = rels;
    e[2].name = main;
    e[2].data = XML_DECL "<root/>";
    if (types && rels)
        rc = dc_gen_zip(path, e, 3);
    free(types);
    free(rels);
    return rc;
}

static int gen_odf(const char *path)
{
    dc_gen_entry e[2];

    memset(e, 0, sizeof(e));
    e[0].name = "mimetype";
    e[0].data = "application/vnd.oasis.opendocument.text";
    e[0].store = 1;
    e[1].name = "content.xml";
    e[1].data = XML_DECL "<office:document-content "
                         "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\"/>";
    return dc_gen_zip(path, e, 2);
}

static int gen_plain_zip(const char *path)
{
    dc_gen_entry e[1];

    memset(e, 0, sizeof(e));
    e[0].name = "readme.txt";
    e[0].data = "just a zip\n";
    return dc_gen_zip(path, e, 1);
}

static int gen_kind(const char *path, const char *kind)
{
    dc_docx_spec s;

    memset(&s, 0, sizeof(s));
    s.body = P("Variant body");
    s.kind = kind;
    return dc_gen_docx(path, &s);
}

static int gen_special(const char *path, const char *name)
{
    if (strcmp(name, "parts") == 0)
        return gen_parts(path);
    if (strcmp(name, "elsewhere") == 0)
        return gen_elsewhere(path);
    if (strcmp(name, "bomb") == 0)
        return gen_bomb(path);
    if (strcmp(name, "xxe") == 0 || strcmp(name, "xxe-header") == 0)
        return gen_xxe(path, name[3] == '-');
    if (strcmp(name, "laughs") == 0)
        return gen_laughs(path);
    if (strcmp(name, "deep") == 0)
        return gen_deep(path);
    if (strcmp(name, "corrupt") == 0)
        return gen_parts(path) < 0 ? -1 : truncate_half(path);
    if (strcmp(name, "crc") == 0)
        return gen_crc(path);
    if (strcmp(name, "encrypted") == 0)
        return gen_encrypted(path);
    if (strcmp(name, "xlsx") == 0)
        return gen_office(path, "xl/workbook.xml",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet."
                          "main+xml");
    if (strcmp(name, "pptx") == 0)
        return gen_office(path, "ppt/presentation.xml",
                          "application/vnd.openxmlformats-officedocument.presentationml."
                          "presentation.main+xml");
    if (strcmp(name, "odf") == 0)
        return gen_odf(path);
    if (strcmp(name, "zip") == 0)
        return gen_plain_zip(path);
    if (strcmp(name, "docm") == 0 || strcmp(name, "dotx") == 0)
        return gen_kind(path, name);
    (void)fprintf(stderr, "docx_gen: unknown case %s\n", name);
    return -1;
}

/* Write test case @p name into @p path. 0 or -1 (message on stderr). */
int dc_gen_docx_case(const char *path, const char *name)
{
    size_t i;
    dc_docx_spec s;

    for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
        if (strcmp(bodies[i].name, name) != 0)
            continue;
        memset(&s, 0, sizeof(s));
        s.body = bodies[i].body;
        s.declared_pages = strcmp(name, "pages") == 0 ? 3 : 0;
        return dc_gen_docx(path, &s);
    }
    return gen_special(path, name);
}
