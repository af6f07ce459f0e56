"""Train the requested models side by side on identical batches (the command line is
core/train/cli.py: `python -m core.train`).

One seed drives everything through independent streams: the training batches, the fixed
validation set, and each model's initialisation (its own stream, so adding or removing a
model changes nothing for the others). Step k draws batch k once and feeds it to every model
(interleaved, so a live chart compares like with like). Same config -> bit-identical result.

    result = train(RunConfig(task="adding", length=50, models=("gru",)), on_step=print)
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from threadpoolctl import threadpool_limits

from core.cells import Cell, cell_names, get_cell
from core.optim import clip_by_global_norm, lr_scale, make_optimizer
from core.tasks import Batch, Task, accuracy, task_for
from core.train.config import RunConfig
from core.train.losses import task_loss
from core.train.model import init_model, model_forward, model_loss
from core.train.results import History, ModelResult, Snapshot, TrainResult

Params = dict[str, np.ndarray]


@dataclass
class TrainProgress:
    step: int  # optimizer steps done so far
    steps: int  # total steps planned
    histories: dict[str, History]  # validation rows so far, per model
    evaluated: bool  # a validation row was added at this step


@dataclass
class _Recorder:
    """Rows of one model's history, as lists until training ends."""

    rows: dict[str, list] = field(default_factory=lambda: {k: [] for k in _COLUMNS})
    clipped_since_row: int = 0
    steps_since_row: int = 0

    def add(self, **row) -> None:
        for k in _COLUMNS:
            self.rows[k].append(row[k])

    def history(self) -> History:
        r = self.rows
        return History(
            step=np.array(r["step"], dtype=np.int64),
            train_loss=_floats(r["train_loss"]),
            val_loss=_floats(r["val_loss"]),
            val_accuracy=_floats(r["val_accuracy"]),
            grad_norm=_floats(r["grad_norm"]),
            clipped=np.array(r["clipped"], dtype=bool),
            seconds=_floats(r["seconds"]),
            clipped_share=_floats(r["clipped_share"]),
        )


_COLUMNS = (
    "step",
    "train_loss",
    "val_loss",
    "val_accuracy",
    "grad_norm",
    "clipped",
    "seconds",
    "clipped_share",
)


def _floats(values: list) -> np.ndarray:
    return np.array(values, dtype=np.float64)


@dataclass
class _Trainee:
    """One model in training: its cell, parameters, optimizer state and records."""

    name: str
    cell: Cell
    params: Params
    opt_state: dict
    record: _Recorder = field(default_factory=_Recorder)
    snapshots: list[Snapshot] = field(default_factory=list)
    seconds: float = 0.0
    last: dict | None = None  # train_loss, grad_norm, clipped of the latest step

    def snapshot(self, step: int) -> None:
        if not self.snapshots or self.snapshots[-1].step != step:
            self.snapshots.append(
                Snapshot(step=step, params={k: v.copy() for k, v in self.params.items()})
            )


def checkpoint_steps(steps: int, checkpoints: int) -> list[int]:
    """About `checkpoints` evenly spaced steps from 0 to `steps` (both included when >= 2)."""
    return sorted({int(round(s)) for s in np.linspace(0, steps, checkpoints)})


def seed_streams(seed: int) -> tuple[np.random.Generator, np.random.Generator]:
    """(training-batch stream, validation-set stream) of one seed."""
    return np.random.default_rng([seed, 0]), np.random.default_rng([seed, 1])


def init_stream(seed: int, model: str) -> np.random.Generator:
    """The initialisation stream of one model (independent of which other models train): its
    place in the registry, which only ever grows at the end."""
    return np.random.default_rng([seed, 2, cell_names().index(model)])


def build_params(cfg: RunConfig, model: str, task: Task) -> Params:
    """The model's initial parameters for this config (its own seeded stream)."""
    return init_model(
        get_cell(model),
        task.input_size,
        cfg.hidden,
        task.output_size,
        init_stream(cfg.seed, model),
        init_scale=cfg.init_scale,
        orthogonal=cfg.orthogonal,
        chrono_length=cfg.length if cfg.chrono else None,
        options=cfg.init_option_values(),
        dtype=cfg.dtype,
    )


def train(cfg: RunConfig, on_step: Callable[[TrainProgress], None] | None = None) -> TrainResult:
    """Train every model in cfg.models for cfg.steps Adam/SGD steps on identical batches.

    BLAS runs on one thread meanwhile: the matrices are small (B x H by H x 3H), and extra
    threads cost more in hand-offs than they gain (several times slower on a busy 2-core CPU).
    """
    with threadpool_limits(limits=1, user_api="blas"):
        return _train(cfg, on_step)


def _train(cfg: RunConfig, on_step: Callable[[TrainProgress], None] | None) -> TrainResult:
    task = task_for(cfg)
    data_rng, val_rng = seed_streams(cfg.seed)
    val = task.sample(val_rng, cfg.val_size, cfg.dtype)
    optimizer = make_optimizer(cfg.optimizer, cfg.lr)
    trainees = []
    for name in cfg.models:
        params = build_params(cfg, name, task)
        trainees.append(_Trainee(name, get_cell(name), params, optimizer.init(params)))
    checkpoints = set(checkpoint_steps(cfg.steps, cfg.checkpoints))
    for t in trainees:
        t.snapshot(0)
    stopped = None
    histories = {t.name: t.record.history() for t in trainees}
    for step in range(1, cfg.steps + 1):
        batch = task.sample(data_rng, cfg.batch, cfg.dtype)
        with np.errstate(over="ignore", invalid="ignore"):  # non-finite values stop the run
            results = {t.name: _loss_and_grads(t, batch, cfg.clip) for t in trainees}
        bad = [
            name
            for name, (loss, clip) in results.items()
            if not (math.isfinite(loss) and math.isfinite(clip.norm))
        ]
        if bad:
            stopped = _stop_message(cfg, step, bad, results)
            _wrap_up_after_stop(trainees, step - 1, val)
            break
        scale = lr_scale(cfg.lr_schedule, step, cfg.steps)
        for t in trainees:
            _apply_update(t, optimizer, scale, *results[t.name])
        evaluated = step % cfg.eval_every == 0 or step == cfg.steps
        for t in trainees:
            if evaluated:
                _add_row(t, step, val)
            if step in checkpoints:
                t.snapshot(step)
        if evaluated:
            histories = {t.name: t.record.history() for t in trainees}
        if on_step is not None:
            on_step(
                TrainProgress(step=step, steps=cfg.steps, histories=histories, evaluated=evaluated)
            )
    models = {
        t.name: ModelResult(
            name=t.name,
            history=t.record.history(),
            params=t.params,
            snapshots=t.snapshots,
            seconds=t.seconds,
        )
        for t in trainees
    }
    return TrainResult(config=cfg, models=models, baseline=task.baseline, stopped=stopped)


def _loss_and_grads(t: _Trainee, batch: Batch, clip_norm: float):
    start = time.perf_counter()
    out = model_loss(t.cell, t.params, batch)
    clip = clip_by_global_norm(out.grads, clip_norm)
    t.seconds += time.perf_counter() - start
    return out.loss, clip


def _apply_update(t: _Trainee, optimizer, scale: float, loss: float, clip) -> None:
    start = time.perf_counter()
    optimizer.update(t.params, clip.grads, t.opt_state, lr_scale=scale)
    t.seconds += time.perf_counter() - start
    t.last = {"train_loss": loss, "grad_norm": clip.norm, "clipped": clip.clipped}
    t.record.clipped_since_row += clip.clipped
    t.record.steps_since_row += 1


def evaluate(cell: Cell, params: Params, batch: Batch) -> tuple[float, float]:
    """(loss, accuracy) of the model on a batch, forward only."""
    outputs, _ = model_forward(cell, params, batch)
    return task_loss(batch.kind, outputs, batch.targets).value, accuracy(batch, outputs)


def _add_row(t: _Trainee, step: int, val: Batch) -> None:
    start = time.perf_counter()
    val_loss, val_acc = evaluate(t.cell, t.params, val)
    t.seconds += time.perf_counter() - start
    rec = t.record
    rec.add(
        step=step,
        val_loss=val_loss,
        val_accuracy=val_acc,
        seconds=t.seconds,
        clipped_share=rec.clipped_since_row / max(rec.steps_since_row, 1),
        **t.last,
    )
    rec.clipped_since_row = rec.steps_since_row = 0


def _wrap_up_after_stop(trainees: list[_Trainee], last_good: int, val: Batch) -> None:
    """Keep the last finite state: a validation row and a snapshot at the last good step."""
    for t in trainees:
        recorded = t.record.rows["step"]
        if last_good >= 1 and (not recorded or recorded[-1] != last_good):
            _add_row(t, last_good, val)
        t.snapshot(last_good)


def _stop_message(cfg: RunConfig, step: int, bad: list[str], results: dict) -> str:
    what = ", ".join(
        f"{name} loss {results[name][0]:g}, gradient norm {results[name][1].norm:g}" for name in bad
    )
    advice = f"try a lower learning rate (now {cfg.lr:g})" + (
        f" or a smaller clip threshold (now {cfg.clip:g})"
        if cfg.clip > 0
        else " or enable gradient clipping (e.g. clip 1)"
    )
    return (
        f"Training stopped at step {step} of {cfg.steps}: non-finite values ({what}). "
        f"The results keep the state after step {step - 1}; {advice}."
    )
