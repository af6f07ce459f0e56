"""`python -m core.sweep run|results GRID.toml` (see core.sweep.cli)."""

import sys

from core.sweep.cli import main

if __name__ == "__main__":
    sys.exit(main())
