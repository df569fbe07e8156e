"""The experiments' fork server (experiments/lib/forkserver.py): a job run in a fork of it writes what the plain command writes, bit for bit, with the command's exit status and streams, SIGTERM reaches the job (its checkpoint is kept and the rerun resumes), and without a server the command runs by itself."""

import json
import os
import re
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

import artefacts
from theory import registry

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FORKED = "run in a fork of the fork server"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("forkserver") / "s.sock")
    env = {**os.environ, "PYTHONPATH": ROOT, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "experiments.lib.forkserver", path, "--parent", str(os.getpid())],
                            env=env, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not os.path.exists(path):
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline, "the fork server did not come up in 120 s"
        time.sleep(0.1)
    yield path
    proc.terminate()
    assert proc.wait(timeout=30) == 0
    assert not os.path.exists(path)  # it removes its socket on the way out


def _spec(claim: str, run: str, **params) -> str:
    spec = registry.spec(claim, run, "test", 20261122, "cpu")
    spec["params"].update(params)
    return json.dumps(spec)


def _run(args: list[str], server: str | None, sigterm_after_progress: bool = False) -> tuple[int, str]:
    env = {**os.environ, "PYTHONPATH": ROOT, "PYTHONUNBUFFERED": "1", "OMP_NUM_THREADS": "1",
           "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    env.pop("EXPERIMENTS_SERVER", None)
    if server:
        env["EXPERIMENTS_SERVER"] = server
    proc = subprocess.Popen([sys.executable, "-m", "experiments", *args], stderr=subprocess.PIPE, text=True, env=env,
                            cwd=ROOT)
    lines = []
    for line in proc.stderr:
        lines.append(line)
        done = re.search(r": (\d+)% \(", line)
        if sigterm_after_progress and done and 10 <= int(done.group(1)) < 100:
            proc.send_signal(signal.SIGTERM)  # to the client: it forwards the signal to the job's process
            sigterm_after_progress = False
    return proc.wait(timeout=300), "".join(lines)


def _same(a, b) -> None:
    left, _ = artefacts.load_metrics(a)
    right, _ = artefacts.load_metrics(b)
    assert sorted(left) == sorted(right)
    for key in left:
        np.testing.assert_array_equal(right[key], left[key], err_msg=key)


def test_a_forked_job_writes_what_the_plain_command_writes(server, tmp_path):
    spec = _spec("sgd_constant_step_noise_floor", "floor")
    rc, log = _run(["--spec-json", spec, "--out", str(tmp_path / "plain.npz")], None)
    assert rc == 0 and FORKED not in log, log
    rc, log = _run(["--spec-json", spec, "--out", str(tmp_path / "forked.npz")], server)
    assert rc == 0 and FORKED in log, log
    assert "done in" in log  # the job's own log lines reach the command's stderr
    _same(tmp_path / "plain.npz", tmp_path / "forked.npz")


def test_a_forked_job_reports_bad_arguments_and_their_exit_status(server, tmp_path):
    rc, log = _run(["--spec-json", "{}", "--out", str(tmp_path / "m.npz")], server)
    assert rc == 1 and FORKED in log and "breaks the spec schema" in log, log
    rc, log = _run(["--out", str(tmp_path / "m.npz")], server)
    assert rc == 2 and "one of the arguments --spec --spec-json is required" in log, log


def test_several_threads_or_no_server_run_in_the_command_itself(server, tmp_path):
    spec = _spec("wgan_dirac_gan_updates", "alternating")
    rc, log = _run(["--spec-json", spec, "--out", str(tmp_path / "a.npz"), "--threads", "2"], server)
    assert rc == 0 and FORKED not in log, log  # BLAS pools are sized at import: a 2-thread job starts its own
    rc, log = _run(["--spec-json", spec, "--out", str(tmp_path / "b.npz")], str(tmp_path / "no-such.sock"))
    assert rc == 0 and FORKED not in log, log


def test_sigterm_reaches_the_forked_job_which_keeps_its_checkpoint(server, tmp_path):
    spec = _spec("rnn_exploding_necessary_not_sufficient", "linear", n=192, n_seeds=24)
    whole, cut = tmp_path / "whole" / "metrics.npz", tmp_path / "cut" / "metrics.npz"
    rc, log = _run(["--spec-json", spec, "--out", str(whole)], None)
    assert rc == 0, log
    rc, log = _run(["--spec-json", spec, "--out", str(cut)], server, sigterm_after_progress=True)
    assert rc == 143 and FORKED in log and "interrupted: stopped by SIGTERM" in log, log
    assert (cut.parent / "checkpoint.pt").exists() and not cut.exists()
    rc, log = _run(["--spec-json", spec, "--out", str(cut)], server)
    assert rc == 0, log
    _, meta = artefacts.load_metrics(cut)
    assert meta["resumed_from"], meta
    _same(whole, cut)


def _parent_of(pid: str) -> int | None:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return int(stat.read().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads the process table from /proc")
def test_a_job_whose_client_is_killed_is_stopped(server, tmp_path):
    spec = _spec("grokking_delayed_generalization", "grok", steps=200_000)
    env = {**os.environ, "PYTHONPATH": ROOT, "EXPERIMENTS_SERVER": server, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "experiments", "--spec-json", spec, "--out", str(tmp_path / "m.npz")],
                            stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    line = proc.stderr.readline()
    assert FORKED in line, line
    job = int(re.search(r"server (\d+)", line).group(1))  # the server's pid; the job is its child
    children = [pid for pid in os.listdir("/proc") if pid.isdigit() and _parent_of(pid) == job]
    assert children
    proc.kill()  # SIGKILL cannot be forwarded: the server sees the connection close and stops the job
    proc.wait()
    deadline = time.monotonic() + 30
    while any(os.path.exists(f"/proc/{c}") and open(f"/proc/{c}/stat").read().split()[2] != "Z" for c in children):
        assert time.monotonic() < deadline, "the orphaned job still runs 30 s after its client was killed"
        time.sleep(0.2)


def test_the_server_stops_when_its_parent_is_gone(tmp_path):
    parent = subprocess.Popen(["sleep", "600"])
    path = str(tmp_path / "s.sock")
    proc = subprocess.Popen([sys.executable, "-m", "experiments.lib.forkserver", path, "--parent", str(parent.pid)],
                            env={**os.environ, "PYTHONPATH": ROOT}, cwd=ROOT)
    deadline = time.monotonic() + 120
    while not os.path.exists(path):
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.1)
    parent.kill()
    parent.wait()
    assert proc.wait(timeout=30) == 0
    assert not os.path.exists(path)
