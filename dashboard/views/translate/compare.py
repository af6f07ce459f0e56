"""Several translation experiments side by side: test BLEU, dev BLEU curves, BLEU by length."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.shared.presentation import show
from dashboard.views.translate import charts as charts
from dashboard.views.translate import experiments as store
from dashboard.views.translate import results as results

COMPARE_KEY = "tr_compare"


def section() -> None:
    listed = store.listing()
    if len(listed) < 2:
        st.caption("Train a second experiment to compare it with this one.")
        return
    chosen = st.multiselect(
        "Experiments to compare",
        list(listed),
        format_func=lambda i: listed[i],
        key=COMPARE_KEY,
        placeholder="choose two or more",
    )
    exps = [e for e in (store.get(i) for i in chosen) if e is not None and e.outcomes]
    if len(exps) < 2:
        st.caption("Choose two or more experiments to see them side by side.")
        return
    labels = _unique_labels(exps)
    rows = []
    curves, lengths = [], []
    for exp in exps:
        names = results.system_names(exp)
        table = results.bucket_table(exp)
        for m, o in exp.outcomes.items():
            name = f"{labels[exp.id]} · {names[m]}"
            best = o.model.best
            rows.append(
                {
                    "experiment": labels[exp.id],
                    "model": names[m],
                    "test BLEU": round(o.test.bleu, 2),
                    "best dev BLEU": round(best.dev_bleu, 2) if best else None,
                    "attention": "on" if exp.config.attention else "off",
                    "target tokens": exp.config.tgt_tokens,
                    "hidden": exp.config.hidden,
                    "beam": o.test.beam,
                }
            )
            curves.append((name, m, o.model.history))
            lengths.append((name, m, table[table["system"] == m]))
    st.dataframe(pd.DataFrame(rows), key="tr_compare_table", hide_index=True)
    left, right = st.columns(2)
    show(
        charts.compare_dev_bleu_curves(curves), "tr_compare_dev", left, "translate-compare-dev-bleu"
    )
    show(
        charts.compare_bleu_by_length(lengths),
        "tr_compare_length",
        right,
        "translate-compare-bleu-by-length",
    )


def _unique_labels(exps: list[store.Experiment]) -> dict[str, str]:
    """Experiment labels, numbered where two are the same."""
    seen: dict[str, int] = {}
    out = {}
    for e in exps:
        seen[e.label] = seen.get(e.label, 0) + 1
        out[e.id] = e.label if seen[e.label] == 1 else f"{e.label} ({seen[e.label]})"
    return out
