"""docclass: prepare documents for Amazon Comprehend's ClassifyDocument the way
the service does, in-process, over the C library libdocclass.

    import docclass
    doc = docclass.extract("scan.pdf", read_mode="FORCE_DOCUMENT_READ_ACTION")
    print(doc.document_type, doc.accepted, doc.text[:200])
    for req in docclass.requests("scan.pdf"):
        client.classify_document(EndpointArn=arn, **req)

Every call runs the library's own code (the same as the ``docclass`` command's)
and releases the GIL while it works, so threads extract in parallel. Errors are
exceptions under :class:`docclass.Error` carrying the library's code and
one-line message.
"""
from __future__ import annotations

import base64
import collections
import concurrent.futures
import ctypes
import json
import os
import stat
import weakref
from dataclasses import dataclass, field
from typing import (IO, Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional,
                    Sequence, Union)

from . import _lib as L

__all__ = [
    "Error", "UnsupportedDocument", "LimitExceeded", "ConfigError", "InvalidArgument",
    "CorruptDocument", "PasswordError", "OCRError", "TimeLimitExceeded", "NotFound",
    "ReadError", "Cancelled", "Detection", "Page", "Document", "Request",
    "detect", "extract", "scan", "requests", "__version__",
]
__version__ = "0.1.0"

Source = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, IO[bytes]]
Config = Union[Mapping[str, Any], str, "os.PathLike[str]", None]

# ------------------------------------------------------------------ errors


class Error(Exception):
    """A libdocclass error: ``code`` (negative, a dc_error_code), ``name``
    (``"DC_ELIMIT"``...) and the library's one-line ``message``."""

    def __init__(self, code: int, message: str) -> None:
        Exception.__init__(self, message)
        self.code = code
        self.message = message
        self.name = _error_name(code)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return "%s(%s, %r)" % (type(self).__name__, self.name, self.message)


class UnsupportedDocument(Error):
    """A format ClassifyDocument does not accept (DC_EUNSUPPORTED)."""


class LimitExceeded(Error):
    """A service, safety or memory limit was hit (DC_ELIMIT, DC_EMEMORY)."""


class ConfigError(Error, ValueError):
    """A bad DocumentReaderConfig or option (DC_ECONFIG)."""


class InvalidArgument(Error, ValueError):
    """An invalid argument (DC_EINVAL)."""


class CorruptDocument(Error):
    """A damaged or malformed document (DC_ECORRUPT)."""


class PasswordError(Error):
    """An encrypted PDF with no or a wrong password (DC_EPASSWORD)."""


class OCRError(Error):
    """OCR failed (DC_EOCR)."""


class TimeLimitExceeded(Error):
    """A time limit was hit, e.g. page_timeout (DC_ETIMEOUT)."""


class NotFound(Error, FileNotFoundError):
    """A file or archive member that does not exist (DC_ENOTFOUND)."""


class ReadError(Error, OSError):
    """Input that could not be read (DC_EIO)."""


class Cancelled(Error):
    """The progress callback asked to stop (DC_ECANCELED)."""


_BY_CODE = {-6: UnsupportedDocument, -8: LimitExceeded, -15: LimitExceeded, -9: ConfigError,
            -3: InvalidArgument, -7: CorruptDocument, -14: PasswordError, -10: OCRError,
            -13: TimeLimitExceeded, -5: NotFound, -4: ReadError, -17: Cancelled}


def _error_name(code: int) -> str:
    name = L.lib().dc_error_name(code)
    return name.decode() if name else str(code)


def _raise(code: int, about: Optional[str] = None) -> None:
    """Raise the exception of the library's last error (same thread); about
    names the input, as the command's messages do ("scan.pdf: ...")."""
    last = L.lib().dc_error_last()
    msg = last.contents.message.decode("utf-8", "replace") if last else ""
    msg = msg or _error_name(code)
    raise _BY_CODE.get(code, Error)(code, "%s: %s" % (about, msg) if about else msg)


def _check(rc: int, about: Optional[str] = None) -> int:
    if rc < 0:
        _raise(rc, about)
    return rc


# ------------------------------------------------------------------ inputs

def _read_source(source: Source) -> tuple:
    """(path or None, bytes or None, name) of a path, bytes or binary file."""
    if isinstance(source, (str, os.PathLike)):
        return os.fsencode(source), None, os.fsdecode(source)
    if isinstance(source, (bytes, bytearray, memoryview)):
        return None, bytes(source), "-"
    read = getattr(source, "read", None)
    if read is None:
        raise TypeError("source must be a path, bytes or a binary file object, not %s"
                        % type(source).__name__)
    data = read()
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError("the file object must be opened in binary mode")
    name = getattr(source, "name", None)
    return None, bytes(data), name if isinstance(name, str) else "-"


_MODES = {"SERVICE_DEFAULT", "FORCE_DOCUMENT_READ_ACTION"}
_LIMITS = {"realtime": 0, "async": 1, "none": 2}
_DOCX_PARTS = {"headers": 0x01, "footers": 0x02, "footnotes": 0x04, "endnotes": 0x08,
               "comments": 0x10}
_DOCX_NONE = 0x80000000


def _config(config: Config, read_mode: Optional[str], action: Optional[str],
            feature_types: Optional[Sequence[str]]) -> L.ReaderConfig:
    """A DocumentReaderConfig: the dict (the API's shape) or the AWS CLI's JSON
    file, then the overrides, checked by the library as the command checks it."""
    lib = L.lib()
    cfg = L.ReaderConfig(version=L.ReaderConfig.VERSION)
    name = b"config"
    if isinstance(config, Mapping):
        text = json.dumps(dict(config)).encode()
        _check(lib.dc_config_parse(ctypes.byref(cfg), text, len(text), name))
    elif isinstance(config, (str, os.PathLike)):
        name = os.fsencode(config)
        _check(lib.dc_config_load_file(ctypes.byref(cfg), name))
    elif config is not None:
        raise TypeError("config must be a dict, a path or None")
    if isinstance(feature_types, str):
        feature_types = [feature_types]
    feats = ",".join(feature_types).encode() if feature_types is not None else None
    _check(lib.dc_config_override(ctypes.byref(cfg), read_mode.encode() if read_mode else None,
                                  action.encode() if action else None, feats))
    _check(lib.dc_config_validate(ctypes.byref(cfg), name))
    return cfg


def _extract_options(config: Config = None, read_mode: Optional[str] = None,
                     action: Optional[str] = None,
                     feature_types: Optional[Sequence[str]] = None,
                     limits: str = "realtime", password: Optional[str] = None,
                     dpi: int = 0, lang: Optional[str] = None, jobs: int = 0,
                     page_timeout: float = 0, rotate: bool = True,
                     max_input_bytes: int = 0, docx_parts: Optional[Sequence[str]] = None,
                     input_hash: bool = True) -> L.ExtractOptions:
    o = L.ExtractOptions()
    _check(L.lib().dc_extract_options_init(ctypes.byref(o), L.ExtractOptions.VERSION))
    o.config = _config(config, read_mode, action, feature_types)
    if limits not in _LIMITS:
        raise InvalidArgument(-3, "limits must be one of %s, not %r"
                              % (", ".join(_LIMITS), limits))
    o.limits = _LIMITS[limits]
    if password is None:
        password = os.environ.get("DOCCLASS_PDF_PASSWORD")
    o.password = password.encode() if password is not None else None
    o.dpi, o.jobs, o.page_timeout = int(dpi), int(jobs), float(page_timeout)
    o.lang = lang.encode() if lang else None
    o.no_rotate = 0 if rotate else 1
    o.max_input_bytes = int(max_input_bytes)
    o.no_input_hash = 0 if input_hash else 1
    if docx_parts is not None:
        flags = 0
        for part in docx_parts:
            if part not in _DOCX_PARTS:
                raise InvalidArgument(-3, "unknown DOCX part %r (allowed: %s)"
                                      % (part, ", ".join(_DOCX_PARTS)))
            flags |= _DOCX_PARTS[part]
        o.docx_parts = flags if flags else _DOCX_NONE  # 0 would be the default parts
    return o


# ------------------------------------------------------------------ detect


@dataclass(frozen=True)
class Detection:
    """What the bytes are: ``format`` ("pdf", "docx", "png", "jpeg", "tiff",
    "text", "textract-json" or "unsupported"), a finer ``kind`` and, for
    refused input, the service's ``reason``."""
    format: str
    kind: str
    reason: Optional[str]

    @property
    def supported(self) -> bool:
        return self.format != "unsupported"


def detect(source: Source) -> Detection:
    """Detect a document's format from its bytes (never its name)."""
    lib = L.lib()
    det = L.Detection()
    path, data, _ = _read_source(source)
    if path is not None:
        n = ctypes.c_size_t()
        _check(lib.dc_detect_file(ctypes.byref(det), path, ctypes.byref(n)), os.fsdecode(path))
    else:
        _check(lib.dc_detect(ctypes.byref(det), data, len(data)))
    fmt = lib.dc_format_name(det.format)
    return Detection(fmt.decode() if fmt else "unsupported",
                     det.kind.decode() if det.kind else "",
                     det.reason.decode() if det.reason else None)


# ------------------------------------------------------------------ extract


@dataclass(frozen=True)
class Page:
    """One page of an extraction, as the result's ``pages`` entry says."""
    number: int
    type: str
    extractor: str
    characters: int
    reason: str
    text: str
    routing: Optional[Dict[str, Any]]
    ocr: Optional[Dict[str, Any]]
    raw: Dict[str, Any] = field(repr=False, compare=False)

    @property
    def ocr_confidence(self) -> Optional[float]:
        """Mean word confidence of the page's OCR (0-100), None for parsed pages."""
        return self.ocr.get("mean_confidence") if self.ocr else None

    @property
    def signals(self) -> Optional[Dict[str, Any]]:
        """The routing signals behind the page's extractor decision."""
        return self.routing.get("signals") if self.routing else None


class Document:
    """An extracted document. ``to_dict()`` is the ``docclass extract`` JSON;
    the text and the Textract rendering are made from the library's document,
    which the object keeps until it is garbage-collected (or ``close()``)."""

    def __init__(self, handle: ctypes.c_void_p) -> None:
        self._h = handle
        self._close = weakref.finalize(self, L.lib().dc_document_free, handle)
        self._d: Dict[str, Any] = json.loads(_render(handle, _JSON))
        self._text: Optional[str] = None

    def close(self) -> None:
        """Free the library's document now (the rendered JSON stays readable)."""
        self._close()

    def _handle(self) -> ctypes.c_void_p:
        if not self._close.alive:
            raise InvalidArgument(-3, "the document was closed")
        return self._h

    @property
    def text(self) -> str:
        """The pages' text as ``docclass extract --format text`` prints it
        (form feeds between pages, a newline at the end)."""
        if self._text is None:
            self._text = _render(self._handle(), _TEXT)
        return self._text

    @property
    def pages(self) -> List[Page]:
        return [Page(p.get("Page", i + 1), p.get("Type", ""), p.get("extractor", ""),
                     p.get("characters", 0), p.get("reason", ""), p.get("text", ""),
                     p.get("routing"), p.get("ocr"), p)
                for i, p in enumerate(self._d.get("pages", []))]

    @property
    def format(self) -> str:
        return str(self._d.get("input", {}).get("format", ""))

    @property
    def document_type(self) -> List[Dict[str, Any]]:
        """DocumentType as the service returns it: [{"Page": 1, "Type": ...}]."""
        return list(self._d.get("DocumentType", []))

    @property
    def document_metadata(self) -> Dict[str, Any]:
        return dict(self._d.get("DocumentMetadata", {}))

    @property
    def accepted(self) -> bool:
        """Whether ClassifyDocument would accept the document under the limits."""
        return bool(self._d.get("admission", {}).get("accepted", True))

    @property
    def refusals(self) -> List[Dict[str, Any]]:
        """The service errors the document would get (``__type``, ``Message``...)."""
        return list(self._d.get("admission", {}).get("refusals", []))

    @property
    def errors(self) -> List[Dict[str, Any]]:
        return list(self._d.get("Errors", []))

    @property
    def warnings(self) -> List[Dict[str, Any]]:
        return list(self._d.get("Warnings", []))

    def to_dict(self) -> Dict[str, Any]:
        """The result as ``docclass extract`` prints it (a deep copy)."""
        return json.loads(json.dumps(self._d))

    def to_textract(self) -> Dict[str, Any]:
        """A Textract DetectDocumentText response (``--format textract``)."""
        return dict(json.loads(_render(self._handle(), _TEXTRACT)))

    def __repr__(self) -> str:
        return "<docclass.Document %s, %d pages, accepted=%s>" % (
            self.format, len(self._d.get("pages", [])), self.accepted)


_JSON, _TEXT, _TEXTRACT = 0, 1, 2


def _render(doc: ctypes.c_void_p, fmt: int) -> str:
    out, n = ctypes.c_void_p(), ctypes.c_size_t()
    _check(L.lib().dc_document_render(ctypes.byref(out), ctypes.byref(n), doc, fmt, None))
    return L.take_string(out, n.value)


def extract(source: Source, *, config: Config = None, read_mode: Optional[str] = None,
            action: Optional[str] = None, feature_types: Optional[Sequence[str]] = None,
            limits: str = "realtime", password: Optional[str] = None, dpi: int = 0,
            lang: Optional[str] = None, jobs: int = 0, page_timeout: float = 0,
            rotate: bool = True, max_input_bytes: int = 0,
            docx_parts: Optional[Sequence[str]] = None,
            progress: Optional[Callable[[int, int, int], Optional[bool]]] = None,
            name: Optional[str] = None) -> Document:
    """Extract a document as ClassifyDocument would read it.

    ``source`` is a path, bytes or a binary file object; ``config`` a
    DocumentReaderConfig dict or the path of the AWS CLI's JSON file;
    ``read_mode``, ``action`` and ``feature_types`` override it (as
    ``--read-mode``, ``--read-action`` and ``--feature-types``). ``limits`` is
    "realtime", "async" or "none". ``progress(page, done, total)`` is called
    after each OCR page; returning True stops the extraction
    (:class:`Cancelled`). ``name`` names bytes or a file object's data in
    the result (default: the file object's name, else "-"); a path names itself.
    """
    lib = L.lib()
    o = _extract_options(config, read_mode, action, feature_types, limits, password, dpi,
                         lang, jobs, page_timeout, rotate, max_input_bytes, docx_parts)
    failure: List[BaseException] = []
    if progress is not None:
        def trampoline(p: Any, _payload: Any) -> int:
            try:
                return 1 if progress(p.contents.page, p.contents.pages_done,
                                     p.contents.pages_total) else 0
            except BaseException as e:  # noqa: B036 - re-raised below
                failure.append(e)
                return 1
        cb = L.PROGRESS_FN(trampoline)
        o.progress = cb
    path, data, label = _read_source(source)
    doc = ctypes.c_void_p()
    if path is not None:  # a path names itself, as on the command line
        rc = lib.dc_document_extract_file(ctypes.byref(doc), path, ctypes.byref(o))
    else:
        rc = lib.dc_document_extract_mem(ctypes.byref(doc), data, len(data),
                                         (name or label).encode(), ctypes.byref(o))
    if rc < 0:
        if failure:
            raise failure[0]
        _raise(rc, os.fsdecode(path) if path is not None else (name or label))
    try:
        return Document(doc)
    except BaseException:
        lib.dc_document_free(doc)
        raise


# ------------------------------------------------------------------ scan

_SCAN_MAX_FILE = 1 << 30


def _walk(paths: Iterable[Union[str, "os.PathLike[str]"]]) -> Iterator[str]:
    """Files of the paths, folders walked in sorted order (as ``docclass scan``)."""
    for p in paths:
        p = os.fspath(p)
        if os.path.isdir(p):
            seen = set()
            for root, dirs, files in os.walk(p, followlinks=True):
                st = os.stat(root)
                if (st.st_dev, st.st_ino) in seen:
                    dirs[:] = []
                    continue
                seen.add((st.st_dev, st.st_ino))
                dirs.sort()
                for f in sorted(files):
                    yield os.path.join(root, f)
        else:
            yield p


def _scan_one(lib: Any, o: L.ExtractOptions, flags: int, data: bytes,
              meta: L.ScanMeta) -> Dict[str, Any]:
    doc, out = ctypes.c_void_p(), ctypes.c_void_p()
    rc = lib.dc_document_scan_mem(ctypes.byref(doc), data, len(data), meta.path,
                                  ctypes.byref(o), flags)
    try:
        if rc < 0:
            msg = lib.dc_error_last().contents.message
            _check(lib.dc_scan_error_json(ctypes.byref(out), ctypes.byref(meta), rc, msg))
        else:
            _check(lib.dc_scan_record_json(ctypes.byref(out), doc, ctypes.byref(meta), o.dpi))
        return json.loads(L.take_string(out))
    finally:
        lib.dc_document_free(doc)


def _error_record(lib: Any, meta: L.ScanMeta, code: int, msg: str) -> Dict[str, Any]:
    out = ctypes.c_void_p()
    _check(lib.dc_scan_error_json(ctypes.byref(out), ctypes.byref(meta), code, msg.encode()))
    return json.loads(L.take_string(out))


def scan(paths: Union[str, "os.PathLike[str]", Iterable[Union[str, "os.PathLike[str]"]]], *,
         config: Config = None, read_mode: Optional[str] = None,
         action: Optional[str] = None, feature_types: Optional[Sequence[str]] = None,
         limits: str = "realtime", count_chars: bool = False, dpi: int = 0,
         password: Optional[str] = None, jobs: int = 0) -> Iterator[Dict[str, Any]]:
    """Records of files, as ``docclass scan`` writes them (one dict a file;
    folders walked in sorted order; a ZIP archive's record, then one for each
    member as ``archive.zip!member``). Pre-flight only: nothing is OCRed.
    Unreadable files give error records, not exceptions. ``jobs`` files are
    analysed at once in threads (0: the number of cores); the records come in
    walk order whatever the number."""
    lib = L.lib()
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    o = _extract_options(config, read_mode, action, feature_types, limits, password, dpi)
    flags = 1 if count_chars else 0
    n = int(jobs) if jobs and int(jobs) > 0 else (os.cpu_count() or 1)

    def records(path: str) -> List[Dict[str, Any]]:
        return _scan_path(lib, o, flags, path)
    if n == 1:
        for path in _walk(paths):
            yield from records(path)
        return
    # a window of files in flight, read back in walk order
    with concurrent.futures.ThreadPoolExecutor(n) as pool:
        window: "collections.deque[concurrent.futures.Future[List[Dict[str, Any]]]]" = \
            collections.deque()
        for path in _walk(paths):
            window.append(pool.submit(records, path))
            if len(window) >= 2 * n:
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()


def _scan_path(lib: Any, o: L.ExtractOptions, flags: int, path: str) -> List[Dict[str, Any]]:
    """The records of one file: its own, then its ZIP members'."""
    bpath = os.fsencode(path)
    meta = L.ScanMeta(bpath, -1, -1, -1)
    try:
        st = os.stat(path)
        meta.size, meta.mtime = st.st_size, int(st.st_mtime)
        if not stat.S_ISREG(st.st_mode):
            return [_error_record(lib, meta, -4, "not a regular file: not read")]
        if st.st_size > _SCAN_MAX_FILE:
            return [_error_record(lib, meta, -8, "file larger than 1 GB: not read")]
        with open(path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        return [_error_record(lib, meta, -5, lib.dc_strerror(-5).decode())]
    except OSError as e:
        return [_error_record(lib, meta, -4, e.strerror or str(e))]
    det = L.Detection()
    arc = ctypes.c_void_p()
    if lib.dc_detect(ctypes.byref(det), data, len(data)) < 0 or det.kind != b"zip" or \
            lib.dc_archive_open(ctypes.byref(arc), bpath) < 0:
        lib.dc_error_clear()
        return [_scan_one(lib, o, flags, data, meta)]
    try:  # a ZIP archive: its record, then each member's, read from one open archive
        members = [i for i in range(lib.dc_archive_count(arc))
                   if b"\n" not in lib.dc_archive_name(arc, i)]
        meta.archive_members = len(members)
        out = [_scan_one(lib, o, flags, data, meta)]
        out += [_scan_member(lib, o, flags, arc, bpath, i, meta.mtime) for i in members]
        return out
    finally:
        lib.dc_archive_free(arc)


def _scan_member(lib: Any, o: L.ExtractOptions, flags: int, arc: ctypes.c_void_p,
                 bpath: bytes, idx: int, mtime: int) -> Dict[str, Any]:
    meta = L.ScanMeta(bpath + b"!" + lib.dc_archive_name(arc, idx), mtime, -1, -1)
    buf, n = ctypes.c_void_p(), ctypes.c_size_t()
    rc = lib.dc_archive_read(arc, idx, ctypes.byref(buf), ctypes.byref(n), _SCAN_MAX_FILE)
    try:
        if rc < 0:
            msg = lib.dc_error_last().contents.message.decode("utf-8", "replace")
            return _error_record(lib, meta, rc, msg)
        meta.size = n.value
        return _scan_one(lib, o, flags, ctypes.string_at(buf.value, n.value) if n.value
                         else b"", meta)
    finally:
        if buf.value:
            lib.dc_free(buf)


# ------------------------------------------------------------------ requests


class Request(dict):
    """One ClassifyDocument request's input members (``Text``, or ``Bytes`` and
    ``DocumentReaderConfig``), ready for
    ``client.classify_document(EndpointArn=arn, **req)``; ``.page`` is the page
    of the document it carries (1-based)."""
    page: int = 0


_SEND = {"auto": 0, "text": 1, "bytes": 2}


def requests(source: Source, config: Config = None, send: str = "auto", *,
             pages: Optional[str] = None, truncate: bool = False,
             on_refused: str = "raise", read_mode: Optional[str] = None,
             action: Optional[str] = None, feature_types: Optional[Sequence[str]] = None,
             password: Optional[str] = None, dpi: int = 0, lang: Optional[str] = None,
             jobs: int = 0) -> List[Request]:
    """The ClassifyDocument requests of a document, one a page, split and checked
    exactly as ``docclass classify`` does (the library builds them).

    ``send`` is "auto" (Bytes where the service reads the type itself, else the
    extracted text), "text" or "bytes"; ``pages`` selects pages ("1,3-5");
    ``truncate`` cuts pages over 10,000 characters at a word. A page the service
    would refuse raises :class:`LimitExceeded` naming every such page, or is
    left out with ``on_refused="skip"``.
    """
    if send not in _SEND:
        raise InvalidArgument(-3, "send must be auto, text or bytes, not %r" % (send,))
    if on_refused not in ("raise", "skip"):
        raise InvalidArgument(-3, "on_refused must be raise or skip, not %r" % (on_refused,))
    lib = L.lib()
    co = L.ClassifyOptions()
    _check(lib.dc_classify_options_init(ctypes.byref(co), L.ClassifyOptions.VERSION))
    co.mode = _SEND[send]
    co.pages = pages.encode() if pages else None
    co.truncate = 1 if truncate else 0
    co.extract = _extract_options(config, read_mode, action, feature_types, "realtime",
                                  password, dpi, lang, jobs)
    path, data, label = _read_source(source)
    if path is not None:
        eff = L.ExtractOptions()
        _check(lib.dc_extract_options_effective(ctypes.byref(eff), ctypes.byref(co.extract)))
        try:
            with open(path, "rb") as fh:  # the library refuses more than its cap
                data = fh.read(eff.max_input_bytes + 1)
        except FileNotFoundError:
            raise NotFound(-5, "%s: no such file" % label) from None
        except OSError as e:
            raise ReadError(-4, "%s: %s" % (label, e.strerror or e)) from None
    c = ctypes.c_void_p()
    _check(lib.dc_classify_prepare_mem(ctypes.byref(c), data, len(data), label.encode(),
                                       ctypes.byref(co)), label)
    try:
        status = lib.dc_classification_status(c)
        if status < 0 and on_refused == "raise":
            msgs = [lib.dc_classification_error(c, i).decode("utf-8", "replace")
                    for i in range(lib.dc_classification_error_count(c))]
            raise _BY_CODE.get(status, Error)(status, "%s: %s" % (label, "; ".join(msgs)))
        out: List[Request] = []
        for i in range(lib.dc_classification_request_count(c)):
            page, body, n = ctypes.c_int(), ctypes.c_char_p(), ctypes.c_size_t()
            _check(lib.dc_classification_request(c, i, ctypes.byref(page), ctypes.byref(body),
                                                 ctypes.byref(n)))
            members = json.loads(body.value[:n.value].decode("utf-8"))
            if "Bytes" in members:  # boto3 takes the raw bytes and encodes them itself
                members["Bytes"] = base64.b64decode(members["Bytes"])
            req = Request(members)
            req.page = page.value
            out.append(req)
        return out
    finally:
        lib.dc_classification_free(c)
