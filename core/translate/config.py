"""The configuration of one translation experiment (every model shares it), and how its test
set is decoded. Each field is a `setting` (core.config): its help, unit and limits feed the
checks, the `python -m core.translate` flags and the Translate form's widgets."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from core import config as settings
from core.bleu.settings import TOKENIZERS as BLEU_TOKENIZERS
from core.cells import cell_names
from core.config import setting
from core.translate.tokenize import TOKENIZERS

BUDGET_CLOCKS = ("wall", "cpu")
UNBOUNDED_EPOCHS = 10**6  # the epochs of a run that a time budget stops


@dataclass(frozen=True)
class TranslateConfig:
    models: tuple[str, ...] = setting(
        ("rnn", "gru"), help="Registered cells, trained side by side.", choices=cell_names
    )
    embed: int = setting(64, help="Embedding size per side.", low=1, high=1024, form=(4, 512))
    hidden: int = setting(
        128, help="Hidden units of encoder and decoder.", low=1, high=1024, form=(4, 512)
    )
    attention: bool = setting(False, help="Luong general attention.")
    reverse_source: bool = setting(False, help="Feed the source backwards (Sutskever et al. 2014).")
    src_tokens: str = setting("words", help="Source tokenisation.", choices=TOKENIZERS)
    tgt_tokens: str = setting("words", help="Target tokenisation.", choices=TOKENIZERS)
    vocab_size: int = setting(
        4000, help="Vocabulary cap per side, the four specials included.", low=5, high=100_000
    )
    min_count: int = setting(
        1, help="A token seen fewer times becomes <unk>.", low=1, high=1_000_000
    )
    batch_size: int = setting(
        64, help="Sentences per batch (one source length per batch).", low=1, high=4096
    )
    lr: float = setting(2e-3, help="Adam learning rate.", above=0.0, high=10.0)
    clip: float = setting(
        5.0, help="Global gradient-norm clipping threshold (0 = off).", low=0.0, high=100.0
    )
    epochs: int = setting(
        10,
        help="Passes over the training pairs (an upper bound with a time budget).",
        low=1,
        high=UNBOUNDED_EPOCHS,
        form=(1, 1000),
    )
    time_budget: float | None = setting(
        None,
        help="Training time per model, checkpoints included (epochs then unbounded).",
        unit="s",
        low=0.0,
        high=10**6,
        form=(5, 3600),
    )
    budget_clock: str = setting(
        "wall",
        help="What the time budget counts: wall time, or this process's CPU time.",
        choices=BUDGET_CLOCKS,
    )
    checkpoint_every: int = setting(
        0, help="Steps between dev checkpoints; 0 = once per epoch.", low=0, high=10**6
    )
    dev_limit: int = setting(
        500, help="Dev pairs decoded for each checkpoint's BLEU.", low=1, high=1_000_000
    )
    max_len_ratio: float = setting(
        2.0,
        help="Decoding stops after ratio * source length + 10 tokens.",
        above=0.0,
        high=100.0,
    )
    bleu_tokenize: str = setting(
        "13a",
        help="sacrebleu tokenizer for every BLEU score, on detokenized text.",
        choices=BLEU_TOKENIZERS,
    )
    seed: int = setting(
        0, help="Seed of the splits, initialisation and batch order.", low=0, high=2**31 - 1
    )

    def __post_init__(self) -> None:
        settings.freeze(self)
        settings.validate(self)

    def with_time_budget(self, seconds: float | None) -> TranslateConfig:
        """This config stopped by `seconds` of training per model instead of its epochs (None:
        unchanged): the epochs become an unreachable bound."""
        if seconds is None:
            return self
        return replace(self, time_budget=seconds, epochs=UNBOUNDED_EPOCHS)

    def to_json(self) -> dict:
        d = asdict(self)
        d["models"] = list(self.models)
        return d

    @classmethod
    def from_json(cls, d: dict) -> TranslateConfig:
        """A stored config (missing fields take their defaults); unknown ones are refused."""
        return settings.from_dict(cls, d)


@dataclass(frozen=True)
class DecodeSettings:
    """How the test set (or a file) is translated."""

    beam: int = setting(1, help="Beam size (1 = greedy).", low=1, high=64, form=(1, 16))
    length_norm: float = setting(
        1.0,
        help="Beam length normalisation: log p(y) / |y|^this (0 = raw, 1 = per-token mean).",
        low=0.0,
        high=10.0,
    )

    def __post_init__(self):
        settings.validate(self)
