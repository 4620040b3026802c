#!/bin/sh
# docclass diff: the per-page table on a digital PDF; exit 0 within
# --max-cer and 1 beyond; the CER against a ground truth equals one computed
# independently (python3, textbook Levenshtein); --json; usage errors; the
# HTML report (self-contained) opened in headless Chromium, the screenshot
# non-blank and different where the texts differ. Chromium is installed with
# apt-get when missing; without it the report part is skipped (exit 77 when
# nothing else failed). Needs $DOCCLASS, $DC_SAMPLEGEN, python3.
set -u
BIN=${DOCCLASS:?}
GEN=${DC_SAMPLEGEN:?}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
skipped=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
export OMP_THREAD_LIMIT=1

"$GEN" "$T" >/dev/null || { echo "FAIL cannot generate samples"; exit 1; }
cd "$T" || exit 1
printf '%s\n' "The quick brown fox jumps over the lazy dog" "Invoice number 4711 is due on March 3" \
    "Please remit payment to Acme Corporation" "Shipping address 12 Harbour Street Bristol" \
    "Thank you for your business" >gt.txt
sed -e 's/brown/brawn/; s/4711/4717/; s/Thank you for your business/Thanks for your order/' gt.txt >gt-bad.txt

# 1. digital PDF: per-page table, both modes agree, exit 0
"$BIN" diff --dpi 150 -j 1 digital.pdf >table.txt 2>err.txt
rc=$?
[ $rc -eq 0 ] && ok || { bad "digital.pdf exit $rc"; cat err.txt; }
grep -q '^   1  0.0000' table.txt && grep -q '^   2  ' table.txt && grep -q 'NATIVE_PDF/parser' table.txt \
    && grep -q 'NATIVE_PDF/ocr' table.txt && ok || { bad "digital.pdf table"; cat table.txt; }

# 2. scanned sample against a ground truth: CER equals an independent computation
"$BIN" diff --dpi 150 -j 1 --json scan.pdf --b-file gt-bad.txt >scan.json
rc=$?
[ $rc -eq 1 ] && ok || bad "scan.pdf vs a wrong ground truth exit $rc (want 1)"
"$BIN" extract --format text --dpi 150 -j 1 --limits none scan.pdf >ocr.txt 2>/dev/null
python3 - ocr.txt gt-bad.txt scan.json <<'PY' && ok || bad "CER is not the independent one"
import json, sys
def norm(t): return " ".join(t.split())
def lev(a, b):
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]
a = norm(open(sys.argv[1]).read()); b = norm(open(sys.argv[2]).read())
want = lev(a, b) / len(b)
got = json.load(open(sys.argv[3]))["pages"][0]["cer"]
print("CER docclass %.6f independent %.6f" % (got, want))
sys.exit(0 if abs(got - want) < 1e-9 and got > 0 else 1)
PY
"$BIN" diff --dpi 150 -j 1 scan.pdf --b-file gt-bad.txt --max-cer 0.5 >/dev/null
rc=$?
[ $rc -eq 0 ] && ok || bad "within --max-cer 0.5 exit $rc (want 0)"
"$BIN" diff --a-file gt.txt --b-file gt-bad.txt --words >words.txt
[ $? -eq 1 ] && grep -q '^-brown$' words.txt && grep -q '^+brawn$' words.txt && ok || bad "--words"

# 3. errors: usage 2, unreadable 4, bad result file 5
"$BIN" diff >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "no FILE: want 2"
"$BIN" diff --max-cer x digital.pdf >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "bad --max-cer: want 2"
"$BIN" diff no-such.pdf >/dev/null 2>&1; [ $? -eq 4 ] && ok || bad "missing FILE: want 4"
printf '{"x":1}' >odd.json
"$BIN" diff --a-file odd.json --b-file gt.txt >/dev/null 2>&1; [ $? -eq 5 ] && ok || bad "odd JSON: want 5"

# 3b. isolation: a hang, a crash, a memory blow-up in the worker end in one
# line and exit 10 / 1, with nothing on stdout (tests/docclass_faulty)
FAULTY=${DOCCLASS_FAULTY:-}
if [ -n "$FAULTY" ] && [ -x "$FAULTY" ]; then
    DOCCLASS_FAULT=hang "$FAULTY" diff --timeout 1 digital.pdf >out.txt 2>err.txt
    rc=$?
    [ $rc -eq 10 ] && [ ! -s out.txt ] && [ "$(wc -l <err.txt)" -eq 1 ] &&
        grep -q "digital.pdf: stopped after the 1 s time limit" err.txt && ok ||
        { bad "diff hang: exit $rc"; cat err.txt; }
    DOCCLASS_FAULT=crash "$FAULTY" diff digital.pdf >out.txt 2>err.txt
    rc=$?
    [ $rc -eq 1 ] && [ ! -s out.txt ] && grep -q "worker crashed (signal " err.txt && ok ||
        { bad "diff crash: exit $rc"; cat err.txt; }
    DOCCLASS_FAULT=memory "$FAULTY" diff --max-memory 200 digital.pdf >out.txt 2>err.txt
    rc=$?
    [ $rc -eq 10 ] && [ ! -s out.txt ] && grep -q "memory limit" err.txt && ok ||
        { bad "diff memory: exit $rc"; cat err.txt; }
fi

# 4. HTML reports: three pages; A the truth of page 2 altered or not
"$BIN" extract --format textract --dpi 150 -j 1 --limits none three-pages.pdf >tx.json 2>/dev/null
python3 - tx.json tx-bad.json <<'PY' || bad "cannot alter the Textract JSON"
import json, sys
d = json.load(open(sys.argv[1]))
for b in d["Blocks"]:
    if b.get("Page") == 2 and b["BlockType"] in ("LINE", "WORD"):
        b["Text"] = b["Text"].replace("Invoice", "Receipt").replace("Acme", "Zenith")
json.dump(d, open(sys.argv[2], "w"))
PY
"$BIN" diff --dpi 150 -j 1 three-pages.pdf --a-file tx.json --html same.html --png pngs >/dev/null
[ $? -eq 0 ] && [ -s pngs/page-3.png ] && ok || bad "report of agreeing sides"
"$BIN" diff --dpi 150 -j 1 three-pages.pdf --a-file tx-bad.json --html differ.html >/dev/null
[ $? -eq 1 ] && ok || bad "report of differing sides: want exit 1"
grep -q 'data:image/png;base64,' differ.html && grep -q 'class="aonly">Receipt' differ.html \
    && ! grep -Eq '(src|href)="(https?:)?//' differ.html && ok || bad "report content"

CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ] && [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >/dev/null 2>&1
    CHROME=$(command -v chromium || true)
fi
shot() {
    timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$(mktemp -d "$T/prof.XXXXXX")" --screenshot="$2" --window-size=1200,2000 \
        "file://$T/$1" >/dev/null 2>&1
}
# Ubuntu's chromium package is a stub that runs the snap, which a chroot or
# a container does not have: a browser that cannot even say its version is
# no browser
if [ -n "$CHROME" ] && ! timeout 60 "$CHROME" --headless --no-sandbox --version >/dev/null 2>&1; then
    echo "SKIP $CHROME does not run here (a snap stub?): report rendering not checked"
    CHROME=""
    skipped=1
fi
if [ -z "$CHROME" ]; then
    [ "${skipped:-0}" = 1 ] ||
        echo "SKIP chromium is not installed and cannot be installed: report rendering not checked"
    skipped=1
else
    shot same.html same.png && shot differ.html differ.png && ok || bad "chromium screenshot"
    python3 - same.png differ.png <<'PY' && ok || bad "screenshots blank or equal"
import struct, sys, zlib
def load(p):
    d = open(p, "rb").read(); assert d[:8] == b"\x89PNG\r\n\x1a\n"
    i, idat, w = 8, b"", 0
    while i < len(d):
        n, t = struct.unpack(">I4s", d[i:i + 8]); c = d[i + 8:i + 8 + n]
        if t == b"IHDR": w, h, bd, ct = struct.unpack(">IIBB", c[:10])
        if t == b"IDAT": idat += c
        i += 12 + n
    raw = zlib.decompress(idat); bpp = {2: 3, 6: 4}[ct]; stride = w * bpp
    rows, prev, k = [], bytearray(stride), 0
    for y in range(h):
        f = raw[k]; line = bytearray(raw[k + 1:k + 1 + stride]); k += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0; b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line)); prev = line
    return w, h, bpp, rows
w, h, bpp, s = load(sys.argv[1]); _, _, _, d = load(sys.argv[2])
colours = set()
for r in s[::8]:
    for x in range(0, len(r), bpp * 8): colours.add(r[x:x + 3])
diff_rows = sum(1 for a, b in zip(s, d) if a != b)
print("screenshot %dx%d, %d colours sampled, %d rows differ" % (w, h, len(colours), diff_rows))
sys.exit(0 if len(colours) > 20 and diff_rows > 10 else 1)
PY
fi

echo "run_diff: $pass passed, $fail failed"
[ $fail -eq 0 ] || exit 1
[ $skipped -eq 0 ] || exit 77
exit 0
