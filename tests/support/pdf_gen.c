/*
 * PDF generators for the PDF stage's tests and the bundled samples.
 *
 * Cairo (cairo_pdf_surface_create) writes the digital, scanned, hybrid,
 * rotated, blank and vector-only pages. What cairo cannot write is written
 * by hand with a correct xref: an invisible text layer (render mode 3) over
 * an image, a Type3 font without ToUnicode whose codes decode to control
 * characters, and an encrypted PDF (standard security handler, revision 2:
 * 40-bit RC4 with MD5 from GLib, small enough to write here rather than
 * pull in libqpdf).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <glib.h>

#include "dc_test.h"
#include "gen.h"

#define LETTER_W 612.0
#define LETTER_H 792.0
#define SCAN_DPI 300.0

/* Lines of the generated scans: plain words, so OCR recall is measurable. */
const char *const dc_pdf_gen_scan_lines[] = {
    "The quick brown fox jumps over the lazy dog",
    "Invoice number 4711 is due on March 3",
    "Please remit payment to Acme Corporation",
    "Shipping address 12 Harbour Street Bristol",
    "Thank you for your business",
    NULL,
};

const char *const dc_pdf_gen_digital_lines[][4] = {
    {"Quarterly report of the northern region", "Revenue grew by eleven percent",
     "Costs stayed flat across all divisions", NULL},
    {"Second page of the digital sample", "Outlook for the next quarter is stable",
     "Contact the finance team for details", NULL},
    {"Third page with a short closing note", "All figures are unaudited", NULL, NULL},
};

const char *const dc_pdf_gen_header = "CONFIDENTIAL DRAFT";
const char *const dc_pdf_gen_invisible_text = "Invisible layer says hello from a prior OCR run";

/* ---------------------------------------------------------------- cairo pages */

static void draw_lines(cairo_t *cr, const char *const *lines, double x, double y, double size)
{
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (size_t i = 0; lines[i]; i++) {
        cairo_move_to(cr, x, y + (double)i * size * 1.8);
        cairo_show_text(cr, lines[i]);
    }
}

/* A "scanned" body: the scan lines rendered to a 300 dpi image of w x h pt. */
static cairo_surface_t *scan_image(double w, double h)
{
    double k = SCAN_DPI / 72.0;
    cairo_surface_t *img =
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)lround(w * k), (int)lround(h * k));
    cairo_t *cr = cairo_create(img);

    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, k, k);
    draw_lines(cr, dc_pdf_gen_scan_lines, 72, 150, 16);
    cairo_destroy(cr);
    cairo_surface_flush(img);
    return img;
}

/* Paint the scan over the whole page; rotated: the image is landscape and
 * turned 90 degrees onto the portrait page (a scan fed sideways). */
static void paint_scan(cairo_t *cr, int rotated)
{
    cairo_surface_t *img =
        rotated ? scan_image(LETTER_H, LETTER_W) : scan_image(LETTER_W, LETTER_H);

    cairo_save(cr);
    if (rotated) {
        cairo_translate(cr, LETTER_W, 0);
        cairo_rotate(cr, G_PI / 2);
    }
    cairo_scale(cr, 72.0 / SCAN_DPI, 72.0 / SCAN_DPI);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_paint(cr);
    cairo_restore(cr);
    cairo_surface_destroy(img);
}

/* The scan turned by a few degrees about the page centre, as a sheet put
 * crooked on a scanner. */
static void paint_skewed(cairo_t *cr, double degrees)
{
    cairo_save(cr);
    cairo_translate(cr, LETTER_W / 2.0, LETTER_H / 2.0);
    cairo_rotate(cr, degrees * G_PI / 180.0);
    cairo_translate(cr, -LETTER_W / 2.0, -LETTER_H / 2.0);
    paint_scan(cr, 0);
    cairo_restore(cr);
}

static void draw_vector(cairo_t *cr)
{
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 3);
    for (int i = 0; i < 8; i++) {
        cairo_rectangle(cr, 80 + i * 50, 120 + i * 60, 120, 80);
        cairo_stroke(cr);
    }
    cairo_arc(cr, 306, 600, 90, 0, 2 * G_PI);
    cairo_fill(cr);
}

/* Page kinds for dc_pdf_gen_pages: one character per page. */
static void draw_page(cairo_t *cr, char kind, int index)
{
    switch (kind) {
    case 'd':
        draw_lines(cr, dc_pdf_gen_digital_lines[index % 3], 72, 100, 12);
        break;
    case 's':
        paint_scan(cr, 0);
        break;
    case 'r':
        paint_scan(cr, 1);
        break;
    case 'k':
        paint_skewed(cr, 3.0);
        break;
    case 'h': {
        const char *hdr[] = {dc_pdf_gen_header, NULL};
        paint_scan(cr, 0);
        draw_lines(cr, hdr, 72, 50, 10);
        break;
    }
    case 'v':
        draw_vector(cr);
        break;
    default: /* 'b': blank */
        break;
    }
}

/* Write a letter-size PDF whose pages are given by kinds: d digital, s scan,
 * r rotated scan, k scan skewed by 3 degrees, h hybrid (digital header over a scan), v vector-only,
 * b blank. Returns 0 or -1. */
int dc_pdf_gen_pages(const char *path, const char *kinds)
{
    cairo_surface_t *pdf = cairo_pdf_surface_create(path, LETTER_W, LETTER_H);
    cairo_t *cr = cairo_create(pdf);
    int digital = 0, rc;

    for (const char *k = kinds; *k; k++) {
        draw_page(cr, *k, *k == 'd' ? digital++ : 0);
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(pdf);
    rc = cairo_surface_status(pdf) == CAIRO_STATUS_SUCCESS ? 0 : -1;
    if (rc < 0)
        (void)fprintf(stderr, "%s: %s\n", path, cairo_status_to_string(cairo_surface_status(pdf)));
    cairo_surface_destroy(pdf);
    return rc;
}

/* One vector-only page of 3000 x 1000 pt: over Textract's 40 in side. */
int dc_pdf_gen_big(const char *path)
{
    cairo_surface_t *pdf = cairo_pdf_surface_create(path, 3000, 1000);
    cairo_t *cr = cairo_create(pdf);
    int rc;

    draw_vector(cr);
    cairo_show_page(cr);
    cairo_destroy(cr);
    cairo_surface_finish(pdf);
    rc = cairo_surface_status(pdf) == CAIRO_STATUS_SUCCESS ? 0 : -1;
    cairo_surface_destroy(pdf);
    return rc;
}

/* ---------------------------------------------------------------- hand-written PDFs */

#define PW_MAX_OBJ 16

typedef struct {
    dc_buf b;
    size_t off[PW_MAX_OBJ + 1];
    int nobj;
    int encrypt;
    unsigned char key[5];
} pdfw;

static const unsigned char pad32[32] = {
    0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
    0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A,
};

static void rc4(const unsigned char *key, size_t klen, unsigned char *data, size_t len)
{
    unsigned char s[256];
    unsigned i, j = 0;

    for (i = 0; i < 256; i++)
        s[i] = (unsigned char)i;
    for (i = 0; i < 256; i++) {
        unsigned char t = s[i];
        j = (j + t + key[i % klen]) & 0xFF;
        s[i] = s[j];
        s[j] = t;
    }
    i = j = 0;
    for (size_t n = 0; n < len; n++) {
        unsigned char t;
        i = (i + 1) & 0xFF;
        j = (j + s[i]) & 0xFF;
        t = s[i];
        s[i] = s[j];
        s[j] = t;
        data[n] ^= s[(s[i] + s[j]) & 0xFF];
    }
}

static void md5(unsigned char out[16], const unsigned char *parts[], const size_t lens[], int n)
{
    GChecksum *c = g_checksum_new(G_CHECKSUM_MD5);
    gsize dlen = 16;

    for (int i = 0; i < n; i++)
        g_checksum_update(c, parts[i], (gssize)lens[i]);
    g_checksum_get_digest(c, out, &dlen);
    g_checksum_free(c);
}

static void padded(unsigned char out[32], const char *pw)
{
    size_t n = strlen(pw) < 32 ? strlen(pw) : 32;

    memcpy(out, pw, n);
    memcpy(out + n, pad32, 32 - n);
}

static void put_hex(dc_buf *b, const unsigned char *p, size_t n)
{
    (void)dc_buf_putc(b, '<');
    for (size_t i = 0; i < n; i++)
        (void)dc_buf_printf(b, "%02X", p[i]);
    (void)dc_buf_putc(b, '>');
}

static void pw_begin(pdfw *w)
{
    memset(w, 0, sizeof(*w));
    dc_buf_init(&w->b, (size_t)64 << 20);
    (void)dc_buf_puts(&w->b, "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n");
}

static void pw_obj(pdfw *w, int num, const char *body)
{
    w->off[num] = w->b.len;
    w->nobj = num > w->nobj ? num : w->nobj;
    (void)dc_buf_printf(&w->b, "%d 0 obj\n%s\nendobj\n", num, body);
}

/* A stream object; its data is RC4-encrypted with the object's key when the
 * file is encrypted (Algorithm 1 of the PDF reference). */
static void pw_stream(pdfw *w, int num, const char *dict, const void *data, size_t len)
{
    unsigned char *copy = g_memdup2(data, len);

    if (w->encrypt) {
        unsigned char ext[10], okey[16];
        const unsigned char *parts[] = {ext};
        size_t lens[] = {10};
        memcpy(ext, w->key, 5);
        ext[5] = (unsigned char)(num & 0xFF);
        ext[6] = (unsigned char)((num >> 8) & 0xFF);
        ext[7] = (unsigned char)((num >> 16) & 0xFF);
        ext[8] = ext[9] = 0;
        md5(okey, parts, lens, 1);
        rc4(okey, 10, copy, len);
    }
    w->off[num] = w->b.len;
    w->nobj = num > w->nobj ? num : w->nobj;
    (void)dc_buf_printf(&w->b, "%d 0 obj\n<< %s /Length %zu >>\nstream\n", num, dict, len);
    (void)dc_buf_put(&w->b, copy, len);
    (void)dc_buf_puts(&w->b, "\nendstream\nendobj\n");
    g_free(copy);
}

/* 16 bytes, no NUL (an array of characters, not a string) */
static const unsigned char file_id[16] = {'d', 'o', 'c', 'c', 'l', 'a', 's', 's',
                                          '-', 't', 'e', 's', 't', '-', 'i', 'd'};

/* Set up revision-2 encryption: O, U and the file key (Algorithms 2-4). */
static void pw_encrypt(pdfw *w, int num, const char *user, const char *owner)
{
    unsigned char up[32], op[32], o[32], u[32], digest[16];
    static const unsigned char perms[4] = {0xFC, 0xFF, 0xFF, 0xFF}; /* P = -4 */
    const unsigned char *p1[] = {op};
    size_t l1[] = {32};
    const unsigned char *p2[] = {up, o, perms, file_id};
    size_t l2[] = {32, 32, 4, 16};
    dc_buf d = DC_BUF_INIT;

    padded(up, user);
    padded(op, owner);
    md5(digest, p1, l1, 1);
    memcpy(o, up, 32);
    rc4(digest, 5, o, 32);
    md5(digest, p2, l2, 4);
    memcpy(w->key, digest, 5);
    memcpy(u, pad32, 32);
    rc4(w->key, 5, u, 32);
    dc_buf_init(&d, 4096);
    (void)dc_buf_puts(&d, "<< /Filter /Standard /V 1 /R 2 /O ");
    put_hex(&d, o, 32);
    (void)dc_buf_puts(&d, " /U ");
    put_hex(&d, u, 32);
    (void)dc_buf_puts(&d, " /P -4 >>");
    pw_obj(w, num, d.ptr);
    dc_buf_dispose(&d);
    w->encrypt = 1;
}

static int pw_finish(pdfw *w, const char *path, int encrypt_obj)
{
    size_t xref = w->b.len;
    FILE *f;
    int rc = 0;

    (void)dc_buf_printf(&w->b, "xref\n0 %d\n0000000000 65535 f \n", w->nobj + 1);
    for (int i = 1; i <= w->nobj; i++)
        (void)dc_buf_printf(&w->b, "%010zu 00000 n \n", w->off[i]);
    (void)dc_buf_printf(&w->b, "trailer\n<< /Size %d /Root 1 0 R /ID [", w->nobj + 1);
    put_hex(&w->b, file_id, 16);
    put_hex(&w->b, file_id, 16);
    (void)dc_buf_puts(&w->b, "]");
    if (encrypt_obj)
        (void)dc_buf_printf(&w->b, " /Encrypt %d 0 R", encrypt_obj);
    (void)dc_buf_printf(&w->b, " >>\nstartxref\n%zu\n%%%%EOF\n", xref);
    f = fopen(path, "wb");
    if (!f || fwrite(w->b.ptr, 1, w->b.len, f) != w->b.len)
        rc = -1;
    if (f && fclose(f) != 0)
        rc = -1;
    if (rc < 0)
        (void)fprintf(stderr, "%s: cannot write\n", path);
    dc_buf_dispose(&w->b);
    return rc;
}

static void pw_catalog(pdfw *w, const char *resources, int content)
{
    char page[512];

    pw_obj(w, 1, "<< /Type /Catalog /Pages 2 0 R >>");
    pw_obj(w, 2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    (void)snprintf(page, sizeof(page),
                   "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources %s "
                   "/Contents %d 0 R >>",
                   resources, content);
    pw_obj(w, 3, page);
}

/* RunLengthDecode encoding (literal runs only where needed). */
static void rle(dc_buf *out, const unsigned char *p, size_t n)
{
    size_t i = 0;

    while (i < n) {
        size_t run = 1;
        while (i + run < n && run < 128 && p[i + run] == p[i])
            run++;
        if (run >= 2) {
            (void)dc_buf_putc(out, (char)(257 - run));
            (void)dc_buf_putc(out, (char)p[i]);
        } else {
            size_t lit = 1;
            while (i + lit < n && lit < 128 && (i + lit + 1 >= n || p[i + lit] != p[i + lit + 1]))
                lit++;
            (void)dc_buf_putc(out, (char)(lit - 1));
            (void)dc_buf_put(out, p + i, lit);
            run = lit;
        }
        i += run;
    }
    (void)dc_buf_putc(out, (char)128);
}

/* The scan lines as an 8-bit grey image of the page at dpi, RLE-encoded. */
static void grey_scan(dc_buf *out, int *w, int *h, double dpi)
{
    double k = dpi / 72.0;
    cairo_surface_t *img;
    cairo_t *cr;
    unsigned char *row;

    *w = (int)lround(LETTER_W * k);
    *h = (int)lround(LETTER_H * k);
    img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, *w, *h);
    cairo_surface_flush(img);
    cr = cairo_create(img);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, k, k);
    draw_lines(cr, dc_pdf_gen_scan_lines, 72, 150, 16);
    cairo_destroy(cr);
    cairo_surface_flush(img);
    row = g_malloc((size_t)*w);
    for (int y = 0; y < *h; y++) {
        const uint32_t *px =
            (const uint32_t *)(const void *)(cairo_image_surface_get_data(img) +
                                             (size_t)y *
                                                 (size_t)cairo_image_surface_get_stride(img));
        for (int x = 0; x < *w; x++)
            row[x] = (unsigned char)((px[x] >> 8) & 0xFF);
        rle(out, row, (size_t)*w);
        out->len--; /* one EOD at the end only */
    }
    (void)dc_buf_putc(out, (char)128);
    g_free(row);
    cairo_surface_destroy(img);
}

/* One page: a scanned image of the scan lines with an invisible (3 Tr) text
 * layer over it, as OCRmyPDF writes. */
int dc_pdf_gen_invisible(const char *path)
{
    pdfw w;
    dc_buf img = DC_BUF_INIT;
    char dict[256], content[512];
    int iw, ih;

    pw_begin(&w);
    pw_catalog(&w, "<< /XObject << /Im1 5 0 R >> /Font << /F1 6 0 R >> >>", 4);
    (void)snprintf(content, sizeof(content),
                   "q 612 0 0 792 0 0 cm /Im1 Do Q\nBT 3 Tr /F1 12 Tf 72 700 Td (%s) Tj ET\n",
                   dc_pdf_gen_invisible_text);
    pw_stream(&w, 4, "", content, strlen(content));
    dc_buf_init(&img, (size_t)32 << 20);
    grey_scan(&img, &iw, &ih, 200);
    (void)snprintf(dict, sizeof(dict),
                   "/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                   "/BitsPerComponent 8 /Filter /RunLengthDecode",
                   iw, ih);
    pw_stream(&w, 5, dict, img.ptr, img.len);
    dc_buf_dispose(&img);
    pw_obj(&w, 6, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    return pw_finish(&w, path, 0);
}

/* One page of text in a Type3 font with no ToUnicode and glyph names no
 * table knows: its codes 1-3 come out as control characters. */
int dc_pdf_gen_garbled(const char *path)
{
    static const char glyph[] = "800 0 0 0 700 700 d1 0 0 700 700 re f";
    static const char content[] =
        "BT /F1 24 Tf 72 700 Td <0102030102030102030102030102> Tj 0 -40 Td "
        "<0302010302010302010302010302> Tj ET\n";
    pdfw w;

    pw_begin(&w);
    pw_catalog(&w, "<< /Font << /F1 5 0 R >> >>", 4);
    pw_stream(&w, 4, "", content, strlen(content));
    pw_obj(&w, 5,
           "<< /Type /Font /Subtype /Type3 /FontBBox [0 0 800 800] "
           "/FontMatrix [0.001 0 0 0.001 0 0] /CharProcs << /zq1 6 0 R /zq2 6 0 R /zq3 6 0 R >> "
           "/Encoding << /Type /Encoding /Differences [1 /zq1 /zq2 /zq3] >> "
           "/FirstChar 1 /LastChar 3 /Widths [800 800 800] /Resources << >> >>");
    pw_stream(&w, 6, "", glyph, strlen(glyph));
    return pw_finish(&w, path, 0);
}

/* One digital page whose CropBox [150 200 462 600] lies inside its
 * MediaBox [0 0 612 792]: four lines of words inside the crop, as a viewer
 * (and docclass's renderer) shows the page. */
int dc_pdf_gen_cropped(const char *path)
{
    static const char content[] =
        "BT /F1 20 Tf 170 560 Td (Cropped page words) Tj 0 -40 Td (inside the crop box) Tj "
        "0 -40 Td (boxes follow the crop) Tj 0 -40 Td (not the media box) Tj ET\n";
    pdfw w;

    pw_begin(&w);
    pw_obj(&w, 1, "<< /Type /Catalog /Pages 2 0 R >>");
    pw_obj(&w, 2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    pw_obj(&w, 3,
           "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /CropBox [150 200 462 600] "
           "/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>");
    pw_stream(&w, 4, "", content, strlen(content));
    pw_obj(&w, 5, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    return pw_finish(&w, path, 0);
}

/* One digital page, encrypted with user password user (owner "owner"). */
int dc_pdf_gen_encrypted(const char *path, const char *user)
{
    static const char content[] =
        "BT /F1 14 Tf 72 700 Td (Secret quarterly numbers are inside) Tj ET\n";
    pdfw w;

    pw_begin(&w);
    pw_encrypt(&w, 6, user, "owner");
    pw_catalog(&w, "<< /Font << /F1 5 0 R >> >>", 4);
    pw_stream(&w, 4, "", content, strlen(content));
    pw_obj(&w, 5, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    return pw_finish(&w, path, 6);
}

/* ---------------------------------------------------------------- samples */

static int sample(const char *dir, const char *name, const char *kinds)
{
    char path[4096];

    (void)snprintf(path, sizeof(path), "%s/%s", dir, name);
    return dc_pdf_gen_pages(path, kinds);
}

int dc_gen_pdf_samples(const char *dir)
{
    if (sample(dir, "digital.pdf", "dd") < 0 || sample(dir, "scan.pdf", "s") < 0 ||
        sample(dir, "hybrid.pdf", "h") < 0 || sample(dir, "three-pages.pdf", "dsh") < 0)
        return -1;
    return 0;
}
