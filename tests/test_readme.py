"""The README's promises hold: its two quick-start commands and a library snippet that runs."""

from __future__ import annotations

import contextlib
import io
import re
import tomllib
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def _section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"README has no '## {title}' section"
    return match.group(1)


def _blocks(section: str, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", section, re.S)


def test_quick_start_creates_the_venv_then_runs_the_two_commands():
    commands = [line for block in _blocks(_section("Quick start"), "bash")
                for line in block.splitlines() if line.strip()]
    assert commands == [
        "python3 -m venv .venv && . .venv/bin/activate",
        "pip install -r requirements.txt && python -m streamlit run dashboard/app.py",
        "pip install -r requirements-dev.txt && python -m pytest",
    ]


def test_quick_start_says_where_the_app_is_and_that_no_browser_opens():
    text = _section("Quick start")
    assert "http://localhost:8501" in text and "no browser window opens by itself" in text
    config = tomllib.loads((README.parent / ".streamlit" / "config.toml").read_text())
    assert config["server"]["headless"] is True
    assert config.get("server", {}).get("port", 8501) == 8501


def test_users_see_no_deploy_button_or_developer_menu():
    config = tomllib.loads((README.parent / ".streamlit" / "config.toml").read_text())
    assert config["client"]["toolbarMode"] == "viewer"


def test_library_snippet_is_short_and_runs():
    (snippet,) = _blocks(_section("Library use"), "python")
    assert len(snippet.strip().splitlines()) < 15
    namespace = {"__name__": "readme"}
    with contextlib.redirect_stdout(io.StringIO()) as out:
        exec(compile(snippet, str(README), "exec"), namespace)  # our own README, not user data
    grads, params, hs = namespace["grads"], namespace["params"], namespace["hs"]
    assert {k: g.shape for k, g in grads.params.items()} == {k: p.shape for k, p in params.items()}
    assert grads.hs.shape == hs.shape
    assert out.getvalue().strip()
