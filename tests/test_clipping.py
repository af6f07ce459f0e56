"""Clipping diagnostics from a history."""

from __future__ import annotations

import math

import numpy as np

from core.analysis.clipping import clipping_stats
from core.train.results import History


def _history(norms, clipped, share=None, steps=None):
    n = len(norms)
    return History(
        step=np.array(steps or [10 * (i + 1) for i in range(n)]),
        train_loss=np.zeros(n),
        val_loss=np.zeros(n),
        val_accuracy=np.zeros(n),
        grad_norm=np.array(norms, float),
        clipped=np.array(clipped, bool),
        seconds=np.zeros(n),
        clipped_share=None if share is None else np.array(share),
    )


def test_after_is_the_norm_capped_at_the_threshold():
    st = clipping_stats(_history([0.5, 2.0, 1.0, 7.0], [False, True, False, True]), clip=1.0)
    np.testing.assert_array_equal(st.after, [0.5, 1.0, 1.0, 1.0])
    np.testing.assert_array_equal(st.before, [0.5, 2.0, 1.0, 7.0])
    assert st.fraction_clipped == 0.5 and st.over_rows_only


def test_no_clipping_leaves_norms_alone():
    st = clipping_stats(_history([0.5, 20.0], [False, False]), clip=0.0)
    np.testing.assert_array_equal(st.after, [0.5, 20.0])
    assert st.fraction_clipped == 0.0


def test_per_step_share_is_weighted_by_the_steps_each_row_covers():
    """Rows at steps 10 and 30: 10 steps with share 0.5 and 20 steps with share 0.1 -> 7/30."""
    st = clipping_stats(
        _history([1.0, 1.0], [True, False], share=[0.5, 0.1], steps=[10, 30]), clip=1.0
    )
    assert abs(st.fraction_clipped - 7 / 30) < 1e-15 and not st.over_rows_only


def test_empty_history_has_no_fraction():
    assert math.isnan(clipping_stats(_history([], []), clip=1.0).fraction_clipped)
