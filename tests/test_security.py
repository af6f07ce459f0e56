"""Security settings and habits: nothing a user uploads is unpickled or evaluated, uploads stay in
memory, and the server configuration is deliberate (upload cap, XSRF on, no usage statistics)."""

from __future__ import annotations

import ast
import builtins
import json
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.bleu.reading.built_in_corpus import example_corpus
from core.runs.run_files import run_to_bytes
from core.train.config import RunConfig
from core.train.loop import train
from tests import apptest_helpers as ui

pytestmark = pytest.mark.slow  # the app driven through AppTest, ruff in a subprocess

REPO = Path(__file__).resolve().parents[1]
APP = "../dashboard/app.py"
PROJECT_DIRS = ("core", "dashboard", "bench")  # everything that runs on user data (tests excluded)
STREAMLIT_DEFAULT_UPLOAD_MB = 200
SECURITY_RULES = {"S301", "S307", "S403", "S506"}  # pickle use, eval, pickle import, yaml.load


def np_loads_allowing_pickle(source: str, filename: str = "<source>") -> list[str]:
    """np.load calls without allow_pickle=False, as 'file:line' (ruff has no rule for this)."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        owner = node.func.value
        if node.func.attr == "load" and isinstance(owner, ast.Name) and owner.id in ("np", "numpy"):
            safe = any(
                k.arg == "allow_pickle"
                and isinstance(k.value, ast.Constant)
                and k.value.value is False
                for k in node.keywords
            )
            if not safe:
                found.append(f"{filename}:{node.lineno}")
    return found


def project_files() -> list[Path]:
    return sorted(p for d in PROJECT_DIRS for p in (REPO / d).rglob("*.py"))


def _ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--output-format", "json", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )


def test_ruff_security_rules_flag_unpickling_and_evaluation(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import pickle\nimport yaml\n\nx = pickle.loads(b'')\ny = eval('1')\nz = yaml.load('a')\n"
    )
    done = _ruff("--config", str(REPO / "pyproject.toml"), str(probe))
    assert done.returncode == 1
    assert {v["code"] for v in json.loads(done.stdout)} >= SECURITY_RULES, done.stdout


def test_project_code_passes_the_security_rules():
    done = _ruff("--select", ",".join(sorted(SECURITY_RULES)), *PROJECT_DIRS)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_np_load_check_finds_pickle_permitting_loads():
    bad = "import numpy as np\nnp.load(f)\nnp.load(f, allow_pickle=True)\n"
    assert np_loads_allowing_pickle(bad) == ["<source>:2", "<source>:3"]
    assert not np_loads_allowing_pickle("import numpy as np\nnp.load(b, allow_pickle=False)\n")


def test_project_code_loads_arrays_without_pickle():
    files = project_files()
    problems = [
        p for f in files for p in np_loads_allowing_pickle(f.read_text(), str(f.relative_to(REPO)))
    ]
    assert not problems, problems
    # array files are read only by the bounded reader (core/bounded_npz.py), which parses .npy
    # headers itself and never calls np.load: nothing can reach numpy's pickle path
    assert not any(re.search(r"\bnp\.load\(", f.read_text()) for f in files)
    assert any("read_npz(" in f.read_text() for f in files)


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
    for name in (
        "mkstemp",
        "mkdtemp",
        "NamedTemporaryFile",
        "TemporaryFile",
        "SpooledTemporaryFile",
        "TemporaryDirectory",
    ):
        monkeypatch.setattr(tempfile, name, refuse(name))
    return made


def _text(lines: list[str]) -> bytes:
    return "".join(f"{s}\n" for s in lines).encode()


def test_bleu_uploads_are_read_and_scored_without_touching_the_disk(file_writes, fresh_caches):
    corpus = example_corpus(n_segments=30, seed=4)
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("views/bleu/bleu.py").run()
    file_writes.clear()  # only what the uploads cause counts
    at.file_uploader(key="bleu_up_refs").set_value(
        [("ref.txt", _text(corpus.references[0]), "text/plain")]
    ).run()
    at.file_uploader(key="bleu_up_sys").set_value(
        [("a.txt", _text(corpus.systems["strong"]), "text/plain")]
    ).run()
    assert not at.exception
    assert any(df.value.index.name == "system" for df in at.dataframe)  # really scored
    assert file_writes == []


def test_run_uploads_are_loaded_without_touching_the_disk(monkeypatch, file_writes, fresh_caches):
    monkeypatch.setenv("GATESCOPE_FAST_DEFAULT", "1")
    json_bytes, npz_bytes = run_to_bytes(
        train(RunConfig(length=4, hidden=3, steps=2, val_size=8, checkpoints=1))
    )
    at = AppTest.from_file(APP, default_timeout=60).run()
    file_writes.clear()
    ui.train_uploader(at).set_value(
        [
            ("r.run.json", json_bytes, "application/json"),
            ("r.run.npz", npz_bytes, "application/octet-stream"),
        ]
    ).run()
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
