"""The dashboard's shape: app.py declares the pages, each page is a package with its script."""

from pathlib import Path

import pytest

DASHBOARD = Path(__file__).resolve().parents[1] / "dashboard"
PAGES = ("train", "sweeps", "gradients", "gates", "translate", "bleu")


def test_no_page_module_beside_the_app():
    loose = sorted(
        p.name for p in DASHBOARD.glob("*.py") if p.name not in ("app.py", "__init__.py")
    )
    assert loose == [], f"modules at dashboard/ top level: {loose}"


def test_the_packages_are_views_session_and_shared():
    packages = sorted(p.name for p in DASHBOARD.iterdir() if (p / "__init__.py").exists())
    assert packages == ["session", "shared", "views"]


@pytest.mark.parametrize("page", PAGES)
def test_each_page_is_a_package_with_its_script(page):
    package = DASHBOARD / "views" / page
    assert (package / "__init__.py").is_file() and (package / f"{page}.py").is_file()
    assert f'page("{page}", ' in (DASHBOARD / "app.py").read_text()  # in the navigation


def test_every_page_package_is_in_the_navigation():
    views = (DASHBOARD / "views").iterdir()
    shown = sorted(p.name for p in views if (p / f"{p.name}.py").exists())
    assert shown == sorted(PAGES)
