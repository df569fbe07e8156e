"""A long run survives a SIGTERM (Slurm's time limit or preemption): it saves its state and exits 143, and its rerun resumes from the checkpoint and ends bit for bit as an uninterrupted run, having done less work."""

import json
import os
import re
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
import torch

import artefacts
from experiments.lib.checkpoint import Checkpoint, Interrupted, Pieces, install_sigterm_handler
from theory import registry

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _spec(claim: str, run: str, **params) -> str:
    spec = registry.spec(claim, run, "test", 20261122, "cpu")
    spec["params"].update(params)
    return json.dumps(spec)


def _run(spec: str, out, sigterm_after_progress: bool = False) -> tuple[int, str]:
    """python -m experiments on a spec; with sigterm_after_progress, SIGTERM as soon as the run logs progress."""
    env = {**os.environ, "PYTHONPATH": ROOT, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "experiments", "--spec-json", spec, "--out", str(out)],
                            stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    lines = []
    for line in proc.stderr:
        lines.append(line)
        done = re.search(r": (\d+)% \(", line)
        if sigterm_after_progress and done and 10 <= int(done.group(1)) < 100:
            proc.send_signal(signal.SIGTERM)
            sigterm_after_progress = False
    return proc.wait(timeout=300), "".join(lines)


@pytest.mark.parametrize("claim,run,params", [
    # a training loop: the grokking ensemble, saved at the step the signal arrives
    ("grokking_delayed_generalization", "grok", dict(steps=3000)),
    # independent pieces: blocks of random matrices whose spectra are computed one block at a time
    ("rnn_exploding_necessary_not_sufficient", "linear", dict(n=192, n_seeds=24)),
    # a stacked Adam ensemble whose members freeze and leave the working set as they fit
    ("dd_nn_modelwise_width_sweep", "sweep", dict(widths=[2, 8, 20, 50, 100], n=100, d=10, steps=4000, n_seeds=4,
                                                   stop_loss=1e-3)),
    # recurrent nets on the adding problem: fresh sequences every step from a generator saved with the weights
    ("lstm_gru_learn_long_dependencies", "gru", dict(steps=1500, eval_every=50)),
    # blocks of seeds of random-features regressions, every problem drawn before the first block is solved
    ("dd_random_features_mei_montanari", "features", dict(n_seeds=30, n_test=0)),
    # ... and with Monte-Carlo test inputs drawn piece by piece: a skipped piece must leave the generator where it was
    ("dd_random_features_mei_montanari", "features", dict(n_seeds=30, n_test=2000)),
    # sweep points drawn in turn from one generator: skipping the points done must leave the later draws unchanged
    ("dd_ridgeless_asymptotic_risk", "ratio", dict(n=100, gamma=[0.3, 0.5, 0.8, 1.5, 2.0, 3.0, 4.0], n_seeds=400)),
])
def test_sigterm_saves_the_state_and_the_rerun_resumes_to_the_identical_result(tmp_path, claim, run, params):
    spec = _spec(claim, run, **params)
    whole_dir, cut_dir = tmp_path / "whole", tmp_path / "cut"
    rc, log = _run(spec, whole_dir / "metrics.npz")
    assert rc == 0, log
    rc, log = _run(spec, cut_dir / "metrics.npz", sigterm_after_progress=True)
    assert rc == 143, log  # 128 + SIGTERM: the job failed, to be rerun (or requeued by Slurm)
    assert "interrupted: stopped by SIGTERM" in log, log
    assert (cut_dir / "checkpoint.pt").exists() and not (cut_dir / "metrics.npz").exists()
    rc, log = _run(spec, cut_dir / "metrics.npz")
    assert rc == 0, log
    assert not (cut_dir / "checkpoint.pt").exists()  # removed once the run is complete
    whole, whole_meta = artefacts.load_metrics(whole_dir / "metrics.npz")
    resumed, meta = artefacts.load_metrics(cut_dir / "metrics.npz")
    assert whole_meta["resumed_from"] is None and meta["resumed_from"], meta
    assert sorted(whole) == sorted(resumed)
    for key in whole:
        np.testing.assert_array_equal(resumed[key], whole[key], err_msg=key)


def test_pieces_keep_what_is_done_and_stop_after_the_piece_in_progress(tmp_path):
    ckpt = Checkpoint(tmp_path / "checkpoint.pt", {"a": 1})
    install_sigterm_handler()
    calls = []

    def square(k):
        calls.append(k)
        if k == 2:
            os.kill(os.getpid(), signal.SIGTERM)  # arrives while piece 2 is computed
        return torch.tensor(float(k * k))

    pieces = Pieces(ckpt)
    with pytest.raises(Interrupted):
        for k in range(5):
            pieces(k, lambda: square(k))
    assert calls == [0, 1, 2]
    install_sigterm_handler()  # the rerun, a new process: no stop requested
    again = Pieces(ckpt)
    assert again.resumed == 3
    assert [float(again(k, lambda: square(k))) for k in range(5)] == [0, 1, 4, 9, 16]
    assert calls == [0, 1, 2, 3, 4]  # pieces 0-2 were not computed again
    again.finish()
    assert not (tmp_path / "checkpoint.pt").exists()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
