#!/bin/sh
# Parser text of digital PDF pages against pdftotext (the same Poppler): the
# words must be the same, in the same order; planning on several threads
# must give the same result as on one. Needs $DOCCLASS, $DC_SAMPLEGEN,
# python3 and pdftotext (poppler-utils; exit 77 = skipped without it).
set -u
BIN=${DOCCLASS:?}
GEN=${DC_SAMPLEGEN:?}
command -v pdftotext >/dev/null 2>&1 || { echo "skip: no pdftotext"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }

# same_words A B: the whitespace-separated words of A and B are equal
same_words() {
    python3 - "$1" "$2" <<'PY'
import sys
a = open(sys.argv[1], encoding="utf-8").read().split()
b = open(sys.argv[2], encoding="utf-8").read().split()
if a != b:
    n = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    print("  %d vs %d words; first difference at word %d: %r vs %r"
          % (len(a), len(b), n, a[n:n + 3], b[n:n + 3]))
    sys.exit(1)
PY
}

# 1. a 40-page digital PDF: docclass's text is pdftotext's
"$GEN" --pages "$T/d40.pdf" dddddddddddddddddddddddddddddddddddddddd || exit 1
"$BIN" extract --format text "$T/d40.pdf" >"$T/dc.txt" 2>"$T/err"
rc=$?
pdftotext -enc UTF-8 "$T/d40.pdf" "$T/pt.txt"
[ "$rc" -eq 0 ] || [ "$rc" -eq 9 ] || bad "extract d40.pdf: exit $rc ($(head -1 "$T/err"))"
[ -s "$T/pt.txt" ] && same_words "$T/dc.txt" "$T/pt.txt" && ok || bad "40 digital pages: words differ from pdftotext"

# 2. the bundled samples with digital pages, page by page
for f in digital three-pages; do
    src=$(dirname "$0")/../../samples/$f.pdf
    "$BIN" extract --limits none "$src" >"$T/$f.json" 2>/dev/null
    python3 - "$T/$f.json" "$T/$f" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for p in r["pages"]:
    if p["extractor"] == "parser":
        open("%s.p%d" % (sys.argv[2], p["Page"]), "w", encoding="utf-8").write(p["text"])
PY
    n=0
    for page in "$T/$f".p*; do
        [ -e "$page" ] || continue
        k=${page##*.p}
        pdftotext -enc UTF-8 -f "$k" -l "$k" "$src" "$T/pt-$k.txt"
        same_words "$page" "$T/pt-$k.txt" || bad "$f.pdf page $k: words differ from pdftotext"
        n=$((n + 1))
    done
    [ "$n" -gt 0 ] && ok || bad "$f.pdf: no parser page compared"
done

# 3. threads: -j 1 and -j 2 give the same JSON (routing, text, order)
"$GEN" --pages "$T/mix.pdf" ddddsddddddddddddddddddddddddddddddddbdd || exit 1
"$BIN" extract --no-rotate -j 1 --limits none "$T/mix.pdf" >"$T/j1.json" 2>/dev/null
"$BIN" extract --no-rotate -j 2 --limits none "$T/mix.pdf" >"$T/j2.json" 2>/dev/null
python3 - "$T/j1.json" "$T/j2.json" <<'PY' && ok || bad "-j 1 and -j 2 differ"
import json, sys
def untimed(o):
    """o without its wall times (*seconds), which differ between runs"""
    if isinstance(o, dict):
        return {k: untimed(v) for k, v in o.items() if not k.endswith("seconds")}
    if isinstance(o, list):
        return [untimed(v) for v in o]
    return o
def strip(r):
    return untimed(r)
a, b = (strip(json.load(open(f))) for f in sys.argv[1:3])
assert len(a["pages"]) == 40, len(a["pages"])
assert [p["Page"] for p in a["pages"]] == list(range(1, 41))
assert a == b, "outputs differ"
assert a["pages"][4]["extractor"] == "ocr" and a["pages"][0]["extractor"] == "parser"
PY

# 4. when ../shared/corpus is there: right-to-left text, ligature glyphs
# without a mapping of their own, rotated pages, a form, a CID font
C=${DC_CORPUS:-}
if [ -n "$C" ] && [ -d "$C" ]; then
    for f in py-pdf__sample-files/015-arabic/habibi.pdf \
        py-pdf__sample-files/015-arabic/habibi-rotated.pdf \
        mozilla__pdf.js/test/pdfs/ArabicCIDTrueType.pdf \
        py-pdf__sample-files/012-libreoffice-form/libreoffice-form.pdf \
        mozilla__pdf.js/test/pdfs/standard_fonts.pdf; do
        [ -f "$C/$f" ] || continue
        "$BIN" extract --format text --limits none "$C/$f" >"$T/c.txt" 2>/dev/null
        pdftotext -enc UTF-8 "$C/$f" "$T/cp.txt"
        same_words "$T/c.txt" "$T/cp.txt" && ok || bad "corpus $f: words differ from pdftotext"
    done
else
    echo "corpus checks skipped: ../shared/corpus is absent"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
