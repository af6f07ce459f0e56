"""The README's promises hold: its two quick-start commands and a library snippet that runs."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs the library example in a subprocess

README = Path(__file__).resolve().parents[1] / "README.md"


def _section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"README has no '## {title}' section"
    return match.group(1)


def _blocks(section: str, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", section, re.S)


def test_ci_runs_the_readmes_install_and_test_commands():
    commands = " && ".join(
        line
        for block in _blocks(_section("Quick start"), "bash")
        for line in block.splitlines()
        if line.strip()
    )
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -r requirements-dev.txt" in commands and "python -m pytest" in commands
    assert re.search(r"pip install( -\w+)* -r requirements-dev\.txt", ci)
    assert re.search(r"^python -m pytest", ci, re.M)


def test_quick_start_creates_the_venv_before_installing():
    lines = [
        line
        for block in _blocks(_section("Quick start"), "bash")
        for line in block.splitlines()
        if line.strip()
    ]
    venv = next(i for i, line in enumerate(lines) if "-m venv" in line)
    install = next(i for i, line in enumerate(lines) if "requirements.txt" in line)
    assert venv < install and "activate" in lines[venv]


def test_quick_start_gives_the_address_the_headless_server_listens_on():
    """The server is headless (no browser opens by itself), so the README must give the URL."""
    config = tomllib.loads((README.parent / ".streamlit" / "config.toml").read_text())
    port = config.get("server", {}).get("port", 8501)
    assert config["server"]["headless"] is True
    assert f"http://localhost:{port}" in _section("Quick start")


def test_users_see_no_deploy_button_or_developer_menu():
    config = tomllib.loads((README.parent / ".streamlit" / "config.toml").read_text())
    assert config["client"]["toolbarMode"] == "viewer"


def test_library_snippet_is_short_and_runs():
    (snippet,) = _blocks(_section("Library use"), "python")
    assert len(snippet.strip().splitlines()) < 15
    namespace = {"__name__": "readme"}
    with contextlib.redirect_stdout(io.StringIO()) as out:
        exec(compile(snippet, str(README), "exec"), namespace)  # noqa: S102 (our own README)
    grads, params, hs = namespace["grads"], namespace["params"], namespace["hs"]
    assert {k: g.shape for k, g in grads.params.items()} == {k: p.shape for k, p in params.items()}
    assert grads.hs.shape == hs.shape
    assert out.getvalue().strip()


def test_library_snippet_is_the_example_file_and_runs_from_the_root():
    (snippet,) = _blocks(_section("Library use"), "python")
    example = README.parent / "examples" / "library_use.py"
    assert example.read_text(encoding="utf-8").strip().endswith(snippet.strip())
    done = subprocess.run(
        [sys.executable, str(example)],
        cwd=README.parent,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "gru" in done.stdout.splitlines()[0]
