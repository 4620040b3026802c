"""docclass train: a folder tree to Comprehend's training CSV (parsed back
with Python's csv module: two columns, no header, labels the folder names,
one line a row), the service's training quotas refused with the class and
the limit named, a deterministic model, cross-validated figures, and
classify --local with the model."""
import csv
import io
import json
import os
import random
import subprocess

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
DOCCLASS = os.environ.get("DOCCLASS", os.path.join(ROOT, "build", "docclass"))

WORDS = {
    "invoice": "invoice total amount due payment terms net tax subtotal bill remit".split(),
    "letter": "dear sincerely regards hope well writing letter thank you kindly yours".split(),
    "receipt": "receipt cash change card visa item qty price store cashier paid".split(),
}
COMMON = "the a of and to in for on with at by from this that is be".split()


def make_tree(root, per_class=50, seed=5, short=None):
    rnd = random.Random(seed)
    texts = {}
    for c, ws in WORDS.items():
        d = root / c
        d.mkdir(parents=True)
        n = short if (short and c == "letter") else per_class
        for i in range(n):
            words = [rnd.choice(ws + COMMON * 2) for _ in range(30)]
            t = " ".join(words)
            if i % 5 == 0:
                t = 'He said "yes", then:\nnew line,\ttab ' + t   # quotes, commas, newlines
            p = d / ("%s%03d.txt" % (c, i))
            p.write_text(t + "\n")
            texts[str(p)] = (c, " ".join(t.split()))
    return texts


def run(*args, check=True):
    p = subprocess.run([DOCCLASS, "train"] + list(args), capture_output=True, text=True,
                       timeout=600)
    if check:
        assert p.returncode == 0, p.stderr
    return p


def test_csv_parses_back_and_model_cross_validates(tmp_path):
    texts = make_tree(tmp_path / "docs")
    out, model, report = tmp_path / "train.csv", tmp_path / "m.dcm", tmp_path / "r.json"
    p = run(str(tmp_path / "docs"), "--csv", str(out), "--model", str(model), "--report",
            str(report))
    assert "150 rows from 150 documents" in p.stderr
    raw = out.read_bytes()
    raw.decode("utf-8")                                     # UTF-8
    lines = raw.split(b"\n")
    assert lines[-1] == b"" and len(lines) == 151            # one line a row, no header
    rows = list(csv.reader(io.StringIO(raw.decode())))
    assert len(rows) == 150 and all(len(r) == 2 for r in rows)
    assert {r[0] for r in rows} == set(WORDS)
    got = sorted((r[0], r[1]) for r in rows)
    assert got == sorted(texts.values())                    # the text, one line
    assert any('"yes"' in r[1] and "," in r[1] for r in rows)
    rep = json.loads(report.read_text())
    cv = rep["training"]["cross_validation"]
    assert cv["folds"] == 5 and cv["accuracy"] >= 0.9, cv
    assert set(cv["classes"]) == set(WORDS)
    # deterministic for a seed
    model2 = tmp_path / "m2.dcm"
    run("--from-csv", str(out), "--model", str(model2))
    run("--from-csv", str(out), "--model", str(tmp_path / "m3.dcm"), "--seed", "9")
    assert model.read_bytes()[model.read_bytes().index(b"\n", 17):] == \
        model2.read_bytes()[model2.read_bytes().index(b"\n", 17):] or \
        model.read_bytes().split(b"\n", 2)[2] == model2.read_bytes().split(b"\n", 2)[2]
    assert (tmp_path / "m3.dcm").read_bytes().split(b"\n", 2)[2] != \
        model.read_bytes().split(b"\n", 2)[2]
    # evaluated on its own rows
    p = run("--load", str(model), "--evaluate", str(out))
    assert "accuracy 1.000" in p.stderr or "accuracy 0.99" in p.stderr
    # classify --local answers with it
    doc = tmp_path / "q.txt"
    doc.write_text("dear friend, thank you kindly, sincerely yours\n")
    p = subprocess.run([DOCCLASS, "classify", "--local", str(model), "--jsonl", str(doc)],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    rec = json.loads(p.stdout)
    classes = rec["pages"][0]["response"]["Classes"]
    assert classes[0]["Name"] == "letter"
    assert abs(sum(c["Score"] for c in classes) - 1) < 1e-3


def test_training_quotas_name_the_class_and_the_limit(tmp_path):
    make_tree(tmp_path / "docs", short=12)
    p = run(str(tmp_path / "docs"), "--csv", str(tmp_path / "t.csv"), check=False)
    assert p.returncode == 9, p.stderr
    assert "class 'letter' has 12 examples" in p.stderr and "at least 50" in p.stderr
    # multi-label needs 10 a class: 12 pass
    p = run(str(tmp_path / "docs"), "--csv", str(tmp_path / "t.csv"), "--mode", "multi-label")
    # --ignore-limits trains anyway, with a warning
    p = run(str(tmp_path / "docs"), "--model", str(tmp_path / "m.dcm"), "--ignore-limits")
    assert "warning" in p.stderr and "class 'letter'" in p.stderr


def test_manifest_multi_label_and_bad_inputs(tmp_path):
    texts = make_tree(tmp_path / "docs")
    man = tmp_path / "manifest.csv"
    with open(man, "w", newline="") as f:
        w = csv.writer(f)
        for i, (path, (c, _)) in enumerate(sorted(texts.items())):
            w.writerow([c + ("|urgent" if i % 2 else ""), path])
    out = tmp_path / "ml.csv"
    run("--manifest", str(man), "--mode", "multi-label", "--csv", str(out), "--model",
        str(tmp_path / "ml.dcm"), "--folds", "3")
    rows = list(csv.reader(open(out)))
    assert sum("|urgent" in r[0] for r in rows) == 75
    # a broken CSV, a missing folder, a corrupt model: one line each
    bad = tmp_path / "bad.csv"
    bad.write_text('invoice,"unclosed\n')
    p = run("--from-csv", str(bad), "--model", str(tmp_path / "x.dcm"), check=False)
    assert p.returncode == 4 and "quoted field is not closed" in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1
    p = run(str(tmp_path / "nope"), "--csv", str(out), check=False)
    assert p.returncode == 4
    corrupt = tmp_path / "c.dcm"
    corrupt.write_bytes(open(tmp_path / "ml.dcm", "rb").read()[:5000])
    p = run("--load", str(corrupt), "--evaluate", str(out), check=False)
    assert p.returncode == 4 and "header says" in p.stderr


def test_unreadable_document_is_skipped_by_name(tmp_path):
    make_tree(tmp_path / "docs", per_class=3)
    (tmp_path / "docs" / "letter" / "junk.bin").write_bytes(b"\x00\x01\x02binary" * 20)
    out = tmp_path / "t.csv"
    p = run(str(tmp_path / "docs"), "--csv", str(out), "--ignore-limits", "-j", "2")
    assert "junk.bin: skipped: unsupported document" in p.stderr
    assert "9 rows from 10 documents (1 skipped)" in p.stderr
    assert len(list(csv.reader(open(out)))) == 9
