"""One preset per task: settings that show the task's story (the GRU learns, the vanilla RNN
stays at the baseline) in about 30 s for both models on a quiet 2-core machine.

Found by measuring, and checked by bench/task_presets.py (seeds 0..2): the GRU reaches
GRU_TARGET validation accuracy, the RNN ends at the baseline (core.train.verdict).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from core.train.config import RunConfig

GRU_TARGET = 0.9     # the GRU's final validation accuracy reaches at least this


@dataclass(frozen=True)
class Preset:
    task: str                                          # the task it is for
    title: str                                         # what the button says
    changes: dict = field(default_factory=dict, hash=False)  # fields set over the default
    claim: str = ""                                    # the measured result, in words

    def config(self, base: RunConfig | None = None) -> RunConfig:
        """The preset's RunConfig: the default experiment with the task and changes set."""
        return replace(base or RunConfig(), task=self.task, **self.changes)


PRESETS = {p.task: p for p in (
    Preset("recall", "Delayed recall, T = 80", {},
           "GRU about 100 %, RNN at chance (1/16)"),
    Preset("adding", "Adding problem, T = 100", {"length": 100},
           "GRU about 97 % solved, RNN no better than the constant prediction (8 %)"),
    Preset("order", "Temporal order, T = 60", {"length": 60},
           "GRU about 100 %, RNN at chance (25 %)"),
    Preset("copy", "Copy memory, T = 20",
           {"length": 20, "hidden": 64, "steps": 2500, "chrono": True},
           "GRU about 95 % of symbols, RNN no better than the memoryless baseline (1/8)"),
)}
