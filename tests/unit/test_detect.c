/*
 * dc_detect(): a table of byte strings and the format and kind each must
 * get, then generated inputs (PDF offsets, OLE compound files built here,
 * ZIP signatures) and hostile variants that must never read out of bounds.
 */
#include <string.h>

#include "dc_test.h"

typedef struct {
    const char *name;
    const char *bytes;
    size_t len;
    dc_format format;
    const char *kind;
} detect_case;

#define B(s)  s, sizeof(s) - 1
#define UNSUP DC_FORMAT_UNSUPPORTED

#define BLOCKS_DETECT                                     \
    "{\"Blocks\":[{\"BlockType\":\"PAGE\",\"Id\":\"p\"}," \
    "{\"BlockType\":\"LINE\",\"Id\":\"l\",\"Text\":\"hi\"}]}"
#define BLOCKS_ANALYZE \
    "{\"Blocks\":[{\"BlockType\":\"PAGE\",\"Id\":\"p\"},{\"BlockType\":\"TABLE\",\"Id\":\"t\"}]}"

static const detect_case cases[] = {
    {"empty", B(""), UNSUP, "empty"},
    /* PDF */
    {"pdf", B("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), DC_FORMAT_PDF, "pdf"},
    {"pdf signature only", B("%PDF-"), DC_FORMAT_PDF, "pdf"},
    {"pdf after junk", B("junk\r\n%PDF-1.4\n"), DC_FORMAT_PDF, "pdf"},
    {"pdf cut short (text)", B("%PD"), DC_FORMAT_TEXT, "text"},
    {"pdf cut short (binary)", B("%PDF\xff"), UNSUP, "binary"},
    /* PNG */
    {"png", B("\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), DC_FORMAT_PNG, "png"},
    {"png signature only", B("\x89PNG\r\n\x1a\n"), DC_FORMAT_PNG, "png"},
    {"png first 3 bytes", B("\x89PN"), UNSUP, "truncated"},
    {"png first 7 bytes", B("\x89PNG\r\n\x1a"), UNSUP, "truncated"},
    {"png wins over %PDF-", B("\x89PNG\r\n\x1a\n%PDF-1.4"), DC_FORMAT_PNG, "png"},
    /* JPEG */
    {"jpeg", B("\xff\xd8\xff\xe0\0\x10JFIF\0"), DC_FORMAT_JPEG, "jpeg"},
    {"jpeg 2 bytes", B("\xff\xd8"), UNSUP, "truncated"},
    {"jpeg 1 byte", B("\xff"), UNSUP, "truncated"},
    {"jpeg bad third byte", B("\xff\xd8\x00\x01"), UNSUP, "binary"},
    /* TIFF */
    {"tiff le", B("II*\0\x08\0\0\0\x01\0"), DC_FORMAT_TIFF, "tiff"},
    {"tiff be", B("MM\0*\0\0\0\x08\0\x01"), DC_FORMAT_TIFF, "tiff"},
    {"tiff le header cut short", B("II*\0\x08\0"), UNSUP, "truncated"},
    {"tiff be magic only", B("MM\0*"), UNSUP, "truncated"},
    {"tiff be 3 bytes", B("MM\0"), UNSUP, "truncated"},
    {"tiff le 3 bytes is text", B("II*"), DC_FORMAT_TEXT, "text"},
    {"bigtiff le", B("II+\0\x08\0\0\0\x10\0\0\0\0\0\0\0"), DC_FORMAT_TIFF, "tiff-bigtiff"},
    {"bigtiff be", B("MM\0+\0\x08\0\0\0\0\0\0\0\0\0\x10"), DC_FORMAT_TIFF, "tiff-bigtiff"},
    {"bigtiff le cut at 8", B("II+\0\x08\0\0\0"), UNSUP, "truncated"},
    {"bigtiff be cut at 15", B("MM\0+\0\x08\0\0\0\0\0\0\0\0\0"), UNSUP, "truncated"},
    /* OLE without a usable header */
    {"ole signature only", B("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), UNSUP, "ole"},
    {"ole cut short", B("\xd0\xcf\x11\xe0\xa1\xb1"), UNSUP, "truncated"},
    /* other refused images */
    {"gif87a", B("GIF87a\x01\0\x01\0"), UNSUP, "gif"},
    {"gif89a", B("GIF89a\x01\0\x01\0"), UNSUP, "gif"},
    {"bmp", B("BM\x3a\0\0\0\0\0\0\0\x36\0\0\0\x28\0\0\0\x01\0"), UNSUP, "bmp"},
    {"bmp-like text", B("BMW cars are fast, says the report\n"), DC_FORMAT_TEXT, "text"},
    {"bmp short is text", B("BM"), DC_FORMAT_TEXT, "text"},
    {"webp", B("RIFF\x24\0\0\0WEBPVP8 \x18\0\0\0"), UNSUP, "webp"},
    {"riff wave", B("RIFF\x24\0\0\0WAVEfmt "), UNSUP, "binary"},
    {"jpeg 2000", B("\0\0\0\x0cjP  \r\n\x87\n\0\0"), UNSUP, "jp2"},
    /* Unicode encodings other than UTF-8 */
    {"utf-16le", B("\xff\xfeh\0i\0"), UNSUP, "text-utf16"},
    {"utf-16be", B("\xfe\xff\0h\0i"), UNSUP, "text-utf16"},
    {"utf-32le", B("\xff\xfe\0\0h\0\0\0"), UNSUP, "text-utf32"},
    {"utf-32be", B("\0\0\xfe\xff\0\0\0h"), UNSUP, "text-utf32"},
    /* RTF, HTML */
    {"rtf", B("{\\rtf1\\ansi hello}"), UNSUP, "rtf"},
    {"rtf after bom and blanks", B("\xef\xbb\xbf \n{\\rtf1 x}"), UNSUP, "rtf"},
    {"html doctype", B("<!DOCTYPE html>\n<p>x</p>"), UNSUP, "html"},
    {"html upper tag", B("  <HTML lang=en><p>x"), UNSUP, "html"},
    {"xhtml", B("<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\">"), UNSUP,
     "html"},
    {"html body only", B("<body>hi</body>"), UNSUP, "html"},
    {"html head after comment", B("<!-- c -->\n<head><title>t</title>"), UNSUP, "html"},
    {"html with bom", B("\xef\xbb\xbf<html>"), UNSUP, "html"},
    {"not html: longer name", B("<htmlx>hi</htmlx>"), DC_FORMAT_TEXT, "text"},
    {"not html: fragment", B("<p>hello</p>"), DC_FORMAT_TEXT, "text"},
    {"not html: prose", B("write <html> at the top"), DC_FORMAT_TEXT, "text"},
    {"not html: svg", B("<svg width=\"1\"/>"), DC_FORMAT_TEXT, "text"},
    /* JSON */
    {"textract detect", B(BLOCKS_DETECT), DC_FORMAT_TEXTRACT_JSON, "textract-detect"},
    {"textract analyze", B(BLOCKS_ANALYZE), DC_FORMAT_TEXTRACT_JSON, "textract-analyze"},
    {"textract analyze by version", B("{\"AnalyzeDocumentModelVersion\":\"1.0\",\"Blocks\":[]}"),
     DC_FORMAT_TEXTRACT_JSON, "textract-analyze"},
    {"textract after bom and blanks", B("\xef\xbb\xbf\n  " BLOCKS_DETECT), DC_FORMAT_TEXTRACT_JSON,
     "textract-detect"},
    {"json object", B("{\"a\": 1}"), UNSUP, "json"},
    {"json blocks not array", B("{\"Blocks\": 5}"), UNSUP, "json"},
    {"brace text", B("{ this is not json"), DC_FORMAT_TEXT, "text"},
    {"json array is text", B("[1, 2]"), DC_FORMAT_TEXT, "text"},
    /* text and binary edges */
    {"text", B("hello\n"), DC_FORMAT_TEXT, "text"},
    {"text blanks", B(" \n\t"), DC_FORMAT_TEXT, "text"},
    {"text one byte", B("a"), DC_FORMAT_TEXT, "text"},
    {"text bom", B("\xef\xbb\xbfhi"), DC_FORMAT_TEXT, "text-bom"},
    {"bom only", B("\xef\xbb\xbf"), UNSUP, "empty"},
    {"bom cut short", B("\xef\xbb"), UNSUP, "binary"},
    {"bom then blanks", B("\xef\xbb\xbf \n"), DC_FORMAT_TEXT, "text-bom"},
    {"nul byte", B("a\0b"), UNSUP, "binary"},
    {"overlong slash", B("a\xc0\xaf"), UNSUP, "binary"},
    {"overlong 3-byte", B("\xe0\x80\xaf"), UNSUP, "binary"},
    {"surrogate", B("x\xed\xa0\x80y"), UNSUP, "binary"},
    {"lone continuation", B("\x80"), UNSUP, "binary"},
    {"beyond U+10FFFF", B("\xf4\x90\x80\x80"), UNSUP, "binary"},
    {"4-byte emoji", B("smile \xf0\x9f\x98\x80\n"), DC_FORMAT_TEXT, "text"},
    {"2- and 3-byte", B("caf\xc3\xa9 \xe2\x82\xac"), DC_FORMAT_TEXT, "text"},
    {"ends inside 3-byte", B("abc\xe2\x82"), UNSUP, "binary"},
    {"ends inside 4-byte", B("abc\xf0\x9f\x98"), UNSUP, "binary"},
    {"control bytes", B("\x01\x02\x03"), DC_FORMAT_TEXT, "text"},
    {"random binary", B("\x01\x02\xff\xfe\x00"), UNSUP, "binary"},
    {"text naming %PDF-", B("see the %PDF- header"), DC_FORMAT_PDF, "pdf"},
};

static void check_case(const detect_case *c)
{
    dc_detection det;
    int rc = dc_detect(&det, c->bytes, c->len);

    if (rc != DC_OK)
        fail_msg("%s: rc %d (%s)", c->name, rc, dc_error_last()->message);
    if (det.format != c->format || strcmp(det.kind, c->kind) != 0)
        fail_msg("%s: got %s/%s, expected %s/%s", c->name, dc_format_name(det.format), det.kind,
                 dc_format_name(c->format), c->kind);
    /* a reason exactly when the input is refused, one line */
    if (det.format == DC_FORMAT_UNSUPPORTED) {
        if (!det.reason || !det.reason[0] || strchr(det.reason, '\n'))
            fail_msg("%s: bad reason", c->name);
    } else if (det.reason) {
        fail_msg("%s: reason on an accepted format: %s", c->name, det.reason);
    }
}

static void table(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check_case(&cases[i]);
}

/* Every prefix of every case (the bytes copied so ASan sees the end). */
static void prefixes_never_crash(void **state)
{
    size_t i;
    size_t n;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        for (n = 0; n <= cases[i].len; n++) {
            dc_detection det;
            char *copy = malloc(n ? n : 1);
            assert_non_null(copy);
            memcpy(copy, cases[i].bytes, n);
            assert_dc_ok(dc_detect(&det, copy, n));
            assert_non_null(det.kind);
            free(copy);
        }
    }
}

static void reasons(void **state)
{
    dc_detection det;

    (void)state;
    assert_dc_ok(dc_detect(&det, "\xff\xfeh\0", 4));
    assert_true(dc_test_contains(det.reason, "not UTF-8") ||
                dc_test_contains(det.reason, "must be UTF-8"));
    assert_dc_ok(dc_detect(&det, "a\0b", 3));
    assert_true(dc_test_contains(det.reason, "NUL"));
    assert_dc_ok(dc_detect(&det, "GIF89a\1\0", 8));
    assert_true(dc_test_contains(det.reason, "GIF"));
    assert_true(dc_test_contains(det.reason, "ClassifyDocument accepts PDF"));
    assert_dc_ok(dc_detect(&det, NULL, 0));
    assert_string_equal(det.kind, "empty");
    assert_dc_fail(dc_detect(&det, NULL, 3), DC_EINVAL);
}

/* "%PDF-" counts when it ends within the first 1024 bytes. */
static void pdf_window(void **state)
{
    static const struct {
        size_t offset;
        dc_format format;
    } at[] = {{0, DC_FORMAT_PDF},     {1000, DC_FORMAT_PDF},  {1019, DC_FORMAT_PDF},
              {1020, DC_FORMAT_TEXT}, {1100, DC_FORMAT_TEXT}, {4096, DC_FORMAT_TEXT}};
    char buf[5000];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
        dc_detection det;
        size_t len = at[i].offset + 12;
        memset(buf, 'a', at[i].offset);
        memcpy(buf + at[i].offset, "%PDF-1.4\nxyz", 12);
        assert_dc_ok(dc_detect(&det, buf, len));
        if (det.format != at[i].format)
            fail_msg("offset %zu: got %s", at[i].offset, dc_format_name(det.format));
    }
}

/* The ZIP probe owns the verdict; detection only guarantees the contract:
 * docx, or unsupported with a kind and a reason. */
static void zip_signatures(void **state)
{
    static const struct {
        const char *bytes;
        size_t len;
    } zips[] = {
        {B("PK\5\6\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0")},
        {B("PK\3\4\x14\0\0\0\0\0")},
        {B("PK\7\x08PK\3\4\x14\0")},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(zips) / sizeof(zips[0]); i++) {
        dc_detection det;
        assert_dc_ok(dc_detect(&det, zips[i].bytes, zips[i].len));
        assert_non_null(det.kind);
        assert_true(det.format == DC_FORMAT_DOCX || det.format == DC_FORMAT_UNSUPPORTED);
        assert_true(det.format == DC_FORMAT_DOCX || (det.reason && det.reason[0]));
        assert_string_not_equal(det.kind, "text");
    }
    {
        dc_detection det;
        assert_dc_ok(dc_detect(&det, "PK\3", 3)); /* valid UTF-8, no NUL: text */
        assert_int_equal(det.format, DC_FORMAT_TEXT);
    }
}

/* ---------------------------------------------------------------- OLE builder */

#define SECT        512
#define CFB_END     0xFFFFFFFEu
#define CFB_FREE    0xFFFFFFFFu
#define CFB_FATSECT 0xFFFFFFFDu
#define CFB_DIFSECT 0xFFFFFFFCu

static void wr16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v & 0xFF);
    p[1] = (unsigned char)(v >> 8);
}

static void wr32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v & 0xFF);
    p[1] = (unsigned char)((v >> 8) & 0xFF);
    p[2] = (unsigned char)((v >> 16) & 0xFF);
    p[3] = (unsigned char)(v >> 24);
}

static unsigned char *sector(unsigned char *buf, uint32_t s)
{
    return buf + ((size_t)s + 1) * SECT;
}

/* One directory entry: UTF-16LE name, its byte length with the NUL, type. */
static void dir_entry(unsigned char *e, const char *name, unsigned type)
{
    size_t i;
    size_t n = strlen(name);

    memset(e, 0, 128);
    for (i = 0; i < n; i++)
        wr16(e + 2 * i, (unsigned char)name[i]);
    wr16(e + 0x40, (unsigned)(2 * n + 2));
    e[0x42] = (unsigned char)type;
    wr32(e + 0x44, CFB_FREE); /* siblings and child: none */
    wr32(e + 0x48, CFB_FREE);
    wr32(e + 0x4C, CFB_FREE);
}

/* A version-3 compound file of nsect sectors: header, FAT in sector 0, the
 * directory starting in sector 1 with a root entry and up to 3 streams. The
 * caller frees the result. */
static unsigned char *cfb_new(size_t nsect, const char *const *names, size_t nnames, size_t *len)
{
    unsigned char *buf = calloc(nsect + 1, SECT);
    size_t i;

    assert_non_null(buf);
    memcpy(buf, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8);
    wr16(buf + 0x18, 0x3E);
    wr16(buf + 0x1A, 3);
    wr16(buf + 0x1C, 0xFFFE);
    wr16(buf + 0x1E, 9);
    wr16(buf + 0x20, 6);
    wr32(buf + 0x2C, 1);       /* FAT sectors */
    wr32(buf + 0x30, 1);       /* first directory sector */
    wr32(buf + 0x38, 4096);    /* mini stream cutoff */
    wr32(buf + 0x3C, CFB_END); /* no mini FAT */
    wr32(buf + 0x44, CFB_END); /* no DIFAT sectors */
    for (i = 0; i < 109; i++)
        wr32(buf + 0x4C + 4 * i, i == 0 ? 0 : CFB_FREE);
    for (i = 0; i < SECT / 4; i++)
        wr32(sector(buf, 0) + 4 * i, CFB_FREE);
    wr32(sector(buf, 0), CFB_FATSECT);
    wr32(sector(buf, 0) + 4, CFB_END); /* directory: one sector */
    dir_entry(sector(buf, 1), "Root Entry", 5);
    for (i = 0; i < nnames && i < 3; i++)
        dir_entry(sector(buf, 1) + 128 * (i + 1), names[i], 2);
    *len = (nsect + 1) * SECT;
    return buf;
}

static void expect_kind(const unsigned char *buf, size_t len, const char *kind)
{
    dc_detection det;

    assert_dc_ok(dc_detect(&det, buf, len));
    assert_int_equal(det.format, DC_FORMAT_UNSUPPORTED);
    assert_string_equal(det.kind, kind);
    assert_non_null(det.reason);
}

static void ole_kinds(void **state)
{
    static const struct {
        const char *names[3];
        size_t n;
        const char *kind;
    } ole[] = {
        {{"WordDocument", "1Table", "\x05SummaryInformation"}, 3, "doc"},
        {{"Workbook"}, 1, "xls"},
        {{"Book"}, 1, "xls"},
        {{"PowerPoint Document", "Current User"}, 2, "ppt"},
        {{"EncryptionInfo", "EncryptedPackage",
          "\x06"
          "DataSpaces"},
         3,
         "ooxml-encrypted"},
        {{"EncryptedPackage"}, 1, "ooxml-encrypted"},
        {{"WORDDOCUMENT"}, 1, "doc"},
        {{"__substg1.0_0037001F"}, 1, "ole"},
        {{"WordDocumentX"}, 1, "ole"},
        {{NULL}, 0, "ole"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(ole) / sizeof(ole[0]); i++) {
        size_t len;
        unsigned char *buf = cfb_new(2, ole[i].names, ole[i].n, &len);
        expect_kind(buf, len, ole[i].kind);
        free(buf);
    }
}

/* Reasons name the application. */
static void ole_reasons(void **state)
{
    const char *enc[] = {"EncryptedPackage"};
    const char *xls[] = {"Workbook"};
    dc_detection det;
    size_t len;
    unsigned char *buf = cfb_new(2, enc, 1, &len);

    (void)state;
    assert_dc_ok(dc_detect(&det, buf, len));
    assert_true(dc_test_contains(det.reason, "Password-protected"));
    free(buf);
    buf = cfb_new(2, xls, 1, &len);
    assert_dc_ok(dc_detect(&det, buf, len));
    assert_true(dc_test_contains(det.reason, "Excel"));
    free(buf);
}

/* The directory chain is followed through the FAT: the stream that names
 * the application is in the second directory sector. */
static void ole_chain(void **state)
{
    const char *none[] = {"Other"};
    size_t len;
    unsigned char *buf = cfb_new(3, none, 1, &len);

    (void)state;
    wr32(sector(buf, 0) + 4, 2); /* dir: 1 -> 2 */
    wr32(sector(buf, 0) + 8, CFB_END);
    dir_entry(sector(buf, 2), "PowerPoint Document", 2);
    expect_kind(buf, len, "ppt");
    /* the same file with the chain cut: the name is not reached */
    wr32(sector(buf, 0) + 4, CFB_END);
    expect_kind(buf, len, "ole");
    /* a chain that loops on itself ends (step cap) */
    wr32(sector(buf, 0) + 4, 1);
    expect_kind(buf, len, "ole");
    free(buf);
}

/* FAT sectors beyond the 109 listed in the header are found through the
 * DIFAT chain: the directory's third sector, 14001, is only reachable that
 * way (its predecessor's FAT entry lives in FAT sector 109). */
static void ole_difat(void **state)
{
    const char *none[] = {"Other"};
    size_t len;
    unsigned char *buf = cfb_new(14002, none, 1, &len);
    size_t i;

    (void)state;
    wr32(buf + 0x2C, 2); /* FAT sectors: 0 and 3 */
    wr32(buf + 0x44, 2); /* first DIFAT sector */
    wr32(buf + 0x48, 1); /* one DIFAT sector */
    for (i = 0; i < SECT / 4; i++)
        wr32(sector(buf, 2) + 4 * i, CFB_FREE);
    wr32(sector(buf, 2), 3); /* FAT sector #109 is sector 3 */
    wr32(sector(buf, 2) + SECT - 4, CFB_END);
    for (i = 0; i < SECT / 4; i++)
        wr32(sector(buf, 3) + 4 * i, CFB_FREE);
    wr32(sector(buf, 0) + 4, 14000); /* dir: 1 -> 14000 */
    wr32(sector(buf, 0) + 8, CFB_DIFSECT);
    wr32(sector(buf, 0) + 12, CFB_FATSECT);
    wr32(sector(buf, 3) + 4 * (14000 - 13952), 14001); /* -> 14001 */
    wr32(sector(buf, 3) + 4 * (14001 - 13952), CFB_END);
    dir_entry(sector(buf, 14001), "Workbook", 2);
    expect_kind(buf, len, "xls");
    /* without the DIFAT sector the chain stops at 14000 */
    wr32(buf + 0x48, 0);
    expect_kind(buf, len, "ole");
    /* a DIFAT chain pointing past the end */
    wr32(buf + 0x48, 5);
    wr32(buf + 0x44, 0x7FFFFFFF);
    expect_kind(buf, len, "ole");
    free(buf);
}

/* Hostile headers: every truncation and many single-field corruptions
 * must give some OLE kind without reading outside the buffer (ASan). */
static void ole_hostile(void **state)
{
    static const uint32_t values[] = {0,          1,          2,          3,       0x7F,    0xFFFF,
                                      0x7FFFFFFF, 0xFFFFFFF9, 0xFFFFFFFA, CFB_END, CFB_FREE};
    static const size_t fields[] = {0x1C, 0x1E, 0x2C, 0x30, 0x44, 0x48, 0x4C, 0x50};
    const char *doc[] = {"WordDocument"};
    size_t len;
    unsigned char *buf = cfb_new(2, doc, 1, &len);
    size_t n;
    size_t f;
    size_t v;

    (void)state;
    for (n = 8; n <= len; n++) {
        dc_detection det;
        unsigned char *copy = malloc(n);
        assert_non_null(copy);
        memcpy(copy, buf, n);
        assert_dc_ok(dc_detect(&det, copy, n));
        assert_string_equal(det.kind, n >= 2 * SECT + 256 ? "doc" : "ole");
        free(copy);
    }
    for (f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
        for (v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
            dc_detection det;
            unsigned char *copy = malloc(len);
            assert_non_null(copy);
            memcpy(copy, buf, len);
            wr32(copy + fields[f], values[v]);
            assert_dc_ok(dc_detect(&det, copy, len));
            assert_int_equal(det.format, DC_FORMAT_UNSUPPORTED);
            free(copy);
        }
    }
    /* directory entries with absurd name lengths and a FAT naming itself */
    wr16(sector(buf, 1) + 128 + 0x40, 0xFFFF);
    expect_kind(buf, len, "ole");
    wr16(sector(buf, 1) + 128 + 0x40, 65);
    expect_kind(buf, len, "ole");
    wr32(sector(buf, 0) + 4, 0);
    expect_kind(buf, len, "ole");
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table),          cmocka_unit_test(prefixes_never_crash),
        cmocka_unit_test(reasons),        cmocka_unit_test(pdf_window),
        cmocka_unit_test(zip_signatures), cmocka_unit_test(ole_kinds),
        cmocka_unit_test(ole_reasons),    cmocka_unit_test(ole_chain),
        cmocka_unit_test(ole_difat),      cmocka_unit_test(ole_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
