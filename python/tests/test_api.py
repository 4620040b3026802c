"""docclass from Python: every function against the library and the CLI."""
import base64
import io
import json
import os
import threading

import pytest

import docclass
from conftest import CORPUS, SAMPLES, cli_json, sample, sample_files, scrub

# ------------------------------------------------------------------ detect


def test_detect_path_bytes_and_file():
    pdf = sample("digital.pdf")
    with open(pdf, "rb") as fh:
        data = fh.read()
    for src in (pdf, data, bytearray(data), memoryview(data), io.BytesIO(data)):
        d = docclass.detect(src)
        assert (d.format, d.kind, d.reason, d.supported) == ("pdf", "pdf", None, True)
    assert docclass.detect(sample("letter.docx")).format == "docx"
    assert docclass.detect(sample("pages.tiff")).format == "tiff"
    assert docclass.detect(b"plain words\n").format == "text"


def test_detect_refusals_give_the_reason():
    d = docclass.detect(b"GIF89a\x01\x00\x01\x00")
    assert (d.format, d.kind, d.supported) == ("unsupported", "gif", False)
    assert "GIF images are not supported" in d.reason
    assert docclass.detect(b"").kind == "empty"


def test_detect_missing_file_and_wrong_type():
    with pytest.raises(docclass.NotFound) as e:
        docclass.detect("/nonexistent/file.pdf")
    assert isinstance(e.value, FileNotFoundError) and e.value.code == -5
    assert "/nonexistent/file.pdf" in str(e.value)
    with pytest.raises(TypeError):
        docclass.detect(42)
    with pytest.raises(TypeError):
        docclass.detect(io.StringIO("text"))

# ------------------------------------------------------------------ extract


@pytest.mark.parametrize("name", sample_files())
def test_to_dict_equals_the_command(cli, name):
    """Every sample: the package's result is the command's, field for field."""
    path = sample(name)
    want = json.loads(cli("extract", path, check=False).stdout or "null")
    try:
        got = docclass.extract(path).to_dict()
    except docclass.Error as e:
        # the command refused it too, with the same message
        err = cli("extract", path, check=False).stderr.decode()
        assert want is None and e.message in err
        return
    assert scrub(got) == scrub(want)


def test_document_accessors():
    doc = docclass.extract(sample("digital.pdf"))
    assert doc.format == "pdf" and not doc.accepted
    assert doc.refusals[0]["Detail"]["Reason"] == "PAGE_LIMIT_EXCEEDED"
    assert doc.document_type == [{"Page": 1, "Type": "NATIVE_PDF"},
                                 {"Page": 2, "Type": "NATIVE_PDF"}]
    p = doc.pages[0]
    assert (p.number, p.type, p.extractor) == (1, "NATIVE_PDF", "parser")
    assert p.characters == doc.document_metadata["ExtractedCharacters"][0]["Count"]
    assert p.signals["chars"] == 93 and p.ocr_confidence is None
    assert doc.text.startswith("Quarterly report of the northern region\n")
    assert doc.text.count("\f") == 1 and doc.text.endswith("\n")
    words = [b for b in doc.to_textract()["Blocks"] if b["BlockType"] == "WORD"]
    assert words[0]["Text"] == "Quarterly"
    doc.close()
    assert doc.accepted is False  # the JSON stays readable
    with pytest.raises(docclass.InvalidArgument):
        doc.to_textract()


def test_extract_bytes_and_file_object_name_the_input():
    with open(sample("scan.png"), "rb") as fh:
        data = fh.read()
    a = docclass.extract(data)
    b = docclass.extract(io.BytesIO(data), name="upload.png")
    assert a.to_dict()["input"]["path"] == "-"
    assert b.to_dict()["input"]["path"] == "upload.png"
    assert a.text == b.text and "Invoice" in a.text
    assert a.pages[0].extractor == "ocr" and a.pages[0].ocr_confidence > 80


def test_a_path_names_itself():
    doc = docclass.extract(sample("scan.png"), name="ignored.png")
    assert doc.to_dict()["input"]["path"] == sample("scan.png")


def test_config_dict_path_and_overrides(tmp_path):
    force = {"DocumentReadAction": "TEXTRACT_DETECT_DOCUMENT_TEXT",
             "DocumentReadMode": "FORCE_DOCUMENT_READ_ACTION"}
    path = tmp_path / "config.json"
    path.write_text(json.dumps(force))
    for kw in ({"config": force}, {"config": str(path)}, {"config": path},
               {"action": "TEXTRACT_DETECT_DOCUMENT_TEXT",
                "read_mode": "FORCE_DOCUMENT_READ_ACTION"}):
        doc = docclass.extract(sample("digital.pdf"), limits="none", **kw)
        assert [p.extractor for p in doc.pages] == ["ocr", "ocr"], kw
        assert doc.to_dict()["config"]["effective"]["DocumentReadMode"] == \
            "FORCE_DOCUMENT_READ_ACTION"
    doc = docclass.extract(sample("digital.pdf"), config=force,
                           read_mode="SERVICE_DEFAULT", limits="async")
    assert [p.extractor for p in doc.pages] == ["parser", "parser"] and doc.accepted


def test_config_errors():
    with pytest.raises(docclass.ConfigError) as e:
        docclass.extract(sample("digital.pdf"), config={"DocumentReadMode": "BOGUS"})
    assert "BOGUS" in e.value.message and isinstance(e.value, ValueError)
    with pytest.raises(docclass.ConfigError):
        docclass.extract(sample("digital.pdf"), action="TEXTRACT_ANALYZE_DOCUMENT")
    with pytest.raises(docclass.ConfigError):
        docclass.extract(sample("digital.pdf"), feature_types=["CHARTS"],
                         action="TEXTRACT_ANALYZE_DOCUMENT")
    with pytest.raises(docclass.NotFound):
        docclass.extract(sample("digital.pdf"), config="/nonexistent/config.json")
    with pytest.raises(docclass.InvalidArgument):
        docclass.extract(sample("digital.pdf"), limits="monthly")
    with pytest.raises(TypeError):
        docclass.extract(sample("digital.pdf"), config=3)


@pytest.mark.parametrize("parts", [[], ["headers"], ["footnotes", "endnotes"],
                                   ["comments"], None])
def test_docx_parts_as_the_command(cli, parts):
    args = ["extract", "--format", "text"]
    if parts is not None:
        args += ["--docx-parts", ",".join(parts) if parts else "none"]
    want = cli(*args, sample("letter.docx")).stdout.decode()
    assert docclass.extract(sample("letter.docx"), docx_parts=parts).text == want


def test_docx_parts_none_is_the_body_only():
    full = docclass.extract(sample("letter.docx")).text
    body = docclass.extract(sample("letter.docx"), docx_parts=[]).text
    assert "Order confirmation" in full and "Order confirmation" not in body
    assert len(body) < len(full)
    with pytest.raises(docclass.InvalidArgument):
        docclass.extract(sample("letter.docx"), docx_parts=["margins"])


def test_progress_and_cancel():
    seen = []
    doc = docclass.extract(sample("three-pages.pdf"), read_mode="FORCE_DOCUMENT_READ_ACTION",
                           action="TEXTRACT_DETECT_DOCUMENT_TEXT", limits="none",
                           progress=lambda page, done, total: seen.append((done, total)))
    assert sorted(seen) == [(1, 3), (2, 3), (3, 3)] and len(doc.pages) == 3
    with pytest.raises(docclass.Cancelled):
        docclass.extract(sample("three-pages.pdf"), read_mode="FORCE_DOCUMENT_READ_ACTION",
                         action="TEXTRACT_DETECT_DOCUMENT_TEXT", jobs=1,
                         progress=lambda *a: True)

    def boom(*a):
        raise KeyError("from the callback")
    with pytest.raises(KeyError):
        docclass.extract(sample("scan.png"), progress=boom)


def test_bad_inputs_raise_typed_errors(tmp_path):
    with pytest.raises(docclass.UnsupportedDocument) as e:
        docclass.extract(b"GIF89a\x01\x00\x01\x00")
    assert e.value.name == "UNSUPPORTED" and "UNSUPPORTED_DOC_TYPE" in e.value.message
    with pytest.raises(docclass.UnsupportedDocument):
        docclass.extract(b"")
    with open(sample("digital.pdf"), "rb") as fh:
        pdf = fh.read()
    with pytest.raises(docclass.CorruptDocument):
        docclass.extract(b"%PDF-1.7\n" + os.urandom(2000))
    with pytest.raises(docclass.LimitExceeded):
        docclass.extract(pdf, max_input_bytes=1000)
    with pytest.raises(docclass.NotFound):
        docclass.extract(str(tmp_path / "missing.pdf"))
    with pytest.raises(docclass.ReadError):
        docclass.extract(str(tmp_path))
    for cut in (100, len(pdf) // 2, len(pdf) - 10):  # truncated: an error or a result
        try:
            docclass.extract(pdf[:cut], limits="none")
        except docclass.Error as e:
            assert e.code < 0 and e.message


def test_encrypted_pdf_password(tmp_path):
    """The sample generator's encrypted PDF (user password "secret")."""
    import subprocess
    from loopback import build_dir
    gen = os.path.join(build_dir(), "tests", "dc_samplegen")
    subprocess.run([gen, "--tree", str(tmp_path)], check=True, stdout=subprocess.DEVNULL)
    path = str(tmp_path / "encrypted.pdf")
    with pytest.raises(docclass.PasswordError) as e:
        docclass.extract(path)
    assert "password" in e.value.message
    with pytest.raises(docclass.PasswordError):
        docclass.extract(path, password="wrong")
    doc = docclass.extract(path, password="secret", limits="none")
    assert doc.to_dict()["input"]["pdf"]["encrypted"] is True and doc.pages


# ------------------------------------------------------------------ scan


def test_scan_equals_the_command(cli):
    want = sorted((json.loads(l) for l in cli("scan", "--progress", "never", SAMPLES)
                   .stdout.decode().splitlines()), key=lambda r: r["path"])
    got = sorted(docclass.scan(SAMPLES), key=lambda r: r["path"])
    assert [scrub(r) for r in got] == [scrub(r) for r in want]
    assert any(r["format"] == "pdf" for r in got)


def test_scan_threads_keep_walk_order(tmp_path):
    """jobs=4 gives jobs=1's records in the same (walk) order."""
    import shutil
    for i in range(12):  # more files than the window of files in flight
        shutil.copy(sample("digital.pdf" if i % 2 else "scan.png"), tmp_path / ("f%02d" % i))
    one = list(docclass.scan([SAMPLES, str(tmp_path)], jobs=1))
    four = list(docclass.scan([SAMPLES, str(tmp_path)], jobs=4))
    assert [r["path"] for r in one] == [r["path"] for r in four]
    assert [r["path"] for r in one][-12:] == [str(tmp_path / ("f%02d" % i)) for i in range(12)]
    assert [scrub(r) for r in one] == [scrub(r) for r in four]


def test_scan_archive_members_and_errors(cli, tmp_path):
    import zipfile
    arc = tmp_path / "bundle.zip"
    with zipfile.ZipFile(arc, "w") as z:
        z.write(sample("digital.pdf"), "in/digital.pdf")
        z.writestr("note.txt", "a short note\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("hello\n")
    os.symlink(str(tmp_path / "nowhere"), str(tmp_path / "dangling"))
    want = sorted((json.loads(l) for l in cli("scan", "--progress", "never", str(tmp_path),
                                               check=False).stdout.decode().splitlines()),
                  key=lambda r: r["path"])
    got = sorted(docclass.scan(str(tmp_path), count_chars=False), key=lambda r: r["path"])
    paths = [r["path"] for r in got]
    assert str(arc) + "!in/digital.pdf" in paths and str(arc) + "!note.txt" in paths
    assert next(r for r in got if r["path"] == str(arc))["archive_members"] == 2
    assert [r["path"] for r in want] == paths
    assert [scrub(r) for r in got if "dangling" not in r["path"]] == \
        [scrub(r) for r in want if "dangling" not in r["path"]]
    dangling = next(r for r in got if r["path"].endswith("dangling"))
    assert "error" in dangling

# ------------------------------------------------------------------ requests


def test_requests_bytes_split_pages():
    reqs = docclass.requests(sample("three-pages.pdf"), send="bytes",
                             config={"DocumentReadAction": "TEXTRACT_DETECT_DOCUMENT_TEXT"})
    assert [r.page for r in reqs] == [1, 2, 3]
    for r in reqs:
        assert set(r) == {"Bytes", "DocumentReaderConfig"}
        assert r["Bytes"].startswith(b"%PDF-")
        one = docclass.extract(r["Bytes"], limits="realtime")
        assert len(one.pages) == 1 and one.accepted
        assert r["DocumentReaderConfig"] == {"DocumentReadAction": "TEXTRACT_DETECT_DOCUMENT_TEXT"}


def test_requests_text_and_auto():
    text = docclass.requests(sample("digital.pdf"), send="text")
    doc = docclass.extract(sample("digital.pdf"), limits="none")
    assert [r["Text"] for r in text] == [p.text for p in doc.pages]
    assert [dict(r) for r in docclass.requests(sample("scan.png"))][0].keys() == {"Bytes"}
    assert list(docclass.requests(sample("letter.docx"))[0]) == ["Bytes"]  # Word as Bytes
    assert list(docclass.requests(sample("letter.docx"), send="text")[0]) == ["Text"]
    assert docclass.requests(b"just words\n") == [{"Text": "just words\n"}]
    assert [r.page for r in docclass.requests(sample("three-pages.pdf"), pages="2-3")] == [2, 3]
    with pytest.raises(docclass.InvalidArgument):
        docclass.requests(sample("three-pages.pdf"), pages="9")
    with pytest.raises(docclass.InvalidArgument):
        docclass.requests(sample("three-pages.pdf"), send="fax")


def test_requests_over_the_limit():
    big = ("word " * 2500).encode()  # 12,500 characters: over 10,000
    with pytest.raises(docclass.LimitExceeded) as e:
        docclass.requests(big)
    assert "PAGE_CHARACTERS_EXCEEDED" in e.value.message
    assert docclass.requests(big, on_refused="skip") == []
    cut = docclass.requests(big, truncate=True)
    assert len(cut) == 1 and len(cut[0]["Text"]) <= 10000
    with pytest.raises(docclass.UnsupportedDocument):
        docclass.requests(b"GIF89a\x01\x00\x01\x00")


def test_requests_pass_boto3_validation():
    """Each request is valid input for boto3's classify_document (botocore's
    Stubber checks the parameters against the service model)."""
    boto3 = pytest.importorskip("boto3")
    from botocore.stub import Stubber
    arn = "arn:aws:comprehend:eu-west-1:111122223333:document-classifier-endpoint/demo"
    client = boto3.client("comprehend", region_name="eu-west-1",
                          aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret")
    reqs = docclass.requests(sample("three-pages.pdf"), send="bytes",
                             config={"DocumentReadAction": "TEXTRACT_DETECT_DOCUMENT_TEXT"})
    reqs += docclass.requests(sample("digital.pdf"), send="text")
    with Stubber(client) as stub:
        for r in reqs:
            stub.add_response("classify_document",
                              {"Classes": [{"Name": "report", "Score": 0.9}]},
                              dict(EndpointArn=arn, **r))
            assert client.classify_document(EndpointArn=arn, **r)["Classes"][0]["Name"] == \
                "report"
        stub.assert_no_pending_responses()


def test_requests_sent_by_boto3_to_the_loopback_server(tmp_path):
    """boto3 signs and sends the requests to the project's SigV4-checking
    server on 127.0.0.1; the bodies it got are the library's."""
    boto3 = pytest.importorskip("boto3")
    from loopback import Fixture
    arn = "arn:aws:comprehend:eu-west-1:111122223333:document-classifier-endpoint/demo"
    reqs = docclass.requests(sample("three-pages.pdf"), send="bytes")
    with Fixture(tmp_path, secret="loopback-secret") as fx:
        client = boto3.client("comprehend", region_name="eu-west-1", endpoint_url=fx.url,
                              aws_access_key_id="AKIDLOOPBACK",
                              aws_secret_access_key="loopback-secret")
        got = [client.classify_document(EndpointArn=arn, **r) for r in reqs]
    assert [g["Classes"][0]["Name"] for g in got] == ["invoice"] * 3
    log = fx.requests()
    assert len(log) == 3 and all(r["sig_ok"] == 1 for r in log)
    for r, sent in zip(reqs, log):
        body = json.loads(sent["body"])
        assert body["EndpointArn"] == arn and base64.b64decode(body["Bytes"]) == r["Bytes"]
        assert sent["headers"]["x-amz-target"] == "Comprehend_20171127.ClassifyDocument"

# ------------------------------------------------------------------ threads


def test_threads_give_the_results_of_one_thread():
    """8 threads extracting different documents at once: each result is the
    one a single thread gets (the library is thread-safe; ctypes releases the
    GIL during each call)."""
    names = ["digital.pdf", "scan.png", "letter.docx", "pages.tiff", "scan.jpg",
             "three-pages.pdf", "hybrid.pdf", "scan.pdf"]
    alone = {n: scrub(docclass.extract(sample(n), jobs=1).to_dict()) for n in names}
    together, errors = {}, []

    def work(n):
        try:
            together[n] = scrub(docclass.extract(sample(n), jobs=1).to_dict())
        except BaseException as e:  # reported below
            errors.append(e)
    threads = [threading.Thread(target=work, args=(n,)) for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert together == alone


def corpus_pdfs():
    pdfs = sorted(os.path.join(d, f) for d, _, fs in os.walk(CORPUS) for f in fs
                  if f.lower().endswith(".pdf"))
    return pdfs[::10]  # the CI sample; scripts/python-parity runs them all


@pytest.mark.skipif(not corpus_pdfs(), reason="../shared/corpus is not there")
@pytest.mark.parametrize("path", corpus_pdfs() or ["none"], ids=os.path.basename)
def test_to_dict_equals_the_command_on_corpus_pdfs(cli, path):
    from test_hostile import SLOW
    if os.path.basename(path) in SLOW:
        pytest.skip("minutes in one call")
    p = cli("extract", path, check=False)
    try:
        got = docclass.extract(path).to_dict()
    except docclass.Error as e:
        assert not p.stdout.strip() and e.message in p.stderr.decode("utf-8", "replace")
        return
    assert scrub(got) == scrub(json.loads(p.stdout))
