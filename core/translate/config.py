"""The configuration of one translation experiment (every model shares it)."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class TranslateConfig:
    models: tuple[str, ...] = ("rnn", "gru")  # registered cells, trained side by side
    embed: int = 64  # embedding size per side
    hidden: int = 128  # hidden units of encoder and decoder
    attention: bool = False  # Luong general attention
    reverse_source: bool = False  # feed the source backwards (Sutskever et al. 2014)
    src_tokens: str = "words"  # source tokenisation: words | chars
    tgt_tokens: str = "words"  # target tokenisation: words | chars
    vocab_size: int = 4000  # cap per side, the four specials included
    min_count: int = 1  # a token seen fewer times becomes <unk>
    batch_size: int = 64  # sentences per batch (one source length per batch)
    lr: float = 2e-3  # Adam learning rate
    clip: float = 5.0  # global gradient-norm clipping threshold (0 = off)
    epochs: int = 10  # passes over the training pairs (an upper bound with a budget)
    time_budget: float | None = None  # seconds per model, checkpoints included
    budget_clock: str = "wall"  # what the budget counts: wall (time) | cpu (this process's)
    checkpoint_every: int = 0  # steps between dev checkpoints; 0 = once per epoch
    dev_limit: int = 500  # dev pairs decoded for the checkpoint BLEU
    max_len_ratio: float = 2.0  # decoding stops after ratio * source length + 10 tokens
    bleu_tokenize: str = "13a"  # sacrebleu tokenizer for every BLEU score, on detokenized text
    seed: int = 0  # drives initialisation and batch order

    def to_json(self) -> dict:
        d = asdict(self)
        d["models"] = list(self.models)
        return d

    @classmethod
    def from_json(cls, d: dict) -> TranslateConfig:
        known = {k: v for k, v in d.items() if k in cls.__dataclass_fields__}
        known["models"] = tuple(known.get("models", cls.models))
        return cls(**known)
