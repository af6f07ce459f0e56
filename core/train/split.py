"""A run of several models trained as one job per model (in parallel workers), then merged.

The models of one run share only two things: their batches, drawn from the seed's data stream,
and the rule that a non-finite loss in any of them stops them all. Trained alone, a model sees
the same batches and draws its initialisation from its own stream (core.train.loop.init_stream),
so when no part stops early the merged run equals the joint run exactly (checked in the tests).
When a part stops early the joint run would have stopped its other models at the same step,
which the parts cannot reproduce: merge_parts then returns None and the run is trained jointly.

    parts = [train(c) for c in model_parts(cfg)]   # e.g. in two worker processes
    run = merge_parts(cfg, parts) or train(cfg)
"""

from __future__ import annotations

import dataclasses

from core.train.config import RunConfig
from core.train.results import TrainResult


def model_parts(cfg: RunConfig) -> list[RunConfig]:
    """One config per model of cfg, in cfg's order; everything else unchanged."""
    return [dataclasses.replace(cfg, models=(name,)) for name in cfg.models]


def merge_parts(cfg: RunConfig, parts: list[TrainResult]) -> TrainResult | None:
    """The run of cfg made of its model parts (as model_parts gives them), or None when a
    part stopped early (the joint run must then be trained)."""
    if [p.config for p in parts] != model_parts(cfg):
        raise ValueError("the parts are not cfg's model parts, in its order")
    if any(p.stopped is not None for p in parts):
        return None
    models = {name: result for p in parts for name, result in p.models.items()}
    return TrainResult(config=cfg, models=models, baseline=parts[0].baseline)
