"""small_parallel_enja (real Japanese-English pairs, beside the repository; skipped without it):
read as aligned files, tokenised reversibly, vocabularies capped as the benchmarks use them."""

from __future__ import annotations

import pytest

from core.translate.config import TranslateConfig
from core.translate.corpus import ParallelCorpus
from core.translate.preprocess import build_codec
from core.translate.readers import read_aligned
from core.translate.tokenize import detokenize, tokenize

pytestmark = pytest.mark.slow  # reads and tokenises 100,000 sentences


def _split(folder, name):
    ja, en = folder / f"{name}.ja", folder / f"{name}.en"
    return read_aligned(ja.name, ja.read_bytes(), en.name, en.read_bytes())


@pytest.fixture(scope="module")
def enja(enja_dir) -> ParallelCorpus:
    return ParallelCorpus(
        _split(enja_dir, "train"),
        _split(enja_dir, "dev"),
        _split(enja_dir, "test"),
        "small_parallel_enja",
    )


def test_sizes_match_the_readme(enja):
    assert enja.sizes() == {"train": 50_000, "dev": 500, "test": 500}
    assert sum(len(s.split()) for s in enja.train.target) == pytest.approx(391_000, rel=0.01)


def test_every_sentence_detokenizes_back_to_itself(enja):
    for side in (enja.train.source, enja.train.target):
        for s in side:
            assert detokenize(tokenize(s)) == s


def test_four_thousand_word_vocabularies_cover_most_test_tokens(enja):
    codec = build_codec(enja.train, TranslateConfig(vocab_size=4000))
    assert len(codec.src_vocab) == len(codec.tgt_vocab) == 4000
    ids = [i for s in enja.test.target for i in codec.target_ids(s)]
    unknown = sum(i == 1 for i in ids) / len(ids)
    assert 0 < unknown < 0.05
