"""An encoder-decoder's shape and parameters.

Parameters are one flat dict of named arrays, so clipping, Adam and gradient checks are loops
over names:
    src_emb (Vs, E), tgt_emb (Vt, E)     embeddings
    enc.<k>, dec.<k>                     the encoder's and decoder's cell parameters
    att.W_a (H, H), att.W_c (2H, H), att.b_c (H,)   attention (when on)
    out.W (H, Vt), out.b (Vt,)           output projection
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from core.cells import get_cell

Params = dict[str, np.ndarray]


@dataclass(frozen=True)
class ModelSpec:
    cell: str  # registered recurrent cell, used by encoder and decoder
    src_vocab: int  # source vocabulary size, specials included
    tgt_vocab: int  # target vocabulary size, specials included
    embed: int = 64  # embedding size E
    hidden: int = 128  # hidden units H per cell
    attention: bool = False  # Luong general attention over the encoder states
    reverse_source: bool = False  # feed the source backwards (Sutskever et al. 2014)

    def to_json(self) -> dict:
        return asdict(self)


def part(params: Params, prefix: str) -> Params:
    """The sub-dict of one component, prefix removed: part(p, "enc") -> {"W": ..., ...}."""
    start = prefix + "."
    return {k[len(start) :]: v for k, v in params.items() if k.startswith(start)}


def prefixed(grads: Params, prefix: str) -> Params:
    return {f"{prefix}.{k}": v for k, v in grads.items()}


def init_params(spec: ModelSpec, rng: np.random.Generator, dtype: str = "float32") -> Params:
    """Embeddings N(0, 0.1^2); cells by their own init; W_a, W_c, out.W ~ N(0, 1/fan_in)."""
    cell = get_cell(spec.cell)
    E, H = spec.embed, spec.hidden

    def normal(shape, std):
        return (rng.standard_normal(shape) * std).astype(dtype)

    params = {
        "src_emb": normal((spec.src_vocab, E), 0.1),
        "tgt_emb": normal((spec.tgt_vocab, E), 0.1),
    }
    params |= prefixed(cell.init(E, H, rng, dtype=dtype), "enc")
    params |= prefixed(cell.init(E, H, rng, dtype=dtype), "dec")
    if spec.attention:
        params |= {
            "att.W_a": normal((H, H), H**-0.5),
            "att.W_c": normal((2 * H, H), (2 * H) ** -0.5),
            "att.b_c": np.zeros(H, dtype=dtype),
        }
    params |= {
        "out.W": normal((H, spec.tgt_vocab), H**-0.5),
        "out.b": np.zeros(spec.tgt_vocab, dtype=dtype),
    }
    return params


def count_parameters(params: Params) -> int:
    return int(sum(p.size for p in params.values()))
