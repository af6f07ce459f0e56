"""What a task is: a seeded batch generator with a known baseline, and its spec (one per task,
listed by the registry in core.tasks).

Every task maps a sequence xs (T, B, D) to targets at a few answer steps. The loss applies at
`Batch.steps` (S time indices, the same for every sequence); accuracy is judged at the subset
`Batch.steps[Batch.scored]`. A task also states its `baseline`: the loss and accuracy of the
best predictor that ignores the inputs (it may know the step index and the targets' marginal
distribution), the level a model that has learnt nothing sits at.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

SOLVED_WITHIN = 0.04  # regression: a sequence is solved if |prediction - target| < this


@dataclass
class Baseline:
    loss: float  # loss of the best input-ignoring predictor (chance)
    accuracy: float  # success rate of that predictor


@dataclass
class Batch:
    xs: np.ndarray  # (T, B, D) inputs: one-hot symbols, or real values for adding
    steps: np.ndarray  # (S,) int: time steps at which the loss applies (same for every sequence)
    targets: np.ndarray  # classify: (S, B) int class ids; regress: (S, B, 1) real values
    scored: np.ndarray  # (S,) bool: which of `steps` count for accuracy
    kind: str  # "classify" (softmax cross-entropy) | "regress" (squared error)

    @property
    def size(self) -> int:
        return self.xs.shape[1]


@dataclass(frozen=True)
class Task:
    name: str  # the spec's name
    length: int  # T as configured (copy sequences have T + 20 steps)
    kind: str  # "classify" | "regress"
    input_size: int  # D
    output_size: int  # C: classes, or 1 for regression
    baseline: Baseline  # the input-ignoring predictor's loss and accuracy

    def sample(self, rng: np.random.Generator, n: int, dtype: str = "float32") -> Batch:
        """n sequences drawn from rng (same rng state -> same batch)."""
        from core.tasks import get_spec  # the registry lists the specs

        return get_spec(self.name).sample(self, rng, n, np.dtype(dtype))


@dataclass(frozen=True)
class TaskSpec:
    """Everything the library and the pages know about one task."""

    name: str  # registry key, e.g. "recall"
    label: str  # display name, e.g. "Delayed recall"
    description: str  # one or two sentences for the form's help
    min_length: int  # shortest valid T
    make: Callable  # (length, symbols) -> Task
    sample: Callable  # (task, rng, n, dtype) -> Batch
    baseline_name: str  # the input-ignoring predictor in legends, e.g. "chance"
    baseline_phrase: str  # it, spelled out; may use {K} and {loss}
    token_names: tuple[str, ...] | None = None  # input symbols by id (None: the id itself)
    success_accuracy: float = 0.95  # a run solves the task at this validation accuracy
    uses_symbols: bool = False  # the alphabet size K is a setting of this task
    # The task's preset: RunConfig fields over the default experiment that show its story
    # (the GRU learns, the vanilla RNN does not) in about 30 s, found by measuring and checked
    # by bench/task_presets.py; and that measured result in words.
    preset: tuple[tuple[str, object], ...] = ()
    preset_result: str = ""

    def solved(self, val_accuracy: float) -> bool:
        """The success criterion sweeps count: validation accuracy >= success_accuracy."""
        return bool(val_accuracy >= self.success_accuracy)

    def token_labels(self, xs_seq: np.ndarray) -> list[str]:
        """Readable input labels of one sequence. xs_seq: (T, D) one-hot."""
        ids = np.asarray(xs_seq).argmax(axis=1)
        return [self.token_names[i] if self.token_names else str(i) for i in ids]


def one_hot(ids: np.ndarray, depth: int, dtype: np.dtype) -> np.ndarray:
    """ids (T, B) int -> (T, B, depth) with a 1 at each id."""
    return (ids[..., None] == np.arange(depth)).astype(dtype)


def last_step(task: Task, xs: np.ndarray, targets: np.ndarray) -> Batch:
    """A batch whose one answer is at the last step."""
    T = xs.shape[0]
    return Batch(
        xs=xs,
        steps=np.array([T - 1]),
        targets=targets[None],
        scored=np.array([True]),
        kind=task.kind,
    )
