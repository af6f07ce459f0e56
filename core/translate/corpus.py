"""A parallel corpus split into train / dev / test, by seed unless a test set is given."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.translate.readers import CorpusError, Pairs

MIN_TRAIN = 20  # pairs; fewer cannot train anything
MIN_HELD_OUT = 2  # pairs in dev and in test


@dataclass(frozen=True)
class ParallelCorpus:
    train: Pairs
    dev: Pairs
    test: Pairs
    name: str  # shown in the UI and saved with models

    def sizes(self) -> dict[str, int]:
        return {"train": len(self.train), "dev": len(self.dev), "test": len(self.test)}


def _take(pairs: Pairs, idx: np.ndarray, part: str) -> Pairs:
    return Pairs(
        tuple(pairs.source[i] for i in idx),
        tuple(pairs.target[i] for i in idx),
        tuple(pairs.extra[i] for i in idx),
        f"{pairs.origin} [{part}]",
    )


def split_corpus(
    pairs: Pairs,
    seed: int = 0,
    held_out: float = 0.1,
    test: Pairs | None = None,
    max_held_out: int = 1000,
) -> ParallelCorpus:
    """Shuffle by seed; dev and test each take `held_out` of the pairs (at most max_held_out,
    at least MIN_HELD_OUT). A given test set is kept whole and only dev is split off."""
    n = len(pairs)
    k = min(max_held_out, max(MIN_HELD_OUT, int(round(held_out * n))))
    parts = 1 if test is not None else 2
    if n - parts * k < MIN_TRAIN:
        raise CorpusError(
            f"{pairs.origin} has {n} pairs: too few to split into train, dev and "
            f"test (need at least {MIN_TRAIN + parts * MIN_HELD_OUT})."
        )
    order = np.random.default_rng(seed).permutation(n)
    dev = _take(pairs, order[:k], "dev")
    if test is None:
        test = _take(pairs, order[k : 2 * k], "test")
    train = _take(pairs, order[parts * k :], "train")
    return ParallelCorpus(train, dev, test, pairs.origin)
