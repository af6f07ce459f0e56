"""Gatescope dashboard entry point; run `python -m streamlit run dashboard/app.py` from the root."""

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run` puts dashboard/ on the path, not the repo root
    sys.path.insert(0, str(ROOT))

from dashboard import presentation  # noqa: E402  (needs the path above)
from dashboard.runs.warm_up import warm_default_views  # noqa: E402

st.set_page_config(page_title="Gatescope", page_icon=":material/insights:", layout="wide")

VIEWS = Path(__file__).parent / "views"
pages = {
    "Recurrent networks": [
        st.Page(VIEWS / "train.py", title="Train", icon=":material/model_training:", default=True),
        st.Page(VIEWS / "gradients.py", title="Gradient flow", icon=":material/trending_down:"),
        st.Page(VIEWS / "gates.py", title="Gates", icon=":material/tune:"),
        st.Page(VIEWS / "sweeps.py", title="Sweeps", icon=":material/grid_on:"),
    ],
    "Translation": [
        st.Page(VIEWS / "translate.py", title="Translate", icon=":material/g_translate:"),
        st.Page(VIEWS / "bleu.py", title="BLEU breakdown", icon=":material/translate:"),
    ],
}
navigation = st.navigation(pages)
navigation.run()
presentation.controls()  # after the page, so the Train form's button stays in view
warm_default_views()  # once per server: the first Gradient flow / Gates visit reads a cache
