"""The Translate page's experiments, kept in st.session_state so reruns and page switches never
lose a trained model. Each experiment owns its background training job."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field

import streamlit as st

from core.translate.background import ModelOutcome, TrainingJob
from core.translate.config import TranslateConfig
from core.translate.corpus import ParallelCorpus
from dashboard.bleu.handoff import BLEU_HANDOFF_KEY, make_handoff

EXPERIMENTS = "translate_experiments"  # id -> Experiment, oldest first
CURRENT = "translate_current"  # id of the experiment the page shows
BLEU_PAGE = "views/bleu.py"
MAX_EXPERIMENTS = 5


@dataclass
class Experiment:
    id: str
    label: str  # shown in the picker
    corpus: ParallelCorpus
    config: TranslateConfig
    beam: int  # beam size of the test translations
    job: TrainingJob
    started: float = field(default_factory=time.time)
    memo: dict = field(default_factory=dict)  # derived views (buckets, gradients), computed once

    @property
    def outcomes(self) -> dict[str, ModelOutcome]:
        """Finished models in the config's order."""
        return {m: self.job.outcomes[m] for m in self.config.models if m in self.job.outcomes}


def experiments() -> dict[str, Experiment]:
    return st.session_state.setdefault(EXPERIMENTS, {})


def current() -> Experiment | None:
    return experiments().get(st.session_state.get(CURRENT))


def select(exp_id: str) -> None:
    st.session_state[CURRENT] = exp_id


def start(corpus: ParallelCorpus, cfg: TranslateConfig, beam: int, label: str) -> Experiment:
    """Start training in worker processes and make the experiment current. Old finished
    experiments beyond MAX_EXPERIMENTS are dropped (never a running one)."""
    exp = Experiment(uuid.uuid4().hex[:8], label, corpus, cfg, beam, TrainingJob(corpus, cfg, beam))
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
