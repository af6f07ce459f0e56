"""Which writing systems a text's letters are in: the share of Latin, Hangul, kana, Han,
Cyrillic, ... letters. Lines in another script than their reference (Korean output scored
against an English reference) are a wrong file or a wrong language, not a bad translation.

Only letters of the scripts below count; digits, punctuation, spaces and symbols count for none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

# script -> character class (Unicode blocks, fullwidth and halfwidth forms included)
SCRIPTS = {
    "Latin": "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff\uff21-\uff3a\uff41-\uff5a",
    "Greek": "\u0370-\u03ff\u1f00-\u1fff",
    "Cyrillic": "\u0400-\u052f",
    "Armenian": "\u0531-\u058f",
    "Hebrew": "\u05d0-\u05ff",
    "Arabic": "\u0620-\u064a\u066e-\u06d3\u0750-\u077f",
    "Devanagari": "\u0900-\u097f",
    "Thai": "\u0e00-\u0e7f",
    "Georgian": "\u10a0-\u10ff",
    "Hangul": "\u1100-\u11ff\u3131-\u318e\uac00-\ud7af\uffa0-\uffdc",
    "Kana": "\u3041-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f",
    "Han": "\u3005\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f",
}
_RUNS = {name: re.compile(f"[{chars}]+") for name, chars in SCRIPTS.items()}


def script_shares(lines: Iterable[str]) -> dict[str, float]:
    """Share of each script among the letters: p_s = n_s / sum_t n_t, n_s = letters of script s.
    Scripts with no letter are left out; {} when there is no letter at all."""
    text = "\n".join(lines)
    counts = {name: sum(map(len, run.findall(text))) for name, run in _RUNS.items()}
    total = sum(counts.values())
    return {name: n / total for name, n in counts.items() if n} if total else {}


def dominant_script(shares: Mapping[str, float]) -> str | None:
    """The script with the largest share; None for a text without letters."""
    return max(shares, key=shares.get) if shares else None


def script_distance(p: Mapping[str, float], q: Mapping[str, float]) -> float:
    """Total variation distance d = 1/2 sum_s |p_s - q_s|: 0 for the same mix of scripts, 1
    for disjoint ones; 0 when either text has no letters (nothing to compare)."""
    if not p or not q:
        return 0.0
    return 0.5 * sum(abs(p.get(s, 0.0) - q.get(s, 0.0)) for s in {*p, *q})


CJK = ("Hangul", "Kana", "Han")  # scripts whose words are too many for a word vocabulary


def mostly_cjk(lines: Iterable[str], threshold: float = 0.5) -> bool:
    """True when Hangul, kana and Han letters together are more than `threshold` of the text."""
    shares = script_shares(lines)
    return sum(shares.get(s, 0.0) for s in CJK) > threshold
