"""Runs are named by what differs from the default; file names are unique and descriptive."""

from __future__ import annotations

import re
from dataclasses import replace

from core.train.config import RunConfig
from dashboard.views.train.names import changed_settings, file_stem, run_name


def test_a_run_is_named_by_the_settings_that_differ_from_the_default():
    base = RunConfig()
    cfg = replace(base, task="copy", length=20, models=("gru_reset_after",), chrono=True, lr=3e-3)
    assert run_name(cfg, base) == "copy, T=20, GRU (reset after) only, lr 0.003, chrono init"
    assert run_name(base, base) == "default settings"
    assert changed_settings(replace(base, orthogonal=False), base) == ["Gaussian recurrent init"]


def test_every_single_changed_setting_shows_in_the_name():
    base = RunConfig()
    for cfg in (
        replace(base, seed=3),
        replace(base, hidden=32),
        replace(base, steps=200),
        replace(base, batch=8),
        replace(base, clip=0.0),
        replace(base, symbols=8),
    ):
        assert run_name(cfg, base) != "default settings"


def test_different_runs_get_different_descriptive_ascii_file_names():
    base = RunConfig()
    a, b = replace(base, seed=1), replace(base, seed=1, hidden=17)
    stems = {file_stem("seed 1", a), file_stem("seed 1", b), file_stem("seed 1 (2)", a)}
    assert len(stems) == 3
    for stem in stems:
        assert re.fullmatch(r"gatescope-[a-z0-9-]+-[0-9a-f]{6}", stem) and "seed-1" in stem
    assert file_stem("copy, T=20, H=32", a).startswith("gatescope-copy-t20-h32-")
