"""keyed   (keyed recall): 8 symbols 0..7, two keys A and B, two queries ?A and ?B (D = 12,
  one-hot). Every step holds a random symbol, except: key A at step t_A and key B at t_B (two
  distinct even steps in the first half), each followed by the symbol stored under it, and a
  query ?A or ?B at the last step. The model must output the symbol stored under the queried
  key (S = 1, C = 8).  Chance: loss ln 8, accuracy 1/8.

  Both symbols must be kept; which one to read depends on the query seen only at the end. In
  the note's read/write terms, the answer needs a read that depends on the input, the reset
  gate's job: bench/gate_ablation.py measures how a GRU without it does.
"""

from __future__ import annotations

import math

import numpy as np

from core.train.tasks.spec import Baseline, Batch, Task, TaskSpec, last_step, one_hot

SYMBOLS = 8
KEY_A, KEY_B, ASK_A, ASK_B = SYMBOLS, SYMBOLS + 1, SYMBOLS + 2, SYMBOLS + 3


def make(length: int, symbols: int = SYMBOLS) -> Task:
    return Task("keyed", length, "classify", SYMBOLS + 4, SYMBOLS,
                Baseline(loss=math.log(SYMBOLS), accuracy=1.0 / SYMBOLS))


def key_steps(rng: np.random.Generator, T: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """t_A, t_B (n,) each: distinct even steps below T // 2 - 1, so each key and its symbol
    (the step after) stay apart from the other pair."""
    slots = (T // 2) // 2                                  # >= 2 for T >= 8
    a = rng.integers(0, slots, size=n)                     # (B,)
    b = rng.integers(0, slots - 1, size=n)                 # (B,)
    b += b >= a                                            # distinct from a, still uniform
    return 2 * a, 2 * b


def sample(task: Task, rng: np.random.Generator, n: int, dtype: np.dtype) -> Batch:
    T = task.length
    ids = rng.integers(0, SYMBOLS, size=(T, n))            # (T, B) random symbols
    t_a, t_b = key_steps(rng, T, n)
    ask_b = rng.integers(0, 2, size=n).astype(bool)        # (B,) which key is asked for
    cols = np.arange(n)
    stored_a, stored_b = ids[t_a + 1, cols], ids[t_b + 1, cols]   # (B,) each
    ids[t_a, cols] = KEY_A
    ids[t_b, cols] = KEY_B
    ids[T - 1] = np.where(ask_b, ASK_B, ASK_A)
    return last_step(task, one_hot(ids, SYMBOLS + 4, dtype), np.where(ask_b, stored_b, stored_a))


SPEC = TaskSpec(
    name="keyed", label="Keyed recall", min_length=8, make=make, sample=sample,
    description="Two symbols are stored under keys A and B; at the end ?A or ?B asks for one "
                "of them (chance 1/8).",
    baseline_name="chance", baseline_phrase="chance: loss ln 8 = {loss:.2f}, accuracy 1/8",
    token_names=(*(str(k) for k in range(SYMBOLS)), "A", "B", "?A", "?B"),
)
