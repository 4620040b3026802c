"""Loopback stand-ins for the AWS endpoints credentials come from, and for
ClassifyDocument, on 127.0.0.1 (tests never reach anything else).

One threaded HTTP server answers, by path and method:

  POST /            STS (Action=AssumeRole, signed; AssumeRoleWithWebIdentity,
                    unsigned) or, with X-Amz-Target, ClassifyDocument
  PUT  /latest/api/token, GET /latest/meta-data/iam/security-credentials/[ROLE]
                    EC2 instance metadata (IMDSv2: the token is required)
  GET  /container   the container credentials endpoint (Authorization checked)
  GET  /federation/credentials
                    the SSO portal (x-amz-sso_bearer_token checked)

Every set of credentials it issues is remembered with its secret and expiry;
AssumeRole and ClassifyDocument requests are checked against them (the
signature recomputed with botocore's SigV4 code, the key known and not
expired when the request arrives). What went wrong is recorded in
`problems`, every request in `log`.
"""
import base64
import datetime
import hashlib
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def key_for(what):
    """A deterministic access key id for what was asked (a role, a provider)."""
    return "ASIA" + hashlib.sha1(what.encode()).hexdigest()[:16].upper()


def iso(t):
    return datetime.datetime.utcfromtimestamp(t).strftime("%Y-%m-%dT%H:%M:%SZ")


class Standin:
    def __init__(self, lifetime=3600, delay=0.0, units=0):
        self.lifetime = lifetime      # seconds the issued credentials are valid
        self.delay = delay            # seconds before answering ClassifyDocument
        # units > 0: ClassifyDocument throttles above that many inference
        # units (100 characters and 2 documents a second each; a bucket of
        # one second of each), as an endpoint does
        self.units = units
        self.bucket = [float(units) * 100, float(units) * 2, time.monotonic()]
        self.throttled = 0
        self.classified = []          # (time, characters, text) of each answered request
        self.keys = {}                # access key id -> (secret, token, expires)
        self.log = []                 # (method, path, detail)
        self.problems = []
        self.web_token = "web-identity-token-abc"
        self.container_auth = "container-auth-xyz"
        self.sso_token = "sso-bearer-token-123"
        self.imds_token = "imds-session-token"
        self.imds_role = "docclass-instance-role"
        self.mu = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = "http://127.0.0.1:%d" % self.port
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def add_static(self, key, secret, token=None):
        with self.mu:
            self.keys[key] = (secret, token, None)

    def issue(self, what):
        """New temporary credentials for what; (key, secret, token, expires)."""
        with self.mu:
            n = sum(1 for k in self.log if k[0] == "issue")
            self.log.append(("issue", what, n))
        key = key_for(what)
        secret = "secret-" + hashlib.sha256(("%s/%d" % (what, n)).encode()).hexdigest()[:24]
        token = "token-" + hashlib.sha256(("t%s/%d" % (what, n)).encode()).hexdigest()[:32]
        expires = int(time.time()) + self.lifetime
        with self.mu:
            # a key id names one role: the newest secret wins, older ones stay
            # valid until they expire (as STS's do)
            self.keys.setdefault(key, [])
            if isinstance(self.keys[key], tuple):
                self.keys[key] = [self.keys[key]]
            self.keys[key].append((secret, token, expires))
        return key, secret, token, expires

    def admit(self, chars):
        """Take a document of chars characters from the endpoint's bucket;
        False when it is over its throughput (throttled)."""
        with self.mu:
            c, d, t = self.bucket
            now = time.monotonic()
            cap_c, cap_d = self.units * 100.0, self.units * 2.0
            c = min(cap_c, c + (now - t) * cap_c)
            d = min(cap_d, d + (now - t) * cap_d)
            ok = d >= 1 and c >= min(chars, cap_c)
            if ok:
                c -= chars
                d -= 1
            else:
                self.throttled += 1
            self.bucket = [c, d, now]
            return ok

    def problem(self, msg):
        with self.mu:
            self.problems.append(msg)

    def check_signature(self, h, body, service):
        """The request's SigV4 signature recomputed with botocore; the key
        issued here, not expired. Returns the key id or None."""
        auth = h.headers.get("Authorization", "")
        if not auth.startswith("AWS4-HMAC-SHA256 "):
            self.problem("%s: no SigV4 Authorization" % service)
            return None
        parts = dict(p.strip().split("=", 1) for p in auth[len("AWS4-HMAC-SHA256 "):].split(","))
        cred = parts["Credential"].split("/")
        key, region = cred[0], cred[2]
        with self.mu:
            entries = self.keys.get(key)
        if entries is None:
            self.problem("%s: unknown access key %s" % (service, key))
            return None
        if isinstance(entries, tuple):
            entries = [entries]
        now = time.time()
        amzdate = h.headers.get("X-Amz-Date")
        for secret, token, expires in entries:
            if token and h.headers.get("X-Amz-Security-Token") != token:
                continue
            req = AWSRequest(method="POST", url="http://%s/" % h.headers["Host"], data=body)
            for name in parts["SignedHeaders"].split(";"):
                req.headers[name] = h.headers.get(name, "")
            req.context["timestamp"] = amzdate
            signer = SigV4Auth(Credentials(key, secret, token), service, region)
            sts = signer.string_to_sign(req, signer.canonical_request(req))
            if signer.signature(sts, req) != parts["Signature"]:
                continue
            if expires is not None and now >= expires:
                self.problem("%s: %s used %.1f s after it expired" % (service, key, now - expires))
                return None
            return key
        self.problem("%s: signature or token of %s does not verify" % (service, key))
        return None

    def _handler(self):
        st = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def reply(self, status, body, ctype="application/json"):
                data = body.encode() if isinstance(body, str) else body
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(data)))
                    self.send_header("x-amzn-RequestId", "standin-1")
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client went away (a test killed it)

            def body(self):
                n = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(n) if n else b""

            def do_PUT(self):
                self.body()
                st.log.append(("PUT", self.path, ""))
                if self.path == "/latest/api/token":
                    if not self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
                        return self.reply(400, "")
                    return self.reply(200, st.imds_token, "text/plain")
                self.reply(404, "")

            def do_GET(self):
                st.log.append(("GET", self.path, ""))
                u = urllib.parse.urlparse(self.path)
                base = "/latest/meta-data/iam/security-credentials/"
                if u.path.startswith(base):
                    if self.headers.get("X-aws-ec2-metadata-token") != st.imds_token:
                        return self.reply(401, "")
                    role = u.path[len(base):]
                    if not role:
                        return self.reply(200, st.imds_role, "text/plain")
                    k, s, t, e = st.issue("imds:" + role)
                    return self.reply(200, json.dumps({
                        "Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": k,
                        "SecretAccessKey": s, "Token": t, "Expiration": iso(e),
                        "LastUpdated": iso(time.time())}))
                if u.path == "/container":
                    if self.headers.get("Authorization") != st.container_auth:
                        return self.reply(403, '{"message": "bad token"}')
                    k, s, t, e = st.issue("container")
                    return self.reply(200, json.dumps({
                        "AccessKeyId": k, "SecretAccessKey": s, "Token": t,
                        "Expiration": iso(e), "RoleArn": "arn:aws:iam::1:role/c"}))
                if u.path == "/federation/credentials":
                    q = urllib.parse.parse_qs(u.query)
                    if self.headers.get("x-amz-sso_bearer_token") != st.sso_token:
                        return self.reply(401, '{"message": "bad bearer"}')
                    k, s, t, e = st.issue("sso:%s:%s" % (q["account_id"][0], q["role_name"][0]))
                    return self.reply(200, json.dumps({"roleCredentials": {
                        "accessKeyId": k, "secretAccessKey": s, "sessionToken": t,
                        "expiration": e * 1000}}))
                self.reply(404, "")

            def do_POST(self):
                data = self.body()
                target = self.headers.get("X-Amz-Target")
                if target:
                    return self.classify(target, data)
                form = urllib.parse.parse_qs(data.decode())
                action = form.get("Action", [""])[0]
                st.log.append(("POST", action, form.get("RoleArn", [""])[0]))
                if action == "AssumeRoleWithWebIdentity":
                    if form.get("WebIdentityToken", [""])[0] != st.web_token:
                        return self.reply(400, sts_error("InvalidIdentityToken", "bad token"),
                                          "text/xml")
                    if "Authorization" in self.headers:
                        st.problem("AssumeRoleWithWebIdentity was signed")
                    k, s, t, e = st.issue("role:" + form["RoleArn"][0])
                    return self.reply(200, sts_creds(action, k, s, t, e), "text/xml")
                if action == "AssumeRole":
                    if not st.check_signature(self, data, "sts"):
                        return self.reply(403, sts_error("SignatureDoesNotMatch", "no"),
                                          "text/xml")
                    k, s, t, e = st.issue("role:" + form["RoleArn"][0])
                    return self.reply(200, sts_creds(action, k, s, t, e), "text/xml")
                self.reply(400, sts_error("InvalidAction", action), "text/xml")

            def classify(self, target, data):
                st.log.append(("POST", target, ""))
                key = st.check_signature(self, data, "comprehend")
                if not key:
                    return self.reply(403, json.dumps({
                        "__type": "UnrecognizedClientException",
                        "message": "The security token included in the request is invalid."}))
                if st.delay:
                    time.sleep(st.delay)
                body = json.loads(data or b"{}")
                chars = len(body.get("Text", "")) or len(base64.b64decode(body.get("Bytes", "")))
                if st.units and not st.admit(chars):
                    return self.reply(400, json.dumps({
                        "__type": "ThrottlingException", "Message": "Rate exceeded"}))
                with st.mu:
                    st.classified.append((time.monotonic(), chars, body.get("Text", "")))
                return self.reply(200, json.dumps({
                    "Classes": [{"Name": "invoice", "Score": 0.91, "Page": 1}],
                    "DocumentMetadata": {"Pages": 1, "ExtractedCharacters": [
                        {"Page": 1, "Count": chars}]},
                    "DocumentType": [{"Page": 1, "Type": "PLAIN_TEXT"}]}))

        return H


def sts_creds(action, k, s, t, e):
    return ("<{a}Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><{a}Result>"
            "<Credentials><AccessKeyId>{k}</AccessKeyId><SecretAccessKey>{s}</SecretAccessKey>"
            "<SessionToken>{t}</SessionToken><Expiration>{e}</Expiration></Credentials>"
            "<AssumedRoleUser><Arn>arn:aws:sts::1:assumed-role/r/s</Arn>"
            "<AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser>"
            "</{a}Result><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata>"
            "</{a}Response>").format(a=action, k=k, s=s, t=t, e=iso(e))


def sts_error(code, msg):
    return ("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>"
            "<Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error>"
            "<RequestId>r2</RequestId></ErrorResponse>" % (code, msg))
