"""An upload replaced under the same name on the BLEU page (AppTest): read again, scored
again, its text shown, though uploads are cached by Streamlit's file id."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.bleu_page_helpers import (
    TEXT,
    as_bytes,
    assert_scores_equal_sacrebleu,
    generated_files,
    generated_lines,
    open_page,
    upload,
)

pytestmark = pytest.mark.slow  # the app driven through AppTest


def _sentence_table(at: AppTest):
    (table,) = [df.value for df in at.dataframe if "line" in df.value.columns]
    return table


def test_a_file_uploaded_again_under_its_name_with_new_text_is_read_again(fresh_caches):
    """Uploads are read once per upload (Streamlit's file id, not the name, is the key). Two
    versions that differ only in a word no reference has ("qqqqq" / "zzzzz": letters the
    references lack) score the same in BLEU and chrF, so every cache keyed by the report is
    shared by them; the sentence table still shows the text of the one uploaded last."""
    generated = generated_files()
    refs, systems = generated_lines(generated, n_systems=2)
    at = open_page()
    upload(at, "bleu_up_refs", [(n, b, TEXT) for n, b in generated["refs"].items()])
    first, second = list(systems)
    kept = (first, generated["systems"][first], TEXT)
    scores = None
    for word in ("qqqqq", "zzzzz"):
        edited = [f"{line} {word}" for line in systems[second]]
        upload(at, "bleu_up_sys", [kept, (second, as_bytes(edited), TEXT)])
        table = assert_scores_equal_sacrebleu(at, {first: systems[first], second: edited}, refs)
        assert scores is None or table[["BLEU", "chrF"]].equals(scores)  # the same numbers
        scores = table[["BLEU", "chrF"]]
        assert list(_sentence_table(at)[f"{second} (B)"]) == edited  # the new text
        at.run()  # a rerun reads the upload from the cache
        assert list(_sentence_table(at)[f"{second} (B)"]) == edited
