"""Which writing systems a text is in: the share of its letters in each script.

    script_shares(["톰은 학생이다.", "Tom."])  ->  {"hangul": 0.625, "latin": 0.375, ...}

Only letters count (no digits, spaces or punctuation). Scripts are told apart by Unicode block:
Hangul syllables and jamo; kana (hiragana, katakana); Han (CJK ideographs, shared by Chinese,
Japanese kanji and Korean hanja); Latin; everything else is "other".
"""

from __future__ import annotations

from collections.abc import Iterable

SCRIPTS = ("hangul", "kana", "han", "latin", "other")
RANGES = {  # (first, last) code points per script
    "hangul": ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7AF)),
    "kana": ((0x3040, 0x309F), (0x30A0, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F)),
    "han": ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F)),
    "latin": ((0x41, 0x5A), (0x61, 0x7A), (0xC0, 0x24F), (0x1E00, 0x1EFF)),
}
CJK = ("hangul", "kana", "han")  # scripts whose words are too many for a word vocabulary


def script_of(ch: str) -> str:
    code = ord(ch)
    for script, ranges in RANGES.items():
        if any(lo <= code <= hi for lo, hi in ranges):
            return script
    return "other"


def script_shares(lines: Iterable[str]) -> dict[str, float]:
    """Share of the letters of `lines` in each of SCRIPTS (summing to 1; all 0 without letters)."""
    counts = dict.fromkeys(SCRIPTS, 0)
    for line in lines:
        for ch in line:
            if ch.isalpha():
                counts[script_of(ch)] += 1
    total = sum(counts.values())
    return {s: (n / total if total else 0.0) for s, n in counts.items()}


def mostly_cjk(lines: Iterable[str], threshold: float = 0.5) -> bool:
    """True when Hangul, kana and Han letters together are more than `threshold` of the text."""
    shares = script_shares(lines)
    return sum(shares[s] for s in CJK) > threshold
