"""Translation experiments in the run store (kind "translate"), so that every one is kept, and
shown again after a restart without retraining: one record per experiment holds the config, the
test pairs, each model's saved-translator JSON (history, vocabularies, best checkpoint), test
translations and BLEU in its JSON document, and each model's weights and attention in its .npz
(read back through the bounded reader; nothing is pickled).

    rid = save_experiment(store, "RNN vs GRU on en-ko", corpus, cfg, beam, outcomes)
    [s.label for s in list_experiments(store)]      # newest first
    exp = load_experiment(store, rid)               # -> StoredExperiment, ready to show
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.store.records import StoredRun, StoreError
from core.store.run_store import RunStore
from core.translate.background import ModelOutcome
from core.translate.config import TranslateConfig
from core.translate.corpus import ParallelCorpus
from core.translate.experiment import TestResult
from core.translate.readers import Pairs
from core.translate.saved import SavedModelError, model_to_json, trained_model

KIND = "translate"
WEIGHTS, ATTENTION, SHAPES = "weights", "attention", "attention_shapes"


@dataclass
class StoredExperiment:
    id: str  # the store's run id
    label: str
    corpus: ParallelCorpus  # the test pairs only (train and dev are not kept)
    sizes: dict[str, int]  # train / dev / test pairs of the corpus it was trained on
    config: TranslateConfig
    beam: int
    outcomes: dict[str, ModelOutcome]  # in the config's order


def save_experiment(
    store: RunStore,
    label: str,
    corpus: ParallelCorpus,
    cfg: TranslateConfig,
    beam: int,
    outcomes: dict[str, ModelOutcome],
) -> str:
    """One record with everything the page shows of a finished experiment. Returns its id."""
    test = corpus.test
    arrays: dict[str, np.ndarray] = {}
    for m, o in outcomes.items():
        arrays |= {f"{m}/{WEIGHTS}/{k}": v for k, v in o.model.params.items()}
        if o.test.attention is not None:
            arrays |= _packed_attention(m, o.test.attention)
    return store.save_record(
        kind=KIND,
        name=label,
        config={
            "task": KIND,
            "models": list(outcomes),
            "translate": cfg.to_json(),
            "beam": beam,
            "corpus": corpus.name,
            "sizes": corpus.sizes(),
        },
        histories={m: model_to_json(o.model) for m, o in outcomes.items()},
        metrics={
            m: {"test_bleu": o.test.bleu, "best_dev_bleu": o.model.best and o.model.best.dev_bleu}
            for m, o in outcomes.items()
        },
        arrays=arrays,
        data={
            "test": {"source": test.source, "target": test.target, "extra": test.extra},
            "origin": test.origin,
            "hyps": {m: o.test.hyps for m, o in outcomes.items()},
            "beams": {m: o.test.beam for m, o in outcomes.items()},
        },
    )


def _packed_attention(model: str, weights: list[np.ndarray]) -> dict[str, np.ndarray]:
    """Ragged per-sentence (Tt+1, Ts) matrices -> one flat array and the (N, 2) shapes."""
    shapes = np.array([w.shape for w in weights], dtype=np.int64).reshape(-1, 2)
    flat = np.concatenate([w.ravel() for w in weights]) if weights else np.zeros(0)
    return {f"{model}/{ATTENTION}": flat.astype(np.float32), f"{model}/{SHAPES}": shapes}


def _unpacked_attention(arrays: dict[str, np.ndarray], model: str) -> list[np.ndarray] | None:
    if f"{model}/{ATTENTION}" not in arrays:
        return None
    flat, shapes = arrays[f"{model}/{ATTENTION}"], arrays[f"{model}/{SHAPES}"]
    ends = np.cumsum([r * c for r, c in shapes])
    if len(ends) and ends[-1] != len(flat):
        raise StoreError(f"attention of {model}: {len(flat)} weights, shapes need {ends[-1]}")
    starts = np.concatenate([[0], ends[:-1]]).astype(int)
    return [flat[s : s + r * c].reshape(r, c) for s, (r, c) in zip(starts, shapes, strict=True)]


def list_experiments(store: RunStore) -> list[StoredRun]:
    """Summaries of every stored translation experiment, newest first."""
    return store.list_runs(kind=KIND)


def load_experiment(store: RunStore, run_id: str) -> StoredExperiment:
    """A stored experiment, ready to show. StoreError names the record and what is wrong."""
    rec = store.load_record(run_id)
    try:
        cfg = TranslateConfig.from_json(rec.config["translate"])
        test = rec.data["test"]
        pairs = Pairs(
            tuple(test["source"]), tuple(test["target"]), tuple(test["extra"]), rec.data["origin"]
        )
        empty = Pairs((), (), (), pairs.origin)
        corpus = ParallelCorpus(empty, empty, pairs, rec.config["corpus"])
        outcomes = {}
        for m in rec.config["models"]:
            weights = {
                k.split("/", 2)[2]: v
                for k, v in rec.arrays.items()
                if k.startswith(f"{m}/{WEIGHTS}/")
            }
            model = trained_model(rec.histories[m], weights, f"model {m}", f"weights of {m}")
            result = TestResult(
                m,
                list(rec.data["hyps"][m]),
                float(rec.metrics[m]["test_bleu"]),
                int(rec.data["beams"][m]),
                _unpacked_attention(rec.arrays, m),
            )
            outcomes[m] = ModelOutcome(model, result)
    except (KeyError, TypeError, ValueError, SavedModelError) as err:
        raise StoreError(f"stored translation experiment {run_id}: unreadable ({err})") from err
    name = next((r.name for r in list_experiments(store) if r.id == run_id), run_id)
    sizes = {k: int(v) for k, v in rec.config["sizes"].items()}
    return StoredExperiment(run_id, name, corpus, sizes, cfg, int(rec.config["beam"]), outcomes)
