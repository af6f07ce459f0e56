"""Each task's preset as a RunConfig: the default experiment with the task and the settings its
spec lists (core.tasks, `preset`), which show the task's story in about 30 s: the GRU
learns, the vanilla RNN does not. bench/task_presets.py checks each against its stated result.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from core.tasks import TASKS
from core.train.config import RunConfig

GRU_TARGET = 0.9  # the GRU's final validation accuracy reaches at least this


@dataclass(frozen=True)
class Preset:
    task: str  # the task it is for
    title: str  # what the picker says, e.g. "Copy memory, T = 20"
    changes: tuple[tuple[str, object], ...]  # (field, value) over the default experiment
    claim: str  # the measured result, in words

    def config(self, base: RunConfig | None = None) -> RunConfig:
        """The preset's RunConfig: base (the default experiment) with the task and changes."""
        return replace(base or RunConfig(), task=self.task, **dict(self.changes))


def _preset(name: str) -> Preset:
    spec = TASKS[name]
    length = dict(spec.preset).get("length", RunConfig().length)
    return Preset(
        task=name,
        title=f"{spec.label}, T = {length}",
        changes=spec.preset,
        claim=spec.preset_result,
    )


PRESETS = {name: _preset(name) for name, spec in TASKS.items() if spec.preset_result}
