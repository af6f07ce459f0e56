"""A multi-model run trained one model per job and merged equals the joint run exactly; a part
that stopped early sends the run back to joint training."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from core.train.loop import train
from core.train.split import merge_parts, model_parts
from tests.test_train import COLUMNS, SMALL, histories_equal

THREE = replace(SMALL, models=("rnn", "gru", "lstm"))


def test_parts_are_one_config_per_model_in_order():
    parts = model_parts(THREE)
    assert [p.models for p in parts] == [("rnn",), ("gru",), ("lstm",)]
    assert all(replace(p, models=THREE.models) == THREE for p in parts)


def test_merged_parts_equal_the_joint_run():
    joint = train(THREE)
    merged = merge_parts(THREE, [train(p) for p in model_parts(THREE)])
    assert merged.config == THREE and list(merged.models) == list(THREE.models)
    assert merged.baseline == joint.baseline and merged.stopped is None
    for name in THREE.models:
        a, b = merged.models[name], joint.models[name]
        histories_equal(a.history, b.history, (*COLUMNS,))
        for k, p in b.params.items():
            np.testing.assert_array_equal(a.params[k], p)
        assert [s.step for s in a.snapshots] == [s.step for s in b.snapshots]
        for sa, sb in zip(a.snapshots, b.snapshots, strict=True):
            for k, p in sb.params.items():
                np.testing.assert_array_equal(sa.params[k], p)


def test_a_part_that_stopped_early_asks_for_the_joint_run():
    cfg = replace(SMALL, task="adding", optimizer="sgd", lr=1e6, clip=0.0, models=("rnn", "gru"))
    parts = [train(p) for p in model_parts(cfg)]
    assert any(p.stopped for p in parts)
    assert merge_parts(cfg, parts) is None


def test_parts_of_another_config_are_refused():
    parts = [train(p) for p in model_parts(SMALL)]
    with pytest.raises(ValueError, match="model parts"):
        merge_parts(replace(SMALL, seed=SMALL.seed + 1), parts)
    with pytest.raises(ValueError, match="model parts"):
        merge_parts(SMALL, parts[::-1])
