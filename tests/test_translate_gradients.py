"""The encoder-decoder's hand-written backward against central finite differences (float64),
for every parameter, every registered cell, with and without attention."""

from __future__ import annotations

import numpy as np
import pytest
from numeric import numeric_grad
from translate_helpers import tiny_batch

from core.cells import cell_names
from core.translate.model import ModelSpec, init_params
from core.translate.network import batch_loss, loss_and_grads


@pytest.mark.parametrize("attention", [False, True], ids=["plain", "attention"])
@pytest.mark.parametrize("cell", cell_names())
def test_every_parameter_matches_finite_differences(cell, attention):
    batch = tiny_batch(np.random.default_rng(0))
    spec = ModelSpec(cell, 9, 8, embed=3, hidden=4, attention=attention)
    params = init_params(spec, np.random.default_rng(1), dtype="float64")
    analytic = loss_and_grads(params, spec, batch)
    assert set(analytic.grads) == set(params)

    def mean_loss():
        return batch_loss(params, spec, batch)[0] / batch.n_tokens

    assert analytic.loss == pytest.approx(mean_loss(), rel=1e-12)
    for name, value in params.items():
        numeric = numeric_grad(mean_loss, value)
        np.testing.assert_allclose(
            analytic.grads[name], numeric, rtol=1e-5, atol=1e-8, err_msg=f"{cell} {name}"
        )


@pytest.mark.parametrize("cell", cell_names())
def test_source_gradient_has_one_positive_norm_per_source_token(cell):
    """source_grad[j, b] = ||dL/ds_j|| for sentence b: finite, and non-zero at every position
    (every source state influences the loss through the encoder's final state)."""
    batch = tiny_batch(np.random.default_rng(2), src_len=4)
    spec = ModelSpec(cell, 9, 8, embed=3, hidden=4)
    params = init_params(spec, np.random.default_rng(3), dtype="float64")
    result = loss_and_grads(params, spec, batch)
    assert result.source_grad.shape == batch.src.shape
    assert np.all(np.isfinite(result.source_grad)) and np.all(result.source_grad > 0)


def test_padding_does_not_change_the_loss_or_gradients():
    """A sentence's gradients are the same alone or beside a longer (padded) target."""
    rng = np.random.default_rng(4)
    batch = tiny_batch(rng, tgt_lens=(2, 5))
    spec = ModelSpec("gru", 9, 8, embed=3, hidden=4, attention=True)
    params = init_params(spec, np.random.default_rng(5), dtype="float64")
    both = loss_and_grads(params, spec, batch)
    from core.translate.batching import Batch

    def single(b):
        n = int(batch.mask[:, b].sum())
        return Batch(
            batch.src[:, b : b + 1],
            batch.tgt_in[:n, b : b + 1],
            batch.tgt_out[:n, b : b + 1],
            batch.mask[:n, b : b + 1],
            batch.rows[b : b + 1],
        )

    sums = [loss_and_grads(params, spec, single(b)) for b in (0, 1)]
    total = sum(s.loss * s.n_tokens for s in sums)
    assert both.loss * both.n_tokens == pytest.approx(total, rel=1e-12)
    for k in params:
        combined = sum(s.grads[k] * s.n_tokens for s in sums) / both.n_tokens
        np.testing.assert_allclose(both.grads[k], combined, rtol=1e-9, atol=1e-12)
