"""Helpers of the serve tests and of bench/serve-load: a model to serve, a
`docclass serve` process, raw HTTP, SigV4 with botocore's signer, a load."""
import base64
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import threading
import time

WORDS = {
    "invoice": "invoice total amount due payment terms net tax subtotal bill remit account "
               "number".split(),
    "letter": "dear sincerely regards hope well writing letter thank you kindly yours "
              "meeting".split(),
    "receipt": "receipt cash change card visa item qty price store cashier total paid".split(),
}
COMMON = "the a of and to in for on with at by from this that is be".split()
TARGET = "Comprehend_20171127.ClassifyDocument"


def train_model(docclass, folder, rows_per_class=60, seed=3):
    rnd = random.Random(seed)
    csv = os.path.join(str(folder), "train.csv")
    with open(csv, "w") as f:
        for c, ws in WORDS.items():
            for _ in range(rows_per_class):
                f.write("%s,%s\n" % (c, " ".join(rnd.choice(ws + COMMON * 2)
                                                 for _ in range(40))))
    model = os.path.join(str(folder), "m.dcm")
    subprocess.run([docclass, "train", "-q", "--from-csv", csv, "--model", model],
                   check=True, timeout=300)
    return model


class Serve:
    def __init__(self, docclass, folder, args, env=None, keys=(("AKIDSERVE", "servesecret"),)):
        self.folder = str(folder)
        keyfile = os.path.join(self.folder, "serve-keys")
        with open(keyfile, "w") as f:
            for i, (k, s) in enumerate(keys):
                f.write("[p%d]\naws_access_key_id = %s\naws_secret_access_key = %s\n" % (i, k, s))
        portfile = os.path.join(self.folder, "serve-port")
        if os.path.exists(portfile):
            os.remove(portfile)
        e = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        e.update({"HOME": self.folder, "AWS_EC2_METADATA_DISABLED": "true"})
        e.update(env or {})
        self.err = open(os.path.join(self.folder, "serve.err"), "w+")
        self.proc = subprocess.Popen([docclass, "serve", "-p", "0", "--port-file", portfile,
                                      "--keys", keyfile] + list(args),
                                     env=e, stdout=subprocess.DEVNULL, stderr=self.err)
        deadline = time.monotonic() + 30
        while not os.path.exists(portfile) or not open(portfile).read().strip():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("serve did not start: " + self.stderr_text())
            time.sleep(0.02)
        self.port = int(open(portfile).read())
        self.url = "http://127.0.0.1:%d" % self.port

    def __enter__(self):
        return self

    def __exit__(self, *a):
        self.stop()
        self.err.close()

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def stderr_text(self):
        self.err.flush()
        with open(self.err.name) as f:
            return f.read()

    def rss_mb(self):
        """Resident MB of the server and of its answering processes."""
        def rss(pid):
            try:
                with open("/proc/%d/status" % pid) as f:
                    for line in f:
                        if line.startswith("VmRSS:"):
                            return int(line.split()[1]) / 1024.0
            except OSError:
                pass
            return 0.0
        total = rss(self.proc.pid)
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    with open("/proc/%s/stat" % d) as f:
                        ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                except (OSError, ValueError, IndexError):
                    continue
                if ppid == self.proc.pid:
                    total += rss(int(d))
        return total


def raw(port, method, path, body, headers, send_body=True, timeout=120):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.putrequest(method, path, skip_host="Host" in headers or "host" in headers,
                     skip_accept_encoding=True)
        for k, v in headers.items():
            c.putheader(k, v)
        if "Content-Length" not in headers:
            c.putheader("Content-Length", str(len(body)))
        c.endheaders()
        if send_body and body:
            c.send(body)
        r = c.getresponse()
        data = r.read()
        return r.status, data, {k.lower(): v for k, v in r.getheaders()}
    finally:
        c.close()


def signer(s, key, secret):
    """Headers of a request to s signed as botocore signs it."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    creds = Credentials(key, secret)

    def sign(target, body):
        req = AWSRequest(method="POST", url=s.url + "/", data=body,
                         headers={"X-Amz-Target": target,
                                  "Content-Type": "application/x-amz-json-1.1"})
        SigV4Auth(creds, "comprehend", "us-east-1").add_auth(req)
        h = dict(req.headers.items())
        h["Host"] = "127.0.0.1:%d" % s.port
        return h
    return sign


def check_signature(handler, data, key, secret):
    """Recompute the Authorization of a received request with botocore."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    authz = handler.headers.get("Authorization", "")
    if not authz.startswith("AWS4-HMAC-SHA256 Credential=" + key + "/"):
        return False
    parts = dict(p.strip().split("=", 1) for p in authz[len("AWS4-HMAC-SHA256 "):].split(","))
    scope = parts["Credential"].split("/")
    signed = parts["SignedHeaders"].split(";")
    req = AWSRequest(method="POST", url="http://%s/" % handler.headers["Host"], data=data,
                     headers={h: handler.headers[h] for h in signed})
    req.context["timestamp"] = handler.headers["X-Amz-Date"]
    auth = SigV4Auth(Credentials(key, secret), scope[3], scope[2])
    from botocore.compat import HTTPHeaders

    def to_sign(r):
        hh = HTTPHeaders()
        for h in signed:
            hh[h] = handler.headers[h]
        return hh
    auth.headers_to_sign = to_sign
    sts = auth.string_to_sign(req, auth.canonical_request(req))
    return auth.signature(sts, req) == parts["Signature"]


def one_page_pdf(text):
    """A one-page digital PDF (Helvetica text), written by hand."""
    lines, cur = [], ""
    for word in text.split():                 # wrapped at spaces, 70 characters a line
        if cur and len(cur) + 1 + len(word) > 70:
            lines.append(cur)
            cur = word
        else:
            cur = (cur + " " + word) if cur else word
    if cur:
        lines.append(cur)
    ops = "BT /F1 11 Tf 72 720 Td 14 TL " + " ".join(
        "(%s) Tj T*" % ln.replace("\\", "").replace("(", "").replace(")", "") for ln in lines) + " ET"
    objs = ["<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 "
            "4 0 R >> >> /Contents 5 0 R >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            "<< /Length %d >>\nstream\n%s\nendstream" % (len(ops), ops)]
    out = b"%PDF-1.4\n"
    offs = []
    for i, o in enumerate(objs):
        offs.append(len(out))
        out += ("%d 0 obj\n%s\nendobj\n" % (i + 1, o)).encode()
    xref = len(out)
    out += ("xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)).encode()
    for o in offs:
        out += ("%010d 00000 n \n" % o).encode()
    out += ("trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objs) + 1, xref)).encode()
    return out


def read_some(c, timeout=5):
    c.settimeout(timeout)
    out = b""
    try:
        while True:
            d = c.recv(65536)
            if not d:
                break
            out += d
            if b"\r\n\r\n" in out:
                break
    except (socket.timeout, ConnectionResetError):
        pass
    return out


def load(s, key, secret, arn, samples, total=2000, concurrency=32, seed=7):
    """Mixed requests from `concurrency` threads: text, one-page PDF, PNG,
    and bad ones (3-page PDF, oversized text, bad base64, bad signature).
    Returns counts, latency percentiles (seconds) and server RSS."""
    sign = signer(s, key, secret)
    bad_sign = signer(s, key, "wrong")

    def b64(name):
        if name == "native":
            return base64.b64encode(one_page_pdf(
                "Invoice 42. Total amount due 1,250.00 net 30, remit payment to account 7.")).decode()
        with open(os.path.join(samples, name), "rb") as f:
            return base64.b64encode(f.read()).decode()
    kinds = [
        ("text", 200, ('{"EndpointArn":"%s","Text":"invoice total due, remit payment"}'
                       % arn).encode(), sign),
        ("pdf", 200, ('{"EndpointArn":"%s","Bytes":"%s"}' % (arn, b64("native"))).encode(),
         sign),
        ("png", 200, ('{"EndpointArn":"%s","Bytes":"%s"}' % (arn, b64("scan.png"))).encode(),
         sign),
        ("pages", 400, ('{"EndpointArn":"%s","Bytes":"%s"}'
                        % (arn, b64("three-pages.pdf"))).encode(), sign),
        ("big", 400, ('{"EndpointArn":"%s","Text":"%s"}' % (arn, "w" * 12000)).encode(), sign),
        ("b64", 400, ('{"EndpointArn":"%s","Bytes":"!!!"}' % arn).encode(), sign),
        ("sig", 400, ('{"EndpointArn":"%s","Text":"x"}' % arn).encode(), bad_sign),
    ]
    weights = [40, 10, 3, 2, 15, 15, 15]
    rnd = random.Random(seed)
    plan = rnd.choices(range(len(kinds)), weights=weights, k=total)
    lat = {k[0]: [] for k in kinds}
    res = {"ok": 0, "refused": 0, "unexpected": 0, "throttled": 0, "errors": []}
    mu = threading.Lock()
    idx = [0]
    rss = []

    def work():
        while True:
            with mu:
                i = idx[0]
                idx[0] += 1
            if i >= total:
                return
            name, want, body, sg = kinds[plan[i]]
            t0 = time.monotonic()
            try:
                st, data, _ = raw(s.port, "POST", "/", body, sg(TARGET, body))
            except Exception as e:  # noqa: BLE001
                st, data = -1, str(e).encode()
            dt = time.monotonic() - t0
            with mu:
                lat[name].append(dt)
                if st == want:
                    res["ok" if st == 200 else "refused"] += 1
                elif st == 400 and b"ThrottlingException" in data:
                    res["throttled"] += 1
                else:
                    res["unexpected"] += 1
                    if len(res["errors"]) < 5:
                        res["errors"].append((name, st, data[:200].decode("utf-8", "replace")))
                if i == total // 2:
                    rss.append(s.rss_mb())
    t0 = time.monotonic()
    threads = [threading.Thread(target=work) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    res["seconds"] = time.monotonic() - t0
    res["rss_mid_mb"] = rss[0] if rss else s.rss_mb()
    res["rss_end_mb"] = s.rss_mb()
    allat = sorted(x for v in lat.values() for x in v)

    def pct(v, p):
        return round(v[min(len(v) - 1, int(p / 100.0 * len(v)))], 4) if v else None
    res["latency"] = {"all": {"p50": pct(allat, 50), "p95": pct(allat, 95),
                              "p99": pct(allat, 99), "max": pct(allat, 100)}}
    for k, v in lat.items():
        v.sort()
        res["latency"][k] = {"n": len(v), "p50": pct(v, 50), "p95": pct(v, 95),
                             "p99": pct(v, 99)}
    return res
