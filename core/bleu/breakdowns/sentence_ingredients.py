"""One sentence's BLEU ingredients as a small table (for the page's sentence detail)."""

from __future__ import annotations

import math

import pandas as pd


def brevity_penalty(hyp_len: int, ref_len: int) -> float:
    """BP = 1 if c >= r, exp(1 - r/c) if 0 < c < r, 0 if c = 0 < r (sacrebleu's rule)."""
    if hyp_len >= ref_len:
        return 1.0
    return math.exp(1.0 - ref_len / hyp_len) if hyp_len > 0 else 0.0


def order_table(matches: list[int], totals: list[int]) -> pd.DataFrame:
    """Clipped matches m_n, hypothesis n-grams t_n and the raw precision 100 m_n / t_n per order
    (before smoothing; sentence BLEU smooths orders with m_n = 0)."""
    precision = [100.0 * m / t if t else float("nan") for m, t in zip(matches, totals, strict=True)]
    return pd.DataFrame(
        {
            "n": range(1, len(matches) + 1),
            "matched": matches,
            "of": totals,
            "%": precision,
        }
    )
