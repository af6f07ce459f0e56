"""BLEU page, sentence part: searchable, filterable sentence table and one sentence taken apart.

A sentence is chosen by the table's row selection, by a point selected in the A-vs-B scatter,
or by the line-number input; all three write the same session-state key.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st
from pandas.api.types import is_string_dtype

from core.bleu.breakdowns.sentence_ingredients import brevity_penalty, order_table
from core.bleu.report import BleuReport
from dashboard.shared.text import plain
from dashboard.views.bleu import highlight

LINE_KEY = "bleu_line"  # 1-based line of the sentence shown in detail
TABLE_KEY = "bleu_sentence_table"
SHOWN_KEY = "bleu_table_lines"  # lines of the table's rows as last drawn (for its callback)
MAX_ROWS = 5_000  # rows of the sentence table sent to the browser


def default_pair(report: BleuReport) -> tuple[str, str]:
    """The systems A and B the page opens on: the baseline and the first other system."""
    others = [n for n in report.systems if n != report.baseline] or list(report.systems)
    return report.baseline, others[0]


def pick_pair(report: BleuReport) -> tuple[str, str]:
    """System A and B for deltas and the scatter (default_pair until the reader picks)."""
    names = list(report.systems)
    first_a, first_b = default_pair(report)
    c_a, c_b = st.columns(2)
    a = c_a.selectbox("System A", names, index=names.index(first_a), key="bleu_sys_a")
    b = c_b.selectbox("System B", names, index=names.index(first_b), key="bleu_sys_b")
    return a, b


def sentence_frame(
    report: BleuReport, texts: dict[str, list[str]], refs: list[list[str]], a: str, b: str
) -> pd.DataFrame:
    """One row per segment: line, bucket, reference length, BLEU per system, B - A, texts."""
    wide = report.sentence_scores("bleu")
    first = report.sentences[report.sentences["system"] == report.systems[0]]
    frame = pd.DataFrame(
        {
            "line": np.arange(1, report.n_segments + 1),
            "bucket": first["bucket"].to_numpy(),
            "ref len": first["first_ref_len"].to_numpy(),
        }
    )
    for name in report.systems:
        frame[f"BLEU {name}"] = wide[name].to_numpy()
    frame["B - A"] = wide[b].to_numpy() - wide[a].to_numpy()
    frame["reference"] = refs[0]
    frame[f"{a} (A)"] = texts[a]
    if b != a:
        frame[f"{b} (B)"] = texts[b]
    return frame


def filter_widgets(frame: pd.DataFrame, buckets: list[str]) -> pd.DataFrame:
    """Text search over the texts, bucket choice and a B - A range."""
    c_q, c_b, c_d = st.columns([2, 2, 2])
    query = c_q.text_input(
        "Search the texts", key="bleu_search", placeholder="a word or phrase (case-insensitive)"
    )
    chosen = c_b.multiselect(
        "Reference-length buckets", buckets, key="bleu_buckets", placeholder="all buckets"
    )
    low, high = c_d.slider(
        "BLEU delta B - A", -100.0, 100.0, (-100.0, 100.0), step=1.0, key="bleu_delta"
    )
    keep = frame["B - A"].between(low, high)
    if chosen:
        keep &= frame["bucket"].isin(chosen)
    if query.strip():
        text_cols = [c for c in frame.columns if is_string_dtype(frame[c]) and c != "bucket"]
        hit = np.zeros(len(frame), dtype=bool)
        for col in text_cols:
            hit |= frame[col].str.contains(query.strip(), case=False, regex=False).to_numpy()
        keep &= hit
    return frame[keep]


def _on_table_select() -> None:
    rows = st.session_state[TABLE_KEY].selection.rows
    if rows:
        st.session_state[LINE_KEY] = int(st.session_state[SHOWN_KEY][rows[0]])


def on_scatter_select(chart_key: str) -> None:
    """Callback of the A-vs-B scatter: the first selected point's segment becomes the line."""
    points = st.session_state[chart_key].selection.points
    lines = [line for line in map(selected_line, points) if line is not None]
    if lines:
        st.session_state[LINE_KEY] = lines[0]


def selected_line(point: dict) -> int | None:
    """1-based line of a selected scatter point, which its customdata holds (a bare value; a
    list or an {"0": value} object when the chart sends an array row)."""
    data = point.get("customdata")
    if isinstance(data, dict):
        data = data.get("0", next(iter(data.values()), None))
    if isinstance(data, list | tuple):
        data = data[0] if data else None
    try:
        return int(data)
    except (TypeError, ValueError):
        return None


def sentence_table(shown: pd.DataFrame, n_total: int) -> None:
    """The filtered sentences; beyond MAX_ROWS only the first rows in the chosen order are sent
    to the browser (a 100,000-line upload stays responsive)."""
    orders = {
        "line": ("line", True),
        "B - A, largest first": ("B - A", False),
        "B - A, smallest first": ("B - A", True),
        "reference length": ("ref len", True),
    }
    c_sort, c_note = st.columns([1, 3])
    column, ascending = orders[c_sort.selectbox("Order", list(orders), key="bleu_sort")]
    shown = shown.sort_values(column, ascending=ascending, kind="stable")
    note = f"{len(shown):,} of {n_total:,} sentences"
    if len(shown) > MAX_ROWS:
        shown = shown.head(MAX_ROWS)
        note += f" (the first {MAX_ROWS:,} in this order are listed; filter to see others)"
    c_note.caption(
        f"{note}. Click a column header to sort the rows listed; select a row to take that "
        "sentence apart below."
    )
    st.session_state[SHOWN_KEY] = shown["line"].tolist()
    if len(shown) and st.session_state.get(LINE_KEY) not in set(st.session_state[SHOWN_KEY]):
        st.session_state[LINE_KEY] = int(shown["line"].iloc[0])  # the detail follows the table
    st.dataframe(
        shown,
        key=TABLE_KEY,
        on_select=_on_table_select,
        selection_mode="single-row",
        hide_index=True,
        height=360,
        column_config={
            c: st.column_config.NumberColumn(format="%.2f")
            for c in shown.columns
            if c.startswith("BLEU") or c == "B - A"
        },
    )


def sentence_detail(
    report: BleuReport,
    texts: dict[str, list[str]],
    refs: list[list[str]],
    systems: list[str],
    source: list[str] | None = None,
) -> None:
    """The chosen line: its source, per system BLEU, counts per order, BP, matched n-grams
    highlighted, and the words of the text search marked."""
    n = report.n_segments
    if LINE_KEY not in st.session_state or not 1 <= st.session_state[LINE_KEY] <= n:
        st.session_state[LINE_KEY] = 1
    line = st.number_input("Sentence (line number)", 1, n, key=LINE_KEY, step=1)
    seg = int(line) - 1
    st.markdown(highlight.legend_html(report.settings.max_ngram_order), unsafe_allow_html=True)
    if source is not None:
        st.markdown(f"**Source**: {plain(source[seg])}")
    query = st.session_state.get("bleu_search", "").strip()
    order = report.settings.max_ngram_order
    for name in systems:
        row = report.sentences[
            (report.sentences["system"] == name) & (report.sentences["segment"] == seg)
        ].iloc[0]
        with st.container(border=True):
            hyp_len, ref_len = int(row["hyp_len"]), int(row["ref_len"])
            bp = brevity_penalty(hyp_len, ref_len)
            st.markdown(
                f"**{plain(name)}**: sentence BLEU {row['bleu']:.2f}, chrF {row['chrf']:.2f}; "
                f"length {hyp_len} vs closest reference {ref_len}, brevity penalty "
                f"{bp:.4f}"
            )
            counts = order_table(
                [int(row[f"match_{n}"]) for n in range(1, order + 1)],
                [int(row[f"total_{n}"]) for n in range(1, order + 1)],
            )
            html_pair, _ = highlight.highlight_pair(
                texts[name][seg], [r[seg] for r in refs], report.settings, query=query
            )
            left, right = st.columns([1, 2])
            left.dataframe(
                counts,
                hide_index=True,
                key=f"bleu_counts_{name}",
                column_config={"%": st.column_config.NumberColumn(format="%.1f")},
            )
            right.markdown(html_pair, unsafe_allow_html=True)
