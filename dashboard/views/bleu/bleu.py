"""BLEU breakdown: upload references and system outputs, see every sentence, compare systems.

Thin page: widgets -> doctored inputs + BleuSettings -> cached analysis -> tables and charts.
"""

from __future__ import annotations

import streamlit as st

from core.bleu.breakdowns.gap_decomposition import decompose_gap
from core.bleu.report import BleuReport
from core.bleu.settings import SMOOTH_METHODS, BleuSettings, available_tokenizers
from dashboard.session.bleu_handoff import BLEU_HANDOFF_KEY, HandoffError, check_handoff, describe
from dashboard.shared.text import plain
from dashboard.views.bleu import (
    examples,
    export,
    figures,
    sections,
    sentences,
    state,
    uploads,
    words,
)
from dashboard.views.bleu.chart_files import chart_config, format_widget
from dashboard.views.bleu.charts import scores as charts

SCATTER_KEY = "bleu_scatter"


def settings_widgets(names: list[str]) -> tuple[BleuSettings, bool]:
    """sacrebleu settings and the baseline, one row of widgets."""
    c_tok, c_smooth, c_base, c_flags = st.columns([1, 1, 1, 1])
    # BleuSettings' defaults: the ones the built-in example is warmed with (warm.py)
    tokenizers, default = list(available_tokenizers()), BleuSettings()
    tokenize = c_tok.selectbox(
        "Tokenizer",
        tokenizers,
        index=tokenizers.index(default.tokenize),
        key=uploads.TOKENIZE_KEY,
        help="sacrebleu's tokenizer; 'none' for text that is already "
        "tokenized. ja-mecab appears when MeCab is installed.",
    )
    smooth = c_smooth.selectbox(
        "Sentence BLEU smoothing",
        list(SMOOTH_METHODS),
        index=SMOOTH_METHODS.index(default.smooth_method),
        key="bleu_smooth",
        help="Only sentence-level BLEU is smoothed; corpus BLEU uses sacrebleu's default (exp).",
    )
    smooth_value = smooth_value_widget(c_smooth, smooth)
    baseline = c_base.selectbox("Baseline system", names, index=0, key="bleu_baseline")
    lowercase = c_flags.checkbox("Lowercase", value=default.lowercase, key="bleu_lowercase")
    ter = c_flags.checkbox("Compute TER (slow)", key="bleu_ter")
    settings = BleuSettings(
        tokenize=tokenize,
        lowercase=lowercase,
        smooth_method=smooth,
        smooth_value=smooth_value,
        baseline=baseline,
    )
    return settings, ter


SMOOTH_DEFAULTS = {"floor": 0.1, "add-k": 1.0}  # sacrebleu's own defaults


def smooth_value_widget(column, smooth: str) -> float | None:
    """The floor / add-k value, shown only for the methods that take one."""
    if smooth not in SMOOTH_DEFAULTS:
        return None
    return column.number_input(
        "floor value" if smooth == "floor" else "k",
        min_value=0.0,
        max_value=100.0,
        value=SMOOTH_DEFAULTS[smooth],
        step=0.05 if smooth == "floor" else 0.5,
        key=f"bleu_smooth_value_{smooth}",
        help="floor: a zero n-gram precision counts as this many matches; add-k: k is added "
        "to the matches and totals of orders 2 and up (sacrebleu's definitions).",
    )


def read_inputs() -> uploads.PageInputs:
    from_translate = handoff_inputs()
    if from_translate is not None:
        return from_translate
    with st.expander("Your files", expanded=True, icon=":material/upload_file:"):
        uploaded = uploads.upload_widgets()
    if uploaded is not None:
        return uploaded
    refs, systems, source = state.example_files()
    st.info(
        f"Showing the built-in example: a generated reference and {len(systems)} generated "
        f"systems of different quality ({', '.join(f.name for f in systems)}). Upload files "
        "above to analyse your own.",
        icon=":material/science:",
    )
    return uploads.from_example(refs, systems, source)


def handoff_inputs() -> uploads.PageInputs | None:
    """The Translate page's translations while they are handed off; None otherwise."""
    given = st.session_state.get(BLEU_HANDOFF_KEY)
    if given is None:
        return None
    c_note, c_clear = st.columns([4, 1], vertical_alignment="center")
    c_clear.button(
        "Clear, back to uploads",
        key="bleu_handoff_clear",
        on_click=clear_handoff,
        icon=":material/close:",
    )
    try:
        check_handoff(given)
    except HandoffError as err:
        c_note.error(
            f"The Translate page's hand-off cannot be scored: {err}. Clear it to "
            "upload files instead.",
            icon=":material/error:",
        )
        return None
    c_note.info(f"From the Translate page: {plain(describe(given))}", icon=":material/translate:")
    return uploads.from_handoff(given)


def clear_handoff() -> None:
    st.session_state.pop(BLEU_HANDOFF_KEY, None)


def comparison_section(report: BleuReport) -> tuple[str, str]:
    """System A vs B: sentence scatter (selection opens the sentence) and the gap decomposition."""
    a, b = sentences.pick_pair(report)
    left, right = st.columns(2)
    left.plotly_chart(
        figures.pair_scatter(report, a, b),
        key=SCATTER_KEY,
        config=chart_config("sentence_scatter"),
        on_select=lambda: sentences.on_scatter_select(SCATTER_KEY),
        selection_mode=("points", "box", "lasso"),
    )
    left.caption(
        "Click a point (or box-select with the toolbar's select tool) to take that sentence "
        "apart below."
    )
    if a == b:
        right.info("Choose two different systems to see where the gap between them comes from.")
        return a, b
    try:
        gap = decompose_gap(report, a, b)
    except ValueError as err:  # a BLEU of 0 has no log decomposition
        right.info(f"No gap decomposition: {err}.")
        return a, b
    right.plotly_chart(figures.gap_chart(report, gap), key="bleu_gap", config=chart_config("gap"))
    right.caption(
        "log BLEU = log BP + (1/N) sum_n log p_n, so the log of the ratio of two BLEU scores "
        "splits exactly into one part per n-gram order and one for the brevity penalty."
    )
    return a, b


def distribution_section(report: BleuReport, source, labels) -> None:
    left, right = st.columns(2)
    left.plotly_chart(
        figures.sentence_boxes(report),
        key="bleu_hist",
        config=chart_config("sentence_bleu_distribution"),
    )
    right.plotly_chart(
        figures.precision_chart(report),
        key="bleu_precisions",
        config=chart_config("precisions"),
    )
    kinds = [
        k
        for k in state.BUCKET_KINDS
        if (source is not None or k != "source length")
        and (labels is not None or k != "label column")
    ]
    kind = st.selectbox(
        "Bucket the sentences by",
        kinds,
        key="bleu_bucket_kind",
        help="Every system is cut the same way; the baseline's length ratio "
        "and sentence BLEU follow the chosen baseline.",
    )
    table = state.buckets_by(report, kind, source, labels)
    st.plotly_chart(
        figures.bucket_chart(report, table, kind, source, labels),
        key="bleu_buckets_chart",
        config=chart_config("buckets"),
    )


def page() -> None:
    st.title("BLEU breakdown")
    st.caption(
        "Upload references and system outputs; every number is sacrebleu's own "
        "(signatures below), taken apart sentence by sentence."
    )
    state.warm_workers()
    inputs = read_inputs()
    st.subheader("Input doctor")
    uploads.tokenized_warning(inputs)
    uploads.show_doctor(inputs)
    use = uploads.usable(inputs)
    for note in use.notes:
        (st.error if use.blocked else st.warning)(plain(note), icon=":material/block:")
    if use.blocked:
        if inputs.checked.refs and inputs.checked.systems:
            st.warning("Scoring waits until the problems above are fixed; your files stay loaded.")
        return
    refs, systems, source = use.refs, use.systems, use.source
    st.subheader("Systems and settings")
    names = uploads.name_widgets(systems, inputs.origin)
    settings, ter = settings_widgets(names)
    format_widget()
    report = state.analyse_files(refs, systems, names, settings, ter)
    ref_lines = [list(f.lines) for f in refs]
    texts = {n: list(f.lines) for n, f in zip(names, systems, strict=True)}

    st.subheader("Corpus scores")
    sections.corpus_section(report)
    st.subheader("Two systems compared")
    a, b = comparison_section(report)
    st.subheader("Distributions")
    distribution_section(report, source, inputs.labels)
    st.subheader("Where A and B differ most")
    examples.examples_section(report, texts, ref_lines, a, b)
    st.subheader("Words and n-grams")
    analysis = words.word_section(refs, systems, names, settings, (a, b))
    st.subheader("Sentences")
    frame = sentences.sentence_frame(report, texts, ref_lines, a, b)
    shown = sentences.filter_widgets(frame, bucket_names(report))
    shown = words.ngram_filter(shown, analysis, sorted({a, b}, key=names.index))
    sentences.sentence_table(shown, len(frame))
    source_lines = list(source.lines) if source else None
    sentences.sentence_detail(report, texts, ref_lines, [a] if a == b else [a, b], source_lines)
    st.subheader("Downloads")
    used = [*refs, *systems, *([source] if source else [])]
    labels = [None] * len(refs) + names + [None] * (source is not None)
    sections.downloads(
        lambda: sections.per_sentence_csv(report, ref_lines, texts, source_lines),
        lambda: sections.json_bundle(
            report,
            used,
            labels,
            inputs.origin,
            inputs.input_sha256,
            words.word_report_of(analysis, names),
        ),
    )
    sections.report_downloads(
        lambda: export.html_report(
            report,
            sections.corpus_frame(report),
            report_figures(report),
            used_files(used, labels),
            words.word_report_of(analysis, names),
        ),
        lambda: export.latex_tables(sections.corpus_frame(report), latex_caption(report)),
    )


def report_figures(report: BleuReport) -> list:
    return [
        charts.corpus_bars(report.significance_table(), report.systems),
        charts.precision_chart(report.corpus, report.settings.max_ngram_order),
        charts.sentence_boxes(report.sentence_scores("bleu")),
        charts.bucket_chart(report.buckets, report.systems),
    ]


def used_files(files, labels) -> list[dict]:
    return [
        {"role": f.role, "path": f.name, "system": label, "lines": f.n_lines, "sha256": f.sha256}
        for f, label in zip(files, labels, strict=True)
    ]


def latex_caption(report: BleuReport) -> str:
    return (
        f"Corpus scores ({report.n_segments} segments; p-values vs {report.baseline}, paired "
        f"bootstrap and approximate randomization). {report.signatures['BLEU']}"
    )


def bucket_names(report: BleuReport) -> list[str]:
    return list(report.buckets.drop_duplicates("bucket").sort_values("bucket_index")["bucket"])


page()
