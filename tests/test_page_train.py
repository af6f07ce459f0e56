"""Train page and the shared runs store, driven through Streamlit's AppTest."""

from __future__ import annotations

import math

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core.runs.run_files import run_to_bytes
from core.train.config import RunConfig
from core.train.presets import PRESETS
from core.train.verdict import verdicts
from dashboard.session import state
from dashboard.views.train.metrics import readable
from dashboard.views.train.names import run_name
from tests import apptest_helpers as ui

pytestmark = pytest.mark.slow  # the app driven through AppTest


@pytest.fixture
def app(fast) -> AppTest:
    return ui.boot()


@pytest.mark.slow
def test_app_boots_on_the_real_default_experiment_and_shows_both_models(monkeypatch):
    monkeypatch.delenv(state.FAST_DEFAULT_ENV, raising=False)
    at = ui.boot()
    run = ui.current_run(at)
    assert run.config == RunConfig()
    assert at.session_state[state.CURRENT_NAME] == state.DEFAULT_NAME
    metrics = ui.metrics(at)
    for name, label in (("rnn", "RNN"), ("gru", "GRU")):
        final = run.models[name].final
        assert metrics[f"{label} accuracy"] == f"{final['val_accuracy']:.1%}"
        assert metrics[f"{label} loss"] == readable(final["val_loss"])
        assert f"{label} time" in metrics
    assert not ui.errors(at)


def test_fast_default_shows_metrics_of_the_stored_run(app):
    run = ui.current_run(app)
    assert run.config == state.default_config() != RunConfig()
    metrics = ui.metrics(app)
    for name in ("RNN", "GRU"):
        acc = run.models[name.lower()].final["val_accuracy"]
        assert metrics[f"{name} accuracy"] == f"{acc:.1%}"
    assert len(app.get("plotly_chart")) == 2
    text = " ".join(m.value for m in app.markdown)
    for name in ("RNN", "GRU"):  # the explanation quotes this run's outcome
        assert f"{run.models[name.lower()].final['val_accuracy']:.1%} for the {name}" in text


def test_the_shown_runs_settings_are_listed_with_their_values(app):
    app.session_state["train_settings_open"] = True  # built only while open
    app.run()
    (box,) = [e for e in app.expander if e.label == "Settings of the shown run"]
    (table,) = [ui.shown(m.value) for m in box.markdown]
    for field, value in ui.current_run(app).config.to_dict().items():
        typed = ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
        assert f"| {field} | {typed} |" in table


def test_submitting_the_form_trains_the_chosen_models_and_shows_them(app):
    before = ui.current_run(app)
    app.number_input(key="train_length").set_value(6)
    app.number_input(key="train_steps").set_value(15)
    app.number_input(key="train_hidden").set_value(8)
    app.number_input(key="train_seed").set_value(3)
    app.multiselect(key="train_models").set_value(["gru"])
    ui.finish_jobs(app.button[0].click().run())
    assert not app.exception and not ui.errors(app)
    after = ui.current_run(app)
    assert after is not before
    assert (after.config.length, after.config.steps, after.config.hidden, after.config.seed) == (
        6,
        15,
        8,
        3,
    )
    assert list(after.models) == ["gru"]
    assert any(m.value.startswith("The GRU saw batches") for m in app.markdown)
    metrics = ui.metrics(app)
    assert not any(label.startswith("RNN") for label in metrics)
    acc = after.models["gru"].final["val_accuracy"]
    assert metrics["GRU accuracy"] == f"{acc:.1%}"
    named = run_name(after.config, state.default_config())
    assert set(app.session_state[state.RUNS]) == {state.DEFAULT_NAME, named}


def test_invalid_settings_show_the_config_message_and_keep_the_run(app):
    before = ui.current_run(app)
    app.multiselect(key="train_models").set_value([])
    ui.finish_jobs(app.button[0].click().run())
    assert not app.exception
    assert any("Choose at least one model." in e for e in ui.errors(app))
    assert ui.current_run(app) is before


def test_task_specific_length_limit_is_reported_not_raised(app):
    app.selectbox(key="train_task").set_value("adding")
    app.number_input(key="train_length").set_value(1)
    ui.finish_jobs(app.button[0].click().run())
    assert not app.exception
    assert any("T must be at least 2 for the adding task" in e for e in ui.errors(app))


def test_diverging_training_warns_and_keeps_the_partial_run(app):
    app.selectbox(key="train_task").set_value("adding")  # MSE: SGD at lr 10 overflows
    app.selectbox(key="train_optimizer").set_value("sgd")
    app.number_input(key="train_lr").set_value(10.0)
    app.number_input(key="train_clip").set_value(0.0)
    app.number_input(key="train_steps").set_value(60)
    ui.finish_jobs(app.button[0].click().run())
    assert not app.exception and not ui.errors(app)
    run = ui.current_run(app)
    assert run.stopped and run.config.lr == 10.0
    assert any(run.stopped in w.value for w in app.warning)
    assert all(len(m.history.step) >= 1 for m in run.models.values())  # partial rows kept


def test_bad_upload_names_the_file_and_keeps_the_current_run(app):
    before = ui.current_run(app)
    ui.train_uploader(app).set_value(("run.json", b"\x00\x01 not a run", "application/json"))
    app.run()
    assert not app.exception
    errors = ui.errors(app)
    assert len(errors) == 1 and "run.json" in errors[0]
    assert ui.current_run(app) is before
    app.toggle(key="train_log_y").set_value(True).run()  # the message stays with the file
    assert ui.errors(app) == errors and ui.current_run(app) is before


def test_weights_without_their_json_are_refused_by_name(app):
    before = ui.current_run(app)
    _, npz = run_to_bytes(before)
    ui.train_uploader(app).set_value(("mine.run.npz", npz, "application/zip"))
    app.run()
    assert any("mine.run.npz" in e for e in ui.errors(app))
    assert ui.current_run(app) is before


def test_a_saved_run_uploads_back_and_becomes_current(app):
    before = ui.current_run(app)
    json_bytes, npz_bytes = run_to_bytes(before)
    ui.train_uploader(app).set_value(
        [
            ("saved.run.json", json_bytes, "application/json"),
            ("saved.run.npz", npz_bytes, "application/octet-stream"),
        ]
    )
    app.run()
    assert not app.exception and not ui.errors(app)
    loaded = ui.current_run(app)
    assert app.session_state[state.CURRENT_NAME] == "saved.run.json"
    assert loaded is not before and loaded.config == before.config
    for name, model in before.models.items():
        assert loaded.models[name].final == pytest.approx(model.final)
    app.run()  # the same upload is not loaded a second time
    assert len(app.session_state[state.RUNS]) == 2


def test_switching_pages_and_back_does_not_retrain(app):
    app.number_input(key="train_steps").set_value(12)
    ui.finish_jobs(app.button[0].click().run())
    before = ui.current_run(app)
    assert before.config.steps == 12
    for page in ("views/gradients/gradients.py", "views/gates/gates.py", "views/train/train.py"):
        app.switch_page(page).run()
        assert not app.exception, page
        assert ui.current_run(app) is before, page
    assert len(app.session_state[state.RUNS]) == 2
    assert app.number_input(key="train_steps").value == 12  # the submitted settings stay


def test_shown_run_can_be_switched_back_without_training(app):
    default = ui.current_run(app)
    app.number_input(key="train_steps").set_value(10)
    ui.finish_jobs(app.button[0].click().run())
    trained = ui.current_run(app)
    app.selectbox(key="train_shown_run").set_value(state.DEFAULT_NAME).run()
    assert not app.exception
    assert ui.current_run(app) is default
    assert trained in app.session_state[state.RUNS].values()


def test_log_toggle_redraws_without_retraining(app):
    before = ui.current_run(app)
    app.toggle(key="train_log_y").set_value(True).run()
    assert not app.exception and ui.current_run(app) is before
    loss_chart = app.get("plotly_chart")[0].proto.spec
    assert '"type":"log"' in loss_chart.replace(" ", "")


def _store_probe():
    import streamlit as st

    from dashboard.session import state

    st.markdown(f"before: {state.current_run() is None}")
    run = state.ensure_default_run()
    st.markdown(f"after: {run is state.current_run()}")


def test_current_run_is_none_until_the_default_is_trained_once_per_session(fast):
    at = AppTest.from_function(_store_probe, default_timeout=ui.TIMEOUT).run()
    assert [m.value for m in at.markdown] == ["before: True", "after: True"]
    first = ui.current_run(at)
    at.run()
    assert [m.value for m in at.markdown] == ["before: False", "after: True"]
    assert ui.current_run(at) is first and len(at.session_state[state.RUNS]) == 1


def test_a_run_json_alone_loads_without_weights_and_says_so(app):
    json_bytes, _ = run_to_bytes(ui.current_run(app))
    ui.train_uploader(app).set_value(("alone.run.json", json_bytes, "text/json"))
    app.run()
    assert not app.exception and not ui.errors(app)
    assert not ui.current_run(app).has_weights
    assert any("without weights" in ui.shown(s.value) for s in app.success)
    labels = [b.label for b in app.get("download_button")]
    assert labels == ["Download run (.json)"]


def _metric(at: AppTest, label: str):
    (m,) = [m for m in at.metric if m.label == label]
    return m


def test_an_accuracy_at_chance_is_grey_and_says_so_and_a_tip_follows(app):
    """Three steps learn nothing: neutral deltas, 'at chance', one line of advice."""
    app.number_input(key="train_steps").set_value(3)
    app.number_input(key="train_length").set_value(30)
    ui.finish_jobs(app.button[0].click().run())
    v = verdicts(ui.current_run(app))
    assert not any(x.learnt for x in v.values())
    at_chance = [name for name in v if v[name].at_baseline]
    assert at_chance
    for name in at_chance:
        m = _metric(app, f"{name.upper()} accuracy")
        assert m.delta == "at chance" and m.proto.color == m.proto.MetricColor.GRAY
    (tip,) = [i for i in ui.infos(app) if "no better than the baseline" in i]
    assert "more steps (now 3)" in tip and PRESETS["recall"].title in tip


def test_a_preset_fills_the_form_and_the_form_trains_it(app):
    app.selectbox(key="train_preset").set_value("copy").run()
    assert not app.exception
    cfg = PRESETS["copy"].config(state.default_config())
    assert app.selectbox(key="train_task").value == "copy"
    assert app.number_input(key="train_length").value == cfg.length
    assert app.number_input(key="train_hidden").value == cfg.hidden
    assert app.number_input(key="train_steps").value == cfg.steps
    assert any(PRESETS["copy"].claim in c.value for c in app.caption)
    app.number_input(key="train_steps").set_value(3)  # keep the test tiny
    app.number_input(key="train_length").set_value(4)
    ui.finish_jobs(app.button[0].click().run())
    assert not app.exception and not ui.errors(app)
    assert ui.current_run(app).config.task == "copy"
    assert app.session_state[state.CURRENT_NAME] == "copy, T=4, H=64, 3 steps, chrono init"


def test_the_gru_variant_options_name_the_conventions(app):
    note = "GRU: reset before (Cho et al. 2014); GRU (reset after): reset after (PyTorch/cuDNN)."
    assert note in app.multiselect(key="train_models").help


# --- training settings at their edges: a sensible run or a clear message, never a traceback

EDGES = {  # case -> form values (widget key suffix -> value); steps kept small
    "lr_10": {"lr": 10.0, "steps": 20},
    "hidden_1": {"hidden": 1, "steps": 20},
    "length_1": {"length": 1, "steps": 20},
    "length_500": {"length": 500, "steps": 3, "batch": 8, "hidden": 8},
    "steps_1": {"steps": 1},
    "batch_1": {"batch": 1, "steps": 20},
    "clip_0": {"clip": 0.0, "steps": 20},
}


def submit(at: AppTest, values: dict) -> None:
    for field, value in values.items():
        widget = at.selectbox if field in ("task", "optimizer") else at.number_input
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
    for page in ("views/gradients/gradients.py", "views/gates/gates.py", "views/train/train.py"):
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)


@pytest.mark.parametrize("case", list(EDGES))
def test_edge_setting_gives_a_run_or_a_clear_message(app, case):
    values = EDGES[case]
    before = ui.current_run(app)
    submit(app, values)
    assert not app.exception, app.exception
    errors = [e.value for e in app.error]
    if errors:  # refused up front: a message and the old run still shown
        assert all("cannot be trained" in e or "could not start" in e for e in errors), errors
        assert ui.current_run(app) is before
    else:
        run = ui.current_run(app)
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
    run = ui.current_run(app)
    assert run.stopped and "enable gradient clipping" in run.stopped
    finite_or_explained(app, run)
    for model in run.models.values():  # the rows kept are the last finite ones
        assert np.all(np.isfinite(model.history.val_loss))
    pages_still_work(app)


def test_the_form_shows_the_main_settings_and_keeps_the_rest_under_advanced(app):
    (advanced,) = [e for e in app.sidebar.expander if e.label == "Advanced"]
    inside = {
        w.key
        for kind in ("number_input", "selectbox", "checkbox", "multiselect")
        for w in getattr(advanced, kind)
    }
    assert {"train_hidden", "train_seed", "train_lr", "train_clip"} <= inside
    assert not {"train_task", "train_length", "train_models", "train_steps"} & inside
    assert {"train_task", "train_length", "train_models", "train_steps"} <= {
        w.key
        for kind in ("number_input", "selectbox", "multiselect")
        for w in getattr(app.sidebar, kind)
    }


def test_a_cells_init_option_is_a_form_input_that_reaches_its_initialisation(app):
    """The LSTM declares its forget-gate bias; the form shows it and the run starts with it."""
    app.number_input(key="train_steps").set_value(2)
    app.number_input(key="train_hidden").set_value(3)
    app.multiselect(key="train_models").set_value(["lstm"])
    app.number_input(key="train_forget_bias").set_value(2.5)
    ui.finish_jobs(app.button[0].click().run())
    assert not app.exception and not ui.errors(app)
    run = ui.current_run(app)
    assert run.config.forget_bias == 2.5
    b = run.models["lstm"].snapshots[0].params["b"]  # (4H,) [i | f | g | o] at step 0
    np.testing.assert_array_equal(b[3:6], 2.5)
    assert "forget bias 2.5" in run_name(run.config, state.default_config())
