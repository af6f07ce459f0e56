"""The BLEU page as a person uses it, in a real browser: upload a reference and two systems,
click a point of the A-vs-B scatter, choose an n-gram, then open every download and check what
is in it: the CSV and JSON hold sacrebleu's scores, the HTML report's and the LaTeX table's
cells read exactly as the page's tables, the chart image is the chart.

TED (compare-mt's example, anchor data: BLEU 21.71 / 23.05, p = 0.0010 / 0.0001) when present;
generated files always, named after the models (RNN, GRU) so the model colours are checked too.
"""

from __future__ import annotations

import io
import json
import math
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
import sacrebleu
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sacrebleu.metrics import BLEU

from core.bleu.reading.built_in_corpus import example_corpus
from core.cells import CELLS
from tests.e2e.test_bleu_page import ROW_HEIGHT, read_lines, upload
from tests.e2e.test_bleu_scatter import _LONE_POINT, _SCATTER, assert_score_ranges
from tests.e2e.ui import exceptions, open_app, wait_idle

pytestmark = pytest.mark.e2e

# st.dataframe draws its cells on a canvas (the DOM's cells hold the raw numbers): record every
# text drawn on each table's canvas, to check what a person reads there.
_RECORD_DRAWN_TEXT = """(() => {
  const fill = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
    const table = this.canvas && this.canvas.closest
      && this.canvas.closest('[data-testid="stDataFrame"]');
    if (table) (table.__drawn = table.__drawn || new Set()).add(String(text));
    return fill.call(this, text, ...rest); }; })()"""
_CORPUS_TABLES_DRAWN = """() => Array.from(document.querySelectorAll('[data-testid="stDataFrame"]'))
  .filter(t => { const h = t.querySelector('[role=columnheader]');
                 return h && h.innerText.trim() === 'system'; })
  .flatMap(t => Array.from(t.__drawn || []))"""


def page_tables(pg) -> dict[str, dict[str, str]]:
    """Both corpus tables (scores, tests) as the browser shows them: system -> column -> text."""
    rows: dict[str, dict[str, str]] = {}
    frames = pg.get_by_test_id("stDataFrame")
    for i in range(frames.count()):
        heads = [h.strip() for h in frames.nth(i).locator("[role=columnheader]").all_inner_texts()]
        if not heads or heads[0] != "system":
            continue
        cells = frames.nth(i).locator("[role=gridcell]").all_inner_texts()
        for k in range(0, len(cells), len(heads)):
            row = dict(zip(heads, cells[k : k + len(heads)], strict=True))
            rows.setdefault(row.pop("system"), {}).update(row)
    return rows


def download(pg, name: str, tmp_path: Path, click=None) -> tuple[str, bytes]:
    """Click a download button (or `click`); the file's suggested name and bytes. The file is
    made on click, and a click during a rerun can be lost: retried."""
    for attempt in range(3):
        wait_idle(pg)
        try:
            with pg.expect_download(timeout=60_000) as info:
                (click or pg.get_by_role("button", name=name).click)()
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return info.value.suggested_filename, target.read_bytes()


class HtmlTables(HTMLParser):
    """Every <table> of an HTML file as rows of cell texts (header rows marked 'th')."""

    def __init__(self):
        super().__init__()
        self.tables, self.row, self.cell = [], None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.row = []
            self.tables[-1].append(self.row)
        elif tag in ("td", "th"):
            self.cell = [tag]

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append((self.cell[0], "".join(self.cell[1:]).strip()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def click_scatter_point(pg) -> int:
    """Click the scatter's most isolated point; the line the page then shows (its own)."""
    pg.evaluate(_SCATTER + ".scrollIntoView({block: 'center'})")
    pg.wait_for_timeout(300)
    assert_score_ranges(pg)
    point = pg.evaluate(_LONE_POINT)
    assert point["gap"] > 6, point  # px: a click there hits this point alone
    pg.mouse.click(point["px"], point["py"])
    line_input = pg.get_by_label("Sentence (line number)")
    pg.wait_for_function(
        "v => document.querySelector('input[aria-label=\"Sentence (line number)\"]').value === v",
        arg=str(point["line"]),
    )
    wait_idle(pg)
    assert_score_ranges(pg)  # the click keeps the axes
    assert line_input.input_value() == str(point["line"])
    return point["line"]


def choose_first_ngram(pg) -> str:
    """Select the first row of the 'A better' n-gram table; the n-gram chosen."""
    frames = pg.get_by_test_id("stDataFrame")
    table = next(
        frames.nth(i)
        for i in range(frames.count())
        if "A better" in frames.nth(i).locator("[role=columnheader]").all_inner_texts()
    )
    ngram = table.locator("[role=gridcell]").first.inner_text().strip()
    for _ in range(5):
        table.scroll_into_view_if_needed()
        box = table.bounding_box()
        pg.mouse.click(box["x"] + 18, box["y"] + ROW_HEIGHT * 1.5)
        try:
            pg.get_by_text("Only sentences where").wait_for(timeout=10_000)
            break
        except PlaywrightTimeout:
            continue
    wait_idle(pg)
    return ngram


def check_ngram_filter(pg, ngram: str, systems: dict[str, list[str]]) -> None:
    """The sentence table lists exactly the lines where A or B outputs the n-gram (13a words)."""
    tokenize = BLEU().tokenizer
    lines = {
        i + 1
        for hyps in systems.values()
        for i, h in enumerate(hyps)
        if f" {ngram} " in f" {tokenize(h)} "
    }
    note = pg.get_by_text("Only sentences where").inner_text()
    assert f"“{ngram}” ({len(lines):,} lines)" in note, note
    n_total = len(next(iter(systems.values())))
    assert pg.get_by_text(f"{len(lines):,} of {n_total:,} sentences").count() == 1


def check_downloads(pg, tmp_path, refs, systems) -> None:
    shown = page_tables(pg)
    name, data = download(pg, "Per-sentence scores (CSV)", tmp_path)
    assert name == "bleu_sentences.csv"
    frame = pd.read_csv(io.BytesIO(data), keep_default_na=False, dtype={s: str for s in systems})
    for s, hyps in systems.items():
        assert list(frame[s]) == hyps
        want = [sacrebleu.sentence_bleu(h, [r]).score for h, r in zip(hyps, refs, strict=True)]
        assert frame[f"{s} bleu"].tolist() == pytest.approx(want, abs=1e-9)

    name, data = download(pg, "Everything (JSON", tmp_path)
    assert name == "bleu_analysis.json"
    for entry in json.loads(data)["systems"]:
        want = sacrebleu.corpus_bleu(systems[entry["name"]], [refs]).score
        assert math.isclose(entry["bleu"], want, abs_tol=1e-9)
        assert float(shown[entry["name"]]["BLEU"]) == pytest.approx(entry["bleu"])

    name, data = download(pg, "Report (one HTML file", tmp_path)
    assert name == "bleu_report.html"
    parsed = HtmlTables()
    parsed.feed(data.decode("utf-8"))
    head, *body = parsed.tables[0]  # the corpus table: one header row, then one per system
    assert all(kind == "th" for kind, _ in head) and head[0][1] == "system"
    columns = [text for _, text in head]
    report = {r[0][1]: dict(zip(columns[1:], [t for _, t in r[1:]], strict=True)) for r in body}
    assert set(report) == set(shown) == set(systems)
    drawn = set(pg.evaluate(_CORPUS_TABLES_DRAWN))
    for s, cells in shown.items():
        for column, raw in cells.items():
            text = report[s][column]
            assert text in drawn, (s, column, text)  # the page's table shows this very text
            assert same_number(text, raw), (s, column, text, raw)

    name, data = download(pg, "Corpus scores (LaTeX table)", tmp_path)
    assert name == "bleu_corpus.tex"
    tex = data.decode("utf-8").splitlines()
    header = next(line for line in tex if line.startswith("system &"))
    tex_columns = [c.strip().replace("\\", "") for c in header.removesuffix(r"\\").split(" & ")]
    for s, cells in shown.items():
        row = next(line for line in tex if line.startswith(s.replace("_", r"\_") + " &"))
        values = dict(zip(tex_columns, row.removesuffix(r"\\").split(" & "), strict=True))
        assert {c: values[c].strip().replace("\\", "") for c in cells} == {
            c: report[s][c] for c in cells
        }  # as in the HTML report, so as on the page

    scatter = pg.locator(".js-plotly-plot").filter(has_text="Sentence BLEU, B vs A")
    scatter.hover()
    camera = scatter.locator(".modebar-btn[data-title^='Download plot']")
    name, data = download(pg, "", tmp_path, click=camera.click)
    assert name == "bleu_sentence_scatter.svg"
    assert data.lstrip().startswith(b"<svg") and b"Sentence BLEU, B vs A" in data


def same_number(text: str, raw: str) -> bool:
    """A cell's text is the table's value as written: equal text, or the number rounded to the
    text's decimals."""
    if text == raw:
        return True
    try:
        decimals = len(text.partition(".")[2])
        return math.isclose(float(text), round(float(raw), decimals), abs_tol=1e-12)
    except ValueError:
        return False


def journey(pg, app_url, tmp_path, ref: Path, system_paths: list[Path]) -> dict:
    """The whole journey; the corpus tables' values (system -> column -> value as in the DOM)."""
    refs = read_lines(ref)
    systems = {p.name: read_lines(p) for p in system_paths}
    pg.add_init_script(_RECORD_DRAWN_TEXT)
    open_app(pg, app_url, "bleu")
    upload(pg, ref, system_paths)
    shown = page_tables(pg)
    for s, hyps in systems.items():
        assert float(shown[s]["BLEU"]) == pytest.approx(sacrebleu.corpus_bleu(hyps, [refs]).score)
    click_scatter_point(pg)
    ngram = choose_first_ngram(pg)
    check_ngram_filter(pg, ngram, systems)
    check_downloads(pg, tmp_path, refs, systems)
    assert not exceptions(pg)
    return shown


def test_journey_on_ted(page, app_url, ted_dir, tmp_path):
    ref = ted_dir / "ted.ref.detok.eng"
    paths = [ted_dir / "ted.sys1.detok.eng", ted_dir / "ted.sys2.detok.eng"]
    shown = journey(page, app_url, tmp_path, ref, paths)
    expected = json.loads((ted_dir / "expected_values.json").read_text())
    corpus = expected["corpus"]["detok_files_tok_13a"]
    tests = expected["significance"]["detok_files_tok_13a"]
    for system, path in zip(("sys1", "sys2"), paths, strict=True):
        assert round(float(shown[path.name]["BLEU"]), 2) == round(corpus[system]["bleu"], 2)
    sys2 = shown[paths[1].name]
    assert sys2["p (bootstrap)"] == f"{tests['paired_bs_n1000_seed12345']['p']:.4f}" == "0.0010"
    assert sys2["p (AR)"] == f"{tests['paired_ar_n10000_seed12345']['p']:.4f}" == "0.0001"


def test_journey_on_generated_files_named_after_the_models(page, app_url, tmp_path):
    corpus = example_corpus(n_segments=150, seed=17)
    files = {"ref.txt": corpus.references[0], "RNN": corpus.systems["weak"]}
    files["GRU"] = corpus.systems["strong"]
    for name, lines in files.items():
        (tmp_path / name).write_text("".join(f"{s}\n" for s in lines), encoding="utf-8")
    journey(page, app_url, tmp_path, tmp_path / "ref.txt", [tmp_path / "RNN", tmp_path / "GRU"])
    wait_idle(page)
    colours = page.wait_for_function(
        """() => { const g = Array.from(document.querySelectorAll('.js-plotly-plot')).find(
             g => g._fullLayout && (g._fullLayout.title.text || '').replace(/<[^>]*>/g, '')
               .startsWith('Corpus scores'));
           return g && g._fullData.map(t => [t.name, t.marker.color]); }"""
    ).json_value()
    assert dict(colours) == {"RNN (baseline)": CELLS["rnn"].colour, "GRU": CELLS["gru"].colour}
