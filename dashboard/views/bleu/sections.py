"""BLEU page, corpus and download parts: the corpus table, its chart, signatures, exports."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pandas as pd
import streamlit as st

from core.bleu.breakdowns.compare_mt_report import WordReport
from core.bleu.bundle import bundle_json, result_bundle
from core.bleu.reading.text_files import TextFile
from core.bleu.report import BleuReport
from dashboard.shared.text import plain
from dashboard.views.bleu import figures, state
from dashboard.views.bleu.chart_files import chart_config
from dashboard.views.bleu.number_text import P_COLUMNS, cell_text

HIGHER_IS_BETTER = ["BLEU", "chrF", "p1", "p2", "p3", "p4", "BP", "mean sentence BLEU"]
LOWER_IS_BETTER = ["TER"]


def corpus_frame(report: BleuReport) -> pd.DataFrame:
    """One row per system: scores, precisions, BP, lengths, paired tests vs the baseline."""
    c = report.corpus
    order = report.settings.max_ngram_order
    frame = pd.DataFrame(index=pd.Index(report.systems, name="system"))
    frame["BLEU"] = c["bleu"]
    frame["chrF"] = c["chrf"]
    if report.ter_computed:
        frame["TER"] = c["ter"]
    for n in range(1, order + 1):
        frame[f"p{n}"] = c[f"p{n}"]
    frame["BP"] = c["bp"]
    frame["hyp/ref"] = c["ratio"]
    frame["hyp len"] = c["hyp_len"].astype(int)
    frame["ref len"] = c["ref_len"].astype(int)
    frame["mean sentence BLEU"] = c["sentence_bleu_mean"]
    sig = report.significance_table()
    bleu_sig = sig[sig["metric"] == "BLEU"].set_index("system")
    frame["BLEU 95% CI"] = [
        f"{lo:.2f} - {hi:.2f}"
        for lo, hi in zip(bleu_sig["ci_low"], bleu_sig["ci_high"], strict=True)
    ]
    frame["p (bootstrap)"] = bleu_sig["p_value"].astype(float)  # baseline: NaN, shown as "-"
    frame["p (AR)"] = bleu_sig["ar_p_value"].astype(float)
    wins = report.wins.set_index("system")
    frame["wins/ties/losses"] = [
        "baseline"
        if s == report.baseline
        else f"{wins.loc[s, 'wins']}/{wins.loc[s, 'ties']}/{wins.loc[s, 'losses']}"
        for s in report.systems
    ]
    return frame


def corpus_styler(frame: pd.DataFrame):
    """Best value per score column in bold on a light background; every cell written by
    number_text.cell_text, as the reports write it."""
    high = [c for c in HIGHER_IS_BETTER if c in frame.columns]
    low = [c for c in LOWER_IS_BETTER if c in frame.columns]
    best = "font-weight: bold; background-color: #d9f0e3"
    # p-values as text: the table widget shows a missing number as "None", whatever the Styler says
    frame = frame.assign(
        **{c: frame[c].map(partial(cell_text, c)) for c in P_COLUMNS if c in frame}
    )
    styler = frame.style.highlight_max(subset=high, props=best)
    if low:
        styler = styler.highlight_min(subset=low, props=best)
    return styler.format({c: partial(cell_text, c) for c in frame.columns})


TEST_COLUMNS = ("BLEU", "BLEU 95% CI", *P_COLUMNS, "wins/ties/losses", "mean sentence BLEU")


def corpus_section(report: BleuReport) -> None:
    """Two tables that fit the page's width: the scores, then the tests against the baseline."""
    frame = corpus_frame(report)
    scores = [c for c in frame.columns if c not in TEST_COLUMNS[1:]]
    st.dataframe(corpus_styler(frame[scores]), key="bleu_corpus_table")
    st.dataframe(corpus_styler(frame[list(TEST_COLUMNS)]), key="bleu_tests_table")
    st.caption(
        f"Baseline: {plain(report.baseline)}. p-values: paired bootstrap "
        f"({report.settings.bootstrap_samples} resamples) and approximate randomization "
        f"({report.settings.ar_trials} trials), seed {report.settings.seed}, as sacrebleu's "
        "--paired-bs / --paired-ar. Wins/ties/losses count sentences by sentence BLEU "
        "against the baseline."
    )
    pairwise_section(report)
    mean_note(report)
    st.plotly_chart(
        figures.corpus_bars(report),
        key="bleu_corpus_bars",
        config=chart_config("corpus_scores"),
    )
    with st.expander("sacrebleu signatures (copy them next to any number you report)"):
        for label, signature in report.signatures.items():
            st.markdown(f"**{plain(label)}**")
            st.code(signature, language=None)


def pairwise_section(report: BleuReport) -> None:
    """Every pair of systems: paired bootstrap / AR p-values, the better system marked."""
    if len(report.systems) < 3:
        return
    with st.expander(
        "Every pair of systems: paired significance (BLEU, chrF)", icon=":material/grid_on:"
    ):
        if not st.toggle(
            "Test every pair",
            key="bleu_pairwise_on",
            help="Paired bootstrap and approximate randomization for each pair, "
            "as sacrebleu's PairedTest of the two with the same seed.",
        ):
            return
        label = st.segmented_control(
            "Metric", ["BLEU", "chrF"], default="BLEU", key="bleu_pairwise_metric"
        )
        label = label or "BLEU"  # a second click clears the control: keep showing BLEU
        st.dataframe(state.pairwise(report, label.lower()).matrix(), key="bleu_pairwise_table")
        st.caption(
            "Cells: p (paired bootstrap) / p (approximate randomization). ▲: the row "
            f"system's {label} is higher with bootstrap p < 0.05; ▼: lower."
        )


def mean_note(report: BleuReport) -> None:
    """Corpus BLEU sums n-gram counts over all sentences; it is not the mean of sentence BLEU."""
    name = report.baseline
    shown = plain(name)
    corpus = report.corpus.loc[name, "bleu"]
    mean = report.corpus.loc[name, "sentence_bleu_mean"]
    st.info(
        f"Mean sentence BLEU is not corpus BLEU. For {shown}: corpus BLEU {corpus:.2f} (n-gram "
        f"counts summed over all {report.n_segments:,} sentences, one brevity penalty), mean of "
        f"sentence BLEU {mean:.2f} (each sentence scored alone with smoothing "
        f"'{report.settings.smooth_method}', then averaged). Report corpus BLEU.",
        icon=":material/info:",
    )


def per_sentence_csv(
    report: BleuReport, refs: list[list[str]], texts: dict[str, list[str]], source: list[str] | None
) -> bytes:
    """One row per segment: line, bucket, references, source, and per system text and scores."""
    first = report.sentences[report.sentences["system"] == report.systems[0]]
    frame = pd.DataFrame(
        {
            "line": first["segment"].to_numpy() + 1,
            "bucket": first["bucket"].to_numpy(),
            "ref_len": first["first_ref_len"].to_numpy(),
        }
    )
    for j, ref in enumerate(refs):
        frame["reference" if len(refs) == 1 else f"reference {j + 1}"] = ref
    if source is not None:
        frame["source"] = source
    metrics = ["bleu", "chrf"] + (["ter"] if report.ter_computed else [])
    for name in report.systems:
        frame[name] = texts[name]
        for metric in metrics:
            frame[f"{name} {metric}"] = report.sentence_scores(metric)[name].to_numpy()
    return frame.to_csv(index=False).encode("utf-8")


def json_bundle(
    report: BleuReport,
    files: list[TextFile],
    system_names: list[str | None],
    origin: str,
    input_sha256: dict[str, str],
    words: WordReport | None = None,
) -> str:
    """The command line's JSON bundle (core.bleu.bundle, same keys) of the page's analysis.
    files: one entry per input with role, path (the file name), sha256, and the system name it
    was given (system_names, aligned with files; None for others), line count and encoding.
    A table upload adds "table": its name and SHA-256. words: the word analyses, if made."""
    entries = [
        {
            "role": f.role,
            "path": f.name,
            "sha256": f.sha256,
            "system": system_name,
            "lines": f.n_lines,
            "encoding": f.encoding,
        }
        for f, system_name in zip(files, system_names, strict=True)
    ]
    extra = {"origin": origin}
    if origin == "table":
        extra["table"] = [{"path": k, "sha256": v} for k, v in input_sha256.items()]
    return bundle_json(result_bundle(report, entries, words, **extra))


# Short names: the files say what they hold; the inputs' names and hashes are inside them
FILE_NAMES = {
    "csv": "bleu_sentences.csv",
    "json": "bleu_analysis.json",
    "html": "bleu_report.html",
    "tex": "bleu_corpus.tex",
}


def downloads(csv_bytes: Callable[[], bytes], json_text: Callable[[], str]) -> None:
    """Two download buttons; the files are made only when a button is clicked."""
    c_csv, c_json = st.columns(2)
    c_csv.download_button(
        "Per-sentence scores (CSV)",
        csv_bytes,
        file_name=FILE_NAMES["csv"],
        mime="text/csv",
        key="bleu_download_csv",
        on_click="ignore",  # no rerun: a rerun could drop the file while it is being made
        icon=":material/download:",
    )
    c_json.download_button(
        "Everything (JSON: scores, signatures, settings, input SHA-256)",
        lambda: json_text().encode("utf-8"),
        file_name=FILE_NAMES["json"],
        mime="application/json",
        key="bleu_download_json",
        on_click="ignore",
        icon=":material/download:",
    )


def report_downloads(html_text: Callable[[], str], latex_text: Callable[[], str]) -> None:
    """The whole analysis as one HTML file, and the corpus table as LaTeX; made on click."""
    c_html, c_tex = st.columns(2)
    c_html.download_button(
        "Report (one HTML file: tables, interactive charts, signatures, file hashes)",
        lambda: html_text().encode("utf-8"),
        file_name=FILE_NAMES["html"],
        mime="text/html",
        key="bleu_download_html",
        on_click="ignore",
        icon=":material/download:",
    )
    c_tex.download_button(
        "Corpus scores (LaTeX table)",
        lambda: latex_text().encode("utf-8"),
        file_name=FILE_NAMES["tex"],
        mime="text/x-tex",
        key="bleu_download_tex",
        on_click="ignore",
        icon=":material/download:",
    )
