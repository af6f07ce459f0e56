"""Where runs live: the SQLite run store (index and weights files) and its records."""
