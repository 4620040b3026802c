"""classify over archives, against the loopback stand-in of aws_standin.py
configured as an endpoint of a few inference units that throttles above
them: pacing, retries of throttled requests, --resume across a kill -9,
--from-results, --shard.

scripts/classify-pace runs the paced test at archive scale (10,000 pages,
4 inference units; DC_PACE_FILES, DC_PACE_UNITS, DC_PACE_CHARS set it).
"""
import json
import os
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from aws_standin import Standin  # noqa: E402

DOCCLASS = os.environ.get("DOCCLASS", os.path.join(HERE, "..", "..", "build", "docclass"))
ARN = "arn:aws:comprehend:us-east-1:123456789012:document-classifier-endpoint/ep"


def env_for(s, home):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"HOME": str(home), "AWS_EC2_METADATA_DISABLED": "true",
                "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "SECRETENV",
                "AWS_ENDPOINT_URL_COMPREHEND": s.url, "DOCCLASS_RETRY_BASE": "0.05"})
    s.add_static("AKIDENV", "SECRETENV")
    return env


def make_files(folder, n, chars):
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        body = ("invoice %06d " % i + "total due amount " * 100)[:chars - 1] + "\n"
        p = folder / ("doc%06d.txt" % i)
        p.write_text(body)
        paths.append(str(p))
    return paths


def records(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def test_paced_to_the_inference_units(tmp_path):
    """Characters bound: DC_PACE_FILES files of DC_PACE_CHARS characters
    to an endpoint of DC_PACE_UNITS units; the rate achieved at the endpoint
    within 10 % of the provisioned one, every throttled request retried,
    every input answered once."""
    n = int(os.environ.get("DC_PACE_FILES", "40"))
    units = int(os.environ.get("DC_PACE_UNITS", "10"))
    chars = int(os.environ.get("DC_PACE_CHARS", "250"))
    files = make_files(tmp_path / "docs", n, chars)
    with Standin(units=units) as s:
        env = env_for(s, tmp_path)
        out = tmp_path / "out.jsonl"
        summary = tmp_path / "summary.json"
        t0 = time.monotonic()
        p = subprocess.run([DOCCLASS, "classify", "--endpoint-arn", ARN, "--jsonl",
                            "--inference-units", str(units), "-o", str(out), "--summary",
                            str(summary), "--progress", "never", str(tmp_path / "docs")],
                           env=env, capture_output=True, text=True, timeout=n * 5 + 120)
        took = time.monotonic() - t0
        got = s.classified
        sent_chars = sum(c for _, c, _ in got)
        span = got[-1][0] - got[0][0] if len(got) > 1 else 0
        # the rate the endpoint saw: what it read between its first and last
        # answer, over that time (the first document's characters left out)
        rate_c = (sent_chars - got[0][1]) / span if span else 0
        rate_d = (len(got) - 1) / span if span else 0
        prov_c, prov_d = units * 100.0, units * 2.0
        share = max(rate_c / prov_c, rate_d / prov_d)
        print("%d files of %d characters, %d IU: %.1f s, endpoint saw %.1f characters/s "
              "(%.0f provisioned), %.2f documents/s (%.0f), %.3f of the binding rate; "
              "%d throttled at the endpoint" % (n, chars, units, took, rate_c, prov_c, rate_d,
                                                 prov_d, share, s.throttled))
        print(p.stderr.strip().splitlines()[-1] if p.stderr.strip() else "")
        assert p.returncode == 0, p.stderr[-3000:]
        assert not s.problems, s.problems
        recs = records(out)
        assert len(recs) == n
        assert sorted(r["path"] for r in recs) == sorted(files)
        assert all(pg.get("response", {}).get("status") == 200 for r in recs for pg in r["pages"])
        assert len(got) == n  # each input answered once; throttled ones retried until answered
        assert 0.9 <= share <= 1.1, share
        summ = json.load(open(summary))
        assert summ["pages_sent"] == n and summ["inputs"] == n
        assert summ["throttles"] == s.throttled
        assert summ["inference_unit_hours"] > 0 and summ["cost"] > 0


def test_resume_after_kill_9_gives_each_record_once(tmp_path):
    n = 60
    files = make_files(tmp_path / "docs", n, 40)
    with Standin(delay=0.05) as s:
        env = env_for(s, tmp_path)
        out = tmp_path / "out.jsonl"
        cmd = [DOCCLASS, "classify", "--endpoint-arn", ARN, "--jsonl", "-j", "4", "-o", str(out),
               "--resume", "--progress", "never", str(tmp_path / "docs")]
        p = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if out.exists() and out.read_text().count("\n") >= 15:
                break
            time.sleep(0.01)
        p.send_signal(signal.SIGKILL)
        p.wait()
        first = out.read_text().count("\n")
        assert 15 <= first < n, first
        q = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
        assert q.returncode == 0, q.stderr
        assert "inputs skipped" in q.stderr
        recs = records(out)
        paths = [r["path"] for r in recs]
        print("killed after %d records; resumed: %d records, %d distinct, %d requests in all"
              % (first, len(paths), len(set(paths)), len(s.classified)))
        assert len(paths) == n and sorted(paths) == sorted(files)


def test_from_results_sends_extracted_pages(tmp_path):
    """extract once (a two-page PDF and a text file of the samples), then
    classify --from-results: each page's extracted text is what is sent."""
    root = os.path.join(HERE, "..", "..", "samples")
    inputs = [os.path.join(root, f) for f in sorted(os.listdir(root))
              if f.endswith(".txt") or f == "digital.pdf"]
    assert inputs
    ext = tmp_path / "extract.jsonl"
    e = subprocess.run([DOCCLASS, "-q", "extract", "--jsonl", "-o", str(ext)] + inputs,
                       capture_output=True, text=True, timeout=300)
    assert e.returncode in (0, 9), e.stderr
    want = []
    for r in records(ext):
        for pg in r["pages"]:
            want.append(pg["text"])
    with Standin() as s:
        env = env_for(s, tmp_path)
        p = subprocess.run([DOCCLASS, "classify", "--endpoint-arn", ARN, "--jsonl",
                            "--from-results", str(ext)], env=env, capture_output=True,
                           text=True, timeout=120)
        assert p.returncode in (0, 9), p.stderr
        got = [t for _, _, t in s.classified]
        recs = [json.loads(x) for x in p.stdout.splitlines()]
        assert sorted(r["path"] for r in recs) == sorted(r["input"]["path"] for r in records(ext))
        assert sorted(got) == sorted(t for t in want if t.strip())
        bad = tmp_path / "bad.jsonl"
        bad.write_text("{\"not\": \"a record\"}\n")
        q = subprocess.run([DOCCLASS, "classify", "--endpoint-arn", ARN, "--from-results",
                            str(bad)], env=env, capture_output=True, text=True, timeout=60)
        assert q.returncode == 4, q.stderr
        assert "not a record of docclass extract" in q.stderr


def test_shards_split_the_inputs(tmp_path):
    files = make_files(tmp_path / "docs", 30, 30)
    seen = []
    with Standin() as s:
        env = env_for(s, tmp_path)
        for i in range(3):
            p = subprocess.run([DOCCLASS, "classify", "--endpoint-arn", ARN, "--jsonl",
                                "--shard", "%d/3" % i, str(tmp_path / "docs")], env=env,
                               capture_output=True, text=True, timeout=120)
            assert p.returncode == 0, p.stderr
            seen += [json.loads(x)["path"] for x in p.stdout.splitlines()]
    assert sorted(seen) == sorted(files)


def test_usage_errors(tmp_path):
    def usage(*args):
        p = subprocess.run([DOCCLASS, "classify", "--endpoint-arn", ARN] + list(args),
                           capture_output=True, text=True, timeout=30)
        assert p.returncode == 2, (args, p.stderr)
        return p.stderr
    assert "--resume needs -o FILE and --jsonl" in usage("--resume", "x.txt")
    assert "--inference-units" in usage("--inference-units", "0", "x.txt")
    assert "no FILE given" in usage()
    assert "not both" in usage("--text", "a", "--from-results", "r.jsonl")


def test_zip_members_are_inputs(tmp_path):
    """A ZIP archive in a folder is classified member by member, named as
    scan and extract name them ("a.zip!name"), and resumed by those names."""
    import zipfile
    docs = tmp_path / "docs"
    make_files(docs, 2, 40)
    with zipfile.ZipFile(docs / "bundle.zip", "w") as z:
        z.writestr("inner/one.txt", "invoice one total due\n")
        z.writestr("two.txt", "invoice two total due\n")
    with Standin() as s:
        env = env_for(s, tmp_path)
        out = tmp_path / "out.jsonl"
        cmd = [DOCCLASS, "classify", "--endpoint-arn", ARN, "--jsonl", "-o", str(out),
               "--resume", str(docs)]
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
        assert p.returncode == 0, p.stderr
        paths = sorted(r["path"] for r in records(out))
        assert paths == sorted([str(docs / "bundle.zip!inner/one.txt"),
                                str(docs / "bundle.zip!two.txt"),
                                str(docs / "doc000000.txt"), str(docs / "doc000001.txt")])
        sent = [t for _, _, t in s.classified]
        assert "invoice one total due\n" in sent and "invoice two total due\n" in sent
        q = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
        assert q.returncode == 0 and "4 inputs skipped" in q.stderr, q.stderr
        assert len(records(out)) == 4


def test_standard_input_is_a_document(tmp_path):
    with Standin() as s:
        env = env_for(s, tmp_path)
        p = subprocess.run([DOCCLASS, "classify", "--endpoint-arn", ARN, "--jsonl", "-"],
                           env=env, input="invoice from stdin total due\n", capture_output=True,
                           text=True, timeout=60)
        assert p.returncode == 0, p.stderr
        assert json.loads(p.stdout)["path"] == "-"
        assert [t for _, _, t in s.classified] == ["invoice from stdin total due\n"]
