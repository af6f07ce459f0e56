"""`python -m core.train`: the command line in core.train.cli."""

import sys

from core.train.cli import main

sys.exit(main())
