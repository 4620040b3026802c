/*
 * Format detection from content bytes, never from file names. Pure: works on
 * a buffer, no I/O. ZIP containers are told apart by dc_ooxml_probe()
 * (ooxml.c), Textract JSON by dc_textract_probe() (textract.c); OLE compound
 * files are read here, with every read bounds-checked.
 *
 * The rules run in this order; the first that matches wins (docs/detection.md):
 *  1. empty buffer;
 *  2. a signature at offset 0 (PDF, PNG, JPEG, TIFF, BigTIFF, ZIP, OLE, GIF,
 *     BMP, WebP, JPEG 2000, UTF-32 and UTF-16 byte order marks); a file that
 *     ends inside the header that follows a signature is "truncated";
 *  3. "%PDF-" anywhere within the first 1024 bytes;
 *  4. text families, looked at after an optional UTF-8 BOM and whitespace:
 *     "{\rtf" (RTF), '{' (Textract JSON, other JSON), '<' with an HTML tag;
 *  5. valid UTF-8 without NUL bytes: text (a lone BOM is "empty");
 *  6. a buffer that is a proper prefix of a binary signature: "truncated";
 *  7. anything else: "binary".
 */
#include <string.h>

#include "doc.h"
#include "ooxml.h"

/* ---------------------------------------------------------------- reasons */

#define ACCEPTS \
    "ClassifyDocument accepts PDF, Word (docx), PNG, JPEG, TIFF, UTF-8 text and Textract JSON"

#define R_EMPTY     "The document is empty"
#define R_EMPTY_BOM "The document holds only a UTF-8 byte order mark and no text"
#define R_ZIP_BAD   "ZIP archive that could not be read: " ACCEPTS
#define R_ZIP       "ZIP archives that are not Word documents are not supported: " ACCEPTS
#define R_OLE       "Legacy OLE compound files are not supported: " ACCEPTS
#define R_DOC       "Word 97-2003 documents (doc) are not supported: " ACCEPTS
#define R_XLS       "Excel 97-2003 workbooks (xls) are not supported: " ACCEPTS
#define R_PPT       "PowerPoint 97-2003 presentations (ppt) are not supported: " ACCEPTS
#define R_OOXML_ENC                                                                        \
    "Password-protected Office documents (encrypted OOXML) are not supported: remove the " \
    "password; " ACCEPTS
#define R_GIF     "GIF images are not supported: " ACCEPTS
#define R_BMP     "BMP images are not supported: " ACCEPTS
#define R_WEBP    "WebP images are not supported: " ACCEPTS
#define R_JP2     "JPEG 2000 images are not supported: " ACCEPTS
#define R_UTF16   "UTF-16 text is not UTF-8: ClassifyDocument reads text documents as UTF-8 only"
#define R_UTF32   "UTF-32 text is not UTF-8: ClassifyDocument reads text documents as UTF-8 only"
#define R_RTF     "Rich Text Format (RTF) documents are not supported: " ACCEPTS
#define R_HTML    "HTML documents are not supported: " ACCEPTS
#define R_JSON    "JSON that is not Textract output (an object with a Blocks array) is not supported"
#define R_NUL     "Binary data (NUL bytes) in none of the supported formats: " ACCEPTS
#define R_BINARY  "Neither a supported format nor valid UTF-8 text: " ACCEPTS
#define R_T_PNG   "The file ends inside the PNG signature: it is truncated"
#define R_T_JPEG  "The file ends inside the JPEG signature: it is truncated"
#define R_T_TIFF  "The file ends inside the TIFF header: it is truncated"
#define R_T_BTIFF "The file ends inside the BigTIFF header: it is truncated"
#define R_T_OLE   "The file ends inside the OLE compound file signature: it is truncated"

#define PDF_WINDOW  1024 /* Acrobat: the header may start anywhere in the first 1 KB */
#define HTML_WINDOW 1024 /* an HTML tag must show up this early */

static void set(dc_detection *out, dc_format format, const char *kind, const char *reason)
{
    out->format = format;
    out->kind = kind;
    out->reason = reason;
    out->textract = DC_TEXTRACT_NONE;
}

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t rd16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

/* ---------------------------------------------------------------- OLE */

/* A compound file (MS-CFB): a 512-byte header, then sectors of 1 << shift
 * bytes; sector s starts at (s + 1) << shift. The FAT chains sectors; the
 * locations of the FAT's own sectors are in the header (first 109) and then
 * in a chain of DIFAT sectors. Hostile files may point anywhere or loop, so
 * every read is checked against len and every walk has a step cap. */
typedef struct {
    const unsigned char *p;
    size_t len;
    unsigned shift;
    uint32_t difat0; /* first DIFAT sector */
    uint32_t ndifat; /* DIFAT sectors declared */
} cfb;

#define CFB_MAXREGSECT    0xFFFFFFF9u /* larger values are markers (free, end of chain...) */
#define CFB_MAX_DIFAT     64          /* DIFAT sectors followed: ample for 256 MB */
#define CFB_MAX_DIR_SECTS 4096        /* directory sectors read (16k+ entries) */

enum { F_ENC = 1, F_DOC = 2, F_XLS = 4, F_PPT = 8 };

/* Offset of sector s when it starts inside the buffer. */
static int sector_off(const cfb *c, uint32_t s, size_t *off)
{
    uint64_t o;

    if (s > CFB_MAXREGSECT)
        return 0;
    o = ((uint64_t)s + 1) << c->shift;
    if (o >= c->len)
        return 0;
    *off = (size_t)o;
    return 1;
}

/* Location of the k-th FAT sector, from the header or the DIFAT chain. */
static int fat_sector(const cfb *c, uint32_t k, uint32_t *loc)
{
    uint32_t per = ((uint32_t)1 << c->shift) / 4 - 1; /* last slot: next DIFAT sector */
    uint32_t s = c->difat0;
    uint32_t step;
    size_t off;

    if (k < 109) {
        *loc = rd32(c->p + 0x4C + 4 * (size_t)k);
        return 1;
    }
    k -= 109;
    for (step = 0; step < c->ndifat && step < CFB_MAX_DIFAT; step++) {
        if (!sector_off(c, s, &off) || c->len - off < ((size_t)1 << c->shift))
            return 0;
        if (k < per) {
            *loc = rd32(c->p + off + 4 * (size_t)k);
            return 1;
        }
        k -= per;
        s = rd32(c->p + off + 4 * (size_t)per);
    }
    return 0;
}

static int next_sector(const cfb *c, uint32_t s, uint32_t *next)
{
    uint32_t per = ((uint32_t)1 << c->shift) / 4;
    uint32_t loc;
    size_t off;

    if (!fat_sector(c, s / per, &loc) || !sector_off(c, loc, &off))
        return 0;
    off += 4 * (size_t)(s % per);
    if (c->len - off < 4)
        return 0;
    *next = rd32(c->p + off);
    return 1;
}

/* The flag for one 128-byte directory entry: its UTF-16LE name compared,
 * ignoring ASCII case as MS-CFB does, with the stream names that identify
 * the application (names kept lowercase here). Unused entries and non-ASCII names give 0. */
static int entry_flag(const unsigned char *e)
{
    static const struct {
        const char *name;
        int flag;
    } names[] = {
        {"encryptedpackage", F_ENC}, {"encryptioninfo", F_ENC}, {"worddocument", F_DOC},
        {"workbook", F_XLS},         {"book", F_XLS},           {"powerpoint document", F_PPT},
    };
    char name[32];
    unsigned nbytes = rd16(e + 0x40);
    unsigned type = e[0x42];
    size_t n;
    size_t i;

    if ((type != 1 && type != 2) || nbytes < 2 || nbytes > 64 || nbytes % 2)
        return 0;
    n = nbytes / 2 - 1;
    for (i = 0; i < n; i++) {
        uint16_t ch = rd16(e + 2 * i);
        if (ch == 0 || ch > 0x7F)
            return 0;
        name[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
    }
    name[n] = '\0';
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(name, names[i].name) == 0)
            return names[i].flag;
    }
    return 0;
}

/* Flags of every entry of the directory chain (bounded walk). */
static int directory_flags(const cfb *c, uint32_t first)
{
    size_t ssize = (size_t)1 << c->shift;
    uint32_t s = first;
    int flags = 0;
    unsigned n;

    for (n = 0; n < CFB_MAX_DIR_SECTS; n++) {
        size_t off;
        size_t e;
        if (!sector_off(c, s, &off))
            break;
        for (e = 0; e + 128 <= ssize && c->len - off >= e + 128; e += 128)
            flags |= entry_flag(c->p + off + e);
        if (!next_sector(c, s, &s))
            break;
    }
    return flags;
}

/* Name an OLE compound file by its directory: encrypted OOXML, doc, xls,
 * ppt, or plain "ole" when the header is not usable. */
static int detect_ole(dc_detection *out, const unsigned char *p, size_t len)
{
    cfb c;
    int flags = 0;

    c.p = p;
    c.len = len;
    c.shift = len >= 512 ? rd16(p + 0x1E) : 0;
    if (len >= 512 && rd16(p + 0x1C) == 0xFFFE && (c.shift == 9 || c.shift == 12)) {
        c.difat0 = rd32(p + 0x44);
        c.ndifat = rd32(p + 0x48);
        flags = directory_flags(&c, rd32(p + 0x30));
    }
    if (flags & F_ENC)
        set(out, DC_FORMAT_UNSUPPORTED, "ooxml-encrypted", R_OOXML_ENC);
    else if (flags & F_DOC)
        set(out, DC_FORMAT_UNSUPPORTED, "doc", R_DOC);
    else if (flags & F_XLS)
        set(out, DC_FORMAT_UNSUPPORTED, "xls", R_XLS);
    else if (flags & F_PPT)
        set(out, DC_FORMAT_UNSUPPORTED, "ppt", R_PPT);
    else
        set(out, DC_FORMAT_UNSUPPORTED, "ole", R_OLE);
    return 1;
}

/* ---------------------------------------------------------------- signatures */

/* A signature handler: 1 when it decided (out written), 0 to go on with the
 * next rule, < 0 on error. */
typedef int (*sig_check)(dc_detection *out, const unsigned char *p, size_t len);

typedef struct {
    const char *magic;
    size_t mlen;
    size_t need;           /* header bytes the format needs after all */
    dc_format format;      /* result when no check is given */
    const char *kind;      /* idem */
    const char *reason;    /* idem: NULL for accepted formats */
    const char *truncated; /* reason for a file ending inside the header; NULL: no such rule */
    sig_check check;
} signature;

static int detect_zip(dc_detection *out, const unsigned char *p, size_t len)
{
    dc_format format = DC_FORMAT_UNSUPPORTED;
    const char *kind = NULL;
    const char *reason = NULL;
    int err = dc_ooxml_probe(p, len, &format, &kind, &reason);

    if (err == DC_ENOMEM || err == DC_ERROR)
        return err;
    if (err < 0) {
        set(out, DC_FORMAT_UNSUPPORTED, "zip-corrupt", R_ZIP_BAD);
        return 1;
    }
    if (format == DC_FORMAT_DOCX)
        set(out, format, kind ? kind : "docx", NULL);
    else
        set(out, DC_FORMAT_UNSUPPORTED, kind ? kind : "zip", reason ? reason : R_ZIP);
    return 1;
}

/* "BM" alone is common in text: also require the reserved fields to be zero
 * and a known DIB header size. */
static int detect_bmp(dc_detection *out, const unsigned char *p, size_t len)
{
    uint32_t dib = rd32(p + 14);

    (void)len;
    if (rd32(p + 6) != 0)
        return 0;
    if (dib != 12 && dib != 16 && dib != 40 && dib != 52 && dib != 56 && dib != 64 && dib != 108 &&
        dib != 124)
        return 0;
    set(out, DC_FORMAT_UNSUPPORTED, "bmp", R_BMP);
    return 1;
}

static int detect_webp(dc_detection *out, const unsigned char *p, size_t len)
{
    (void)len;
    if (memcmp(p + 8, "WEBP", 4) != 0)
        return 0;
    set(out, DC_FORMAT_UNSUPPORTED, "webp", R_WEBP);
    return 1;
}

#define UNSUP DC_FORMAT_UNSUPPORTED
static const signature signatures[] = {
    {"%PDF-", 5, 5, DC_FORMAT_PDF, "pdf", NULL, NULL, NULL},
    {"\x89PNG\r\n\x1a\n", 8, 8, DC_FORMAT_PNG, "png", NULL, R_T_PNG, NULL},
    {"\xff\xd8\xff", 3, 3, DC_FORMAT_JPEG, "jpeg", NULL, R_T_JPEG, NULL},
    {"II*\0", 4, 8, DC_FORMAT_TIFF, "tiff", NULL, R_T_TIFF, NULL},
    {"MM\0*", 4, 8, DC_FORMAT_TIFF, "tiff", NULL, R_T_TIFF, NULL},
    {"II+\0", 4, 16, DC_FORMAT_TIFF, "tiff-bigtiff", NULL, R_T_BTIFF, NULL},
    {"MM\0+", 4, 16, DC_FORMAT_TIFF, "tiff-bigtiff", NULL, R_T_BTIFF, NULL},
    {"PK\3\4", 4, 4, UNSUP, "zip", R_ZIP, NULL, detect_zip},
    {"PK\5\6", 4, 4, UNSUP, "zip", R_ZIP, NULL, detect_zip},
    {"PK\7\x08", 4, 4, UNSUP, "zip", R_ZIP, NULL, detect_zip},
    {"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8, 8, UNSUP, "ole", R_OLE, R_T_OLE, detect_ole},
    {"GIF87a", 6, 6, UNSUP, "gif", R_GIF, NULL, NULL},
    {"GIF89a", 6, 6, UNSUP, "gif", R_GIF, NULL, NULL},
    {"BM", 2, 18, UNSUP, "bmp", R_BMP, NULL, detect_bmp},
    {"RIFF", 4, 12, UNSUP, "webp", R_WEBP, NULL, detect_webp},
    {"\0\0\0\x0cjP  \r\n\x87\n", 12, 12, UNSUP, "jp2", R_JP2, NULL, NULL},
    {"\xff\xfe\0\0", 4, 4, UNSUP, "text-utf32", R_UTF32, NULL, NULL},
    {"\0\0\xfe\xff", 4, 4, UNSUP, "text-utf32", R_UTF32, NULL, NULL},
    {"\xff\xfe", 2, 2, UNSUP, "text-utf16", R_UTF16, NULL, NULL},
    {"\xfe\xff", 2, 2, UNSUP, "text-utf16", R_UTF16, NULL, NULL},
};
#undef UNSUP

#define NSIGNATURES (sizeof(signatures) / sizeof(signatures[0]))

/* Rule 2: a signature at offset 0. A file holding a whole signature but
 * ending before the header it starts is "truncated" when the entry says so;
 * entries without a truncation reason (weak magic such as "BM") just do not
 * match then. */
static int detect_signature(dc_detection *out, const unsigned char *p, size_t len)
{
    size_t i;

    for (i = 0; i < NSIGNATURES; i++) {
        const signature *s = &signatures[i];
        int rc;
        if (len < s->mlen || memcmp(p, s->magic, s->mlen) != 0)
            continue;
        if (len < s->need) {
            if (!s->truncated)
                continue;
            set(out, DC_FORMAT_UNSUPPORTED, "truncated", s->truncated);
            return 1;
        }
        if (!s->check) {
            set(out, s->format, s->kind, s->reason);
            return 1;
        }
        rc = s->check(out, p, len);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* Rule 6: the whole buffer is a proper prefix of a signature that has a
 * truncation reason. */
static int detect_truncated(dc_detection *out, const unsigned char *p, size_t len)
{
    size_t i;

    for (i = 0; i < NSIGNATURES; i++) {
        const signature *s = &signatures[i];
        if (s->truncated && len < s->mlen && memcmp(p, s->magic, len) == 0) {
            set(out, DC_FORMAT_UNSUPPORTED, "truncated", s->truncated);
            return 1;
        }
    }
    return 0;
}

/* Rule 3: "%PDF-" starting anywhere so that it ends within the first 1024 bytes. */
static int detect_pdf_window(dc_detection *out, const unsigned char *p, size_t len)
{
    size_t lim = len < PDF_WINDOW ? len : PDF_WINDOW;
    size_t i;

    for (i = 0; i + 5 <= lim; i++) {
        if (p[i] == '%' && memcmp(p + i, "%PDF-", 5) == 0) {
            set(out, DC_FORMAT_PDF, "pdf", NULL);
            return 1;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- text families */

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int is_ws(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int has_bom(const unsigned char *p, size_t len)
{
    return len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF;
}

/* 1 when tag (lowercase) starts at p, case-insensitively, and is not the
 * prefix of a longer name. */
static int tag_at(const unsigned char *p, size_t avail, const char *tag)
{
    size_t n = strlen(tag);
    size_t i;

    if (avail < n)
        return 0;
    for (i = 0; i < n; i++) {
        if (lower(p[i]) != tag[i])
            return 0;
    }
    return avail == n || !((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') ||
                           (p[n] >= '0' && p[n] <= '9'));
}

/* A document whose first non-blank byte is '<' is HTML when one of
 * <!doctype html, <html, <head, <body appears in its first 1024 bytes. */
static int looks_html(const unsigned char *p, size_t len)
{
    static const char *const tags[] = {"<!doctype html", "<html", "<head", "<body"};
    size_t lim = len < HTML_WINDOW ? len : HTML_WINDOW;
    size_t i;
    size_t t;

    for (i = 0; i < lim; i++) {
        if (p[i] != '<')
            continue;
        for (t = 0; t < sizeof(tags) / sizeof(tags[0]); t++) {
            if (tag_at(p + i, lim - i, tags[t]))
                return 1;
        }
    }
    return 0;
}

/* A '{' document: Textract JSON, else another JSON object (refused), else
 * nothing decided (plain text that happens to start with a brace). */
static int detect_json(dc_detection *out, const unsigned char *p, size_t len)
{
    dc_textract_kind tk = DC_TEXTRACT_NONE;
    json_error_t jerr;
    json_t *root;
    int rc = dc_textract_probe(p, len, &tk);

    if (rc < 0)
        return rc;
    if (rc > 0) {
        int analyze = tk == DC_TEXTRACT_ANALYZE_DOCUMENT;
        set(out, DC_FORMAT_TEXTRACT_JSON, analyze ? "textract-analyze" : "textract-detect", NULL);
        out->textract = analyze ? DC_TEXTRACT_ANALYZE_DOCUMENT : DC_TEXTRACT_DETECT_DOCUMENT_TEXT;
        return 1;
    }
    root = json_loadb((const char *)p, len, 0, &jerr);
    rc = root && json_is_object(root);
    json_decref(root);
    if (rc)
        set(out, DC_FORMAT_UNSUPPORTED, "json", R_JSON);
    return rc;
}

/* Rule 4: RTF, JSON and HTML, after an optional UTF-8 BOM and whitespace. */
static int detect_text_family(dc_detection *out, const unsigned char *p, size_t len)
{
    size_t bom = has_bom(p, len) ? 3 : 0;
    size_t i = bom;

    while (i < len && is_ws(p[i]))
        i++;
    if (i == len)
        return 0;
    if (len - i >= 5 && memcmp(p + i, "{\\rtf", 5) == 0) {
        set(out, DC_FORMAT_UNSUPPORTED, "rtf", R_RTF);
        return 1;
    }
    if (p[i] == '{')
        return detect_json(out, p + bom, len - bom);
    if (p[i] == '<' && looks_html(p + i, len - i)) {
        set(out, DC_FORMAT_UNSUPPORTED, "html", R_HTML);
        return 1;
    }
    return 0;
}

/* Rule 5: UTF-8 text. */
static int detect_text(dc_detection *out, const unsigned char *p, size_t len)
{
    int bom = has_bom(p, len);

    if (memchr(p, '\0', len) || !dc_utf8_valid(p, len, NULL))
        return 0;
    if (bom && len == 3)
        set(out, DC_FORMAT_UNSUPPORTED, "empty", R_EMPTY_BOM);
    else
        set(out, DC_FORMAT_TEXT, bom ? "text-bom" : "text", NULL);
    return 1;
}

/* ---------------------------------------------------------------- entry */

/* Run the rules in order (see the file comment). An unsupported format is a
 * result (DC_OK, format DC_FORMAT_UNSUPPORTED, kind and reason set); only
 * internal failures (out of memory) are errors. */
int dc_detect(dc_detection *out, const void *data, size_t len)
{
    static sig_check const rules[] = {detect_signature, detect_pdf_window, detect_text_family,
                                      detect_text, detect_truncated};
    const unsigned char *p = data;
    size_t i;

    set(out, DC_FORMAT_UNSUPPORTED, "binary", R_BINARY);
    if (!data && len)
        return dc_error_set(DC_EINVAL, "no data");
    if (len == 0) {
        set(out, DC_FORMAT_UNSUPPORTED, "empty", R_EMPTY);
        return DC_OK;
    }
    for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
        int rc = rules[i](out, p, len);
        if (rc < 0) {
            set(out, DC_FORMAT_UNSUPPORTED, "binary", R_BINARY);
            return rc;
        }
        if (rc > 0)
            return DC_OK;
    }
    if (memchr(p, '\0', len))
        out->reason = R_NUL;
    return DC_OK;
}
