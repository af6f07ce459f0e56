"""Luong "general" attention with an attentional hidden state, and its exact backward.

    score_tj = d_t . (s_j W_a)          a_t = softmax_j(score_t)         c_t = sum_j a_tj s_j
    o_t = tanh(c_t W_c[:H] + d_t W_c[H:] + b_c)

s_j encoder states, d_t decoder states. Batch-major: enc (B, Ts, H), dec (B, Tt, H).
Parameters: W_a (H, H), W_c (2H, H), b_c (H,).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class AttentionCache:
    enc: np.ndarray  # (B, Ts, H) encoder states
    dec: np.ndarray  # (B, Tt, H) decoder states
    keys: np.ndarray  # (B, Ts, H) s_j W_a
    weights: np.ndarray  # (B, Tt, Ts) a_tj, kept for display
    context: np.ndarray  # (B, Tt, H) c_t
    out: np.ndarray  # (B, Tt, H) o_t


def softmax(scores: np.ndarray) -> np.ndarray:
    """exp(s - max) / sum exp(s - max) over the last axis."""
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def attention_keys(W_a: np.ndarray, enc: np.ndarray) -> np.ndarray:
    """s_j W_a for every source position.  enc (B, Ts, H) -> (B, Ts, H)"""
    return enc @ W_a


def attention_forward(
    params, enc: np.ndarray, dec: np.ndarray, keys: np.ndarray | None = None
) -> AttentionCache:
    """enc (B, Ts, H), dec (B, Tt, H) -> cache with out (B, Tt, H)."""
    H = enc.shape[2]
    keys = attention_keys(params["att.W_a"], enc) if keys is None else keys  # (B, Ts, H)
    weights = softmax(dec @ keys.transpose(0, 2, 1))  # (B, Tt, Ts)
    context = weights @ enc  # (B, Tt, H)
    W_c = params["att.W_c"]
    out = np.tanh(context @ W_c[:H] + dec @ W_c[H:] + params["att.b_c"])  # (B, Tt, H)
    return AttentionCache(enc, dec, keys, weights, context, out)


def attention_backward(params, cache: AttentionCache, d_out: np.ndarray):
    """d_out (B, Tt, H) -> (grads of W_a, W_c, b_c; d_enc (B, Ts, H); d_dec (B, Tt, H))."""
    enc, dec, keys, a = cache.enc, cache.dec, cache.keys, cache.weights
    H = enc.shape[2]
    W_c = params["att.W_c"]
    d_pre = d_out * (1 - cache.out * cache.out)  # (B, Tt, H)
    flat = d_pre.reshape(-1, H)  # (B*Tt, H)
    d_W_c = np.vstack([cache.context.reshape(-1, H).T @ flat, dec.reshape(-1, H).T @ flat])
    d_context = d_pre @ W_c[:H].T  # (B, Tt, H)
    d_dec = d_pre @ W_c[H:].T  # (B, Tt, H)
    d_a = d_context @ enc.transpose(0, 2, 1)  # (B, Tt, Ts)
    d_enc = a.transpose(0, 2, 1) @ d_context  # (B, Ts, H)
    d_scores = a * (d_a - (d_a * a).sum(axis=-1, keepdims=True))  # (B, Tt, Ts)
    d_dec += d_scores @ keys  # (B, Tt, H)
    d_keys = d_scores.transpose(0, 2, 1) @ dec  # (B, Ts, H)
    d_enc += d_keys @ params["att.W_a"].T
    d_W_a = enc.reshape(-1, H).T @ d_keys.reshape(-1, H)  # (H, H)
    grads = {"att.W_a": d_W_a, "att.W_c": d_W_c, "att.b_c": d_pre.sum(axis=(0, 1))}
    return grads, d_enc, d_dec
