"""User text in Streamlit markdown is shown as typed. The oracle is markdown-it-py, a CommonMark
reference implementation: the escaped text renders to exactly the original characters."""

from __future__ import annotations

import html
import random
import re

from markdown_it import MarkdownIt

from dashboard.shared.text import html_text, plain, settings_table

NASTY = [
    "**bold**.txt",
    "_under_score_.txt",
    "$x^2$ and $5 or $10",
    ":smile: :material/error: icon",
    "[link](http://example.com)",
    "# heading",
    "- item",
    "1. item",
    "> quote",
    "`code`",
    "a\\b\\\\c",
    "<b>tag</b> & <script>alert(1)</script>",
    "~~strike~~ | pipe | ~tilde~",
    "!image![x](y)",
    "{braces} +plus+ -minus- .dot.",
]
ALPHABET = "ab *_$:[]()#+-.!|~<>`\\{}&\"'"


def random_texts(n: int = 300, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    return [
        "x" + "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 20))) + "x"
        for _ in range(n)
    ]


def rendered_text(markdown: str, *, html_on: bool = False) -> str:
    """The text a CommonMark renderer shows for one paragraph (tags stripped, entities decoded)."""
    md = MarkdownIt("commonmark", {"html": html_on})
    out = md.render(markdown)
    assert out.startswith("<p>") and out.endswith("</p>\n"), out  # one plain paragraph
    return html.unescape(re.sub(r"<[^>]*>", "", out[3:-5]))


def test_plain_renders_as_typed():
    for text in NASTY + random_texts():
        out = MarkdownIt("commonmark").render(plain(text))
        assert not re.search(r"<(em|strong|a|code|h\d|ul|ol|blockquote)\b", out[3:]), text
        assert rendered_text(plain(text)) == text


def test_html_text_inside_a_span_renders_as_typed():
    for text in NASTY + random_texts(seed=1):
        markdown = f'<span title="t">{html_text(text)}</span>'
        out = MarkdownIt("commonmark", {"html": True}).render(markdown)
        assert out.count("<") == 4, text  # <p>, <span ...>, </span>, </p>: none from the text
        assert rendered_text(markdown, html_on=True) == text


def test_nothing_left_for_latex_or_icon_shortcodes():
    """Streamlit adds $...$ math and :shortcode: icons to CommonMark; neither survives escaping."""
    for text in NASTY:
        assert not re.search(r"(?<!\\)[$:]", plain(text)), text
        assert "$" not in html_text(text) and ":" not in html_text(text), text


def test_settings_table_shows_every_setting_and_value_as_typed():
    values = {"lr_schedule": "anneal", "models": ("rnn", "gru"), "note": "a|b *c* $x$", "lr": 0.01}
    out = MarkdownIt("commonmark").enable("table").render(settings_table(values))
    cells = [html.unescape(re.sub(r"<[^>]*>", "", c)) for c in re.findall(r"<td>(.*?)</td>", out)]
    assert cells == [
        "lr_schedule",
        "anneal",
        "models",
        "rnn, gru",
        "note",
        "a|b *c* $x$",
        "lr",
        "0.01",
    ]
