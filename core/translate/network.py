"""The encoder-decoder's forward pass, masked cross-entropy and hand-written backward.

s_1..s_Ts = Enc(src_emb[x])                   encoder states, final state S_enc
d_1..d_Tt = Dec(tgt_emb[<s> y], S_enc)        decoder starts from the encoder's final state
o_t = Attn(s, d_t) or d_t;   p_t = softmax(o_t W_o + b_o)
L = -sum_t m_t log p_t[y_t] / sum_t m_t       masked mean over real target tokens
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.cells import get_cell
from core.translate.attention import attention_backward, attention_forward
from core.translate.batching import Batch
from core.translate.model import ModelSpec, Params, part, prefixed


@dataclass
class LossAndGrads:
    loss: float  # masked mean cross-entropy per target token
    n_tokens: int  # real target tokens in the batch
    grads: Params  # same keys as the parameters
    source_grad: np.ndarray  # (Ts, B) ||dL/ds_j||, the gradient reaching each source state
    attention: np.ndarray | None  # (B, Tt, Ts) attention weights, when on


def _forward(params: Params, spec: ModelSpec, batch: Batch):
    cell = get_cell(spec.cell)
    xs = params["src_emb"][batch.src]  # (Ts, B, E)
    enc_hs, enc_cache = cell.forward(part(params, "enc"), xs, None)  # (Ts, B, H)
    ys = params["tgt_emb"][batch.tgt_in]  # (Tt, B, E)
    dec_hs, dec_cache = cell.forward(part(params, "dec"), ys, cell.final_state(enc_cache))
    dec_bm = dec_hs.transpose(1, 0, 2)  # (B, Tt, H)
    att = None
    if spec.attention:
        att = attention_forward(params, enc_hs.transpose(1, 0, 2), dec_bm)
        out = att.out  # (B, Tt, H)
    else:
        out = dec_bm
    logits = out.reshape(-1, spec.hidden) @ params["out.W"] + params["out.b"]  # (B*Tt, V)
    return cell, enc_cache, dec_cache, att, out, logits


def log_softmax(logits: np.ndarray) -> np.ndarray:
    """log p = z - max z - log sum exp(z - max z), in place.  (N, V)"""
    logits -= logits.max(axis=1, keepdims=True)
    logits -= np.log(np.exp(logits).sum(axis=1, keepdims=True))
    return logits


def batch_loss(params: Params, spec: ModelSpec, batch: Batch) -> tuple[float, int]:
    """Summed cross-entropy over real target tokens and their count (no backward)."""
    *_, logits = _forward(params, spec, batch)
    logp = log_softmax(logits)
    target = batch.tgt_out.T.reshape(-1)  # (B*Tt,)
    mask = batch.mask.T.reshape(-1)  # (B*Tt,)
    picked = logp[np.arange(len(target)), target]
    return float(-(picked * mask).sum()), batch.n_tokens


def loss_and_grads(params: Params, spec: ModelSpec, batch: Batch) -> LossAndGrads:
    """Forward, masked mean cross-entropy, and exact gradients of every parameter."""
    cell, enc_cache, dec_cache, att, out, logits = _forward(params, spec, batch)
    Ts, B = batch.src.shape
    H, n = spec.hidden, batch.n_tokens
    target = batch.tgt_out.T.reshape(-1)  # (B*Tt,)
    weight = (batch.mask.T.reshape(-1) / n).astype(logits.dtype)[:, None]  # (B*Tt, 1)
    rows = np.arange(len(target))
    logp = log_softmax(logits)
    loss = float(-(logp[rows, target] * weight[:, 0]).sum())
    d_logits = np.exp(logp, out=logp)  # softmax, (B*Tt, V)
    d_logits[rows, target] -= 1
    d_logits *= weight
    flat_out = out.reshape(-1, H)  # (B*Tt, H)
    grads = {"out.W": flat_out.T @ d_logits, "out.b": d_logits.sum(axis=0)}
    d_out = (d_logits @ params["out.W"].T).reshape(out.shape)  # (B, Tt, H)
    d_enc_from_att = None
    if att is not None:
        att_grads, d_enc_bm, d_dec_bm = attention_backward(params, att, d_out)
        grads |= att_grads
        d_enc_from_att = d_enc_bm.transpose(1, 0, 2)  # (Ts, B, H)
    else:
        d_dec_bm = d_out
    dec = cell.backward(part(params, "dec"), dec_cache, d_dec_bm.transpose(1, 0, 2))
    d_enc_hs = (
        np.zeros((Ts, B, H), dtype=logits.dtype) if d_enc_from_att is None else d_enc_from_att
    )
    enc = cell.backward(part(params, "enc"), enc_cache, d_enc_hs, dec.h0)
    grads |= prefixed(dec.params, "dec") | prefixed(enc.params, "enc")
    grads["src_emb"] = _embedding_grad(params["src_emb"], batch.src, enc.xs)
    grads["tgt_emb"] = _embedding_grad(params["tgt_emb"], batch.tgt_in, dec.xs)
    source_grad = np.sqrt((enc.hs.astype(np.float64) ** 2).sum(axis=2))  # (Ts, B)
    return LossAndGrads(loss, n, grads, source_grad, None if att is None else att.weights)


def _embedding_grad(emb: np.ndarray, ids: np.ndarray, d_xs: np.ndarray) -> np.ndarray:
    """dE[v] = sum of d_x over the positions holding token v.  ids (T, B), d_xs (T, B, E)"""
    grad = np.zeros_like(emb)
    np.add.at(grad, ids.reshape(-1), d_xs.reshape(-1, emb.shape[1]))
    return grad
