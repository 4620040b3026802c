/*
 * dc_samplegen OUTDIR          write every bundled sample into OUTDIR
 * dc_samplegen --tree OUTDIR   write a tree of documents with known classes
 *                              for the scan tests, and OUTDIR/expected.tsv
 * dc_samplegen --pages PDF KINDS  one PDF, a page per letter of KINDS (d digital,
 *                              s scan, r rotated scan, k skewed scan, h hybrid, v vector, b blank)
 * dc_samplegen --turn DEG IN OUT  IN turned clockwise by DEG (90, 180, 270) into OUT
 *                              (scripts/ocr-quality's upside-down receipts)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dc_test.h"
#include "gen.h"
#include "img_gen.h"

int dc_pdf_gen_pages(const char *path, const char *kinds);
int dc_pdf_gen_big(const char *path);
int dc_pdf_gen_invisible(const char *path);
int dc_pdf_gen_encrypted(const char *path, const char *user);

typedef struct {
    const char *name;  /* path in the tree */
    const char *kinds; /* pdf_gen page kinds, or NULL: written otherwise */
    const char *types; /* expected DocumentType per page, comma-separated */
    const char *rt;    /* expected real-time refusal/page-error codes, comma-separated */
} tree_doc;

static const tree_doc tree[] = {
    {"digital.pdf", "d", "NATIVE_PDF", ""},
    {"reports/two-digital.pdf", "dd", "NATIVE_PDF,NATIVE_PDF", "PAGE_LIMIT_EXCEEDED"},
    {"scans/scan.pdf", "s", "SCANNED_PDF", ""},
    {"scans/rotated.pdf", "r", "SCANNED_PDF", ""},
    {"scans/hybrid.pdf", "h", "SCANNED_PDF", ""},
    {"mixed.pdf", "dsh", "NATIVE_PDF,SCANNED_PDF,SCANNED_PDF", "PAGE_LIMIT_EXCEEDED"},
    {"vector.pdf", "v", "SCANNED_PDF", ""},
    {"prior-ocr.pdf", NULL, "NATIVE_PDF", ""},
    {"encrypted.pdf", NULL, "", "INVALID_DOCUMENT"},
    {"oversized-page.pdf", NULL, "SCANNED_PDF", "TEXTRACT_BAD_PAGE"},
    {"corrupt.pdf", NULL, "", "INVALID_DOCUMENT"},
    {"notes.txt", NULL, "PLAIN_TEXT", ""},
    {"long.txt", NULL, "PLAIN_TEXT", "DOCUMENT_SIZE_EXCEEDED,PAGE_CHARACTERS_EXCEEDED"},
    {"picture.gif", NULL, "", "UNSUPPORTED_DOC_TYPE"},
};

static int write_bytes(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(data, 1, len, f) == len;
    if (f && fclose(f) != 0)
        ok = 0;
    return ok ? 0 : -1;
}

static int special(const char *dir, const char *name, const char *path)
{
    static const char gif[] = "GIF89a\001\000\001\000\000\000\000;";
    char buf[16384];

    if (strcmp(name, "prior-ocr.pdf") == 0)
        return dc_pdf_gen_invisible(path);
    if (strcmp(name, "encrypted.pdf") == 0)
        return dc_pdf_gen_encrypted(path, "secret");
    if (strcmp(name, "oversized-page.pdf") == 0)
        return dc_pdf_gen_big(path);
    if (strcmp(name, "notes.txt") == 0)
        return write_bytes(path, "Meeting notes\nBudget approved.\n", 31);
    if (strcmp(name, "long.txt") == 0) {
        memset(buf, 'a', sizeof(buf));
        return write_bytes(path, buf, sizeof(buf));
    }
    if (strcmp(name, "picture.gif") == 0)
        return write_bytes(path, gif, sizeof(gif) - 1);
    if (strcmp(name, "corrupt.pdf") == 0) {
        char src[4096];
        char *data;
        size_t len;
        (void)snprintf(src, sizeof(src), "%s/digital.pdf", dir);
        data = dc_test_slurp(src, &len);
        len = len > 400 ? 400 : len; /* cut inside the first page */
        (void)write_bytes(path, data, len);
        free(data);
        return 0;
    }
    return -1;
}

/* digital.pdf and scans/scan.pdf again, inside a ZIP archive. */
static int archive(const char *dir)
{
    char a[4096], b[4096], out[4096];
    char *da, *db;
    size_t la, lb;
    int rc;

    (void)snprintf(a, sizeof(a), "%s/digital.pdf", dir);
    (void)snprintf(b, sizeof(b), "%s/scans/scan.pdf", dir);
    (void)snprintf(out, sizeof(out), "%s/archive.zip", dir);
    da = dc_test_slurp(a, &la);
    db = dc_test_slurp(b, &lb);
    {
        dc_gen_entry e[] = {{"inner/digital.pdf", da, la, 0, NULL},
                            {"inner/scan.pdf", db, lb, 0, NULL}};
        rc = dc_gen_zip(out, e, 2);
    }
    free(da);
    free(db);
    return rc;
}

static int gen_tree(const char *dir)
{
    char path[4096];
    FILE *exp;
    size_t i;

    (void)mkdir(dir, 0755);
    (void)snprintf(path, sizeof(path), "%s/reports", dir);
    (void)mkdir(path, 0755);
    (void)snprintf(path, sizeof(path), "%s/scans", dir);
    (void)mkdir(path, 0755);
    (void)snprintf(path, sizeof(path), "%s/expected.tsv", dir);
    exp = fopen(path, "w");
    if (!exp)
        return -1;
    for (i = 0; i < sizeof(tree) / sizeof(tree[0]); i++) {
        int rc;
        (void)snprintf(path, sizeof(path), "%s/%s", dir, tree[i].name);
        rc = tree[i].kinds ? dc_pdf_gen_pages(path, tree[i].kinds)
                           : special(dir, tree[i].name, path);
        if (rc < 0) {
            (void)fprintf(stderr, "dc_samplegen: %s: cannot write\n", path);
            (void)fclose(exp);
            return -1;
        }
        (void)fprintf(exp, "%s\t%s\t%s\n", tree[i].name, tree[i].types, tree[i].rt);
    }
    if (archive(dir) < 0) {
        (void)fclose(exp);
        return -1;
    }
    (void)fprintf(exp, "archive.zip\t\tUNSUPPORTED_DOC_TYPE\n");
    (void)fprintf(exp, "archive.zip!inner/digital.pdf\tNATIVE_PDF\t\n");
    (void)fprintf(exp, "archive.zip!inner/scan.pdf\tSCANNED_PDF\t\n");
    return fclose(exp) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--tree") == 0)
        return gen_tree(argv[2]) < 0 ? 1 : 0;
    if (argc == 4 && strcmp(argv[1], "--pages") == 0)
        return dc_pdf_gen_pages(argv[2], argv[3]) < 0 ? 1 : 0;
    if (argc == 5 && strcmp(argv[1], "--turn") == 0)
        return dc_gen_turn_file(argv[3], argv[4], atoi(argv[2])) < 0 ? 1 : 0;
    if (argc != 2) {
        (void)fprintf(stderr, "usage: dc_samplegen OUTDIR | --tree OUTDIR | --pages PDF KINDS | "
                              "--turn DEG IN OUT\n");
        return 2;
    }
    if (dc_gen_docx_samples(argv[1]) < 0 || dc_gen_pdf_samples(argv[1]) < 0 ||
        dc_gen_image_samples(argv[1]) < 0)
        return 1;
    return 0;
}
