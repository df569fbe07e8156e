"""The pipeline through snakemake-executor-plugin-slurm on a real one-node Slurm: the same verdicts and numbers as a local run of the same claims and seed, every experiment submitted as its own job, and a claim that declares a GPU asking Slurm for one."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import copy_checkout
from tests.slurm_cluster import MISSING_HINT, OneNodeSlurm, missing_programs

pytestmark = pytest.mark.slurm
SNAKEMAKE = [sys.executable, "-m", "snakemake"]
# Quick claims of three families, real and control, so that pass and fail both have to come back equal.
CLAIMS = ["gd_eps2_iteration_complexity", "gru_fewer_parameters_than_lstm", "implicit_reg_gd_minnorm",
          "sgd_control_bound_is_tight"]
GPU_CLAIM = "sgd_control_bound_is_tight"  # declares gpu=True at scale full
# A hang (a status query that never answers) must fail the test, not stall CI: the whole run is killed after this.
RUN_LIMIT_S = 150
SLURM_FLAGS = [
    "--profile", "profiles/slurm",
    "--jobs", "4",
    # No accounting database here: sacct fails, so job states come from squeue (MinJobAge keeps finished jobs listed).
    "--slurm-status-command", "squeue",
    "--slurm-init-seconds-before-status-checks", "1",
    "--slurm-no-account",
    "--latency-wait", "5",
]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    missing = missing_programs()
    if missing:
        pytest.fail(f"{', '.join(missing)} not found; {MISSING_HINT}")
    with OneNodeSlurm(tmp_path_factory.mktemp("slurm"), cpus=2, gpus=2) as c:
        yield c


def _targets(claims):
    return [f"results/smoke/{c}/verdict.json" for c in claims]


def _snakemake(checkout: Path, args: list[str], env: dict, limit: int = RUN_LIMIT_S) -> subprocess.CompletedProcess:
    env = {**env, "PYTHONPATH": str(checkout)}
    r = subprocess.run(["timeout", "-s", "KILL", str(limit), *SNAKEMAKE, *args], cwd=checkout, capture_output=True,
                       text=True, env=env)
    assert r.returncode == 0, f"exit {r.returncode} (137: killed after {limit} s)\n" + r.stdout[-3000:] + r.stderr[-4000:]
    return r


def _verdicts(checkout: Path) -> dict:
    return {c: json.loads((checkout / f"results/smoke/{c}/verdict.json").read_text()) for c in CLAIMS}


def test_slurm_run_equals_local_run(cluster, tmp_path):
    local = copy_checkout(tmp_path / "local")
    slurm = copy_checkout(tmp_path / "slurm")
    t0 = time.monotonic()
    _snakemake(local, ["--cores", "2", *_targets(CLAIMS)], dict(os.environ))
    t1 = time.monotonic()
    r = _snakemake(slurm, [*SLURM_FLAGS, *_targets(CLAIMS)], cluster.env)
    t2 = time.monotonic()
    log = r.stdout + r.stderr
    print(f"local run {t1 - t0:.1f} s, Slurm run {t2 - t1:.1f} s")

    # Every experiment went to Slurm, one job each; predict and compare ran on the submitting machine.
    n_runs = sum(len(list((slurm / "results" / "smoke" / c / "runs").iterdir())) for c in CLAIMS)
    submitted = [ln for ln in log.splitlines() if "submitted with SLURM jobid" in ln]
    assert len(submitted) == n_runs, log[-3000:]
    assert all("slurm_logs/rule_experiment/" in ln for ln in submitted), submitted

    for claim, (lv, sv) in zip(CLAIMS, zip(_verdicts(local).values(), _verdicts(slurm).values())):
        assert sv["outcome"] == lv["outcome"] == lv["expected"], (claim, sv["message"], lv["message"])
        # Same machine, same seeds, one thread per job: the numbers agree to the last digit (different CPUs or thread
        # counts may change the last bits of reductions; the verdicts would still agree).
        assert sv["estimate"] == lv["estimate"] and sv["ci"] == lv["ci"], claim
        assert [c["outcome"] for c in sv["checks"]] == [c["outcome"] for c in lv["checks"]], claim
        assert sv["provenance"]["seeds"] == lv["provenance"]["seeds"], claim


def test_a_claim_declaring_a_gpu_asks_slurm_for_one(cluster, tmp_path):
    """At scale full the GPU claim's experiment is submitted with --gpus=1; the one-node Slurm advertises two fake GPUs
    (gres.conf), so the job is accepted and runs with a GPU allocated (a cluster without GPUs rejects it at once)."""
    checkout = copy_checkout(tmp_path / "gpu")
    env = {**cluster.env, "PYTHONPATH": str(checkout)}
    target = f"results/full/{GPU_CLAIM}/verdict.json"
    proc = subprocess.Popen(["timeout", "-s", "KILL", str(RUN_LIMIT_S), *SNAKEMAKE, *SLURM_FLAGS, "--config",
                             "scale=full", "--verbose", target], cwd=checkout, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        job = _wait_for_running_job(cluster, timeout=90)
        info = subprocess.run(["scontrol", "-d", "show", "job", job], capture_output=True, text=True, env=cluster.env).stdout
        assert "TresPerJob=gres:gpu:1" in info, info  # requested
        assert "GRES=gpu:1(IDX:" in info, info  # and allocated: the running job holds one of the node's (fake) GPUs
    finally:
        proc.terminate()
        try:
            out, _ = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
        subprocess.run(["scancel", "--user", os.environ.get("USER", "root")], env=cluster.env, capture_output=True)
    assert "--gpus=1" in out, out[-3000:]


def _wait_for_running_job(cluster, timeout: float) -> str:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        r = subprocess.run(["squeue", "-h", "-o", "%i %T"], capture_output=True, text=True, env=cluster.env)
        for line in r.stdout.splitlines():
            job, state = line.split()
            if state == "RUNNING":
                return job
        time.sleep(0.5)
    raise TimeoutError(f"no job was running within {timeout:.0f} s:\n" + cluster.logs())
