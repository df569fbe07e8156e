"""Derived dependencies: an edit of a project module makes `snakemake -n` list exactly the claims that use it, found by the static import scan of theory/deps.py (no stale results, no needless reruns)."""

import os
import re
import subprocess
import sys
import time

import pytest

from tests.conftest import copy_checkout
from theory import deps, registry

pytestmark = pytest.mark.pipeline
SNAKEMAKE = [sys.executable, "-m", "snakemake", "--cores", "1"]


def users(path: str) -> set[str]:
    """The claims whose prediction, measurement or verdict reads the file, by the registry's source lists."""
    return {c for c in registry.claim_ids() if path in registry.claim_sources(c) + registry.experiment_sources(c)
            + registry.analysis_sources(c)}


def test_the_import_scan_follows_helpers_transitively():
    experiment = deps.relative(deps.closure(deps.ROOT / "experiments" / f"{registry.get('lstm_gru_learn_long_dependencies').experiment}.py"))
    assert any(p.endswith("cells.py") for p in experiment), experiment
    claim = registry.claim_sources("rnn_vanishing_sufficient_condition")
    assert "theory/rnn.py" in claim and "theory/claim.py" in claim and "theory/kinds/bound_holds.py" in claim
    # The RNN family module is used by claims of that family only (D1, an identity check, does not import it).
    rnn_claims = {c.id for c in registry.all_claims() if c.family == "rnn"}
    assert users("theory/rnn.py") <= rnn_claims and len(users("theory/rnn.py")) >= len(rnn_claims) - 1


def _outputs(checkout) -> list[list]:
    """Every output of a smoke pipeline, stage by stage (each newer than the one before)."""
    results = checkout / "results" / "smoke"
    stage1, stage2 = [], []
    for claim in registry.claim_ids_at("smoke"):
        stage1.append(results / claim / "prediction.json")
        for run in registry.run_ids(claim, "smoke"):
            owner, owner_run = registry.run_source(claim, run, "smoke")  # a shared run lives under its owner
            runs = results / owner / "runs" / owner_run
            stage1 += [runs / "spec.json", runs / "metrics.npz"]
        stage2 += [results / claim / f for f in ("verdict.json", "figure.svg")]
    return [stage1, stage2, [results.parent / f for f in ("report.html", "report.pdf", "summary.csv")]]


@pytest.fixture(scope="module")
def touched(tmp_path_factory):
    """A copy of the checkout whose every output exists (empty) and is newer than what it is made from: an up-to-date
    pipeline that ran nothing."""
    checkout = copy_checkout(tmp_path_factory.mktemp("deps"))
    now = time.time()
    for age, stage in zip((300, 200, 100), _outputs(checkout)):
        for path in stage:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch()
            os.utime(path, (now - age, now - age))
    for source in checkout.rglob("*.py"):
        os.utime(source, (now - 400, now - 400))
    return checkout, {**os.environ, "PYTHONPATH": str(checkout)}


def rerun_claims(checkout, env) -> set[str]:
    r = subprocess.run(SNAKEMAKE + ["-n"], cwd=checkout, capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    return set(re.findall(r"wildcards: claim=([A-Za-z0-9_]+)", r.stdout + r.stderr))


def test_a_content_change_reruns_exactly_the_claims_that_use_the_module(touched):
    checkout, env = touched
    assert rerun_claims(checkout, env) == set(), "after --touch nothing should be out of date"
    helper = next(p for p in registry.experiment_sources("lstm_gru_learn_long_dependencies") if p.endswith("cells.py"))
    # An experiment helper, a family module and a theory helper.
    for module in (helper, "theory/dd.py", "theory/rmt.py"):
        expected = users(module)
        assert expected and expected != set(registry.claim_ids()), module
        path = checkout / module
        text, times = path.read_text(), os.stat(path)
        path.write_text(text + "\n# an edit\n")
        try:
            assert rerun_claims(checkout, env) == expected, module
        finally:
            path.write_text(text)
            os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))
