"""The experiment command line, `python -m experiments --spec S --out O --threads N`: runs one spec through experiments/lib/runner.py (DESIGN.md "Artefacts")."""

import sys

from experiments.lib.runner import main

sys.exit(main())
