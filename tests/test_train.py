"""The training loop: determinism, identical batches, records, snapshots, progress, NaN stop."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from core.tasks import task_for
from core.train.config import RunConfig
from core.train.loop import build_params, checkpoint_steps, train

SMALL = RunConfig(
    length=6,
    symbols=4,
    hidden=5,
    steps=23,
    batch=4,
    val_size=16,
    eval_every=5,
    checkpoints=4,
    seed=3,
)

COLUMNS = (
    "step",
    "train_loss",
    "val_loss",
    "val_accuracy",
    "grad_norm",
    "clipped",
    "clipped_share",
)


def histories_equal(a, b, columns=COLUMNS):
    for col in columns:
        np.testing.assert_array_equal(getattr(a, col), getattr(b, col), err_msg=col)


@pytest.mark.parametrize("task", ["recall", "adding", "copy", "order"])
def test_same_config_and_seed_give_bit_identical_results(task):
    cfg = replace(SMALL, task=task, models=("rnn", "gru_reset_after"))
    first, second = train(cfg), train(cfg)
    for name in cfg.models:
        histories_equal(first.models[name].history, second.models[name].history)
        for k, p in first.models[name].params.items():
            np.testing.assert_array_equal(p, second.models[name].params[k])
    other = train(replace(cfg, seed=4))
    assert not np.array_equal(
        other.models["gru_reset_after"].history.train_loss,
        first.models["gru_reset_after"].history.train_loss,
    )


def test_each_model_sees_the_same_batches_whoever_trains_beside_it():
    both = train(SMALL)
    for name in ("rnn", "gru"):
        alone = train(replace(SMALL, models=(name,)))
        histories_equal(alone.models[name].history, both.models[name].history)


def test_rows_at_every_eval_step_and_the_last():
    run = train(SMALL)
    for m in run.models.values():
        h = m.history
        np.testing.assert_array_equal(h.step, [5, 10, 15, 20, 23])
        assert {len(getattr(h, c)) for c in (*COLUMNS, "seconds")} == {5}
        assert np.all(np.diff(h.seconds) >= 0) and h.seconds[-1] <= m.seconds
        assert h.val_accuracy.min() >= 0 and h.val_accuracy.max() <= 1
        assert np.isfinite(h.train_loss).all() and (h.grad_norm > 0).all()
    assert run.stopped is None and run.has_weights
    assert run.baseline == task_for(SMALL).baseline


def test_grad_norm_is_before_clipping_and_clipping_is_counted():
    run = train(replace(SMALL, clip=1e-4))
    h = run.models["gru"].history
    assert h.clipped.all() and (h.grad_norm > 1e-4).all()
    np.testing.assert_array_equal(h.clipped_share, 1.0)
    off = train(replace(SMALL, clip=0.0)).models["gru"].history
    assert not off.clipped.any() and (off.clipped_share == 0).all()


def test_snapshots_at_evenly_spaced_checkpoints_including_init_and_end():
    assert checkpoint_steps(400, 10) == [0, 44, 89, 133, 178, 222, 267, 311, 356, 400]
    assert checkpoint_steps(3, 10) == [0, 1, 2, 3]
    run = train(SMALL)
    task = task_for(SMALL)
    for name, m in run.models.items():
        assert [s.step for s in m.snapshots] == checkpoint_steps(23, 4) == [0, 8, 15, 23]
        init = build_params(SMALL, name, task)
        for k in init:
            np.testing.assert_array_equal(m.snapshots[0].params[k], init[k])
            np.testing.assert_array_equal(m.snapshots[-1].params[k], m.params[k])
            assert m.snapshots[-1].params[k] is not m.params[k]
        assert not np.array_equal(m.snapshots[1].params["W"], init["W"])


def test_progress_after_every_step_with_histories_so_far():
    seen = []
    train(SMALL, on_step=seen.append)
    assert [p.step for p in seen] == list(range(1, 24))
    assert all(p.steps == 23 for p in seen)
    assert [p.step for p in seen if p.evaluated] == [5, 10, 15, 20, 23]
    assert len(seen[7].histories["gru"].step) == 1 and len(seen[-1].histories["rnn"].step) == 5


def test_non_finite_loss_stops_with_advice_and_keeps_the_last_good_state():
    cfg = replace(SMALL, task="adding", optimizer="sgd", lr=1e6, clip=0.0, eval_every=2)
    run = train(cfg)
    assert run.stopped is not None
    assert "learning rate" in run.stopped and "clipping" in run.stopped
    for m in run.models.values():
        h = m.history
        assert len(h.step) >= 1 and h.step[-1] < cfg.steps
        assert np.isfinite(h.train_loss).all()
        assert all(np.isfinite(p).all() for p in m.params.values())
        assert m.snapshots[-1].step == h.step[-1]
        assert math.isfinite(m.final["val_loss"])


def test_float64_training_keeps_float64_parameters():
    run = train(replace(SMALL, dtype="float64", models=("gru",)))
    assert all(p.dtype == np.float64 for p in run.models["gru"].params.values())


def test_training_learns_a_short_recall_task():
    run = train(
        RunConfig(
            length=3,
            symbols=4,
            hidden=16,
            steps=150,
            batch=32,
            val_size=128,
            eval_every=50,
            models=("gru",),
            lr=0.03,
        )
    )
    assert run.models["gru"].final["val_accuracy"] > 0.9


@pytest.mark.slow
def test_default_experiment_separates_gru_from_rnn():
    run = train(RunConfig())
    chance = run.baseline.accuracy
    assert run.stopped is None
    assert run.models["gru"].final["val_accuracy"] >= 0.95
    assert run.models["rnn"].final["val_accuracy"] <= 2 * chance
