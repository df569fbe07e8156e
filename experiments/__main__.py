"""The experiment command line, `python -m experiments --spec S --out O --threads N` (or --spec-json TEXT): runs one spec through experiments/lib/runner.py, in a fork of the pipeline's fork server when one is running (experiments/lib/forkserver.py)."""

import sys

from experiments.lib.forkserver import delegate

status = delegate(sys.argv[1:])
if status is None:  # no server: run it here (imports torch)
    from experiments.lib.runner import main

    status = main()
sys.exit(status)
