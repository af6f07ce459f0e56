"""Task generators: structure, determinism per seed, and the stated chance levels (empirically)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from core.tasks import TASKS as SPECS
from core.tasks import accuracy, get_task, order_positions, task_for, task_names
from core.train.config import RunConfig

TASKS = list(task_names())


def sample(name, length=20, n=64, seed=0, symbols=8, dtype="float32"):
    task = get_task(name, length, symbols)
    return task, task.sample(np.random.default_rng(seed), n, dtype)


def marginal_loss(name, length, n=20000):
    """Cross-entropy on fresh data of a predictor that knows only the per-step marginal
    class frequencies (estimated on another sample): the input-ignoring baseline."""
    task, fit = sample(name, length, n, seed=1)
    _, test = sample(name, length, n, seed=2)
    C = task.output_size
    counts = np.stack([(fit.targets == c).sum(axis=1) for c in range(C)], axis=-1)  # (S, C)
    p = (counts + 1e-9) / (counts + 1e-9).sum(axis=-1, keepdims=True)  # (S, C)
    picked = np.take_along_axis(p[:, None, :].repeat(n, 1), test.targets[..., None], axis=-1)
    most_likely = np.broadcast_to(np.log(p)[:, None, :], (*test.targets.shape, C))
    return task, float(-np.log(picked).mean()), accuracy(test, most_likely)


@pytest.mark.parametrize("name", TASKS)
def test_same_seed_same_batch_other_seed_other_batch(name):
    _, a = sample(name, seed=3)
    _, b = sample(name, seed=3)
    _, c = sample(name, seed=4)
    np.testing.assert_array_equal(a.xs, b.xs)
    np.testing.assert_array_equal(a.targets, b.targets)
    assert not np.array_equal(a.xs, c.xs)


@pytest.mark.parametrize("name", TASKS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_shapes_and_dtype(name, dtype):
    task, batch = sample(name, length=12, n=5, dtype=dtype)
    T = 12 + 20 if name == "copy" else 12
    assert batch.xs.shape == (T, 5, task.input_size)
    assert batch.xs.dtype == np.dtype(dtype)
    S = len(batch.steps)
    assert batch.scored.shape == (S,) and batch.scored.any()
    assert batch.targets.shape[:2] == (S, 5)
    assert batch.kind == task.kind
    assert batch.steps.max() == T - 1


def test_recall_cue_is_the_target_and_chance_is_ln_k():
    task, batch = sample("recall", length=30, n=200, symbols=5)
    assert batch.xs.sum(axis=-1).min() == 1.0  # one-hot at every step
    cue = batch.xs[0]  # (B, K)
    assert accuracy(batch, cue[None]) == 1.0  # reading the cue solves it
    assert task.baseline.loss == pytest.approx(math.log(5))
    assert task.baseline.accuracy == pytest.approx(0.2)
    task, loss, acc = marginal_loss("recall", 30)
    assert loss == pytest.approx(math.log(8), abs=0.01)
    assert acc == pytest.approx(1 / 8, abs=0.01)


def test_adding_markers_and_constant_predictor_baseline():
    task, batch = sample("adding", length=21, n=20000)
    values, marks = batch.xs[..., 0].astype(np.float64), batch.xs[..., 1]
    half = 21 // 2
    assert (marks[:half].sum(axis=0) == 1).all() and (marks[half:].sum(axis=0) == 1).all()
    np.testing.assert_allclose(batch.targets[0, :, 0], (values * marks).sum(axis=0), rtol=1e-6)
    assert values.min() >= 0 and values.max() <= 1
    assert accuracy(batch, batch.targets) == 1.0
    _, fit = sample("adding", length=21, n=20000, seed=9)
    constant = np.full_like(batch.targets, fit.targets.mean())  # marginal mean
    assert np.mean((constant - batch.targets) ** 2) == pytest.approx(1 / 6, abs=0.006)
    assert task.baseline.loss == pytest.approx(1 / 6)
    assert accuracy(batch, constant) == pytest.approx(task.baseline.accuracy, abs=0.008)
    assert task.baseline.accuracy == pytest.approx(0.0784)


def test_copy_layout_and_memoryless_baseline():
    task, batch = sample("copy", length=15, n=50)
    ids = batch.xs.argmax(axis=-1)  # (T+20, B)
    assert ((ids[:10] >= 1) & (ids[:10] <= 8)).all()
    assert (ids[10:24] == 0).all() and (ids[24] == 9).all() and (ids[25:] == 0).all()
    assert (batch.targets[:25] == 0).all()
    np.testing.assert_array_equal(batch.targets[-10:], ids[:10])
    assert batch.scored.sum() == 10 and batch.scored[-10:].all()
    task, loss, acc = marginal_loss("copy", 15)
    assert task.baseline.loss == pytest.approx(10 * math.log(8) / 35)
    assert loss == pytest.approx(task.baseline.loss, abs=0.005)
    assert acc == pytest.approx(1 / 8, abs=0.01)


def test_order_relevant_symbols_decide_the_class():
    task, batch = sample("order", length=40, n=500)
    ids = batch.xs.argmax(axis=-1)  # (T, B)
    assert (ids[0] == 6).all() and (ids[-1] == 7).all()
    (lo1, hi1), (lo2, hi2) = order_positions(40)
    assert (lo1, hi1, lo2, hi2) == (4, 8, 20, 24)
    for b in range(50):
        where = np.flatnonzero((ids[:, b] == 4) | (ids[:, b] == 5))
        assert len(where) == 2
        t1, t2 = where
        assert lo1 <= t1 <= hi1 and lo2 <= t2 <= hi2
        assert batch.targets[0, b] == 2 * (ids[t1, b] - 4) + (ids[t2, b] - 4)
    task, loss, acc = marginal_loss("order", 40)
    assert task.baseline.loss == pytest.approx(math.log(4))
    assert loss == pytest.approx(math.log(4), abs=0.01)
    assert acc == pytest.approx(0.25, abs=0.015)


@pytest.mark.parametrize("T", [4, 5, 40])
def test_keyed_recall_answer_is_the_symbol_stored_under_the_queried_key(T):
    task, batch = sample("keyed", length=T, n=500)
    xs = batch.xs  # (T, B, 12)
    names = SPECS["keyed"].token_names
    A, B, ask_a, ask_b = (names.index(k) for k in ("A", "B", "?A", "?B"))
    symbols = xs[:-1, :, :8]  # one symbol per step but the last
    assert symbols.sum(axis=-1).min() == symbols.sum(axis=-1).max() == 1.0
    assert xs[-1].sum(axis=-1).min() == xs[-1].sum(axis=-1).max() == 1.0  # the query alone
    for j in range(batch.size):
        t_a, t_b = np.flatnonzero(xs[:, j, A]), np.flatnonzero(xs[:, j, B])
        assert len(t_a) == len(t_b) == 1 and t_a[0] != t_b[0]
        assert max(t_a[0], t_b[0]) < T // 2
        query = xs[-1, j].argmax()
        assert query in (ask_a, ask_b) and xs[:-1, j, ask_a:].sum() == 0
        asked = t_a[0] if query == ask_a else t_b[0]
        assert batch.targets[0, j] == symbols[asked, j].argmax()
    assert {int(q) for q in xs[-1].argmax(axis=-1)} == {ask_a, ask_b}  # both keys asked for
    assert task.baseline.loss == pytest.approx(math.log(8))
    task, loss, acc = marginal_loss("keyed", T)
    assert loss == pytest.approx(math.log(8), abs=0.01)
    assert acc == pytest.approx(1 / 8, abs=0.01)


@pytest.mark.parametrize("T", range(4, 30))
def test_order_positions_fit_inside_the_sequence(T):
    (lo1, hi1), (lo2, hi2) = order_positions(T)
    assert 1 <= lo1 <= hi1 < lo2 <= hi2 <= T - 2


def test_bad_task_or_length_is_refused():
    with pytest.raises(ValueError, match="unknown task"):
        get_task("parity", 10)
    with pytest.raises(ValueError, match="length >= 4"):
        get_task("order", 3)
    with pytest.raises(ValueError, match="length >= 2"):
        get_task("adding", 1)


def test_task_for_config():
    task = task_for(RunConfig(task="recall", length=17, symbols=6))
    assert (task.name, task.length, task.input_size, task.output_size) == ("recall", 17, 6, 6)


@pytest.mark.parametrize("name", TASKS)
def test_every_task_spec_gives_the_pages_what_they_show(name):
    spec = SPECS[name]
    task = get_task(name, max(spec.min_length, 12), 5)
    assert spec.label and spec.description and spec.baseline_name
    phrase = spec.baseline_phrase.format(K=5, loss=task.baseline.loss)
    assert "{" not in phrase
    xs = task.sample(np.random.default_rng(0), 2, "float64").xs
    labels = spec.token_labels(xs[:, 0])
    assert len(labels) == xs.shape[0] and all(isinstance(t, str) and t for t in labels)
    assert spec.solved(spec.success_accuracy) and not spec.solved(spec.success_accuracy - 0.01)
    with pytest.raises(ValueError, match="needs length"):
        get_task(name, spec.min_length - 1)


def test_a_config_names_only_registered_tasks():
    with pytest.raises(ValueError, match="task must be one of recall, .*; got .bogus."):
        RunConfig(task="bogus")
