"""Every field of every config refuses what it cannot hold, naming itself: out of range, NaN,
infinity, a wrong type, a bad choice, and unknown keys; from the config API and from the CLI.
The fields are listed by introspection, so a new field is covered when it is added."""

from __future__ import annotations

import math
from dataclasses import fields

import pytest

from core import config as cfg
from core.bleu import __main__ as bleu_cli
from core.bleu.settings import BleuSettings
from core.train import cli as train_cli
from core.train.config import RunConfig
from core.translate import __main__ as translate_cli
from core.translate.config import DecodeSettings, TranslateConfig

CONFIGS = (RunConfig, TranslateConfig, DecodeSettings, BleuSettings)


def _scalar(t):
    t = cfg.item_type(t) if cfg._is_tuple(t) else t
    members = [m for m in cfg._members(t) if m is not type(None)]
    return members[0] if len(members) == 1 else None


def bad_values(cls, name: str) -> list:
    """Values field `name` of cls must refuse, by what it is."""
    t = cfg.field_types(cls)[name]
    meta = cls.__dataclass_fields__[name].metadata
    kind = _scalar(t)
    if kind is bool:
        return ["yes", 1.5]
    if kind is str:
        return [5, *(["no-such-choice"] if cfg._choices(meta) else [])]
    bad = [math.nan, math.inf, -math.inf, True]
    if str not in cfg._members(t):  # a name-or-position field takes any text
        bad.append("ten")
    if kind is int:
        bad.append(8.5)
    if meta["low"] is not None:
        bad.append(meta["low"] - 1)
    if meta["above"] is not None:
        bad.append(meta["above"])
    if meta["high"] is not None:
        bad.append(meta["high"] + 1)
    return bad


CASES = [
    pytest.param(cls, f.name, value, id=f"{cls.__name__}.{f.name}={value!r}")
    for cls in CONFIGS
    for f in fields(cls)
    for value in bad_values(cls, f.name)
]


def _as_given(cls, name: str, value):
    return (value,) if cfg._is_tuple(cfg.field_types(cls)[name]) else value


@pytest.mark.parametrize(("cls", "name", "value"), CASES)
def test_the_config_api_refuses_a_bad_value_naming_the_field(cls, name, value):
    with pytest.raises(ValueError, match=rf"\b{name} must be"):
        cfg.from_dict(cls, {name: _as_given(cls, name, value)})


@pytest.mark.parametrize("cls", CONFIGS)
def test_unknown_keys_are_refused_by_name(cls):
    with pytest.raises(ValueError, match="unknown config fields: hiden"):
        cfg.from_dict(cls, {"hiden": 16})


@pytest.mark.parametrize("cls", CONFIGS)
def test_the_defaults_are_accepted(cls):
    assert cfg.problems(cls()) == []


def _cli_cases():
    """(argv prefix, cls, field, text) for every CLI flag derived from a config."""
    owners = {
        RunConfig: (train_cli.build_parser, []),
        TranslateConfig: (translate_cli.build_parser, ["train", "--out", "x"]),
        DecodeSettings: (translate_cli.build_parser, ["train", "--out", "x"]),
        BleuSettings: (bleu_cli.build_parser, ["--ref", "r", "--sys", "s"]),
    }
    for cls, (parser, prefix) in owners.items():
        for f in fields(cls):
            if _scalar(cfg.field_types(cls)[f.name]) is bool:
                continue  # a switch takes no value
            for value in bad_values(cls, f.name):
                if isinstance(value, bool):
                    continue  # a flag's text is never a bool
                yield pytest.param(
                    parser,
                    prefix,
                    cls,
                    f.name,
                    str(value),
                    id=f"{cfg.flag_of(cls, f.name)} {value}",
                )


@pytest.mark.parametrize(("parser", "prefix", "cls", "name", "text"), list(_cli_cases()))
def test_the_cli_refuses_a_bad_flag_with_exit_2_naming_it(parser, prefix, cls, name, text, capsys):
    flag = cfg.flag_of(cls, name)
    t = cfg.field_types(cls)[name]
    if (
        _scalar(t) is str
        and text == "5"
        and not cfg._choices(cls.__dataclass_fields__[name].metadata)
    ):
        pytest.skip("any text is a string")
    try:
        args = parser().parse_args([*prefix, flag, text])
    except SystemExit as stop:
        assert stop.code == 2
        err = capsys.readouterr().err
        assert flag in err or name in err, err
        assert len(err.strip().splitlines()) == 1, err
        return
    # Parsed (a string choice given as digits): the config itself must refuse it.
    with pytest.raises(ValueError, match=rf"\b{name} must be"):
        cfg.from_args(cls, args)
