"""Train page figures, built from hand-made results without Streamlit."""

from __future__ import annotations

import math

import numpy as np
import pytest

from core.train.config import RunConfig
from core.train.results import Baseline, History, ModelResult, TrainResult
from dashboard.shared import style
from dashboard.shared.curves import accuracy_figure, loss_curves, loss_figure


def _history(steps, val_loss, val_acc) -> History:
    n = len(steps)
    return History(
        step=np.asarray(steps),
        train_loss=np.asarray(val_loss) * 1.1,
        val_loss=np.asarray(val_loss),
        val_accuracy=np.asarray(val_acc),
        grad_norm=np.ones(n),
        clipped=np.zeros(n, bool),
        seconds=np.linspace(0.1, 1, n),
    )


def _run(models=("gru", "rnn"), task="recall") -> TrainResult:
    curves = {
        "rnn": _history([0, 10, 20], [2.1, 2.08, 2.07], [0.12, 0.13, 0.125]),
        "gru": _history([0, 10, 20], [2.1, 0.9, 0.05], [0.12, 0.6, 0.99]),
    }
    cfg = RunConfig(task=task, models=models, steps=20)
    result = {m: ModelResult(name=m, history=curves[m], params={}) for m in models}
    chance = Baseline(loss=math.log(8), accuracy=1 / 8)
    return TrainResult(config=cfg, models=result, baseline=chance)


def _traces(fig, name_part):
    return [t for t in fig.data if name_part in t.name]


def test_each_model_has_train_and_validation_loss_in_its_fixed_colour():
    fig = loss_figure(_run())
    for model, label in (("rnn", "RNN"), ("gru", "GRU")):
        traces = _traces(fig, label)
        assert sorted(t.name for t in traces) == [f"{label} train", f"{label} validation"]
        assert {t.line.color for t in traces} == {style.MODEL_COLOURS[model]}
    val = _traces(fig, "GRU validation")[0]
    np.testing.assert_array_equal(val.y, [2.1, 0.9, 0.05])


def test_models_are_drawn_rnn_first_whatever_the_config_order():
    names = [t.name for t in loss_figure(_run(models=("gru", "rnn"))).data]
    assert names.index("RNN validation") < names.index("GRU validation")


def test_every_registered_model_has_its_own_colour_and_label():
    names = list(style.MODEL_ORDER)
    assert len({style.model_colour(n) for n in names}) == len(names)
    assert len({style.model_label(n) for n in names}) == len(names)
    assert style.model_colour("not a cell") not in {style.model_colour(n) for n in names}


def test_chance_line_is_grey_dashed_at_the_baseline_over_the_whole_run():
    fig = loss_figure(_run())
    (chance,) = _traces(fig, "chance")
    assert chance.line.dash == "dash" and chance.line.color == style.BASELINE_COLOUR
    assert list(chance.y) == pytest.approx([math.log(8)] * 2)
    assert list(chance.x) == [0, 20]
    (acc_chance,) = _traces(accuracy_figure(_run()), "chance")
    assert list(acc_chance.y) == pytest.approx([0.125, 0.125])


def test_baseline_is_named_after_the_task():
    fig = loss_figure(_run(task="adding"))
    assert _traces(fig, "constant prediction")
    assert not _traces(fig, "chance")


def test_log_y_switches_only_the_loss_axis_to_log():
    assert loss_figure(_run(), log_y=True).layout.yaxis.type == "log"
    assert loss_figure(_run(), log_y=False).layout.yaxis.type in (None, "linear")


def test_accuracy_axis_spans_zero_to_one_as_percent():
    fig = accuracy_figure(_run())
    assert fig.layout.yaxis.range[0] <= 0 and fig.layout.yaxis.range[1] >= 1
    assert fig.layout.yaxis.tickformat.endswith("%")
    np.testing.assert_array_equal(_traces(fig, "RNN")[0].y, [0.12, 0.13, 0.125])


def test_single_model_run_draws_only_that_model():
    fig = loss_figure(_run(models=("gru",)))
    assert not _traces(fig, "RNN")
    assert len(_traces(fig, "GRU")) == 2


def test_partial_histories_without_baseline_draw_for_live_updates():
    empty = _history([], [], [])
    fig = loss_curves({"rnn": empty, "gru": _history([0], [2.0], [0.1])})
    assert len(fig.data) == 4
    assert not _traces(fig, "chance")


def test_nan_after_an_early_stop_is_kept_not_dropped():
    run = _run()
    run.models["rnn"].history.val_loss[-1] = np.nan
    y = _traces(loss_figure(run), "RNN validation")[0].y
    assert np.isnan(y[-1]) and len(y) == 3
