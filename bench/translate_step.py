"""Time one float32 training step of the translation lab's encoder-decoder against the same
model in PyTorch (when installed; it is not a dependency), one thread each.

    python bench/translate_step.py                    # B=64, Ts=Tt=10, E=64, H=128, V=4000
    python bench/translate_step.py --attention

A step: embeddings -> encoder -> decoder from the encoder's final state (-> Luong general
attention) -> output projection -> masked cross-entropy -> backward -> global-norm clipping ->
Adam. Torch: nn.Embedding, nn.RNN / nn.GRU (reset gate after the product, i.e. our
gru_reset_after), the same attention written with bmm, nn.Linear, cross_entropy with
ignore_index, clip_grad_norm_, optim.Adam. Rounds alternate ours and torch; medians of wall
and process CPU time are printed with the ratios ours / torch. Target: ours <= torch.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.optim import Adam, clip_by_global_norm  # noqa: E402
from core.translate.batching import Batch  # noqa: E402
from core.translate.model import ModelSpec, init_params  # noqa: E402
from core.translate.network import loss_and_grads  # noqa: E402

try:
    import torch
except ImportError:
    torch = None

TORCH_CELLS = {"rnn": "RNN", "gru_reset_after": "GRU", "gru": "GRU"}


def make_batch(rng, B, Ts, Tt, V):
    """A batch with targets of lengths 1..Tt (about half padding at the end of the longest)."""
    lengths = rng.integers(Tt // 2, Tt + 1, size=B)
    tgt = rng.integers(4, V, size=(Tt, B)).astype(np.int32)
    mask = (np.arange(Tt)[:, None] < lengths[None, :]).astype(np.float32)
    tgt_in = np.vstack([np.full((1, B), 2, np.int32), tgt[:-1]])
    return Batch(
        rng.integers(4, V, size=(Ts, B)).astype(np.int32),
        tgt_in,
        np.where(mask > 0, tgt, 0).astype(np.int32),
        mask,
        np.arange(B),
    )


def ours(cell, attention, batch, E, H, V):
    spec = ModelSpec(cell, V, V, E, H, attention)
    params = init_params(spec, np.random.default_rng(0))
    opt = Adam(lr=1e-3)
    state = opt.init(params)

    def step():
        r = loss_and_grads(params, spec, batch)
        opt.update(params, clip_by_global_norm(r.grads, 5.0).grads, state)

    return step


def theirs(cell, attention, batch, E, H, V):
    nn = torch.nn
    kind = getattr(nn, TORCH_CELLS[cell])
    src_emb, tgt_emb = nn.Embedding(V, E), nn.Embedding(V, E)
    enc, dec = kind(E, H), kind(E, H)
    W_a, W_c = nn.Linear(H, H, bias=False), nn.Linear(2 * H, H)
    out = nn.Linear(H, V)
    mods = [src_emb, tgt_emb, enc, dec, out] + ([W_a, W_c] if attention else [])
    params = [p for m in mods for p in m.parameters()]
    opt = torch.optim.Adam(params, lr=1e-3)
    src = torch.from_numpy(batch.src.astype(np.int64))
    tgt_in = torch.from_numpy(batch.tgt_in.astype(np.int64))
    target = torch.from_numpy(np.where(batch.mask > 0, batch.tgt_out, -100).astype(np.int64))

    def step():
        opt.zero_grad()
        enc_hs, h = enc(src_emb(src))  # (Ts, B, H)
        dec_hs, _ = dec(tgt_emb(tgt_in), h)  # (Tt, B, H)
        o = dec_hs
        if attention:
            e, d = enc_hs.transpose(0, 1), dec_hs.transpose(0, 1)  # (B, T, H)
            a = torch.softmax(torch.bmm(d, W_a(e).transpose(1, 2)), dim=-1)
            o = torch.tanh(W_c(torch.cat([torch.bmm(a, e), d], dim=-1))).transpose(0, 1)
        logits = out(o)
        loss = torch.nn.functional.cross_entropy(
            logits.reshape(-1, V), target.reshape(-1), ignore_index=-100
        )
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 5.0)
        opt.step()

    return step


def median_time(step, repeats):
    """Median (wall, CPU) seconds of one step; CPU time is less disturbed by other programs."""
    step()
    wall, cpu = [], []
    for _ in range(repeats):
        t, c = time.perf_counter(), time.process_time()
        step()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--src-len", type=int, default=10)
    p.add_argument("--tgt-len", type=int, default=10)
    p.add_argument("--embed", type=int, default=64)
    p.add_argument("--hidden", type=int, default=128)
    p.add_argument("--vocab", type=int, default=4000)
    p.add_argument("--attention", action="store_true")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--repeats", type=int, default=10)
    args = p.parse_args()
    batch = make_batch(np.random.default_rng(0), args.batch, args.src_len, args.tgt_len, args.vocab)
    sizes = (args.embed, args.hidden, args.vocab)
    if torch is not None:
        torch.set_num_threads(1)
    print(
        f"B={args.batch} Ts={args.src_len} Tt={args.tgt_len} E={args.embed} "
        f"H={args.hidden} V={args.vocab} attention={args.attention}, 1 thread each"
    )
    with threadpool_limits(limits=1, user_api="blas"):
        for cell in ("rnn", "gru", "gru_reset_after"):
            a = ours(cell, args.attention, batch, *sizes)
            b = theirs(cell, args.attention, batch, *sizes) if torch is not None else None
            mine, yours = [], []
            for _ in range(args.rounds):
                mine.append(median_time(a, args.repeats))
                if b is not None:
                    yours.append(median_time(b, args.repeats))
            mw, mc = (statistics.median(x) * 1e3 for x in zip(*mine, strict=True))
            line = f"{cell:16s} ours {mw:7.2f} ms wall {mc:7.2f} ms CPU"
            if yours:
                tw, tc = (statistics.median(x) * 1e3 for x in zip(*yours, strict=True))
                line += (
                    f" | torch nn.{TORCH_CELLS[cell]} {tw:7.2f} ms wall {tc:7.2f} ms CPU"
                    f" | ours/torch wall {mw / tw:.2f} CPU {mc / tc:.2f}"
                )
            print(line, flush=True)


if __name__ == "__main__":
    main()
