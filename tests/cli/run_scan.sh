#!/bin/sh
# scan: a generated tree with known classes; isolation (hang, crash); resume
# after SIGKILL; shards. Needs $DOCCLASS, $DOCCLASS_FAULTY, $DC_SAMPLEGEN, python3.
set -u
BIN=${DOCCLASS:?}
FAULTY=${DOCCLASS_FAULTY:?}
GEN=${DC_SAMPLEGEN:?}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }

"$GEN" --tree "$T/tree" || { echo "FAIL cannot generate the tree"; exit 1; }
mv "$T/tree/expected.tsv" "$T/expected.tsv"
ln -s .. "$T/tree/scans/loop"
mkfifo "$T/tree/pipe"

# 1. classes and verdicts of every file match the generator's expectations
cd "$T/tree" || exit 1
if "$BIN" -q scan --progress never -j 2 -o "$T/report.jsonl" . 2>"$T/err"; then ok; else bad "scan exit $?"; cat "$T/err"; fi
python3 - "$T/expected.tsv" "$T/report.jsonl" <<'PY' && ok || bad "records against expected.tsv"
import json, sys
exp = {}
for l in open(sys.argv[1]):
    p, t, c = l.rstrip("\n").split("\t")
    exp["./" + p] = (t, c)
got = {}
for l in open(sys.argv[2]):
    r = json.loads(l)
    adm = r.get("admission", {}).get("realtime", {})
    codes = [x["code"] for x in adm.get("refusals", [])] + [x["code"] for x in adm.get("page_errors", [])]
    got[r["path"]] = (",".join(x["Type"] for x in r.get("page_classes", [])), ",".join(codes), r)
bad = 0
pages = agree = 0
for p, (t, c) in exp.items():
    g = got.get(p)
    if not g or g[0] != t or g[1] != c:
        print("  mismatch", p, "expected", (t, c), "got", g and g[:2])
        bad += 1
    if g:
        for a, b in zip(t.split(",") if t else [], g[0].split(",") if g[0] else []):
            pages += 1
            agree += a == b
assert got["./scans/loop"][2]["error"]["message"].startswith("symbolic link loop"), got["./scans/loop"]
assert "special file" in got["./pipe"][2]["error"]["message"]
assert len(got) == len(exp) + 2, (len(got), len(exp))
sd = got["./mixed.pdf"][2]["textract_pages"]
assert sd == {"SERVICE_DEFAULT": [2, 3], "FORCE_DOCUMENT_READ_ACTION": [1, 2, 3]}, sd
print("  routing agreement: %d/%d pages" % (agree, pages))
sys.exit(1 if bad else 0)
PY

# 2. --select and -0
"$BIN" -q scan --progress never --select scanned . >"$T/sel" 2>/dev/null
if [ "$(sort "$T/sel" | tr '\n' ' ')" = "./archive.zip!inner/scan.pdf ./oversized-page.pdf ./scans/hybrid.pdf ./scans/rotated.pdf ./scans/scan.pdf ./vector.pdf " ]; then ok; else bad "select scanned: $(tr '\n' ' ' <"$T/sel")"; fi
"$BIN" -q scan --progress never --select native -0 reports >"$T/sel0"
if [ "$(tr '\0' '|' <"$T/sel0")" = "reports/two-digital.pdf|" ]; then ok; else bad "select -0"; fi

# 3. a hang and a crash in a worker become records; the scan goes on
DOCCLASS_FAULT=hang DOCCLASS_FAULT_MATCH=mixed "$FAULTY" -q scan --progress never --timeout 2 -o "$T/hang.jsonl" . 2>/dev/null
python3 -c "
import json,sys
rs=[json.loads(l) for l in open('$T/hang.jsonl')]
m=[r for r in rs if r['path']=='./mixed.pdf'][0]
assert m['error']['code']=='TIMEOUT', m
assert len(rs)==$(wc -l <"$T/report.jsonl"), len(rs)
assert [r for r in rs if r['path']=='./digital.pdf'][0]['pages']==1
" && ok || bad "hang record"
DOCCLASS_FAULT=crash DOCCLASS_FAULT_MATCH=digital "$FAULTY" -q scan --progress never -o "$T/crash.jsonl" . 2>/dev/null
python3 -c "
import json
rs=[json.loads(l) for l in open('$T/crash.jsonl')]
c=[r for r in rs if 'digital' in r['path'] and 'error' in r]
assert len(c)==3 and all(r['error']['code']=='CRASH' for r in c), c
assert [r for r in rs if r['path']=='./mixed.pdf'][0]['pages']==3
" && ok || bad "crash records"

# a worker that cannot allocate a file's record: an OUT_OF_MEMORY error
# record for that file (the file was missing from the output before)
DOCCLASS_FAULT=record-oom DOCCLASS_FAULT_MATCH=mixed "$FAULTY" scan --progress never -o "$T/oom.jsonl" . 2>"$T/oom.err"
python3 -c "
import json
rs=[json.loads(l) for l in open('$T/oom.jsonl')]
m=[r for r in rs if r['path']=='./mixed.pdf']
assert len(m)==1 and m[0]['error']['code']=='OUT_OF_MEMORY', m
assert len(rs)==$(wc -l <"$T/report.jsonl"), len(rs)
assert [r for r in rs if r['path']=='./digital.pdf'][0]['pages']==1
" && grep -q "mixed.pdf: the worker ran out of memory making the record" "$T/oom.err" && ok || bad "record-oom record"

# 4. SIGKILL mid-scan (once the first records are written), then --resume:
# every file exactly once
N=600
mkdir "$T/many"
i=0
while [ $i -lt $N ]; do cp "$T/tree/mixed.pdf" "$T/many/m$i.pdf"; i=$((i + 1)); done
"$BIN" -q scan --progress never -j 2 -o "$T/killed.jsonl" "$T/many" &
pid=$!
tries=0
while [ "$(cat "$T/killed.jsonl" 2>/dev/null | wc -l)" -lt 5 ] && [ $tries -lt 2000 ]; do
    sleep 0.01
    tries=$((tries + 1))
done
kill -9 $pid
wait $pid 2>/dev/null
before=$(wc -l <"$T/killed.jsonl")
"$BIN" -q scan --progress never -j 2 --resume -o "$T/killed.jsonl" "$T/many" 2>/dev/null
python3 -c "
import json
ps=[json.loads(l)['path'] for l in open('$T/killed.jsonl')]
assert len(ps)==$N and len(set(ps))==$N, (len(ps), len(set(ps)))
" && ok || bad "resume after SIGKILL (before: $before records)"
[ "$before" -lt $N ] && ok || bad "the scan was not interrupted ($before records)"

# 5. shards: the union of all shards is the whole, with no overlap
for s in 0 1 2; do "$BIN" -q scan --progress never --shard $s/3 -o "$T/shard$s.jsonl" . 2>/dev/null; done
JOB_COMPLETION_INDEX=1 "$BIN" -q scan --progress never --shard auto/3 -o "$T/shardauto.jsonl" . 2>/dev/null
python3 -c "
import json
whole=sorted(json.loads(l)['path'] for l in open('$T/report.jsonl'))
parts=[[json.loads(l)['path'] for l in open('$T/shard%d.jsonl'%s)] for s in range(3)]
assert sorted(sum(parts,[]))==whole, 'union'
assert all(len(set(a)&set(b))==0 for a in parts for b in parts if a is not b), 'overlap'
assert sorted(json.loads(l)['path'] for l in open('$T/shardauto.jsonl'))==sorted(parts[1])
" && ok || bad "shards"

# 6. summary JSON, prices, usage errors
printf '{"currency":"USD","textract_per_page":{"TEXTRACT_DETECT_DOCUMENT_TEXT":0.0015},"comprehend_per_unit":0.0005,"comprehend_unit_characters":100,"comprehend_min_units":3}\n' >"$T/prices.json"
"$BIN" -q scan --progress never --count-chars --summary "$T/sum.json" --prices "$T/prices.json" -o /dev/null . 2>/dev/null
python3 -c "
import json
s=json.load(open('$T/sum.json'))
assert s['files']==19, s['files']
assert s['textract_pages']['SERVICE_DEFAULT']==8 and s['textract_pages']['FORCE_DOCUMENT_READ_ACTION']==14, s['textract_pages']
assert abs(s['cost']['textract']['SERVICE_DEFAULT']-0.012)<1e-9, s['cost']
assert s['admission']['realtime']['codes']['PAGE_LIMIT_EXCEEDED']==2
assert s['inference_characters']>0
" && ok || bad "summary"
"$BIN" scan --shard 3/3 . >/dev/null 2>"$T/err"; [ $? -eq 2 ] && grep -q "I/N" "$T/err" && ok || bad "bad shard usage"
"$BIN" scan --resume . >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "--resume needs --output"

# an empty folder: no record, a summary of nothing, exit 0 (the sorting of
# its entries was undefined behaviour: the sanitizer build aborted)
mkdir -p "$T/empty"
out=$("$BIN" scan --progress never "$T/empty" 2>"$T/err"); rc=$?
[ $rc -eq 0 ] && [ -z "$out" ] && ok || bad "scan of an empty folder: exit $rc, $(head -1 "$T/err")"

# 6. calibrate: the generated 300 DPI page is OCRed and the rate stored
"$BIN" -q calibrate -o "$T/cal.json" 2>"$T/cal.err" && python3 -c "
import json
c = json.load(open('$T/cal.json'))
# a page of text costs tenths of a second a megapixel; a blank render would
# cost a few hundredths, a broken one nothing
assert 0.05 < c['seconds_per_megapixel'] < 20 and c['dpi'] == 300, c
" && ok || bad "calibrate ($(head -1 "$T/cal.err"))"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
