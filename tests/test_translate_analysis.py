"""BLEU by length equals sacrebleu on each bucket; the source-gradient profile covers the
sentences of one length, in their own word order."""

from __future__ import annotations

import numpy as np
import pytest
from sacrebleu.metrics import BLEU
from translate_helpers import copy_corpus

from core.translate.analysis import bleu_by_length, long_sentence_group, source_gradient
from core.translate.config import TranslateConfig
from core.translate.generated import GeneratedCorpusConfig, generated_corpus
from core.translate.preprocess import prepare
from core.translate.train import train_model


def test_each_bucket_is_sacrebleu_on_its_sentences():
    corpus = generated_corpus(GeneratedCorpusConfig(n_train=10, n_dev=10, n_test=60, seed=5))
    refs = list(corpus.test.target)
    rng = np.random.default_rng(0)
    hyps = [" ".join(rng.permutation(r.split())) for r in refs]  # scrambled word order
    lengths = np.array([len(s.split()) for s in corpus.test.source])
    table = bleu_by_length(refs, {"sys": hyps}, lengths, cutoffs=(8, 14), n_samples=100)
    for lo, hi, label in ((0, 8, "<8"), (8, 14, "[8,14)"), (14, 99, ">=14")):
        keep = [i for i, n in enumerate(lengths) if lo <= n < hi]
        row = table[table["bucket"] == label].iloc[0]
        assert row["n_sent"] == len(keep)
        expected = BLEU().corpus_score([hyps[i] for i in keep], [[refs[i] for i in keep]]).score
        assert row["bleu"] == pytest.approx(expected, abs=1e-9)
        assert row["ci_low"] <= row["bleu"] <= row["ci_high"]


@pytest.mark.parametrize("reverse", [False, True])
def test_source_gradient_profile(reverse):
    corpus = copy_corpus(n=120)
    cfg = TranslateConfig(
        models=("gru",),
        embed=4,
        hidden=4,
        epochs=1,
        batch_size=16,
        reverse_source=reverse,
        dev_limit=5,
    )
    model = train_model(prepare(corpus, cfg), cfg, "gru")
    length = long_sentence_group(model, corpus, min_count=2)
    profile = source_gradient(model, corpus, length)
    assert profile.norms.shape == (len(profile.rows), length)
    assert all(len(corpus.test.source[r].split()) == length for r in profile.rows)
    assert [w for w in profile.words[0]] == corpus.test.source[profile.rows[0]].split()
    assert np.all(profile.norms > 0) and profile.mean.shape == (length,)
