"""Sections of the Translate page that show a finished experiment."""

from __future__ import annotations

import io
import re
import zipfile

import numpy as np
import pandas as pd
import streamlit as st

from core.translate.analysis import (
    LENGTH_CUTOFFS,
    bleu_by_length,
    long_sentence_group,
    source_gradient,
)
from core.translate.saved import model_files
from core.translate.tokenize import shown_tokens, tokenize
from dashboard.shared.presentation import show
from dashboard.views.translate import charts as charts
from dashboard.views.translate import experiments as store

SEARCH_KEY = "tr_search"
SENTENCE_KEY = "tr_sentence"
TABLE_PX = 860  # text columns share this width: the main column of a 1400 px wide page
ROW_PX = 76  # three lines per row; rows taller than 64 px wrap their text


def system_names(exp: store.Experiment) -> dict[str, str]:
    """Display name of each model: the cell's label (registry name if labels collide)."""
    labels = {m: charts.cell_label(m) for m in exp.config.models}
    dup = {v for v in labels.values() if list(labels.values()).count(v) > 1}
    return {m: (m if v in dup else v) for m, v in labels.items()}


def summary(exp: store.Experiment) -> None:
    names = system_names(exp)
    cols = st.columns(max(1, len(exp.outcomes)))
    for col, (m, o) in zip(cols, exp.outcomes.items(), strict=False):
        best = o.model.best
        col.metric(
            f"{names[m]} test BLEU",
            f"{o.test.bleu:.2f}",
            help=f"sacrebleu corpus BLEU, tokenize={exp.config.bleu_tokenize}, "
            f"beam {o.test.beam}, on detokenized text",
        )
        if best is not None:
            col.caption(
                f"best dev BLEU {best.dev_bleu:.2f} at step {best.step} · "
                f"{o.model.tokens_per_s:,.0f} target tokens/s"
            )
    for m, err in exp.job.errors.items():
        st.error(
            f"{names.get(m, m)} failed: {err.strip().splitlines()[-1]}", icon=":material/error:"
        )


def curves(histories) -> None:
    left, right = st.columns(2)
    show(charts.loss_curves(histories), "tr_loss", left, "translate-loss")
    show(charts.dev_bleu_curves(histories), "tr_dev_bleu", right, "translate-dev-bleu")


def examples(exp: store.Experiment) -> None:
    """Source, reference and every model's translation; search; attention of one sentence."""
    names = system_names(exp)
    test = exp.corpus.test
    table = pd.DataFrame(
        {"source": test.source, "reference": test.target}
        | {names[m]: o.test.hyps for m, o in exp.outcomes.items()}
    )
    table.index = pd.RangeIndex(1, len(table) + 1, name="line")
    query = st.text_input(
        "Search the test set",
        key=SEARCH_KEY,
        placeholder="a word in the source, reference or a translation",
    )
    shown = table
    if query:
        hit = table.apply(lambda col: col.str.contains(query, case=False, regex=False))
        shown = table[hit.any(axis=1)]
    st.caption(
        f"{len(shown)} of {len(table)} test sentences; a cell's whole text opens on a double click"
    )
    width = max(120, TABLE_PX // len(table.columns))
    st.dataframe(
        shown,
        key="tr_examples",
        height=5 * ROW_PX + 40,
        row_height=ROW_PX,
        column_config={c: st.column_config.TextColumn(width=width) for c in table.columns},
    )
    with_attention = {m: o for m, o in exp.outcomes.items() if o.test.attention is not None}
    if with_attention and len(shown):
        line = st.selectbox(
            "Sentence for the attention heatmap", shown.index.tolist(), key=SENTENCE_KEY
        )
        cols = st.columns(len(with_attention))
        for col, (m, o) in zip(cols, with_attention.items(), strict=True):
            codec = o.model.codec
            src = tokenize(test.source[line - 1], codec.src_tokens)
            src = src[::-1] if codec.reverse_source else src
            hyp = tokenize(o.test.hyps[line - 1], codec.tgt_tokens)
            show(
                charts.attention_heatmap(
                    o.test.attention[line - 1],
                    shown_tokens(src),
                    shown_tokens(hyp),
                    f"{names[m]}: attention, line {line}",
                ),
                f"tr_att_{m}",
                col,
                f"translate-attention-{m}-line-{line}",
            )


def gradients(exp: store.Experiment) -> None:
    """||dL/dh_j|| against source position for the long test sentences, every model."""
    if not exp.outcomes:
        return
    if "gradients" not in exp.memo:
        first = next(iter(exp.outcomes.values())).model
        length = long_sentence_group(first, exp.corpus)
        exp.memo["gradients"] = {
            m: source_gradient(o.model, exp.corpus, length) for m, o in exp.outcomes.items()
        }
    profiles = exp.memo["gradients"]
    any_profile = next(iter(profiles.values()))
    options = ["mean", *range(len(any_profile.rows))]
    which = st.selectbox(
        f"Sentences of {any_profile.length} source tokens ({len(any_profile.rows)} in the test "
        "set)",
        options,
        key="tr_grad_sentence",
        format_func=lambda i: (
            "mean over them" if i == "mean" else " ".join(any_profile.words[i])[:90]
        ),
    )
    show(
        charts.source_gradient_chart(profiles, None if which == "mean" else which),
        "tr_gradient",
        name="translate-source-gradient",
    )
    st.caption(
        "The norm of the sentence's loss gradient at each encoder state h_j, "
        "teacher-forced on the reference. Without attention the loss reaches the "
        "source only through the encoder's last state, so early words get less; "
        "attention gives every word a short path."
    )


def bucket_table(exp: store.Experiment) -> pd.DataFrame:
    """The experiment's BLEU by source length (core.translate.analysis), computed once."""
    if "buckets" not in exp.memo:
        lengths = np.array([len(s.split()) for s in exp.corpus.test.source])
        exp.memo["buckets"] = bleu_by_length(
            list(exp.corpus.test.target),
            {m: o.test.hyps for m, o in exp.outcomes.items()},
            lengths,
            LENGTH_CUTOFFS,
            exp.config.bleu_tokenize,
            seed=exp.config.seed,
        )
    return exp.memo["buckets"]


def buckets(exp: store.Experiment) -> pd.DataFrame:
    table = bucket_table(exp)
    show(charts.bleu_by_length_chart(table), "tr_buckets", name="translate-bleu-by-length")
    names = system_names(exp)
    shown = table.drop(columns=["bucket_index"]).assign(system=table["system"].map(names))
    st.dataframe(shown.round(2), key="tr_bucket_table", hide_index=True)
    return table


def downloads(exp: store.Experiment) -> None:
    """Every model as <model>.json + <model>.npz in one zip, plus the test files."""
    st.download_button(
        "Download the models and test translations (.zip)",
        data=_zip(exp),
        file_name=f"translate-{slug(exp.label)}.zip",
        mime="application/zip",
        key="tr_download",
        on_click="ignore",
    )


def slug(label: str) -> str:
    """A file-name form of an experiment's label: "RNN vs GRU on x.tsv" -> "rnn-vs-gru-on-x-tsv"."""
    return "-".join(re.findall(r"[^\W_]+", label.lower()))[:80] or "experiment"


def _pairs_tsv(pairs) -> str:
    """source<TAB>target[<TAB>the rest of the uploaded line, e.g. attribution] per pair."""
    return "".join(
        "\t".join([s, t, e] if e else [s, t]) + "\n"
        for s, t, e in zip(pairs.source, pairs.target, pairs.extra, strict=True)
    )


def _zip(exp: store.Experiment) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("test.src", "".join(s + "\n" for s in exp.corpus.test.source))
        z.writestr("test.ref", "".join(s + "\n" for s in exp.corpus.test.target))
        z.writestr("test.tsv", _pairs_tsv(exp.corpus.test))
        for m, o in exp.outcomes.items():
            json_bytes, npz_bytes = model_files(o.model)
            z.writestr(f"{m}.json", json_bytes)
            z.writestr(f"{m}.npz", npz_bytes)
            z.writestr(f"{m}.hyp", "".join(h + "\n" for h in o.test.hyps))
    return buf.getvalue()
