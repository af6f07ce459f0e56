"""adding  (Hochreiter & Schmidhuber 1997; one marker per half, as in later RNN benchmarks):
D = 2 channels. Channel 0 holds values v_t ~ U[0, 1]; channel 1 is 1 at exactly two steps,
one drawn uniformly from the first half [0, T//2), one from the second half [T//2, T), and 0
elsewhere. The target at the last step is the sum of the two marked values (regression,
C = 1, squared error). The constant prediction 1 has MSE Var(v_a + v_b) = 2/12 = 1/6. A
sequence counts as solved if |y - target| < 0.04; the constant predictor solves
P(|s - 1| < 0.04) = 1 - 0.96^2 of them (s has the triangular density on [0, 2]).
"""

from __future__ import annotations

import numpy as np

from core.tasks.spec import SOLVED_WITHIN, Baseline, Batch, Task, TaskSpec, last_step


def make(length: int, symbols: int = 8) -> Task:
    return Task(
        "adding",
        length,
        "regress",
        2,
        1,
        Baseline(loss=1.0 / 6.0, accuracy=1.0 - (1.0 - SOLVED_WITHIN) ** 2),
    )


def sample(task: Task, rng: np.random.Generator, n: int, dtype: np.dtype) -> Batch:
    T = task.length
    half = T // 2
    values = rng.random((T, n))  # (T, B) v_t ~ U[0, 1)
    first = rng.integers(0, half, size=n)  # (B,) marker in [0, T//2)
    second = rng.integers(half, T, size=n)  # (B,) marker in [T//2, T)
    cols = np.arange(n)
    marks = np.zeros((T, n))
    marks[first, cols] = 1.0
    marks[second, cols] = 1.0
    xs = np.stack([values, marks], axis=-1).astype(dtype)  # (T, B, 2)
    total = (values[first, cols] + values[second, cols])[:, None].astype(dtype)  # (B, 1)
    return last_step(task, xs, total)


class AddingSpec(TaskSpec):
    def token_labels(self, xs_seq: np.ndarray) -> list[str]:
        """The value at each step, starred at the two marked steps."""
        return [f"{v:.2f}*" if m > 0.5 else f"{v:.2f}" for v, m in np.asarray(xs_seq)]


SPEC = AddingSpec(
    name="adding",
    label="Adding problem",
    min_length=2,
    make=make,
    sample=sample,
    description="Sum the two marked values (solved if |error| < 0.04).",
    baseline_name="constant prediction",
    baseline_phrase="always answering 1, the mean sum: mean squared error 1/6",
    preset=(("length", 100),),
    preset_result="GRU about 97 % solved, RNN no better than the constant prediction (8 %)",
)
