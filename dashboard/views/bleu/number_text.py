"""How the BLEU page writes a number, in its tables and in every report made from them (HTML,
LaTeX): one function, so a p-value reads 0.0010 on the page and in the paper alike."""

from __future__ import annotations

from numbers import Integral

import pandas as pd

P_COLUMNS = ("p (bootstrap)", "p (AR)")  # p-values: 4 decimals (sacrebleu's smallest is 1e-4)
MISSING = "-"  # no number (the baseline's p-value against itself)


def cell_text(column: str, value) -> str:
    """A corpus-table cell as shown: text as it is, '-' for a missing number, p-values to 4
    decimals, counts as whole numbers, every other number to 2 decimals."""
    if isinstance(value, str):
        return value
    if value is None or value != value:
        return MISSING
    if column in P_COLUMNS:
        return f"{value:.4f}"
    if isinstance(value, Integral):
        return str(value)
    return f"{value:.2f}"


def corpus_text(frame: pd.DataFrame) -> pd.DataFrame:
    """The corpus table (sections.corpus_frame) with every cell as the page shows it."""
    return frame.apply(lambda col: col.map(lambda v: cell_text(col.name, v)))
