"""BLEU page, examples part: the sentences where systems A and B differ most by sentence BLEU,
each with a word diff of the two outputs and their matched n-grams highlighted."""

from __future__ import annotations

import streamlit as st

from core.bleu.breakdowns.differing_sentences import (
    EQUAL,
    ONLY_A,
    DiffPiece,
    largest_differences,
    word_diff,
)
from core.bleu.report import BleuReport
from dashboard.shared.text import html_text, plain
from dashboard.views.bleu import highlight
from dashboard.views.bleu.charts.style import colour_of

SHOWN = 5  # examples each way

DIFF_SPAN = (
    '<span style="border-bottom:3px solid {colour};padding:0 1px" '
    'title="only in {who}">{words}</span>'
)


def diff_html(pieces: list[DiffPiece], colours: dict[str, str], names: dict[str, str]) -> str:
    """The word diff as one line: shared words plain, A's own words underlined in A's colour,
    B's in B's. Every word is entity-encoded."""
    parts = []
    for piece in pieces:
        words = " ".join(html_text(w) for w in piece.words)
        if piece.kind == EQUAL:
            parts.append(words)
        else:
            side = "A" if piece.kind == ONLY_A else "B"
            parts.append(
                DIFF_SPAN.format(colour=colours[side], who=html_text(names[side]), words=words)
            )
    return " ".join(parts) or "<i>(both empty)</i>"


def examples_section(
    report: BleuReport, texts: dict[str, list[str]], refs: list[list[str]], a: str, b: str
) -> None:
    if a == b:
        return
    b_better, a_better = largest_differences(report, a, b, SHOWN)
    colours = {"A": colour_of(a, report.systems), "B": colour_of(b, report.systems)}
    wide = report.sentence_scores("bleu")
    tab_b, tab_a = st.tabs([f"B better ({plain(b)})", f"A better ({plain(a)})"])
    for tab, segments in ((tab_b, b_better), (tab_a, a_better)):
        with tab:
            if not segments:
                st.caption("No sentence where this system scores higher.")
            for seg in segments:
                _example(report, texts, refs, a, b, seg, colours, wide)


def _example(report, texts, refs, a, b, seg, colours, wide) -> None:
    seg_refs = [r[seg] for r in refs]
    html_a, match_a = highlight.highlight_pair(
        texts[a][seg], seg_refs, report.settings, hyp_name="output"
    )
    html_b, match_b = highlight.highlight_pair(
        texts[b][seg], seg_refs, report.settings, hyp_name="output"
    )
    diff = word_diff(match_a.hyp_tokens, match_b.hyp_tokens)
    with st.container(border=True):
        st.markdown(
            f"**line {seg + 1}**: sentence BLEU A {wide[a].iloc[seg]:.1f}, "
            f"B {wide[b].iloc[seg]:.1f}"
        )
        st.markdown(
            "<b>A vs B</b>: " + diff_html(diff, colours, {"A": a, "B": b}), unsafe_allow_html=True
        )
        left, right = st.columns(2)
        left.markdown(f"**A** {plain(a)}")
        left.markdown(html_a, unsafe_allow_html=True)
        right.markdown(f"**B** {plain(b)}")
        right.markdown(html_b, unsafe_allow_html=True)
