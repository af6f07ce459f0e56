"""Where runs live: the bounded .npz reader every loader uses, and the SQLite run store."""
