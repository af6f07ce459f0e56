"""Decoding: beam 1 is greedy, beams are batched, and a copy task is learned exactly."""

from __future__ import annotations

import numpy as np
import pytest
from translate_helpers import copy_corpus

from core.cells import cell_names
from core.translate.config import TranslateConfig
from core.translate.decode import beam_search, greedy
from core.translate.experiment import translate_test_set
from core.translate.model import ModelSpec, init_params
from core.translate.preprocess import prepare
from core.translate.train import train_model


def _source(rng, Ts=4, B=5, V=12):
    return rng.integers(4, V, size=(Ts, B)).astype(np.int32)


@pytest.mark.parametrize("attention", [False, True])
@pytest.mark.parametrize("cell", cell_names())
def test_beam_of_one_equals_greedy(cell, attention):
    spec = ModelSpec(cell, 12, 10, embed=6, hidden=8, attention=attention)
    params = init_params(spec, np.random.default_rng(0))
    src = _source(np.random.default_rng(1))
    assert beam_search(params, spec, src, beam=1).tokens == greedy(params, spec, src).tokens


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_beam_decodes_each_sentence_as_it_would_alone(cell):
    spec = ModelSpec(cell, 12, 10, embed=6, hidden=8, attention=True)
    params = init_params(spec, np.random.default_rng(2), dtype="float64")
    src = _source(np.random.default_rng(3))
    together = beam_search(params, spec, src, beam=3).tokens
    alone = [beam_search(params, spec, src[:, b : b + 1], beam=3).tokens[0] for b in range(5)]
    assert together == alone


def test_beam_finds_a_hypothesis_at_least_as_probable_as_greedy():
    """With no length normalisation, the beam's winner scores >= greedy's output."""
    from core.translate.decode import encode, step
    from core.translate.vocab import BOS_ID, EOS_ID

    spec = ModelSpec("gru", 12, 10, embed=6, hidden=8)
    params = init_params(spec, np.random.default_rng(4), dtype="float64")
    src = _source(np.random.default_rng(5), B=1)

    def log_prob(tokens):
        enc = encode(params, spec, src)
        state, total, y = enc.state, 0.0, BOS_ID
        for t in [*tokens, EOS_ID]:
            logp, state, _ = step(params, spec, enc, state, np.array([y]))
            total, y = total + logp[0, t], t
        return total

    g = greedy(params, spec, src, max_len_ratio=1.0).tokens[0]
    b = beam_search(params, spec, src, beam=4, length_norm=0.0, max_len_ratio=1.0).tokens[0]
    if len(g) < 14 and len(b) < 14:  # both ended with </s> within the limit
        assert log_prob(b) >= log_prob(g) - 1e-9


def test_a_model_trained_on_copying_copies_unseen_sentences_exactly():
    corpus = copy_corpus()
    cfg = TranslateConfig(
        models=("gru",),
        embed=16,
        hidden=32,
        attention=True,
        epochs=30,
        batch_size=16,
        lr=1e-2,
        seed=0,
    )
    model = train_model(prepare(corpus, cfg), cfg, "gru")
    result = translate_test_set(model, corpus)
    assert result.hyps == list(corpus.test.target)
    assert result.bleu == pytest.approx(100.0)
    assert len(result.attention) == len(corpus.test) and model.best.dev_bleu == pytest.approx(100.0)
