"""Gate ablations of a run: outcomes read off the validation history, pairs found through the
cells' own `ablates`, and the Gates page's paragraph quoting exactly those numbers."""

from __future__ import annotations

import json

import numpy as np

from core.analysis.ablation import ablation_report, outcome
from core.cells import CELLS
from core.train.config import RunConfig
from core.train.loop import train
from core.train.results import Baseline, History, ModelResult, TrainResult
from dashboard.views.gates.ablation_text import ablation_paragraph
from tests import apptest_helpers as ui


def history(steps, accuracies) -> History:
    n = len(steps)
    return History(
        step=np.array(steps),
        train_loss=np.zeros(n),
        val_loss=np.zeros(n),
        val_accuracy=np.array(accuracies, dtype=float),
        grad_norm=np.ones(n),
        clipped=np.zeros(n, bool),
        seconds=np.zeros(n),
    )


def hand_run(acc: dict[str, list[float]]) -> TrainResult:
    cfg = RunConfig(task="keyed", length=8, models=tuple(acc), steps=40)
    models = {
        m: ModelResult(name=m, history=history([10, 20, 30, 40], a), params={})
        for m, a in acc.items()
    }
    return TrainResult(config=cfg, models=models, baseline=Baseline(np.log(8), 0.125))


def test_outcome_reads_final_best_and_first_step_at_target():
    run = hand_run({"gru": [0.2, 0.96, 0.9, 0.97]})
    o = outcome(run.models["gru"], 0.95)
    assert (o.final_accuracy, o.best_accuracy, o.steps_to_target) == (0.97, 0.97, 20)
    assert outcome(run.models["gru"], 0.99).steps_to_target is None


def test_report_pairs_each_ablation_with_its_full_cell_from_the_cells_own_metadata():
    run = hand_run(
        {
            "gru": [0.2, 0.5, 0.96, 0.99],
            "gru_no_reset": [0.2, 0.3, 0.5, 0.6],
            "gru_no_update": [0.1, 0.1, 0.12, 0.13],
            "rnn": [0.1, 0.1, 0.1, 0.1],
        }
    )
    report = ablation_report(run)  # target: the task's success accuracy
    assert report.target == 0.95 and report.chance == 0.125
    pairs = {(a.ablated.model, a.full.model, a.gate) for a in report.ablations}
    assert pairs == {(name, *CELLS[name].ablates) for name in run.models if CELLS[name].ablates}
    gaps = {a.ablated.model: a.accuracy_gap for a in report.ablations}
    assert np.isclose(gaps["gru_no_reset"], 0.99 - 0.6)
    assert all(a.slowdown is None for a in report.ablations)  # the ablations never solved it
    json.dumps(report.to_dict())
    text = ablation_paragraph(report)
    for a in report.ablations:
        assert a.gate_name in text and f"{a.ablated.final_accuracy:.0%}" in text
    assert "first reached 95% at step 30" in text


def test_without_a_full_cell_in_the_run_there_is_nothing_to_compare():
    report = ablation_report(hand_run({"gru_no_reset": [0.5] * 4, "rnn": [0.1] * 4}))
    assert report.ablations == []
    assert "Train a gated model together with its ablations" in ablation_paragraph(report)


def test_a_real_run_reports_the_numbers_of_its_own_history():
    cfg = RunConfig(
        task="keyed",
        length=8,
        hidden=6,
        steps=30,
        eval_every=10,
        models=("gru", "gru_no_reset", "gru_no_update"),
        val_size=64,
    )
    run = train(cfg)
    report = ablation_report(run, target=0.0)  # every model reaches 0 at once
    for name, m in run.models.items():
        assert report.outcomes[name].final_accuracy == m.final["val_accuracy"]
        assert report.outcomes[name].steps_to_target == int(m.history.step[0])
    assert [a.gate for a in report.ablations] == [
        CELLS[n].ablates[1] for n in ("gru_no_reset", "gru_no_update")
    ]


def test_gates_page_shows_the_ablation_paragraph_of_the_run_just_trained(fast):
    at = ui.boot()
    at.switch_page("views/train/train.py").run()
    at.multiselect(key="train_models").set_value(["gru", "gru_no_reset"])
    for key, value in {"train_length": 8, "train_steps": 20, "train_hidden": 6}.items():
        at.number_input(key=key).set_value(value)
    ui.finish_jobs(at.button[0].click().run())
    at = ui.open_page("views/gates/gates.py", at)
    assert not at.exception and not at.error
    report = ablation_report(ui.current_run(at))
    shown = [ui.shown(m.value) for m in at.markdown if "Ablation, from this run" in m.value]
    assert shown == [ui.shown(ablation_paragraph(report))]
    (pair,) = report.ablations
    assert f"ended at {pair.ablated.final_accuracy:.0%}" in shown[0]
