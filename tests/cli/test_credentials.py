"""docclass's credential chain against loopback stand-ins, and against
botocore's own resolver on the same inputs.

Each case gives an environment and shared files; `docclass classify
--show-credentials-source` and botocore (a fresh interpreter, the same
environment) must name the same provider (botocore's method names) and the
same access key id. STS, SSO, the container endpoint and instance metadata
are the stand-ins of aws_standin.py; botocore is pointed at them through
AWS_ENDPOINT_URL_STS / _SSO (patched into create_client for botocore
releases before those variables existed), docclass reads them itself.

Run by CTest (test `credentials`); DOCCLASS names the CLI.
"""
import json
import os
import socket
import subprocess
import sys
import textwrap
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from aws_standin import Standin, key_for  # noqa: E402

DOCCLASS = os.environ.get("DOCCLASS", os.path.join(HERE, "..", "..", "build", "docclass"))
ARN = "arn:aws:comprehend:us-east-1:123456789012:document-classifier-endpoint/ep"
ROLE = "arn:aws:iam::123456789012:role/reader"
ROLE2 = "arn:aws:iam::123456789012:role/chained"

BOTOCORE = textwrap.dedent("""
    import json, os, sys
    import botocore.session
    orig = botocore.session.Session.create_client
    def create_client(self, service_name, *a, **kw):
        var = {"sts": "AWS_ENDPOINT_URL_STS", "sso": "AWS_ENDPOINT_URL_SSO"}.get(service_name)
        if var and os.environ.get(var) and not kw.get("endpoint_url"):
            kw["endpoint_url"] = os.environ[var]
        return orig(self, service_name, *a, **kw)
    botocore.session.Session.create_client = create_client
    s = botocore.session.Session(profile=sys.argv[1] or None)
    c = s.get_credentials()
    f = c.get_frozen_credentials() if c else None
    print(json.dumps({"provider": c.method if c else None,
                      "access_key_id": f.access_key if f else None}))
""")

@pytest.fixture
def standin():
    with Standin() as s:
        s.add_static("AKIDENV", "SECRETENV")
        s.add_static("AKIDBASE", "SECRETBASE")
        yield s


def base_env(home):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"HOME": home, "AWS_EC2_METADATA_DISABLED": "true",
                "AWS_DEFAULT_REGION": "us-east-1",
                "AWS_CONFIG_FILE": os.path.join(home, ".aws", "config"),
                "AWS_SHARED_CREDENTIALS_FILE": os.path.join(home, ".aws", "credentials")})
    return env


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(textwrap.dedent(text))


def docclass_creds(env, profile=None):
    cmd = [DOCCLASS, "classify", "--show-credentials-source"]
    if profile:
        cmd += ["--profile", profile]
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    return p


def botocore_creds(env, profile=None):
    p = subprocess.run(["/usr/bin/python3", "-c", BOTOCORE, profile or ""], env=env,
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr[-2000:]
    return json.loads(p.stdout)


def setup_case(name, home, s):
    """Files and environment of one case: (env, profile, provider, key)."""
    env = base_env(home)
    aws = os.path.join(home, ".aws")
    cred, conf = os.path.join(aws, "credentials"), os.path.join(aws, "config")
    token_file = os.path.join(home, "web-token")
    write(token_file, s.web_token)  # projected tokens end without a newline
    sts = {"AWS_ENDPOINT_URL_STS": s.url}
    envkeys = {"AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "SECRETENV"}
    web = {"AWS_WEB_IDENTITY_TOKEN_FILE": token_file, "AWS_ROLE_ARN": ROLE,
           "AWS_ROLE_SESSION_NAME": "s1"}
    container = {"AWS_CONTAINER_CREDENTIALS_FULL_URI": s.url + "/container",
                 "AWS_CONTAINER_AUTHORIZATION_TOKEN": s.container_auth}
    imds = {"AWS_EC2_METADATA_DISABLED": "false", "AWS_EC2_METADATA_SERVICE_ENDPOINT": s.url}
    static = "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = SECRETFILE\n"
    proc = os.path.join(home, "proc.py")
    write(proc, """
        import json
        print(json.dumps({"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "SECRETPROC",
                          "SessionToken": "TOKENPROC", "Expiration": "2099-01-01T00:00:00Z"}))
    """)
    sso_cache = os.path.join(aws, "sso", "cache")
    import hashlib
    for k in ("https://start.example/start", "my-sso"):
        write(os.path.join(sso_cache, hashlib.sha1(k.encode()).hexdigest() + ".json"),
              json.dumps({"startUrl": "https://start.example/start", "region": "us-east-1",
                          "accessToken": s.sso_token, "expiresAt": "2099-01-01T00:00:00Z"}))
    profile = None
    if name == "env":
        env.update(envkeys)
        want = ("env", "AKIDENV")
    elif name == "env_over_files":
        env.update(envkeys)
        write(cred, static)
        want = ("env", "AKIDENV")
    elif name == "profile_skips_env":
        env.update(envkeys)
        write(cred, "[other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = S\n")
        profile, want = "other", ("shared-credentials-file", "AKIDOTHER")
    elif name == "shared_file":
        write(cred, static)
        want = ("shared-credentials-file", "AKIDFILE")
    elif name == "config_file":
        write(conf, "[default]\naws_access_key_id = AKIDCONF\naws_secret_access_key = S\n")
        want = ("config-file", "AKIDCONF")
    elif name == "shared_over_config":
        write(cred, static)
        write(conf, "[default]\naws_access_key_id = AKIDCONF\naws_secret_access_key = S\n")
        want = ("shared-credentials-file", "AKIDFILE")
    elif name == "process":
        write(conf, "[default]\ncredential_process = /usr/bin/python3 %s\n" % proc)
        want = ("custom-process", "AKIDPROC")
    elif name == "shared_over_process":
        write(cred, static)
        write(conf, "[default]\ncredential_process = /usr/bin/python3 %s\n" % proc)
        want = ("shared-credentials-file", "AKIDFILE")
    elif name == "web_identity_env":
        env.update(web)
        env.update(sts)
        want = ("assume-role-with-web-identity", key_for("role:" + ROLE))
    elif name == "web_identity_profile":
        write(conf, "[default]\nrole_arn = %s\nweb_identity_token_file = %s\n" % (ROLE, token_file))
        env.update(sts)
        want = ("assume-role-with-web-identity", key_for("role:" + ROLE))
    elif name == "env_over_web_identity":
        env.update(envkeys)
        env.update(web)
        env.update(sts)
        want = ("env", "AKIDENV")
    elif name == "web_identity_over_shared":
        env.update(web)
        env.update(sts)
        write(cred, static)
        want = ("assume-role-with-web-identity", key_for("role:" + ROLE))
    elif name == "assume_role":
        write(cred, "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = SECRETBASE\n")
        write(conf, "[profile r]\nrole_arn = %s\nsource_profile = base\n" % ROLE)
        env.update(sts)
        env["AWS_PROFILE"] = "r"
        want = ("assume-role", key_for("role:" + ROLE))
    elif name == "assume_role_chain":
        write(cred, "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = SECRETBASE\n")
        write(conf, "[profile r]\nrole_arn = %s\nsource_profile = base\n"
                    "[profile r2]\nrole_arn = %s\nsource_profile = r\n" % (ROLE, ROLE2))
        env.update(sts)
        profile, want = "r2", ("assume-role", key_for("role:" + ROLE2))
    elif name == "assume_role_credential_source":
        env.update(envkeys)
        write(conf, "[profile r]\nrole_arn = %s\ncredential_source = Environment\n" % ROLE)
        env.update(sts)
        profile, want = "r", ("assume-role", key_for("role:" + ROLE))
    elif name == "sso_legacy":
        write(conf, "[profile s]\nsso_start_url = https://start.example/start\n"
                    "sso_region = us-east-1\nsso_account_id = 111122223333\n"
                    "sso_role_name = Reader\n")
        env["AWS_ENDPOINT_URL_SSO"] = s.url
        profile, want = "s", ("sso", key_for("sso:111122223333:Reader"))
    elif name == "sso_session":
        write(conf, "[profile s]\nsso_session = my-sso\nsso_account_id = 111122223333\n"
                    "sso_role_name = Writer\n"
                    "[sso-session my-sso]\nsso_start_url = https://start.example/start\n"
                    "sso_region = us-east-1\n")
        env["AWS_ENDPOINT_URL_SSO"] = s.url
        profile, want = "s", ("sso", key_for("sso:111122223333:Writer"))
    elif name == "container":
        env.update(container)
        want = ("container-role", key_for("container"))
    elif name == "imds":
        env.update(imds)
        want = ("iam-role", key_for("imds:" + s.imds_role))
    elif name == "container_over_imds":
        env.update(container)
        env.update(imds)
        want = ("container-role", key_for("container"))
    elif name == "shared_over_container":
        env.update(container)
        write(cred, static)
        want = ("shared-credentials-file", "AKIDFILE")
    else:
        raise AssertionError(name)
    return env, profile, want


CASES = ["env", "env_over_files", "profile_skips_env", "shared_file", "config_file",
         "shared_over_config", "process", "shared_over_process", "web_identity_env",
         "web_identity_profile", "env_over_web_identity", "web_identity_over_shared",
         "assume_role", "assume_role_chain", "assume_role_credential_source", "sso_legacy",
         "sso_session", "container", "imds", "container_over_imds", "shared_over_container"]


@pytest.mark.parametrize("name", CASES)
def test_provider_agrees_with_botocore(name, standin, tmp_path):
    env, profile, (provider, key) = setup_case(name, str(tmp_path), standin)
    p = docclass_creds(env, profile)
    assert p.returncode == 0, p.stderr
    got = json.loads(p.stdout)
    theirs = botocore_creds(env, profile)
    print(name, got, theirs)
    assert got["provider"] == provider
    assert got["access_key_id"] == key
    assert theirs == {"provider": provider, "access_key_id": key}
    assert not standin.problems, standin.problems
    no_secrets(standin, p)


def no_secrets(s, p):
    """Nothing the stand-in issued as a secret or token, nor the cases'
    own, in the command's output."""
    found = ["SECRETENV", "SECRETBASE", "SECRETFILE", "SECRETPROC", "TOKENPROC", s.web_token,
             s.container_auth, s.sso_token, s.imds_token]
    for e in s.keys.values():
        for secret, token, _ in (e if isinstance(e, list) else [e]):
            found += [secret] + ([token] if token else [])
    for x in found:
        assert x not in p.stdout and x not in p.stderr, x


def test_container_token_file(standin, tmp_path):
    env = base_env(str(tmp_path))
    tok = tmp_path / "auth"
    tok.write_text(standin.container_auth + "\n")
    env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = standin.url + "/container"
    env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = str(tok)
    p = docclass_creds(env)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["provider"] == "container-role"


def failing(env, profile=None, standin=None):
    p = docclass_creds(env, profile)
    if standin:
        no_secrets(standin, p)
    assert p.returncode == 3, (p.returncode, p.stdout, p.stderr)
    assert p.stdout == ""
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1, p.stderr
    return lines[0]


def test_failing_providers_say_which_and_why(standin, tmp_path):
    home = str(tmp_path)
    env = base_env(home)
    env.update({"AWS_WEB_IDENTITY_TOKEN_FILE": os.path.join(home, "absent"),
                "AWS_ROLE_ARN": ROLE, "AWS_ENDPOINT_URL_STS": standin.url})
    assert "web identity: token file" in failing(env, standin=standin)
    write(os.path.join(home, "tok"), "wrong-token")
    env["AWS_WEB_IDENTITY_TOKEN_FILE"] = os.path.join(home, "tok")
    msg = failing(env, standin=standin)
    assert "web identity" in msg and "InvalidIdentityToken" in msg, msg

    env = base_env(home)
    env.update({"AWS_CONTAINER_CREDENTIALS_FULL_URI": standin.url + "/container",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN": "wrong"})
    msg = failing(env, standin=standin)
    assert "container credentials" in msg and "HTTP 403" in msg, msg
    env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://example.com/creds"
    assert "neither https nor a loopback" in failing(env)

    env = base_env(home)
    write(env["AWS_CONFIG_FILE"], "[profile a]\nrole_arn = %s\nsource_profile = b\n"
                                  "[profile b]\nrole_arn = %s\nsource_profile = a\n"
                                  "[profile c]\nrole_arn = %s\ncredential_source = Moon\n"
                                  "[profile d]\nrole_arn = %s\n"
                                  "[profile e]\nsso_start_url = https://x.example/start\n"
                                  "sso_region = us-east-1\nsso_account_id = 1\n"
                                  "sso_role_name = R\n"
                                  "[profile f]\ncredential_process = /bin/false\n"
                                  "[profile g]\ncredential_process = /bin/echo not-json\n"
                                  "[profile h]\ncredential_process = /usr/bin/yes\n"
                                  % (ROLE, ROLE2, ROLE, ROLE))
    assert "makes a loop" in failing(env, "a")
    assert "credential_source 'Moon'" in failing(env, "c")
    assert "neither source_profile nor credential_source" in failing(env, "d")
    assert "aws sso login" in failing(env, "e")
    assert "credential_process '/bin/false' failed (exit status 1)" in failing(env, "f")
    assert "did not print JSON" in failing(env, "g")
    assert "wrote more than 65536 bytes" in failing(env, "h")  # and was stopped
    assert "profile 'nosuch' not found" in failing(env, "nosuch")
    msg = failing(env)
    assert msg.startswith("docclass: classify: no credentials found: looked in the environment")
    assert "disabled by AWS_EC2_METADATA_DISABLED" in msg


def test_dead_metadata_service_costs_a_bounded_delay(tmp_path):
    """A metadata address that accepts no connection (a listening socket
    never accepted: the connect completes, nothing answers) costs at most
    the one-second timeout of the token request; a refused one nothing."""
    env = base_env(str(tmp_path))
    env["AWS_EC2_METADATA_DISABLED"] = "false"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = "http://127.0.0.1:%d" % sock.getsockname()[1]
        t0 = time.monotonic()
        msg = failing(env)
        dead = time.monotonic() - t0
    print("dead metadata service: %.2f s: %s" % (dead, msg))
    assert "EC2 instance metadata" in msg and "timed out" in msg.lower(), msg
    assert dead < 2.5
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, not listening: refused
        env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = "http://127.0.0.1:%d" % port
        t0 = time.monotonic()
        failing(env)
        assert time.monotonic() - t0 < 1.0


def test_short_lived_credentials_are_refreshed_during_a_run(tmp_path):
    """classify over many files with container credentials that live
    LIFETIME seconds (default 6; scripts/credentials-soak runs 60 s
    credentials for several minutes): every request signed with
    credentials valid when it arrives, none failed, and they were fetched
    again along the way."""
    lifetime = int(os.environ.get("DC_CRED_LIFETIME", "6"))
    duration = float(os.environ.get("DC_CRED_DURATION", "20"))
    delay = 0.25
    n = max(4, int(duration / delay))
    files = []
    for i in range(n):
        f = tmp_path / ("doc%04d.txt" % i)
        f.write_text("invoice number %d total due\n" % i)
        files.append(str(f))
    with Standin(lifetime=lifetime, delay=delay) as s:
        env = base_env(str(tmp_path))
        env.update({"AWS_CONTAINER_CREDENTIALS_FULL_URI": s.url + "/container",
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN": s.container_auth,
                    "AWS_ENDPOINT_URL_COMPREHEND": s.url, "AWS_MAX_ATTEMPTS": "1"})
        t0 = time.monotonic()
        p = subprocess.run([DOCCLASS, "classify", "--endpoint-arn", ARN, "--jsonl"] + files,
                           env=env, capture_output=True, text=True, timeout=duration * 4 + 120)
        took = time.monotonic() - t0
        issued = sum(1 for e in s.log if e[0] == "issue")
        sent = sum(1 for e in s.log if e[1] == "Comprehend_20171127.ClassifyDocument")
        print("%d files in %.1f s, credentials of %d s fetched %d times, %d requests, "
              "problems %s" % (n, took, lifetime, issued, sent, s.problems))
        assert p.returncode == 0, p.stderr[-3000:]
        assert not s.problems, s.problems
        assert sent == n
        assert len(p.stdout.strip().splitlines()) == n
        assert issued >= int(took / lifetime) + 1
        no_secrets(s, p)
