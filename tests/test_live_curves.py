"""Loss curves while a job trains: the default experiment's parts merged into one status, one
shared figure per set of validation rows, drawn at most every CURVES_SECONDS and cleared when
the run arrives (or fails)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.train.loop import train
from core.workers.pool import JobStatus
from dashboard.session import live_curves
from dashboard.session.default_run import _overall
from dashboard.session.live_curves import CURVES_SECONDS, LiveCurves, live_figure
from tests.test_train import SMALL


@pytest.fixture(scope="module")
def histories():
    run = train(SMALL)
    return {name: m.history for name, m in run.models.items()}


def _rows(history, n):
    """The first n validation rows of a history, as a running job reports them."""
    return replace(history, **{k: v[:n] for k, v in vars(history).items() if v is not None})


def _status(histories, rows: dict[str, int], step=10, state="running") -> JobStatus:
    parts = {m: _rows(histories[m], n) for m, n in rows.items()}
    return JobStatus("job-1", SMALL, state=state, step=step, steps=SMALL.steps, histories=parts)


class Slot:
    """An st.empty stand-in recording what was drawn into it."""

    def __init__(self):
        self.charts: list[tuple[str, str]] = []  # (title, key)
        self.emptied = 0

    def plotly_chart(self, fig, key):
        self.charts.append((fig.layout.title.text, key))

    def empty(self):
        self.emptied += 1


def test_the_parts_statuses_merge_every_models_histories(histories):
    rnn = _status(histories, {"rnn": 3}, step=60)
    gru = _status(histories, {"gru": 2}, step=30)
    merged = _overall(SMALL, [rnn, gru])
    assert set(merged.histories) == {"rnn", "gru"}
    assert len(merged.histories["rnn"].step) == 3 and len(merged.histories["gru"].step) == 2
    assert merged.step == 30  # the slowest part


def test_the_figure_is_shared_until_a_new_validation_row_arrives(histories, fresh_caches):
    first = live_figure(_status(histories, {"rnn": 2, "gru": 2}, step=7))
    again = live_figure(_status(histories, {"rnn": 2, "gru": 2}, step=9))
    assert again is first  # another session, or a later poll: built once
    grown = live_figure(_status(histories, {"rnn": 3, "gru": 2}))
    assert grown is not first
    validation = {t.name: len(t.x) for t in grown.data if t.name.endswith(" validation")}
    assert validation == {"RNN validation": 3, "GRU validation": 2}
    slowest = int(histories["gru"].step[1])  # the GRU's last validated step
    assert grown.layout.title.text == f"Loss, live (step {slowest} of {SMALL.steps})"
    assert tuple(grown.layout.xaxis.range) == (0, SMALL.steps)  # the whole run, from the start


def test_curves_are_redrawn_at_most_every_few_seconds(histories, fresh_caches, monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(live_curves.time, "monotonic", lambda: clock[0])
    slot = Slot()
    curves = LiveCurves(slot, key="live")
    curves.draw(_status(histories, {}))  # nothing validated yet: nothing to draw
    assert slot.charts == []
    curves.draw(_status(histories, {"rnn": 1, "gru": 1}))
    clock[0] += CURVES_SECONDS / 2
    curves.draw(_status(histories, {"rnn": 2, "gru": 2}))  # too soon
    clock[0] += CURVES_SECONDS / 2
    curves.draw(_status(histories, {"rnn": 3, "gru": 2}))
    clock[0] += CURVES_SECONDS
    curves.draw(_status(histories, {"rnn": 3, "gru": 3}, state="done"))  # the run is here
    assert [key for _, key in slot.charts] == ["live_1", "live_2"]
    curves.clear()
    assert slot.emptied == 1


@pytest.mark.slow  # the app driven through AppTest
def test_the_page_draws_live_curves_while_the_default_trains_and_clears_them(
    fast, fresh_caches, monkeypatch, histories
):
    from dashboard.session import state
    from tests import apptest_helpers as ui

    drawn = []

    def trains_slowly(cfg, on_progress):
        run = train(cfg)
        for n in (1, 2):
            status = JobStatus("job-1", cfg, state="running", step=n, steps=cfg.steps)
            status.histories = {m: _rows(r.history, n) for m, r in run.models.items()}
            on_progress(status)
        return run

    original = LiveCurves.draw

    def spy(self, status):
        original(self, status)
        drawn.append(self.drawings)

    monkeypatch.setattr(state, "load_default", trains_slowly)
    monkeypatch.setattr(LiveCurves, "draw", spy)
    at = ui.boot()
    assert drawn and drawn[0] == 1  # drawn during the wait (the second poll came too soon)
    charts = [c.proto.spec for c in at.get("plotly_chart")]
    assert len(charts) == 2 and not any("Loss, live" in c for c in charts)
