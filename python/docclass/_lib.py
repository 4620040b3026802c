"""ctypes declarations of libdocclass's public API (include/docclass/*.h).

ctypes rather than cffi: it is in the standard library (nothing to compile
at install time, so `pip install` works offline on any Linux with the
library), and every foreign call releases the GIL, which is what lets
Python threads extract in parallel. The structures below mirror the
headers' structs at the versions named; the library checks the version
field of each options struct it is given.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import threading
from ctypes import (CFUNCTYPE, POINTER, Structure, c_char_p, c_double, c_int, c_longlong,
                    c_size_t, c_uint, c_void_p)

# ------------------------------------------------------------------ structs


class ReaderConfig(Structure):  # dc_reader_config, version 2
    VERSION = 2
    _fields_ = [("version", c_int), ("action", c_int), ("mode", c_int),
                ("features", c_int * 2), ("nfeatures", c_size_t)]


class RoutingThresholds(Structure):  # dc_routing_thresholds
    _fields_ = [("min_chars", c_double), ("garbled_ratio", c_double),
                ("scan_image_share", c_double), ("hybrid_text_coverage", c_double),
                ("blank_ink", c_double), ("invisible_ratio", c_double)]


class Progress(Structure):  # dc_progress
    _fields_ = [("page", c_size_t), ("pages_done", c_size_t), ("pages_total", c_size_t)]


PROGRESS_FN = CFUNCTYPE(c_int, POINTER(Progress), c_void_p)


class ExtractOptions(Structure):  # dc_extract_options, version 4
    VERSION = 4
    _fields_ = [("version", c_int), ("config", ReaderConfig), ("limits", c_int),
                ("docx_parts", c_uint), ("password", c_char_p), ("dpi", c_int),
                ("max_megapixels", c_double), ("max_image_megapixels", c_double),
                ("jobs", c_int), ("lang", c_char_p), ("page_timeout", c_double),
                ("no_rotate", c_int), ("routing", RoutingThresholds),
                ("max_input_bytes", c_size_t), ("no_input_hash", c_int),
                ("progress", PROGRESS_FN), ("progress_payload", c_void_p)]


class ClassifyOptions(Structure):  # dc_classify_options, version 2
    VERSION = 2
    _fields_ = [("version", c_int), ("mode", c_int), ("pages", c_char_p),
                ("truncate", c_int), ("dry_run", c_int), ("extract", ExtractOptions)]


class Detection(Structure):  # dc_detection
    _fields_ = [("format", c_int), ("kind", c_char_p), ("reason", c_char_p),
                ("textract", c_int)]


class ErrorInfo(Structure):  # dc_error
    _fields_ = [("code", c_int), ("message", c_char_p)]


class ScanMeta(Structure):  # dc_scan_meta
    _fields_ = [("path", c_char_p), ("mtime", c_longlong), ("size", c_longlong),
                ("archive_members", c_longlong)]


# ------------------------------------------------------------------ loading

_lib = None
_lock = threading.Lock()


def _find() -> str:
    """DOCCLASS_LIBRARY, else the system's libdocclass (ldconfig's cache)."""
    path = os.environ.get("DOCCLASS_LIBRARY")
    if path:
        return path
    name = ctypes.util.find_library("docclass")
    if not name:
        raise ImportError("libdocclass not found: install it (scripts/setup does, with "
                          "cmake --install) or set DOCCLASS_LIBRARY to its path")
    return name


def _declare(lib: ctypes.CDLL) -> None:
    doc = c_void_p
    out_str = POINTER(c_void_p)  # char ** freed with dc_free
    sigs = {
        "dc_free": (None, [c_void_p]),
        "dc_error_last": (POINTER(ErrorInfo), []),
        "dc_error_name": (c_char_p, [c_int]),
        "dc_strerror": (c_char_p, [c_int]),
        "dc_error_clear": (None, []),
        "dc_detect": (c_int, [POINTER(Detection), c_char_p, c_size_t]),
        "dc_detect_file": (c_int, [POINTER(Detection), c_char_p, POINTER(c_size_t)]),
        "dc_format_name": (c_char_p, [c_int]),
        "dc_config_parse": (c_int, [POINTER(ReaderConfig), c_char_p, c_size_t, c_char_p]),
        "dc_config_load_file": (c_int, [POINTER(ReaderConfig), c_char_p]),
        "dc_config_override": (c_int, [POINTER(ReaderConfig), c_char_p, c_char_p, c_char_p]),
        "dc_config_validate": (c_int, [POINTER(ReaderConfig), c_char_p]),
        "dc_extract_options_init": (c_int, [POINTER(ExtractOptions), c_int]),
        "dc_extract_options_effective": (c_int, [POINTER(ExtractOptions),
                                                 POINTER(ExtractOptions)]),
        "dc_classify_options_init": (c_int, [POINTER(ClassifyOptions), c_int]),
        "dc_document_extract_mem": (c_int, [POINTER(doc), c_char_p, c_size_t, c_char_p,
                                            POINTER(ExtractOptions)]),
        "dc_document_extract_file": (c_int, [POINTER(doc), c_char_p, POINTER(ExtractOptions)]),
        "dc_document_scan_mem": (c_int, [POINTER(doc), c_char_p, c_size_t, c_char_p,
                                         POINTER(ExtractOptions), c_uint]),
        "dc_document_free": (None, [doc]),
        "dc_document_format": (c_int, [doc]),
        "dc_document_accepted": (c_int, [doc]),
        "dc_document_render": (c_int, [out_str, POINTER(c_size_t), doc, c_int, c_void_p]),
        "dc_scan_record_json": (c_int, [out_str, doc, POINTER(ScanMeta), c_int]),
        "dc_scan_error_json": (c_int, [out_str, POINTER(ScanMeta), c_int, c_char_p]),
        "dc_archive_open": (c_int, [POINTER(c_void_p), c_char_p]),
        "dc_archive_count": (c_size_t, [c_void_p]),
        "dc_archive_name": (c_char_p, [c_void_p, c_size_t]),
        "dc_archive_read": (c_int, [c_void_p, c_size_t, POINTER(c_void_p), POINTER(c_size_t),
                                    c_size_t]),
        "dc_archive_free": (None, [c_void_p]),
        "dc_classify_prepare_mem": (c_int, [POINTER(c_void_p), c_char_p, c_size_t, c_char_p,
                                            POINTER(ClassifyOptions)]),
        "dc_classification_request_count": (c_size_t, [c_void_p]),
        "dc_classification_request": (c_int, [c_void_p, c_size_t, POINTER(c_int),
                                              POINTER(c_char_p), POINTER(c_size_t)]),
        "dc_classification_status": (c_int, [c_void_p]),
        "dc_classification_error_count": (c_size_t, [c_void_p]),
        "dc_classification_error": (c_char_p, [c_void_p, c_size_t]),
        "dc_classification_render": (c_int, [out_str, c_void_p, c_uint]),
        "dc_classification_free": (None, [c_void_p]),
    }
    for name, (res, args) in sigs.items():
        f = getattr(lib, name)
        f.restype = res
        f.argtypes = args


def lib() -> ctypes.CDLL:
    """The loaded library (loaded and declared once)."""
    global _lib
    if _lib is None:
        with _lock:
            if _lib is None:
                handle = ctypes.CDLL(_find())
                _declare(handle)
                _lib = handle
    return _lib


def take_string(ptr: c_void_p, length: int | None = None) -> str:
    """A char * the library allocated, as str, freed with dc_free."""
    if not ptr.value:
        return ""
    try:
        raw = ctypes.string_at(ptr.value, length) if length is not None else \
            ctypes.string_at(ptr.value)
        return raw.decode("utf-8")
    finally:
        lib().dc_free(ptr)
