"""What the trained translators show: BLEU by sentence length with bootstrap intervals, and
the gradient reaching each source word."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.bleu.breakdowns.length_buckets import bucket_table
from core.bleu.settings import BleuSettings
from core.bleu.statistics.extraction import extract_stats
from core.translate.batching import make_batch
from core.translate.corpus import ParallelCorpus
from core.translate.network import loss_and_grads
from core.translate.tokenize import tokenize
from core.translate.train import TrainedModel

LENGTH_CUTOFFS = (7, 10, 13, 16, 20)  # source words: <7, [7,10), ..., >=20


def bleu_by_length(
    refs: list[str],
    systems: dict[str, list[str]],
    lengths: np.ndarray,
    cutoffs: tuple[int, ...] = LENGTH_CUTOFFS,
    tokenize: str = "13a",
    n_samples: int = 1000,
    seed: int = 12345,
) -> pd.DataFrame:
    """One row per (length bucket, system): n_sent, corpus BLEU of the bucket (sacrebleu) and
    its 95% bootstrap interval. lengths (N,) sets each sentence's bucket."""
    settings = BleuSettings(tokenize=tokenize)
    stats = extract_stats(settings, [list(refs)], systems, metrics=("bleu",))["bleu"]
    return bucket_table(
        stats.by_system,
        np.asarray(lengths),
        settings.corpus_bleu(),
        tuple(cutoffs),
        n_samples,
        seed,
    )


def source_lengths(sentences, codec) -> np.ndarray:
    """Source length in tokens of the model's source tokenisation.  -> (N,)"""
    return np.array([len(codec.source_ids(s)) for s in sentences])


@dataclass
class SourceGradient:
    model: str
    length: int  # source tokens of every sentence used
    rows: np.ndarray  # (n,) test indices of those sentences
    norms: np.ndarray  # (n, length) ||d(sentence loss)/dh_j||, j in reading order
    words: list[list[str]]  # (n, length) the source tokens, in the sentence's own order

    @property
    def mean(self) -> np.ndarray:
        """Mean over the sentences, per source position. -> (length,)"""
        return self.norms.mean(axis=0)


def long_sentence_group(model: TrainedModel, corpus: ParallelCorpus, min_count: int = 5) -> int:
    """The longest source length with at least min_count test sentences (else the longest)."""
    lengths = source_lengths(corpus.test.source, model.codec)
    values, counts = np.unique(lengths, return_counts=True)
    frequent = values[counts >= min_count]
    return int(frequent.max() if len(frequent) else values.max())


def source_gradient(model: TrainedModel, corpus: ParallelCorpus, length: int) -> SourceGradient:
    """Teacher-forced summed loss of each test sentence of `length` source tokens, and the
    norm of its gradient at every encoder state; positions follow the sentence's word order
    (undoing source reversal), so position 0 is the first source word."""
    codec = model.codec
    data = codec.encode_pairs(corpus.test)
    rows = np.flatnonzero([len(s) == length for s in data.src])
    batch = make_batch(data, rows, mask_dtype=model.params["out.W"].dtype)
    result = loss_and_grads(model.params, model.spec, batch)
    per_sentence = result.source_grad * batch.n_tokens  # (Ts, B): d(sum of its losses)
    norms = per_sentence.T  # (B, Ts) reading order
    if model.spec.reverse_source:
        norms = norms[:, ::-1]
    words = [tokenize(corpus.test.source[r], codec.src_tokens) for r in rows]
    return SourceGradient(model.name, length, rows, np.ascontiguousarray(norms), words)
