"""The registry of tasks: the one place that lists them. Each task is one module ending with
`SPEC = TaskSpec(...)` (see core.tasks.spec); adding a task is that file plus a line
below."""

from __future__ import annotations

import numpy as np

from core.tasks import adding, copy, keyed, order, recall
from core.tasks.order import order_positions
from core.tasks.spec import SOLVED_WITHIN, Baseline, Batch, Task, TaskSpec, one_hot

__all__ = [
    "SOLVED_WITHIN",
    "TASKS",
    "Baseline",
    "Batch",
    "Task",
    "TaskSpec",
    "accuracy",
    "get_spec",
    "get_task",
    "one_hot",
    "order_positions",
    "task_for",
    "task_names",
]

TASKS: dict[str, TaskSpec] = {
    spec.name: spec
    for spec in (
        recall.SPEC,
        adding.SPEC,
        copy.SPEC,
        order.SPEC,
        keyed.SPEC,
    )
}


def task_names() -> tuple[str, ...]:
    """Every registered task, in display order."""
    return tuple(TASKS)


def get_spec(name: str) -> TaskSpec:
    if name not in TASKS:
        raise ValueError(f"unknown task {name!r}; expected one of {task_names()}")
    return TASKS[name]


def get_task(name: str, length: int, symbols: int = 8) -> Task:
    """The task `name` at sequence length T = `length` (K = `symbols` where the task has K)."""
    spec = get_spec(name)
    if length < spec.min_length:
        raise ValueError(f"task {name!r} needs length >= {spec.min_length}, got {length}")
    return spec.make(length, symbols)


def task_for(cfg) -> Task:
    """The task of a run configuration (anything with task, length and symbols: a RunConfig;
    typed loosely so the config may validate against this registry)."""
    return get_task(cfg.task, cfg.length, cfg.symbols)


def accuracy(batch: Batch, outputs: np.ndarray) -> float:
    """Share of scored answers that are right. outputs: (S, B, C) logits or predictions."""
    if batch.kind == "classify":
        hit = outputs.argmax(axis=-1) == batch.targets  # (S, B)
    else:
        hit = np.abs(outputs[..., 0] - batch.targets[..., 0]) < SOLVED_WITHIN  # (S, B)
    return float(hit[batch.scored].mean())
