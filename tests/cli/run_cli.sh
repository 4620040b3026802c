#!/bin/sh
# CLI behaviour tests: exit codes, stdout/stderr separation, one-line errors.
# Each case runs docclass and checks its exit code, stdout and stderr.
# Needs: $DOCCLASS (the binary), python3 (JSON checks).
set -u
BIN=${DOCCLASS:?DOCCLASS must name the docclass binary}
FAULTY=${DOCCLASS_FAULTY:-} # the test build with fault hooks (tests/CMakeLists.txt)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0

# run_in NAME RC INPUT -- ARGS...: run with INPUT on standard input
run_in() {
    name=$1 want=$2 input=$3
    shift 4
    "$BIN" "$@" >"$T/out" 2>"$T/err" <"$input"
    got=$?
    if [ "$got" -ne "$want" ]; then
        echo "FAIL $name: exit $got, expected $want"
        sed 's/^/  stderr: /' "$T/err" | head -5
        fail=$((fail + 1))
        return 1
    fi
    return 0
}
# run NAME RC -- ARGS...: the same, standard input empty
run() {
    n=$1 w=$2
    shift 3
    run_in "$n" "$w" /dev/null -- "$@"
}
ok() { pass=$((pass + 1)); }
bad() {
    echo "FAIL $name: $1"
    sed 's/^/  stdout: /' "$T/out" | head -5
    sed 's/^/  stderr: /' "$T/err" | head -5
    fail=$((fail + 1))
}
stdout_empty() { [ ! -s "$T/out" ]; }
stderr_lines() { [ "$(wc -l <"$T/err")" -eq "$1" ]; }
stderr_has() { grep -q -- "$1" "$T/err"; }
stdout_has() { grep -q -- "$1" "$T/out"; }
json_ok() { python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$T/out" 2>/dev/null; }
jsonl_ok() {
    python3 -c "
import json,sys
lines=open(sys.argv[1]).read().splitlines()
assert len(lines)==int(sys.argv[2]), len(lines)
[json.loads(l) for l in lines]" "$T/out" "$1" 2>/dev/null
}
# py EXPR: evaluate a Python expression over the JSON on stdout (bound to j)
py() { python3 -c "import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if ($1) else 1)" "$T/out" 2>/dev/null; }

printf 'Hello, world.\n' >"$T/hello.txt"
: >"$T/empty.bin"
python3 -c "print('a'*10001, end='')" >"$T/big.txt"
printf '{\n  "DocumentReadAction": "TEXTRACT_DETECT_DOCUMENT_TEXT",\n  "DocumentReadMode": "BOGUS"\n}\n' >"$T/bogus.json"
printf 'GIF89a\001\000\001\000' >"$T/pic.gif"

# --- usage -------------------------------------------------------------
if run no-args 2 --; then stdout_empty && stderr_has "no command" && ok || bad "usage message"; fi
if run help 0 -- --help; then stdout_has "extract" && stderr_lines 0 && ok || bad "help text"; fi
if run version 0 -- --version; then stdout_has "docclass " && ok || bad "version"; fi
if run unknown-cmd 2 -- frobnicate; then stdout_empty && stderr_has "unknown command 'frobnicate'" && ok || bad "message"; fi
if run extract-help 0 -- extract --help; then stdout_has "usage: docclass extract" && stdout_has "Exit status" && ok || bad "help"; fi
if run detect-help 0 -- detect --help; then stdout_has "usage: docclass detect" && ok || bad "help"; fi
if run extract-nofile 2 -- extract; then stdout_empty && stderr_has "no FILE" && stderr_has "try 'docclass extract --help'" && ok || bad "usage"; fi
if run extract-badopt 2 -- extract --frob "$T/hello.txt"; then stdout_empty && stderr_has "unknown option '--frob'" && ok || bad "usage"; fi
if run extract-badlimits 2 -- extract --limits weekly "$T/hello.txt"; then stdout_empty && stderr_has "realtime, async, none" && ok || bad "usage"; fi
if run extract-missing-value 2 -- extract "$T/hello.txt" --config; then stdout_empty && stderr_has "needs a value" && ok || bad "usage"; fi

# --- input errors: one line on stderr, nothing on stdout ------------------
if run missing 4 -- extract "$T/nope.pdf"; then
    stdout_empty && stderr_lines 1 && stderr_has "^docclass: extract: $T/nope.pdf: no such file$" && ok || bad "one line"
fi
mkdir "$T/emptydir"
if run empty-folder 0 -- extract "$T/emptydir"; then py "j==[]" && stderr_lines 0 && ok || bad "an empty folder is an empty list"; fi
if run empty 5 -- extract "$T/empty.bin"; then stdout_empty && stderr_lines 1 && stderr_has "empty" && ok || bad "one line"; fi
if run gif 5 -- extract "$T/pic.gif"; then stdout_empty && stderr_lines 1 && stderr_has "UNSUPPORTED_DOC_TYPE" && ok || bad "one line"; fi
if run bad-config 3 -- extract --config "$T/bogus.json" "$T/hello.txt"; then
    stdout_empty && stderr_lines 1 && stderr_has "bogus.json:3:" && stderr_has "DocumentReadMode" &&
        stderr_has "BOGUS" && stderr_has "SERVICE_DEFAULT" && stderr_has "FORCE_DOCUMENT_READ_ACTION" && ok || bad "config message"
fi
if run missing-config 4 -- extract --config "$T/none.json" "$T/hello.txt"; then stdout_empty && stderr_lines 1 && ok || bad "one line"; fi
if run dev-full 4 -- extract "$T/hello.txt" -o /dev/full; then stderr_lines 1 && stderr_has "cannot write output" && ok || bad "write error"; fi
# the input and decoded-image caps, from the command line
python3 -c "import sys; open(sys.argv[1], 'w').write('word ' * 300000)" "$T/capped.txt"
if run input-cap 5 -- extract --max-input-mb 1 "$T/capped.txt"; then
    stdout_empty && stderr_lines 1 && stderr_has "file is 1500000 bytes, over the 1048576-byte input limit" && ok || bad "input cap"
fi
if run input-cap-ok 0 -- extract --max-input-mb 2 --limits none --format text "$T/capped.txt"; then ok; fi
python3 - "$T/wide.png" <<'PY'
import struct, sys, zlib
w, h = 2000, 1000  # 2 megapixels, white
raw = b"".join(b"\0" + b"\xff" * w for _ in range(h))
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
                              + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
PY
if run image-cap 5 -- extract --max-image-megapixels 1 "$T/wide.png"; then
    stdout_empty && stderr_lines 1 && stderr_has "image is 2000x1000 (2.0 megapixels), over the 1-megapixel limit" && ok || bad "image cap"
fi
if run image-cap-range 2 -- extract --max-image-megapixels 0 "$T/wide.png"; then stdout_empty && stderr_has "max-image-megapixels" && ok || bad "range"; fi

# --- results -------------------------------------------------------------
if run text-json 0 -- extract "$T/hello.txt"; then
    json_ok && stderr_lines 0 && py "j['DocumentMetadata']['Pages']==1 and j['DocumentType'][0]['Type']=='PLAIN_TEXT' and j['pages'][0]['text']=='Hello, world.\n' and j['DocumentMetadata']['ExtractedCharacters'][0]['Count']==14" && ok || bad "JSON result"
fi
if run text-format 0 -- extract --format text "$T/hello.txt"; then
    [ "$(cat "$T/out")" = "Hello, world." ] && ok || bad "text output"
fi
if run output-file 0 -- extract -o "$T/res.json" "$T/hello.txt"; then
    stdout_empty && python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$T/res.json" && ok || bad "-o FILE"
fi
if run over-limit 9 -- extract "$T/big.txt"; then
    json_ok && py "not j['admission']['accepted'] and j['admission']['refusals'][0]['Detail']['Reason']=='DOCUMENT_SIZE_EXCEEDED' and j['Errors'][0]['ErrorCode']=='PAGE_CHARACTERS_EXCEEDED' and len(j['pages'][0]['text'])==10001" && ok || bad "refusal"
fi
if run over-limit-none 0 -- extract --limits none "$T/big.txt"; then json_ok && py "j['admission']['accepted']" && ok || bad "limits none"; fi
if run over-limit-async 0 -- extract --limits async "$T/big.txt"; then json_ok && py "j['config']['limits']=='async'" && ok || bad "async"; fi
if run many-array 4 -- extract "$T/hello.txt" "$T/nope.txt" "$T/big.txt"; then
    json_ok && stderr_lines 1 && py "len(j)==3 and j[1]['error']['code']=='NOT_FOUND' and j[0]['pages'][0]['text']=='Hello, world.\n' and j[2]['admission']['accepted']==False" && ok || bad "array with error record"
fi
if run many-jsonl 4 -- extract --jsonl "$T/hello.txt" "$T/nope.txt"; then jsonl_ok 2 && ok || bad "JSON Lines"; fi
# "-" is standard input; a config may be a pipe (<(...), a FIFO, /dev/stdin)
if run_in stdin-text 0 "$T/hello.txt" -- extract --format text -; then
    stdout_has "Hello, world." && stderr_lines 0 && ok || bad "text from stdin"
fi
if run_in stdin-json 0 "$T/hello.txt" -- extract -; then
    py "j['input']['path']=='-' and j['pages'][0]['characters']==14" && ok || bad "JSON from stdin"
fi
printf '%s' '{"DocumentReadMode":"FORCE_DOCUMENT_READ_ACTION","DocumentReadAction":"TEXTRACT_DETECT_DOCUMENT_TEXT"}' >"$T/force.json"
if run_in config-stdin 0 "$T/force.json" -- extract --config /dev/stdin "$T/hello.txt"; then
    py "j['config']['effective']['DocumentReadMode']=='FORCE_DOCUMENT_READ_ACTION'" && ok || bad "config from /dev/stdin"
fi
mkfifo "$T/cfg.fifo"
(cat "$T/force.json" >"$T/cfg.fifo" &)
if run config-fifo 0 -- extract --config "$T/cfg.fifo" "$T/hello.txt"; then
    py "j['config']['effective']['DocumentReadMode']=='FORCE_DOCUMENT_READ_ACTION'" && ok || bad "config from a FIFO"
fi
head -c 2000000 /dev/zero >"$T/zeros.bin"
if run_in stdin-cap 5 "$T/zeros.bin" -- extract --max-input-mb 1 -; then
    stdout_empty && stderr_lines 1 && stderr_has "standard input is over the" && ok || bad "stdin cap"
fi

# -o never truncates another run's records (the README's old xargs pipeline
# kept only the last batch); --files-from - -0 feeds any number of files
mkdir "$T/many"
i=0
while [ $i -lt 300 ]; do printf 'file %d\n' $i >"$T/many/f$i.txt"; i=$((i + 1)); done
if run first-batch 0 -- extract --jsonl -o "$T/batch.jsonl" "$T/many/f1.txt" "$T/many/f2.txt"; then
    if run second-batch 4 -- extract --jsonl -o "$T/batch.jsonl" "$T/many/f3.txt" "$T/many/f4.txt"; then
        [ "$(wc -l <"$T/batch.jsonl")" -eq 2 ] && grep -q "f1.txt" "$T/batch.jsonl" && stderr_lines 1 &&
            stderr_has "exists and is not empty" && ok || bad "second batch must not truncate"
    fi
fi
# the README's old pipeline, batches from xargs, with --resume: every file once
name=xargs-resume
ls "$T"/many/f1*.txt | tr '\n' '\0' | xargs -0 -n 7 "$BIN" -q extract --jsonl --resume -o "$T/xargs.jsonl"
if [ "$(wc -l <"$T/xargs.jsonl")" -eq "$(ls "$T"/many/f1*.txt | wc -l)" ] &&
    [ "$(sort -u "$T/xargs.jsonl" | wc -l)" -eq "$(wc -l <"$T/xargs.jsonl")" ]; then ok; else bad "xargs batches with --resume"; fi
if run force 0 -- extract --jsonl --force -o "$T/batch.jsonl" "$T/many/f3.txt"; then
    [ "$(wc -l <"$T/batch.jsonl")" -eq 1 ] && grep -q "f3.txt" "$T/batch.jsonl" && ok || bad "--force"
fi
find "$T/many" -name '*.txt' -print0 >"$T/list0"
if run_in files-from-0 0 "$T/list0" -- extract --files-from - -0 --jsonl -o "$T/all.jsonl"; then
    python3 -c "
import json,sys
rs=[json.loads(l) for l in open(sys.argv[1])]
paths=[r['input']['path'] for r in rs]
assert len(paths)==300 and len(set(paths))==300, (len(paths), len(set(paths)))
assert all(r['pages'][0]['text'].startswith('file ') for r in rs)" "$T/all.jsonl" && ok || bad "300 files once each"
fi
# SIGKILL mid-run, then --resume: every file exactly once; a torn last
# line is cut off and its file extracted again
"$BIN" -q extract --files-from "$T/list0" -0 --jsonl -o "$T/killed.jsonl" &
pid=$!
tries=0
while [ "$(cat "$T/killed.jsonl" 2>/dev/null | wc -l)" -lt 20 ] && [ $tries -lt 500 ]; do
    sleep 0.01
    tries=$((tries + 1))
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
before=$(wc -l <"$T/killed.jsonl")
printf '{"docclass_version":"0.1.0","input":{"path":"torn' >>"$T/killed.jsonl"
if run resume 0 -- extract --files-from "$T/list0" -0 --jsonl --resume -o "$T/killed.jsonl"; then
    python3 -c "
import json,sys
rs=[json.loads(l) for l in open(sys.argv[1])]
paths=[r['input']['path'] for r in rs]
assert len(paths)==300 and len(set(paths))==300, (len(paths), len(set(paths)))" "$T/killed.jsonl" &&
        stderr_has "cut short" && ok || bad "resume after kill -9 ($before records before)"
fi
# --shard: three shards partition the files; extract's shard 1/3 is scan's
for i in 0 1 2; do "$BIN" -q extract --shard $i/3 --jsonl "$T/many" >"$T/shard$i.jsonl"; done
"$BIN" -q scan --progress never --shard 1/3 "$T/many" >"$T/scanshard1.jsonl"
if python3 -c "
import json,sys
d=sys.argv[1]
shards=[[json.loads(l)['input']['path'] for l in open(f'{d}/shard{i}.jsonl')] for i in range(3)]
allp=sum(shards,[])
assert len(allp)==300 and len(set(allp))==300, len(allp)
assert all(shards), [len(s) for s in shards]
scan=sorted(json.loads(l)['path'] for l in open(f'{d}/scanshard1.jsonl'))
assert sorted(shards[1])==scan" "$T"; then pass=$((pass + 1)); else name=shards; bad "shards"; fi
if run progress-always 0 -- extract --progress always --jsonl -o "$T/prog.jsonl" "$T/many"; then
    tr '\r' '\n' <"$T/err" | grep -q "extract: 300/300 files, 300 pages (0 OCR" && ok || bad "progress line"
fi
if run progress-auto 0 -- extract --jsonl -o "$T/prog2.jsonl" "$T/many"; then stderr_lines 0 && [ ! -s "$T/err" ] && ok || bad "quiet when stderr is not a terminal"; fi
"$BIN" -q scan --progress never -o "$T/fc-report.jsonl" "$T/many"
printf '{"seconds_per_megapixel": 0.5}\n' >"$T/cal.json"
if run progress-forecast 0 -- extract --progress always --forecast "$T/fc-report.jsonl" --calibration "$T/cal.json" --jsonl -o "$T/prog3.jsonl" "$T/many"; then
    tr '\r' '\n' <"$T/err" | grep -q "(scan forecast)" && ok || bad "ETA from the scan forecast"
fi
if run shard-bad 2 -- extract --shard 3/3 "$T/hello.txt"; then stderr_has "is not I/N" && ok || bad "usage"; fi
if [ -n "$FAULTY" ]; then
# SIGTERM mid-run (one document hangs, so the run is surely still going):
# the records written are whole, exit 143 (128 + 15) with one line saying so
DOCCLASS_FAULT=hang DOCCLASS_FAULT_MATCH=f150.txt "$FAULTY" extract --files-from "$T/list0" -0 --jsonl -o "$T/termed.jsonl" 2>"$T/termed.err" &
pid=$!
tries=0
while [ "$(cat "$T/termed.jsonl" 2>/dev/null | wc -l)" -lt 5 ] && [ $tries -lt 500 ]; do
    sleep 0.01
    tries=$((tries + 1))
done
kill -TERM $pid 2>/dev/null
wait $pid
got=$?
name=sigterm
if [ "$got" -eq 143 ] && grep -q "interrupted by signal 15" "$T/termed.err" &&
    python3 -c "
import json,sys
rs=[json.loads(l) for l in open(sys.argv[1])]
assert 1 <= len(rs) < 300, len(rs)" "$T/termed.jsonl"; then ok; else bad "exit $got: $(cat "$T/termed.err")"; fi
fi
if run resume-needs-jsonl 2 -- extract --resume -o "$T/x.json" "$T/hello.txt"; then stderr_has "needs -o FILE and --jsonl" && ok || bad "usage"; fi
printf '%s\r\n\n%s\n' "$T/many/f5.txt" "$T/nope.txt" >"$T/list"
if run files-from-lines 4 -- extract --files-from "$T/list" --jsonl; then
    jsonl_ok 2 && stdout_has "f5.txt" && stdout_has '"code":"NOT_FOUND"' && ok || bad "list with CRLF and a blank line"
fi
printf '%s\n-\n' "$T/many/f6.txt" >"$T/list-dash"
if run_in dash-in-list 2 "$T/list-dash" -- extract --files-from - --jsonl; then
    stderr_has "standard input holds the --files-from list" && ok || bad "- in a list read from stdin"
fi
if run nul-without-list 2 -- extract -0 "$T/hello.txt"; then stderr_has "no list given" && ok || bad "-0 alone"; fi

# a folder is walked as scan walks it: sorted, ZIP members one by one,
# loops, dangling links and special files as error records
mkdir -p "$T/tree/sub"
printf 'top\n' >"$T/tree/top.txt"
printf 'deep\n' >"$T/tree/sub/deep.txt"
ln -s .. "$T/tree/sub/loop"
ln -s nowhere "$T/tree/dangling"
mkfifo "$T/tree/fifo"
python3 -c "
import zipfile,sys
z=zipfile.ZipFile(sys.argv[1],'w'); z.writestr('in/z1.txt','zipped one\n'); z.writestr('in/z2.txt','zipped two\n'); z.close()" "$T/tree/arc.zip"
if run folder 4 -- extract --jsonl "$T/tree"; then
    python3 -c "
import json,sys
t=sys.argv[1]
rs=[json.loads(l) for l in open(sys.argv[2])]
got=[(r['input']['path'][len(t)+1:], r.get('error',{}).get('code')) for r in rs]
want=[('arc.zip!in/z1.txt',None),('arc.zip!in/z2.txt',None),('dangling','IO_ERROR'),('fifo','IO_ERROR'),
      ('sub/deep.txt',None),('sub/loop','IO_ERROR'),('top.txt',None)]
assert got==want, got
assert rs[0]['pages'][0]['text']=='zipped one\n'" "$T/tree" "$T/out" && stderr_lines 3 && ok || bad "folder records"
fi
if run member 0 -- extract --format text "$T/tree/arc.zip!in/z2.txt"; then stdout_has "zipped two" && ok || bad "member path"; fi
if run no-member 4 -- extract "$T/tree/arc.zip!in/z9.txt"; then stderr_has "holds no member in/z9.txt" && ok || bad "missing member"; fi

# an unsupported file among others: its error record, exit 5, one line on stderr
if run many-unsupported 5 -- extract --jsonl "$T/pic.gif" "$T/hello.txt"; then
    jsonl_ok 2 && stdout_has '"code":"UNSUPPORTED"' && stderr_lines 1 && ok || bad "unsupported record"
fi
if run cli-override 0 -- extract --read-mode FORCE_DOCUMENT_READ_ACTION "$T/hello.txt"; then
    json_ok && py "j['config']['effective']['DocumentReadMode']=='FORCE_DOCUMENT_READ_ACTION'" && ok || bad "override"
fi
if run no-isolation 0 -- extract --no-isolation "$T/hello.txt"; then json_ok && ok || bad "in-process"; fi

# --- isolation: a hang, a crash, a memory blow-up cost one record -------------
if [ -n "$FAULTY" ]; then
    BIN_SAVED=$BIN
    BIN=$FAULTY
    cp "$T/hello.txt" "$T/victim.txt"
    export DOCCLASS_FAULT_MATCH=victim
    export DOCCLASS_FAULT=hang
    if run fault-hang 10 -- extract --timeout 1 "$T/hello.txt" "$T/victim.txt" "$T/hello.txt"; then
        json_ok && stderr_lines 1 && stderr_has "victim.txt: stopped after the 1 s time limit" &&
            py "len(j)==3 and j[1]['error']['code']=='TIMEOUT' and j[2]['pages'][0]['text']=='Hello, world.\n'" && ok || bad "timeout record"
    fi
    export DOCCLASS_FAULT=crash
    if run fault-crash 1 -- extract --jsonl "$T/victim.txt" "$T/hello.txt"; then
        jsonl_ok 2 && stderr_has "worker crashed (signal " && stdout_has '"code":"CRASH"' && ok || bad "crash record"
    fi
    export DOCCLASS_FAULT=memory
    if run fault-memory 10 -- extract --jsonl --max-memory 200 "$T/victim.txt" "$T/hello.txt"; then
        jsonl_ok 2 && stderr_has "memory limit" && stdout_has '"code":"MEMORY_LIMIT"' && ok || bad "memory record"
    fi
    if run fault-single 10 -- extract --max-memory 200 "$T/victim.txt"; then
        stdout_empty && stderr_lines 1 && ok || bad "single file: nothing on stdout"
    fi
    unset DOCCLASS_FAULT DOCCLASS_FAULT_MATCH
    BIN=$BIN_SAVED
fi

# --- DOCX parts -----------------------------------------------------------
# --docx-parts none: the body only (0 in the options is the default parts)
LETTER=$(dirname "$0")/../../samples/letter.docx
if run docx-default 0 -- extract --format text "$LETTER"; then
    stdout_has "Order confirmation" && stdout_has "Volume discount" && ok || bad "header and comment-free default"
    cp "$T/out" "$T/letter-default.txt"
fi
if run docx-none 0 -- extract --format text --docx-parts none "$LETTER"; then
    ! stdout_has "Order confirmation" && ! stdout_has "Volume discount" && stdout_has "Northwind" &&
        [ "$(wc -l <"$T/out")" -lt "$(wc -l <"$T/letter-default.txt")" ] && ok || bad "no header, no footnote"
fi

# --- detect --------------------------------------------------------------
if run detect 0 -- detect "$T/hello.txt" "$T/pic.gif"; then
    stdout_has "hello.txt: text" && stdout_has "pic.gif: unsupported (gif)" && ok || bad "detect lines"
fi
if run detect-json 0 -- detect --json "$T/hello.txt" "$T/empty.bin"; then
    jsonl_ok 2 && stdout_has '"kind":"empty"' && ok || bad "detect JSON Lines"
fi
if run detect-missing 4 -- detect "$T/hello.txt" "$T/nope"; then stdout_has "hello.txt: text" && stderr_lines 1 && ok || bad "detect errors"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
