"""The hostile PDFs of ../shared/corpus (fuzzed, broken, bombs) through
extract in this process: each ends with a result or a docclass.Error, never a
crash of the interpreter (CTest runs this under ASan + UBSan too)."""
import os

import pytest

import docclass
from conftest import CORPUS

# In-process calls have no time limit of their own (the command's supervised
# worker has --timeout): files that take minutes are left to the command.
SLOW = {
    # content streams that are JBIG2 images: ~7 minutes of lexing in one pass
    "bomb_giant.pdf",
}


def hostile():
    out = []
    for top in ("qpdf__qpdf", "mozilla__pdf.js"):
        for d, _, files in os.walk(os.path.join(CORPUS, top)):
            out += [os.path.join(d, f) for f in files if f.lower().endswith(".pdf")]
    return sorted(out)


@pytest.mark.skipif(not hostile(), reason="../shared/corpus is not there")
@pytest.mark.parametrize("path", hostile() or ["none"], ids=os.path.basename)
def test_hostile_pdf_ends_cleanly(path):
    if os.path.basename(path) in SLOW:
        pytest.skip("minutes in one call; the command bounds it with --timeout")
    try:
        doc = docclass.extract(path, limits="none", page_timeout=20)
    except docclass.Error as e:
        assert e.code < 0 and e.message and "\n" not in e.message
        return
    d = doc.to_dict()
    assert len(d["pages"]) == len(doc.pages) and doc.text is not None
