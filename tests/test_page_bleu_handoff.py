"""The Translate page's hand-off reaches the BLEU page: scored like uploads, cleared on request.

The Translate page sets st.session_state[BLEU_HANDOFF_KEY] and switches page; here the test
sets it and opens the BLEU page the same way.
"""

from __future__ import annotations

import math

import pytest
import sacrebleu
from streamlit.testing.v1 import AppTest

from core.bleu.reading.built_in_corpus import example_corpus
from dashboard.session.bleu_handoff import (
    BLEU_HANDOFF_KEY,
    HandoffError,
    check_handoff,
    describe,
    make_handoff,
)
from tests.test_page_bleu import corpus_table, messages

pytestmark = pytest.mark.slow  # the app driven through AppTest

APP = "../dashboard/app.py"


@pytest.fixture(autouse=True)
def fresh_cache(fresh_caches):
    """Every test starts without cached uploads, reports or statistics."""


@pytest.fixture(scope="module")
def corpus():
    return example_corpus(n_segments=60, seed=11, n_refs=2)


def handoff_page(handoff) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[BLEU_HANDOFF_KEY] = handoff
    at.switch_page("views/bleu/bleu.py").run()
    assert not at.exception, at.exception
    return at


def test_handoff_is_scored_with_model_names_and_equals_sacrebleu(corpus):
    systems = {
        "GRU encoder-decoder": corpus.systems["strong"],
        "tanh RNN encoder-decoder": corpus.systems["weak"],
    }
    at = handoff_page(make_handoff(corpus.references, systems, corpus.source, "the test set"))
    assert (  # the models sent and the set they translated
        "From the Translate page: GRU encoder-decoder and tanh RNN encoder-decoder, translating "
        "60 sentences of the test set; 2 references, with the source." in messages(at, "info")
    )
    table = corpus_table(at)
    assert table is not None, messages(at)
    assert list(table.index) == list(systems)
    for name, hyps in systems.items():
        assert math.isclose(
            table.loc[name, "BLEU"],
            sacrebleu.corpus_bleu(hyps, corpus.references).score,
            abs_tol=1e-9,
        )
        assert math.isclose(
            table.loc[name, "chrF"],
            sacrebleu.corpus_chrf(hyps, corpus.references).score,
            abs_tol=1e-9,
        )
    assert not at.error
    assert at.session_state[BLEU_HANDOFF_KEY]["label"] == "the test set"


def test_clearing_the_handoff_goes_back_to_uploads(corpus):
    at = handoff_page(
        make_handoff(corpus.references[:1], {"m": corpus.systems["medium"]}, None, "dev")
    )
    assert corpus_table(at) is not None
    at.button(key="bleu_handoff_clear").click().run()
    assert not at.exception
    assert BLEU_HANDOFF_KEY not in at.session_state
    assert not any("From the Translate page" in m for m in messages(at, "info"))
    assert any("built-in example" in m for m in messages(at, "info"))  # uploads are back


def test_handoff_line_count_mismatch_is_named_like_an_upload(corpus):
    systems = {"short": corpus.systems["weak"][:-1], "ok": corpus.systems["strong"]}
    at = handoff_page(make_handoff(corpus.references[:1], systems, None, "broken"))
    assert any(e.startswith("short has 59 lines") for e in messages(at)), messages(at)
    assert list(corpus_table(at).index) == ["ok"]  # the others are scored


def test_malformed_handoff_is_explained_and_the_page_runs():
    at = handoff_page({"refs": "not a list", "systems": {}, "label": "x"})
    errors = messages(at)
    assert any("hand-off cannot be scored" in e and "source" in e for e in errors), errors
    assert corpus_table(at) is not None  # the example is scored instead


@pytest.mark.parametrize(
    ("handoff", "problem"),
    [
        ([], "must be a dict"),
        ({"source": None, "refs": [], "systems": {"a": ["x"]}, "label": ""}, "one reference"),
        ({"source": None, "refs": [["x"]], "systems": {}, "label": ""}, "one system"),
        (
            {"source": None, "refs": [["x"]], "systems": {"a": ["x\ny"]}, "label": ""},
            "system 'a' line 1 holds a line break",
        ),
        (
            {"source": ["s", 3], "refs": [["x"]], "systems": {"a": ["y"]}, "label": ""},
            "source line 2 is not a string",
        ),
        (
            {"source": None, "refs": ["x"], "systems": {"a": ["y"]}, "label": ""},
            "reference 1 must be a list of lines",
        ),
    ],
)
def test_check_handoff_names_the_problem(handoff, problem):
    with pytest.raises(HandoffError, match=problem):
        check_handoff(handoff)


def test_make_handoff_gives_plain_lists():
    h = make_handoff((("a", "b"),), {"m": ("x", "y")}, None, "lbl")
    assert h == {"source": None, "refs": [["a", "b"]], "systems": {"m": ["x", "y"]}, "label": "lbl"}


def test_the_banner_names_each_model_sent_and_the_set():
    one = make_handoff([["a b"]], {"GRU": ["a b"]}, None, "the test set of tanaka")
    assert describe(one) == "GRU, translating 1 sentence of the test set of tanaka; 1 reference."
    three = make_handoff(
        [["a", "b"]], {"RNN": ["a", "b"], "GRU": ["a", "b"], "LSTM": ["b", "a"]}, ["x", "y"], "dev"
    )
    assert describe(three) == (
        "RNN, GRU and LSTM, translating 2 sentences of dev; 1 reference, with the source."
    )
