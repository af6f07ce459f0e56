"""Translate page through Streamlit's AppTest: train the (fast) default in worker processes,
show results, hand the test translations to the BLEU page, survive bad uploads."""

from __future__ import annotations

import time

import pytest
from sacrebleu.metrics import BLEU
from streamlit.testing.v1 import AppTest

from dashboard.views.translate import experiments as store
from dashboard.views.translate import results as results
from tests import apptest_helpers as ui

PAGE = "views/translate/translate.py"
pytestmark = pytest.mark.slow  # trains two models in worker processes


def open_translate() -> AppTest:
    at = AppTest.from_file(ui.APP, default_timeout=ui.TIMEOUT)
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def submit(at: AppTest) -> AppTest:
    at.button(key="FormSubmitter:translate_form-Train").click().run()
    assert not at.exception, at.exception
    return at


def wait_until_trained(at: AppTest, timeout: float = 120) -> store.Experiment:
    deadline = time.monotonic() + timeout
    while True:
        exp = at.session_state[store.EXPERIMENTS][at.session_state[store.CURRENT]]
        if exp.job.done and exp.memo.get("announced"):
            at.run()
            assert not at.exception, at.exception
            return exp
        assert time.monotonic() < deadline, "training did not finish"
        time.sleep(0.5)
        at.run()


@pytest.fixture(scope="module")
def trained_app():
    """The fast default (RNN and GRU), trained once for the module."""
    mp = pytest.MonkeyPatch()
    mp.setenv("GATESCOPE_FAST_DEFAULT", "1")
    at = submit(open_translate())
    exp = wait_until_trained(at)
    yield at, exp
    mp.undo()


def test_default_trains_both_models_and_shows_their_test_bleu(trained_app):
    at, exp = trained_app
    assert set(exp.outcomes) == {"rnn", "gru"} and not exp.job.errors
    metrics = ui.metrics(at)
    names = results.system_names(exp)
    for m, o in exp.outcomes.items():
        label = f"{names[m]} test BLEU"
        assert metrics[label] == f"{o.test.bleu:.2f}"
        refs = list(exp.corpus.test.target)
        assert o.test.bleu == pytest.approx(BLEU().corpus_score(o.test.hyps, [refs]).score)
    table = next(df.value for df in at.dataframe if "reference" in df.value.columns)
    assert len(table) == len(exp.corpus.test)
    assert list(table["source"]) == list(exp.corpus.test.source)
    buckets = next(df.value for df in at.dataframe if "ci_low" in df.value.columns)
    assert set(buckets["system"]) == set(table.columns[2:]) == {"RNN", "GRU"}
    assert not ui.errors(at)


def test_open_in_bleu_breakdown_hands_over_the_test_set(trained_app):
    at, exp = trained_app
    at.button(key="tr_open_bleu").click().run()
    handoff = at.session_state[store.BLEU_HANDOFF_KEY]
    assert handoff["source"] == list(exp.corpus.test.source)
    assert handoff["refs"] == [list(exp.corpus.test.target)]
    assert handoff["label"] == f"the test set of {exp.corpus.name}"  # the BLEU page's banner
    by_hyps = {tuple(h): name for name, h in handoff["systems"].items()}
    for o in exp.outcomes.values():
        name = by_hyps[tuple(o.test.hyps)]
        score = BLEU().corpus_score(handoff["systems"][name], handoff["refs"]).score
        assert score == pytest.approx(o.test.bleu)
    at.switch_page(PAGE).run()


def test_bad_upload_names_the_file_and_line_and_keeps_the_trained_models(trained_app):
    at, exp = trained_app
    at.switch_page(PAGE).run()
    at.radio(key="tr_source").set_value("Pairs file (source<TAB>target)")
    at.file_uploader(key="tr_files").set_value([("bad.tsv", b"a\tb\nno tab\n", "text/plain")])
    submit(at)
    assert any("bad.tsv, line 2: no tab" in e for e in ui.errors(at))
    assert at.session_state[store.CURRENT] == exp.id
    assert exp.id in at.session_state[store.EXPERIMENTS]


def test_saved_models_reload_and_translate(trained_app):
    from core.translate.saved import model_files
    from core.translate.translator import translate_text

    at, exp = trained_app
    at.switch_page(PAGE).run()
    model = exp.outcomes["gru"].model
    json_bytes, npz_bytes = model_files(model)
    at.file_uploader(key="tr_load_files").set_value(
        [
            ("gru.json", json_bytes, "application/json"),
            ("gru.npz", npz_bytes, "application/octet-stream"),
            ("lonely.json", json_bytes, "application/json"),
        ]
    ).run()
    assert any("lonely: upload lonely.npz too" in e for e in ui.errors(at))
    sentences = list(exp.corpus.test.source[:3])
    at.text_area(key="tr_loaded_text").input("\n".join(sentences)).run()
    shown = next(df.value for df in at.dataframe if "translation" in df.value.columns)
    expected = translate_text(model.params, model.spec, model.codec, sentences).text
    assert list(shown["translation"]) == expected
    assert exp.id in at.session_state[store.EXPERIMENTS]


def test_uploaded_pairs_with_a_given_test_set_start_training(trained_app):
    at, exp = trained_app
    at.switch_page(PAGE).run()
    train = "".join(f"w{i} x{i % 7}\tv{i} y{i % 5}\tCC-BY\n" for i in range(60)).encode()
    at.radio(key="tr_source").set_value("Pairs file (source<TAB>target)")
    at.file_uploader(key="tr_files").set_value([("train.tsv", train, "text/plain")])
    at.file_uploader(key="tr_test_file").set_value([("test.tsv", b"a b\tc d\n", "text/plain")])
    at.multiselect(key="tr_models").set_value(["rnn"])
    at.checkbox(key="tr_reverse").check()
    submit(at)
    new = at.session_state[store.EXPERIMENTS][at.session_state[store.CURRENT]]
    assert new.id != exp.id and new.config.models == ("rnn",)
    assert new.corpus.test.source == ("c d",) and new.corpus.test.target == ("a b",)
    assert len(new.corpus.train) + len(new.corpus.dev) == 60
    new.job.stop()
    wait_until_trained(at)
    assert "rnn" in new.outcomes


def test_the_download_keeps_the_pairs_files_extra_columns():
    from core.translate.corpus import split_corpus
    from core.translate.readers import read_pairs

    data = "".join(f"s{i}\tt{i}\tCC-BY #{i}\n" for i in range(40)).encode()
    corpus = split_corpus(read_pairs("p.tsv", data), seed=0)
    tsv = results._pairs_tsv(corpus.test)
    assert tsv.splitlines() == [
        f"{s}\t{t}\t{e}"
        for s, t, e in zip(corpus.test.source, corpus.test.target, corpus.test.extra, strict=True)
    ]
    assert all(line.split("\t")[2].startswith("CC-BY #") for line in tsv.splitlines())


def test_charts_and_the_zip_download_under_names_that_say_what_they_are(trained_app):
    import json

    at, _ = trained_app
    at.switch_page(PAGE).run()
    names = {
        json.loads(c.proto.config)["toImageButtonOptions"]["filename"]
        for c in at.get("plotly_chart")
    }
    assert {
        "gatescope-translate-loss",
        "gatescope-translate-dev-bleu",
        "gatescope-translate-bleu-by-length",
        "gatescope-translate-source-gradient",
    } <= names
    assert results.slug("RNN vs GRU on generated English-Korean (seed 0)") == (
        "rnn-vs-gru-on-generated-english-korean-seed-0"
    )
