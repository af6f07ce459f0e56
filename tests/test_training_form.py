"""The training progress display redraws the live chart every few evaluations, not every step."""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pytest

from core.train.config import RunConfig
from core.train.loop import TrainProgress
from core.train.results import History
from dashboard.training_form import TrainingProgress, config_from_form


class _Slot:
    """Stands in for an st.empty() placeholder and records what was drawn into it."""

    def __init__(self):
        self.figures = []

    def plotly_chart(self, fig, key=None):
        self.figures.append((fig, key))

    def empty(self):
        self.figures.append(None)


def _histories(n: int) -> dict[str, History]:
    a = np.arange(1, n + 1, dtype=float)
    row = dict(
        step=a * 10,
        train_loss=1 / a,
        val_loss=1 / a,
        val_accuracy=a / n,
        grad_norm=a,
        clipped=np.zeros(n, bool),
        seconds=a,
    )
    return {"rnn": History(**row), "gru": History(**row)}


class _Bar:
    def __init__(self):
        self.texts = []

    def progress(self, value, text=""):
        self.texts.append(text)


def test_live_chart_is_redrawn_about_twenty_times_at_the_step_the_bar_shows():
    cfg = RunConfig(steps=400, eval_every=10)
    progress = TrainingProgress(cfg, "Training", live_chart=True)
    slot = progress.chart_slot = _Slot()
    bar = progress.bar = _Bar()
    for step in range(1, cfg.steps + 1):
        evaluated = step % cfg.eval_every == 0
        progress(TrainProgress(step, cfg.steps, _histories(step // 10), evaluated))
    drawn = [fig for fig, _ in slot.figures]
    assert len(drawn) == 20  # 40 evaluations, one redraw every 2
    assert bar.texts == [f"Training: step {f.layout.title.text.split()[3]} of 400" for f in drawn]
    assert len({key for _, key in slot.figures}) == len(drawn)  # unique element keys
    last = drawn[-1]
    assert "step 400 of 400" in last.layout.title.text
    assert len(last.data[0].x) == 40 and any("chance" in t.name for t in last.data)


def test_short_runs_redraw_at_every_evaluation():
    cfg = RunConfig(steps=20, eval_every=10)
    progress = TrainingProgress(cfg, "Training", live_chart=True)
    slot = progress.chart_slot = _Slot()
    for step in range(1, 21):
        progress(TrainProgress(step, 20, _histories(step // 10), step % 10 == 0))
    assert len(slot.figures) == 2


def test_form_values_override_the_base_and_bad_ones_raise_the_config_message():
    base = RunConfig()
    cfg = config_from_form(base, {"steps": 5, "models": ("gru",)})
    assert (cfg.steps, cfg.models, cfg.val_size) == (5, ("gru",), base.val_size)
    with pytest.raises(ValueError, match="^Choose at least one model.$"):
        config_from_form(base, {"models": ()})


@pytest.mark.parametrize(
    "field, bad",
    [
        ("task", "parity"),
        ("models", ()),
        ("models", ("rnn", "rnn")),
        ("models", ("tree",)),
        ("optimizer", "x"),
        ("lr_schedule", "x"),
        ("dtype", "x"),
        ("length", 0),
        ("symbols", 1),
        ("hidden", 0),
        ("steps", 0),
        ("batch", 0),
        ("lr", 0.0),
        ("clip", -1.0),
        ("init_scale", 0.0),
        ("val_size", 0),
        ("eval_every", 0),
        ("checkpoints", 0),
    ],
)
def test_every_validation_message_is_a_plain_sentence(field, bad):
    """No class or field names, one capitalised sentence ending with a full stop."""
    with pytest.raises(ValueError) as err:
        RunConfig(**{field: bad})
    message = str(err.value)
    identifiers = [f.name for f in fields(RunConfig) if "_" in f.name]
    assert "RunConfig" not in message and not any(name in message for name in identifiers)
    assert ">=" not in message and "subset" not in message
    assert message[0].isupper() and message.endswith(".") and message.count(". ") == 0
