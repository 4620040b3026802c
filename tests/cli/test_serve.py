"""docclass serve: the AWS CLI and boto3 pointed at it unchanged; SigV4
checked and refused as the service refuses; forward mode against a loopback
stand-in (the client's answer byte for byte the stand-in's, one comparison
line a request); hostile clients; graceful shutdown; a bounded load.

bench/serve-load runs the load at scale (2,000 requests, 32 at once).
"""
import base64
import datetime
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
DOCCLASS = os.environ.get("DOCCLASS", os.path.join(ROOT, "build", "docclass"))
SAMPLES = os.path.join(ROOT, "samples")
ARN = "arn:aws:comprehend:us-east-1:123456789012:document-classifier-endpoint/ep"
KEY, SECRET = "AKIDSERVE", "servesecret"

sys.path.insert(0, HERE)
import serve_support as ss  # noqa: E402


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    d = tmp_path_factory.mktemp("model")
    return ss.train_model(DOCCLASS, d)


@pytest.fixture()
def server(tmp_path, model):
    with ss.Serve(DOCCLASS, tmp_path, ["--model", model]) as s:
        yield s


def aws_env(tmp_path, key=KEY, secret=SECRET):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"HOME": str(tmp_path), "AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret,
                "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true",
                "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull})
    return env


def aws_cli(s, tmp_path, *args, key=KEY, secret=SECRET):
    aws = "/usr/bin/aws" if os.access("/usr/bin/aws", os.X_OK) else shutil.which("aws")
    if not aws:
        pytest.skip("the AWS CLI is not installed (scripts/setup installs Debian's awscli)")
    p = subprocess.run([aws, "comprehend", "classify-document", "--endpoint-url", s.url,
                        "--endpoint-arn", ARN, "--output", "json"] + list(args),
                       env=aws_env(tmp_path, key, secret), capture_output=True, text=True,
                       timeout=120)
    return p


def client(s, key=KEY, secret=SECRET):
    import boto3
    from botocore.config import Config
    return boto3.client("comprehend", region_name="us-east-1", endpoint_url=s.url,
                        aws_access_key_id=key, aws_secret_access_key=secret,
                        config=Config(retries={"max_attempts": 1}))


# ---------------------------------------------------------------- the clients

def test_aws_cli_text_pdf_png(server, tmp_path):
    p = aws_cli(server, tmp_path, "--text", "please remit payment: invoice total due net 30")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["Classes"][0]["Name"] == "invoice"
    assert abs(sum(c["Score"] for c in out["Classes"]) - 1) < 1e-3
    assert "Page" not in out["Classes"][0]            # Text: no Page, as the service
    native = tmp_path / "native.pdf"
    native.write_bytes(ss.one_page_pdf("Invoice 42. Total amount due 1,250.00, remit payment."))
    for path, dtype in ((str(native), "NATIVE_PDF"), (os.path.join(SAMPLES, "scan.png"), "IMAGE")):
        p = aws_cli(server, tmp_path, "--bytes", "fileb://" + path)
        assert p.returncode == 0, p.stderr
        out = json.loads(p.stdout)
        assert out["DocumentType"] == [{"Page": 1, "Type": dtype}]
        assert out["DocumentMetadata"]["Pages"] == 1
        assert out["DocumentMetadata"]["ExtractedCharacters"][0]["Count"] > 20
        assert out["Classes"] and all(c["Page"] == 1 for c in out["Classes"])


def test_aws_cli_refusals(server, tmp_path):
    """A 2-page PDF and an oversized text: the service's errors through the AWS CLI."""
    p = aws_cli(server, tmp_path, "--bytes", "fileb://" + os.path.join(SAMPLES, "digital.pdf"))
    assert p.returncode != 0
    assert "InvalidRequestException" in p.stderr and "2 pages" in p.stderr
    big = tmp_path / "big.txt"
    big.write_text("word " * 2500)
    p = aws_cli(server, tmp_path, "--text", "file://" + str(big))
    assert p.returncode != 0 and "TextSizeLimitExceededException" in p.stderr
    p = aws_cli(server, tmp_path, "--text", "x", secret="wrong")
    assert p.returncode != 0 and "InvalidSignatureException" in p.stderr


def test_boto3(server):
    import botocore.exceptions
    c = client(server)
    r = c.classify_document(EndpointArn=ARN, Text="dear friend, sincerely yours, kind regards")
    assert r["Classes"][0]["Name"] == "letter"
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert len(r["ResponseMetadata"]["RequestId"]) == 36
    r = c.classify_document(EndpointArn=ARN, Bytes=ss.one_page_pdf("Invoice total amount due"))
    assert r["DocumentType"] == [{"Page": 1, "Type": "NATIVE_PDF"}]
    assert r["Classes"][0]["Name"] == "invoice"
    with open(os.path.join(SAMPLES, "scan.png"), "rb") as f:
        r = c.classify_document(EndpointArn=ARN, Bytes=f.read())
    assert r["DocumentType"] == [{"Page": 1, "Type": "IMAGE"}] and r["Classes"]
    with open(os.path.join(SAMPLES, "digital.pdf"), "rb") as f:     # 2 pages
        with pytest.raises(botocore.exceptions.ClientError) as e:
            c.classify_document(EndpointArn=ARN, Bytes=f.read())
    err = e.value.response
    assert err["Error"]["Code"] == "InvalidRequestException"
    assert err["Reason"] == "INVALID_DOCUMENT"
    assert err["Detail"]["Reason"] == "PAGE_LIMIT_EXCEEDED"
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 400
    with pytest.raises(botocore.exceptions.ClientError) as e:
        c.classify_document(EndpointArn=ARN, Text="w" * 10001)
    assert e.value.response["Error"]["Code"] == "TextSizeLimitExceededException"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        c.classify_document(EndpointArn=ARN, Bytes=b"\x00\x01binary junk\x00" * 10)
    assert e.value.response["Detail"]["Reason"] == "UNSUPPORTED_DOC_TYPE"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        c.classify_document(EndpointArn=ARN, Text="x", DocumentReaderConfig={
            "DocumentReadAction": "TEXTRACT_ANALYZE_DOCUMENT", "FeatureTypes": ["NOPE"]})
    assert e.value.response["Error"]["Code"] == "ValidationException"


# ---------------------------------------------------------------- SigV4 and the wire

def test_signatures_refused_as_the_service_refuses(server):
    import botocore.exceptions
    for key, secret, code in ((KEY, "wrong", "InvalidSignatureException"),
                              ("AKIDNOBODY", SECRET, "UnrecognizedClientException")):
        with pytest.raises(botocore.exceptions.ClientError) as e:
            client(server, key, secret).classify_document(EndpointArn=ARN, Text="x")
        assert e.value.response["Error"]["Code"] == code
    # a request signed 20 minutes ago (botocore's Python signer with its clock moved back:
    # the client may sign with awscrt's, which has a clock of its own)
    past = datetime.datetime.utcnow() - datetime.timedelta(minutes=20)
    body = ('{"EndpointArn":"%s","Text":"x"}' % ARN).encode()
    with mock.patch("botocore.auth.datetime") as dt:
        dt.datetime.utcnow.return_value = past
        dt.datetime.now.return_value = past
        headers = ss.signer(server, KEY, SECRET)("Comprehend_20171127.ClassifyDocument", body)
    assert headers["X-Amz-Date"] == past.strftime("%Y%m%dT%H%M%SZ")
    st, got, _ = ss.raw(server.port, "POST", "/", body, headers)
    err = json.loads(got)
    assert (st, err["__type"]) == (400, "InvalidSignatureException")
    assert err["Message"].startswith("Signature expired: " + headers["X-Amz-Date"])
    # unsigned, and signed but missing X-Amz-Date
    st, body, _ = ss.raw(server.port, "POST", "/", b'{"EndpointArn":"%s","Text":"x"}' % ARN.encode(),
                         {"X-Amz-Target": "Comprehend_20171127.ClassifyDocument",
                          "Content-Type": "application/x-amz-json-1.1"})
    assert st == 400 and json.loads(body)["__type"] == "MissingAuthenticationTokenException"


def test_wire_errors(server):
    sign = ss.signer(server, KEY, SECRET)
    cases = [
        ("Comprehend_20171127.DetectSentiment", b'{"Text":"x","LanguageCode":"en"}', 400,
         "UnknownOperationException"),
        ("Comprehend_20171127.ClassifyDocument", b'{"EndpointArn":', 400,
         "SerializationException"),
        ("Comprehend_20171127.ClassifyDocument", b'{"Text":"x"}', 400, "ValidationException"),
        ("Comprehend_20171127.ClassifyDocument",
         b'{"EndpointArn":"arn:aws:s3:::bucket","Text":"x"}', 400, "ValidationException"),
        ("Comprehend_20171127.ClassifyDocument",
         ('{"EndpointArn":"%s","Text":"x","Bytes":"eA=="}' % ARN).encode(), 400,
         "InvalidRequestException"),
        ("Comprehend_20171127.ClassifyDocument",
         ('{"EndpointArn":"%s","Bytes":"not base64!"}' % ARN).encode(), 400,
         "SerializationException"),
    ]
    for target, body, status, typ in cases:
        st, got, hdrs = ss.raw(server.port, "POST", "/", body, sign(target, body))
        assert (st, json.loads(got)["__type"]) == (status, typ), (target, body, got)
        assert len(hdrs.get("x-amzn-requestid", "")) == 36
    st, got, _ = ss.raw(server.port, "GET", "/health", b"", {})
    assert st == 200 and json.loads(got) == {"status": "ok"}


def test_auth_none(tmp_path, model):
    with ss.Serve(DOCCLASS, tmp_path, ["--model", model, "--auth", "none"]) as s:
        st, got, _ = ss.raw(s.port, "POST", "/", ('{"EndpointArn":"%s","Text":"invoice total due"}'
                                                  % ARN).encode(),
                            {"X-Amz-Target": "Comprehend_20171127.ClassifyDocument"})
        assert st == 200 and json.loads(got)["Classes"][0]["Name"] == "invoice"


# ---------------------------------------------------------------- forward

class Upstream:
    """The service, standing in: checks the re-signed request with its own
    key (botocore's signer) and answers with bytes of its own choosing."""

    def __init__(self):
        self.bodies = []
        up = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                data = self.rfile.read(int(self.headers["Content-Length"]))
                ok = ss.check_signature(self, data, "AKIDUPSTREAM", "upstreamsecret")
                req = json.loads(data)
                up.bodies.append(req)
                if not ok:
                    out, st = b'{"__type":"InvalidSignatureException","message":"bad"}', 400
                elif "Text" in req and req["Text"].startswith("throttle"):
                    out, st = b'{"__type":"ThrottlingException","Message":"Rate exceeded"}', 400
                elif "Bytes" in req:
                    out, st = (b'{"Classes":[{"Name":"scan","Score":0.75,"Page":1}],  '
                               b'"DocumentMetadata":{"Pages":1,"ExtractedCharacters":'
                               b'[{"Page":1,"Count":240}]},"DocumentType":[{"Page":1,'
                               b'"Type":"IMAGE"}],"Errors":[],"Warnings":[]}'), 200
                else:
                    out, st = b'{"Classes": [{"Name": "upstream", "Score": 0.5}]}', 200
                up.last = out  # before the answer leaves: the client compares at once
                self.send_response(st)
                self.send_header("Content-Type", "application/x-amz-json-1.1")
                self.send_header("x-amzn-RequestId", "11111111-2222-3333-4444-%012d"
                                 % len(up.bodies))
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()


def test_forward_byte_identical_with_comparison_log(tmp_path):
    up = Upstream()
    log = tmp_path / "compare.jsonl"
    env = {"AWS_ACCESS_KEY_ID": "AKIDUPSTREAM", "AWS_SECRET_ACCESS_KEY": "upstreamsecret"}
    try:
        with ss.Serve(DOCCLASS, tmp_path, ["--forward", "--forward-url", up.url, "--log",
                                           str(log)], env=env) as s:
            sign = ss.signer(s, KEY, SECRET)
            target = "Comprehend_20171127.ClassifyDocument"
            with open(os.path.join(SAMPLES, "scan.png"), "rb") as f:
                png = base64.b64encode(f.read()).decode()
            bodies = [('{"EndpointArn":"%s","Text":"hello there"}' % ARN).encode(),
                      ('{"EndpointArn":"%s","Bytes":"%s"}' % (ARN, png)).encode(),
                      ('{"EndpointArn":"%s","Text":"throttle me"}' % ARN).encode()]
            for body in bodies:
                st, got, hdrs = ss.raw(s.port, "POST", "/", body, sign(target, body))
                assert got == up.last                      # byte for byte
                assert hdrs["x-amzn-requestid"].startswith("11111111-2222-3333-4444-")
                assert st == (400 if b"throttle" in body else 200)
            assert [json.dumps(b, sort_keys=True) for b in up.bodies] == \
                [json.dumps(json.loads(b), sort_keys=True) for b in bodies]
            s.stop()
            assert "compared 3" in s.stderr_text()
    finally:
        up.close()
    lines = [json.loads(x) for x in log.read_text().splitlines()]
    assert len(lines) == 3
    png_line = lines[1]
    assert png_line["input"] == "Bytes"
    assert png_line["docclass"]["document_type"] == ["IMAGE"]
    assert png_line["service"]["characters"] == [240]
    assert png_line["agree"]["admission"] is True and png_line["agree"]["document_type"] is True
    assert lines[2]["service"]["type"] == "ThrottlingException"
    assert lines[2]["agree"]["admission"] is False


# ---------------------------------------------------------------- a server that holds

def test_hostile_clients(tmp_path, model):
    with ss.Serve(DOCCLASS, tmp_path, ["--model", model, "--idle-timeout", "2"]) as s:
        # a body announced at 20 MB: refused before it is read
        st, got, _ = ss.raw(s.port, "POST", "/", b"", {"Content-Length": str(20 << 20)},
                            send_body=False)
        assert st == 413
        # a truncated body, then the connection closed
        c = socket.create_connection(("127.0.0.1", s.port))
        c.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"Endp")
        c.close()
        # headers of 200 KB
        c = socket.create_connection(("127.0.0.1", s.port))
        c.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (200 << 10) + b"\r\n\r\n")
        resp = ss.read_some(c)
        assert resp == b"" or b" 431 " in resp.split(b"\r\n")[0] or b" 413 " in resp.split(b"\r\n")[0]
        c.close()
        # slowloris: a byte a second; cut off after the idle timeout
        c = socket.create_connection(("127.0.0.1", s.port))
        t0 = time.monotonic()
        closed = False
        for ch in b"POST / HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"s" * 20:
            try:
                c.sendall(bytes([ch]))
            except OSError:
                closed = True
                break
            time.sleep(0.5 if ch != ord("s") else 2.5)
            if time.monotonic() - t0 > 12:
                break
        if not closed:
            c.settimeout(5)
            try:
                closed = c.recv(100) == b""
            except (ConnectionResetError, socket.timeout):
                closed = True
        assert closed
        c.close()
        # garbage where a request line belongs
        c = socket.create_connection(("127.0.0.1", s.port))
        c.sendall(b"\x00\xff\xfe garbage \r\n\r\n")
        ss.read_some(c)
        c.close()
        # and still serving
        sign = ss.signer(s, KEY, SECRET)
        body = ('{"EndpointArn":"%s","Text":"invoice total"}' % ARN).encode()
        st, got, _ = ss.raw(s.port, "POST", "/", body,
                            sign("Comprehend_20171127.ClassifyDocument", body))
        assert st == 200
        assert s.alive()


def test_graceful_shutdown_finishes_requests_in_flight(tmp_path, model):
    with ss.Serve(DOCCLASS, tmp_path, ["--model", model]) as s:
        sign = ss.signer(s, KEY, SECRET)
        with open(os.path.join(SAMPLES, "scan.png"), "rb") as f:
            body = ('{"EndpointArn":"%s","Bytes":"%s"}'
                    % (ARN, base64.b64encode(f.read()).decode())).encode()
        result = {}

        def go():
            result["r"] = ss.raw(s.port, "POST", "/", body,
                                 sign("Comprehend_20171127.ClassifyDocument", body))
        t = threading.Thread(target=go)
        t.start()
        time.sleep(0.3)                       # the OCR is under way
        s.proc.send_signal(signal.SIGTERM)
        t.join(60)
        assert result["r"][0] == 200 and json.loads(result["r"][1])["Classes"]
        assert s.proc.wait(30) == 0
        assert "1 answered" in s.stderr_text()


def test_bounded_load(tmp_path, model):
    """A small load (the bench runs 2,000): every valid request answered 200,
    every bad one its error, memory flat."""
    with ss.Serve(DOCCLASS, tmp_path, ["--model", model, "-j", "2"]) as s:
        res = ss.load(s, KEY, SECRET, ARN, SAMPLES, total=240, concurrency=16)
    assert res["unexpected"] == 0, res
    assert res["ok"] > 0 and res["refused"] > 0
    if not os.environ.get("DC_SANITIZED"):  # ASan keeps freed memory in quarantine
        assert res["rss_end_mb"] < res["rss_mid_mb"] * 1.5 + 20, res


def test_throttled_when_the_queue_is_full(tmp_path, model):
    """One worker, a queue of 16: of 24 OCR requests at once some get the
    service's ThrottlingException, the rest their answer, and the server
    still stops at once (requests refused at the queue are not in flight)."""
    with ss.Serve(DOCCLASS, tmp_path, ["--model", model, "-j", "1"]) as s:
        sign = ss.signer(s, KEY, SECRET)
        with open(os.path.join(SAMPLES, "scan.png"), "rb") as f:
            body = ('{"EndpointArn":"%s","Bytes":"%s"}'
                    % (ARN, base64.b64encode(f.read()).decode())).encode()
        got = []
        mu = threading.Lock()

        def go():   # 17 OCRs in a row on one worker: minutes under the sanitizers
            st, data, _ = ss.raw(s.port, "POST", "/", body,
                                 sign("Comprehend_20171127.ClassifyDocument", body), timeout=900)
            with mu:
                got.append((st, json.loads(data).get("__type")))
        threads = [threading.Thread(target=go) for _ in range(24)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(900)
        throttled = sum(1 for g in got if g == (400, "ThrottlingException"))
        assert len(got) == 24
        assert throttled >= 1, got
        assert all(g == (200, None) for g in got if g[1] != "ThrottlingException"), got
        t0 = time.monotonic()
        s.proc.send_signal(signal.SIGTERM)
        assert s.proc.wait(30) == 0
        assert time.monotonic() - t0 < 10
        assert "%d throttled" % throttled in s.stderr_text()


def test_usage_and_startup_errors(tmp_path, model):
    def run(*args):
        return subprocess.run([DOCCLASS, "serve"] + list(args), capture_output=True, text=True,
                              timeout=60, env=dict(os.environ, HOME=str(tmp_path)))
    p = run()
    assert p.returncode == 2 and "--model FILE or --forward" in p.stderr
    p = run("--model", str(tmp_path / "missing.dcm"), "--auth", "none")
    assert p.returncode == 4 and len(p.stderr.strip().splitlines()) == 1
    p = run("--model", model, "--keys", str(tmp_path / "nokeys"))
    assert p.returncode == 3 and "nokeys" in p.stderr
    p = run("--model", model, "--auth", "maybe")
    assert p.returncode == 2
    with ss.Serve(DOCCLASS, tmp_path, ["--model", model]) as s:
        p = run("--model", model, "--auth", "none", "-p", str(s.port))
        assert p.returncode == 1 and "cannot listen on 127.0.0.1:%d" % s.port in p.stderr
        assert len(p.stderr.strip().splitlines()) == 1
    p = run("--help")
    assert p.returncode == 0 and "usage: docclass serve" in p.stdout


def test_request_over_its_time_limit_and_the_next_one(tmp_path, model):
    """An extraction over --request-timeout: its answering process is killed,
    the request gets InternalServerException, and the next request is
    answered by a fresh one."""
    log = tmp_path / "serve.jsonl"
    with ss.Serve(DOCCLASS, tmp_path, ["--model", model, "-j", "1", "--request-timeout",
                                       "0.3", "--log", str(log)]) as s:
        sign = ss.signer(s, KEY, SECRET)
        with open(os.path.join(SAMPLES, "scan.png"), "rb") as f:
            png = ('{"EndpointArn":"%s","Bytes":"%s"}'
                   % (ARN, base64.b64encode(f.read()).decode())).encode()
        st, got, _ = ss.raw(s.port, "POST", "/", png,
                            sign("Comprehend_20171127.ClassifyDocument", png))
        err = json.loads(got)
        assert (st, err["__type"]) == (500, "InternalServerException")
        assert "time limit" in err["Message"]
        pdf = ('{"EndpointArn":"%s","Bytes":"%s"}'
               % (ARN, base64.b64encode(ss.one_page_pdf("Invoice total due")).decode())).encode()
        st, got, _ = ss.raw(s.port, "POST", "/", pdf,
                            sign("Comprehend_20171127.ClassifyDocument", pdf))
        assert st == 200 and json.loads(got)["DocumentType"][0]["Type"] == "NATIVE_PDF"
        body = ('{"EndpointArn":"%s","Text":"invoice total"}' % ARN).encode()
        st, got, _ = ss.raw(s.port, "POST", "/", body,
                            sign("Comprehend_20171127.ClassifyDocument", body))
        assert st == 200
        assert s.alive()
    lines = [json.loads(x) for x in log.read_text().splitlines()]
    assert [(x["input"], x["status"], x["type"]) for x in lines] == [
        ("Bytes", 500, "InternalServerException"), ("Bytes", 200, None), ("Text", 200, None)]
