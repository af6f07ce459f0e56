"""Grid files written by the Sweeps page read back to the same grid; the page's form shows a
grid and builds the same runs back; sweeps are named by what they vary; the time estimate
follows stored runs' timings."""

from __future__ import annotations

import pytest

from core.sweep.estimate import MEASURED_SECONDS_PER_UNIT, duration_text, estimate_sweep
from core.sweep.grid import GridError, grid_from_tables, grid_from_toml, grid_toml, load_grid
from core.sweep.names import distinct_titles, file_stem, sweep_key, sweep_title
from core.sweep.presets import PRESETS, preset_grid
from core.train.config import RunConfig
from dashboard.views.sweeps.form import SINGLE, form_state, form_tables


@pytest.mark.parametrize("key", sorted(PRESETS))
def test_a_preset_written_as_a_grid_file_reads_back_to_the_same_grid(key, tmp_path):
    grid, _ = preset_grid(key)
    path = tmp_path / f"{key}.toml"
    path.write_text(grid_toml(grid), encoding="utf-8")
    back = load_grid(path)
    assert (back.base, back.axes, back.models) == (grid.base, grid.axes, grid.models)
    assert back.configs() == grid.configs()


def test_floats_booleans_and_strings_survive_the_file():
    grid = grid_from_tables(
        {"task": "adding", "steps": 50, "orthogonal": False, "lr_schedule": "cosine"},
        {"model": ["gru"], "lr": [1e-05, 0.003, 0.1], "length": [12], "init_scale": [0.5, 2.0]},
        name="mixed",
    )
    back = grid_from_toml(grid_toml(grid).encode(), name="mixed", where="mixed.toml")
    assert back == grid


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[base]\nstepz = 3\n", "grid.toml: base.stepz is not a training-config field"),
        ("[base\n", "grid.toml: not valid TOML"),
        ("[grid]\nlength = 7\n", "grid.toml: grid.length must be a non-empty list"),
        ("[runs]\n", "grid.toml: unknown tables ['runs']"),
        (b"\xff\xfe", "grid.toml: not valid TOML"),
    ],
)
def test_a_bad_file_is_one_line_naming_the_file_and_the_field(text, words):
    data = text if isinstance(text, bytes) else text.encode()
    with pytest.raises(GridError) as err:
        grid_from_toml(data, name="grid", where="grid.toml")
    assert str(err.value).startswith(words) and "\n" not in str(err.value)


def test_sweeps_are_named_by_task_and_what_varies():
    grid = grid_from_tables(
        {"task": "recall", "steps": 300},
        {"model": ["rnn", "gru"], "length": [10, 20, 40], "seed": [0, 1, 2]},
    )
    title = sweep_title(grid)
    assert title == "Delayed recall: RNN vs GRU × length 10-40, 3 seeds, 300 steps"
    assert file_stem(title) == "delayed-recall-rnn-vs-gru-length-10-40-3-seeds-300-steps"
    two = grid_from_tables({"task": "keyed", "steps": 20}, {"model": ["gru"], "hidden": [8, 16]})
    assert sweep_title(two) == "Keyed recall: GRU × hidden 8/16, 1 seed, 20 steps"
    assert list(distinct_titles({"a": grid, "b": grid}).values()) == [title, f"{title} (2)"]


def test_the_estimate_scales_stored_timings_by_steps_and_length_per_model():
    runs = [RunConfig(models=(m,), steps=100, length=10) for m in ("rnn", "gru")]
    timed = [(runs[0], 1.0), (runs[1], 3.0)]  # seconds per step x T: 1e-3 and 3e-3
    todo = [RunConfig(models=("rnn",), steps=200, length=20), RunConfig(models=("gru",))]
    guess = estimate_sweep(todo, timed, workers=2)
    assert guess.seconds == pytest.approx((200 * 20 * 1e-3 + 1000 * 80 * 3e-3) / 2)
    assert guess.basis == "from the timings of 2 stored runs"
    lstm = estimate_sweep([RunConfig(models=("lstm",), steps=10, length=10)], timed, 1)
    assert lstm.seconds == pytest.approx(100 * 2e-3)  # no LSTM timing: the others' median
    untimed = estimate_sweep(todo[:1], [], workers=1)
    assert untimed.seconds == pytest.approx(4000 * MEASURED_SECONDS_PER_UNIT)
    assert "measured" in untimed.basis
    assert [duration_text(s) for s in (0.2, 42, 600, 9000)] == [
        "about 1 s",
        "about 42 s",
        "about 10 min",
        "about 2.5 h",
    ]


def test_a_grid_over_tasks_is_named_by_its_tasks():
    grid = grid_from_tables({"steps": 20}, {"model": ["gru"], "task": ["recall", "adding"]})
    assert sweep_title(grid) == "Delayed recall and Adding problem: GRU, 1 seed, 20 steps"


@pytest.mark.parametrize(
    "grid",
    [
        *(preset_grid(k)[0] for k in sorted(PRESETS)),
        grid_from_tables(  # fields the form has no widget for, steps and lr swept
            {"task": "adding", "batch": 16, "seed": 3},
            {"model": ["gru"], "steps": [50, 100], "lr": [0.01, 0.03], "hidden": [4, 8]},
        ),
    ],
    ids=[*sorted(PRESETS), "steps-and-lr-swept"],
)
def test_the_form_shows_a_grid_and_builds_the_same_runs_back(grid):
    state = form_state(grid)
    back = grid_from_tables(*form_tables(state))
    assert sorted(map(repr, back.configs())) == sorted(map(repr, grid.configs()))  # same runs
    swept = set(grid.axes) & set(SINGLE)
    assert not swept & {f for f, key in SINGLE.items() if key in state}  # their widgets hidden


def test_the_same_runs_in_another_order_are_the_same_sweep():
    one = grid_from_tables(
        {"task": "recall", "steps": 20}, {"model": ["rnn", "gru"], "length": [5, 10]}
    )
    other = grid_from_tables(
        {"task": "recall", "steps": 20}, {"length": [10, 5], "model": ["gru", "rnn"]}
    )
    assert sweep_key(one) == sweep_key(other) and sweep_key(one).startswith("recall-")
    assert sweep_key(one) != sweep_key(grid_from_tables({"steps": 21}, {"length": [5, 10]}))
