/*
 * OOXML package stage (libzip + libxml2): opens a ZIP held in memory, reads
 * parts with hard caps counted while inflating (zip bombs), resolves the
 * main part through /_rels/.rels and its content type through
 * [Content_Types].xml, and names what kind of package it is.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <zip.h>

#include "ooxml.h"

struct dc_ooxml {
    zip_t *za;
    dc_zip_limits lim;
    uint64_t total; /* uncompressed bytes handed out so far */
};

struct dc_xml {
    xmlTextReaderPtr r;
    const char *part;
    int max_depth;
    char err[200]; /* first libxml2 error, "line N: message" */
};

/* ---------------------------------------------------------------- XML */

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;
static int xml_ready;

static void xml_init_once(void)
{
    xmlInitParser();
    xml_ready = 1;
}

void dc_xml_init(void)
{
    (void)pthread_once(&xml_once, xml_init_once);
}

void dc_xml_cleanup(void)
{
    if (xml_ready)
        xmlCleanupParser();
}

/* Keep libxml2 quiet: remember the first error for the message. */
/* libxml2 2.12 made the error handler's argument const */
#if LIBXML_VERSION >= 21200
typedef const xmlError *dc_xml_error_arg;
#else
typedef xmlErrorPtr dc_xml_error_arg;
#endif

static void xml_error(void *arg, dc_xml_error_arg e)
{
    dc_xml *x = arg;
    size_t n;

    if (x->err[0] || !e || !e->message)
        return;
    (void)snprintf(x->err, sizeof(x->err), "line %d: %s", e->line, e->message);
    n = strlen(x->err);
    while (n && (x->err[n - 1] == '\n' || x->err[n - 1] == ' '))
        x->err[--n] = '\0';
}

/* 1 when a DOCTYPE appears in the prolog (before the first element). Scans
 * past the XML declaration, comments and processing instructions only. */
static int has_doctype(const char *s, size_t len)
{
    size_t i = 0;

    while (i < len) {
        const char *lt = memchr(s + i, '<', len - i);
        size_t rest;

        if (!lt)
            return 0;
        i = (size_t)(lt - s);
        rest = len - i;
        if (rest >= 9 && memcmp(lt, "<!DOCTYPE", 9) == 0)
            return 1;
        if (rest >= 2 && (lt[1] == '?' || (rest >= 4 && memcmp(lt, "<!--", 4) == 0))) {
            i++;
            continue;
        }
        return 0;
    }
    return 0;
}

int dc_xml_open(dc_xml **out, const char *data, size_t len, const char *part, int max_depth)
{
    dc_xml *x;

    *out = NULL;
    dc_xml_init();
    if (has_doctype(data, len))
        return dc_error_set(DC_ECORRUPT, "part %s declares a DTD, which OOXML does not allow",
                            part);
    if (len > INT32_MAX)
        return dc_error_set(DC_ELIMIT, "part %s is larger than 2 GB", part);
    x = calloc(1, sizeof(*x));
    if (!x)
        return dc_error_oom();
    x->part = part;
    x->max_depth = max_depth;
    /* No XML_PARSE_NOENT (no entity substitution), no XML_PARSE_DTDLOAD,
     * no network; the DOCTYPE check above and in dc_xml_next() refuses
     * any DTD before an entity could be declared or used. */
    x->r = xmlReaderForMemory(data, (int)len, NULL, NULL,
                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                  XML_PARSE_COMPACT);
    if (!x->r) {
        free(x);
        return dc_error_oom();
    }
    xmlTextReaderSetStructuredErrorHandler(x->r, xml_error, x);
    *out = x;
    return DC_OK;
}

xmlTextReaderPtr dc_xml_reader(dc_xml *x)
{
    return x->r;
}

static int xml_check(dc_xml *x, int ret)
{
    if (ret < 0)
        return dc_error_set(DC_ECORRUPT, "part %s is not well-formed XML (%s)", x->part,
                            x->err[0] ? x->err : "parse error");
    if (ret == 0)
        return 0;
    if (xmlTextReaderNodeType(x->r) == XML_READER_TYPE_DOCUMENT_TYPE)
        return dc_error_set(DC_ECORRUPT, "part %s declares a DTD, which OOXML does not allow",
                            x->part);
    if (xmlTextReaderDepth(x->r) > x->max_depth)
        return dc_error_set(DC_ELIMIT, "part %s nests XML deeper than the limit of %d levels",
                            x->part, x->max_depth);
    return 1;
}

int dc_xml_next(dc_xml *x)
{
    return xml_check(x, xmlTextReaderRead(x->r));
}

int dc_xml_skip(dc_xml *x)
{
    return xml_check(x, xmlTextReaderNext(x->r));
}

void dc_xml_free(dc_xml *x)
{
    if (!x)
        return;
    xmlFreeTextReader(x->r);
    free(x);
}

/* ---------------------------------------------------------------- archive */

static int zip_fail(int code, zip_error_t *ze, const char *what)
{
    int err = dc_error_set(code, "%s: %s", what, zip_error_strerror(ze));
    zip_error_fini(ze);
    return err;
}

/* DC_EPASSWORD when any entry is encrypted (Office's own encryption is an
 * OLE file, not a ZIP: this is ZIP-level encryption). */
static int check_entries(zip_t *za, const dc_zip_limits *lim)
{
    zip_int64_t n = zip_get_num_entries(za, 0);
    zip_int64_t i;

    if (n < 0)
        return dc_error_set(DC_ECORRUPT, "ZIP archive has no readable central directory");
    if ((uint64_t)n > lim->max_entries)
        return dc_error_set(DC_ELIMIT, "ZIP archive has %lld entries, over the limit of %zu",
                            (long long)n, lim->max_entries);
    for (i = 0; i < n; i++) {
        zip_stat_t st;

        if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) < 0)
            return dc_error_set(DC_ECORRUPT, "ZIP entry %lld is unreadable: %s", (long long)i,
                                zip_strerror(za));
        if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
            return dc_error_set(DC_EPASSWORD, "ZIP archive is encrypted (entry %s)",
                                st.name ? st.name : "?");
    }
    return DC_OK;
}

int dc_ooxml_open(dc_ooxml **out, const void *data, size_t len, const dc_zip_limits *limits)
{
    static const dc_zip_limits defaults = DC_ZIP_LIMITS_INIT;
    zip_error_t ze;
    zip_source_t *src = NULL;
    dc_ooxml *pkg = NULL;
    int err;

    *out = NULL;
    zip_error_init(&ze);
    pkg = calloc(1, sizeof(*pkg));
    if (!pkg) {
        err = dc_error_oom();
        goto done;
    }
    pkg->lim = limits ? *limits : defaults;
    src = zip_source_buffer_create(data, len, 0, &ze);
    if (!src) {
        err = zip_fail(DC_ENOMEM, &ze, "ZIP source");
        goto done;
    }
    pkg->za = zip_open_from_source(src, ZIP_RDONLY, &ze);
    if (!pkg->za) {
        zip_source_free(src);
        err = zip_fail(DC_ECORRUPT, &ze, "damaged ZIP archive");
        goto done;
    }
    err = check_entries(pkg->za, &pkg->lim);
    if (err < 0)
        goto done;
    *out = pkg;
    pkg = NULL;
done:
    zip_error_fini(&ze);
    dc_ooxml_free(pkg);
    return err;
}

void dc_ooxml_free(dc_ooxml *pkg)
{
    if (!pkg)
        return;
    if (pkg->za)
        zip_discard(pkg->za);
    free(pkg);
}

/* Part name "/word/x.xml" -> index of the ZIP entry "word/x.xml" (OPC part
 * names compare case-insensitively). -1 when absent. */
static zip_int64_t locate(dc_ooxml *pkg, const char *part)
{
    zip_int64_t i;

    if (part[0] == '/')
        part++;
    i = zip_name_locate(pkg->za, part, 0);
    if (i < 0)
        i = zip_name_locate(pkg->za, part, ZIP_FL_NOCASE);
    return i;
}

int dc_ooxml_has(dc_ooxml *pkg, const char *part)
{
    return locate(pkg, part) >= 0;
}

/* Check the caps after n more inflated bytes of an entry. */
static int check_caps(dc_ooxml *pkg, const char *part, uint64_t got, uint64_t comp)
{
    const dc_zip_limits *l = &pkg->lim;

    if (got > l->max_entry_size)
        return dc_error_set(DC_ELIMIT,
                            "part %s inflates past the per-part limit of %llu bytes "
                            "(zip bomb?)",
                            part, (unsigned long long)l->max_entry_size);
    if (pkg->total + got > l->max_total)
        return dc_error_set(DC_ELIMIT,
                            "archive inflates past the total limit of %llu bytes (zip bomb?)",
                            (unsigned long long)l->max_total);
    if (got > l->ratio_floor && (double)got > l->max_ratio * (double)(comp ? comp : 1))
        return dc_error_set(DC_ELIMIT,
                            "part %s inflates more than %.0f times its compressed size "
                            "(zip bomb?)",
                            part, l->max_ratio);
    return DC_OK;
}

static int read_entry(dc_ooxml *pkg, zip_int64_t idx, const char *part, dc_buf *b)
{
    zip_file_t *zf = NULL;
    zip_stat_t st;
    char chunk[16384];
    uint64_t comp = 0;
    int err = DC_OK;

    if (zip_stat_index(pkg->za, (zip_uint64_t)idx, 0, &st) == 0 && (st.valid & ZIP_STAT_COMP_SIZE))
        comp = st.comp_size;
    zf = zip_fopen_index(pkg->za, (zip_uint64_t)idx, 0);
    if (!zf) {
        err =
            dc_error_set(DC_ECORRUPT, "part %s cannot be opened: %s", part, zip_strerror(pkg->za));
        goto done;
    }
    for (;;) {
        zip_int64_t n = zip_fread(zf, chunk, sizeof(chunk));

        if (n < 0) {
            err = dc_error_set(DC_ECORRUPT, "part %s is damaged: %s", part, zip_file_strerror(zf));
            goto done;
        }
        if (n == 0)
            break;
        err = check_caps(pkg, part, b->len + (uint64_t)n, comp);
        if (err < 0)
            goto done;
        err = dc_buf_put(b, chunk, (size_t)n);
        if (err < 0)
            goto done;
    }
    pkg->total += b->len;
done:
    if (zf)
        zip_fclose(zf);
    return err;
}

int dc_ooxml_read(dc_ooxml *pkg, const char *part, char **out, size_t *len_out)
{
    dc_buf b = DC_BUF_INIT;
    zip_int64_t idx = locate(pkg, part);
    int err;

    *out = NULL;
    if (idx < 0)
        return dc_error_set(DC_ENOTFOUND, "part %s is missing from the package", part);
    dc_buf_init(&b, (size_t)pkg->lim.max_entry_size + 1);
    err = read_entry(pkg, idx, part, &b);
    if (err < 0)
        goto done;
    *out = dc_buf_detach(&b, len_out);
    if (!*out)
        err = dc_error_oom();
done:
    dc_buf_dispose(&b);
    return err;
}

/* ---------------------------------------------------------------- package XML */

static const char *attr(xmlTextReaderPtr r, const char *name, char **hold)
{
    xmlFree(*hold);
    *hold = (char *)xmlTextReaderGetAttribute(r, (const xmlChar *)name);
    return *hold;
}

/* Resolve a relationship target against the source part's folder. */
static char *resolve(const char *source, const char *target)
{
    dc_buf b = DC_BUF_INIT;
    const char *slash = strrchr(source, '/');
    const char *seg = target;
    int err = DC_OK;

    dc_buf_init(&b, 4096);
    if (target[0] != '/' && slash)
        err = dc_buf_put(&b, source, (size_t)(slash - source));
    while (err >= 0 && *seg) {
        const char *end = strchr(seg, '/');
        size_t n = end ? (size_t)(end - seg) : strlen(seg);

        if (n == 2 && memcmp(seg, "..", 2) == 0) {
            while (b.len && b.ptr[b.len - 1] != '/')
                b.len--;
            if (b.len)
                b.len--;
        } else if (n && !(n == 1 && seg[0] == '.')) {
            err = dc_buf_putc(&b, '/');
            if (err >= 0)
                err = dc_buf_put(&b, seg, n);
        }
        seg += n + (end ? 1 : 0);
    }
    if (err < 0 || b.len == 0) {
        dc_buf_dispose(&b);
        return err < 0 ? NULL : dc_strdup("/");
    }
    b.ptr[b.len] = '\0';
    return dc_buf_detach(&b, NULL);
}

/* "/word/document.xml" -> "/word/_rels/document.xml.rels". */
static char *rels_name(const char *part)
{
    const char *slash = strrchr(part, '/');
    size_t dir = slash ? (size_t)(slash - part) : 0;
    const char *base = slash ? slash + 1 : part;
    dc_buf b = DC_BUF_INIT;

    dc_buf_init(&b, 4096);
    if (dc_buf_put(&b, part, dir) < 0 || dc_buf_printf(&b, "/_rels/%s.rels", base) < 0) {
        dc_buf_dispose(&b);
        return NULL;
    }
    return dc_buf_detach(&b, NULL);
}

static int rel_add(dc_ooxml_rel **v, size_t *n, const char *type, const char *id, char *target)
{
    const char *last = strrchr(type, '/');
    dc_ooxml_rel *p;

    if (*n % 16 == 0) {
        p = realloc(*v, (*n + 16) * sizeof(**v));
        if (!p) {
            free(target);
            return dc_error_oom();
        }
        *v = p;
    }
    p = &(*v)[*n];
    p->type = dc_strdup(last ? last + 1 : type);
    p->id = dc_strdup(id ? id : "");
    p->target = target;
    (*n)++;
    if (!p->type || !p->id)
        return dc_error_oom();
    return DC_OK;
}

static int rel_element(xmlTextReaderPtr r, const char *part, dc_ooxml_rel **v, size_t *n)
{
    char *type = NULL, *id = NULL, *target = NULL, *mode = NULL;
    char *abs = NULL;
    int err = DC_OK;

    if (!attr(r, "Type", &type) || !attr(r, "Target", &target))
        goto done;
    attr(r, "Id", &id);
    attr(r, "TargetMode", &mode);
    if (!mode || strcmp(mode, "External") != 0) {
        abs = resolve(part, target);
        if (!abs) {
            err = dc_error_oom();
            goto done;
        }
    }
    err = rel_add(v, n, type, id, abs);
done:
    xmlFree(type);
    xmlFree(id);
    xmlFree(target);
    xmlFree(mode);
    return err;
}

static int is_element(xmlTextReaderPtr r, const char *local)
{
    return xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT &&
           strcmp((const char *)xmlTextReaderConstLocalName(r), local) == 0;
}

int dc_ooxml_rels(dc_ooxml *pkg, const char *part, dc_ooxml_rel **out, size_t *n_out)
{
    char *name = rels_name(part);
    char *data = NULL;
    size_t len = 0;
    dc_xml *x = NULL;
    dc_ooxml_rel *v = NULL;
    size_t n = 0;
    int err;

    *out = NULL;
    *n_out = 0;
    if (!name)
        return dc_error_oom();
    err = dc_ooxml_read(pkg, name, &data, &len);
    if (err == DC_ENOTFOUND) {
        err = DC_OK;
        goto done;
    }
    if (err < 0)
        goto done;
    err = dc_xml_open(&x, data, len, name, pkg->lim.max_xml_depth);
    while (err >= 0 && (err = dc_xml_next(x)) == 1)
        if (is_element(x->r, "Relationship"))
            err = rel_element(x->r, part[0] == '/' ? part : "/", &v, &n);
    if (err < 0)
        goto done;
    *out = v;
    *n_out = n;
    v = NULL;
    n = 0;
done:
    dc_ooxml_rels_free(v, n);
    dc_xml_free(x);
    free(data);
    free(name);
    return err;
}

void dc_ooxml_rels_free(dc_ooxml_rel *rels, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        free(rels[i].type);
        free(rels[i].id);
        free(rels[i].target);
    }
    free(rels);
}

int dc_ooxml_main_part(dc_ooxml *pkg, char **part_out, char **ctype_out)
{
    dc_ooxml_rel *rels = NULL;
    size_t n = 0, i;
    int err;

    *part_out = NULL;
    *ctype_out = NULL;
    err = dc_ooxml_rels(pkg, "/", &rels, &n);
    if (err < 0)
        return err;
    for (i = 0; i < n && !*part_out; i++)
        if (strcmp(rels[i].type, "officeDocument") == 0 && rels[i].target) {
            *part_out = rels[i].target;
            rels[i].target = NULL;
        }
    dc_ooxml_rels_free(rels, n);
    if (!*part_out)
        return dc_error_set(DC_ENOTFOUND, "package has no officeDocument relationship");
    err = dc_ooxml_content_type(pkg, *part_out, ctype_out);
    if (err < 0) {
        free(*part_out);
        *part_out = NULL;
    }
    return err;
}

/* Match one <Default> or <Override> element against the part. */
static int
ctype_element(xmlTextReaderPtr r, const char *part, const char *ext, char **ovr, char **def)
{
    char *key = NULL, *ct = NULL;
    int is_override = is_element(r, "Override");
    int err = DC_OK;

    if (!is_override && !is_element(r, "Default"))
        return DC_OK;
    if (!attr(r, is_override ? "PartName" : "Extension", &key) || !attr(r, "ContentType", &ct))
        goto done;
    if (is_override ? strcasecmp(key, part) == 0 : (ext && strcasecmp(key, ext) == 0)) {
        char **slot = is_override ? ovr : def;
        free(*slot);
        *slot = dc_strdup(ct);
        if (!*slot)
            err = dc_error_oom();
    }
done:
    xmlFree(key);
    xmlFree(ct);
    return err;
}

int dc_ooxml_content_type(dc_ooxml *pkg, const char *part, char **out)
{
    const char *name = "/[Content_Types].xml";
    const char *dot = strrchr(part, '.');
    const char *ext = dot && !strchr(dot, '/') ? dot + 1 : NULL;
    char *data = NULL, *ovr = NULL, *def = NULL;
    size_t len = 0;
    dc_xml *x = NULL;
    int err;

    *out = NULL;
    err = dc_ooxml_read(pkg, name, &data, &len);
    if (err == DC_ENOTFOUND)
        return DC_OK;
    if (err < 0)
        return err;
    err = dc_xml_open(&x, data, len, name, pkg->lim.max_xml_depth);
    while (err >= 0 && (err = dc_xml_next(x)) == 1)
        err = ctype_element(x->r, part, ext, &ovr, &def);
    if (err >= 0) {
        *out = ovr ? ovr : def;
        if (ovr)
            free(def);
        ovr = def = NULL;
        err = DC_OK;
    }
    free(ovr);
    free(def);
    dc_xml_free(x);
    free(data);
    return err;
}

/* ---------------------------------------------------------------- probe */

typedef struct {
    const char *ctype; /* main part content type */
    const char *kind;
    int word; /* 1: read as DOCX */
    const char *reason;
} kind_row;

#define CT_OOXML "application/vnd.openxmlformats-officedocument."
#define CT_MS    "application/vnd.ms-"

static const kind_row kinds[] = {
    {CT_OOXML "wordprocessingml.document.main+xml", "docx", 1, NULL},
    {CT_MS "word.document.macroEnabled.main+xml", "docm", 1,
     "macro-enabled Word document (.docm), read as DOCX; macros are ignored"},
    {CT_OOXML "wordprocessingml.template.main+xml", "dotx", 1,
     "Word template (.dotx), read as DOCX"},
    {CT_MS "word.template.macroEnabledTemplate.main+xml", "dotm", 1,
     "macro-enabled Word template (.dotm), read as DOCX; macros are ignored"},
    {CT_OOXML "spreadsheetml.sheet.main+xml", "xlsx", 0,
     "Excel workbook (.xlsx) is not a supported document type"},
    {CT_MS "excel.sheet.macroEnabled.main+xml", "xlsm", 0,
     "macro-enabled Excel workbook (.xlsm) is not a supported document type"},
    {CT_OOXML "spreadsheetml.template.main+xml", "xltx", 0,
     "Excel template (.xltx) is not a supported document type"},
    {CT_MS "excel.template.macroEnabled.main+xml", "xltm", 0,
     "Excel template (.xltm) is not a supported document type"},
    {CT_OOXML "presentationml.presentation.main+xml", "pptx", 0,
     "PowerPoint presentation (.pptx) is not a supported document type"},
    {CT_MS "powerpoint.presentation.macroEnabled.main+xml", "pptm", 0,
     "macro-enabled PowerPoint presentation (.pptm) is not a supported document type"},
    {CT_OOXML "presentationml.slideshow.main+xml", "ppsx", 0,
     "PowerPoint slide show (.ppsx) is not a supported document type"},
    {CT_OOXML "presentationml.template.main+xml", "potx", 0,
     "PowerPoint template (.potx) is not a supported document type"},
};

static void
set_kind(dc_format *format, const char **kind, const char **reason, const char *k, const char *r)
{
    *format = DC_FORMAT_UNSUPPORTED;
    *kind = k;
    *reason = r;
}

/* OpenDocument: a "mimetype" entry holding application/vnd.oasis.opendocument.*. */
static int is_odf(dc_ooxml *pkg)
{
    static const char odf[] = "application/vnd.oasis.opendocument.";
    zip_int64_t idx = zip_name_locate(pkg->za, "mimetype", 0);
    zip_file_t *zf;
    char head[sizeof(odf)];
    zip_int64_t n;

    if (idx < 0)
        return 0;
    zf = zip_fopen_index(pkg->za, (zip_uint64_t)idx, 0);
    if (!zf)
        return 0;
    n = zip_fread(zf, head, sizeof(odf) - 1);
    zip_fclose(zf);
    return n == (zip_int64_t)sizeof(odf) - 1 && memcmp(head, odf, sizeof(odf) - 1) == 0;
}

/* Classify an opened package by its main part's content type. */
static int classify(dc_ooxml *pkg, dc_format *format, const char **kind, const char **reason)
{
    char *part = NULL, *ct = NULL;
    size_t i;
    int err = dc_ooxml_main_part(pkg, &part, &ct);

    if (err == DC_ENOMEM)
        return err;
    if (err == DC_ENOTFOUND) {
        if (is_odf(pkg))
            set_kind(format, kind, reason, "odf",
                     "OpenDocument file is not a supported document type");
        else
            set_kind(format, kind, reason, "zip",
                     "ZIP archive that is not a Word document is not a supported document type");
        return DC_OK;
    }
    if (err < 0 || !dc_ooxml_has(pkg, part)) {
        set_kind(format, kind, reason, "zip-corrupt",
                 err < 0 ? "damaged Office package (unreadable package parts)"
                         : "damaged Office package (its main part is missing)");
        goto done;
    }
    set_kind(format, kind, reason, "ooxml",
             "Office Open XML package that is not a Word document is not a supported "
             "document type");
    for (i = 0; ct && i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(ct, kinds[i].ctype) == 0) {
            *format = kinds[i].word ? DC_FORMAT_DOCX : DC_FORMAT_UNSUPPORTED;
            *kind = kinds[i].kind;
            *reason = kinds[i].reason;
        }
done:
    free(part);
    free(ct);
    return DC_OK;
}

int dc_ooxml_probe(
    const void *data, size_t len, dc_format *format, const char **kind, const char **reason)
{
    dc_zip_limits lim = DC_ZIP_LIMITS_INIT;
    dc_ooxml *pkg = NULL;
    int err;

    /* The entry cap is the extractor's business: classify regardless. */
    lim.max_entries = SIZE_MAX;
    err = dc_ooxml_open(&pkg, data, len, &lim);

    if (err == DC_ENOMEM)
        return err;
    if (err == DC_EPASSWORD) {
        set_kind(format, kind, reason, "zip-encrypted",
                 "encrypted ZIP archive is not a supported document type");
        return DC_OK;
    }
    if (err == DC_ECORRUPT) {
        set_kind(format, kind, reason, "zip-corrupt",
                 "damaged ZIP archive is not a supported document type");
        return DC_OK;
    }
    if (err < 0) {
        set_kind(format, kind, reason, "zip-corrupt",
                 "damaged ZIP archive is not a supported document type");
        return DC_OK;
    }
    err = classify(pkg, format, kind, reason);
    dc_ooxml_free(pkg);
    dc_error_clear();
    return err;
}
