"""order   (temporal order, Hochreiter & Schmidhuber 1997 task 6a, used by Pascanu et al.
2013): 8 input symbols: a, b, c, d distractors, X, Y, start B, end E (D = 8). x_0 = B,
x_{T-1} = E, two steps t1 ~ U[T/10, 2T/10] and t2 ~ U[5T/10, 6T/10] (kept inside 1..T-2,
t1 < t2) hold X or Y, every other step a random distractor. The class at the last step is
the pair (XX, XY, YX, YY) -> 0..3 (C = 4).  Chance: loss ln 4, accuracy 1/4.
"""

from __future__ import annotations

import math

import numpy as np

from core.tasks.spec import Baseline, Batch, Task, TaskSpec, last_step, one_hot


def make(length: int, symbols: int = 8) -> Task:
    return Task("order", length, "classify", 8, 4, Baseline(loss=math.log(4), accuracy=0.25))


def order_positions(T: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """Inclusive ranges for the two relevant steps t1 and t2 of the temporal-order task."""
    lo1 = max(1, T // 10)
    hi1 = max(lo1, 2 * T // 10)
    lo2 = max(hi1 + 1, 5 * T // 10)
    hi2 = min(T - 2, max(lo2, 6 * T // 10))
    return (lo1, hi1), (lo2, hi2)


def sample(task: Task, rng: np.random.Generator, n: int, dtype: np.dtype) -> Batch:
    T = task.length
    (lo1, hi1), (lo2, hi2) = order_positions(T)
    ids = rng.integers(0, 4, size=(T, n))  # (T, B) distractors a..d = 0..3
    ids[0], ids[-1] = 6, 7  # start B, end E
    t1 = rng.integers(lo1, hi1 + 1, size=n)  # (B,)
    t2 = rng.integers(lo2, hi2 + 1, size=n)  # (B,)
    y1 = rng.integers(0, 2, size=n)  # (B,) 0 = X, 1 = Y
    y2 = rng.integers(0, 2, size=n)
    cols = np.arange(n)
    ids[t1, cols] = 4 + y1  # X = 4, Y = 5
    ids[t2, cols] = 4 + y2
    return last_step(task, one_hot(ids, 8, dtype), 2 * y1 + y2)


SPEC = TaskSpec(
    name="order",
    label="Temporal order",
    min_length=4,
    make=make,
    sample=sample,
    description="Classify the order of two marked symbols (4 classes).",
    baseline_name="chance",
    baseline_phrase="chance: loss ln 4 = {loss:.2f}, accuracy 25 %",
    token_names=("a", "b", "c", "d", "X", "Y", "B", "E"),
    preset=(("length", 60),),
    preset_result="GRU about 100 %, RNN at chance (25 %)",
)
