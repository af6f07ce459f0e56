"""Gate ablations in one trained run: how a cell without one of its gates did against the full
cell trained on the same batches. Which cell ablates which gate of which cell is the cells' own
knowledge (`Cell.ablates`), so this module never names a cell.

    outcome:    final and best validation accuracy, first evaluated step at or above the
                task's success accuracy (its spec's criterion)
    comparison: accuracy gap (full - ablated) and the ratio of steps to reach the target
                (None unless both reached it)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.cells import CELLS
from core.tasks import get_spec
from core.train.results import ModelResult, TrainResult


@dataclass
class Outcome:
    """How one model of a run learnt."""

    model: str  # model name in the run
    final_accuracy: float  # last validation accuracy
    best_accuracy: float  # best validation accuracy over the run
    steps_to_target: int | None  # first evaluated step with accuracy >= target; None: never

    def to_dict(self) -> dict:
        return {
            "model": self.model,
            "final_accuracy": self.final_accuracy,
            "best_accuracy": self.best_accuracy,
            "steps_to_target": self.steps_to_target,
        }


@dataclass
class GateAblation:
    """An ablated model against its full model, both from the same run (same batches)."""

    gate: str  # key of the removed gate (e.g. "r")
    gate_name: str  # its name in the full cell (e.g. "reset gate")
    full: Outcome  # the model with every gate
    ablated: Outcome  # the model without `gate`

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
        return {
            "gate": self.gate,
            "gate_name": self.gate_name,
            "full": self.full.to_dict(),
            "ablated": self.ablated.to_dict(),
            "accuracy_gap": self.accuracy_gap,
            "slowdown": self.slowdown,
        }


@dataclass
class AblationReport:
    """Every ablation in a run whose full model trained alongside it."""

    target: float  # accuracy counted as learnt
    chance: float  # the task's input-ignoring accuracy
    outcomes: dict[str, Outcome]  # every model of the run
    ablations: list[GateAblation]  # in the run's model order

    def to_dict(self) -> dict:
        return {
            "target": self.target,
            "chance": self.chance,
            "outcomes": {m: o.to_dict() for m, o in self.outcomes.items()},
            "ablations": [a.to_dict() for a in self.ablations],
        }


def outcome(model: ModelResult, target: float) -> Outcome:
    """Final, best and first-at-target accuracy of one model's validation history."""
    h = model.history
    acc = np.asarray(h.val_accuracy, dtype=float)
    if acc.size == 0:
        return Outcome(model.name, float("nan"), float("nan"), None)
    hit = np.flatnonzero(acc >= target)
    return Outcome(
        model=model.name,
        final_accuracy=float(acc[-1]),
        best_accuracy=float(np.nanmax(acc)),
        steps_to_target=int(h.step[hit[0]]) if hit.size else None,
    )


def ablation_report(result: TrainResult, target: float | None = None) -> AblationReport:
    """Outcomes of every model of the run and each (full, ablated) pair it holds; target
    defaults to the task's success accuracy."""
    if target is None:
        target = get_spec(result.config.task).success_accuracy
    outcomes = {name: outcome(m, target) for name, m in result.models.items()}
    pairs = []
    for name in result.models:
        spec = CELLS[name].ablates if name in CELLS else None
        if spec is not None and spec[0] in outcomes:
            full, gate = spec
            gate_name = next((g.name for g in CELLS[full].gates if g.key == gate), gate)
            pairs.append(
                GateAblation(
                    gate=gate, gate_name=gate_name, full=outcomes[full], ablated=outcomes[name]
                )
            )
    return AblationReport(
        target=target, chance=float(result.baseline.accuracy), outcomes=outcomes, ablations=pairs
    )
