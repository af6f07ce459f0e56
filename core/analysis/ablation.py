"""Gate ablations in one trained run: how a GRU without one of its gates did against the full
GRU trained on the same batches. Which model ablates which gate of which model is the cells'
own knowledge (`ablation_of`, a function from a model name to (full model, removed gate) or
None), so this module never names a cell.

    outcome: final and best validation accuracy, first step at or above `target`
    comparison: accuracy gap (full - ablated, in points of accuracy) and the ratio of steps
                to reach the target (None when either never reached it)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core.train.results import ModelResult, TrainResult

TARGET = 0.9                  # accuracy a model must reach to count as having learnt the task


@dataclass
class Outcome:
    """How one model of a run learnt."""

    model: str                    # model name in the run
    final_accuracy: float         # last validation accuracy
    best_accuracy: float          # best validation accuracy over the run
    steps_to_target: int | None   # first evaluated step with accuracy >= target; None: never

    def to_dict(self) -> dict:
        return {"model": self.model, "final_accuracy": self.final_accuracy,
                "best_accuracy": self.best_accuracy, "steps_to_target": self.steps_to_target}


@dataclass
class GateAblation:
    """An ablated model against its full model, both from the same run (same batches)."""

    gate: str                     # key of the removed gate (e.g. "r")
    full: Outcome                 # the model with every gate
    ablated: Outcome              # the model without `gate`

    @property
    def accuracy_gap(self) -> float:
        """Final accuracy of the full model minus the ablated one (fraction, not percent)."""
        return self.full.final_accuracy - self.ablated.final_accuracy

    @property
    def slowdown(self) -> float | None:
        """Steps to target, ablated / full; None unless both reached it."""
        a, f = self.ablated.steps_to_target, self.full.steps_to_target
        return None if a is None or f is None else a / f

    def to_dict(self) -> dict:
        return {"gate": self.gate, "full": self.full.to_dict(), "ablated": self.ablated.to_dict(),
                "accuracy_gap": self.accuracy_gap, "slowdown": self.slowdown}


@dataclass
class AblationReport:
    """Every ablation in a run whose full model trained alongside it."""

    target: float                         # accuracy counted as learnt
    chance: float                         # the task's input-ignoring accuracy
    outcomes: dict[str, Outcome]          # every model of the run
    ablations: list[GateAblation]         # in the run's model order

    def to_dict(self) -> dict:
        return {"target": self.target, "chance": self.chance,
                "outcomes": {m: o.to_dict() for m, o in self.outcomes.items()},
                "ablations": [a.to_dict() for a in self.ablations]}


def outcome(model: ModelResult, target: float = TARGET) -> Outcome:
    """Final, best and first-at-target accuracy of one model's validation history."""
    h = model.history
    acc = np.asarray(h.val_accuracy, dtype=float)
    if acc.size == 0:
        return Outcome(model.name, float("nan"), float("nan"), None)
    hit = np.flatnonzero(acc >= target)
    return Outcome(model=model.name, final_accuracy=float(acc[-1]),
                   best_accuracy=float(np.nanmax(acc)),
                   steps_to_target=int(h.step[hit[0]]) if hit.size else None)


def ablation_report(result: TrainResult, ablation_of: Callable[[str], tuple[str, str] | None],
                    target: float = TARGET) -> AblationReport:
    """Outcomes of every model and each (full, ablated) pair present in the run."""
    outcomes = {name: outcome(m, target) for name, m in result.models.items()}
    pairs = []
    for name in result.models:
        spec = ablation_of(name)
        if spec is not None and spec[0] in outcomes:
            pairs.append(GateAblation(gate=spec[1], full=outcomes[spec[0]],
                                      ablated=outcomes[name]))
    return AblationReport(target=target, chance=float(result.baseline.accuracy),
                          outcomes=outcomes, ablations=pairs)
