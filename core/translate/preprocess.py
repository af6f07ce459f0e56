"""Text <-> ids for one translation direction: tokenisation, vocabularies, source reversal."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.translate.batching import EncodedPairs
from core.translate.config import TranslateConfig
from core.translate.corpus import ParallelCorpus
from core.translate.readers import Pairs
from core.translate.tokenize import detokenize, tokenize
from core.translate.vocab import Vocabulary, build_vocabulary


@dataclass(frozen=True)
class TextCodec:
    src_vocab: Vocabulary
    tgt_vocab: Vocabulary
    src_tokens: str  # words | chars
    tgt_tokens: str  # words | chars
    reverse_source: bool  # the encoder reads the source backwards

    def source_ids(self, sentence: str) -> np.ndarray:
        ids = self.src_vocab.encode(tokenize(sentence, self.src_tokens))
        ids = ids if len(ids) else self.src_vocab.encode(["<unk>"])  # never an empty source
        return ids[::-1].copy() if self.reverse_source else ids

    def target_ids(self, sentence: str) -> np.ndarray:
        return self.tgt_vocab.encode(tokenize(sentence, self.tgt_tokens))

    def target_text(self, ids) -> str:
        return detokenize(self.tgt_vocab.decode(ids), self.tgt_tokens)

    def encode_pairs(self, pairs: Pairs) -> EncodedPairs:
        return EncodedPairs(
            tuple(self.source_ids(s) for s in pairs.source),
            tuple(self.target_ids(t) for t in pairs.target),
        )

    def to_json(self) -> dict:
        return {
            "src_vocab": list(self.src_vocab.tokens),
            "tgt_vocab": list(self.tgt_vocab.tokens),
            "src_tokens": self.src_tokens,
            "tgt_tokens": self.tgt_tokens,
            "reverse_source": self.reverse_source,
        }

    @classmethod
    def from_json(cls, d: dict) -> TextCodec:
        return cls(
            Vocabulary(tuple(d["src_vocab"])),
            Vocabulary(tuple(d["tgt_vocab"])),
            d["src_tokens"],
            d["tgt_tokens"],
            bool(d["reverse_source"]),
        )


def build_codec(train: Pairs, cfg: TranslateConfig) -> TextCodec:
    """Vocabularies from the training pairs only."""
    src = build_vocabulary(
        (tokenize(s, cfg.src_tokens) for s in train.source), cfg.vocab_size, cfg.min_count
    )
    tgt = build_vocabulary(
        (tokenize(t, cfg.tgt_tokens) for t in train.target), cfg.vocab_size, cfg.min_count
    )
    return TextCodec(src, tgt, cfg.src_tokens, cfg.tgt_tokens, cfg.reverse_source)


@dataclass(frozen=True)
class PreparedCorpus:
    corpus: ParallelCorpus
    codec: TextCodec
    train: EncodedPairs
    dev: EncodedPairs
    test: EncodedPairs


def prepare(corpus: ParallelCorpus, cfg: TranslateConfig) -> PreparedCorpus:
    codec = build_codec(corpus.train, cfg)
    return PreparedCorpus(
        corpus,
        codec,
        codec.encode_pairs(corpus.train),
        codec.encode_pairs(corpus.dev),
        codec.encode_pairs(corpus.test),
    )
