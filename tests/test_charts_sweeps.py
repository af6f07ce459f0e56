"""Sweep figure builders: the plotted values are the rates, Wilson bounds and runs given."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.sweep.results import success_rates
from core.sweep.stats import wilson_interval
from dashboard.views.sweeps.charts import (
    final_metric,
    steps_to_solve,
    success_curve,
    success_heatmaps,
)


def table() -> pd.DataFrame:
    rows = []
    for model in ("rnn", "gru"):
        for length in (10, 40):
            for hidden in (4, 8):
                for seed in range(3):
                    ok = model == "gru" or (length == 10 and seed < hidden // 4)
                    rows.append(
                        {
                            "model": model,
                            "length": length,
                            "hidden": hidden,
                            "seed": seed,
                            "status": "done",
                            "success": ok,
                            "steps_to_success": 100 + seed if ok else None,
                            "final_val_loss": 0.1 if ok else 2.0,
                            "task": "recall",
                        }
                    )
    return pd.DataFrame(rows)


def test_success_curve_plots_rates_with_wilson_bars():
    rates = success_rates(table(), x="length")
    fig = success_curve(rates, "length")
    rnn = next(t for t in fig.data if t.name == "RNN")
    k = [int(table().query("model == 'rnn' and length == @L")["success"].sum()) for L in (10, 40)]
    np.testing.assert_allclose(rnn.y, [kk / 6 for kk in k])
    lows, highs = zip(*(wilson_interval(kk, 6) for kk in k), strict=True)
    np.testing.assert_allclose(rnn.error_y.array, np.array(highs) - rnn.y)
    np.testing.assert_allclose(rnn.error_y.arrayminus, rnn.y - np.array(lows))


def test_steps_to_solve_holds_solved_runs_only():
    fig = steps_to_solve(table())
    gru = next(t for t in fig.data if t.name == "GRU")
    assert len(gru.y) == 12 and set(gru.y) == {100, 101, 102}


def test_final_metric_means_per_x():
    fig = final_metric(table(), "length")
    line = next(t for t in fig.data if t.name == "RNN")
    expected = table().query("model == 'rnn'").groupby("length")["final_val_loss"].mean()
    np.testing.assert_allclose(line.y, expected.values)


def test_heatmaps_one_per_model_with_rates():
    rates = success_rates(table(), x="length", by=("model", "hidden"))
    fig = success_heatmaps(rates, "length", "hidden")
    assert len(fig.data) == 2
    rnn = fig.data[[t.xaxis for t in fig.data].index("x")]  # registry order: rnn, gru
    np.testing.assert_allclose(np.array(rnn.z, dtype=float), [[1 / 3, 0], [2 / 3, 0]])
    assert list(rnn.x) == ["10", "40"] and list(rnn.y) == ["4", "8"]
