"""The one configuration of a training run: a frozen dataclass, hashable, usable as a cache key.
Each field is a `setting` (core.config): its help, unit and limits feed the checks, the
`python -m core.train` flags and the Train form's widgets."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from core import config as settings
from core.cells import cell_names, init_options, retired_config_fields
from core.config import setting
from core.tasks import TASKS, task_names

OPTIMIZERS = ("adam", "sgd")
LR_SCHEDULES = ("constant", "anneal", "cosine")
DTYPES = ("float32", "float64")


def _init_setting(name: str, default: float):
    """A cell's init option (core.cells.init_options) as a setting: its help and range."""
    option = init_options()[name]
    return setting(default, help=option.help, low=option.low, high=option.high)


@dataclass(frozen=True)
class RunConfig:
    task: str = setting("recall", help="The task the models learn.", choices=task_names)
    # Defaults = the default experiment (tuned: GRU >= 95 %, RNN <= 2x chance, < 15 s; see
    # bench/default_experiment.py): recall of 1 of 16 symbols across 79 distractors.
    # The limits are the largest run the app accepts (a run file claiming a million hidden
    # units is refused, not allocated).
    length: int = setting(
        80,
        help="Sequence length T: how many steps information must be carried. Longer is "
        "harder, above all for the vanilla RNN.",
        unit="steps",
        low=1,
        high=500,
    )
    symbols: int = setting(
        16,
        help="Alphabet size K of delayed recall only; the other tasks fix their own alphabet "
        "and ignore this field.",
        low=2,
        high=64,
    )
    hidden: int = setting(16, help="Hidden state size H of each model.", low=1, high=256)
    models: tuple[str, ...] = setting(
        ("rnn", "gru"),
        help="Registered cells trained side by side on identical batches from the same seed.",
        choices=cell_names,
    )
    steps: int = setting(1000, help="Optimizer steps, one batch each.", low=1, high=5000)
    batch: int = setting(32, help="Sequences per training batch.", low=1, high=512)
    optimizer: str = setting("adam", help="The optimizer.", choices=OPTIMIZERS)
    lr: float = setting(
        1e-2,
        help="Learning rate (the peak, when a schedule is used). If the loss turns NaN or "
        "infinite, training stops: lower this or clip.",
        above=0.0,
        form=(1e-5, 10.0),
    )
    lr_schedule: str = setting(
        "anneal",
        help="anneal: constant, then linearly down to 0 over the last quarter of the steps "
        "(a calm finish); cosine: half a cosine from the full rate to 0.",
        choices=LR_SCHEDULES,
    )
    clip: float = setting(
        1.0, help="Global gradient-norm threshold; 0 turns clipping off.", low=0.0, high=100.0
    )
    init_scale: float = setting(
        1.0,
        help="Weights start as N(0, g²/fan_in); an orthogonal recurrent matrix is multiplied by g.",
        above=0.0,
        form=(0.01, 10.0),
    )
    orthogonal: bool = setting(True, help="Start the recurrent matrices orthogonal (times g).")
    # The cells' init options (core.cells.init_options), a field each so that a config's
    # dict and hash stay what they were; a test ties the fields to the registry.
    update_bias: float = _init_setting("update_bias", -4.0)
    forget_bias: float = _init_setting("forget_bias", 1.0)
    chrono: bool = setting(
        False,
        help="Carry-gate biases (the update and forget gates) set so that memory time scales "
        "spread up to T; overrides the gate biases.",
    )
    val_size: int = setting(
        512, help="Held-out validation sequences (fixed per seed).", low=1, high=4096
    )
    eval_every: int = setting(
        20, help="Validate every this many steps (and at the last step).", low=1, high=5000
    )
    checkpoints: int = setting(
        10, help="Parameter snapshots kept during training, step 0 included.", low=1, high=101
    )
    seed: int = setting(
        0,
        help="One seed drives the data, the initialisation and the batch order: the same "
        "settings and seed give identical curves.",
        low=0,
        high=2**31 - 1,
    )
    dtype: str = setting(
        "float32",
        help="float32 for training speed, float64 for analysis.",
        choices=DTYPES,
    )

    def __post_init__(self) -> None:
        settings.freeze(self)
        settings.validate(self, _cross_problems)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["models"] = list(self.models)
        return d

    def init_option_values(self) -> dict[str, float]:
        """{option name: value} for every init option a registered cell declares."""
        return {name: getattr(self, name) for name in init_options()}

    @classmethod
    def from_dict(cls, d: dict) -> RunConfig:
        # without a run file's cell map: drops retired fields only
        return settings.from_dict(cls, upgrade_legacy(d))


def _cross_problems(c: RunConfig) -> list[str]:
    """Plain-language sentences for the checks between fields (shown as they are to users)."""
    min_length = TASKS[c.task].min_length
    checks = [
        (bool(c.models), "Choose at least one model."),
        (len(set(c.models)) == len(c.models), "Choose each model only once."),
        (
            c.length >= min_length,
            f"The sequence length T must be at least {min_length} for the {c.task} task.",
        ),
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
