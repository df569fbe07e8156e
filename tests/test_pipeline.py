"""Snakemake end to end on a copy of the checkout: one quick claim per family through to the report, a no-op rerun, an edit of a claim file re-runs only that claim's prediction and verdict, bad config is one clear line."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import copy_checkout
from theory import registry

pytestmark = pytest.mark.pipeline
SNAKEMAKE = [sys.executable, "-m", "snakemake"]
FAST = "gd_eps2_iteration_complexity"


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    return copy_checkout(tmp_path_factory.mktemp("checkout"))


def sm(checkout, *args, check=True):
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    r = subprocess.run(SNAKEMAKE + ["--cores", "2", *args], cwd=checkout, capture_output=True, text=True, env=env, timeout=600)
    if check:
        assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return r


# One quick claim per family (and a control), end to end at smoke: prediction, experiment, verdict, figure, report.
PER_FAMILY = ["gd_eps2_iteration_complexity", "sgd_control_bound_is_tight", "implicit_reg_gd_minnorm",
              "grokking_control_circuit_at_memorisation", "gru_fewer_parameters_than_lstm",
              "ua_multiplication_gate_neurons", "ntk_control_per_sample_normalisation",
              "wgan_dirac_gan_updates"]


def test_one_claim_per_family_end_to_end_then_noop_then_an_edit_reruns_only_its_claim(checkout):
    assert {registry.get(c).family for c in PER_FAMILY} == {f.name for f in registry.families()}
    claims = "claims=[" + ",".join(PER_FAMILY) + "]"
    started = time.monotonic()
    log = sm(checkout, "--verbose", "--config", claims)
    elapsed, log = time.monotonic() - started, log.stdout + log.stderr
    # The scheduling loop runs once per finished job and at most once a second besides (Snakefile: one pending
    # re-evaluation); unpatched, every pass started another one-second timer and the passes grew with the jobs done.
    passes, finished = log.count("Resources before job selection"), log.count("Finished jobid")
    assert finished > 20 and passes <= 2 * (finished + elapsed), (passes, finished, elapsed)
    for claim in PER_FAMILY:
        v = json.loads((checkout / "results" / "smoke" / claim / "verdict.json").read_text())
        assert v["outcome"] == registry.get(claim).expected and v["provenance"]["scale"] == "smoke", (claim, v["message"])
        assert (checkout / "results" / "smoke" / claim / "figure.svg").stat().st_size > 10_000
        # a run shared with another claim (a control scoring its claim's data) lives under that claim
        owner, run = registry.run_source(claim, registry.run_ids(claim, "smoke")[0], "smoke")
        spec = json.loads((checkout / "results" / "smoke" / owner / "runs" / run / "spec.json").read_text())
        assert spec["scale"] == "smoke" and spec["claim"] == owner
    rows = (checkout / "results" / "summary.csv").read_text().splitlines()
    assert len(rows) == 1 + len(PER_FAMILY) and (checkout / "results" / "report.pdf").read_bytes().startswith(b"%PDF")
    r = sm(checkout, "-n", "--config", claims)
    assert "Nothing to be done" in r.stdout + r.stderr
    claim_file = checkout / "theory" / "claims" / f"{FAST}.py"
    claim_file.write_text(claim_file.read_text() + "\n# edited\n")
    r = sm(checkout, "-n", "--config", claims)
    outputs = [ln.split("output:", 1)[1].strip() for ln in (r.stdout + r.stderr).splitlines() if "output:" in ln]
    assert any(f"results/smoke/{FAST}/prediction.json" in o for o in outputs), outputs
    # The claim's prediction and verdict are redone, its experiment is not (its spec did not change), and no other
    # claim is touched.
    assert not any("metrics.npz" in o for o in outputs), outputs
    assert not any(c in o for o in outputs for c in PER_FAMILY if c != FAST), outputs


def test_a_full_run_after_smoke_leaves_the_smoke_results_and_the_report_shows_both(checkout):
    """make report SCALE=full after make report: the full run writes results/full/ only, and its report shows each
    claim's smoke estimate beside the full one (a cheap claim at full: the Dirac-GAN's closed-form recursions)."""
    claim = "wgan_dirac_gan_updates"
    smoke = checkout / "results" / "smoke"
    if not (smoke / claim / "verdict.json").exists():
        sm(checkout, "--config", f"claims=[{claim}]")
    before = {p: p.read_bytes() for p in smoke.rglob("*") if p.is_file()}
    sm(checkout, "--config", "scale=full", f"claims=[{claim}]")
    assert {p: p.read_bytes() for p in smoke.rglob("*") if p.is_file()} == before
    v = json.loads((checkout / "results" / "full" / claim / "verdict.json").read_text())
    assert v["provenance"]["scale"] == "full" and v["outcome"] == "pass", v["message"]
    row = next(r for r in (checkout / "results" / "summary.csv").read_text().splitlines() if r.startswith(claim))
    assert ",full,smoke,pass," in row, row
    assert 'id="scales"' in (checkout / "results" / "report.html").read_text()


def test_bad_scale_is_one_clear_error(checkout):
    r = sm(checkout, "-n", "--config", "scale=huge", check=False)
    assert r.returncode != 0
    assert "unknown scale 'huge'; valid scales: smoke, full" in r.stdout + r.stderr


def test_unknown_claim_names_valid_ones(checkout):
    r = sm(checkout, "-n", "--config", "claims=[nope]", check=False)
    assert r.returncode != 0 and "valid claims:" in r.stdout + r.stderr
