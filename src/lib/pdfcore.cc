/*
 * PDF core: Poppler's C++ library (libpoppler-private-dev), the same code
 * pdftotext and pdftoppm run. The only file that includes poppler; the
 * interface and its reasons are in pdfcore.h and docs/routing.md.
 *
 * Poppler has no stable C++ API: this file builds against every release
 * from 22.03 to 26.07, the differences behind pdfcore_compat.h.
 */
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <vector>

#include <Error.h>
#include <ErrorCodes.h>
#include <GlobalParams.h>
#include <GfxState.h>
#include <PDFDoc.h>
#include <Page.h>
#include <SplashOutputDev.h>
#include <Stream.h>
#include <TextOutputDev.h>
#include <UnicodeMap.h>
#include <goo/GooString.h>
#include <splash/SplashBitmap.h>

#include "pdfcore.h"
#include "pdfcore_compat.h"

extern "C" {
#include "internal.h"
}

/*
 * The handle keeps what one pass collects (the page's text, its words) in
 * buffers reused from page to page: a page costs no growing buffers, and
 * the caller's copies, of their exact sizes, are made once Poppler has
 * freed the page's text layout, so long-lived data does not end up
 * scattered between the next page's short-lived allocations.
 */
struct dc_pdfcore {
    std::unique_ptr<PDFDoc> doc;
    dc_buf text = DC_BUF_INIT;
    std::vector<dc_pdfcore_word> words; /* texts: consecutive in word_text */
    std::string word_text;              /* a buffer: its first word_len bytes */
    size_t word_len = 0;

    ~dc_pdfcore()
    {
        dc_buf_dispose(&text);
    }
};

namespace
{

std::once_flag init_once;

/* Poppler writes syntax errors of damaged files to stderr by default; the
 * caller reports what matters in its own words. */
void quiet(ErrorCategory, Goffset, const char *)
{
}

void init()
{
    std::call_once(init_once, [] {
        setErrorCallback(quiet);
        if (!globalParams)
            globalParams = std::make_unique<GlobalParams>();
        globalParams->setTextEncoding("UTF-8");
    });
}

int is_space(Unicode u)
{
    return u == ' ' || (u >= '\t' && u <= '\r') || u == 0xA0 || u == 0x3000;
}

int is_unmapped(Unicode u)
{
    if (u == 0xFFFD || (u < 0x20 && !std::strchr("\t\n\r\f", (int)u)))
        return 1;
    return (u >= 0x7F && u <= 0x9F) || (u >= 0xE000 && u <= 0xF8FF) || u >= 0xF0000;
}

double clipped_area(double x0, double y0, double x1, double y1, double w, double h)
{
    double a0 = std::max(0.0, std::min(x0, x1)), a1 = std::min(w, std::max(x0, x1));
    double b0 = std::max(0.0, std::min(y0, y1)), b1 = std::min(h, std::max(y0, y1));

    return a1 > a0 && b1 > b0 ? (a1 - a0) * (b1 - b0) : 0;
}

/* TextOutputFunc: the page's text into a capped buffer; the first write
 * over the cap leaves its error in the buffer's last result. */
struct text_sink {
    dc_buf *b;
    int err;
};

void append_text(void *stream, const char *text, int len)
{
    auto *t = static_cast<text_sink *>(stream);

    if (len > 0 && t->err >= 0)
        t->err = dc_buf_put(t->b, text, (size_t)len);
}

/*
 * TextOutputDev as pdftotext runs it, watching the same pass for the
 * router's signals. needNonText is turned on so that images reach the
 * device (their data is not decoded: OutputDev's defaults only skip inline
 * image bytes); shadings and tiling patterns are taken as drawn without
 * being expanded (text inside them is skipped, as pdftotext skips it), so
 * text extraction costs what it costs pdftotext.
 */
class SignalTextDev : public TextOutputDev
{
  public:
    SignalTextDev(TextOutputFunc func,
                  void *stream,
                  dc_pdfcore_page *p,
                  const PDFRectangle *crop_rect,
                  std::vector<dc_pdfcore_word> *word_list,
                  std::string *word_text,
                  size_t *word_len)
        : TextOutputDev(func, stream, false, 0, false, false), pg(p), crop_box(crop_rect),
          words(word_list), wtext(word_text), wlen(word_len)
    {
    }

    bool needNonText() override
    {
        return true;
    }
    bool useTilingPatternFill() override
    {
        return true;
    }
    bool useShadedFills(int) override
    {
        return true;
    }
    bool tilingPatternFill(GfxState *,
                           Gfx *,
                           Catalog *,
                           GfxTilingPattern *,
                           dc_compat::TilingMatrix,
                           int,
                           int,
                           int,
                           int,
                           double,
                           double) override
    {
        return true;
    }
    bool functionShadedFill(GfxState *, GfxFunctionShading *) override
    {
        return true;
    }
    bool axialShadedFill(GfxState *, GfxAxialShading *, double, double) override
    {
        return true;
    }
    bool radialShadedFill(GfxState *, GfxRadialShading *, double, double) override
    {
        return true;
    }
    bool gouraudTriangleShadedFill(GfxState *, GfxGouraudTriangleShading *) override
    {
        return true;
    }
    bool patchMeshShadedFill(GfxState *, GfxPatchMeshShading *) override
    {
        return true;
    }

    void startPage(int pageNum, GfxState *state, XRef *xref) override
    {
        TextOutputDev::startPage(pageNum, state, xref);
        if (state) {
            pg->pass_w = state->getPageWidth();
            pg->pass_h = state->getPageHeight();
        }
        if (state && crop_box) {
            /* the crop box in the pass's device space (media box, page
             * rotation applied): the page as it is rendered */
            double xs[2], ys[2];
            state->transform(crop_box->x1, crop_box->y1, &xs[0], &ys[0]);
            state->transform(crop_box->x2, crop_box->y2, &xs[1], &ys[1]);
            crop[0] = std::min(xs[0], xs[1]);
            crop[1] = std::min(ys[0], ys[1]);
            crop[2] = std::max(xs[0], xs[1]);
            crop[3] = std::max(ys[0], ys[1]);
        }
    }

    void drawChar(GfxState *state,
                  double x,
                  double y,
                  double dx,
                  double dy,
                  double originX,
                  double originY,
                  CharCode c,
                  int nBytes,
                  const Unicode *u,
                  int uLen) override
    {
        if (uLen <= 0 || !u) {
            /* no text at all: pdftotext drops it, and so does a ligature's
             * second glyph when the first carries the whole mapping */
            pg->nomap++;
        } else if (state->getRender() == 3 || state->getRender() == 7) {
            for (int k = 0; k < uLen; k++)
                pg->invisible += !is_space(u[k]);
        }
        TextOutputDev::drawChar(state, x, y, dx, dy, originX, originY, c, nBytes, u, uLen);
    }

    /* Characters and their area, from the words the page kept (characters
     * off the page are already gone): cheaper than measuring each drawn
     * character, and the same characters pdftotext prints. The words are
     * kept too, when asked for, in the order of poppler's word list (flows,
     * blocks, lines), with boxes as fractions of the crop box. */
    void count_words()
    {
        double w = pg->pass_w, h = pg->pass_h;
        /* looked up once a page: GlobalParams locks for it */
        const UnicodeMap *map = words ? globalParams->getTextEncoding() : nullptr;

        for (const TextFlow *f = getFlows(); f; f = f->getNext())
            for (const TextBlock *b = f->getBlocks(); b; b = b->getNext())
                for (const TextLine *l = b->getLines(); l; l = l->getNext())
                    for (const TextWord *wd = l->getWords(); wd; wd = wd->getNext())
                        take_word(wd, map, w, h);
        if (pg->invisible > pg->chars)
            pg->invisible = pg->chars;
    }

    void drawImageMask(GfxState *state,
                       Object *ref,
                       Stream *str,
                       int width,
                       int height,
                       bool invert,
                       bool interpolate,
                       bool inlineImg) override
    {
        image(state, width, height);
        OutputDev::drawImageMask(state, ref, str, width, height, invert, interpolate, inlineImg);
    }
    void drawImage(GfxState *state,
                   Object *ref,
                   Stream *str,
                   int width,
                   int height,
                   GfxImageColorMap *colorMap,
                   bool interpolate,
                   const int *maskColors,
                   bool inlineImg) override
    {
        image(state, width, height);
        OutputDev::drawImage(state, ref, str, width, height, colorMap, interpolate, maskColors,
                             inlineImg);
    }
    void drawMaskedImage(GfxState *state,
                         Object *,
                         Stream *,
                         int width,
                         int height,
                         GfxImageColorMap *,
                         bool,
                         Stream *,
                         int,
                         int,
                         bool,
                         bool) override
    {
        image(state, width, height);
    }
    void drawSoftMaskedImage(GfxState *state,
                             Object *,
                             Stream *,
                             int width,
                             int height,
                             GfxImageColorMap *,
                             bool,
                             Stream *,
                             int,
                             int,
                             GfxImageColorMap *,
                             bool) override
    {
        image(state, width, height);
    }

  private:
    dc_pdfcore_page *pg;
    const PDFRectangle *crop_box;
    double crop[4] = {0, 0, 1, 1};
    std::vector<dc_pdfcore_word> *words;
    std::string *wtext;
    size_t *wlen;

    /*
     * One word of the page, in one walk over its characters: the router's
     * counts (shown and unmapped characters, the area of words with ink)
     * and, when words are kept (and so there is a map), the text as
     * TextWord::getText gives it (each character through the text
     * encoding's map, UTF-8) appended to the page's word text, with the box
     * as fractions of the crop box. The texts get their pointers once the
     * page is done (the buffer may move while it grows).
     */
    void take_word(const TextWord *wd, const UnicodeMap *map, double w, double h)
    {
        int n = wd->getLength();
        size_t shown = 0, len = 0, start = wlen ? *wlen : 0;
        size_t need = start + (size_t)std::max(n, 0) * 8;
        double box[4];

        if (map && wtext->size() < need) /* grows geometrically, never shrinks */
            wtext->resize(std::max(need, wtext->size() * 2));
        for (int k = 0; k < n; k++) {
            Unicode u = *wd->getChar(k);
            if (map)
                len += (size_t)std::max(map->mapUnicode(u, &(*wtext)[start + len], 8), 0);
            if (is_space(u))
                continue;
            shown++;
            pg->unmapped += (size_t)is_unmapped(u);
        }
        if (map)
            *wlen = start + len;
        pg->chars += shown;
        if (!shown && !len)
            return;
        wd->getBBox(&box[0], &box[1], &box[2], &box[3]);
        if (shown)
            pg->text_area += clipped_area(box[0], box[1], box[2], box[3], w, h);
        if (!len)
            return;
        double cw = std::max(1e-9, crop[2] - crop[0]), ch = std::max(1e-9, crop[3] - crop[1]);
        dc_pdfcore_word word{nullptr,
                             len,
                             {std::clamp((box[0] - crop[0]) / cw, 0.0, 1.0),
                              std::clamp((box[1] - crop[1]) / ch, 0.0, 1.0),
                              std::clamp((box[2] - crop[0]) / cw, 0.0, 1.0),
                              std::clamp((box[3] - crop[1]) / ch, 0.0, 1.0)}};
        words->push_back(word);
    }

    /* The image's placement is the unit square through the CTM. */
    void image(GfxState *state, int width, int height)
    {
        double xs[4], ys[4], ux, uy, vx, vy;
        double w = state->getPageWidth(), h = state->getPageHeight();

        state->transform(0, 0, &xs[0], &ys[0]);
        state->transform(1, 0, &xs[1], &ys[1]);
        state->transform(0, 1, &xs[2], &ys[2]);
        state->transform(1, 1, &xs[3], &ys[3]);
        state->transformDelta(1, 0, &ux, &uy);
        state->transformDelta(0, 1, &vx, &vy);
        double x0 = *std::min_element(xs, xs + 4), x1 = *std::max_element(xs, xs + 4);
        double y0 = *std::min_element(ys, ys + 4), y1 = *std::max_element(ys, ys + 4);
        double area = clipped_area(x0, y0, x1, y1, w, h);
        double lu = std::hypot(ux, uy), lv = std::hypot(vx, vy);

        if (!std::isfinite(area))
            return;
        pg->images++;
        pg->image_total_area += area;
        if (area <= pg->image_max_area && pg->images > 1)
            return;
        pg->image_max_area = area;
        pg->px_w = width;
        pg->px_h = height;
        pg->dpi = lu > 0 && lv > 0 ? std::min(width / (lu / 72.0), height / (lv / 72.0)) : 0;
    }
};

/* Poppler's reason for not opening a document, in words. */
const char *open_error(int code)
{
    switch (code) {
    case errBadCatalog:
        return "its catalog (the document root) cannot be read";
    case errDamaged:
        return "its structure is broken beyond repair (no usable cross-reference table or "
               "page tree)";
    case errFileIO:
        return "it ends too early or cannot be read";
    default:
        return "Poppler cannot read it";
    }
}

int page_number(const dc_pdfcore *pdf, size_t i)
{
    if (!pdf || i >= (size_t)pdf->doc->getNumPages())
        return -1;
    return (int)i + 1;
}

} // namespace

extern "C" int dc_pdfcore_open(
    dc_pdfcore **out, int *encrypted, const void *data, size_t len, const char *password)
{
    *out = nullptr;
    *encrypted = 0;
    try {
        init();
        auto open = [&](const char *pw) {
            std::optional<GooString> p;
            if (pw)
                p = GooString(pw);
            /* as poppler-glib opens bytes: a null dictionary */
            auto *st = new MemStream(static_cast<const char *>(data), 0, (Goffset)len,
                                     dc_compat::null_object());
            return dc_compat::make_doc(st, p);
        };
        std::unique_ptr<PDFDoc> doc = open(nullptr);
        if (!doc->isOk() && doc->getErrorCode() == errEncrypted) {
            if (!password)
                return dc_error_set(DC_EPASSWORD,
                                    "encrypted PDF: a password is needed (--password); "
                                    "ClassifyDocument refuses password-protected PDFs: "
                                    "INVALID_DOCUMENT");
            *encrypted = 1;
            doc = open(password);
            if (!doc->isOk() && doc->getErrorCode() == errEncrypted)
                return dc_error_set(DC_EPASSWORD,
                                    "encrypted PDF: the password is wrong; ClassifyDocument "
                                    "refuses password-protected PDFs: INVALID_DOCUMENT");
        }
        if (!doc->isOk())
            return dc_error_set(DC_ECORRUPT, "damaged PDF: %s", open_error(doc->getErrorCode()));
        auto *pdf = new dc_pdfcore;
        pdf->doc = std::move(doc);
        *out = pdf;
        return DC_OK;
    } catch (const std::bad_alloc &) {
        return dc_error_oom();
    } catch (...) {
        return dc_error_set(DC_ECORRUPT, "damaged PDF: poppler failed to read it");
    }
}

extern "C" void dc_pdfcore_close(dc_pdfcore *pdf)
{
    delete pdf;
}

extern "C" size_t dc_pdfcore_npages(const dc_pdfcore *pdf)
{
    int n = pdf ? pdf->doc->getNumPages() : 0;
    return n > 0 ? (size_t)n : 0;
}

extern "C" void dc_pdfcore_page_size(const dc_pdfcore *pdf, size_t i, double *w, double *h)
{
    int n = page_number(pdf, i);
    Page *page = n > 0 ? pdf->doc->getPage(n) : nullptr;

    *w = *h = 0;
    if (!page)
        return;
    *w = page->getCropWidth();
    *h = page->getCropHeight();
    if (page->getRotate() % 180 != 0)
        std::swap(*w, *h);
}

extern "C" int dc_pdfcore_analyze(
    dc_pdfcore *pdf, size_t i, int want_text, size_t max_text, int want_words, dc_pdfcore_page *out)
{
    int n = page_number(pdf, i);

    std::memset(out, 0, sizeof(*out));
    if (n < 0 || !pdf->doc->getPage(n))
        return dc_error_set(DC_ECORRUPT, "page %zu cannot be read", i + 1);
    text_sink sink{&pdf->text, DC_OK};
    int err = DC_OK;

    dc_buf_clear(&pdf->text);
    pdf->text.max = max_text;
    pdf->words.clear();
    pdf->word_len = 0;
    try {
        /* the device and Poppler's text layout of the page live in this
         * scope only: the caller's copies below come after they are freed */
        SignalTextDev dev(want_text ? append_text : nullptr, want_text ? &sink : nullptr, out,
                          want_words ? pdf->doc->getPage(n)->getCropBox() : nullptr,
                          want_words ? &pdf->words : nullptr,
                          want_words ? &pdf->word_text : nullptr,
                          want_words ? &pdf->word_len : nullptr);

        dev.setTextPageBreaks(false);
        dev.setTextEOL(eolUnix);
        dc_pdfcore_page_size(pdf, i, &out->width, &out->height);
        /* pdftotext's call: 72 dpi, no rotation, media box, no crop */
        pdf->doc->displayPage(&dev, n, 72, 72, 0, true, false, false);
        dev.count_words();
    } catch (const std::bad_alloc &) {
        err = dc_error_oom();
    } catch (...) {
        err = dc_error_set(DC_ECORRUPT, "page %zu: poppler failed to read it", i + 1);
    }
    if (err >= 0 && sink.err < 0)
        err = sink.err == DC_ELIMIT
                  ? dc_error_set(DC_ELIMIT, "page text is over the %zu-byte cap", max_text)
                  : sink.err;
    if (err >= 0 && want_text) {
        size_t len = pdf->text.len;
        out->text = static_cast<char *>(std::malloc(len + 1));
        if (!out->text)
            return dc_error_oom();
        if (len)
            std::memcpy(out->text, pdf->text.ptr, len);
        out->text[len] = '\0';
        out->len = len;
    }
    if (err >= 0 && want_words) {
        const char *t = pdf->word_text.data();
        for (dc_pdfcore_word &w : pdf->words) {
            w.text = t;
            t += w.len;
        }
        out->words = pdf->words.data();
        out->nwords = pdf->words.size();
        out->word_bytes = pdf->word_len;
    }
    return err;
}

extern "C" void dc_pdfcore_page_dispose(dc_pdfcore_page *p)
{
    std::free(p->text);
    p->text = nullptr;
    p->len = 0;
}

extern "C" int
dc_pdfcore_render(dc_pdfcore *pdf, size_t i, double dpi, unsigned char **px, int *w, int *h)
{
    int n = page_number(pdf, i);

    *px = nullptr;
    *w = *h = 0;
    if (n < 0 || !pdf->doc->getPage(n))
        return dc_error_set(DC_ECORRUPT, "page %zu cannot be read", i + 1);
    try {
        SplashColor paper;
        paper[0] = 0xFF;
        std::unique_ptr<SplashOutputDev> dev = dc_compat::make_splash(splashModeMono8, 1, paper);
        dev->setFontAntialias(true);
        dev->setVectorAntialias(true);
        dev->startDoc(pdf->doc.get());
        /* the crop box, as a viewer (and poppler-glib) shows the page */
        pdf->doc->displayPage(dev.get(), n, dpi, dpi, 0, false, true, false);
        SplashBitmap *bm = dev->getBitmap();
        if (!bm || bm->getWidth() < 1 || bm->getHeight() < 1 || !bm->getDataPtr())
            return dc_error_set(DC_ELIMIT, "page %zu cannot be rendered at %.0f dpi", i + 1, dpi);
        size_t bw = (size_t)bm->getWidth(), bh = (size_t)bm->getHeight();
        auto *buf = static_cast<unsigned char *>(std::malloc(bw * bh));
        if (!buf)
            return dc_error_oom();
        const unsigned char *src = bm->getDataPtr();
        size_t row = (size_t)bm->getRowSize();
        for (size_t y = 0; y < bh; y++)
            std::memcpy(buf + y * bw, src + y * row, bw);
        *px = buf;
        *w = (int)bw;
        *h = (int)bh;
        return DC_OK;
    } catch (const std::bad_alloc &) {
        return dc_error_oom();
    } catch (...) {
        return dc_error_set(DC_ELIMIT, "page %zu cannot be rendered at %.0f dpi", i + 1, dpi);
    }
}
