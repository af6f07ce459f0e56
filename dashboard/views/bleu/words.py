"""BLEU page, word part: compare-mt's word accuracy by frequency bucket and the n-gram
differences of systems A and B. Choosing an n-gram filters the sentence table to the sentences
whose A or B output holds it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.bleu.breakdowns.compare_mt_report import WordReport
from core.bleu.breakdowns.ngram_difference import NgramRow
from core.bleu.reading.text_files import TextFile
from core.bleu.settings import BleuSettings
from dashboard.shared.text import plain
from dashboard.views.bleu import figures, state, word_state
from dashboard.views.bleu.chart_files import chart_config

NGRAM_KEY = "bleu_ngram"  # the n-gram filtering the sentence table (absent: none)
AUTO_LINES = 20_000  # larger inputs count words only when asked (tens of seconds)
FREQ_HELP = (
    "A training corpus, one sentence per line: words are bucketed by how often they "
    "occur in it (compare-mt's --freq_corpus_file). Without it, by the reference."
)


def word_section(
    refs: list[TextFile],
    systems: list[TextFile],
    names: list[str],
    settings: BleuSettings,
    pair: tuple[str, str],
) -> word_state.WordAnalysis | None:
    n = refs[0].n_lines
    on = st.toggle(
        "Word accuracy and n-gram differences (compare-mt's definitions)",
        value=n <= AUTO_LINES,
        key="bleu_words_on",
        help=f"On by default up to {AUTO_LINES:,} lines.",
    )
    if not on:
        return None
    freq = _freq_corpus()
    analysis = word_state.word_analysis(refs, systems, names, settings, freq)
    st.plotly_chart(
        figures.word_accuracy(analysis, names),
        key="bleu_word_accuracy",
        config=chart_config("word_accuracy"),
    )
    with st.expander("Word accuracy as a table"):
        st.dataframe(
            accuracy_frame(analysis.accuracy),
            key="bleu_word_table",
            column_config={n: st.column_config.NumberColumn(format="%.4f") for n in names},
        )
    st.caption(
        "Per word: matched when the reference still has an unmatched occurrence of it in "
        "the same sentence. F-measure of matched output words per bucket; words as "
        f"the tokenizer '{settings.tokenize}' splits them."
    )
    a, b = pair
    if a != b:
        ngram_tables(word_state.ngram_pair(analysis, a, b))
    return analysis


def accuracy_frame(acc) -> pd.DataFrame:
    """One row per frequency bucket: reference words, then each system's F-measure."""
    frame = pd.DataFrame(
        {"reference words": acc.ref_words}, index=pd.Index(acc.buckets, name="frequency bucket")
    )
    for name in acc.out_words:
        frame[name] = acc.scores(name)["fmeasure"].to_numpy()
    return frame


def _freq_corpus() -> TextFile | None:
    upload = st.file_uploader(
        "Training corpus for word frequencies (optional)", key="bleu_up_freq", help=FREQ_HELP
    )
    if upload is None:
        return None
    corpus = state.read_uploaded(upload, "ref")
    if not corpus.ok:
        for issue in corpus.issues:
            st.error(plain(issue.message))
        st.warning("Word frequencies are counted in the reference until the corpus can be read.")
        return None
    return corpus


def ngram_tables(diff) -> None:
    st.markdown(
        f"**N-grams matched more often by one system** (A = {plain(diff.a)}, "
        f"B = {plain(diff.b)}; score (a + 1) / (a + b + 2), top 50 each way). "
        "Select a row to list the sentences holding it."
    )
    left, right = st.columns(2)
    for column, rows, label, key in (
        (left, diff.a_better, "A better", "bleu_ngrams_a"),
        (right, diff.b_better, "B better", "bleu_ngrams_b"),
    ):
        column.dataframe(
            ngram_frame(rows, label),
            key=key,
            hide_index=True,
            height=300,
            selection_mode="single-row",
            on_select=lambda key=key, rows=rows: _on_pick(key, rows),
            column_config={"score": st.column_config.NumberColumn(format="%.4f")},
        )


def ngram_frame(rows: tuple[NgramRow, ...], label: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            label: [r.ngram for r in rows],
            "score": [r.score for r in rows],
            "matches A": [r.count_a for r in rows],
            "matches B": [r.count_b for r in rows],
        }
    )


def _on_pick(key: str, rows: tuple[NgramRow, ...]) -> None:
    picked = st.session_state[key].selection.rows
    if picked:
        st.session_state[NGRAM_KEY] = rows[picked[0]].ngram


def word_report_of(analysis: word_state.WordAnalysis | None, names: list[str]) -> WordReport | None:
    """The word analyses for the JSON bundle: the first system against each other one."""
    if analysis is None:
        return None
    return WordReport(
        analysis.accuracy, tuple(word_state.ngram_pair(analysis, names[0], s) for s in names[1:])
    )


def lines_with(analysis: word_state.WordAnalysis, ngram: str, systems: list[str]) -> set[int]:
    """1-based lines where any of `systems` outputs the n-gram (as a run of words: words hold
    no spaces, so " g " inside " line " is exactly that)."""
    target = f" {ngram} "
    return {
        i + 1 for s in systems for i, line in enumerate(analysis.lines[s]) if target in f" {line} "
    }


def ngram_filter(
    shown: pd.DataFrame, analysis: word_state.WordAnalysis | None, systems: list[str]
) -> pd.DataFrame:
    """The sentence table narrowed to the chosen n-gram's sentences, with a way to undo it."""
    ngram = st.session_state.get(NGRAM_KEY)
    if not ngram or analysis is None:
        return shown
    c_note, c_clear = st.columns([4, 1], vertical_alignment="center")
    lines = lines_with(analysis, ngram, systems)
    c_note.info(
        f"Only sentences where {' or '.join(map(plain, systems))} outputs "
        f"“{plain(ngram)}” ({len(lines):,} lines).",
        icon=":material/filter_alt:",
    )
    c_clear.button(
        "Clear the n-gram filter",
        key="bleu_ngram_clear",
        on_click=lambda: st.session_state.pop(NGRAM_KEY, None),
    )
    return shown[shown["line"].isin(lines)]
