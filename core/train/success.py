"""When a run has solved its task, by the task registry's criterion (TaskSpec.solved: validation
accuracy >= the task's success_accuracy): at the end of training, and the first step it held."""

from __future__ import annotations

import math

from core.tasks import get_spec
from core.train.results import History


def describe(task: str) -> str:
    """The criterion in words, e.g. 'val_accuracy >= 0.95'."""
    return f"val_accuracy >= {get_spec(task).success_accuracy:g}"


def succeeded(task: str, history: History) -> bool:
    """The last validation row meets the task's criterion (False without rows or for NaN)."""
    if not len(history.val_accuracy) or not math.isfinite(history.val_accuracy[-1]):
        return False
    return get_spec(task).solved(float(history.val_accuracy[-1]))


def steps_to_success(task: str, history: History) -> int | None:
    """The first evaluated step whose validation accuracy met the criterion, or None."""
    spec = get_spec(task)
    for step, acc in zip(history.step, history.val_accuracy, strict=True):
        if math.isfinite(acc) and spec.solved(float(acc)):
            return int(step)
    return None
