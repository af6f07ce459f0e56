"""Gates page, driven through Streamlit's AppTest; numbers checked against core traces."""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core.analysis.checkpoints import analysis_batch, checkpoint_params
from core.analysis.gates import gate_trace
from core.runs.run_files import run_to_bytes
from dashboard.session import state
from dashboard.session.analysis_cache import generated_example
from tests import apptest_helpers as ui

pytestmark = pytest.mark.slow  # the app driven through AppTest

PAGE = "views/gates/gates.py"


@pytest.fixture
def page(fast) -> AppTest:
    return ui.open_page(PAGE, ui.boot())


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def _core_trace(run, index: int, checkpoint: int = -1, model: str = "gru"):
    xs = analysis_batch(run).xs
    _, params = checkpoint_params(run, model, checkpoint)
    return gate_trace(model, params, xs, index)


def _assert_gate_metrics(at: AppTest, trace) -> None:
    metrics = ui.metrics(at)
    u, r = trace.saturation["u"], trace.saturation["r"]
    assert metrics["u < 0.1 (carrying)"] == f"{u.low_all:.0%}"
    assert metrics["u > 0.9 (overwriting)"] == f"{u.high_all:.0%}"
    assert metrics["r < 0.1 (past hidden)"] == f"{r.low_all:.0%}"
    assert metrics["median τ (steps)"] == f"{np.median(trace.tau):.1f}"


def _train_on_the_form(at: AppTest, **values) -> None:
    at.switch_page("views/train/train.py").run()
    for key, value in values.items():
        if key == "train_models":
            at.multiselect(key=key).set_value(value)
        else:
            at.number_input(key=key).set_value(value)
    ui.finish_jobs(at.button[0].click().run())
    assert not at.exception and not at.error


def test_default_run_shows_the_grus_gates_for_example_zero(page):
    assert page.radio(key="gates_model").value == "gru"
    _assert_gate_metrics(page, _core_trace(ui.current_run(page), 0))
    assert len(page.get("plotly_chart")) == 4 + 1 + 1  # u, r, c, h; tau; explainer
    assert "our convention" in _markdown(page)


def test_changing_the_example_and_checkpoint_shows_that_trace(page):
    page.number_input(key="gates_index").set_value(7).run()
    assert not page.exception
    _assert_gate_metrics(page, _core_trace(ui.current_run(page), 7))
    page.select_slider(key="gates_checkpoint").set_value(0).run()
    assert not page.exception
    _assert_gate_metrics(page, _core_trace(ui.current_run(page), 7, checkpoint=0))


def test_generate_new_draws_another_sequence(page):
    page.radio(key="gates_source").set_value("generated").run()
    assert not page.exception
    page.button(key="gates_generate").click().run()
    assert not page.exception
    assert page.number_input(key="gates_seed").value == 1
    run = ui.current_run(page)
    _, params = checkpoint_params(run, "gru", -1)
    xs = generated_example(run, 1)
    assert xs.shape[:2] == (run.config.length, 1)
    _assert_gate_metrics(page, gate_trace("gru", params, xs, 0))
    page.button(key="gates_generate").click().run()
    assert page.number_input(key="gates_seed").value == 2 and not page.exception


def test_pytorch_convention_relabels_the_update_gate_as_z(page):
    trace = _core_trace(ui.current_run(page), 0)
    page.segmented_control(key="gates_convention").set_value("z").run()
    assert not page.exception
    metrics = ui.metrics(page)
    u = trace.saturation["u"]
    assert metrics["z > 0.9 (carrying)"] == f"{u.low_all:.0%}"
    assert metrics["z < 0.1 (overwriting)"] == f"{u.high_all:.0%}"
    assert "PyTorch's convention" in _markdown(page)
    page.toggle(key="gates_sort_tau").set_value(False).run()
    assert not page.exception


def test_rnn_has_no_gates_and_says_so(page):
    page.radio(key="gates_model").set_value("rnn").run()
    assert not page.exception
    assert any("no gates" in m for m in ui.infos(page))
    assert not any("τ" in k for k in ui.metrics(page))


def test_reset_after_run_names_its_convention_and_candidate(fast):
    at = ui.boot()
    _train_on_the_form(
        at, train_length=8, train_steps=10, train_hidden=6, train_models=["rnn", "gru_reset_after"]
    )
    ui.open_page(PAGE, at)
    run = ui.current_run(at)
    assert run.config.models == ("rnn", "gru_reset_after")
    assert at.radio(key="gates_model").value == "gru_reset_after"
    assert any("PyTorch/cuDNN" in s.value for s in at.subheader)
    _assert_gate_metrics(at, _core_trace(run, 0, model="gru_reset_after"))
    at.number_input(key="gates_index").set_value(3).run()
    assert not at.exception
    _assert_gate_metrics(at, _core_trace(run, 3, model="gru_reset_after"))


def test_rnn_only_run_explains_and_still_offers_the_explainer(fast):
    at = ui.boot()
    _train_on_the_form(at, train_length=6, train_steps=10, train_hidden=6, train_models=["rnn"])
    ui.open_page(PAGE, at)
    assert any("no gated model" in m for m in ui.infos(at))
    assert at.button(key="rw_preset_0") is not None


def test_a_run_loaded_without_weights_asks_for_the_npz(page):
    json_bytes, _ = run_to_bytes(ui.current_run(page))
    page.switch_page("views/train/train.py").run()
    ui.train_uploader(page).set_value(("mine.run.json", json_bytes, "application/json"))
    page.run()
    ui.open_page(PAGE, page)
    assert any(".npz" in m for m in ui.infos(page))
    assert not any("τ" in k for k in ui.metrics(page))
    assert "Read, write, carry" in [h.value for h in page.header]


def test_a_run_loaded_with_weights_shows_the_same_gates(page):
    original = ui.metrics(page)
    json_bytes, npz_bytes = run_to_bytes(ui.current_run(page))
    page.switch_page("views/train/train.py").run()
    ui.train_uploader(page).set_value(
        [
            ("saved.run.json", json_bytes, "application/json"),
            ("saved.run.npz", npz_bytes, "application/octet-stream"),
        ]
    )
    page.run()
    ui.open_page(PAGE, page)
    assert page.session_state[state.CURRENT_NAME] == "saved.run.json"
    assert ui.metrics(page) == original
    page.number_input(key="gates_index").set_value(2).run()
    assert not page.exception
    _assert_gate_metrics(page, _core_trace(ui.current_run(page), 2))


def test_presets_set_the_explainer_gates(page):
    page.button(key="rw_preset_0").click().run()  # u = 0: the state is copied
    assert not page.exception
    assert page.toggle(key="rw_u_fixed").value is True
    assert page.slider(key="rw_u_value").value == 0.0
    assert page.toggle(key="rw_r_fixed").value is False
    assert "the state is copied" in _markdown(page)
    page.button(key="rw_preset_1").click().run()  # r = 0: ignores the past
    assert page.toggle(key="rw_u_fixed").value is False
    assert page.toggle(key="rw_r_fixed").value is True
    assert page.slider(key="rw_r_value").value == 0.0
    assert "the read bars are empty" in _markdown(page)
    page.button(key="rw_preset_free").click().run()
    assert not page.toggle(key="rw_u_fixed").value and not page.toggle(key="rw_r_fixed").value
    page.slider(key="rw_u_bias").set_value(-4.0).run()
    page.slider(key="rw_hidden").set_value(2).run()
    assert not page.exception


def test_no_run_at_all_gives_a_message_and_keeps_the_explainer(fast, monkeypatch):
    def refuse(cfg, on_progress=None):
        raise ValueError("no training in this test")

    monkeypatch.setattr(state, "load_default", refuse)
    at = ui.open_page(PAGE, AppTest.from_file(ui.APP, default_timeout=ui.TIMEOUT).run())
    assert any("No run yet" in m for m in ui.infos(at))
    at.button(key="rw_preset_0").click().run()
    assert not at.exception


@pytest.mark.parametrize("convention", ["u", "z"])
def test_the_reading_guide_is_grammatical_in_both_conventions_and_sort_orders(page, convention):
    trace = _core_trace(ui.current_run(page), 0)
    top = int(trace.unit_order()[0])
    page.segmented_control(key="gates_convention").set_value(convention).run()
    for by_tau in (True, False):
        page.toggle(key="gates_sort_tau").set_value(by_tau).run()
        assert not page.exception
        (guide,) = [m.value for m in page.markdown if "the longest memory" in m.value]
        opening = f"The top row, unit {top} (τ = " if by_tau else f"Unit {top} (τ = "
        assert guide.startswith(opening) and "The unit" not in guide
        assert guide.count(f"unit {top}") + guide.count(f"Unit {top}") == 1
        if convention == "u":
            assert "u stays near 0" in guide and "z" not in guide
        else:
            assert "z = 1 - u stays near 1" in guide and "u stays near 0" not in guide


def test_the_read_write_section_asks_its_question_in_its_own_words(page):
    text = _markdown(page)
    assert "margin note" not in text and "*read*" in text and "*written*" in text
