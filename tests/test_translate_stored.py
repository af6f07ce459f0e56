"""Translation experiments in the run store: everything the page shows comes back, without
retraining and without pickle; every experiment is kept."""

from __future__ import annotations

import numpy as np
import pytest
from translate_helpers import copy_corpus

from core.store.run_store import RunStore
from core.translate.background import ModelOutcome
from core.translate.config import TranslateConfig
from core.translate.experiment import translate_test_set
from core.translate.preprocess import prepare
from core.translate.stored import list_experiments, load_experiment, save_experiment
from core.translate.train import train_model


@pytest.fixture(scope="module")
def finished():
    corpus = copy_corpus(n=120)
    cfg = TranslateConfig(
        models=("rnn", "gru"), embed=8, hidden=8, attention=True, epochs=2, batch_size=16
    )
    prepared = prepare(corpus, cfg)
    outcomes = {}
    for m in cfg.models:
        model = train_model(prepared, cfg, m)
        outcomes[m] = ModelOutcome(model, translate_test_set(model, corpus, beam=2))
    return corpus, cfg, outcomes


def test_a_stored_experiment_comes_back_whole(finished, tmp_path):
    corpus, cfg, outcomes = finished
    store = RunStore(tmp_path)
    rid = save_experiment(store, "RNN vs GRU on copy", corpus, cfg, 2, outcomes)
    again = load_experiment(RunStore(tmp_path), rid)  # as after a restart
    assert again.label == "RNN vs GRU on copy" and again.config == cfg and again.beam == 2
    assert again.sizes == corpus.sizes()
    assert again.corpus.test == corpus.test
    assert list(again.outcomes) == ["rnn", "gru"]
    for m, o in outcomes.items():
        back = again.outcomes[m]
        assert back.test.hyps == o.test.hyps and back.test.bleu == o.test.bleu
        assert back.model.history.checkpoints == o.model.history.checkpoints
        assert back.model.best == o.model.best
        for k, v in o.model.params.items():
            np.testing.assert_array_equal(back.model.params[k], v)
        assert len(back.test.attention) == len(o.test.attention)
        for a, b in zip(back.test.attention, o.test.attention, strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-6)
        assert translate_test_set(back.model, corpus, 2).hyps == o.test.hyps  # weights work


def test_every_experiment_is_kept_newest_first(finished, tmp_path):
    corpus, cfg, outcomes = finished
    store = RunStore(tmp_path)
    first = save_experiment(store, "first", corpus, cfg, 1, outcomes)
    second = save_experiment(store, "second", corpus, cfg, 1, {"rnn": outcomes["rnn"]})
    listed = list_experiments(RunStore(tmp_path))
    assert [(r.id, r.name) for r in listed] == [(second, "second"), (first, "first")]
    assert listed[0].metrics["rnn"]["test_bleu"] == outcomes["rnn"].test.bleu
    assert not list(tmp_path.rglob("*.pkl")) and not list(tmp_path.rglob("*.pickle"))
