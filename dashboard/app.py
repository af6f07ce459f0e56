"""Gatescope dashboard entry point; run `python -m streamlit run dashboard/app.py` from the root."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run` puts dashboard/ on the path, not the repo root
    sys.path.insert(0, str(ROOT))
VIEWS = Path(__file__).parent / "views"
ICON = Path(__file__).parent / "assets" / "favicon.svg"  # inline: the tab icon needs no network


def main() -> None:
    import streamlit as st

    from dashboard import presentation
    from dashboard.runs.state import start_default
    from dashboard.runs.warm_up import warm_default_views

    st.set_page_config(page_title="Gatescope", page_icon=str(ICON), layout="wide")
    show_default = (  # pages that show the default experiment while no other run is current
        st.Page(VIEWS / "train.py", title="Train", icon=":material/model_training:", default=True),
        st.Page(VIEWS / "gradients.py", title="Gradient flow", icon=":material/trending_down:"),
        st.Page(VIEWS / "gates.py", title="Gates", icon=":material/tune:"),
    )
    pages = {
        "Recurrent networks": [
            *show_default,
            st.Page(VIEWS / "sweeps.py", title="Sweeps", icon=":material/grid_on:"),
        ],
        "Translation": [
            st.Page(VIEWS / "translate.py", title="Translate", icon=":material/g_translate:"),
            st.Page(VIEWS / "bleu.py", title="BLEU breakdown", icon=":material/translate:"),
        ],
    }
    page = st.navigation(pages)
    if page in show_default:
        start_default()  # its training starts now, not after the page's own imports
    page.run()
    presentation.controls()  # after the page, so the Train form's button stays in view
    warm_default_views()  # once per server: the first Gradient flow / Gates visit reads a cache


# Streamlit runs this file as __main__. A worker process spawned while it runs (training, BLEU
# extraction) first runs its parent's main file under the name __mp_main__ (multiprocessing's
# spawn start): the guard keeps the app, and its imports, out of every worker.
if __name__ == "__main__":
    main()
