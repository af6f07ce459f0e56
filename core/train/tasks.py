"""Long-range-dependency tasks: seeded batch generators with a known chance level.

Every task maps a sequence xs (T, B, D) to targets at a few answer steps. The loss applies at
`Batch.steps` (S time indices, the same for every sequence); accuracy is judged at the subset
`Batch.steps[Batch.scored]`. A task also states its `baseline`: the loss and accuracy of the
best predictor that ignores the inputs (it may know the step index and the targets' marginal
distribution), the level a model that has learnt nothing sits at.

- recall  (delayed recall, default): K symbols one-hot (D = K). x_0 is the cue symbol, x_1 ..
  x_{T-1} are T-1 random distractor symbols from the same alphabet. The model must output the
  cue at the last step (S = 1, C = K classes).  Chance: loss ln K, accuracy 1/K.
- adding  (Hochreiter & Schmidhuber 1997; one marker per half, as in later RNN benchmarks):
  D = 2 channels. Channel 0 holds values v_t ~ U[0, 1]; channel 1 is 1 at exactly two steps,
  one drawn uniformly from the first half [0, T//2), one from the second half [T//2, T), and 0
  elsewhere. The target at the last step is the sum of the two marked values (regression,
  C = 1, squared error). The constant prediction 1 has MSE Var(v_a + v_b) = 2/12 = 1/6. A
  sequence counts as solved if |y - target| < 0.04; the constant predictor solves
  P(|s - 1| < 0.04) = 1 - 0.96^2 of them (s has the triangular density on [0, 2]).
- copy    (copy memory, Arjovsky et al. 2016): 10 input classes: 0 blank, 1..8 symbols,
  9 delimiter (D = C = 10). A sequence has T + 20 steps: 10 symbols drawn uniformly from 1..8,
  then T - 1 blanks, the delimiter, and 10 blanks. The target is blank for the first T + 10
  steps and the 10 symbols, in order, at the last 10 steps. The loss is the mean cross-entropy
  over all T + 20 steps (S = T + 20); accuracy is the share of the 10 copied symbols predicted
  correctly. Memoryless baseline (blank for T + 10 steps, uniform over the 8 symbols after):
  loss 10 ln 8 / (T + 20), accuracy 1/8.
- order   (temporal order, Hochreiter & Schmidhuber 1997 task 6a, used by Pascanu et al.
  2013): 8 input symbols: a, b, c, d distractors, X, Y, start B, end E (D = 8). x_0 = B,
  x_{T-1} = E, two steps t1 ~ U[T/10, 2T/10] and t2 ~ U[5T/10, 6T/10] (kept inside 1..T-2,
  t1 < t2) hold X or Y, every other step a random distractor. The class at the last step is
  the pair (XX, XY, YX, YY) -> 0..3 (C = 4).  Chance: loss ln 4, accuracy 1/4.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.train.config import TASK_MIN_LENGTH as MIN_LENGTH
from core.train.config import RunConfig
from core.train.results import Baseline

SOLVED_WITHIN = 0.04          # adding: a sequence is solved if |prediction - target| < this
COPY_SYMBOLS = 10             # copy: how many symbols are to be copied


@dataclass
class Batch:
    xs: np.ndarray        # (T, B, D) inputs: one-hot symbols, or real values for adding
    steps: np.ndarray     # (S,) int: time steps at which the loss applies (same for every sequence)
    targets: np.ndarray   # classify: (S, B) int class ids; regress: (S, B, 1) real values
    scored: np.ndarray    # (S,) bool: which of `steps` count for accuracy
    kind: str             # "classify" (softmax cross-entropy) | "regress" (squared error)

    @property
    def size(self) -> int:
        return self.xs.shape[1]


@dataclass(frozen=True)
class Task:
    name: str             # recall | adding | copy | order
    length: int           # T as configured (copy sequences have T + 20 steps)
    kind: str             # "classify" | "regress"
    input_size: int       # D
    output_size: int      # C: classes, or 1 for regression
    baseline: Baseline    # the input-ignoring predictor's loss and accuracy

    def sample(self, rng: np.random.Generator, n: int, dtype: str = "float32") -> Batch:
        """n sequences drawn from rng (same rng state -> same batch)."""
        return _SAMPLERS[self.name](self, rng, n, np.dtype(dtype))


def get_task(name: str, length: int, symbols: int = 8) -> Task:
    """The task `name` at sequence length T = `length` (K = `symbols` for recall)."""
    if name not in MIN_LENGTH:
        raise ValueError(f"unknown task {name!r}; expected one of {tuple(MIN_LENGTH)}")
    if length < MIN_LENGTH[name]:
        raise ValueError(f"task {name!r} needs length >= {MIN_LENGTH[name]}, got {length}")
    if name == "recall":
        if symbols < 2:
            raise ValueError(f"recall needs symbols >= 2, got {symbols}")
        return Task(name, length, "classify", symbols, symbols,
                    Baseline(loss=math.log(symbols), accuracy=1.0 / symbols))
    if name == "adding":
        return Task(name, length, "regress", 2, 1,
                    Baseline(loss=1.0 / 6.0, accuracy=1.0 - (1.0 - SOLVED_WITHIN) ** 2))
    if name == "copy":
        return Task(name, length, "classify", 10, 10,
                    Baseline(loss=COPY_SYMBOLS * math.log(8) / (length + 2 * COPY_SYMBOLS),
                             accuracy=1.0 / 8))
    return Task(name, length, "classify", 8, 4, Baseline(loss=math.log(4), accuracy=0.25))


def task_for(cfg: RunConfig) -> Task:
    return get_task(cfg.task, cfg.length, cfg.symbols)


def accuracy(batch: Batch, outputs: np.ndarray) -> float:
    """Share of scored answers that are right. outputs: (S, B, C) logits or predictions."""
    if batch.kind == "classify":
        hit = outputs.argmax(axis=-1) == batch.targets                    # (S, B)
    else:
        hit = np.abs(outputs[..., 0] - batch.targets[..., 0]) < SOLVED_WITHIN  # (S, B)
    return float(hit[batch.scored].mean())


def one_hot(ids: np.ndarray, depth: int, dtype: np.dtype) -> np.ndarray:
    """ids (T, B) int -> (T, B, depth) with a 1 at each id."""
    return (ids[..., None] == np.arange(depth)).astype(dtype)


def _last_step(task: Task, xs: np.ndarray, targets: np.ndarray) -> Batch:
    T = xs.shape[0]
    return Batch(xs=xs, steps=np.array([T - 1]), targets=targets[None],
                 scored=np.array([True]), kind=task.kind)


def _recall(task: Task, rng: np.random.Generator, n: int, dtype: np.dtype) -> Batch:
    K, T = task.input_size, task.length
    ids = rng.integers(0, K, size=(T, n))                 # (T, B) cue at t=0, then distractors
    return _last_step(task, one_hot(ids, K, dtype), ids[0])


def _adding(task: Task, rng: np.random.Generator, n: int, dtype: np.dtype) -> Batch:
    T = task.length
    half = T // 2
    values = rng.random((T, n))                           # (T, B) v_t ~ U[0, 1)
    first = rng.integers(0, half, size=n)                 # (B,) marker in [0, T//2)
    second = rng.integers(half, T, size=n)                # (B,) marker in [T//2, T)
    cols = np.arange(n)
    marks = np.zeros((T, n))
    marks[first, cols] = 1.0
    marks[second, cols] = 1.0
    xs = np.stack([values, marks], axis=-1).astype(dtype)  # (T, B, 2)
    total = (values[first, cols] + values[second, cols])[:, None].astype(dtype)  # (B, 1)
    return _last_step(task, xs, total)


def _copy(task: Task, rng: np.random.Generator, n: int, dtype: np.dtype) -> Batch:
    T, m = task.length, COPY_SYMBOLS
    symbols = rng.integers(1, 9, size=(m, n))             # (10, B) from 1..8
    ids = np.zeros((T + 2 * m, n), dtype=np.int64)        # (T+20, B) blanks
    ids[:m] = symbols
    ids[m + T - 1] = 9                                    # delimiter after T-1 blanks
    targets = np.zeros_like(ids)                          # (T+20, B)
    targets[-m:] = symbols
    scored = np.zeros(T + 2 * m, dtype=bool)
    scored[-m:] = True
    return Batch(xs=one_hot(ids, 10, dtype), steps=np.arange(T + 2 * m), targets=targets,
                 scored=scored, kind=task.kind)


def order_positions(T: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """Inclusive ranges for the two relevant steps t1 and t2 of the temporal-order task."""
    lo1 = max(1, T // 10)
    hi1 = max(lo1, 2 * T // 10)
    lo2 = max(hi1 + 1, 5 * T // 10)
    hi2 = min(T - 2, max(lo2, 6 * T // 10))
    return (lo1, hi1), (lo2, hi2)


def _order(task: Task, rng: np.random.Generator, n: int, dtype: np.dtype) -> Batch:
    T = task.length
    (lo1, hi1), (lo2, hi2) = order_positions(T)
    ids = rng.integers(0, 4, size=(T, n))                 # (T, B) distractors a..d = 0..3
    ids[0], ids[-1] = 6, 7                                # start B, end E
    t1 = rng.integers(lo1, hi1 + 1, size=n)               # (B,)
    t2 = rng.integers(lo2, hi2 + 1, size=n)               # (B,)
    y1 = rng.integers(0, 2, size=n)                       # (B,) 0 = X, 1 = Y
    y2 = rng.integers(0, 2, size=n)
    cols = np.arange(n)
    ids[t1, cols] = 4 + y1                                # X = 4, Y = 5
    ids[t2, cols] = 4 + y2
    return _last_step(task, one_hot(ids, 8, dtype), 2 * y1 + y2)


_SAMPLERS = {"recall": _recall, "adding": _adding, "copy": _copy, "order": _order}
