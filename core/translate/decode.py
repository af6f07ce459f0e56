"""Translation by greedy search and batched beam search.

Both stop a sentence at </s> or after max_steps = ceil(max_len_ratio * Ts) + MAX_LEN_SLACK steps.
Beam search keeps K hypotheses per sentence (B*K decoder rows in one batch); a finished
hypothesis stays in the beam at no extra cost, and the winner maximises
log p(y) / |y|^length_norm (0 = raw log-probability, 1 = per-token average).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.cells import get_cell
from core.translate.attention import attention_forward, attention_keys
from core.translate.model import ModelSpec, Params, part
from core.translate.network import log_softmax
from core.translate.vocab import BOS_ID, EOS_ID, PAD_ID

MAX_LEN_SLACK = 10


@dataclass
class SourceEncoding:
    enc: np.ndarray  # (B, Ts, H) encoder states, batch-major
    keys: np.ndarray | None  # (B, Ts, H) attention keys s_j W_a, when attention is on
    state: np.ndarray  # (B, S) the encoder's final state


@dataclass
class Decoded:
    tokens: list[list[int]]  # per sentence, ids without </s>
    attention: list[np.ndarray] | None  # per sentence (len(tokens)+1, Ts) weights, if on


def max_steps(Ts: int, max_len_ratio: float) -> int:
    return math.ceil(max_len_ratio * Ts) + MAX_LEN_SLACK


def encode(params: Params, spec: ModelSpec, src: np.ndarray) -> SourceEncoding:
    """src (Ts, B) ids -> encoder states and final state."""
    cell = get_cell(spec.cell)
    hs, cache = cell.forward(part(params, "enc"), params["src_emb"][src], None)  # (Ts, B, H)
    enc = np.ascontiguousarray(hs.transpose(1, 0, 2))  # (B, Ts, H)
    keys = attention_keys(params["att.W_a"], enc) if spec.attention else None
    return SourceEncoding(enc, keys, cell.final_state(cache))


def step(
    params: Params, spec: ModelSpec, src: SourceEncoding, state: np.ndarray, y_prev: np.ndarray
):
    """One decoder step for every row. y_prev (R,) -> log p (R, V), state (R, S), a (R, Ts)"""
    cell = get_cell(spec.cell)
    xs = params["tgt_emb"][y_prev][None]  # (1, R, E)
    hs, cache = cell.forward(part(params, "dec"), xs, state)  # (1, R, H)
    d = hs[0]
    weights = None
    if spec.attention:
        att = attention_forward(params, src.enc, d[:, None, :], src.keys)
        d, weights = att.out[:, 0], att.weights[:, 0]  # (R, H), (R, Ts)
    logits = d @ params["out.W"] + params["out.b"]  # (R, V)
    return log_softmax(logits), cell.final_state(cache), weights


def greedy(params: Params, spec: ModelSpec, src: np.ndarray, max_len_ratio: float = 2.0) -> Decoded:
    """The most probable next token at every step.  src (Ts, B) -> B translations."""
    Ts, B = src.shape
    enc = encode(params, spec, src)
    state, y = enc.state, np.full(B, BOS_ID, dtype=np.int32)
    out = np.full((max_steps(Ts, max_len_ratio), B), PAD_ID, dtype=np.int32)
    weights = []
    done = np.zeros(B, dtype=bool)
    for t in range(len(out)):
        logp, state, a = step(params, spec, enc, state, y)
        y = np.where(done, PAD_ID, logp.argmax(axis=1)).astype(np.int32)
        out[t] = y
        weights.append(a)
        done |= y == EOS_ID
        if done.all():
            break
    tokens = [_until_eos(out[:, b]) for b in range(B)]
    attention = None
    if spec.attention:
        stacked = np.stack(weights, axis=1)  # (B, steps, Ts)
        attention = [stacked[b, : len(tokens[b]) + 1] for b in range(B)]
    return Decoded(tokens, attention)


def _until_eos(ids: np.ndarray) -> list[int]:
    out = []
    for i in ids:
        if i in (EOS_ID, PAD_ID):
            break
        out.append(int(i))
    return out


def beam_search(
    params: Params,
    spec: ModelSpec,
    src: np.ndarray,
    beam: int = 4,
    length_norm: float = 1.0,
    max_len_ratio: float = 2.0,
) -> Decoded:
    """K hypotheses per sentence, all sentences and beams in one batch.  src (Ts, B)"""
    Ts, B = src.shape
    K, V = beam, spec.tgt_vocab
    enc = encode(params, spec, src)
    rep = SourceEncoding(
        np.repeat(enc.enc, K, axis=0),
        None if enc.keys is None else np.repeat(enc.keys, K, axis=0),
        np.repeat(enc.state, K, axis=0),
    )
    state = rep.state
    scores = np.full((B, K), -np.inf)
    scores[:, 0] = 0.0  # one live hypothesis at first
    lengths = np.zeros((B, K), dtype=np.int64)
    done = np.zeros((B, K), dtype=bool)
    history = np.zeros((B, K, 0), dtype=np.int32)
    y = np.full(B * K, BOS_ID, dtype=np.int32)
    finished_row = np.full(V, -np.inf)
    finished_row[PAD_ID] = 0.0  # a finished beam extends by pad
    for _ in range(max_steps(Ts, max_len_ratio)):
        logp, state, _ = step(params, spec, rep, state, y)
        logp = logp.astype(np.float64).reshape(B, K, V)
        logp[done] = finished_row
        total = (scores[:, :, None] + logp).reshape(B, K * V)  # (B, K*V)
        best = np.argsort(-total, axis=1, kind="stable")[:, :K]  # (B, K)
        origin, token = best // V, (best % V).astype(np.int32)
        scores = np.take_along_axis(total, best, axis=1)
        was_done = np.take_along_axis(done, origin, axis=1)
        lengths = np.take_along_axis(lengths, origin, axis=1) + ~was_done
        done = was_done | (token == EOS_ID)
        history = np.concatenate(
            [np.take_along_axis(history, origin[:, :, None], axis=1), token[:, :, None]], axis=2
        )
        rows = (origin + np.arange(B)[:, None] * K).reshape(-1)
        state, y = state[rows], token.reshape(-1)
        if done.all():
            break
    normalised = scores / np.maximum(lengths, 1) ** length_norm
    winner = np.argmax(normalised, axis=1)
    return Decoded([_until_eos(history[b, winner[b]]) for b in range(B)], None)
