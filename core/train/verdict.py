"""Did a model learn? Its final validation accuracy against the task's input-ignoring baseline,
with a margin of two binomial standard errors of that baseline on the validation set:

    margin = 2 sqrt(p (1 - p) / n)      p: baseline accuracy, n: validation sequences
    at_baseline  <=>  |accuracy - p| <= margin
    learnt       <=>  accuracy - p > margin

(n counts sequences; copy memory scores 10 symbols per sequence, so the margin is generous
there.) A difference inside the margin is not meaningful: the page says "at chance".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from core.train.results import TrainResult

LOSS_MARGIN = 0.02  # a final loss within 2 % of the baseline loss counts as at the baseline


@dataclass(frozen=True)
class Verdict:
    model: str  # model name in the run
    accuracy: float  # final validation accuracy (NaN if none was recorded)
    accuracy_gain: float  # accuracy - baseline accuracy
    margin: float  # two standard errors of the baseline accuracy
    at_baseline: bool  # |accuracy_gain| <= margin (or no accuracy at all)
    learnt: bool  # accuracy_gain > margin: meaningfully above the baseline
    loss_at_baseline: bool  # |loss - baseline loss| <= LOSS_MARGIN * baseline loss

    def to_dict(self) -> dict:
        return {k: v for k, v in vars(self).items()}


def margin(p: float, n: int) -> float:
    """Two binomial standard errors of a success rate p measured on n trials."""
    return 2.0 * math.sqrt(max(p * (1.0 - p), 0.0) / max(n, 1))


def verdicts(run: TrainResult) -> dict[str, Verdict]:
    """One Verdict per model of the run, from its final validation row."""
    base, n = run.baseline, run.config.val_size
    m = margin(base.accuracy, n)
    out = {}
    for name, model in run.models.items():
        acc, loss = model.final["val_accuracy"], model.final["val_loss"]
        gain = acc - base.accuracy
        out[name] = Verdict(
            model=name,
            accuracy=acc,
            accuracy_gain=gain,
            margin=m,
            at_baseline=not math.isfinite(gain) or abs(gain) <= m,
            learnt=math.isfinite(gain) and gain > m,
            loss_at_baseline=math.isfinite(loss)
            and abs(loss - base.loss) <= LOSS_MARGIN * abs(base.loss),
        )
    return out


def nothing_learnt(run: TrainResult) -> bool:
    """True when no model of the run ended meaningfully above the baseline."""
    return not any(v.learnt for v in verdicts(run).values())
