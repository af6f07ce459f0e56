"""Training settings at their edges, through the Train page's form (AppTest, short runs): each
gives a sensible run or a clear message, never a traceback, and the app keeps working on every
page with what it got."""

from __future__ import annotations

import math

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.runs import state
from tests import apptest_helpers as ui

APP = "../dashboard/app.py"

EDGES = {  # case -> form values (widget key suffix -> value); steps kept small
    "lr_10": {"lr": 10.0, "steps": 20},
    "hidden_1": {"hidden": 1, "steps": 20},
    "length_1": {"length": 1, "steps": 20},
    "length_500": {"length": 500, "steps": 3, "batch": 8, "hidden": 8},
    "steps_1": {"steps": 1},
    "batch_1": {"batch": 1, "steps": 20},
    "clip_0": {"clip": 0.0, "steps": 20},
}


@pytest.fixture
def app(monkeypatch) -> AppTest:
    """A short default experiment, so the app boots in about a second."""
    monkeypatch.setenv(state.FAST_DEFAULT_ENV, "1")
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    return at


def current(at: AppTest):
    return at.session_state[state.RUNS][at.session_state[state.CURRENT_NAME]]


def submit(at: AppTest, values: dict) -> None:
    for field, value in values.items():
        widget = (at.selectbox if field in ("task", "optimizer") else at.number_input)
        widget(key=f"train_{field}").set_value(value)
    ui.finish_jobs(at.button[0].click().run())


def finite_or_explained(at: AppTest, run) -> None:
    """Either every recorded number is finite, or training stopped and the page says why."""
    if run.stopped:
        assert "non-finite values" in run.stopped and "learning rate" in run.stopped
        assert any(run.stopped in w.value for w in at.warning)
        return
    for model in run.models.values():
        h = model.history
        for column in (h.train_loss, h.val_loss, h.val_accuracy, h.grad_norm):
            assert np.all(np.isfinite(column))
        assert math.isfinite(model.final["val_loss"])


def pages_still_work(at: AppTest) -> None:
    at.toggle(key="train_log_y").set_value(True).run()
    assert not at.exception
    for page in ("views/gradients.py", "views/gates.py", "views/train.py"):
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)


@pytest.mark.parametrize("case", list(EDGES))
def test_edge_setting_gives_a_run_or_a_clear_message(app, case):
    values = EDGES[case]
    before = current(app)
    submit(app, values)
    assert not app.exception, app.exception
    errors = [e.value for e in app.error]
    if errors:  # refused up front: a message and the old run still shown
        assert all("cannot be trained" in e or "could not start" in e for e in errors), errors
        assert current(app) is before
    else:
        run = current(app)
        assert run is not before
        for field, value in values.items():
            assert getattr(run.config, field) == value
        finite_or_explained(app, run)
        assert all(len(m.history.step) >= 1 for m in run.models.values())
    pages_still_work(app)


def test_divergence_is_detected_and_named_with_advice(app):
    """SGD at learning rate 10 without clipping overflows on the adding task: training stops
    with the NaN/inf message, the partial run is kept and every page still opens."""
    submit(app, {"task": "adding", "optimizer": "sgd", "lr": 10.0, "clip": 0.0, "steps": 40})
    assert not app.exception and not app.error
    run = current(app)
    assert run.stopped and "enable gradient clipping" in run.stopped
    finite_or_explained(app, run)
    for model in run.models.values():  # the rows kept are the last finite ones
        assert np.all(np.isfinite(model.history.val_loss))
    pages_still_work(app)
