"""Tokenisation for the translation lab: reversible word or character tokens.

"words": whitespace split, then punctuation split off each word's edges; a split-off piece
carries the joiner "￭" on the side it was glued to, so detokenize(tokenize(s)) == s for text
with single spaces:  "Hello, world." -> ["Hello", "￭,", "world", "￭."].
"chars": one token per character, a space becomes "▁" (useful for Korean or Japanese targets).
"""

from __future__ import annotations

import unicodedata

from core.text_script import mostly_cjk

JOINER = "\uffed"  # ￭ glue marker: the token attaches to its neighbour without a space
SPACE = "\u2581"  # ▁ a space, in character tokenisation
TOKENIZERS = ("words", "chars")


def _is_punct(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PS"


def _split_word(word: str) -> list[str]:
    """Leading and trailing punctuation of one whitespace-free word, each char its own token."""
    i, j = 0, len(word)
    while i < j and _is_punct(word[i]):
        i += 1
    while j > i and _is_punct(word[j - 1]):
        j -= 1
    lead, core, trail = word[:i], word[i:j], word[j:]
    if not core:  # all punctuation: first char stands alone
        lead, core = word[:-1] if len(word) > 1 else "", word[-1] if len(word) > 1 else word
        return [c + JOINER for c in lead] + [core] if lead else [core]
    return [c + JOINER for c in lead] + [core] + [JOINER + c for c in trail]


def tokenize(text: str, kind: str = "words") -> list[str]:
    """One sentence -> tokens of the given kind ("words" | "chars")."""
    if kind == "chars":
        return [SPACE if c == " " else c for c in " ".join(text.split())]
    if kind != "words":
        raise ValueError(f"unknown tokenisation {kind!r}; expected one of {TOKENIZERS}")
    return [t for word in text.split() for t in _split_word(word)]


def detokenize(tokens: list[str], kind: str = "words") -> str:
    """Tokens -> the sentence as it was written (inverse of tokenize)."""
    if kind == "chars":
        return "".join(tokens).replace(SPACE, " ").strip()
    text = " ".join(tokens)
    return text.replace(JOINER + " ", "").replace(" " + JOINER, "").replace(JOINER, "").strip()


def default_target_tokens(targets) -> str:
    """ "chars" for a mostly Hangul, kana or Han target (its words are too many for a word
    vocabulary: a Korean or Japanese word carries its particles), else "words"."""
    return "chars" if mostly_cjk(targets) else "words"


def shown_tokens(tokens: list[str]) -> list[str]:
    """Tokens as a reader knows them, for labels: without the joiner ("￭." -> ".")."""
    return [t.replace(JOINER, "") or t for t in tokens]
