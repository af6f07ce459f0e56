"""Korean particles chosen by the last syllable's final consonant (batchim)."""

from __future__ import annotations

HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3
PARTICLES = {  # role -> (after a final consonant, after a vowel)
    "topic": ("은", "는"),
    "subject": ("이", "가"),
    "object": ("을", "를"),
    "with": ("과", "와"),
}


def has_final_consonant(word: str) -> bool:
    """True when the last Hangul syllable has a batchim: (code - 0xAC00) % 28 != 0."""
    code = ord(word[-1])
    if not HANGUL_FIRST <= code <= HANGUL_LAST:
        raise ValueError(f"{word!r} does not end in a Hangul syllable")
    return (code - HANGUL_FIRST) % 28 != 0


def attach(word: str, role: str) -> str:
    """word + the particle of `role` that fits its last syllable: 책 -> 책을, 사과 -> 사과를."""
    after_consonant, after_vowel = PARTICLES[role]
    return word + (after_consonant if has_final_consonant(word) else after_vowel)
