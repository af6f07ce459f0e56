"""What a sweep is called where sweeps are listed or chosen: its task and what it varies,
e.g. "Delayed recall: RNN vs GRU × length 10-40, 3 seeds, 300 steps"; and the key it is
stored under."""

from __future__ import annotations

import hashlib
import json
import re

from core.cells import CELLS
from core.store.records import config_hash
from core.sweep.grid import Grid
from core.tasks import TASKS
from core.train.config import RunConfig


def sweep_title(grid: Grid) -> str:
    """Task (or tasks): models × every other swept field but the seed, then the seeds and the
    steps."""
    tasks = grid.axes.get("task", (grid.base.get("task", RunConfig.task),))
    models = " vs ".join(CELLS[m].label if m in CELLS else m for m in grid.models)
    swept = [
        f"{field} {_span(values)}"
        for field, values in grid.axes.items()
        if field not in ("seed", "task")
    ]
    seeds = len(grid.axes.get("seed", (grid.base.get("seed", RunConfig.seed),)))
    tail = [f"{seeds} seed{'s' if seeds > 1 else ''}"]
    if "steps" not in grid.axes:
        tail.append(f"{grid.base.get('steps', RunConfig.steps)} steps")
    label = " and ".join(TASKS[t].label if t in TASKS else t for t in tasks)
    return f"{label}: {' × '.join([models, *swept])}, {', '.join(tail)}"


def sweep_key(grid: Grid) -> str:
    """The name a sweep is stored under, never shown: 'recall-' + sha256 of its runs' sorted
    config hashes (8 hex digits). Same runs, same key, so a resubmitted grid resumes."""
    hashes = sorted(config_hash(c.to_dict()) for c in grid.configs())
    digest = hashlib.sha256(json.dumps(hashes).encode()).hexdigest()[:8]
    return f"{grid.base.get('task', 'sweep')}-{digest}"


def distinct_titles(grids: dict[str, Grid]) -> dict[str, str]:
    """name -> title; a title that two sweeps share gets (2), (3) ... from its second use on."""
    out, seen = {}, {}
    for name, grid in grids.items():
        title = sweep_title(grid)
        seen[title] = seen.get(title, 0) + 1
        out[name] = title if seen[title] == 1 else f"{title} ({seen[title]})"
    return out


def file_stem(title: str) -> str:
    """A title as a file name: 'delayed-recall-rnn-vs-gru-length-10-40-3-seeds-300-steps'."""
    return re.sub(r"[^a-z0-9.]+", "-", title.lower()).strip("-") or "sweep"


def _span(values: tuple) -> str:
    """10, 20, 40 -> '10-40'; two values or non-numbers are listed: '10/20'."""
    numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
    if numeric and len(values) > 2 and list(values) == sorted(values):
        return f"{values[0]:g}-{values[-1]:g}"
    return "/".join(f"{v:g}" if numeric else str(v) for v in values)
