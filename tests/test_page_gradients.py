"""Gradient flow page, driven through Streamlit's AppTest; numbers checked against core."""

from __future__ import annotations

import json
import math
import uuid

import pytest
from streamlit.testing.v1 import AppTest

from core.analysis.decay import decay_stats
from core.analysis.gradients import gradient_flow_for_run
from core.runs.run_files import run_to_bytes
from dashboard.session import analysis_cache, state
from tests import apptest_helpers as ui

pytestmark = pytest.mark.slow  # the app driven through AppTest

PAGE = "views/gradients/gradients.py"


@pytest.fixture
def page(fast) -> AppTest:
    return ui.open_page(PAGE, ui.boot())


def _half_life(s) -> str:
    if math.isinf(s.half_life):
        return f"beyond T = {s.length}"
    return f"{s.half_life:.0f} steps" + (" (first crossing)" if s.recovers else "")


def _share(x: float, n: int) -> str:
    if math.isnan(x):
        return f"n/a (T ≤ {n})"
    if x > 1:
        return f"×{x:.3g} (grew)"
    return f"{x:.1%}" if x >= 0.001 else f"{x:.1e}"


def _decay_table(at: AppTest):
    (table,) = at.table
    return table.value


def _assert_metrics_match_core(at: AppTest, checkpoint: int) -> None:
    """Every metric and the sentence under them show the same core figures."""
    run = ui.current_run(at)
    table = _decay_table(at)
    text = " ".join(m.value for m in at.markdown)
    for name, flow in gradient_flow_for_run(run, checkpoint).items():
        s = decay_stats(flow)
        row = table.loc[name.upper()]
        assert row["half-life"].replace("1 step", "1 steps") == _half_life(s)
        rate = row[f"fitted rate (k = 0–{s.length - 1})"]
        if s.recovers:  # one straight line would average the dip and the rise back
            assert rate == "no single rate: it dips and recovers"
        else:
            assert rate == f"×{s.factor_per_step:.3f}/step"
        for n in (20, 50):
            assert row[f"surviving {n} steps"] == _share(s.survival[n], n)
        assert f"{row.name}'s gradient {row['curve']}" in text  # the table's words, verbatim
        if math.isinf(s.half_life):
            assert row["curve"].startswith(("grows", f"stays above half up to k = {s.length - 1}"))
        else:
            assert f"below half at k = {s.half_life:.0f}" in row["curve"]


def _train_on_the_form(at: AppTest, **values) -> None:
    at.switch_page("views/train/train.py").run()
    for key, value in values.items():
        widget = at.multiselect(key=key) if key == "train_models" else at.number_input(key=key)
        widget.set_value(value)
    ui.finish_jobs(at.button[0].click().run())
    assert not at.exception and not at.error


def test_default_run_shows_both_models_metrics_from_core(page):
    _assert_metrics_match_core(page, -1)
    metrics = ui.metrics(page)
    T = ui.current_run(page).config.length
    assert _decay_table(page).loc["RNN", "surviving 50 steps"] == "n/a (T ≤ 50)" and T <= 50
    assert {"RNN steps clipped", "GRU steps clipped"} <= set(metrics)
    charts = page.get("plotly_chart")
    assert len(charts) >= 1 + 1 + 2 + 4 + 1  # flow, animation, heatmaps, spectra, clip
    assert not ui.infos(page)


def test_the_animation_has_a_frame_per_checkpoint_of_the_run(page):
    specs = [json.loads(c.proto.spec) for c in page.get("plotly_chart")]
    (animated,) = [s for s in specs if s.get("frames")]
    steps = analysis_cache.checkpoint_steps(ui.current_run(page))
    assert [f["name"] for f in animated["frames"]] == [f"step {s}" for s in steps]


def test_moving_the_checkpoint_slider_shows_that_checkpoints_numbers(page):
    slider = page.select_slider(key="gradients_checkpoint")
    steps = [s.step for s in ui.current_run(page).models["rnn"].snapshots]
    assert slider.value == steps[-1]
    for i in (0, len(steps) // 2, len(steps) - 1):
        page.select_slider(key="gradients_checkpoint").set_value(steps[i]).run()
        assert not page.exception
        _assert_metrics_match_core(page, i)


def test_toggles_and_the_jacobian_expander_run_without_errors(page):
    page.toggle(key="gradients_theory").set_value(True).run()
    page.toggle(key="gradients_relative").set_value(False).run()
    before = len(page.get("plotly_chart"))
    page.toggle(key="gradients_jacobians").set_value(True).run()
    assert not page.exception
    assert len(page.get("plotly_chart")) == before + 1
    spec = page.get("plotly_chart")[0].proto.spec
    assert "theory" in spec


def test_a_freshly_trained_run_is_shown_and_its_checkpoints_offered(fast):
    at = ui.boot()
    _train_on_the_form(at, train_length=12, train_steps=30, train_hidden=8, train_seed=4)
    ui.open_page(PAGE, at)
    run = ui.current_run(at)
    assert run.config.length == 12
    steps = [s.step for s in run.models["gru"].snapshots]
    assert page_steps(at) == steps
    at.select_slider(key="gradients_checkpoint").set_value(steps[1]).run()
    assert not at.exception
    _assert_metrics_match_core(at, 1)


def page_steps(at: AppTest) -> list[int]:
    return [int(o) for o in at.select_slider(key="gradients_checkpoint").options]


def test_run_selector_switches_the_shown_run(fast):
    at = ui.boot()
    default = ui.current_run(at)
    _train_on_the_form(at, train_length=8, train_steps=10)
    ui.open_page(PAGE, at)
    assert ui.current_run(at) is not default
    at.selectbox(key="gradients_run").set_value(state.DEFAULT_NAME).run()
    assert not at.exception
    assert ui.current_run(at) is default
    _assert_metrics_match_core(at, -1)


def test_single_model_run_says_so_and_shows_that_model(fast):
    at = ui.boot()
    _train_on_the_form(at, train_length=6, train_steps=15, train_hidden=8, train_models=["gru"])
    ui.open_page(PAGE, at)
    assert any("GRU alone" in m for m in ui.infos(at))
    assert list(_decay_table(at).index) == ["GRU"]
    assert not any(k.startswith("RNN") for k in ui.metrics(at))
    _assert_metrics_match_core(at, -1)


def _upload(at: AppTest, files) -> None:
    at.switch_page("views/train/train.py").run()
    ui.train_uploader(at).set_value(files)
    at.run()
    assert not at.exception and not at.error


def test_a_run_loaded_without_weights_asks_for_the_npz_and_keeps_clipping(page):
    json_bytes, _ = run_to_bytes(ui.current_run(page))
    _upload(page, ("mine.run.json", json_bytes, "application/json"))
    ui.open_page(PAGE, page)
    assert not ui.current_run(page).has_weights
    assert any(".npz" in m for m in ui.infos(page))
    metrics = ui.metrics(page)
    assert not page.table
    assert "RNN steps clipped" in metrics


def test_a_run_loaded_with_weights_shows_the_same_numbers(page):
    original = _decay_table(page)
    json_bytes, npz_bytes = run_to_bytes(ui.current_run(page))
    _upload(
        page,
        [
            ("saved.run.json", json_bytes, "application/json"),
            ("saved.run.npz", npz_bytes, "application/octet-stream"),
        ],
    )
    ui.open_page(PAGE, page)
    assert page.session_state[state.CURRENT_NAME] == "saved.run.json"
    assert _decay_table(page).equals(original)


def test_no_run_at_all_gives_a_message_not_a_traceback(fast, monkeypatch):
    def refuse(cfg, on_progress=None):
        raise ValueError("no training in this test")

    monkeypatch.setattr(state, "load_default", refuse)
    at = AppTest.from_file(ui.APP, default_timeout=ui.TIMEOUT).run()
    ui.open_page(PAGE, at)
    assert any("No run yet" in m for m in ui.infos(at))
    assert not at.metric


def test_checkpoint_results_are_computed_once_per_run_and_checkpoint(monkeypatch):
    from tests.fake_runs import tiny_run

    calls = []

    def counting(run, checkpoint):
        calls.append(checkpoint)
        return gradient_flow_for_run(run, checkpoint)

    monkeypatch.setattr(analysis_cache, "gradient_flow_for_run", counting)
    run, run_id = tiny_run(), uuid.uuid4().hex
    first = analysis_cache.flows_at(run_id, 2, run)
    again = analysis_cache.flows_at(run_id, 2, run)
    analysis_cache.decay_at(run_id, 2, run)
    assert calls == [2]
    assert again["gru"].median_log10.tolist() == first["gru"].median_log10.tolist()
    analysis_cache.flows_at(run_id, 0, run)
    analysis_cache.flows_at(uuid.uuid4().hex, 2, run)  # another run: its own entry
    assert calls == [2, 0, 2]


@pytest.mark.slow
def test_real_default_rnn_gradient_vanishes_and_the_grus_survives(monkeypatch):
    """The acceptance figure: on the default experiment after training, the RNN's gradient
    falls by orders of magnitude over the sequence, the GRU's stays within about one."""
    monkeypatch.delenv(state.FAST_DEFAULT_ENV, raising=False)
    at = ui.open_page(PAGE, ui.boot())
    _assert_metrics_match_core(at, -1)
    assert _decay_table(at).loc["RNN", "half-life"].endswith("steps")
    flows = gradient_flow_for_run(ui.current_run(at), -1)
    drop = {m: f.relative().median_log10 for m, f in flows.items()}
    assert drop["rnn"][-1] < -3  # orders of magnitude
    assert drop["gru"].min() > -1  # within about one
    stats = {m: decay_stats(f) for m, f in flows.items()}
    assert stats["rnn"].survival[20] < stats["gru"].survival[20]
    assert stats["rnn"].half_life < stats["gru"].half_life


def test_first_visits_of_gradient_flow_and_gates_read_what_the_warm_up_computed(
    fast, fresh_caches, monkeypatch
):
    """Once the Train page has drawn the shared default run, a background thread computes
    what the Gradient flow and Gates pages show first, charts included; their first visits
    then compute no gradient flow, spectrum or gate trace and build no chart (every cached
    analysis and figure hits)."""
    import functools
    import threading

    from core.analysis import gates, spectrum
    from dashboard.session import warm_up
    from dashboard.views.gates import explainer as gru_explainer_section
    from dashboard.views.gates import figures as gates_figures
    from dashboard.views.gradients import figures as flow_figures

    monkeypatch.setenv(warm_up.WARM_UP_ENV, "1")
    monkeypatch.setattr(warm_up, "DELAY", 0.0)
    at = ui.boot()
    warming = [t for t in threading.enumerate() if t.name == "gatescope-warm-up"]
    assert len(warming) == 1
    warming[0].join(timeout=60)
    computed = []

    def counting(fn):  # same name and module: the figure cache's key is unchanged
        @functools.wraps(fn)
        def counted(*args, **kwargs):
            computed.append(fn.__name__)
            return fn(*args, **kwargs)

        return counted

    for fn in (gradient_flow_for_run, spectrum.spectra_for_run, gates.gate_trace_for_run):
        monkeypatch.setattr(analysis_cache, fn.__name__, counting(fn))
    for module, builders in (
        (flow_figures, FLOW_FIRST_VIEW),
        (gates_figures, ("gate_heatmap", "tau_figure")),
        (gru_explainer_section, ("read_write_carry_figure",)),
    ):
        for name in builders:
            monkeypatch.setattr(module, name, counting(getattr(module, name)))
    ui.open_page(PAGE, at)
    assert at.metric  # the page drew the run's decay figures
    assert len(at.get("plotly_chart")) == 2 + 2 + 2 * 2 + 1  # flow, animation, maps, spectra, clip
    ui.open_page("views/gates/gates.py", at)
    assert not ui.errors(at)
    assert len(at.get("plotly_chart")) >= 4  # the GRU's gates, state, tau; the explainer
    assert computed == []
    assert [t for t in threading.enumerate() if t.name == "gatescope-warm-up"] == []


FLOW_FIRST_VIEW = (  # the builders of the Gradient flow page's charts open at first
    "flow_figure",
    "flow_animation",
    "flow_heatmap",
    "spectrum_figure",
    "singular_values_figure",
    "clipping_figure",
)
