/*
 * The differences between Poppler releases that pdfcore.cc meets, from
 * 22.03 (the first with std::optional passwords) to 26.07, each behind one
 * helper so that pdfcore.cc reads the same for all of them. Keyed on
 * DC_POPPLER_VERSION (MMmmpp: 25.09.0 is 250900), which CMake makes from
 * the version pkg-config reports (poppler-config.h gives only a string).
 * scripts/poppler-headers-check compiles pdfcore.cc against the headers of
 * every release; docs/platforms.md lists what was checked.
 *
 *   24.05  headers need C++20 (std::string::starts_with): CMakeLists.txt
 *   25.05  Object(ObjType) private, Object::null() added: null_object()
 *   25.09  OutputDev::tilingPatternFill takes const std::array<double,6> &
 *   25.10  GooString::getLength gone: toStr().size() works everywhere
 *   25.12  TextWordList::getLength/get replaced by getWords(), and
 *   26.01  TextWord::getText returns std::unique_ptr<std::string>: neither
 *          is used (words come from the text pass, their characters through
 *          the text encoding's UnicodeMap, the same in every release)
 *   26.02  SplashOutputDev loses reverseVideo: make_splash();
 *          PDFDoc takes std::unique_ptr<BaseStream>: make_doc()
 */
#ifndef DC_PDFCORE_COMPAT_H
#define DC_PDFCORE_COMPAT_H

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <Object.h>
#include <PDFDoc.h>
#include <SplashOutputDev.h>
#include <TextOutputDev.h>
#include <goo/GooString.h>

#ifndef DC_POPPLER_VERSION
#error "DC_POPPLER_VERSION (major * 10000 + minor * 100 + micro) must come from the build"
#endif
#define DC_POPPLER_AT_LEAST(major, minor) (DC_POPPLER_VERSION >= (major)*10000 + (minor)*100)

namespace dc_compat
{

/* OutputDev::tilingPatternFill's pattern matrix (an override must match). */
#if DC_POPPLER_AT_LEAST(25, 9)
using TilingMatrix = const std::array<double, 6> &;
#else
using TilingMatrix = const double *;
#endif

/* A null Object: setToNull() is public in every release. */
inline Object null_object()
{
    Object o;
    o.setToNull();
    return o;
}

/* A document over a stream it owns, opened with one password for both. */
inline std::unique_ptr<PDFDoc> make_doc(BaseStream *st, const std::optional<GooString> &pw)
{
#if DC_POPPLER_AT_LEAST(26, 2)
    return std::make_unique<PDFDoc>(std::unique_ptr<BaseStream>(st), pw, pw);
#else
    return std::make_unique<PDFDoc>(st, pw, pw);
#endif
}

/* A Splash device drawing on paper, never in reverse video. */
inline std::unique_ptr<SplashOutputDev>
make_splash(SplashColorMode mode, int row_pad, SplashColorPtr paper)
{
#if DC_POPPLER_AT_LEAST(26, 2)
    return std::make_unique<SplashOutputDev>(mode, row_pad, paper);
#else
    return std::make_unique<SplashOutputDev>(mode, row_pad, false, paper);
#endif
}

} // namespace dc_compat

#endif
