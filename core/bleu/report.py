"""BleuReport: everything one analysis found, as tables, plus its JSON bundle."""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.bleu.settings import BleuSettings
from core.bleu.statistics.paired_resampling import PairedResult


@dataclass(frozen=True, eq=False)
class BleuReport:
    """Result of core.bleu.analyse(). Tables are pandas DataFrames; statistics stay available
    so views (decomposition, pairwise wins) can be derived without re-tokenizing.

    corpus: one row per system (index = system name, in input order). Columns:
        bleu, chrf, ter (NaN unless computed), p1..pN (n-gram precisions, %), bp, ratio
        (hyp_len / ref_len), hyp_len, ref_len, sentence_bleu_mean, sentence_chrf_mean.
    sentences: long table, one row per (segment, system). Columns: segment (0-based line),
        system, bleu (sentence BLEU: effective order + chosen smoothing), chrf, ter (only when
        computed), hyp_len, ref_len (closest reference length), first_ref_len, bucket,
        match_1..N, total_1..N (clipped n-gram matches / hypothesis n-grams per order).
    buckets: one row per (bucket, system): bucket, bucket_index, system, n_sent, bleu,
        ci_low, ci_high (bootstrap 95% interval of the bucket's BLEU).
    significance: PairedResult per (system, metric) vs the baseline, baseline rows included.
    wins: one row per non-baseline system: system, baseline, wins, ties, losses (sentence BLEU).
    signatures: sacrebleu signature strings, keyed "BLEU", "chrF2", "sentence BLEU",
        "BLEU paired", "chrF2 paired" (and "TER" when computed).
    bleu_stats / chrf_stats: system -> (N, K) per-segment sufficient statistics (see stats.py).
    """

    settings: BleuSettings
    systems: tuple[str, ...]
    baseline: str
    n_segments: int
    num_refs: int  # references per segment; -1 when it varies
    corpus: pd.DataFrame
    sentences: pd.DataFrame
    buckets: pd.DataFrame
    significance: tuple[PairedResult, ...]
    wins: pd.DataFrame
    signatures: dict[str, str]
    bleu_stats: dict[str, np.ndarray]
    chrf_stats: dict[str, np.ndarray]
    ter_computed: bool = False
    _wide: dict = field(default_factory=dict, init=False, repr=False)  # sentence_scores' tables

    def renamed(self, names: dict[str, str]) -> BleuReport:
        """The same report with every system renamed (old name -> new name, all systems, in
        order); no number changes, so a rename needs no new analysis. settings.baseline
        becomes the baseline's new name."""
        if list(names) != list(self.systems) or len(set(names.values())) != len(names):
            raise ValueError(f"need one distinct new name for each of {list(self.systems)}")

        def column(frame: pd.DataFrame, *cols: str) -> pd.DataFrame:
            return frame.assign(**{c: frame[c].map(names) for c in cols})

        return dataclasses.replace(
            self,
            systems=tuple(names.values()),
            baseline=names[self.baseline],
            settings=dataclasses.replace(self.settings, baseline=names[self.baseline]),
            corpus=self.corpus.rename(index=names),
            sentences=column(self.sentences, "system"),
            buckets=column(self.buckets, "system"),
            wins=column(self.wins, "system", "baseline"),
            significance=tuple(
                dataclasses.replace(r, system=names[r.system], baseline=names[r.baseline])
                for r in self.significance
            ),
            bleu_stats={names[k]: v for k, v in self.bleu_stats.items()},
            chrf_stats={names[k]: v for k, v in self.chrf_stats.items()},
        )

    def sentence_scores(self, metric: str = "bleu") -> pd.DataFrame:
        """Wide table: one row per segment, one column per system, of `metric` (bleu|chrf|ter).
        Pivoted once per report and metric; each caller gets its own (copy-on-write) view."""
        if metric not in self._wide:
            wide = self.sentences.pivot(index="segment", columns="system", values=metric)
            self._wide[metric] = wide[list(self.systems)]
        return self._wide[metric].copy(deep=False)

    def significance_table(self) -> pd.DataFrame:
        """PairedResult rows as a DataFrame (ci_low / ci_high from ci95)."""
        rows = []
        for r in self.significance:
            d = r.to_dict()
            d["ci_low"], d["ci_high"] = d.pop("ci95")
            rows.append(d)
        return pd.DataFrame(rows)

    def to_dict(self, extra: dict | None = None) -> dict:
        """JSON-ready bundle: settings, signatures, systems (corpus scores and sentence lists),
        significance (BLEU entries with a nested chrf entry), buckets, wins. `extra` (e.g. input
        file names and SHA-256 digests) is merged in at the top level."""
        by_metric = {(r.system, r.metric): r for r in self.significance}
        bundle = {
            "settings": self.settings.to_dict(),
            "signatures": dict(self.signatures),
            "n_segments": self.n_segments,
            "num_refs": self.num_refs,
            "baseline": self.baseline,
            "systems": [self._system_dict(name) for name in self.systems],
            "significance": [
                {**r.to_dict(), "chrf": by_metric[(r.system, "chrF")].to_dict()}
                for r in self.significance
                if r.metric == "BLEU"
            ],
            "buckets": _records(self.buckets),
            "wins": _records(self.wins),
        }
        return {**bundle, **(extra or {})}

    def to_json(self, extra: dict | None = None, indent: int | None = 1) -> str:
        """to_dict() as a JSON string (NaN written as null)."""
        return json.dumps(json_ready(self.to_dict(extra)), indent=indent, ensure_ascii=False)

    def _system_dict(self, name: str) -> dict:
        row = self.corpus.loc[name]
        order = self.settings.max_ngram_order
        per_sentence = self.sentences[self.sentences["system"] == name]
        boot = next(r for r in self.significance if r.system == name and r.metric == "BLEU")
        return {
            "name": name,
            "bleu": float(row["bleu"]),
            "chrf": float(row["chrf"]),
            "ter": float(row["ter"]) if self.ter_computed else None,
            "precisions": [float(row[f"p{n}"]) for n in range(1, order + 1)],
            "bp": float(row["bp"]),
            "ratio": float(row["ratio"]),
            "hyp_len": int(row["hyp_len"]),
            "ref_len": int(row["ref_len"]),
            "bleu_bootstrap_mean": boot.bs_mean,
            "bleu_ci95": list(boot.ci95),
            "sentence_bleu_mean": float(row["sentence_bleu_mean"]),
            "sentence_bleu": per_sentence["bleu"].tolist(),
            "sentence_chrf": per_sentence["chrf"].tolist(),
            "sentence_ter": per_sentence["ter"].tolist() if self.ter_computed else None,
        }


def _records(df: pd.DataFrame) -> list[dict]:
    return [
        {k: (v.item() if hasattr(v, "item") else v) for k, v in rec.items()}
        for rec in df.to_dict(orient="records")
    ]


def json_ready(obj):
    """Replace NaN/inf by None and numpy scalars by Python numbers, recursively."""
    if isinstance(obj, dict):
        return {k: json_ready(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [json_ready(v) for v in obj]
    if isinstance(obj, np.generic):
        obj = obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj
