"""The Translate page's experiments: those of this session in st.session_state (each owns its
background training job), and every finished one in the run store, so that a second training
never replaces the first and a restart finds them all (read back without retraining)."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field

import streamlit as st

from core.store.records import StoreError
from core.translate.background import FinishedJob, ModelOutcome, TrainingJob
from core.translate.config import TranslateConfig
from core.translate.corpus import ParallelCorpus
from core.translate.stored import list_experiments, load_experiment, save_experiment
from dashboard.session import services
from dashboard.session.bleu_handoff import BLEU_HANDOFF_KEY, make_handoff

EXPERIMENTS = "translate_experiments"  # id -> Experiment, oldest first
CURRENT = "translate_current"  # id of the experiment the page shows
BLEU_PAGE = "views/bleu/bleu.py"
PICK_KEY = "tr_pick"
MAX_EXPERIMENTS = 5  # trained in this session and held in memory; the store keeps them all


@dataclass
class Experiment:
    id: str
    label: str  # shown in the picker
    corpus: ParallelCorpus
    config: TranslateConfig
    beam: int  # beam size of the test translations
    job: TrainingJob | FinishedJob
    started: float = field(default_factory=time.time)
    memo: dict = field(default_factory=dict)  # derived views (buckets, gradients), computed once
    stored_id: str | None = None  # its run-store id, once kept there
    sizes: dict[str, int] | None = None  # train / dev / test pairs (else the corpus's own)

    def pair_counts(self) -> dict[str, int]:
        return self.sizes or self.corpus.sizes()

    @property
    def outcomes(self) -> dict[str, ModelOutcome]:
        """Finished models in the config's order."""
        return {m: self.job.outcomes[m] for m in self.config.models if m in self.job.outcomes}


def experiments() -> dict[str, Experiment]:
    """This session's experiments (trained here, or read back from the store), by id."""
    return st.session_state.setdefault(EXPERIMENTS, {})


def _store():
    return services.run_store(services.store_key()).store


def store_problem() -> str | None:
    return services.run_store(services.store_key()).problem


def listing() -> dict[str, str]:
    """id -> label of every experiment there is: this session's, then the store's (newest
    first) that this session does not hold."""
    here = experiments()
    out = {i: e.label for i, e in here.items()}
    held = {e.stored_id for e in here.values()}
    store = _store()
    if store is not None:
        try:
            out |= {r.id: r.name for r in list_experiments(store) if r.id not in held}
        except StoreError as err:
            st.warning(f"Stored translation experiments cannot be listed: {err}")
    return out


def get(exp_id: str | None) -> Experiment | None:
    """An experiment by id: this session's, else read back from the store (kept here)."""
    here = experiments()
    if exp_id in here or exp_id is None:
        return here.get(exp_id)
    store = _store()
    if store is None:
        return None
    try:
        s = load_experiment(store, exp_id)
    except StoreError as err:
        st.error(str(err), icon=":material/error:")
        return None
    exp = Experiment(s.id, s.label, s.corpus, s.config, s.beam, FinishedJob(s.outcomes))
    exp.stored_id, exp.sizes, exp.memo["announced"] = s.id, s.sizes, True
    here[exp.id] = exp
    return exp


def current() -> Experiment | None:
    return get(st.session_state.get(CURRENT))


def keep(exp: Experiment) -> None:
    """Save a finished experiment's models to the run store, once."""
    store = _store()
    if store is None or exp.stored_id is not None or not exp.job.done or not exp.outcomes:
        return
    try:
        exp.stored_id = save_experiment(
            store, exp.label, exp.corpus, exp.config, exp.beam, exp.outcomes
        )
    except (StoreError, OSError) as err:
        st.warning(f"This experiment could not be kept in the run store: {err}")


def select(exp_id: str) -> None:
    st.session_state[CURRENT] = exp_id
    st.session_state[PICK_KEY] = exp_id  # the picker shows it (set before the picker is drawn)


def start(corpus: ParallelCorpus, cfg: TranslateConfig, beam: int, label: str) -> Experiment:
    """Start training in worker processes and make the experiment current. Old finished
    experiments beyond MAX_EXPERIMENTS are dropped (never a running one)."""
    job = TrainingJob(corpus, cfg, services.job_pool(), beam)  # queued with the server's jobs
    exp = Experiment(uuid.uuid4().hex[:8], label, corpus, cfg, beam, job)
    store = experiments()
    store[exp.id] = exp
    for old in [k for k, e in store.items() if e.job.done][: max(0, len(store) - MAX_EXPERIMENTS)]:
        del store[old]
    select(exp.id)
    return exp


def handoff(exp: Experiment, system_names: dict[str, str]) -> dict:
    """The test set and every finished model's translations, as the BLEU page takes them."""
    test = exp.corpus.test
    return make_handoff(
        [test.target],
        {system_names[m]: o.test.hyps for m, o in exp.outcomes.items()},
        source=test.source,
        label=f"the test set of {exp.corpus.name}",
    )


def open_in_bleu(exp: Experiment, system_names: dict[str, str]) -> None:
    st.session_state[BLEU_HANDOFF_KEY] = handoff(exp, system_names)
    st.switch_page(BLEU_PAGE)
