"""The one configuration of a training run: a frozen dataclass, hashable, usable as a cache key."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

TASKS = ("recall", "adding", "copy", "order")
TASK_MIN_LENGTH = {"recall": 1, "adding": 2, "copy": 1, "order": 4}  # shortest valid T per task
MODELS = ("rnn", "gru")
GRU_VARIANTS = ("seed", "reset_after")
OPTIMIZERS = ("adam", "sgd")
LR_SCHEDULES = ("constant", "anneal", "cosine")
DTYPES = ("float32", "float64")


@dataclass(frozen=True)
class RunConfig:
    task: str = "recall"            # recall | adding | copy | order (see core.train.tasks)
    # Defaults = the default experiment (tuned: GRU >= 95 %, RNN <= 2x chance, < 15 s; see
    # bench/default_experiment.py): recall of 1 of 16 symbols across 79 distractors.
    length: int = 80                # sequence length T: steps between the cue and the answer
    symbols: int = 16               # alphabet size K for recall (other tasks fix their own)
    hidden: int = 16                # hidden units H per model
    models: tuple[str, ...] = ("rnn", "gru")  # which models to train on identical batches
    gru_variant: str = "seed"       # seed: r applied before U_c | reset_after: PyTorch/cuDNN
    steps: int = 1000               # optimizer steps
    batch: int = 32                 # sequences per training batch
    optimizer: str = "adam"         # adam | sgd
    lr: float = 1e-2                # learning rate (peak, when a schedule is used)
    lr_schedule: str = "anneal"     # constant | anneal: linear to 0 over the last quarter | cosine
    clip: float = 1.0               # global gradient-norm clip threshold; 0 turns clipping off
    init_scale: float = 1.0         # g in N(0, g^2 / fan_in) for the Gaussian initialisation
    orthogonal: bool = True         # recurrent matrices start orthogonal (times init_scale)
    update_bias: float = -4.0       # GRU update-gate bias at init; negative favours carrying
    chrono: bool = False            # chrono init of the update-gate bias (overrides update_bias)
    val_size: int = 512             # held-out validation sequences (fixed per seed)
    eval_every: int = 20            # validate every this many steps (and at the last step)
    checkpoints: int = 10           # parameter snapshots kept during training, step 0 included
    seed: int = 0                   # one seed drives data, initialisation and batch order
    dtype: str = "float32"          # float32 for training speed | float64 for analysis

    def __post_init__(self) -> None:
        object.__setattr__(self, "models", tuple(self.models))
        problems = _problems(self)
        if problems:
            raise ValueError("invalid RunConfig: " + "; ".join(problems))

    def to_dict(self) -> dict:
        d = asdict(self)
        d["models"] = list(self.models)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> RunConfig:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(d) - known)
        if unknown:
            raise ValueError(f"unknown config fields: {', '.join(unknown)}")
        return cls(**{k: (tuple(v) if k == "models" else v) for k, v in d.items()})


def _problems(c: RunConfig) -> list[str]:
    checks = [
        (c.task in TASKS, f"task must be one of {TASKS}, got {c.task!r}"),
        (bool(c.models) and all(m in MODELS for m in c.models),
         f"models must be a non-empty subset of {MODELS}, got {c.models!r}"),
        (len(set(c.models)) == len(c.models), "models must not repeat"),
        (c.gru_variant in GRU_VARIANTS, f"gru_variant must be one of {GRU_VARIANTS}"),
        (c.optimizer in OPTIMIZERS, f"optimizer must be one of {OPTIMIZERS}"),
        (c.lr_schedule in LR_SCHEDULES, f"lr_schedule must be one of {LR_SCHEDULES}"),
        (c.dtype in DTYPES, f"dtype must be one of {DTYPES}"),
        (c.length >= TASK_MIN_LENGTH.get(c.task, 1),
         f"length must be >= {TASK_MIN_LENGTH.get(c.task, 1)} for task {c.task!r}"),
        (c.symbols >= 2, "symbols must be >= 2"),
        (c.hidden >= 1, "hidden must be >= 1"),
        (c.steps >= 1, "steps must be >= 1"),
        (c.batch >= 1, "batch must be >= 1"),
        (c.lr > 0, "lr must be > 0"),
        (c.clip >= 0, "clip must be >= 0 (0 turns clipping off)"),
        (c.init_scale > 0, "init_scale must be > 0"),
        (c.val_size >= 1, "val_size must be >= 1"),
        (c.eval_every >= 1, "eval_every must be >= 1"),
        (c.checkpoints >= 1, "checkpoints must be >= 1"),
    ]
    return [msg for ok, msg in checks if not ok]
