"""The gradient-flow animation over training, built from a small run's real flows."""

from __future__ import annotations

import numpy as np
import plotly.io as pio
import pytest

from core.analysis.checkpoints import checkpoint_steps
from core.analysis.gradients import gradient_flow_for_run
from dashboard.shared import style
from dashboard.views.gradients.charts.animation import flow_animation
from tests.fake_runs import tiny_run


def flow_grid(run, relative: bool) -> dict:
    """Per model (steps, median log10 curves (C, T)), as the page builds it."""
    n = len(checkpoint_steps(run, next(iter(run.models))))
    flows = [gradient_flow_for_run(run, i) for i in range(n)]
    out = {}
    for m in run.models:
        shown = [f[m].relative() if relative else f[m] for f in flows]
        out[m] = ([f.step for f in shown], np.stack([f.median_log10 for f in shown]))
    return out


@pytest.fixture(scope="module")
def grid():
    return flow_grid(tiny_run(), relative=True)


def test_one_frame_per_checkpoint_with_each_models_curve(grid):
    fig = flow_animation(grid)
    steps, curves = grid["rnn"]
    assert len(fig.frames) == len(steps) > 2
    for i, frame in enumerate(fig.frames):
        assert frame.name == f"step {steps[i]}"
        assert list(frame.traces) == [0, 1]  # only the animated curves change
        for trace, model in zip(frame.data, ["rnn", "gru"], strict=True):
            np.testing.assert_allclose(trace.y, 10.0 ** grid[model][1][i])
            assert trace.line.color == style.model_colour(model)


def test_first_checkpoint_stays_as_a_faint_reference(grid):
    fig = flow_animation(grid)
    references = [t for t in fig.data if t.line.dash == "dot"]
    assert [t.name.split()[0] for t in references] == ["RNN", "GRU"]
    for trace, model in zip(references, ["rnn", "gru"], strict=True):
        np.testing.assert_allclose(trace.y, 10.0 ** grid[model][1][0])


def test_axes_are_fixed_and_hold_every_frame(grid):
    fig = flow_animation(grid)
    lo, hi = fig.layout.yaxis.range
    values = np.concatenate([np.ravel(c) for _, c in grid.values()])
    assert lo < values.min() and values.max() < hi
    assert fig.layout.yaxis.type == "log"


def test_play_pause_and_a_slider_step_per_checkpoint(grid):
    fig = flow_animation(grid)
    (menu,) = fig.layout.updatemenus
    assert [b.method for b in menu.buttons] == ["animate", "animate"]
    (slider,) = fig.layout.sliders
    assert [list(s.args[0]) for s in slider.steps] == [[f.name] for f in fig.frames]
    pio.to_json(fig, validate=True)  # plotly accepts the whole figure


def test_raw_norms_and_a_single_model():
    run = tiny_run(models=("gru",))
    grid = flow_grid(run, relative=False)
    fig = flow_animation(grid, relative=False)
    assert len(fig.data) == 2 and all(len(f.data) == 1 for f in fig.frames)
    assert "norm, log scale" in fig.layout.yaxis.title.text
