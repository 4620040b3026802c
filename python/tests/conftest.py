"""Shared fixtures: the build's CLI, the samples, and the scrubbing that
leaves out the fields naming one run (timings, the OCR threads' seconds)."""
import json
import os
import subprocess

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.environ.get("DC_SOURCE_DIR", os.path.join(HERE, "..", ".."))
SAMPLES = os.path.join(SOURCE, "samples")
CORPUS = os.environ.get("DC_CORPUS", os.path.join(SOURCE, "..", "shared", "corpus"))


def scrub(v):
    """The result without the fields that differ from run to run."""
    if isinstance(v, dict):
        return {k: scrub(x) for k, x in v.items()
                if k not in ("seconds", "mtime", "docclass_version") and not k.endswith("_seconds")}
    if isinstance(v, list):
        return [scrub(x) for x in v]
    return v


@pytest.fixture(scope="session")
def cli():
    path = os.environ.get("DOCCLASS") or os.path.join(SOURCE, "build", "docclass")
    if not os.access(path, os.X_OK):
        pytest.fail("the docclass command is needed (DOCCLASS=...): %s" % path)

    def run(*args, check=True):
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        p = subprocess.run([path, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=env, timeout=600)
        if check and p.returncode not in (0, 9):
            raise AssertionError("docclass %s: exit %d: %s" % (" ".join(args), p.returncode,
                                                              p.stderr.decode()))
        return p
    return run


def cli_json(cli, *args):
    return json.loads(cli(*args).stdout)


def sample(name):
    return os.path.join(SAMPLES, name)


def sample_files():
    return sorted(f for f in os.listdir(SAMPLES) if not f.startswith("."))
