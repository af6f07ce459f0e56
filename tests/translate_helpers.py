"""Tiny corpora and batches for the translation-lab tests."""

from __future__ import annotations

import numpy as np

from core.translate.batching import EncodedPairs, make_batch
from core.translate.corpus import ParallelCorpus
from core.translate.readers import Pairs


def tiny_batch(rng: np.random.Generator, src_len=3, tgt_lens=(2, 4), src_vocab=9, tgt_vocab=8):
    """Two pairs of one source length, targets of different lengths (so padding is masked)."""
    data = EncodedPairs(
        src=tuple(rng.integers(4, src_vocab, size=src_len) for _ in tgt_lens),
        tgt=tuple(rng.integers(4, tgt_vocab, size=n) for n in tgt_lens),
    )
    return make_batch(data, np.arange(len(tgt_lens)), mask_dtype="float64")


def copy_corpus(n: int = 300, seed: int = 0, length=(2, 5), words: int = 8) -> ParallelCorpus:
    """Source = target: sequences of letters a..; train / dev / test disjoint by seed."""
    rng = np.random.default_rng(seed)
    alphabet = [chr(ord("a") + i) for i in range(words)]
    seen: dict[str, None] = {}
    while len(seen) < n:
        k = rng.integers(length[0], length[1] + 1)
        seen[" ".join(rng.choice(alphabet, size=k))] = None
    lines = tuple(seen)
    parts = [lines[: n - 40], lines[n - 40 : n - 20], lines[n - 20 :]]
    train, dev, test = (
        Pairs(p, p, ("",) * len(p), f"copy [{s}]")
        for p, s in zip(parts, ("train", "dev", "test"), strict=True)
    )
    return ParallelCorpus(train, dev, test, "copy")
