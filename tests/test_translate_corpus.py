"""The generated English -> Korean corpus: grammar, lengths, seeds and splits."""

from __future__ import annotations

import pytest

from core.translate import lexicon as lx
from core.translate.generated import GeneratedCorpusConfig, generated_corpus
from core.translate.korean import PARTICLES, attach, has_final_consonant

SMALL = GeneratedCorpusConfig(n_train=600, n_dev=50, n_test=50, seed=3)
NOUNS = {ko for _, ko in lx.PEOPLE + lx.THINGS} | {ko for _, ko, _ in lx.PRONOUNS}
VERB_ENDINGS = {v[2] for v in lx.TRANSITIVE + lx.INTRANSITIVE}
ROLE_OF = {p: role for role, pair in PARTICLES.items() for p in pair}


@pytest.fixture(scope="module")
def corpus():
    return generated_corpus(SMALL)


def test_final_consonant_rule_on_known_words():
    assert [attach(w, "object") for w in ("책", "사과")] == ["책을", "사과를"]
    assert [attach(w, "subject") for w in ("학생", "친구")] == ["학생이", "친구가"]
    assert [attach(w, "topic") for w in ("그들", "나")] == ["그들은", "나는"]
    assert [attach(w, "with") for w in ("선생님", "아이")] == ["선생님과", "아이와"]
    assert has_final_consonant("닭") and not has_final_consonant("바다")


def _noun_and_particle(word: str):
    """'사과를' -> ('사과', '를') when the word is a lexicon noun plus one particle."""
    stem, particle = word[:-1], word[-1]
    return (stem, particle) if stem in NOUNS and particle in ROLE_OF else None


def test_every_particle_follows_the_last_syllable(corpus):
    checked = 0
    for sentence in corpus.train.target:
        for word in sentence.rstrip(".").split():
            split = _noun_and_particle(word)
            if split:
                stem, particle = split
                after_consonant, after_vowel = PARTICLES[ROLE_OF[particle]]
                expected = after_consonant if has_final_consonant(stem) else after_vowel
                assert particle == expected, f"{word} in {sentence}"
                checked += 1
    assert checked > 1000


def test_the_korean_verb_ends_the_sentence_and_the_english_verb_comes_early(corpus):
    english_verbs = {f for v in lx.TRANSITIVE + lx.INTRANSITIVE for f in v[:2]}
    for en, ko in zip(corpus.train.source, corpus.train.target, strict=True):
        words = ko.rstrip(".").split()
        assert words[-1] in VERB_ENDINGS, ko
        assert sum(w in VERB_ENDINGS for w in words) == 1, ko  # relatives use adnominal forms
        if en.split()[0] in {p[0] for p in lx.PRONOUNS}:
            assert en.split()[1] in english_verbs, en


def test_lengths_seed_and_disjoint_splits(corpus):
    lengths = [len(s.split()) for s in corpus.train.source]
    assert min(lengths) >= SMALL.min_words and max(lengths) <= SMALL.max_words
    assert max(lengths) - min(lengths) >= 12  # short and long sentences
    assert corpus.sizes() == {"train": 600, "dev": 50, "test": 50}
    again = generated_corpus(SMALL)
    assert again.test.source == corpus.test.source and again.train.target == corpus.train.target
    other = generated_corpus(GeneratedCorpusConfig(n_train=600, n_dev=50, n_test=50, seed=4))
    assert other.train.source != corpus.train.source
    parts = [set(p.source) for p in (corpus.train, corpus.dev, corpus.test)]
    assert not (parts[0] & parts[1] or parts[0] & parts[2] or parts[1] & parts[2])
