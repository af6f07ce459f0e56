"""The BLEU page in a real browser: upload a reference and two systems through the file inputs,
read the corpus BLEU shown, select a sentence in the table and see its matched n-grams, download
the per-sentence CSV. Every expected number comes from sacrebleu, computed here.

TED (compare-mt's example, anchor data) when present; the same scenario on generated files always.
"""

from __future__ import annotations

import io
import json
import math
import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest
import sacrebleu
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sacrebleu.metrics import BLEU

from core.bleu.reading.built_in_corpus import example_corpus
from tests.e2e.ui import alerts, exceptions, figures, open_app, put_files, uploader, wait_idle

pytestmark = pytest.mark.e2e

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"
ROW_HEIGHT = 35  # px, st.dataframe's default row (and header) height
_HIGHLIGHTS = """() => Array.from(document.querySelectorAll('[data-testid="stMarkdownContainer"]'))
  .filter(d => d.innerHTML.includes('<b>hypothesis</b>'))
  .map(d => { const div = d.querySelector('div'); const out = []; let side = null;
    for (const node of div.childNodes) {
      if (node.nodeName === 'B') side = node.textContent;
      else if (node.nodeName === 'SPAN') out.push([side, node.textContent, node.title]);
    }
    return out; })"""

_PAIR_TEXT = """() => Array.from(document.querySelectorAll('[data-testid="stMarkdownContainer"]'))
  .filter(d => d.innerHTML.includes('<b>hypothesis</b>'))[0].innerText"""


def read_lines(path: Path) -> list[str]:
    """As sacrebleu's command line reads a file."""
    return [line.rstrip() for line in path.read_text(encoding="utf-8").split("\n")[:-1]]


def upload(pg, ref: Path, systems: list[Path]) -> None:
    put_files(pg, "Reference file", [ref])
    put_files(pg, "System outputs", systems)
    wait_for_scores(pg, [p.name for p in systems])
    assert not exceptions(pg) and not alerts(pg), alerts(pg)


def wait_for_scores(pg, names: list[str]) -> None:
    """Until the corpus table lists exactly these systems."""
    pg.wait_for_function(
        """names => Array.from(document.querySelectorAll('[data-testid="stDataFrame"]')).some(t => {
          const heads = t.querySelectorAll('[role=columnheader]');
          if (!heads.length || heads[0].innerText.trim() !== 'system') return false;
          const cells = Array.from(t.querySelectorAll('[role=gridcell]')).map(c => c.innerText);
          return names.every(n => cells.includes(n)); })""",
        arg=names,
    )
    wait_idle(pg)


def grid(pg, first_column: str):
    """The st.dataframe whose first column header is `first_column`."""
    frames = pg.get_by_test_id("stDataFrame")
    for i in range(frames.count()):
        heads = frames.nth(i).locator("[role=columnheader]").all_inner_texts()
        if heads and heads[0].strip() == first_column:
            return frames.nth(i)
    raise AssertionError(f"no table starting with column {first_column!r}")


def corpus_rows(pg) -> dict[str, dict[str, str]]:
    """The corpus table as the browser holds it: system -> column -> cell text."""
    table = grid(pg, "system")
    heads = [h.strip() for h in table.locator("[role=columnheader]").all_inner_texts()]
    cells = table.locator("[role=gridcell]").all_inner_texts()
    rows = [cells[i : i + len(heads)] for i in range(0, len(cells), len(heads))]
    return {r[0]: dict(zip(heads, r, strict=True)) for r in rows}


def check_corpus_bleu(pg, refs: list[str], systems: dict[str, list[str]]) -> None:
    rows = corpus_rows(pg)
    bars = [f for f in figures(pg) if f["title"].startswith("Corpus scores")]
    assert bars, [f["title"] for f in figures(pg)]
    for name, hyps in systems.items():
        expected = sacrebleu.corpus_bleu(hyps, [refs]).score
        assert math.isclose(float(rows[name]["BLEU"]), expected, abs_tol=1e-9)
        (bar,) = [t for t in bars[0]["traces"] if t["name"].split(" (")[0] == name]
        assert math.isclose(bar["y"][0], expected, abs_tol=1e-9)
    baseline = next(iter(systems))
    note = [a for a in alerts(pg, "Info") if "Mean sentence BLEU is not corpus BLEU" in a]
    shown = f"{sacrebleu.corpus_bleu(systems[baseline], [refs]).score:.2f}"
    assert note and f"For {baseline}: corpus BLEU {shown}" in note[0]


def select_sentence_row(pg, row: int) -> int:
    """Click the row marker of the sentence table's row (0-based); returns the line shown.
    The table is a canvas, so the click goes to coordinates; retried if layout was moving."""
    table = grid(pg, "line")
    for _ in range(5):
        table.scroll_into_view_if_needed()
        pg.wait_for_timeout(300)
        box = table.bounding_box()
        pg.mouse.click(box["x"] + 18, box["y"] + ROW_HEIGHT * (row + 1) + ROW_HEIGHT / 2)
        try:
            pg.wait_for_function(
                "v => document.querySelector("
                "'input[aria-label=\"Sentence (line number)\"]').value === v",
                arg=str(row + 1),
                timeout=10_000,
            )
            break
        except PlaywrightTimeout:
            continue
    wait_idle(pg)
    return int(pg.get_by_label("Sentence (line number)").input_value())


def check_highlighting(pg, line: int, refs: list[str], systems: dict[str, list[str]]) -> None:
    seg = line - 1
    texts = pg.get_by_test_id("stMarkdownContainer").filter(has_text="sentence BLEU")
    shown = " ".join(texts.all_inner_texts())
    spans_per_system = pg.evaluate(_HIGHLIGHTS)
    assert len(spans_per_system) == len(systems)
    tokenize = BLEU().tokenizer
    ref_tokens = set(tokenize(refs[seg]).split())
    for (name, hyps), spans in zip(systems.items(), spans_per_system, strict=True):
        stats = sacrebleu.sentence_bleu(hyps[seg], [refs[seg]])
        assert f"{name}: sentence BLEU {stats.score:.2f}" in shown
        hyp_spans = [(tok, title) for side, tok, title in spans if side == "hypothesis"]
        orders = [int(re.search(r"(\d+)-gram", title).group(1)) for _, title in hyp_spans]
        highest = max((n + 1 for n, c in enumerate(stats.counts) if c), default=0)
        assert max(orders, default=0) == highest  # longest match coloured as such
        assert all(tok in ref_tokens for tok, _ in hyp_spans)  # only reference words lit
        assert (len(hyp_spans) > 0) == (stats.counts[0] > 0)


def check_csv(pg, tmp_path: Path, refs: list[str], systems: dict[str, list[str]]) -> None:
    wait_idle(pg)
    button = pg.get_by_role("button", name="Per-sentence scores (CSV)")
    for attempt in range(3):  # the file is made on click; a click during a rerun can be lost
        try:
            with pg.expect_download(timeout=30_000) as info:
                button.click()
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            wait_idle(pg)
    assert info.value.suggested_filename == "bleu_sentences.csv"  # short, says what it holds
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    texts = {c: str for c in ("reference", *systems)}
    frame = pd.read_csv(io.BytesIO(target.read_bytes()), keep_default_na=False, dtype=texts)
    assert len(frame) == len(refs) and list(frame["line"]) == list(range(1, len(refs) + 1))
    assert list(frame["reference"]) == refs
    for name, hyps in systems.items():
        assert list(frame[name]) == hyps
        expected = [sacrebleu.sentence_bleu(h, [r]).score for h, r in zip(hyps, refs, strict=True)]
        assert frame[f"{name} bleu"].tolist() == pytest.approx(expected, abs=1e-9)


def scenario(pg, app_url, tmp_path, ref: Path, system_paths: list[Path]) -> None:
    refs = read_lines(ref)
    systems = {p.name: read_lines(p) for p in system_paths}
    open_app(pg, app_url, "bleu")
    upload(pg, ref, system_paths)
    check_corpus_bleu(pg, refs, systems)
    line = select_sentence_row(pg, 2)
    assert line == 3  # rows are in line order: the third row is line 3
    check_highlighting(pg, line, refs, systems)
    check_csv(pg, tmp_path, refs, systems)
    assert not exceptions(pg)


def test_ted_upload_scores_highlights_and_csv(page, app_url, ted_dir, tmp_path):
    ref = ted_dir / "ted.ref.detok.eng"
    systems = [ted_dir / "ted.sys1.detok.eng", ted_dir / "ted.sys2.detok.eng"]
    scenario(page, app_url, tmp_path, ref, systems)
    expected = json.loads((ted_dir / "expected_values.json").read_text())
    expected = expected["corpus"]["detok_files_tok_13a"]
    rows = corpus_rows(page)  # also the anchor's published values (21.71 and 23.05)
    for system in ("sys1", "sys2"):
        shown = float(rows[f"ted.{system}.detok.eng"]["BLEU"])
        assert round(shown, 2) == round(expected[system]["bleu"], 2)


def test_generated_upload_scores_highlights_and_csv(page, app_url, tmp_path):
    corpus = example_corpus(n_segments=120, seed=11)
    files = {
        "gen.ref.txt": corpus.references[0],
        "gen.strong.txt": corpus.systems["strong"],
        "gen.weak.txt": corpus.systems["weak"],
    }
    for name, lines in files.items():
        (tmp_path / name).write_text("".join(f"{s}\n" for s in lines), encoding="utf-8")
    systems = [tmp_path / "gen.strong.txt", tmp_path / "gen.weak.txt"]
    scenario(page, app_url, tmp_path, tmp_path / "gen.ref.txt", systems)


def test_file_beyond_the_upload_cap_is_refused_by_name_and_others_stay(page, app_url, tmp_path):
    """The cap set in .streamlit/config.toml, enforced where a user meets it: in the browser."""
    cap_mb = tomllib.loads(CONFIG.read_text())["server"]["maxUploadSize"]
    corpus = example_corpus(n_segments=60, seed=5)
    ref, good, big = tmp_path / "ref.txt", tmp_path / "good.txt", tmp_path / "huge.txt"
    ref.write_text("".join(f"{s}\n" for s in corpus.references[0]), encoding="utf-8")
    good.write_text("".join(f"{s}\n" for s in corpus.systems["medium"]), encoding="utf-8")
    line = b"a perfectly ordinary line of text\n"
    big.write_bytes(line * ((cap_mb + 1) * 1024 * 1024 // len(line) + 1))
    open_app(page, app_url, "bleu")
    upload(page, ref, [good])
    before = corpus_rows(page)
    uploader(page, "System outputs").set_input_files(str(big))
    chips = page.get_by_test_id("stFileUploader").filter(has_text="System outputs")
    chips.get_by_text(f"File must be {cap_mb:.1f}MB or smaller").wait_for(timeout=30_000)
    assert "huge.txt" in chips.inner_text() and "good.txt" in chips.inner_text()
    wait_idle(page)
    assert not exceptions(page)
    assert corpus_rows(page) == before  # the loaded files are still scored, nothing else


def test_markdown_in_names_and_sentences_is_shown_as_typed(page, app_url, tmp_path):
    """A file name or sentence with markdown, LaTeX or icon syntax reads exactly as typed."""
    corpus = example_corpus(n_segments=30, seed=3)
    refs, hyps = list(corpus.references[0]), list(corpus.systems["medium"])
    hyps[0] = "it costs $5 and $10 , *really* : smile : " + hyps[0]
    ref, odd = tmp_path / "ref.txt", tmp_path / "**bold**_$x$_:smile:.txt"
    ref.write_text("".join(f"{s}\n" for s in refs), encoding="utf-8")
    odd.write_text("".join(f"{s}\n" for s in hyps), encoding="utf-8")
    open_app(page, app_url, "bleu")
    upload(page, ref, [odd])
    main = page.get_by_test_id("stMain")
    assert odd.name in corpus_rows(page)
    assert f"{odd.name}: sentence BLEU" in main.inner_text()  # the detail of line 1
    pair = page.evaluate(_PAIR_TEXT)
    assert f"hypothesis: {BLEU().tokenizer(hyps[0])}" in pair  # tokens as BLEU sees them
    assert main.locator(".katex").count() == 0  # no $...$ became maths


_OVERLAPS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(plot => {
  const box = sel => Array.from(plot.querySelectorAll(sel)).map(e => e.getBoundingClientRect())
    .filter(r => r.width > 0 && r.height > 0);
  const hit = (a, b) =>
    a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const legend = box('.legend .bg'), titles = box('.gtitle'), axes = box('.xtitle, .ytitle');
  const plotBox = plot.getBoundingClientRect();
  return {title: (plot.querySelector('.gtitle') || {}).textContent || '',
          legendOverTitle: legend.some(l => titles.some(t => hit(l, t))),
          legendOverAxisTitle: legend.some(l => axes.some(t => hit(l, t))),
          titleCut: titles.some(t => t.right > plotBox.right + 1 || t.left < plotBox.left - 1)};
})"""


def test_six_systems_with_forty_character_names_lay_out_cleanly(page, app_url, tmp_path):
    """WMT17-style file names: no legend over a title or an axis title, no title cut off, a
    short name in each legend (the full name in the corpus table); screenshot kept."""
    corpus = example_corpus(n_segments=40, seed=9)
    ref = tmp_path / "newstest2017-ende-ref.de"
    ref.write_text("".join(f"{s}\n" for s in corpus.references[0]), encoding="utf-8")
    base = list(corpus.systems.values())
    paths = []
    for k, team in enumerate(
        [
            "LMU-nmt-rerank",
            "KIT-ensemble",
            "uedin-nmt-big",
            "online-B",
            "C-3MA-system",
            "TALP-UPC-nmt",
        ]
    ):
        path = tmp_path / f"newstest2017.{team:-<16.16}.49{k:02d}.en-de"
        lines = base[k % 3][k:] + base[k % 3][:k]
        path.write_text("".join(f"{s}\n" for s in lines), encoding="utf-8")
        paths.append(path)
    assert all(len(p.name) == 40 for p in paths)
    page.set_viewport_size({"width": 1400, "height": 1000})
    open_app(page, app_url, "bleu")
    upload(page, ref, paths)
    assert set(corpus_rows(page)) == {p.name for p in paths}
    layouts = page.evaluate(_OVERLAPS)
    assert len(layouts) >= 6
    for layout in layouts:
        assert not layout["legendOverTitle"], layout
        assert not layout["legendOverAxisTitle"], layout
        assert not layout["titleCut"], layout
    names = [t["name"] for f in figures(page) for t in f["traces"] if t.get("name")]
    assert not any(p.name in n for n in names for p in paths)  # legends: short names
    assert not exceptions(page)
