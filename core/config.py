"""One convention for every configuration: a frozen dataclass whose fields are `setting`s that
carry their help, unit and limits. From that one place:

- `validate(config)` refuses a wrong type, NaN, infinity, a value out of range or a bad choice,
  with one sentence per field naming it and its limits ("hidden must be a whole number from 1
  to 256; got 0.");
- `from_dict(cls, d)` reads a stored dict, refusing unknown keys by name;
- `add_arguments(parser, cls)` / `from_args(cls, ns)` make the command-line flags (help, unit,
  limits and default in the help; a bad value exits 2 naming the flag);
- `bounds(cls, name)` and `help_of(cls, name)` give a form widget its range and tooltip.

    @dataclass(frozen=True)
    class RunConfig:
        hidden: int = setting(16, help="Hidden units H of each model.", low=1, high=256)
        def __post_init__(self):
            freeze(self)
            validate(self)
"""

from __future__ import annotations

import argparse
import functools
import math
import numbers
import types
import typing
from dataclasses import MISSING, Field, field, fields

ABSENT = object()  # a key missing from a from_args namespace


def setting(
    default,
    *,
    help: str,
    unit: str = "",
    low: float | None = None,
    high: float | None = None,
    above: float | None = None,
    choices=None,
    flag: str | None = None,
    form: tuple[float, float] | None = None,
):
    """A config field: its default, what it means (form tooltip and CLI help), its unit, the
    values it accepts (low <= v <= high, v > above, v in choices: a tuple or a function giving
    one, for registries) and, when they differ from the defaults, its CLI flag and the narrower
    (min, max) a form offers. A tuple field applies the limits to each of its items."""
    meta = {
        "help": help,
        "unit": unit,
        "low": low,
        "high": high,
        "above": above,
        "choices": choices,
        "flag": flag,
        "form": form,
    }
    return field(default=default, metadata=meta)


# ---- types -----------------------------------------------------------------------------------


@functools.cache
def field_types(cls) -> dict[str, object]:
    """{field name: its resolved annotation} of a config class."""
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in fields(cls)}


def _members(t) -> tuple:
    """The alternatives of a union annotation (float | None -> (float, NoneType)), else (t,)."""
    if typing.get_origin(t) in (typing.Union, types.UnionType):
        return typing.get_args(t)
    return (t,)


def _is_tuple(t) -> bool:
    return typing.get_origin(t) is tuple


def item_type(t):
    """The item type of tuple[X, ...]."""
    return typing.get_args(t)[0]


def _choices(meta) -> tuple | None:
    c = meta["choices"]
    return tuple(c()) if callable(c) else c


# ---- describing limits -----------------------------------------------------------------------


def _num(x) -> str:
    return str(x) if isinstance(x, int) else f"{x:g}"


def _range(meta) -> str:
    low, high, above = meta["low"], meta["high"], meta["above"]
    if low is not None and high is not None:
        return f" from {_num(low)} to {_num(high)}"
    if above is not None:
        return f" above {_num(above)}" + (f" and at most {_num(high)}" if high is not None else "")
    if low is not None:
        return f" of at least {_num(low)}"
    return f" of at most {_num(high)}" if high is not None else ""


def _one_of(values) -> str:
    values = [str(v) for v in values]
    return ", ".join(values[:-1]) + " or " + values[-1] if len(values) > 1 else values[0]


def _describe_scalar(t, meta) -> str:
    if t is bool:
        return "true or false"
    if t is int:
        return "a whole number" + _range(meta)
    if t is float:
        return "a finite number" + _range(meta)
    if t is type(None):
        return "None (unset)"
    choices = _choices(meta)
    return f"one of {_one_of(choices)}" if choices else "text"


def describe(t, meta) -> str:
    """What a field accepts, e.g. 'a whole number from 1 to 256 (units)'."""
    if _is_tuple(t):
        what = "a list, each item " + _describe_scalar(item_type(t), meta)
    else:
        what = " or ".join(_describe_scalar(m, meta) for m in _members(t))
    return what + (f" ({meta['unit']})" if meta["unit"] else "")


# ---- checking values -------------------------------------------------------------------------


def _scalar_ok(value, t, meta) -> bool:
    if t is type(None):
        return value is None
    if t is bool:
        return isinstance(value, bool)
    if t is str:
        choices = _choices(meta)
        return isinstance(value, str) and (not choices or value in choices)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return False
    if t is int and not isinstance(value, numbers.Integral):
        return False
    return math.isfinite(value) and _in_range(value, meta)


def _in_range(value, meta) -> bool:
    low, high, above = meta["low"], meta["high"], meta["above"]
    return (
        (low is None or value >= low)
        and (high is None or value <= high)
        and (above is None or value > above)
    )


def value_ok(value, t, meta) -> bool:
    if _is_tuple(t):
        return isinstance(value, tuple | list) and all(
            _scalar_ok(v, item_type(t), meta) for v in value
        )
    return any(_scalar_ok(value, m, meta) for m in _members(t))


def field_problem(cls, name: str, value) -> str | None:
    """One sentence if `value` is not acceptable for cls's field `name`, else None."""
    f = _field(cls, name)
    t = field_types(cls)[name]
    if value_ok(value, t, f.metadata):
        return None
    return f"{name} must be {describe(t, f.metadata)}; got {value!r}."


def problems(config) -> list[str]:
    """One sentence per field of config whose value its setting does not accept."""
    cls = type(config)
    found = (field_problem(cls, f.name, getattr(config, f.name)) for f in fields(cls))
    return [p for p in found if p]


def validate(config, cross=None) -> None:
    """ValueError with one sentence per bad field; when every field is fine, the sentences of
    `cross(config)` (checks between fields), if any."""
    found = problems(config) or (list(cross(config)) if cross else [])
    if found:
        raise ValueError(" ".join(found))


def freeze(config) -> None:
    """In __post_init__: a list given for a tuple field becomes a tuple (hashable)."""
    for name, t in field_types(type(config)).items():
        value = getattr(config, name)
        if _is_tuple(t) and isinstance(value, list):
            object.__setattr__(config, name, tuple(value))


def from_dict(cls, d: dict):
    """cls from a stored dict of its fields (missing ones take their defaults); ValueError
    naming unknown keys or the first bad values."""
    if not isinstance(d, dict):
        raise ValueError(f"a config must be a table of fields; got {type(d).__name__}.")
    names = [f.name for f in fields(cls)]
    unknown = sorted(set(d) - set(names))
    if unknown:
        raise ValueError(
            f"unknown config fields: {', '.join(map(str, unknown))} "
            f"(a {cls.__name__} has {', '.join(names)})"
        )
    return cls(**d)


# ---- forms -----------------------------------------------------------------------------------


def _field(cls, name: str) -> Field:
    return cls.__dataclass_fields__[name]


def bounds(cls, name: str) -> tuple:
    """(min, max) a form widget offers for the field: its `form` range, else its limits."""
    meta = _field(cls, name).metadata
    if meta["form"] is not None:
        return tuple(meta["form"])
    return meta["low"], meta["high"]


def help_of(cls, name: str) -> str:
    """The field's help, with its unit."""
    meta = _field(cls, name).metadata
    return meta["help"] + (f" ({meta['unit']})" if meta["unit"] else "")


def choices_of(cls, name: str) -> tuple:
    return _choices(_field(cls, name).metadata)


# ---- command line ----------------------------------------------------------------------------


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr, exit status 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {' '.join(message.split())}\n")


def flag_of(cls, name: str) -> str:
    f = _field(cls, name)
    if f.metadata["flag"]:
        return f.metadata["flag"]
    dashed = name.replace("_", "-")
    return f"--no-{dashed}" if f.default is True else f"--{dashed}"


def _parse_scalar(text: str, t):
    if t is int:
        return int(text)
    if t is float:
        return float(text)
    return text


def _parse(text: str, t):
    """text as the first type of the union that reads it ('3' is 3 for str | int)."""
    for m in sorted(_members(t), key=lambda m: m is str):
        if m is not type(None):
            try:
                return _parse_scalar(text, m)
            except ValueError:
                continue
    return text


def _value_type(name: str, t, meta):
    """argparse `type` for one value: parsed, then checked against the field's limits."""
    scalar = item_type(t) if _is_tuple(t) else t

    def read(text: str):
        value = _parse(text, scalar)
        if not any(_scalar_ok(value, m, meta) for m in _members(scalar)):
            raise argparse.ArgumentTypeError(f"{name} must be {describe(t, meta)}; got {text!r}.")
        return value

    read.__name__ = name
    return read


def _cli_help(f: Field, t) -> str:
    meta = f.metadata
    default = f.default if f.default is not MISSING else None
    shown = " ".join(map(str, default)) if isinstance(default, tuple) else default
    text = meta["help"] if t is bool else f"{meta['help']} [{describe(t, meta)}; default {shown}]"
    return text.replace("%", "%%")


def add_arguments(parser, cls, *, skip: tuple[str, ...] = ()) -> None:
    """A flag per field of cls (bar `skip`), named --field-name (a True bool: --no-field-name),
    its help, unit, limits and default in the help. Unset flags read as None."""
    types_ = field_types(cls)
    for f in fields(cls):
        if f.name in skip:
            continue
        t, flag = types_[f.name], flag_of(cls, f.name)
        common = {"dest": f.name, "default": None, "help": _cli_help(f, t)}
        if t is bool:
            action = "store_false" if f.default is True else "store_true"
            parser.add_argument(flag, action=action, **common)
            continue
        extra = {"nargs": "+"} if _is_tuple(t) else {}
        if (item_type(t) if _is_tuple(t) else t) is str and f.metadata["choices"]:
            extra["choices"] = _choices(f.metadata)
            if _is_tuple(t):  # the help lists the choices
                extra["metavar"] = f.name.upper()
        else:
            extra["type"] = _value_type(f.name, t, f.metadata)
            extra["metavar"] = f.name.upper()
        parser.add_argument(flag, **extra, **common)


def given(cls, ns: argparse.Namespace) -> dict:
    """{field: value} of the flags given (add_arguments' flags that are not None)."""
    out = {}
    for f in fields(cls):
        value = getattr(ns, f.name, None)
        if value is not None:
            out[f.name] = tuple(value) if isinstance(value, list) else value
    return out


def from_args(cls, ns: argparse.Namespace, **fixed):
    """cls from parsed flags: the flags given over the defaults (and `fixed` over both)."""
    return cls(**(given(cls, ns) | fixed))
