"""One way of writing the equations everywhere a person reads them: row vectors, x_t W + h U
(as the code computes, xs @ W), never a matrix times a stacked vector W [h_{t-1}; x_t]."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests import apptest_helpers as ui

REPO = Path(__file__).resolve().parents[1]
STACKED = re.compile(
    r"W(_\{?\w+\}?)?\s*\[\s*(\\underbrace\{)?\s*(r_t\s*(\\odot|\*)\s*)?h"  # W [h..., W_u [r*h
    r"|h_\{?t-1\}?\s*;\s*x"  # [h_{t-1}; x_t]
)
USER_FACING = [
    *sorted((REPO / "dashboard").rglob("*.py")),
    *sorted((REPO / "core" / "cells").glob("*.py")),
    REPO / "README.md",
    *sorted((REPO / "docs").rglob("*.md")),
]


def test_the_pattern_finds_the_stacked_form():
    assert STACKED.search(r"u_t = \sigma(W_u [h_{t-1}; x_t] + b_u)")
    assert STACKED.search(r"c_t = \tanh(W [\underbrace{r_t \odot h_{t-1}}_{\text{read}}; x_t])")
    assert not STACKED.search(r"u_t = \sigma(x_t W_u + h_{t-1} U_u + b_u)")


@pytest.mark.parametrize("path", USER_FACING, ids=lambda p: str(p.relative_to(REPO)))
def test_no_user_facing_text_writes_w_times_stacked_h_and_x(path):
    hits = [
        f"{path.relative_to(REPO)}:{n}: {line.strip()}"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if STACKED.search(line)
    ]
    assert not hits, "\n".join(hits)


@pytest.mark.slow
def test_the_gates_page_writes_the_gru_as_x_w_plus_h_u(fast):
    at = ui.open_page("views/gates/gates.py", ui.boot())
    shown = " ".join(e.body for e in at.latex)
    assert r"x_t W_u + h_{t-1} U_u + b_u" in shown
    assert r"x_t W_r + h_{t-1} U_r + b_r" in shown
    assert not STACKED.search(shown)
