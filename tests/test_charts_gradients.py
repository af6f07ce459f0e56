"""Gradient flow page figures, built from core results on small runs without Streamlit."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from core.analysis.clipping import clipping_stats
from core.analysis.gradients import gradient_flow_for_run
from core.analysis.jacobians import jacobian_norms_for_run
from core.analysis.spectrum import recurrent_spectra
from core.train.results import History
from dashboard.shared import style
from dashboard.shared.style import DECADE_LABELS, log_axis
from dashboard.views.gradients.charts.flow import (
    clipping_figure,
    flow_figure,
    flow_heatmap,
    shared_range,
)
from dashboard.views.gradients.charts.spectra import (
    jacobian_figure,
    singular_values_figure,
    spectrum_figure,
)
from tests.fake_runs import tiny_run


@pytest.fixture(scope="module")
def run():
    return tiny_run()


@pytest.fixture(scope="module")
def flows(run):
    return gradient_flow_for_run(run, -1)


@pytest.fixture(scope="module")
def init(run):
    return gradient_flow_for_run(run, 0)


def _named(fig, text):
    return [t for t in fig.data if text in (t.name or "")]


def test_median_curves_are_the_normalised_norms_in_model_colours_rnn_first(flows):
    fig = flow_figure(flows, relative=True)
    medians = _named(fig, "median")
    assert [t.name for t in medians] == ["RNN median (step 20)", "GRU median (step 20)"]
    for trace, model in zip(medians, ("rnn", "gru"), strict=True):
        assert trace.line.color == style.MODEL_COLOURS[model]
        rel = flows[model].per_sequence_log10 - flows[model].per_sequence_log10[:, :1]
        np.testing.assert_allclose(trace.y, 10.0 ** np.median(rel, axis=0), rtol=1e-10)
        np.testing.assert_array_equal(trace.x, np.arange(flows[model].k.size))
        assert trace.y[0] == pytest.approx(1.0)
    assert fig.layout.yaxis.type == "log"


def test_raw_mode_draws_the_unnormalised_median(flows):
    fig = flow_figure(flows, relative=False)
    gru = _named(fig, "GRU median")[0]
    np.testing.assert_allclose(
        gru.y, 10.0 ** np.median(flows["gru"].per_sequence_log10, axis=0), rtol=1e-10
    )


def test_band_encloses_the_median(flows):
    fig = flow_figure(flows)
    for label in ("RNN", "GRU"):
        upper = _named(fig, f"{label} 10-90th percentile of sequences (upper)")[0]
        lower = [t for t in _named(fig, f"{label} 10-90th") if t.fill == "tonexty"][0]
        median = _named(fig, f"{label} median")[0]
        assert np.all(lower.y <= median.y * (1 + 1e-12))
        assert np.all(median.y <= upper.y * (1 + 1e-12))


def test_init_reference_is_drawn_faint_only_when_another_checkpoint_is_shown(flows, init):
    fig = flow_figure(flows, init)
    refs = _named(fig, "at init")
    assert [t.name for t in refs] == ["RNN at init (step 0)", "GRU at init (step 0)"]
    assert all(t.opacity < 1 for t in refs)
    rel = init["gru"].per_sequence_log10 - init["gru"].per_sequence_log10[:, :1]
    np.testing.assert_allclose(refs[1].y, 10.0 ** np.median(rel, axis=0), rtol=1e-10)
    assert not _named(flow_figure(init, init), "at init")


def test_theory_overlays_are_optional_and_start_at_the_median(run, flows):
    assert not _named(flow_figure(flows), "theory")
    fig = flow_figure(flows, theory=True, relative=False)
    names = [t.name for t in _named(fig, "theory")]
    expected = [
        f"{label} theory: {flows[m].theory.label(key)}"
        for m, label in (("rnn", "RNN"), ("gru", "GRU"))
        for key in flows[m].theory.curves
    ]
    assert names == expected and len(names) == 4
    sigma = _named(fig, "sigma_max")[0]
    s_max = np.linalg.svd(run.models["rnn"].params["U"].astype(np.float64), compute_uv=False)[0]
    start = 10.0 ** np.median(flows["rnn"].per_sequence_log10[:, 0])
    np.testing.assert_allclose(sigma.y, start * s_max ** np.arange(sigma.y.size), rtol=1e-9)


def test_single_model_flow_has_only_its_traces():
    flows = gradient_flow_for_run(tiny_run(models=("gru",)), -1)
    fig = flow_figure(flows, theory=True)
    assert all(t.name.startswith("GRU") for t in fig.data)


def test_heatmap_holds_one_row_per_checkpoint(flows):
    grid = np.stack([flows["rnn"].median_log10, flows["rnn"].median_log10 - 1])
    fig = flow_heatmap("rnn", [0, 20], grid)
    (heat,) = fig.data
    np.testing.assert_array_equal(heat.z, grid)
    assert list(heat.y) == ["step 0", "step 20"]
    assert len(heat.x) == grid.shape[1]


def test_heatmaps_share_one_colour_scale_when_given_the_shared_range():
    grids = {"rnn": np.array([[0.0, -3.0, -9.5]]), "gru": np.array([[0.0, -0.2, 0.4]])}
    zrange = shared_range(grids)
    assert zrange == (-9.5, 0.4)
    figs = [flow_heatmap(m, [0], g, zrange=zrange) for m, g in grids.items()]
    assert {(f.data[0].zmin, f.data[0].zmax) for f in figs} == {(-9.5, 0.4)}


@pytest.mark.parametrize("cell", ["gru", "gru_reset_after"])
def test_eigenvalues_and_singular_values_are_those_of_the_recurrent_blocks(cell):
    run = tiny_run(models=("rnn", cell))
    params = run.models[cell].params
    H = run.config.hidden
    blocks = recurrent_spectra(cell, params)
    if cell == "gru":
        candidate = params["U_c"]
        gates = params["U_g"]
    else:
        candidate = params["U"][:, 2 * H :]
        gates = params["U"][:, : 2 * H]
    truth = {
        "U_u": gates[:, :H],
        "U_r": gates[:, H : 2 * H],
        ("U_c" if cell == "gru" else "U_n"): candidate,
    }
    eig = spectrum_figure(blocks, "gru", 20)
    assert eig.data[0].name.startswith("unit circle")
    np.testing.assert_allclose(np.hypot(eig.data[0].x, eig.data[0].y), 1.0, atol=1e-12)
    for trace, name in zip(eig.data[1:], blocks, strict=True):
        ours = np.sort_complex(np.asarray(trace.x) + 1j * np.asarray(trace.y))
        expected = np.sort_complex(np.linalg.eigvals(truth[name].astype(np.float64)))
        np.testing.assert_allclose(ours, expected, atol=1e-5)
    bars = singular_values_figure(blocks, "gru", 20)
    for trace, name in zip(bars.data[:-1], blocks, strict=True):
        expected = np.linalg.svd(truth[name].astype(np.float64), compute_uv=False)
        np.testing.assert_allclose(trace.y, expected, rtol=1e-5)
    assert bars.data[-1].y[0] == 1.0


def test_jacobian_figure_has_step_norm_and_running_product_per_model(run):
    norms = jacobian_norms_for_run(run, -1, sequences=4, iters=6)
    fig = jacobian_figure(norms)
    names = [t.name for t in fig.data]
    assert names == ["RNN step norm", "RNN product", "GRU step norm", "GRU product", "1"]
    product = _named(fig, "GRU product")[0]
    assert product.y[0] == pytest.approx(1.0)  # no step taken at k = 0
    step_norm = _named(fig, "GRU step norm")[0]
    np.testing.assert_allclose(step_norm.y, 10.0 ** norms["gru"].norm.median)


def _history(norms) -> History:
    n = len(norms)
    return History(
        step=np.arange(1, n + 1) * 10,
        train_loss=np.ones(n),
        val_loss=np.ones(n),
        val_accuracy=np.zeros(n),
        grad_norm=np.asarray(norms, float),
        clipped=np.asarray(norms) > 1.0,
        seconds=np.arange(n, dtype=float),
    )


def test_clipping_panel_draws_before_after_and_the_threshold():
    stats = {
        "gru": clipping_stats(_history([0.5, 3.0, 0.8]), 1.0),
        "rnn": clipping_stats(_history([2.0, 4.0, 0.1]), 1.0),
    }
    fig = clipping_figure(stats)
    assert [t.name for t in fig.data] == [
        "RNN before clipping",
        "RNN applied",
        "GRU before clipping",
        "GRU applied",
        "clip threshold 1",
    ]
    np.testing.assert_array_equal(_named(fig, "RNN applied")[0].y, [1.0, 1.0, 0.1])
    np.testing.assert_array_equal(_named(fig, "GRU before")[0].y, [0.5, 3.0, 0.8])
    threshold = _named(fig, "clip threshold")[0]
    assert list(threshold.y) == [1.0, 1.0] and list(threshold.x) == [10.0, 30.0]


def test_clipping_off_has_no_threshold_line():
    fig = clipping_figure({"rnn": clipping_stats(_history([2.0, 4.0]), 0.0)})
    assert not _named(fig, "threshold")
    np.testing.assert_array_equal(_named(fig, "applied")[0].y, [2.0, 4.0])


def test_the_lstm_also_shows_the_gradient_reaching_its_cell_state():
    flows = gradient_flow_for_run(tiny_run(models=("gru", "lstm")), -1)
    for relative in (True, False):
        fig = flow_figure(flows, relative=relative)
        (trace,) = _named(fig, "through c")
        assert style.model_label("lstm") in trace.name
        shown = flows["lstm"].relative() if relative else flows["lstm"]
        np.testing.assert_allclose(np.log10(trace.y), shown.block_log("c").median)
    assert not _named(flow_figure({"gru": flows["gru"]}), "through")


def test_theory_overlays_have_their_own_style_and_a_theory_legend_heading(flows, init):
    fig = flow_figure(flows, init, theory=True)
    theory = _named(fig, "theory")
    others = [t for t in fig.data if t not in theory and t.line.dash]
    assert theory and all(t.legendgroup == "theory" for t in theory)
    assert all(t.legendgrouptitle.text == "theory" for t in theory)
    assert {t.line.dash for t in theory}.isdisjoint({t.line.dash for t in others})


@pytest.mark.parametrize("span", [(1e-6, 1.0), (0.4, 1.0)])
def test_log_axes_label_only_decades_or_whole_numbers(span):
    """Wide spans: one label per decade (minor ticks unlabelled); narrow: full numbers."""
    fig = go.Figure(go.Scatter(x=[0, 1], y=list(span)))
    log_axis(fig)
    axis = fig.layout.yaxis
    assert axis.type == "log"
    if span[1] / span[0] >= 10:
        assert axis.dtick == 1 and axis.minor.dtick == "D1" and not axis.minor.showgrid
    else:
        assert axis.tickformat == ".2~g" and axis.dtick is None


@pytest.mark.parametrize(
    ("lo", "step"), [(1e-8, 1), (1e-9, 2), (1e-18, 3), (1e-40, 5), (1e-300, 50)]
)
def test_wide_log_axes_label_every_few_decades_not_each_one(lo, step):
    """An RNN's gradient falls 18 decades in 80 steps: eighteen stacked labels overlap on a
    chart a few hundred pixels high, so the labels step over decades (one minor tick each)."""
    fig = go.Figure(go.Scatter(x=[0, 1], y=[1.0, lo]))
    log_axis(fig)
    axis = fig.layout.yaxis
    assert axis.dtick == step and axis.exponentformat == "power"
    assert np.log10(1.0 / lo) / step <= DECADE_LABELS
    assert axis.minor.dtick == ("D1" if step == 1 else 1)


def test_a_log_axis_over_values_that_underflow_to_zero_labels_decades():
    fig = go.Figure(go.Scatter(x=[0, 1], y=[1.0, 1e-300]))
    log_axis(fig, span=(0.0, 1.0))
    assert fig.layout.yaxis.dtick == 1
