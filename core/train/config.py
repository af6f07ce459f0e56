"""The one configuration of a training run: a frozen dataclass, hashable, usable as a cache key."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from core.cells import cell_names, init_options, retired_config_fields
from core.train.tasks import TASKS, task_names

OPTIMIZERS = ("adam", "sgd")
LR_SCHEDULES = ("constant", "anneal", "cosine")
DTYPES = ("float32", "float64")


@dataclass(frozen=True)
class RunConfig:
    task: str = "recall"  # a registered task (see core.train.tasks)
    # Defaults = the default experiment (tuned: GRU >= 95 %, RNN <= 2x chance, < 15 s; see
    # bench/default_experiment.py): recall of 1 of 16 symbols across 79 distractors.
    length: int = 80  # sequence length T: steps between the cue and the answer
    symbols: int = 16  # alphabet size K for recall (other tasks fix their own)
    hidden: int = 16  # hidden units H per model
    models: tuple[str, ...] = ("rnn", "gru")  # registered cells trained on identical batches
    steps: int = 1000  # optimizer steps
    batch: int = 32  # sequences per training batch
    optimizer: str = "adam"  # adam | sgd
    lr: float = 1e-2  # learning rate (peak, when a schedule is used)
    lr_schedule: str = "anneal"  # constant | anneal: linear to 0 over the last quarter | cosine
    clip: float = 1.0  # global gradient-norm clip threshold; 0 turns clipping off
    init_scale: float = 1.0  # g in N(0, g^2 / fan_in) for the Gaussian initialisation
    orthogonal: bool = True  # recurrent matrices start orthogonal (times init_scale)
    # The cells' init options (core.cells.init_options), a field each so that a config's
    # dict and hash stay what they were; a test ties the fields to the registry.
    update_bias: float = -4.0  # GRU update-gate bias at init; negative favours carrying
    forget_bias: float = 1.0  # LSTM forget-gate bias at init; positive favours carrying
    chrono: bool = False  # chrono init of the carry gates' biases (overrides the options)
    val_size: int = 512  # held-out validation sequences (fixed per seed)
    eval_every: int = 20  # validate every this many steps (and at the last step)
    checkpoints: int = 10  # parameter snapshots kept during training, step 0 included
    seed: int = 0  # one seed drives data, initialisation and batch order
    dtype: str = "float32"  # float32 for training speed | float64 for analysis

    def __post_init__(self) -> None:
        object.__setattr__(self, "models", tuple(self.models))
        problems = _problems(self)
        if problems:
            raise ValueError(" ".join(problems))

    def to_dict(self) -> dict:
        d = asdict(self)
        d["models"] = list(self.models)
        return d

    def init_option_values(self) -> dict[str, float]:
        """{option name: value} for every init option a registered cell declares."""
        return {name: getattr(self, name) for name in init_options()}

    @classmethod
    def from_dict(cls, d: dict) -> RunConfig:
        d = upgrade_legacy(d)  # without a run file's cell map: drops retired fields only
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(d) - known)
        if unknown:
            raise ValueError(f"unknown config fields: {', '.join(unknown)}")
        return cls(**{k: (tuple(v) if k == "models" else v) for k, v in d.items()})


def _choices(values) -> str:
    return ", ".join(values[:-1]) + " or " + values[-1] if len(values) > 1 else values[0]


def _problems(c: RunConfig) -> list[str]:
    """Plain-language sentences, one per invalid field (shown as they are to users)."""
    unknown = [m for m in c.models if m not in cell_names()]
    min_length = TASKS[c.task].min_length if c.task in TASKS else 1
    checks = [
        (c.task in TASKS, f"Unknown task {c.task!r}: choose {_choices(task_names())}."),
        (bool(c.models), "Choose at least one model."),
        (
            not unknown,
            f"Unknown model {', '.join(map(repr, unknown))}: choose from {_choices(cell_names())}.",
        ),
        (len(set(c.models)) == len(c.models), "Choose each model only once."),
        (
            c.optimizer in OPTIMIZERS,
            f"Unknown optimizer {c.optimizer!r}: choose {_choices(OPTIMIZERS)}.",
        ),
        (
            c.lr_schedule in LR_SCHEDULES,
            f"Unknown learning-rate schedule {c.lr_schedule!r}: choose {_choices(LR_SCHEDULES)}.",
        ),
        (c.dtype in DTYPES, f"Unknown number type {c.dtype!r}: choose {_choices(DTYPES)}."),
        (
            c.length >= min_length,
            f"The sequence length T must be at least {min_length} for the {c.task} task.",
        ),
        (c.symbols >= 2, "Use at least 2 symbols K."),
        (c.hidden >= 1, "Use at least 1 hidden unit H."),
        (c.steps >= 1, "Train for at least 1 step."),
        (c.batch >= 1, "Use a batch of at least 1 sequence."),
        (c.lr > 0, "The learning rate must be above 0."),
        (c.clip >= 0, "The gradient clip must be 0 (off) or above."),
        (c.init_scale > 0, "The init scale g must be above 0."),
        (c.val_size >= 1, "Validate on at least 1 sequence."),
        (c.eval_every >= 1, "The evaluation interval must be at least 1 step."),
        (c.checkpoints >= 1, "Keep at least 1 checkpoint."),
    ]
    return [msg for ok, msg in checks if not ok]


def upgrade_legacy(d: dict, cells: dict | None = None) -> dict:
    """A config written before the cell registry in today's terms. Such configs name models
    by family and a cell's variant in a field the cells now retire; their run files map each
    model to its cell in `cells`, and today a model is named by its cell."""
    retired = retired_config_fields()
    if not retired & set(d):
        return d
    d = {k: v for k, v in d.items() if k not in retired}
    if cells and isinstance(d.get("models"), list | tuple):
        d["models"] = [cells.get(m, m) if isinstance(m, str) else m for m in d["models"]]
    return d
