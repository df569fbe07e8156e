"""The experiment command line, `python -m experiments --spec S --out O --threads N` (or --spec-json TEXT): runs one spec through experiments/lib/runner.py."""

import sys

from experiments.lib.runner import main

sys.exit(main())
