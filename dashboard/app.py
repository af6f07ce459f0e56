"""Gatescope dashboard entry point; run `python -m streamlit run dashboard/app.py` from the root."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run` puts dashboard/ on the path, not the repo root
    sys.path.insert(0, str(ROOT))
VIEWS = Path(__file__).parent / "views"
ICON = Path(__file__).parent / "assets" / "favicon.svg"  # inline: the tab icon needs no network
# Pages whose first view the warm-up thread builds once per server (each module has
# warm_first_view(run_id, run)); named, not imported: they load in that thread.
FIRST_VIEWS = (
    "dashboard.views.gradients.figures",
    "dashboard.views.gates.figures",
    "dashboard.views.bleu.warm",
)


def main() -> None:
    import streamlit as st

    from dashboard.session.state import start_default
    from dashboard.session.warm_up import warm_default_views
    from dashboard.shared import presentation

    def page(name: str, title: str, icon: str, **options):
        """One page: the package views/<name>/, its script <name>.py, at the URL /<name>."""
        script = VIEWS / name / f"{name}.py"
        return st.Page(script, title=title, icon=f":material/{icon}:", url_path=name, **options)

    st.set_page_config(page_title="Gatescope", page_icon=str(ICON), layout="wide")
    show_default = (  # pages that show the default experiment while no other run is current
        page("train", "Train", "model_training", default=True),
        page("gradients", "Gradient flow", "trending_down"),
        page("gates", "Gates", "tune"),
    )
    pages = {
        "Recurrent networks": [*show_default, page("sweeps", "Sweeps", "grid_on")],
        "Translation": [
            page("translate", "Translate", "g_translate"),
            page("bleu", "BLEU breakdown", "translate"),
        ],
    }
    page = st.navigation(pages)
    if page in show_default:
        start_default()  # its training starts now, not after the page's own imports
    page.run()
    presentation.controls()  # after the page, so the Train form's button stays in view
    warm_default_views(FIRST_VIEWS)  # once per server: a first visit of those pages reads a cache


# Streamlit runs this file as __main__. A worker process spawned while it runs (training, BLEU
# extraction) first runs its parent's main file under the name __mp_main__ (multiprocessing's
# spawn start): the guard keeps the app, and its imports, out of every worker.
if __name__ == "__main__":
    main()
