"""Long work off the caller's thread: training jobs in spawned worker processes."""
