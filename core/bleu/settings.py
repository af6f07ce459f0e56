"""BleuSettings: every choice that changes a BLEU analysis, frozen so it can be a cache key."""

from __future__ import annotations

import importlib.util
from dataclasses import asdict, dataclass, fields

from sacrebleu.metrics import BLEU, CHRF, TER

TOKENIZERS = ("13a", "intl", "zh", "ja-mecab", "char", "none")
SMOOTH_METHODS = ("exp", "floor", "add-k", "none")


def available_tokenizers() -> tuple[str, ...]:
    """The tokenizers usable here: ja-mecab only when its MeCab bindings are installed."""
    has_mecab = importlib.util.find_spec("MeCab") is not None
    return tuple(t for t in TOKENIZERS if t != "ja-mecab" or has_mecab)


@dataclass(frozen=True)
class BleuSettings:
    tokenize: str = "13a"  # sacrebleu tokenizer: 13a | intl | zh | ja-mecab | char | none
    lowercase: bool = False  # case-insensitive BLEU and chrF
    smooth_method: str = "exp"  # sentence-BLEU smoothing: exp | floor | add-k | none
    smooth_value: float | None = None  # floor / add-k value; None = sacrebleu default (0.1 / 1)
    max_ngram_order: int = 4  # BLEU's highest n-gram order N (weights 1/N)
    chrf_char_order: int = 6  # chrF character n-gram order
    chrf_word_order: int = 0  # chrF word n-gram order (2 = chrF++)
    chrf_beta: int = 2  # chrF recall weight beta
    chrf_eps_smoothing: bool = False  # chrF++.py-style epsilon smoothing instead of effective order
    compute_ter: bool = False  # TER too (slow: an edit distance per sentence)
    bootstrap_samples: int = 1000  # paired bootstrap resamples (also bucket intervals)
    ar_trials: int = 10000  # approximate-randomization trials; 0 skips the AR test
    seed: int = 12345  # RNG seed for both tests (sacrebleu's SACREBLEU_SEED)
    baseline: str | int = 0  # baseline system for comparisons: name or position
    bucket_cutoffs: tuple[int, ...] = (10, 20, 30, 40, 50, 60)  # reference-length bucket edges

    def __post_init__(self) -> None:
        object.__setattr__(self, "bucket_cutoffs", tuple(int(c) for c in self.bucket_cutoffs))
        problems = _problems(self)
        if problems:
            raise ValueError("invalid BleuSettings: " + "; ".join(problems))

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
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(d) - known)
        if unknown:
            raise ValueError(f"unknown BleuSettings fields: {', '.join(unknown)}")
        return cls(**d)


def _problems(s: BleuSettings) -> list[str]:
    cutoffs = s.bucket_cutoffs
    checks = [
        (s.tokenize in TOKENIZERS, f"tokenize must be one of {TOKENIZERS}, got {s.tokenize!r}"),
        (
            s.tokenize in available_tokenizers(),
            f"tokenizer {s.tokenize!r} needs a package that is not installed",
        ),
        (
            s.smooth_method in SMOOTH_METHODS,
            f"smooth_method must be one of {SMOOTH_METHODS}, got {s.smooth_method!r}",
        ),
        (s.smooth_value is None or s.smooth_value >= 0, "smooth_value must be >= 0"),
        (s.max_ngram_order >= 1, "max_ngram_order must be >= 1"),
        (s.chrf_char_order >= 1 and s.chrf_word_order >= 0, "chrF orders must be >= 1 / >= 0"),
        (s.chrf_beta >= 1, "chrf_beta must be >= 1"),
        (s.bootstrap_samples >= 1, "bootstrap_samples must be >= 1"),
        (s.ar_trials >= 0, "ar_trials must be >= 0 (0 skips the test)"),
        # sacrebleu reads seed 0 as "no seed" (random); only a real seed reproduces its p-values
        (s.seed >= 1, "seed must be >= 1"),
        (isinstance(s.baseline, str) or s.baseline >= 0, "baseline index must be >= 0"),
        (
            all(c > 0 for c in cutoffs) and list(cutoffs) == sorted(set(cutoffs)),
            "bucket_cutoffs must be positive and strictly increasing",
        ),
    ]
    return [msg for ok, msg in checks if not ok]
