"""A diverged run, a crashed run, a truncated or missing result file: the claim gets outcome 'error' with a message naming the cause, and nothing else breaks."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import artefacts

from analysis import compare
from experiments.lib import runner
from theory import registry
from theory.__main__ import prediction as make_prediction

CLAIM = "sgd_constant_step_noise_floor"


@pytest.fixture()
def claim_dir(tmp_path):
    d = tmp_path / CLAIM
    d.mkdir()
    (d / "prediction.json").write_text(json.dumps(make_prediction(CLAIM, "smoke")))
    return d


def _spec(**override):
    spec = registry.spec(CLAIM, "floor", "smoke", 1, "cpu")
    spec["params"].update(n_seeds=2, T=[1200] * 7, **override)
    return spec


def _verdict(claim_dir, metrics_path):
    v, _, _ = compare.verdict(claim_dir / "prediction.json", {"floor": metrics_path})
    return v


def test_diverging_run_gives_outcome_error(claim_dir):
    res = runner.execute(_spec(eta=[0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.5]))  # 1.5 > 2/beta: diverges
    assert "non-finite" in res["meta"]["error"]
    path = claim_dir / "runs" / "floor" / "metrics.npz"
    artefacts.write_npz(path, res["arrays"], res["meta"])
    v = _verdict(claim_dir, path)
    assert v["outcome"] == "error" and "non-finite" in v["message"] and v["estimate"] is None


def test_crashing_experiment_is_recorded_not_raised(claim_dir):
    res = runner.execute(_spec(objective="sphere"))
    assert res["meta"]["error"].startswith("ValueError") and "valid: quadratic, cosine" in res["meta"]["error"]


def test_truncated_and_missing_files_are_named(claim_dir):
    good = runner.execute(_spec())
    path = claim_dir / "runs" / "floor" / "metrics.npz"
    artefacts.write_npz(path, good["arrays"], good["meta"])
    path.write_bytes(path.read_bytes()[:100])
    v = _verdict(claim_dir, path)
    assert v["outcome"] == "error" and str(path) in v["message"] and "truncated" in v["message"]
    missing = claim_dir / "runs" / "nope" / "metrics.npz"
    v = _verdict(claim_dir, missing)
    assert v["outcome"] == "error" and str(missing) in v["message"]


def test_compare_cli_writes_verdict_and_figure_even_on_error(claim_dir):
    missing = claim_dir / "runs" / "floor" / "metrics.npz"
    out = claim_dir / "verdict.json"
    rc = compare.main(["--prediction", str(claim_dir / "prediction.json"), "--metrics", f"floor={missing}",
                       "--verdict", str(out), "--figure", str(claim_dir / "figure.svg")])
    assert rc == 0 and json.loads(out.read_text())["outcome"] == "error"
    assert (claim_dir / "figure.svg").exists()


def test_write_is_atomic(tmp_path):
    path = tmp_path / "m.npz"
    artefacts.write_npz(path, {"a": np.arange(3.0)}, {"error": None})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.npz"]  # no temp file left behind


@pytest.mark.parametrize("name", ["lib", "runner", "common", "cells", "__main__", "__init__", "lib.runner", "grokking.run", "nope"])
def test_only_entry_points_load_as_experiments(name):
    with pytest.raises(ValueError, match=r"valid experiments: adding, .*grokking, .*sgd\b") as err:
        runner.load_experiment(name)
    assert "lib" not in str(err.value).split("valid experiments:")[1]  # helpers are never offered
    # Through a spec the refusal is recorded, like any other failure.
    res = runner.execute({**_spec(), "experiment": name})
    assert res["meta"]["error"].startswith("ValueError: unknown experiment") and not res["arrays"]


def test_the_package_is_the_command_line(tmp_path):
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(_spec()))
    out = tmp_path / "metrics.npz"
    subprocess.run([sys.executable, "-m", "experiments", "--spec", str(spec), "--out", str(out), "--threads", "1"],
                   check=True, cwd=Path(__file__).parents[1], capture_output=True)
    with np.load(out) as f:
        assert json.loads(str(f["__meta__"]))["error"] is None
