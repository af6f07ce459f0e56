"""Built-in example data: a generated reference and synthetic systems of different quality.

Deterministic from a seed. Words are made of syllables and drawn from a Zipf-like vocabulary;
sentence lengths are log-normal (about 3 to 80 tokens) so every length bucket has members.
Each system corrupts the reference with its own rates of substitution, deletion, insertion and
local reordering, so the systems differ in precision, length (brevity penalty) and BLEU.
Vectorised over the whole corpus, so 100,000 lines take seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ru",
    "sa",
    "ti",
    "vo",
    "den",
    "mar",
    "pel",
    "sun",
    "tor",
    "bi",
    "ga",
    "fe",
    "hu",
    "jo",
    "ul",
    "ri",
]
ENDINGS = np.array([".", ".", ".", "?", "!"])

# name -> (substitute, delete, insert, swap) probabilities per token
SYSTEM_NOISE = {
    "strong": (0.08, 0.03, 0.03, 0.03),
    "medium": (0.18, 0.08, 0.05, 0.06),
    "weak": (0.30, 0.20, 0.04, 0.10),
}
PARAPHRASE_NOISE = (0.15, 0.05, 0.05, 0.05)  # extra references vs the first one


@dataclass(frozen=True)
class ExampleCorpus:
    source: list[str]  # a pseudo source language, one line per segment
    references: list[list[str]]  # reference streams (refs[j][i]: reference j of line i)
    systems: dict[str, list[str]]  # system name -> output lines


def example_corpus(n_segments: int = 400, seed: int = 0, n_refs: int = 1) -> ExampleCorpus:
    """Generated data for the page's first view, tests and benchmarks (same seed, same text)."""
    rng = np.random.default_rng(seed)
    vocab = _vocabulary(rng, 1000)
    weights = 1.0 / np.arange(1, len(vocab) + 1) ** 0.9  # Zipf-like word frequencies
    weights /= weights.sum()
    lengths = np.clip(np.round(rng.lognormal(np.log(17), 0.6, n_segments)), 3, 80).astype(int)
    seg = np.repeat(np.arange(n_segments), lengths)  # (T,) segment of each token
    words = rng.choice(len(vocab), size=len(seg), p=weights)  # (T,) word ids

    def draw(size):
        return rng.choice(len(vocab), size=size, p=weights)

    references = [_render(vocab, words, seg, n_segments, rng)]
    for _ in range(n_refs - 1):
        references.append(
            _render(vocab, *_corrupt(words, seg, PARAPHRASE_NOISE, rng, draw), n_segments, rng)
        )
    systems = {
        name: _render(vocab, *_corrupt(words, seg, noise, rng, draw), n_segments, rng)
        for name, noise in SYSTEM_NOISE.items()
    }
    source_vocab = np.array([w[::-1].replace("a", "e") for w in vocab])  # word-by-word mapping
    source = _join(source_vocab[words[::-1]], seg[::-1], n_segments)
    return ExampleCorpus(source, references, systems)


def _vocabulary(rng: np.random.Generator, size: int) -> np.ndarray:
    vocab: list[str] = []
    seen = set()
    while len(vocab) < size:
        word = "".join(rng.choice(SYLLABLES, size=int(rng.integers(1, 4))))
        if word not in seen:
            seen.add(word)
            vocab.append(word)
    return np.array(vocab)


def _corrupt(words, seg, noise, rng, draw) -> tuple[np.ndarray, np.ndarray]:
    """Substitute, delete, insert after, and swap with the next token. (T,) -> (T',) ids, segs."""
    substitute, delete, insert, swap = noise
    roll = rng.random(len(words))
    out = np.where(roll < delete + substitute, draw(len(words)), words)
    inserted = np.where(rng.random(len(words)) < insert, draw(len(words)), -1)
    keep = roll >= delete
    pairs = np.stack([np.where(keep, out, -1), inserted], axis=1).ravel()  # (2T,)
    pair_seg = np.repeat(seg, 2)
    mask = pairs >= 0
    out, out_seg = pairs[mask], pair_seg[mask]
    i = np.flatnonzero((rng.random(len(out) - 1) < swap) & (out_seg[:-1] == out_seg[1:]))
    i = i[np.concatenate([[True], np.diff(i) > 1])] if len(i) else i  # non-overlapping
    out[i], out[i + 1] = out[i + 1], out[i].copy()
    return out, out_seg


def _render(vocab, ids, seg, n_segments, rng) -> list[str]:
    """Capitalised sentences with a comma now and then and final punctuation."""
    tokens = vocab[ids].astype(object)
    start = np.ones(len(ids), dtype=bool)
    start[1:] = seg[1:] != seg[:-1]
    tokens[start] = [t.capitalize() for t in tokens[start]]
    comma = (rng.random(len(ids)) < 0.07) & ~np.roll(start, -1) & ~start
    tokens[comma] = tokens[comma] + ","
    lines = _join(tokens, seg, n_segments)
    endings = ENDINGS[rng.integers(0, len(ENDINGS), n_segments)]
    return [line + end if line else "" for line, end in zip(lines, endings, strict=True)]


def _join(tokens, seg, n_segments) -> list[str]:
    lines = [[] for _ in range(n_segments)]
    for s, t in zip(seg.tolist(), tokens.tolist(), strict=True):
        lines[s].append(t)
    return [" ".join(words) for words in lines]
