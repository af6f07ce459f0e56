"""The Gates page's ablation paragraph: the numbers of core.analysis.ablation, put in words.
No maths here: every figure is a field of the AblationReport."""

from __future__ import annotations

from core.analysis.ablation import AblationReport, GateAblation, Outcome
from core.cells import CELLS, get_cell


def _reached(o: Outcome, target: float) -> str:
    if o.steps_to_target is None:
        return f"never reached {target:.0%}"
    return f"first reached {target:.0%} at step {o.steps_to_target:,}"


def _sentence(ab: GateAblation, target: float) -> str:
    full, cut = get_cell(ab.full.model), get_cell(ab.ablated.model)
    verdict = (
        f"so on this task that gate made a difference of {ab.accuracy_gap * 100:.0f} points"
        if abs(ab.accuracy_gap) >= 0.05
        else "so on this task the model managed without that gate"
    )
    return (
        f"Without its {ab.gate_name} ({ab.gate}), the **{cut.label}** ended at "
        f"{ab.ablated.final_accuracy:.0%} validation accuracy and "
        f"{_reached(ab.ablated, target)}; the **{full.label}**, trained on the same "
        f"batches, ended at {ab.full.final_accuracy:.0%} and "
        f"{_reached(ab.full, target)}, {verdict}."
    )


def ablation_paragraph(report: AblationReport) -> str:
    """Markdown: one sentence per ablation in the run, or how to get one."""
    if not report.ablations:
        names = ", ".join(c.label for c in CELLS.values() if c.ablates)
        return (
            "**Ablation.** Train a gated model together with its ablations "
            f"({names}) in one run to see here, in this run's numbers, what each gate "
            "buys. The Train page's keyed-recall preset does: its answer needs a read that "
            "depends on the input."
        )
    body = " ".join(_sentence(ab, report.target) for ab in report.ablations)
    return (
        f"**Ablation, from this run** (chance {report.chance:.0%}; the task counts as "
        f"solved at {report.target:.0%}). {body}"
    )
