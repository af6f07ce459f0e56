"""A token vocabulary with a size cap and a minimum count, and the four special tokens."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

PAD, UNK, BOS, EOS = "<pad>", "<unk>", "<s>", "</s>"
SPECIALS = (PAD, UNK, BOS, EOS)
PAD_ID, UNK_ID, BOS_ID, EOS_ID = range(4)


@dataclass(frozen=True)
class Vocabulary:
    tokens: tuple[str, ...]  # id -> token; the specials come first
    index: dict[str, int] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self):
        if self.tokens[:4] != SPECIALS:
            raise ValueError(f"a vocabulary starts with {SPECIALS}, got {self.tokens[:4]}")
        object.__setattr__(self, "index", {t: i for i, t in enumerate(self.tokens)})

    def __len__(self) -> int:
        return len(self.tokens)

    def encode(self, tokens: list[str]) -> np.ndarray:
        """tokens -> ids (unknown tokens -> <unk>). -> (n,) int32"""
        return np.array([self.index.get(t, UNK_ID) for t in tokens], dtype=np.int32)

    def decode(self, ids) -> list[str]:
        """ids -> tokens, stopping at </s>; padding and <s> are dropped."""
        out = []
        for i in ids:
            if i == EOS_ID:
                break
            if i not in (PAD_ID, BOS_ID):
                out.append(self.tokens[i])
        return out


def build_vocabulary(
    sentences: Iterable[list[str]], max_size: int = 4000, min_count: int = 1
) -> Vocabulary:
    """The most frequent tokens (ties broken alphabetically), at most max_size with the
    specials, each seen at least min_count times."""
    counts = Counter(t for s in sentences for t in s)
    ranked = sorted(
        (t for t, c in counts.items() if c >= min_count and t not in SPECIALS),
        key=lambda t: (-counts[t], t),
    )
    return Vocabulary(SPECIALS + tuple(ranked[: max(0, max_size - len(SPECIALS))]))
