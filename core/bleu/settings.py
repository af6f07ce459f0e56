"""BleuSettings: every choice that changes a BLEU analysis, frozen so it can be a cache key."""

from __future__ import annotations

import importlib.util
from dataclasses import asdict, dataclass

from sacrebleu.metrics import BLEU, CHRF, TER

from core.config import freeze, from_dict, setting, validate

TOKENIZERS = ("13a", "intl", "zh", "ja-mecab", "char", "none")
SMOOTH_METHODS = ("exp", "floor", "add-k", "none")


def available_tokenizers() -> tuple[str, ...]:
    """The tokenizers usable here: ja-mecab only when its MeCab bindings are installed."""
    has_mecab = importlib.util.find_spec("MeCab") is not None
    return tuple(t for t in TOKENIZERS if t != "ja-mecab" or has_mecab)


@dataclass(frozen=True)
class BleuSettings:
    tokenize: str = setting("13a", help="sacrebleu tokenizer", choices=available_tokenizers)
    lowercase: bool = setting(False, help="case-insensitive BLEU and chrF")
    smooth_method: str = setting(
        "exp", help="sentence-BLEU smoothing", choices=SMOOTH_METHODS, flag="--smooth"
    )
    smooth_value: float | None = setting(
        None,
        help="the floor / add-k value (unset: sacrebleu's, 0.1 / 1)",
        low=0.0,
        high=100.0,
    )
    max_ngram_order: int = setting(
        4, help="BLEU's highest n-gram order N (weights 1/N)", low=1, high=10
    )
    chrf_char_order: int = setting(6, help="chrF character n-gram order", low=1, high=20)
    chrf_word_order: int = setting(0, help="chrF word n-gram order (2 = chrF++)", low=0, high=10)
    chrf_beta: int = setting(2, help="chrF recall weight beta", low=1, high=10)
    chrf_eps_smoothing: bool = setting(
        False, help="chrF++.py-style epsilon smoothing instead of effective order"
    )
    compute_ter: bool = setting(False, help="also compute TER (slow)", flag="--ter")
    bootstrap_samples: int = setting(
        1000,
        help="paired bootstrap resamples (also the buckets' intervals)",
        low=1,
        high=100_000,
        flag="--bootstrap",
    )
    ar_trials: int = setting(
        10000, help="approximate randomization trials (0 skips the test)", low=0, high=1_000_000
    )
    # sacrebleu reads seed 0 as "no seed" (random); only a real seed reproduces its p-values
    seed: int = setting(
        12345, help="RNG seed of both tests (sacrebleu's SACREBLEU_SEED)", low=1, high=2**32 - 1
    )
    baseline: str | int = setting(0, help="baseline system: its name or position", low=0)
    bucket_cutoffs: tuple[int, ...] = setting(
        (10, 20, 30, 40, 50, 60),
        help="reference-length bucket edges",
        unit="tokens",
        low=1,
        high=10_000,
    )

    def __post_init__(self) -> None:
        freeze(self)
        validate(self, _cross_problems)

    def corpus_bleu(self) -> BLEU:
        """sacrebleu's corpus BLEU with these settings (exp smoothing, no effective order)."""
        return BLEU(
            tokenize=self.tokenize,
            lowercase=self.lowercase,
            force=True,
            max_ngram_order=self.max_ngram_order,
        )

    def sentence_bleu(self) -> BLEU:
        """sacrebleu's sentence BLEU: effective order and the chosen smoothing."""
        return BLEU(
            tokenize=self.tokenize,
            lowercase=self.lowercase,
            force=True,
            max_ngram_order=self.max_ngram_order,
            effective_order=True,
            smooth_method=self.smooth_method,
            smooth_value=self.smooth_value,
        )

    def chrf(self) -> CHRF:
        """sacrebleu's chrF with these settings."""
        return CHRF(
            char_order=self.chrf_char_order,
            word_order=self.chrf_word_order,
            beta=self.chrf_beta,
            lowercase=self.lowercase,
            eps_smoothing=self.chrf_eps_smoothing,
        )

    def ter(self) -> TER:
        """sacrebleu's TER with its defaults (case-insensitive, like the sacrebleu CLI)."""
        return TER()

    def extraction_key(self) -> tuple:
        """The fields that change the extracted statistics or their signatures: statistics
        extracted under equal keys serve any smoothing, baseline, resampling or buckets."""
        return (
            self.tokenize,
            self.lowercase,
            self.max_ngram_order,
            self.chrf_char_order,
            self.chrf_word_order,
            self.chrf_eps_smoothing,
        )

    def to_dict(self) -> dict:
        d = asdict(self)
        d["bucket_cutoffs"] = list(self.bucket_cutoffs)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> BleuSettings:
        return from_dict(cls, d)


def _cross_problems(s: BleuSettings) -> list[str]:
    cutoffs = list(s.bucket_cutoffs)
    if cutoffs != sorted(set(cutoffs)):
        return [f"bucket_cutoffs must be strictly increasing; got {cutoffs}."]
    return []
