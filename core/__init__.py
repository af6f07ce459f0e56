"""Gatescope core: numpy RNN/GRU engine, long-range tasks, gradient analysis and BLEU tooling.

This package never imports streamlit or plotly: it is usable from a notebook or the CLI.
"""
