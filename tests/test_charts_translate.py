"""Translate page figures, built from small core results without Streamlit."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.cells import get_cell
from core.translate.analysis import SourceGradient
from core.translate.train import Checkpoint, TrainHistory
from dashboard.views.translate import charts as charts


def _history(scale: float) -> TrainHistory:
    cps = [Checkpoint(s, s / 10, s * 0.5, 3.0 / s, 2.0 / s, scale * s) for s in (10, 20)]
    return TrainHistory(list(range(1, 21)), [scale * i for i in range(1, 21)], cps)


def test_curves_plot_each_models_history_in_its_cells_colour():
    hist = {"rnn": _history(1.0), "gru": _history(2.0)}
    loss = charts.loss_curves(hist)
    dev = {t.name: t for t in loss.data if t.name.endswith("dev")}
    assert list(dev["GRU dev"].y) == [c.dev_loss for c in hist["gru"].checkpoints]
    assert dev["GRU dev"].line.color == get_cell("gru").colour
    bleu = {t.name: t for t in charts.dev_bleu_curves(hist).data}
    assert list(bleu["RNN"].x) == [5.0, 10.0] and list(bleu["RNN"].y) == [10.0, 20.0]


def test_smoothed_is_a_running_mean():
    np.testing.assert_allclose(charts.smoothed([1, 3, 5, 7], window=2), [1, 2, 4, 6])


def test_source_gradient_chart_mean_and_one_sentence_on_a_log_axis():
    norms = np.array([[1e-3, 1e-2, 1e-1], [3e-3, 3e-2, 3e-1]])
    profile = SourceGradient("gru", 3, np.array([4, 9]), norms, [["a", "b", "c"]] * 2)
    mean = charts.source_gradient_chart({"gru": profile})
    assert mean.layout.yaxis.type == "log"
    np.testing.assert_allclose(mean.data[0].y, [2e-3, 2e-2, 2e-1])
    one = charts.source_gradient_chart({"gru": profile}, sentence=1)
    np.testing.assert_allclose(one.data[0].y, norms[1])


def test_bleu_by_length_chart_shows_sizes_and_intervals():
    table = pd.DataFrame(
        {
            "bucket": ["<7", "<7", ">=7", ">=7"],
            "bucket_index": [0, 0, 1, 1],
            "system": ["rnn", "gru"] * 2,
            "n_sent": [3, 3, 5, 5],
            "bleu": [10.0, 30.0, 5.0, 20.0],
            "ci_low": [8.0, 25, 4, 15],
            "ci_high": [12.0, 33, 7, 26],
        }
    )
    fig = charts.bleu_by_length_chart(table)
    gru = next(t for t in fig.data if t.name == "GRU")
    assert list(gru.x) == ["<7 (n=3)", ">=7 (n=5)"] and list(gru.y) == [30.0, 20.0]
    assert list(gru.error_y.array) == [3.0, 6.0] and list(gru.error_y.arrayminus) == [5.0, 5.0]


def test_attention_heatmap_rows_are_target_tokens_plus_end():
    fig = charts.attention_heatmap(np.full((3, 2), 0.5), ["x", "x"], ["a", "b"], "t")
    assert list(fig.data[0].y) == ["1. a", "2. b", "3. </s>"]
    assert list(fig.data[0].x) == ["1. x", "2. x"]


def test_attention_heatmap_labels_every_token_and_the_end_token_as_written():
    source = [f"w{i}" for i in range(14)] + ["<unk>"]
    fig = charts.attention_heatmap(np.full((4, 15), 1 / 15), source, ["a", "b", "c"], "t")
    x, y = fig.layout.xaxis, fig.layout.yaxis
    assert x.tickmode == "array" and list(x.tickvals) == [
        f"{i + 1}. {t}" for i, t in enumerate(source)
    ]
    assert list(x.ticktext)[-1] == "15. &lt;unk&gt;" and len(x.ticktext) == 15  # every token
    assert list(y.ticktext) == ["1. a", "2. b", "3. c", "4. &lt;/s&gt;"]  # shown as </s>
    assert x.tickangle == -45  # turned past ROTATE_AFTER tokens
