"""Sweeps: a grid of training configs, trained where missing (local pool or Dask), with
success statistics over seeds. `python -m core.sweep run|results GRID.toml`."""
