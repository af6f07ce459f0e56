"""The README shows one screenshot of each main page, each a real PNG (they are refreshed by
tests/e2e/test_default_experiment.py)."""

from __future__ import annotations

import re
import struct
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PAGES = ("train", "gradient-flow", "gates", "bleu")


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_readme_shows_each_main_page_once():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = re.findall(r"!\[[^\]]*\]\(docs/screenshots/([\w-]+)\.png\)", readme)
    assert sorted(shown) == sorted(PAGES)


def test_screenshots_are_real_pngs():
    for name in PAGES:
        data = (REPO / "docs" / "screenshots" / f"{name}.png").read_bytes()
        width, height = png_size(data)
        assert width > 0 and height > 0, name
