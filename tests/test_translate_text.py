"""Tokenisation, vocabularies and reading parallel text files."""

from __future__ import annotations

import pytest

from core.translate.config import TranslateConfig
from core.translate.corpus import split_corpus
from core.translate.preprocess import build_codec
from core.translate.readers import CorpusError, read_aligned, read_pairs, read_table_pairs
from core.translate.tokenize import detokenize, tokenize
from core.translate.vocab import SPECIALS, build_vocabulary


@pytest.mark.parametrize(
    "text",
    ["Hello, world.", "don 't stop !", "(a) b...", "...", "책을 읽는다.", '"Quoted," she said.'],
)
@pytest.mark.parametrize("kind", ["words", "chars"])
def test_detokenize_inverts_tokenize(text, kind):
    assert detokenize(tokenize(text, kind), kind) == text


def test_words_split_punctuation_and_chars_split_everything():
    assert tokenize("Hello, world.") == ["Hello", "\uffed,", "world", "\uffed."]
    assert tokenize("책 을", "chars") == ["책", "\u2581", "을"]


def test_vocabulary_cap_min_count_and_unknowns():
    vocab = build_vocabulary([["a", "b", "a", "c"], ["a", "b", "d"]], max_size=6, min_count=1)
    assert vocab.tokens == SPECIALS + ("a", "b")  # most frequent first
    assert list(vocab.encode(["a", "zzz"])) == [4, 1]
    assert vocab.decode([4, 5, 3, 4]) == ["a", "b"]  # stops at </s>
    rare = build_vocabulary([["a", "b", "a"]], max_size=100, min_count=2)
    assert rare.tokens == SPECIALS + ("a",)


def test_codec_reverses_the_source_when_asked():
    pairs = read_pairs("p.tsv", b"a b c\tx y\n")
    codec = build_codec(pairs, TranslateConfig(reverse_source=True))
    forward = build_codec(pairs, TranslateConfig())
    assert list(codec.source_ids("a b c")) == list(forward.source_ids("a b c"))[::-1]


def test_pairs_file_keeps_extra_columns_and_skips_blank_lines():
    pairs = read_pairs("tatoeba.tsv", b"Hi.\tSalut.\tCC-BY 2.0 (France)\n\nGo.\tVa !\n")
    assert pairs.source == ("Hi.", "Go.") and pairs.target == ("Salut.", "Va !")
    assert pairs.extra == ("CC-BY 2.0 (France)", "")
    assert pairs.reversed().source == ("Salut.", "Va !")


@pytest.mark.parametrize(
    "data, message",
    [
        (b"one\ttwo\nno tab here\n", "pairs.tsv, line 2: no tab"),
        (b"one\ttwo\n\t\xec\x95\x88\n", "pairs.tsv, line 2: the source side is empty"),
        (b"one\t \n", "pairs.tsv, line 1: the target side is empty"),
        (b"ok\tfine\nbad \xff byte\tx\n", "pairs.tsv, line 2: not UTF-8"),
        (b"", "pairs.tsv is empty"),
    ],
)
def test_bad_pairs_files_name_the_file_and_line(data, message):
    with pytest.raises(CorpusError, match=message.replace("(", r"\(")):
        read_pairs("pairs.tsv", data)


def test_aligned_files_must_have_the_same_number_of_lines():
    with pytest.raises(CorpusError, match="a.txt has 3 lines but b.txt has 2"):
        read_aligned("a.txt", b"1\n2\n3\n", "b.txt", b"x\ny\n")
    with pytest.raises(CorpusError, match="b.txt, line 2: the target side is empty"):
        read_aligned("a.txt", b"1\n2\n", "b.txt", b"x\n \n")
    pairs = read_aligned("a.txt", b"1\r\n2\r\n", "b.txt", b"x\ny\n")
    assert pairs.source == ("1", "2") and pairs.target == ("x", "y")


def test_table_with_source_and_ref_columns():
    pairs = read_table_pairs("t.tsv", b"source\tref\nHi\tSalut\nGo\tVa\n")
    assert pairs.source == ("Hi", "Go") and pairs.target == ("Salut", "Va")
    with pytest.raises(CorpusError, match="t.tsv: a table needs a `source` column"):
        read_table_pairs("t.tsv", b"ref\tsys\nHi\tSalut\n")


def test_a_corpus_too_small_to_split_is_refused_by_name():
    pairs = read_pairs("tiny.tsv", "".join(f"s{i}\tt{i}\n" for i in range(10)).encode())
    with pytest.raises(CorpusError, match="tiny.tsv has 10 pairs: too few to split"):
        split_corpus(pairs)


def test_split_is_seeded_disjoint_and_keeps_a_given_test_set():
    pairs = read_pairs("p.tsv", "".join(f"s{i}\tt{i}\n" for i in range(200)).encode())
    a, b = split_corpus(pairs, seed=1), split_corpus(pairs, seed=1)
    assert a.test.source == b.test.source and a.sizes() == {"train": 160, "dev": 20, "test": 20}
    assert not set(a.train.source) & (set(a.dev.source) | set(a.test.source))
    test = read_pairs("test.tsv", b"x\ty\n")
    given = split_corpus(pairs, seed=1, test=test)
    assert given.test.source == ("x",) and len(given.train) == 180


@pytest.mark.parametrize(
    "name, data",
    [
        ("t.csv", b"id,source,ref,sys\n1,Hi,Salut,x\n2,Go,Va,y\n"),
        ("t.jsonl", b'{"src": "Hi", "reference": "Salut"}\n{"src": "Go", "reference": "Va"}\n'),
    ],
)
def test_csv_and_jsonl_tables(name, data):
    pairs = read_table_pairs(name, data)
    assert pairs.source == ("Hi", "Go") and pairs.target == ("Salut", "Va")


def test_table_errors_name_the_line():
    with pytest.raises(CorpusError, match="t.tsv, line 3: the target side is empty"):
        read_table_pairs("t.tsv", b"source\tref\nHi\tSalut\nGo\t \n")
    with pytest.raises(CorpusError, match="t.tsv, line 2: 1 columns, the header has 2"):
        read_table_pairs("t.tsv", b"source\tref\nHi\n")


def test_labels_show_tokens_without_the_joiner():
    from core.translate.tokenize import shown_tokens

    assert shown_tokens(tokenize("Tom, run.")) == ["Tom", ",", "run", "."]
