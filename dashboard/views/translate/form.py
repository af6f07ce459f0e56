"""The Translate page's form: widgets -> a corpus choice and a TranslateConfig."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

import streamlit as st

from core.cells import cell_names
from core.config import bounds, help_of
from core.translate.config import DecodeSettings, TranslateConfig
from core.translate.corpus import ParallelCorpus, split_corpus
from core.translate.generated import GeneratedCorpusConfig, generated_corpus
from core.translate.readers import CorpusError, read_aligned, read_pairs, read_table_pairs
from core.translate.tokenize import TOKENIZERS, default_target_tokens
from dashboard.views.translate.charts import cell_label

FAST_ENV = "GATESCOPE_FAST_DEFAULT"  # "1": a tiny default experiment (tests only)
BUILT_IN, PAIRS, ALIGNED, TABLE = (
    "Built-in English → Korean (generated)",
    "Pairs file (source<TAB>target)",
    "Two aligned files",
    "Table with source and ref columns",
)
# The page's default: RNN vs GRU on the built-in corpus, about a minute on two cores.
PAGE_DEFAULT = TranslateConfig(
    models=("rnn", "gru"), embed=32, hidden=128, epochs=24, dev_limit=200
)
CORPUS_DEFAULT = GeneratedCorpusConfig()
AUTO = "auto"  # target tokens chosen from the target's script
AUTO_HELP = (
    "auto: characters when the target is mostly Hangul, kana or Han (Korean, Japanese, "
    "Chinese), whose words are too many for a word vocabulary; words otherwise. The built-in "
    "corpus has a small closed vocabulary and keeps words."
)
BY_EPOCHS, BY_TIME = "epochs", "a time budget"


def _range(name: str) -> tuple:
    """The widget's (min, max) for a TranslateConfig field, from the field's own limits."""
    return bounds(TranslateConfig, name)


def _about(name: str) -> dict:
    """The widget's help (the field's) and key (tr_<field>)."""
    return {"help": help_of(TranslateConfig, name), "key": f"tr_{name}"}


def page_default() -> tuple[TranslateConfig, GeneratedCorpusConfig]:
    if os.environ.get(FAST_ENV) == "1":
        return (
            replace(PAGE_DEFAULT, embed=8, hidden=8, epochs=1, dev_limit=20),
            GeneratedCorpusConfig(n_train=200, n_dev=20, n_test=40),
        )
    return PAGE_DEFAULT, CORPUS_DEFAULT


@st.cache_resource(show_spinner=False)
def built_in_corpus(cfg: GeneratedCorpusConfig) -> ParallelCorpus:
    return generated_corpus(cfg)


@dataclass(frozen=True)
class FormResult:
    source: str  # one of BUILT_IN, PAIRS, ALIGNED, TABLE
    files: tuple  # uploaded files of that source
    test_file: object | None  # an uploaded pairs file used whole as the test set
    reverse_direction: bool  # translate target -> source
    config: TranslateConfig
    beam: int  # beam size for the test translations
    auto_target: bool = False  # target tokens to be chosen from the target's script


def translate_form() -> FormResult | None:
    """The experiment form; returns its values on submit, else None."""
    base, _ = page_default()
    stop = st.radio(  # outside the form, so that the field it enables follows it at once
        "Train for", (BY_EPOCHS, BY_TIME), horizontal=True, key="tr_stop"
    )
    by_time = stop == BY_TIME
    with st.form("translate_form"):
        c1, c2, c3 = st.columns(3)
        source = c1.radio("Corpus", (BUILT_IN, PAIRS, ALIGNED, TABLE), key="tr_source")
        files = c1.file_uploader(
            "Corpus files (for an upload choice)",
            accept_multiple_files=True,
            key="tr_files",
            help="Pairs: one .tsv. Two aligned files: "
            "source first, then target. Table: .tsv/.csv/.jsonl.",
        )
        test_file = c1.file_uploader(
            "Test set (optional pairs file; else split off by seed)", key="tr_test_file"
        )
        reverse = c1.checkbox("Reverse direction (target → source)", key="tr_reverse")
        models = c2.multiselect(
            "Models",
            cell_names(),
            default=list(base.models),
            format_func=cell_label,
            key="tr_models",
        )
        embed = c2.number_input("Embedding size", *_range("embed"), base.embed, **_about("embed"))
        hidden = c2.number_input("Hidden units", *_range("hidden"), base.hidden, **_about("hidden"))
        attention = c2.checkbox("Attention (Luong general)", key="tr_attention")
        reverse_source = c2.checkbox("Reverse the source (Sutskever et al.)", key="tr_revsrc")
        epochs = c3.number_input(
            "Epochs", *_range("epochs"), base.epochs, **_about("epochs"), disabled=by_time
        )
        budget = c3.number_input(
            "Time budget per model (s)",
            *_range("time_budget"),
            60,
            help=help_of(TranslateConfig, "time_budget"),
            key="tr_budget",
            disabled=not by_time,
        )
        src_tok = c3.selectbox("Source tokens", TOKENIZERS, key="tr_src_tok")
        tgt_tok = c3.selectbox(
            "Target tokens (auto: characters for Korean, Japanese, Chinese)",
            (AUTO, *TOKENIZERS),
            key="tr_tgt_tok",
            help=AUTO_HELP,
        )
        beam = c3.number_input(
            "Beam size (test set)",
            *bounds(DecodeSettings, "beam"),
            1,
            help=help_of(DecodeSettings, "beam"),
            key="tr_beam",
        )
        seed = c3.number_input("Seed", *_range("seed"), base.seed, **_about("seed"))
        submitted = st.form_submit_button("Train", type="primary", icon=":material/play_arrow:")
    if not submitted:
        return None
    cfg = replace(
        base,
        models=tuple(models),
        embed=int(embed),
        hidden=int(hidden),
        attention=attention,
        reverse_source=reverse_source,
        src_tokens=src_tok,
        tgt_tokens=base.tgt_tokens if tgt_tok == AUTO else tgt_tok,
        epochs=10**6 if by_time else int(epochs),
        time_budget=float(budget) if by_time else None,
        seed=int(seed),
    )
    return FormResult(
        source, tuple(files or ()), test_file, reverse, cfg, int(beam), tgt_tok == AUTO
    )


def with_target_tokens(form: FormResult, corpus: ParallelCorpus) -> FormResult:
    """The form with "auto" target tokens chosen from the corpus's target script."""
    if not form.auto_target or form.source == BUILT_IN:
        return form
    tokens = default_target_tokens(corpus.train.target)
    return replace(form, config=replace(form.config, tgt_tokens=tokens))


def corpus_from_form(form: FormResult) -> ParallelCorpus:
    """The chosen corpus, split by seed. Raises CorpusError naming the file and line."""
    if form.source == BUILT_IN:
        corpus = built_in_corpus(page_default()[1])
        if form.reverse_direction:
            corpus = ParallelCorpus(
                corpus.train.reversed(),
                corpus.dev.reversed(),
                corpus.test.reversed(),
                corpus.name + " (reversed)",
            )
        return corpus
    files = form.files
    if not files:
        raise CorpusError(f"choose the file(s) for “{form.source}”, or the built-in corpus.")
    if form.source == ALIGNED:
        if len(files) != 2:
            raise CorpusError(
                f"two aligned files are needed (source, then target); {len(files)} uploaded."
            )
        pairs = read_aligned(files[0].name, files[0].getvalue(), files[1].name, files[1].getvalue())
    else:
        reader = read_pairs if form.source == PAIRS else read_table_pairs
        pairs = reader(files[0].name, files[0].getvalue())
    test = None
    if form.test_file is not None:
        test = read_pairs(form.test_file.name, form.test_file.getvalue())
    if form.reverse_direction:
        pairs, test = pairs.reversed(), test.reversed() if test else None
    return split_corpus(pairs, form.config.seed, test=test)
