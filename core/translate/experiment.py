"""Test-set results of trained translators: translations, BLEU, attention."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.translate.corpus import ParallelCorpus
from core.translate.evaluate import corpus_bleu
from core.translate.train import TrainedModel
from core.translate.translator import translate_text


@dataclass
class TestResult:
    model: str  # the cell's registry name
    hyps: list[str]  # detokenized test translations, in test order
    bleu: float  # sacrebleu corpus BLEU against the test targets
    beam: int  # beam size used (1 = greedy)
    attention: list[np.ndarray] | None  # greedy attention per sentence, when on


def translate_test_set(
    model: TrainedModel, corpus: ParallelCorpus, beam: int = 1, length_norm: float = 1.0
) -> TestResult:
    """Translate the test sources and score them with the config's BLEU tokenizer."""
    cfg = model.config
    out = translate_text(
        model.params,
        model.spec,
        model.codec,
        list(corpus.test.source),
        beam,
        length_norm,
        cfg.max_len_ratio,
    )
    attention = out.attention
    if attention is None and model.spec.attention and beam > 1:
        attention = translate_text(
            model.params,
            model.spec,
            model.codec,
            list(corpus.test.source),
            1,
            length_norm,
            cfg.max_len_ratio,
        ).attention
    bleu = corpus_bleu(out.text, list(corpus.test.target), cfg.bleu_tokenize)
    return TestResult(model.name, out.text, bleu, beam, attention)
