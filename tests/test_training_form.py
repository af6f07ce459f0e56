"""The training progress display redraws the live chart every few evaluations, not every step."""

from __future__ import annotations

from dataclasses import fields

import pytest

from core.train.config import RunConfig
from dashboard.views.train.form import config_from_form


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
    """One sentence ending with a full stop: a field's own value names the field and its
    limits (core.config); a check between fields is a capitalised plain sentence."""
    with pytest.raises(ValueError) as err:
        RunConfig(**{field: bad})
    message = str(err.value)
    others = [f.name for f in fields(RunConfig) if f.name != field]
    assert "RunConfig" not in message and not any(f"{name} " in message for name in others)
    assert ">=" not in message and "subset" not in message
    assert message.startswith(f"{field} must be ") or message[0].isupper()
    assert message.endswith(".") and message.count(". ") == 0
