"""Small hand-built TrainResults for analysis tests: snapshots of freshly initialised models."""

from __future__ import annotations

import numpy as np

from core.cells import CELLS
from core.train.config import RunConfig
from core.train.model import init_model
from core.train.results import Baseline, History, ModelResult, Snapshot, TrainResult


def tiny_run(models=("rnn", "gru"), checkpoints=3):
    cfg = RunConfig(
        task="recall",
        length=10,
        symbols=4,
        hidden=6,
        models=models,
        steps=20,
        checkpoints=checkpoints,
    )
    results = {}
    for i, m in enumerate(models):
        cell = CELLS[m]
        snaps = [
            Snapshot(
                step=s,
                params=init_model(cell, 4, 6, 4, np.random.default_rng(i + s), dtype="float32"),
            )
            for s in (0, 10, 20)[:checkpoints]
        ]
        hist = History(
            *(np.zeros(1) for _ in range(4)),
            grad_norm=np.ones(1),
            clipped=np.zeros(1, bool),
            seconds=np.zeros(1),
        )
        results[m] = ModelResult(name=m, history=hist, params=snaps[-1].params, snapshots=snaps)
    return TrainResult(config=cfg, models=results, baseline=Baseline(np.log(4), 0.25))
