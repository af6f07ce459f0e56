"""A training run outside the process: run files (JSON + .npz), their limits, and the run store's
training records."""
