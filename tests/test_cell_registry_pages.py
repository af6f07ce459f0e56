"""Every registered cell, trained through the Train form, renders on every page: the pages ask
the registry, so a new cell needs no page edits (AppTest, tiny sizes)."""

from __future__ import annotations

import pytest

from core.cells import CELLS, cell_names
from tests import apptest_helpers as ui

pytestmark = pytest.mark.slow  # trains every cell through the app

PAGES = ("views/train/train.py", "views/gradients/gradients.py", "views/gates/gates.py")


@pytest.fixture(scope="module")
def trained_all():
    import os

    os.environ["GATESCOPE_FAST_DEFAULT"] = "1"
    try:
        at = ui.boot()
        at.multiselect(key="train_models").set_value(list(cell_names()))
        for key, value in {"train_length": 6, "train_steps": 6, "train_hidden": 4}.items():
            at.number_input(key=key).set_value(value)
        ui.finish_jobs(at.button[0].click().run())
        assert not at.exception and not at.error, (at.exception, ui.errors(at))
        yield at
    finally:
        os.environ.pop("GATESCOPE_FAST_DEFAULT", None)


def test_the_form_trains_every_registered_cell(trained_all):
    run = ui.current_run(trained_all)
    assert run.config.models == cell_names() and set(run.models) == set(CELLS)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_every_cell(trained_all, page):
    at = ui.open_page(page, trained_all)
    assert not at.exception and not at.error, (at.exception, ui.errors(at))
    text = " ".join(
        [
            *(m.value for m in at.markdown),
            *(s.value for s in at.subheader),
            *(c.value for c in at.caption),
            *ui.metrics(at),
        ]
    )
    if page == "views/gates/gates.py":
        for name in cell_names():
            at.radio(key="gates_model").set_value(name).run()
            assert not at.exception and not at.error, (name, at.exception, ui.errors(at))
    else:
        missing = [n for n in cell_names() if CELLS[n].label not in text]
        assert not missing, (missing, text[:500])
