"""Sentence examples: the segments where two systems differ most by sentence BLEU, and a
word-level diff of their outputs (compare-mt's sentence examples)."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.bleu.report import BleuReport

EQUAL, ONLY_A, ONLY_B = "equal", "a", "b"


@dataclass(frozen=True)
class DiffPiece:
    kind: str  # equal | a (only in A's output) | b (only in B's)
    words: tuple[str, ...]


def largest_differences(
    report: BleuReport, a: str, b: str, k: int = 10
) -> tuple[list[int], list[int]]:
    """0-based segments where B's sentence BLEU most exceeds A's, and where A's most exceeds
    B's (k each, largest gap first, earlier segment first on ties; zero gaps left out)."""
    wide = report.sentence_scores("bleu")
    delta = wide[b].to_numpy() - wide[a].to_numpy()  # (N,)
    order = np.lexsort((np.arange(len(delta)), -delta))  # largest delta first
    b_better = order[delta[order] > 0][:k]
    order = np.lexsort((np.arange(len(delta)), delta))
    a_better = order[delta[order] < 0][:k]
    return b_better.tolist(), a_better.tolist()


def word_diff(a_words: Sequence[str], b_words: Sequence[str]) -> list[DiffPiece]:
    """A's and B's words aligned by difflib's longest matching blocks: runs present in both,
    runs only in A, runs only in B (a replacement gives A's run, then B's)."""
    pieces = []
    matcher = difflib.SequenceMatcher(a=list(a_words), b=list(b_words), autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(DiffPiece(EQUAL, tuple(a_words[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(DiffPiece(ONLY_A, tuple(a_words[i1:i2])))
        if j2 > j1:
            pieces.append(DiffPiece(ONLY_B, tuple(b_words[j1:j2])))
    return pieces
