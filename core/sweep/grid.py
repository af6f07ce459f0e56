"""A sweep grid: a [base] table of training-config fields and a [grid] table of lists; the
sweep is their product, one run per model.

    [base]
    task = "recall"
    steps = 300
    [grid]
    model = ["rnn", "gru"]
    length = [10, 20, 40]
    seed = [0, 1, 2]

Field names are RunConfig's, spelt as the `python -m core.train` flags spell them (`lr-schedule`
and `lr_schedule` both work); `model` (or `models`) lists the models, each trained in its own run.
Every [base] and [grid] value is checked against its RunConfig setting (type and limits), then
every config of the product against RunConfig, before anything runs.
"""

from __future__ import annotations

import itertools
import json
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from core.config import field_problem
from core.train.config import RunConfig

CONFIG_FIELDS = {f.name for f in fields(RunConfig)} - {"models"}
MODEL_KEYS = ("model", "models")


class GridError(ValueError):
    """A grid that cannot be expanded: the message names the file and the field."""


@dataclass(frozen=True)
class Grid:
    name: str  # the sweep's name (the file's stem)
    base: dict  # fixed config fields
    axes: dict[str, tuple]  # swept field -> its values, in file order
    models: tuple[str, ...]  # one run per model

    @property
    def fields(self) -> tuple[str, ...]:
        """The swept fields, `model` first when models vary."""
        return (("model",) if len(self.models) > 1 else ()) + tuple(self.axes)

    def configs(self) -> list[RunConfig]:
        """Every run of the sweep, models varying slowest: (model, *axes) product order."""
        out = []
        for model in self.models:
            for values in itertools.product(*self.axes.values()):
                out.append(
                    RunConfig(
                        **self.base, **dict(zip(self.axes, values, strict=True)), models=(model,)
                    )
                )
        return out

    def values_of(self, cfg: RunConfig) -> dict:
        """The grid coordinates of one of its configs."""
        out = {"model": cfg.models[0]} if len(self.models) > 1 else {}
        return out | {k: getattr(cfg, k) for k in self.axes}


def grid_tables(grid: Grid) -> dict:
    """The [base] and [grid] tables that grid_from_tables turns back into this grid."""
    axes = {k: list(v) for k, v in grid.axes.items()}
    return {"base": dict(grid.base), "grid": {"model": list(grid.models), **axes}}


def grid_toml(grid: Grid) -> str:
    """The grid as a grid file: its [base] and [grid] tables, which load_grid reads back to the
    same grid. Values are strings, numbers, booleans or lists of them (a config's fields)."""
    lines = []
    for table, values in grid_tables(grid).items():
        lines.append(f"[{table}]")
        lines += [f"{key} = {_toml_value(v)}" for key, v in values.items()]
    return "\n".join(lines) + "\n"


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)  # 300, 0.01, 1e-05, inf: each is a TOML number as written
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)  # JSON's escapes are TOML's basic-string ones
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    raise TypeError(f"{v!r} has no TOML form in a grid file")


def load_grid(path: str | Path) -> Grid:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise GridError(f"{path}: cannot be read ({err.strerror})") from err
    return grid_from_toml(data, name=path.stem, where=str(path))


def grid_from_toml(data: bytes, *, name: str, where: str) -> Grid:
    """Grid from a grid file's bytes; GridError naming `where` (the file) and the field."""
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise GridError(f"{where}: not valid TOML ({err})") from err
    return grid_from_tables(
        doc.get("base", {}),
        doc.get("grid", {}),
        name=name,
        where=where,
        extra=sorted(set(doc) - {"base", "grid"}),
    )


def grid_from_tables(
    base: dict,
    grid: dict,
    *,
    name: str = "sweep",
    where: str = "grid",
    extra: list[str] | None = None,
) -> Grid:
    """Grid from already parsed tables (the Sweeps page's form builds these)."""
    if extra:
        raise GridError(f"{where}: unknown tables {extra}; expected [base] and [grid]")
    if not isinstance(base, dict) or not isinstance(grid, dict):
        raise GridError(f"{where}: [base] and [grid] must be tables")
    base = {_field(k, where, "base"): v for k, v in base.items()}
    axes = {}
    for key, values in grid.items():
        if not isinstance(values, list) or not values:
            raise GridError(f"{where}: grid.{key} must be a non-empty list of values")
        repeated = [v for i, v in enumerate(values) if v in values[:i]]
        if repeated:
            raise GridError(
                f"{where}: grid.{key} lists {repeated[0]!r} twice; list each value once"
            )
        axes[_field(key, where, "grid")] = tuple(values)
    models = axes.pop("models", None) or base.pop("models", None) or RunConfig().models
    if isinstance(models, str):
        models = (models,)
    both = sorted(set(base) & set(axes))
    if both:
        raise GridError(f"{where}: {', '.join(both)} in both [base] and [grid]")
    out = Grid(name=name, base=base, axes=axes, models=tuple(models))
    _check_values(out, where)
    _check(out, where)
    return out


def _check_values(grid: Grid, where: str) -> None:
    """GridError naming the first [base] or [grid] value its RunConfig setting refuses."""
    values = [("base", k, v) for k, v in grid.base.items()]
    values += [("grid", k, v) for k, vs in grid.axes.items() for v in vs]
    values += [("grid", "model", (m,)) for m in grid.models]
    for table, key, value in values:
        problem = field_problem(RunConfig, "models" if key == "model" else key, value)
        if problem:
            raise GridError(f"{where}: {table}.{key}: {problem}")


def _field(key: str, where: str, table: str) -> str:
    name = key.replace("-", "_")
    if name in MODEL_KEYS:
        return "models"
    if name not in CONFIG_FIELDS:
        raise GridError(
            f"{where}: {table}.{key} is not a training-config field (known: "
            f"model, {', '.join(sorted(CONFIG_FIELDS))})"
        )
    return name


def _check(grid: Grid, where: str) -> None:
    for cfg_values in _corners(grid):
        try:
            RunConfig(**grid.base, **cfg_values[1], models=(cfg_values[0],))
        except (TypeError, ValueError) as err:
            raise GridError(
                f"{where}: model {cfg_values[0]!r} with "
                f"{cfg_values[1] or 'the base settings'}: {err}"
            ) from err


def _corners(grid: Grid):
    """Every config of the grid (each is validated; grids are small enough)."""
    for model in grid.models:
        for values in itertools.product(*grid.axes.values()):
            yield model, dict(zip(grid.axes, values, strict=True))
