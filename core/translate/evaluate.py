"""Scores of a translator on held-out pairs: loss per token and sacrebleu corpus BLEU."""

from __future__ import annotations

from sacrebleu.metrics import BLEU

from core.translate.batching import EncodedPairs, make_batch, ordered_batches
from core.translate.model import ModelSpec, Params
from core.translate.network import batch_loss
from core.translate.preprocess import TextCodec
from core.translate.translator import translate_ids


def corpus_bleu(hyps: list[str], refs: list[str], tokenize: str = "13a") -> float:
    """sacrebleu corpus BLEU of detokenized text, one reference per line."""
    return float(BLEU(tokenize=tokenize, force=True).corpus_score(hyps, [refs]).score)


def mean_loss(params: Params, spec: ModelSpec, data: EncodedPairs, batch_size: int = 128) -> float:
    """Cross-entropy per real target token over every pair."""
    total, count = 0.0, 0
    dtype = params["out.W"].dtype
    for rows in ordered_batches(data, batch_size):
        loss, n = batch_loss(params, spec, make_batch(data, rows, mask_dtype=dtype))
        total, count = total + loss, count + n
    return total / max(count, 1)


def held_out_bleu(
    params: Params,
    spec: ModelSpec,
    codec: TextCodec,
    data: EncodedPairs,
    refs: tuple[str, ...],
    tokenize: str = "13a",
    max_len_ratio: float = 2.0,
) -> tuple[float, list[str]]:
    """Greedy translations of the sources and their BLEU against refs."""
    tokens, _ = translate_ids(params, spec, list(data.src), max_len_ratio=max_len_ratio)
    hyps = [codec.target_text(t) for t in tokens]
    return corpus_bleu(hyps, list(refs), tokenize), hyps


def first(data: EncodedPairs, refs: tuple[str, ...], n: int):
    """The first n pairs (for a quick dev check)."""
    n = min(n, len(data))
    return EncodedPairs(data.src[:n], data.tgt[:n]), refs[:n]
