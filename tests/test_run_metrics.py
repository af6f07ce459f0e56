"""The Train page's metric rows show a tiny final loss readably (2.1e-4, not a flat 0.000)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _metric_values(val_loss: float) -> dict[str, str]:
    def page(val_loss: float) -> None:
        from dataclasses import replace

        import numpy as np

        from dashboard.views.train.metrics import model_metrics
        from tests.fake_runs import tiny_run

        run = tiny_run(models=("gru",))
        model = run.models["gru"]
        history = replace(model.history, val_loss=np.array([val_loss]))
        run.models["gru"] = replace(model, history=history)
        model_metrics(run)

    at = AppTest.from_function(page, args=(val_loss,)).run()
    assert not at.exception
    return {m.label: m.value for m in at.metric}


def test_a_tiny_loss_is_shown_with_its_digits():
    assert _metric_values(2.1e-4)["GRU loss"] == "2.1e-4"
    assert _metric_values(0.0213)["GRU loss"] == "0.0213"
    assert _metric_values(0.6931)["GRU loss"] == "0.693"
