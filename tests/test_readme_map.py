"""The README stays a short front page: its code map names 15-25 paths that exist, it is at most
220 lines long, and no table cell runs over 200 characters (measurements belong in
bench/README.md)."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).parents[1]
README = REPO / "README.md"
MAX_LINES = 220
MAX_CELL = 200
MAP_ENTRY = re.compile(r"^- `([^`]+)`: \S")


def section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"README has no '## {title}' section"
    return match.group(1)


def code_map() -> list[str]:
    """The paths of the code map's entries, one `- `path`: what lives there` line each."""
    return [m.group(1) for line in section("Code map").splitlines() if (m := MAP_ENTRY.match(line))]


def table_cells(text: str) -> list[str]:
    """Every cell of every markdown table row (a line starting and ending with `|`)."""
    rows = [line.strip() for line in text.splitlines() if re.match(r"^\s*\|.*\|\s*$", line)]
    return [cell.strip() for row in rows for cell in row.strip("|").split("|")]


def test_the_code_map_has_15_to_25_entries():
    entries = code_map()
    assert 15 <= len(entries) <= 25, f"README code map: {len(entries)} entries, want 15-25"
    assert len(set(entries)) == len(entries), "README code map names a path twice"


def test_every_code_map_path_exists():
    missing = [path for path in code_map() if not (REPO / path.rstrip("/")).exists()]
    assert not missing, f"README code map names paths that do not exist: {missing}"


def test_a_folder_in_the_code_map_is_a_folder():
    files = [p for p in code_map() if p.endswith("/") and not (REPO / p.rstrip("/")).is_dir()]
    assert not files, f"README code map: not folders: {files}"


def test_the_readme_is_short():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= MAX_LINES, f"README has {len(lines)} lines, at most {MAX_LINES}"


def test_no_readme_table_cell_is_over_200_characters():
    long = [c[:60] for c in table_cells(README.read_text(encoding="utf-8")) if len(c) > MAX_CELL]
    assert not long, f"README table cells over {MAX_CELL} characters: {long}"


def test_the_table_reader_finds_long_cells():
    row = "| short | " + "x" * (MAX_CELL + 1) + " |"
    assert max(map(len, table_cells(row))) == MAX_CELL + 1
