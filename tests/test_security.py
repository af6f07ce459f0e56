"""Security settings and habits: nothing a user uploads is unpickled or evaluated, uploads stay in
memory, and the server configuration is deliberate (upload cap, XSRF on, no usage statistics)."""

from __future__ import annotations

import ast
import builtins
import re
import tempfile
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.bleu.example import example_corpus
from core.train.config import RunConfig
from core.train.loop import train
from core.train.run_files import run_to_bytes

REPO = Path(__file__).resolve().parents[1]
APP = "../dashboard/app.py"
PROJECT_DIRS = ("core", "dashboard", "bench")  # everything that runs on user data (tests excluded)
UNSAFE_MODULES = {"pickle", "cPickle", "_pickle", "marshal", "shelve", "dill", "cloudpickle",
                  "joblib"}
BUILTIN_CALLS = {"eval", "exec", "compile", "__import__"}  # as bare names (re.compile is fine)
UNSAFE_CALLS = {"read_pickle", "unsafe_load", "full_load"}  # under any owner
STREAMLIT_DEFAULT_UPLOAD_MB = 200


def unsafe_uses(source: str, filename: str = "<source>") -> list[str]:
    """Pickle-family imports, eval/exec-like calls, yaml.load, and np.load without
    allow_pickle=False, as 'file:line: what'."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        where = f"{filename}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            found += [f"{where}: import {n}" for n in names
                      if n and n.split(".")[0] in UNSAFE_MODULES]
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else (
            func.attr if isinstance(func, ast.Attribute) else "")
        owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(
            func.value, ast.Name) else ""
        if name in UNSAFE_CALLS or (name in BUILTIN_CALLS and isinstance(func, ast.Name)):
            found.append(f"{where}: {name}()")
        elif name == "load" and owner == "yaml":
            found.append(f"{where}: yaml.load()")
        elif name == "load" and owner in ("np", "numpy"):
            safe = any(k.arg == "allow_pickle" and isinstance(k.value, ast.Constant)
                       and k.value.value is False for k in node.keywords)
            if not safe:
                found.append(f"{where}: np.load() without allow_pickle=False")
    return found


def project_files() -> list[Path]:
    return sorted(p for d in PROJECT_DIRS for p in (REPO / d).rglob("*.py"))


def test_the_scanner_finds_every_unsafe_pattern():
    bad = """
import pickle
from marshal import loads
import numpy as np
np.load(f)
np.load(f, allow_pickle=True)
eval(text)
exec(code)
pd.read_pickle(path)
yaml.load(stream)
"""
    found = unsafe_uses(bad)
    assert len(found) == 8, found
    assert not unsafe_uses("import numpy as np\nnp.load(buf, allow_pickle=False)\n"
                           "pattern = re.compile('a+')\n")


def test_project_code_never_unpickles_or_evaluates():
    files = project_files()
    assert len(files) > 20  # the scan really covers the project
    problems = [p for f in files for p in unsafe_uses(f.read_text(), str(f.relative_to(REPO)))]
    assert not problems, problems
    loads = [f for f in files if re.search(r"\bnp\.load\(", f.read_text())]
    assert loads  # weights are loaded somewhere, and every such call was checked above


# --- uploads stay in memory ------------------------------------------------------------------


@pytest.fixture
def file_writes(monkeypatch):
    """Every file opened for writing and every temporary file or folder made while active."""
    made: list[str] = []
    real_open = builtins.open

    def recording_open(file, mode="r", *args, **kwargs):
        if any(c in mode for c in "wax+"):
            made.append(f"open({file!r}, {mode!r})")
        return real_open(file, mode, *args, **kwargs)

    def refuse(name):
        def temp(*args, **kwargs):
            made.append(f"tempfile.{name}")
            raise AssertionError(f"an upload reached tempfile.{name}")
        return temp

    monkeypatch.setattr(builtins, "open", recording_open)
    for name in ("mkstemp", "mkdtemp", "NamedTemporaryFile", "TemporaryFile",
                 "SpooledTemporaryFile", "TemporaryDirectory"):
        monkeypatch.setattr(tempfile, name, refuse(name))
    return made


def _text(lines: list[str]) -> bytes:
    return "".join(f"{s}\n" for s in lines).encode()


def test_bleu_uploads_are_read_and_scored_without_touching_the_disk(file_writes, fresh_caches):
    corpus = example_corpus(n_segments=30, seed=4)
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("views/bleu.py").run()
    file_writes.clear()  # only what the uploads cause counts
    at.file_uploader(key="bleu_up_refs").set_value(
        [("ref.txt", _text(corpus.references[0]), "text/plain")]).run()
    at.file_uploader(key="bleu_up_sys").set_value(
        [("a.txt", _text(corpus.systems["strong"]), "text/plain")]).run()
    assert not at.exception
    assert any(df.value.index.name == "system" for df in at.dataframe)  # really scored
    assert file_writes == []


def test_run_uploads_are_loaded_without_touching_the_disk(monkeypatch, file_writes,
                                                          fresh_caches):
    monkeypatch.setenv("GATESCOPE_FAST_DEFAULT", "1")
    json_bytes, npz_bytes = run_to_bytes(train(RunConfig(length=4, hidden=3, steps=2,
                                                         val_size=8, checkpoints=1)))
    at = AppTest.from_file(APP, default_timeout=60).run()
    file_writes.clear()
    at.file_uploader(key="train_upload").set_value([
        ("r.run.json", json_bytes, "application/json"),
        ("r.run.npz", npz_bytes, "application/octet-stream")]).run()
    assert not at.exception and not at.error
    assert at.session_state["gatescope_current_run"] == "r.run.json"  # really loaded
    assert file_writes == []


# --- server configuration --------------------------------------------------------------------


@pytest.fixture(scope="module")
def config() -> dict:
    return tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())


def test_upload_cap_is_set_deliberately(config):
    cap = config["server"]["maxUploadSize"]
    assert isinstance(cap, int) and 1 <= cap < STREAMLIT_DEFAULT_UPLOAD_MB


def test_xsrf_protection_stays_on_and_usage_statistics_off(config):
    assert config["server"]["enableXsrfProtection"] is True
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"].get("enableCORS", True) is True  # CORS protection not disabled


def test_readme_states_the_configured_upload_cap(config):
    readme = (REPO / "README.md").read_text()
    cap = config["server"]["maxUploadSize"]
    assert f"{cap} MB" in readme and "maxUploadSize" in readme
