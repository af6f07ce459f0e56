"""HTML for one sentence pair: tokens coloured by the highest order of matched n-gram covering
them. Every piece of user text is entity-encoded (dashboard.shared.text.html_text) before it
reaches st.markdown, so neither HTML nor markdown nor LaTeX in a sentence is acted on."""

from __future__ import annotations

from core.bleu.breakdowns.matched_ngrams import MatchedNgrams, matched_ngrams
from core.bleu.settings import BleuSettings
from dashboard.shared.text import html_text
from dashboard.views.bleu.charts.scores import ORDER_COLOURS

SPAN = (
    '<span style="background-color:{colour};border-radius:3px;padding:0 2px" '
    'title="in a matched {order}-gram">{token}</span>'
)


def order_colour(order: int) -> str:
    return ORDER_COLOURS[(order - 1) % len(ORDER_COLOURS)]


def search_hit(token: str, words: list[str]) -> bool:
    """Does the token contain one of the search words (case-insensitive)?"""
    low = token.lower()
    return any(w in low for w in words)


def tokens_html(tokens: tuple[str, ...] | list[str], orders: list[int], query: str = "") -> str:
    """Tokens joined by spaces; a token in a matched n-gram gets its highest order's colour,
    a token holding a word of the search query is marked (<mark>)."""
    words = [w for w in query.lower().split() if w]
    parts = []
    for token, order in zip(tokens, orders, strict=True):
        text = html_text(token)
        if words and search_hit(token, words):
            text = f'<mark title="search hit">{text}</mark>'
        parts.append(
            SPAN.format(colour=order_colour(order), order=order, token=text) if order else text
        )
    return " ".join(parts) or "<i>(empty)</i>"


def legend_html(max_order: int) -> str:
    items = [
        SPAN.format(colour=order_colour(n), order=n, token=f"{n}-gram")
        for n in range(1, max_order + 1)
    ]
    return (
        "Matched n-grams, coloured by the longest match covering each token: "
        + " ".join(items)
        + " (tokens as BLEU sees them after tokenization)"
    )


def pair_html(
    matched: MatchedNgrams, ref_names: list[str], query: str = "", hyp_name: str = "hypothesis"
) -> str:
    """Hypothesis and each reference, one line each, matched tokens highlighted."""
    hyp = tokens_html(matched.hyp_tokens, matched.hyp_highest_order(), query)
    lines = [f"<b>{html_text(hyp_name)}</b>: {hyp}"]
    for j, tokens in enumerate(matched.ref_tokens):
        name = html_text(ref_names[j] if j < len(ref_names) else f"reference {j + 1}")
        lines.append(f"<b>{name}</b>: {tokens_html(tokens, matched.ref_highest_order(j), query)}")
    return "<div style='line-height:1.9'>" + "<br>".join(lines) + "</div>"


def highlight_pair(
    hyp: str,
    refs: list[str],
    settings: BleuSettings,
    ref_names: list[str] | None = None,
    query: str = "",
    hyp_name: str = "hypothesis",
) -> tuple[str, MatchedNgrams]:
    """(HTML, matches) for one hypothesis against its references."""
    matched = matched_ngrams(hyp, refs, settings)
    names = ref_names or (
        ["reference"] if len(refs) == 1 else [f"reference {j + 1}" for j in range(len(refs))]
    )
    return pair_html(matched, names, query, hyp_name), matched
