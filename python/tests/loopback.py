"""The project's loopback stand-in for ClassifyDocument (tests/support's
dc_http_fixture): a SigV4-checking HTTP server on 127.0.0.1 that answers
every request with a fixed body and logs what it got."""
import json
import os
import signal
import subprocess
import time

REPLY = json.dumps({"Classes": [{"Name": "invoice", "Score": 0.91},
                                {"Name": "report", "Score": 0.09}],
                    "DocumentMetadata": {"Pages": 1}})


def build_dir():
    return os.environ.get("DC_BUILD_DIR") or os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "build")


def fixture_program():
    return os.path.join(build_dir(), "tests", "dc_http_fixture")


class Fixture:
    def __init__(self, tmp, secret, reply=REPLY, status=200):
        self.portfile = os.path.join(str(tmp), "fixture.port")
        self.logfile = os.path.join(str(tmp), "fixture.log")
        self.args = [fixture_program(), secret, self.portfile, self.logfile, reply, str(status)]
        self.proc = None
        self.url = None

    def __enter__(self):
        self.proc = subprocess.Popen(self.args)
        for _ in range(200):
            if os.path.exists(self.portfile) and os.path.getsize(self.portfile):
                break
            time.sleep(0.025)
        else:
            self.proc.kill()
            raise RuntimeError("the loopback server did not start")
        with open(self.portfile) as fh:
            self.url = "http://127.0.0.1:%s" % fh.read().strip()
        return self

    def __exit__(self, *exc):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)

    def requests(self):
        with open(self.logfile) as fh:
            return [json.loads(line) for line in fh if line.strip()]
