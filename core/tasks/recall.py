"""recall  (delayed recall, default): K symbols one-hot (D = K). x_0 is the cue symbol, x_1 ..
x_{T-1} are T-1 random distractor symbols from the same alphabet. The model must output the
cue at the last step (S = 1, C = K classes).  Chance: loss ln K, accuracy 1/K.
"""

from __future__ import annotations

import math

import numpy as np

from core.tasks.spec import Baseline, Batch, Task, TaskSpec, last_step, one_hot


def make(length: int, symbols: int = 8) -> Task:
    if symbols < 2:
        raise ValueError(f"recall needs symbols >= 2, got {symbols}")
    return Task(
        "recall",
        length,
        "classify",
        symbols,
        symbols,
        Baseline(loss=math.log(symbols), accuracy=1.0 / symbols),
    )


def sample(task: Task, rng: np.random.Generator, n: int, dtype: np.dtype) -> Batch:
    K, T = task.input_size, task.length
    ids = rng.integers(0, K, size=(T, n))  # (T, B) cue at t=0, then distractors
    return last_step(task, one_hot(ids, K, dtype), ids[0])


SPEC = TaskSpec(
    name="recall",
    label="Delayed recall",
    min_length=1,
    make=make,
    sample=sample,
    description="Name the first symbol after T-1 distractors (chance 1/K).",
    baseline_name="chance",
    baseline_phrase="chance: loss ln {K} = {loss:.2f}, accuracy 1/{K}",
    uses_symbols=True,
    preset=(),
    preset_result="GRU about 100 %, RNN at chance (1/16)",
)
