"""The Translate page's hand-off to the BLEU page: translations to score, in session state.

The Translate page puts a dict under BLEU_HANDOFF_KEY and switches to the BLEU page:

    st.session_state[BLEU_HANDOFF_KEY] = make_handoff(refs, systems, source, label)
    st.switch_page("views/bleu/bleu.py")

    {"source": list[str] | None,          # source sentences, or None
     "refs": list[list[str]],             # one list of lines per reference
     "systems": dict[str, list[str]],     # model name -> its translations, one per line
     "label": str}                        # the set translated ("the test set of <corpus>")

The BLEU page scores it like uploaded files (the same input doctor, tables and charts) until
the user clears it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

BLEU_HANDOFF_KEY = "bleu_handoff"


class HandoffError(ValueError):
    """A hand-off that does not follow the shape above; the message says what is wrong."""


def make_handoff(
    refs: Sequence[Sequence[str]],
    systems: Mapping[str, Sequence[str]],
    source: Sequence[str] | None = None,
    label: str = "translations",
) -> dict:
    """A checked hand-off dict (plain lists and str, as session state keeps them)."""
    handoff = {
        "source": None if source is None else list(source),
        "refs": [list(r) for r in refs],
        "systems": {str(k): list(v) for k, v in systems.items()},
        "label": str(label),
    }
    check_handoff(handoff)
    return handoff


def check_handoff(handoff) -> None:
    """Raise HandoffError naming the first problem: missing keys, wrong types, a line holding a
    line break, no reference or system. Line counts are left to the input doctor."""
    if not isinstance(handoff, Mapping):
        raise HandoffError(f"the hand-off must be a dict, got {type(handoff).__name__}")
    missing = [k for k in ("source", "refs", "systems", "label") if k not in handoff]
    if missing:
        raise HandoffError(f"the hand-off lacks {', '.join(missing)}")
    if not isinstance(handoff["label"], str):
        raise HandoffError("the hand-off's label must be a string")
    refs, systems = handoff["refs"], handoff["systems"]
    if not isinstance(refs, Sequence) or isinstance(refs, str) or not refs:
        raise HandoffError("the hand-off needs at least one reference (a list of lines)")
    if not isinstance(systems, Mapping) or not systems:
        raise HandoffError("the hand-off needs at least one system (name -> lines)")
    streams = [(f"reference {j + 1}", r) for j, r in enumerate(refs)]
    streams += [(f"system {name!r}", lines) for name, lines in systems.items()]
    if handoff["source"] is not None:
        streams.append(("source", handoff["source"]))
    for what, lines in streams:
        _check_lines(what, lines)


def _check_lines(what: str, lines) -> None:
    if isinstance(lines, str) or not isinstance(lines, Sequence):
        raise HandoffError(f"{what} must be a list of lines, got {type(lines).__name__}")
    for i, line in enumerate(lines):
        if not isinstance(line, str):
            raise HandoffError(f"{what} line {i + 1} is not a string")
        if "\n" in line or "\r" in line:
            raise HandoffError(f"{what} line {i + 1} holds a line break")


def describe(handoff: Mapping) -> str:
    """What was handed off, for the page's banner: the models sent and the set they translated.
    'RNN and GRU, translating 120 sentences of the test set of X; 1 reference, with the source.'"""
    names = list(handoff["systems"])
    models = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    n, n_refs = len(handoff["refs"][0]), len(handoff["refs"])
    with_source = ", with the source" if handoff["source"] is not None else ""
    return (
        f"{models}, translating {n:,} sentence{'s' * (n != 1)} of {handoff['label']}; "
        f"{n_refs} reference{'s' * (n_refs != 1)}{with_source}."
    )


def handoff_bytes(lines: Sequence[str]) -> bytes:
    """Lines as the UTF-8 file the input doctor reads (one line each)."""
    return "".join(line + "\n" for line in lines).encode("utf-8")


def handoff_names(handoff: Mapping) -> tuple[list[str], list[str], str | None]:
    """File names shown for (references, systems, source)."""
    n_refs = len(handoff["refs"])
    refs = ["reference"] if n_refs == 1 else [f"reference {j + 1}" for j in range(n_refs)]
    return refs, list(handoff["systems"]), "source" if handoff["source"] is not None else None
