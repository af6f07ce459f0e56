"""The command line: flags -> config, one-line errors with exit status 2, a run file written."""

from __future__ import annotations

import pytest

from core.runs.run_files import load_run
from core.train.cli import build_parser, config_from_args, main
from core.train.config import RunConfig

FAST = [
    "--length",
    "4",
    "--symbols",
    "3",
    "--hidden",
    "4",
    "--steps",
    "6",
    "--batch",
    "4",
    "--val-size",
    "8",
    "--eval-every",
    "3",
]


def config(*argv):
    return config_from_args(build_parser().parse_args(list(argv)))


def test_no_flags_is_the_default_experiment():
    assert config() == RunConfig()


def test_flags_map_onto_config_fields():
    cfg = config(
        "--task",
        "copy",
        "--length",
        "9",
        "--models",
        "gru_reset_after",
        "--forget-bias",
        "2",
        "--optimizer",
        "sgd",
        "--lr",
        "0.5",
        "--clip",
        "0",
        "--init-scale",
        "0.9",
        "--no-orthogonal",
        "--update-bias",
        "-2",
        "--chrono",
        "--seed",
        "7",
        "--dtype",
        "float64",
        "--hidden",
        "12",
        "--batch",
        "3",
    )
    assert cfg == RunConfig(
        task="copy",
        length=9,
        models=("gru_reset_after",),
        forget_bias=2.0,
        optimizer="sgd",
        lr=0.5,
        clip=0.0,
        init_scale=0.9,
        orthogonal=False,
        update_bias=-2.0,
        chrono=True,
        seed=7,
        dtype="float64",
        hidden=12,
        batch=3,
    )


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["--task", "parity"], "invalid choice: 'parity'"),
        (["--steps", "many"], "--steps: steps must be a whole number from 1 to 5000; got 'many'"),
        (["--hidden", "0"], "--hidden: hidden must be a whole number from 1 to 256; got '0'."),
        (["--task", "order", "--length", "3"], "T must be at least 4 for the order task"),
    ],
)
def test_bad_flags_exit_2_with_one_line(argv, message, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and err.startswith("python -m core.train")


def test_run_prints_a_summary_and_writes_a_loadable_run(tmp_path, capsys):
    out = tmp_path / "small.run.json"
    assert main([*FAST, "--out", str(out)]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0].split()[:4] == ["model", "cell", "val", "loss"]
    assert lines[1].startswith("rnn") and lines[2].startswith("gru")
    assert "33.3%" in lines[1]  # chance accuracy 1/3
    assert "6/6" in captured.err  # the progress bar reached the end
    run = load_run(out)
    assert run.has_weights and run.config.steps == 6 and set(run.models) == {"rnn", "gru"}


def test_a_diverging_run_reports_why_and_exits_1(capsys):
    code = main([*FAST, "--task", "adding", "--optimizer", "sgd", "--lr", "1e6", "--clip", "0"])
    assert code == 1
    assert "learning rate" in capsys.readouterr().err
