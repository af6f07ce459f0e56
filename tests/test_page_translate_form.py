"""The Translate page's form through AppTest: the training length field that applies is the only
one enabled, and a Korean or Japanese target is split into characters unless told otherwise."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.views.translate import experiments as store
from tests import apptest_helpers as ui

PAGE = "views/translate/translate.py"
KOREAN_PAIRS = "".join(
    f"Tom has {n} {thing}.\t톰은 {thing_ko} {n}개를 가지고 있다.\n"
    for n in range(1, 13)
    for thing, thing_ko in (("apples", "사과"), ("books", "책"), ("pens", "펜"))
).encode()


def open_translate() -> AppTest:
    at = AppTest.from_file(ui.APP, default_timeout=ui.TIMEOUT)
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def test_only_the_chosen_training_length_is_editable(fast):
    at = open_translate()
    assert not at.number_input(key="tr_epochs").disabled
    assert at.number_input(key="tr_budget").disabled  # "epochs" is chosen
    at.radio(key="tr_stop").set_value("a time budget").run()
    assert at.number_input(key="tr_budget").disabled is False
    assert at.number_input(key="tr_epochs").disabled


@pytest.mark.slow
def test_a_korean_target_defaults_to_character_tokens(fast):
    at = open_translate()
    tokens = at.selectbox(key="tr_tgt_tok")
    assert tokens.value == "auto" and "characters for Korean, Japanese" in tokens.label
    at.radio(key="tr_source").set_value("Pairs file (source<TAB>target)")
    at.file_uploader(key="tr_files").set_value([("ko.tsv", KOREAN_PAIRS, "text/plain")])
    at.multiselect(key="tr_models").set_value(["rnn"])
    at.button(key="FormSubmitter:translate_form-Train").click().run()
    assert not at.exception, at.exception
    exp = at.session_state[store.EXPERIMENTS][at.session_state[store.CURRENT]]
    exp.job.stop()
    assert exp.config.tgt_tokens == "chars" and exp.config.src_tokens == "words"
    assert "character targets" in exp.label


def test_the_form_takes_its_bounds_and_help_from_the_config(fast):
    """One source for every limit: the widgets offer what TranslateConfig accepts."""
    from core.config import bounds, help_of
    from core.translate.config import DecodeSettings, TranslateConfig

    at = open_translate()
    for key, cls, name in (
        ("tr_embed", TranslateConfig, "embed"),
        ("tr_hidden", TranslateConfig, "hidden"),
        ("tr_epochs", TranslateConfig, "epochs"),
        ("tr_budget", TranslateConfig, "time_budget"),
        ("tr_seed", TranslateConfig, "seed"),
        ("tr_beam", DecodeSettings, "beam"),
    ):
        widget = at.number_input(key=key)
        assert (widget.min, widget.max) == bounds(cls, name), key
        assert widget.help == help_of(cls, name), key
