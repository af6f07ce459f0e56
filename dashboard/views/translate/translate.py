"""Translate page: recurrent encoder-decoders learn to translate side by side; their test
translations go to the BLEU page. Training runs in worker processes, polled by a fragment."""

from __future__ import annotations

import streamlit as st

from core.translate.readers import CorpusError
from core.translate.train import TrainHistory
from dashboard.views.translate import compare as translate_compare
from dashboard.views.translate import experiments as store
from dashboard.views.translate import loaded as translate_loaded
from dashboard.views.translate import results as results
from dashboard.views.translate.charts import cell_label
from dashboard.views.translate.form import (
    FormResult,
    corpus_from_form,
    translate_form,
    with_target_tokens,
)

POLL_SECONDS = 1.0


def start_from_form(form: FormResult) -> None:
    """Build the corpus and start training; a bad corpus or config is reported, and every
    experiment already trained stays."""
    if not form.config.models:
        st.error("Choose at least one model.", icon=":material/error:")
        return
    try:
        corpus = corpus_from_form(form)
    except CorpusError as err:
        st.error(f"This corpus cannot be used: {err}", icon=":material/error:")
        return
    form = with_target_tokens(form, corpus)
    models = " vs ".join(cell_label(m) for m in form.config.models)
    extras = " + attention" if form.config.attention else ""
    extras += ", character targets" if form.config.tgt_tokens == "chars" else ""
    base = label = f"{models}{extras} on {corpus.name}"
    taken, n = set(store.listing().values()), 2
    while label in taken:  # a second run of the same setup: "... (2)"
        label, n = f"{base} ({n})", n + 1
    store.start(corpus, form.config, form.beam, label)


def live(exp: store.Experiment) -> None:
    """Progress of every model, with live curves; reruns the page when training ends."""
    exp.job.poll()
    cfg = exp.config
    for m in cfg.models:
        events = exp.job.progress.get(m, [])
        last = events[-1] if events else None
        if m in exp.job.errors:
            st.error(f"{cell_label(m)}: training failed.", icon=":material/error:")
        elif m in exp.job.outcomes:
            st.progress(1.0, text=f"{cell_label(m)}: done")
        elif m in exp.job.positions:
            place = exp.job.positions[m]
            st.progress(
                0.0, text=f"{cell_label(m)}: waiting for a free worker, place {place} in the queue"
            )
        elif last is None:
            st.progress(0.0, text=f"{cell_label(m)}: starting…")
        else:
            share = last.seconds / cfg.time_budget if cfg.time_budget else last.epoch / cfg.epochs
            st.progress(
                min(1.0, share),
                text=f"{cell_label(m)}: step {last.step}, epoch "
                f"{last.epoch:.2f}, loss {last.loss:.3f}, "
                f"{last.tokens_per_s:,.0f} target tokens/s",
            )
    histories = {m: _live_history(exp, m) for m in cfg.models}
    histories = {m: h for m, h in histories.items() if h is not None}
    if histories and not exp.job.done:
        results.curves(histories)
    if exp.job.done and not exp.memo.get("announced"):
        exp.memo["announced"] = True
        st.rerun(scope="app")


def _live_history(exp: store.Experiment, m: str):
    if m in exp.job.outcomes:
        return exp.job.outcomes[m].model.history
    events = exp.job.progress.get(m, [])
    if not events:
        return None
    return TrainHistory(
        [e.step for e in events],
        [e.loss for e in events],
        [e.checkpoint for e in events if e.checkpoint is not None],
    )


def picker() -> store.Experiment | None:
    """Every experiment there is (this session's and the store's); the chosen one."""
    listed = store.listing()
    if listed:
        ids = list(listed)
        chosen = store.current()
        if st.session_state.get(store.PICK_KEY) not in listed:
            st.session_state[store.PICK_KEY] = chosen.id if chosen else ids[0]
        st.selectbox(
            f"Experiment ({len(ids)} kept)",
            ids,
            format_func=lambda i: listed[i],
            key=store.PICK_KEY,
            on_change=lambda: store.select(st.session_state[store.PICK_KEY]),
        )
        if chosen is None:  # a new session: the newest kept experiment
            st.session_state[store.CURRENT] = st.session_state[store.PICK_KEY]
    return store.current()


def page() -> None:
    st.title("Translate")
    st.caption(
        "Recurrent encoder-decoders (any registered cell) learn to translate, side by "
        "side on identical batches. BLEU scores are sacrebleu corpus BLEU on "
        "detokenized text (tokenize=13a)."
    )
    form = translate_form()
    if form is not None:
        start_from_form(form)
    with st.expander("Saved models", icon=":material/upload_file:"):
        translate_loaded.section()
    exp = picker()
    if exp is None:
        st.info(
            "Choose a corpus and models, then Train. The default trains an RNN and a "
            "GRU on the built-in English → Korean corpus in about a minute."
        )
        return
    st.subheader(exp.label)
    sizes = exp.pair_counts()
    st.caption(
        f"{sizes['train']:,} training, {sizes['dev']:,} dev and {sizes['test']:,} test pairs"
    )
    running = not exp.job.done
    if running and st.button(
        "Stop training",
        key="tr_stop_button",
        help="Each model checkpoints now and keeps its best weights.",
    ):
        exp.job.stop()
    st.fragment(live, run_every=POLL_SECONDS if running else None)(exp)
    if running:
        return
    store.keep(exp)
    results.summary(exp)
    if not exp.outcomes:
        return
    if st.button(
        "Open in BLEU breakdown", type="primary", key="tr_open_bleu", icon=":material/translate:"
    ):
        store.open_in_bleu(exp, results.system_names(exp))
    results.curves({m: o.model.history for m, o in exp.outcomes.items()})
    st.subheader("Test translations")
    results.examples(exp)
    st.subheader("Gradient reaching each source word")
    results.gradients(exp)
    st.subheader("BLEU by source length")
    results.buckets(exp)
    results.downloads(exp)
    st.subheader("Compare experiments")
    translate_compare.section()


page()
