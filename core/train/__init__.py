"""Training: the run configuration, the task registry, the model (a cell plus a readout), the
loss, the optimizers, the training loop, results and run files. `python -m core.train` is the
command line."""
