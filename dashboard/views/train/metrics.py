"""The Train page's metric rows: per model, the final validation loss and accuracy against the
task's baseline (grey "at chance" within its noise margin) and the training time."""

from __future__ import annotations

import math

import streamlit as st

from core.tasks import TASKS
from core.train.results import TrainResult
from core.train.verdict import verdicts
from dashboard.shared.style import model_label, ordered


def readable(x: float) -> str:
    """A loss as a person reads it: 0.693, 0.0213, 2.1e-4 (never a flat 0.000 for a tiny one)."""
    if x == 0 or abs(x) >= 0.1:
        return f"{x:.3f}"
    if abs(x) >= 0.001:
        return f"{x:.3g}"
    mantissa, exponent = f"{x:.1e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def model_metrics(run: TrainResult) -> None:
    """Per model: final validation loss and accuracy against the baseline, and time. A
    difference inside the baseline's noise margin is grey and reads "at chance"."""
    chance, verdict = run.baseline, verdicts(run)
    baseline_name = TASKS[run.config.task].baseline_name
    for name in ordered(run.models):  # one row per model: wide enough at 1024 px
        model, v = run.models[name], verdict[name]
        loss, acc = model.final["val_loss"], model.final["val_accuracy"]
        label = model_label(name)
        with st.container(border=True):
            a, b, c = st.columns(3)
            if not math.isfinite(loss):
                a.metric(f"{label} loss", "n/a", help="Final validation loss.")
            elif v.loss_at_baseline:
                a.metric(
                    f"{label} loss",
                    readable(loss),
                    "at baseline",
                    delta_color="off",
                    delta_arrow="off",
                    help=f"Final validation loss; baseline {chance.loss:.3f}.",
                )
            else:
                a.metric(
                    f"{label} loss",
                    readable(loss),
                    f"{loss - chance.loss:+.3f}",
                    delta_color="inverse",
                    help=f"Final validation loss; the delta is "
                    f"against the baseline {chance.loss:.3f}.",
                )
            if not math.isfinite(acc):
                b.metric(f"{label} accuracy", "n/a", help="Final validation accuracy.")
            elif v.at_baseline:
                b.metric(
                    f"{label} accuracy",
                    f"{acc:.1%}",
                    f"at {baseline_name}",
                    delta_color="off",
                    delta_arrow="off",
                    help=f"Final validation accuracy, within ±{v.margin:.1%} (two standard "
                    f"errors) of the baseline {chance.accuracy:.1%}: no "
                    "meaningful difference.",
                )
            else:
                b.metric(
                    f"{label} accuracy",
                    f"{acc:.1%}",
                    f"{100 * v.accuracy_gain:+.1f} pts",
                    help=f"Final validation accuracy; the delta is against the baseline "
                    f"{chance.accuracy:.1%} (noise margin ±{v.margin:.1%}).",
                )
            c.metric(f"{label} time", f"{model.seconds:.1f} s", help="Training wall time.")
