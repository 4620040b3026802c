#!/bin/sh
# docclass classify against the loopback fixture (dc_http_fixture):
#  - the AWS CLI differential: `aws comprehend classify-document` and
#    `docclass classify` send text, a one-page PDF with a config and a PNG;
#    the JSON bodies must be equal as JSON, both signatures must verify, and
#    X-Amz-Target and Content-Type must match (skipped without aws);
#  - --dry-run on a 3-page PDF prints 3 requests;
#  - exit codes: service error 8, connection refused 7, no credentials 3;
#  - no secret key or session token in any captured output.
set -u
: "${DOCCLASS:?}" "${DC_BUILD_DIR:?}"
FIXTURE="$DC_BUILD_DIR/tests/dc_http_fixture"
T="$DC_BUILD_DIR/test-tmp/classify-cli"
rm -rf "$T" && mkdir -p "$T" || exit 1
OUT="$T/out" && mkdir -p "$OUT"
fails=0
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
bad() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }
check() { if [ "$1" = "$2" ]; then ok "$3"; else bad "$3 (got '$1', want '$2')"; fi; }

export AWS_ACCESS_KEY_ID=AKIDEXAMPLE
export AWS_SECRET_ACCESS_KEY='wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'
export AWS_SESSION_TOKEN='IQoJb3JpZ2luX2VjSESSIONTOKENxyz0123456789'
export AWS_CONFIG_FILE="$T/no-config" AWS_SHARED_CREDENTIALS_FILE="$T/no-credentials"
export AWS_PAGER='' AWS_MAX_ATTEMPTS=3 DOCCLASS_RETRY_BASE=0.01
unset AWS_PROFILE AWS_ENDPOINT_URL AWS_ENDPOINT_URL_COMPREHEND AWS_CA_BUNDLE 2>/dev/null
ARN='arn:aws:comprehend:us-west-2:111122223333:document-classifier-endpoint/ep1'
REPLY='{"Classes":[{"Name":"invoice","Score":0.93,"Page":1},{"Name":"letter","Score":0.07,"Page":1}]}'

# Samples: a minimal PDF of N pages and a small PNG, written by python3.
python3 - "$T" <<'PY' || exit 1
import struct, sys, zlib
d = sys.argv[1]
def pdf(path, n):
    objs = ["<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [%s] /Count %d >>" % (" ".join("%d 0 R" % (4 + 2 * i) for i in range(n)), n),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i in range(n):
        s = "BT /F1 24 Tf 72 700 Td (Invoice page %d) Tj ET" % (i + 1)
        objs.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i))
        objs.append("<< /Length %d >>\nstream\n%s\nendstream" % (len(s), s))
    out, offs = b"%PDF-1.4\n", []
    for i, o in enumerate(objs):
        offs.append(len(out))
        out += ("%d 0 obj\n%s\nendobj\n" % (i + 1, o)).encode()
    x = len(out)
    out += ("xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)).encode()
    out += b"".join(b"%010d 00000 n \n" % o for o in offs)
    out += ("trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)).encode()
    open(path, "wb").write(out)
pdf(d + "/one.pdf", 1)
pdf(d + "/three.pdf", 3)
w, h = 64, 32
raw = b"".join(b"\0" + bytes((x * 4 + y * 2) % 256 for x in range(w)) for y in range(h))
def chunk(t, b):
    return struct.pack(">I", len(b)) + t + b + struct.pack(">I", zlib.crc32(t + b) & 0xffffffff)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) + \
      chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
open(d + "/word.png", "wb").write(png)
open(d + "/config.json", "w").write('{"DocumentReadAction": "TEXTRACT_ANALYZE_DOCUMENT", '
    '"DocumentReadMode": "FORCE_DOCUMENT_READ_ACTION", "FeatureTypes": ["TABLES", "FORMS"]}\n')
PY

# start_fixture NAME [BODY [STATUS]]: sets PORT and FXPID
start_fixture() {
    rm -f "$T/$1.port"
    "$FIXTURE" "$AWS_SECRET_ACCESS_KEY" "$T/$1.port" "$T/$1.log" "${2:-$REPLY}" "${3:-200}" &
    FXPID=$!
    i=0
    while [ ! -s "$T/$1.port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
    PORT=$(cat "$T/$1.port")
}
stop_fixture() { kill -TERM "$FXPID" && wait "$FXPID"; }

dc() { "$DOCCLASS" classify --endpoint-arn "$ARN" "$@"; }

# ---- AWS CLI differential
start_fixture diff
URL="http://127.0.0.1:$PORT"
if command -v aws >/dev/null 2>&1 && aws --version >/dev/null 2>&1; then
    HAVE_AWS=1
    cd "$T" || exit 1
    aws comprehend classify-document --endpoint-arn "$ARN" --region us-west-2 \
        --endpoint-url "$URL" --text 'Invoice number 42 from ACME' >"$OUT/aws1.out" 2>"$OUT/aws1.err"
    check $? 0 "aws: text"
    dc --endpoint-url "$URL" --text 'Invoice number 42 from ACME' >"$OUT/dc1.out" 2>"$OUT/dc1.err"
    check $? 0 "docclass: text"
    aws comprehend classify-document --endpoint-arn "$ARN" --region us-west-2 \
        --endpoint-url "$URL" --bytes fileb://one.pdf \
        --document-reader-config file://config.json >"$OUT/aws2.out" 2>"$OUT/aws2.err"
    check $? 0 "aws: one-page PDF as bytes with a config"
    dc --endpoint-url "$URL" --send bytes -c config.json one.pdf >"$OUT/dc2.out" 2>"$OUT/dc2.err"
    check $? 0 "docclass: one-page PDF as bytes with a config"
    aws comprehend classify-document --endpoint-arn "$ARN" --region us-west-2 \
        --endpoint-url "$URL" --bytes fileb://word.png >"$OUT/aws3.out" 2>"$OUT/aws3.err"
    check $? 0 "aws: PNG as bytes"
    dc --endpoint-url "$URL" --send bytes word.png >"$OUT/dc3.out" 2>"$OUT/dc3.err"
    check $? 0 "docclass: PNG as bytes"
    cd - >/dev/null || exit 1
else
    HAVE_AWS=0
    echo "# aws CLI not found: differential skipped"
fi
dc --endpoint-url "$URL" --format table --send bytes "$T/three.pdf" >"$OUT/table.out" 2>"$OUT/table.err"
check $? 0 "docclass: 3-page PDF, table"
check "$(grep -c "	invoice	0.9300" "$OUT/table.out")" 3 "table: top class on each of 3 pages"
stop_fixture

if [ $HAVE_AWS = 1 ]; then
    python3 - "$T/diff.log" <<'PY'
import json, sys
reqs = [json.loads(l) for l in open(sys.argv[1])]
ok = len(reqs) == 9
names = ["text", "one-page PDF + config", "PNG"]
for i, name in enumerate(names):
    a, d = reqs[2 * i], reqs[2 * i + 1]
    same = json.loads(a["body"]) == json.loads(d["body"])
    sig = a["sig_ok"] == 1 and d["sig_ok"] == 1
    hdr = all(a["headers"].get(h) == d["headers"].get(h) for h in ("x-amz-target", "content-type"))
    print("# %s: bodies equal %s, signatures verify %s, headers match %s" % (name, same, sig, hdr))
    ok = ok and same and sig and hdr
table = reqs[6:]
ok = ok and all(r["sig_ok"] == 1 for r in table) and len({r["conn"] for r in table}) == 1
print("# 3-page PDF: %d requests on %d connection(s)" % (len(table), len({r["conn"] for r in table})))
sys.exit(0 if ok else 1)
PY
    check $? 0 "differential: bodies equal as JSON, signatures verify, X-Amz-Target/Content-Type match"
fi

# ---- dry run: 3 requests for 3 pages, nothing sent
dc --dry-run "$T/three.pdf" >"$OUT/dry.out" 2>"$OUT/dry.err"
check $? 0 "dry run exits 0"
check "$(grep -ac '^POST / HTTP/1.1$' "$OUT/dry.out")" 3 "dry run on a 3-page PDF prints 3 requests"
check "$(grep -ac 'Signature=<redacted>$' "$OUT/dry.out")" 3 "dry run redacts the signature"
check "$(grep -ac '^X-Amz-Security-Token: <redacted>$' "$OUT/dry.out")" 3 "dry run redacts the token"
dc --dry-run -v --send text "$T/three.pdf" --pages 2 >"$OUT/dry2.out" 2>"$OUT/dry2.err"
check "$(grep -ac '^POST / HTTP/1.1$' "$OUT/dry2.out")" 1 "--pages 2 gives one request"

# ---- service error: one line on stderr, exit 8
start_fixture err '{"__type":"com.amazonaws.comprehend#InvalidRequestException","Message":"bad doc","Reason":"INVALID_DOCUMENT","Detail":{"Reason":"UNSUPPORTED_DOC_TYPE"}}' 400
dc --endpoint-url "http://127.0.0.1:$PORT" --text 'hello' >"$OUT/err.out" 2>"$OUT/err.err"
check $? 8 "service error exits 8"
check "$(wc -l <"$OUT/err.err" | tr -d ' ')" 1 "service error is one line on stderr"
grep -q 'InvalidRequestException (HTTP 400) INVALID_DOCUMENT/UNSUPPORTED_DOC_TYPE: bad doc (request id req-1)' "$OUT/err.err"
check $? 0 "service error line names type, reasons, message, request id"
stop_fixture
check "$(wc -l <"$T/err.log" | tr -d ' ')" 1 "a 400 is not retried (1 request at the server)"

# ---- throttling: 429 every time, retried AWS_MAX_ATTEMPTS times
start_fixture thr '{"__type":"TooManyRequestsException","message":"slow down"}' 429
AWS_MAX_ATTEMPTS=4 dc --endpoint-url "http://127.0.0.1:$PORT" --text 'hello' >"$OUT/thr.out" 2>"$OUT/thr.err"
check $? 8 "429 every time exits 8"
stop_fixture
check "$(wc -l <"$T/thr.log" | tr -d ' ')" 4 "AWS_MAX_ATTEMPTS=4: 4 requests at the server"

# ---- network failure: exit 7
start_fixture gone
GONE=$PORT
stop_fixture
dc --endpoint-url "http://127.0.0.1:$GONE" --max-attempts 2 --text 'hello' >"$OUT/net.out" 2>"$OUT/net.err"
check $? 7 "connection refused exits 7"

# ---- no credentials: exit 3 with where it looked; --profile that does not exist
env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN "$DOCCLASS" classify \
    --endpoint-arn "$ARN" --text hi >"$OUT/nocred.out" 2>"$OUT/nocred.err"
check $? 3 "no credentials exits 3"
grep -q "looked in the environment" "$OUT/nocred.err" && grep -q "no-credentials" "$OUT/nocred.err"
check $? 0 "no credentials: the message lists where it looked"
printf '[other]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = %s\n' \
    "$AWS_SECRET_ACCESS_KEY" >"$T/credentials"
AWS_SHARED_CREDENTIALS_FILE="$T/credentials" dc --profile other --dry-run -v --text hi \
    >"$OUT/prof.out" 2>"$OUT/prof.err"
check $? 0 "--profile other from the shared credentials file"
grep -q "Credential=AKIDPROFILE/" "$OUT/prof.out"
check $? 0 "--profile: the profile's key signs (the environment is skipped)"
dc --region eu-west-1 --dry-run --text hi >"$OUT/region.out" 2>"$OUT/region.err"
grep -q "warning: --region eu-west-1 differs" "$OUT/region.err"
check $? 0 "--region that disagrees with the ARN warns"
dc --endpoint-arn 'arn:aws:comprehend::111122223333:document-classifier-endpoint/x' --text hi \
    >"$OUT/arn.out" 2>"$OUT/arn.err"
check $? 2 "an ARN without a region is a usage error"

# ---- no secret anywhere
if grep -rlF -e "$AWS_SECRET_ACCESS_KEY" -e "$AWS_SESSION_TOKEN" "$OUT"; then
    bad "a secret key or session token appears in the captured output"
else
    ok "no secret key or session token in $(ls "$OUT" | wc -l | tr -d ' ') captured outputs"
fi

echo "1..$n"
[ $fails -eq 0 ]
