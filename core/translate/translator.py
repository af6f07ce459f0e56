"""A trained translator: text in, text out, in length-grouped batches."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.translate.batching import source_matrix
from core.translate.decode import beam_search, greedy
from core.translate.model import ModelSpec, Params
from core.translate.preprocess import TextCodec

DECODE_BATCH = 128


@dataclass
class Translations:
    text: list[str]  # detokenized, one per input sentence
    attention: list[np.ndarray] | None  # (target tokens + 1, source tokens) per sentence


def translate_ids(
    params: Params,
    spec: ModelSpec,
    sources: list[np.ndarray],
    beam: int = 1,
    length_norm: float = 1.0,
    max_len_ratio: float = 2.0,
):
    """Token-id sources -> token-id translations (and greedy attention), in input order."""
    tokens: list[list[int] | None] = [None] * len(sources)
    attention: list[np.ndarray | None] = [None] * len(sources)
    lengths = np.array([len(s) for s in sources])
    for n in np.unique(lengths):
        rows = np.flatnonzero(lengths == n)
        for i in range(0, len(rows), DECODE_BATCH):
            chunk = rows[i : i + DECODE_BATCH]
            src = source_matrix([sources[r] for r in chunk])
            out = (
                greedy(params, spec, src, max_len_ratio)
                if beam <= 1
                else beam_search(params, spec, src, beam, length_norm, max_len_ratio)
            )
            for j, r in enumerate(chunk):
                tokens[r] = out.tokens[j]
                if out.attention is not None:
                    attention[r] = out.attention[j]
    return tokens, (attention if spec.attention and beam <= 1 else None)


def translate_text(
    params: Params,
    spec: ModelSpec,
    codec: TextCodec,
    sentences: list[str],
    beam: int = 1,
    length_norm: float = 1.0,
    max_len_ratio: float = 2.0,
) -> Translations:
    sources = [codec.source_ids(s) for s in sentences]
    tokens, attention = translate_ids(params, spec, sources, beam, length_norm, max_len_ratio)
    return Translations([codec.target_text(t) for t in tokens], attention)
