"""Saved translators on the Translate page: upload <model>.json with its .npz, translate text.
A bad file is reported by name; models already loaded or trained stay."""

from __future__ import annotations

from pathlib import PurePath

import streamlit as st

from core.translate.saved import SavedModelError, model_from_json, read_json
from core.translate.train import TrainedModel
from core.translate.translator import translate_text

LOADED = "translate_loaded"  # file stem -> TrainedModel
UPLOAD_KEY = "tr_load_files"


def load_pairs(files) -> tuple[dict[str, TrainedModel], list[str]]:
    """Uploaded files -> models by stem (a .json needs its .npz) and problems by file."""
    by_stem: dict[str, dict[str, bytes]] = {}
    for f in files:
        path = PurePath(f.name)
        by_stem.setdefault(path.stem, {})[path.suffix.lower()] = f.getvalue()
    models, problems = {}, []
    for stem, parts in by_stem.items():
        if ".json" not in parts or ".npz" not in parts:
            missing = ".npz" if ".json" in parts else ".json"
            problems.append(
                f"{stem}: upload {stem}{missing} too (a saved model is a .json and its .npz)."
            )
            continue
        try:
            d = read_json(parts[".json"], f"{stem}.json")
            models[stem] = model_from_json(d, parts[".npz"], f"{stem}.json", f"{stem}.npz")
        except SavedModelError as err:
            problems.append(str(err))
    return models, problems


def section() -> None:
    files = st.file_uploader(
        "Load saved models (.json with its .npz)",
        type=["json", "npz"],
        accept_multiple_files=True,
        key=UPLOAD_KEY,
    )
    loaded = st.session_state.setdefault(LOADED, {})
    if files:
        models, problems = load_pairs(files)
        loaded.update(models)
        for p in problems:
            st.error(p, icon=":material/error:")
    if not loaded:
        return
    name = st.selectbox("Saved model", list(loaded), key="tr_loaded_pick")
    model = loaded[name]
    st.caption(
        f"{model.spec.cell} · embedding {model.spec.embed} · hidden {model.spec.hidden}"
        f" · attention {'on' if model.spec.attention else 'off'} · best dev BLEU "
        f"{model.best.dev_bleu:.2f}"
        if model.best
        else ""
    )
    text = st.text_area("Sentences to translate, one per line", key="tr_loaded_text")
    beam = st.number_input("Beam size", 1, 16, 1, key="tr_loaded_beam")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if lines:
        out = translate_text(
            model.params,
            model.spec,
            model.codec,
            lines,
            int(beam),
            max_len_ratio=model.config.max_len_ratio,
        )
        st.dataframe({"source": lines, "translation": out.text}, key="tr_loaded_out")
