"""User-supplied text (file names, system names, messages quoting them) shown in Streamlit's
markdown as typed: every character markdown, LaTeX or icon shortcodes would act on is escaped."""

from __future__ import annotations

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:])")


def plain(text: str) -> str:
    """'**x**.txt' -> '\\*\\*x\\*\\*\\.txt': displayed literally, not as bold, math or an icon."""
    return _MARKDOWN.sub(r"\\\1", text)


_HTML_SPECIAL = set("&<>\"'") | set(r"\`*_{}[]()#+-.!|~$:")


def html_text(text: str) -> str:
    """Text for HTML inside st.markdown: every character HTML or markdown would act on becomes a
    numeric entity, so '$5 and $10' stays text (not LaTeX) and '<b>' stays visible."""
    return "".join(f"&#{ord(c)};" if c in _HTML_SPECIAL else c for c in text)


def settings_table(values: dict) -> str:
    """{"task": "recall", "models": ["rnn", "gru"]} -> a two-column markdown table (setting,
    value), every name and value shown as typed."""
    rows = [f"| {plain(str(k))} | {plain(_value(v))} |" for k, v in values.items()]
    return "\n".join(["| setting | value |", "|---|---|", *rows])


def _value(v) -> str:
    return ", ".join(map(str, v)) if isinstance(v, list | tuple) else str(v)
