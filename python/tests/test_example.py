"""docs/python.md's example, run as written against the loopback server."""
import csv
import os
import re
import subprocess
import sys

import pytest

from conftest import SAMPLES, SOURCE
from loopback import Fixture

ARN = "arn:aws:comprehend:eu-west-1:111122223333:document-classifier-endpoint/demo"


def example_code():
    text = open(os.path.join(SOURCE, "docs", "python.md"), encoding="utf-8").read()
    blocks = re.findall(r"```python\n(# classify_folder\.py.*?)```", text, re.S)
    assert len(blocks) == 1, "docs/python.md must hold the classify_folder.py example once"
    return blocks[0]


def test_docs_example_classifies_the_samples(tmp_path):
    pytest.importorskip("boto3")
    script = tmp_path / "classify_folder.py"
    script.write_text(example_code())
    out = tmp_path / "classes.csv"
    with Fixture(tmp_path, secret="demo-secret") as fx:
        env = dict(os.environ, COMPREHEND_ENDPOINT_URL=fx.url, AWS_ACCESS_KEY_ID="AKIDDEMO",
                   AWS_SECRET_ACCESS_KEY="demo-secret", OMP_THREAD_LIMIT="1")
        for k in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE",
                  "AWS_SHARED_CREDENTIALS_FILE"):
            env.pop(k, None)
        p = subprocess.run([sys.executable, str(script), SAMPLES, ARN, str(out)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                           timeout=600)
    assert p.returncode == 0, p.stderr.decode()
    rows = list(csv.DictReader(open(out)))
    sent = fx.requests()
    assert len(rows) == len(sent) >= 8 and all(r["sig_ok"] == 1 for r in sent)
    assert {r["class"] for r in rows} == {"invoice"}
    by_file = {}
    for r in rows:
        by_file.setdefault(os.path.basename(r["path"]), []).append(r)
    assert [r["page"] for r in by_file["three-pages.pdf"]] == ["1", "2", "3"]
    assert {r["sent_as"] for r in by_file["scan.png"]} == {"Text"}       # OCRed here
    assert {r["sent_as"] for r in by_file["digital.pdf"]} == {"Bytes"}   # one page each
    assert "config.json" not in by_file
    assert b"invoice" in p.stdout and b"skipped" in p.stdout
