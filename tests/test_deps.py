"""Derived dependencies: an edit of a project module makes `snakemake -n` list exactly the claims that use it, found by the static import scan of theory/deps.py (no stale results, no needless reruns)."""

import os
import re
import subprocess
import sys

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
    # Every claim of the RNN family uses the family module, and no claim of another family does.
    assert users("theory/rnn.py") == {c.id for c in registry.all_claims() if c.family == "rnn"}


@pytest.fixture(scope="module")
def touched(tmp_path_factory):
    """A copy of the checkout whose every output exists and is up to date (snakemake --touch runs nothing)."""
    checkout = copy_checkout(tmp_path_factory.mktemp("deps"))
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    r = subprocess.run(SNAKEMAKE + ["--touch"], cwd=checkout, capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    return checkout, env


def rerun_claims(checkout, env) -> set[str]:
    r = subprocess.run(SNAKEMAKE + ["-n"], cwd=checkout, capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    return set(re.findall(r"wildcards: claim=([A-Za-z0-9_]+)", r.stdout + r.stderr))


def test_a_content_change_reruns_exactly_the_claims_that_use_the_module(touched):
    checkout, env = touched
    assert rerun_claims(checkout, env) == set(), "after --touch nothing should be out of date"
    helper = next(p for p in registry.experiment_sources("lstm_gru_learn_long_dependencies") if p.endswith("cells.py"))
    for module in (helper, "theory/rnn.py", "theory/dd.py", "theory/kinds/loglog_slope.py",
                   "analysis/kinds/extremum_location.py", "theory/claims/sgd_constant_step_noise_floor.py"):
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
