"""Snakemake end to end on a copy of the checkout: one claim's target, no-op rerun, editing a claim file re-runs only that claim, bad config is one clear line."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import copy_checkout

pytestmark = pytest.mark.pipeline
SNAKEMAKE = [sys.executable, "-m", "snakemake"]
FAST = "gd_eps2_iteration_complexity"


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    return copy_checkout(tmp_path_factory.mktemp("checkout"))


def sm(checkout, *args, check=True):
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    r = subprocess.run(SNAKEMAKE + ["--cores", "2", *args], cwd=checkout, capture_output=True, text=True, env=env, timeout=240)
    if check:
        assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return r


def test_one_claim_target_then_noop_then_edit_reruns_only_that_claim(checkout):
    target = f"results/{FAST}/verdict.json"
    sm(checkout, target, "results/sgd_control_bound_is_tight/verdict.json")
    v = json.loads((checkout / target).read_text())
    assert v["outcome"] == "pass" and v["provenance"]["scale"] == "smoke"
    assert "Nothing to be done" in sm(checkout, "-n", target).stdout + sm(checkout, "-n", target).stderr
    claim_file = checkout / "theory" / "claims" / f"{FAST}.py"
    claim_file.write_text(claim_file.read_text() + "\n# edited\n")
    r = sm(checkout, "-n", target, "results/sgd_control_bound_is_tight/verdict.json")
    outputs = [ln.split("output:", 1)[1].strip() for ln in (r.stdout + r.stderr).splitlines() if "output:" in ln]
    assert any(f"results/{FAST}/" in o for o in outputs), outputs
    assert not any("sgd_control_bound_is_tight" in o for o in outputs), outputs

def test_bad_scale_is_one_clear_error(checkout):
    r = sm(checkout, "-n", "--config", "scale=huge", check=False)
    assert r.returncode != 0
    assert "unknown scale 'huge'; valid scales: smoke, full" in r.stdout + r.stderr


def test_unknown_claim_names_valid_ones(checkout):
    r = sm(checkout, "-n", "--config", "claims=[nope]", check=False)
    assert r.returncode != 0 and "valid claims:" in r.stdout + r.stderr
