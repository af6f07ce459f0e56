"""Length-bucketed, padded, masked batches of token ids.

Every batch holds sentences of one source length, so the encoder never reads padding and its
final state is exact; targets are padded with <pad> and masked out of the loss.
Decoder input is <s> y_1 .. y_n, decoder output y_1 .. y_n </s>.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from core.translate.vocab import BOS_ID, EOS_ID, PAD_ID


@dataclass(frozen=True)
class Batch:
    src: np.ndarray  # (Ts, B) int32 source ids, no padding
    tgt_in: np.ndarray  # (Tt, B) int32 decoder inputs, padded
    tgt_out: np.ndarray  # (Tt, B) int32 decoder targets, padded
    mask: np.ndarray  # (Tt, B) float, 1 on real target tokens
    rows: np.ndarray  # (B,) index of each sentence in the encoded set

    @property
    def n_tokens(self) -> int:
        return int(self.mask.sum())


@dataclass(frozen=True)
class EncodedPairs:
    src: tuple[np.ndarray, ...]  # source ids per pair (no <s>/</s>), already reversed if asked
    tgt: tuple[np.ndarray, ...]  # target ids per pair (no <s>/</s>)

    def __len__(self) -> int:
        return len(self.src)


def source_matrix(src: list[np.ndarray]) -> np.ndarray:
    """Equal-length source sequences -> (Ts, B) int32."""
    return np.stack(src, axis=1).astype(np.int32)


def make_batch(data: EncodedPairs, rows: np.ndarray, mask_dtype="float32") -> Batch:
    """One batch of the given rows (all with the same source length)."""
    tgts = [data.tgt[i] for i in rows]
    Tt, B = max(len(t) for t in tgts) + 1, len(rows)
    tgt_in = np.full((Tt, B), PAD_ID, dtype=np.int32)  # (Tt, B)
    tgt_out = np.full((Tt, B), PAD_ID, dtype=np.int32)  # (Tt, B)
    mask = np.zeros((Tt, B), dtype=mask_dtype)  # (Tt, B)
    for b, t in enumerate(tgts):
        n = len(t)
        tgt_in[0, b], tgt_in[1 : n + 1, b] = BOS_ID, t
        tgt_out[:n, b], tgt_out[n, b] = t, EOS_ID
        mask[: n + 1, b] = 1
    return Batch(
        source_matrix([data.src[i] for i in rows]), tgt_in, tgt_out, mask, np.asarray(rows)
    )


def length_groups(data: EncodedPairs) -> dict[int, np.ndarray]:
    """Source length -> indices of the pairs with that length."""
    lengths = np.array([len(s) for s in data.src])
    return {int(n): np.flatnonzero(lengths == n) for n in np.unique(lengths)}


def batch_plan(data: EncodedPairs, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """One epoch: each length group shuffled and cut into batches, then the batches shuffled."""
    plan = []
    for rows in length_groups(data).values():
        rows = rng.permutation(rows)
        plan += [rows[i : i + batch_size] for i in range(0, len(rows), batch_size)]
    return [plan[i] for i in rng.permutation(len(plan))]


def ordered_batches(data: EncodedPairs, batch_size: int) -> Iterator[np.ndarray]:
    """Every pair once, grouped by source length, in a fixed order (for evaluation)."""
    for rows in length_groups(data).values():
        for i in range(0, len(rows), batch_size):
            yield rows[i : i + batch_size]
