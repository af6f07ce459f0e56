"""Training encoder-decoders side by side: the same batches in the same order for every model,
Adam with global-norm clipping, dev loss and dev BLEU at checkpoints, the best checkpoint by
dev BLEU kept. Seeded and repeatable; a time budget counts each model's own wall time."""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from threadpoolctl import threadpool_limits

from core.optim import Adam, clip_by_global_norm
from core.translate.batching import batch_plan, make_batch
from core.translate.config import TranslateConfig
from core.translate.evaluate import first, held_out_bleu, mean_loss
from core.translate.model import ModelSpec, Params, init_params
from core.translate.network import loss_and_grads
from core.translate.preprocess import PreparedCorpus, TextCodec


@dataclass(frozen=True)
class Checkpoint:
    step: int  # optimizer steps so far
    epoch: float  # passes over the training pairs so far
    seconds: float  # time of this model so far, on the budget clock (wall by default)
    train_loss: float  # mean training loss since the previous checkpoint
    dev_loss: float  # cross-entropy per dev target token
    dev_bleu: float  # corpus BLEU of greedy dev translations


@dataclass
class TrainHistory:
    steps: list[int] = field(default_factory=list)  # every optimizer step
    losses: list[float] = field(default_factory=list)  # its batch loss per token
    checkpoints: list[Checkpoint] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "steps": self.steps,
            "losses": self.losses,
            "checkpoints": [c.__dict__ for c in self.checkpoints],
        }

    @classmethod
    def from_json(cls, d: dict) -> TrainHistory:
        return cls(list(d["steps"]), list(d["losses"]), [Checkpoint(**c) for c in d["checkpoints"]])


@dataclass
class TrainedModel:
    name: str  # the cell's registry name
    spec: ModelSpec
    params: Params  # the best checkpoint's weights
    codec: TextCodec
    config: TranslateConfig
    history: TrainHistory
    best: Checkpoint | None  # the checkpoint whose weights are kept
    tokens_per_s: float  # target tokens per second of training
    wall_seconds: float = 0.0  # wall time of training, checkpoints included
    cpu_seconds: float = 0.0  # this process's CPU time over the same span


@dataclass(frozen=True)
class TrainProgress:
    model: str
    step: int
    epoch: float
    seconds: float
    loss: float  # latest batch loss per token
    tokens_per_s: float
    checkpoint: Checkpoint | None  # set when this event is a checkpoint
    done: bool = False


def model_spec(cfg: TranslateConfig, cell: str, codec: TextCodec) -> ModelSpec:
    return ModelSpec(
        cell,
        len(codec.src_vocab),
        len(codec.tgt_vocab),
        cfg.embed,
        cfg.hidden,
        cfg.attention,
        cfg.reverse_source,
    )


def init_rng(seed: int, cell: str) -> np.random.Generator:
    """Each model's initialisation stream, fixed by the seed and the cell's name."""
    return np.random.default_rng([seed, zlib.crc32(cell.encode())])


def epoch_plan(prepared: PreparedCorpus, cfg: TranslateConfig, epoch: int) -> list[np.ndarray]:
    """The batches of one epoch: a function of the seed only, so every model sees the same."""
    return batch_plan(prepared.train, cfg.batch_size, np.random.default_rng([cfg.seed, epoch]))


# Budget clocks: wall time, or this process's CPU time (what a machine shared with other work
# still gives the model; BLAS runs on one thread).
CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}


class _Run:
    """One model's training state."""

    def __init__(self, prepared, cfg, cell, on_progress):
        self.prepared, self.cfg, self.cell, self.on_progress = prepared, cfg, cell, on_progress
        self.spec = model_spec(cfg, cell, prepared.codec)
        self.params = init_params(self.spec, init_rng(cfg.seed, cell))
        self.optimizer = Adam(lr=cfg.lr)
        self.state = self.optimizer.init(self.params)
        self.history, self.best, self.best_params = TrainHistory(), None, None
        self.step, self.tokens, self.seconds, self.since = 0, 0, 0.0, []
        self.dev, self.dev_refs = first(prepared.dev, prepared.corpus.dev.target, cfg.dev_limit)

    def train_step(self, rows: np.ndarray, epoch: float) -> None:
        batch = make_batch(self.prepared.train, rows)
        result = loss_and_grads(self.params, self.spec, batch)
        clipped = clip_by_global_norm(result.grads, self.cfg.clip)
        self.optimizer.update(self.params, clipped.grads, self.state)
        self.step += 1
        self.tokens += result.n_tokens
        self.history.steps.append(self.step)
        self.history.losses.append(result.loss)
        self.since.append(result.loss)
        if self.on_progress and self.step % 10 == 0:
            self.on_progress(self.progress(epoch, None))

    def progress(self, epoch: float, checkpoint: Checkpoint | None, done=False) -> TrainProgress:
        rate = self.tokens / self.seconds if self.seconds else 0.0
        last = self.history.losses[-1] if self.history.losses else float("nan")
        return TrainProgress(
            self.cell, self.step, epoch, self.seconds, last, rate, checkpoint, done
        )

    def checkpoint(self, epoch: float) -> None:
        cfg, codec = self.cfg, self.prepared.codec
        dev_loss = mean_loss(self.params, self.spec, self.dev)
        bleu, _ = held_out_bleu(
            self.params,
            self.spec,
            codec,
            self.dev,
            self.dev_refs,
            cfg.bleu_tokenize,
            cfg.max_len_ratio,
        )
        train_loss = float(np.mean(self.since)) if self.since else float("nan")
        self.since = []
        point = Checkpoint(self.step, epoch, self.seconds, train_loss, dev_loss, bleu)
        self.history.checkpoints.append(point)
        if self.best is None or bleu > self.best.dev_bleu:
            self.best = point
            self.best_params = {k: v.copy() for k, v in self.params.items()}
        if self.on_progress:
            self.on_progress(self.progress(epoch, point))

    def result(self, wall: float, cpu: float) -> TrainedModel:
        rate = self.tokens / self.seconds if self.seconds else 0.0
        return TrainedModel(
            self.cell,
            self.spec,
            self.best_params or self.params,
            self.prepared.codec,
            self.cfg,
            self.history,
            self.best,
            rate,
            wall,
            cpu,
        )


def train_model(
    prepared: PreparedCorpus,
    cfg: TranslateConfig,
    cell: str,
    on_progress: Callable[[TrainProgress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> TrainedModel:
    """Train one model on the shared batch schedule; checkpoints per epoch or every
    cfg.checkpoint_every steps, and when the time budget or should_stop() ends training."""
    run = _Run(prepared, cfg, cell, on_progress)
    n_train = len(prepared.train)
    clock = CLOCKS[cfg.budget_clock]
    wall0, cpu0 = time.perf_counter(), time.process_time()
    with threadpool_limits(limits=1, user_api="blas"):
        start = clock()
        for epoch in range(cfg.epochs):
            plan = epoch_plan(prepared, cfg, epoch)
            for i, rows in enumerate(plan):
                seen = epoch + (i + 1) / len(plan)
                run.train_step(rows, seen)
                run.seconds = clock() - start
                out_of_time = cfg.time_budget is not None and run.seconds >= cfg.time_budget
                stop = out_of_time or (should_stop is not None and should_stop())
                if stop or (cfg.checkpoint_every and run.step % cfg.checkpoint_every == 0):
                    run.checkpoint(seen)
                    run.seconds = clock() - start
                if stop:
                    break
            else:
                if not cfg.checkpoint_every or run.step % cfg.checkpoint_every:
                    run.checkpoint(epoch + 1.0)
                    run.seconds = clock() - start
                continue
            break
    if on_progress:
        on_progress(run.progress(run.step * cfg.batch_size / max(n_train, 1), None, done=True))
    return run.result(time.perf_counter() - wall0, time.process_time() - cpu0)


def train_models(
    prepared: PreparedCorpus,
    cfg: TranslateConfig,
    on_progress: Callable[[TrainProgress], None] | None = None,
) -> dict[str, TrainedModel]:
    """Every model of cfg.models, one after the other, on identical batches."""
    return {cell: train_model(prepared, cfg, cell, on_progress) for cell in cfg.models}
