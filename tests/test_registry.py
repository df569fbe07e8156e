"""The registry: discovery, ids, seeds, specs, families, the listing command, that it never imports torch and that no claim imports another."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from theory import registry
from tests.conftest import ROOT


def test_importing_the_registry_does_not_import_torch():
    code = (
        "import sys; from theory import registry, comparisons; "
        "[registry.get(i) for i in registry.claim_ids()]; "
        "bad = [m for m in ('torch', 'pandas', 'experiments') if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_ids_equal_file_names_and_every_family_has_a_control():
    claims = registry.all_claims()
    assert [c.id for c in claims] == registry.claim_ids()
    for family in {c.family for c in claims}:
        members = [c for c in claims if c.family == family]
        assert sum(c.control for c in members) >= 2, f"family {family} needs at least two negative controls"
        assert any(not c.control for c in members)


def test_listing_command_prints_every_claim():
    r = subprocess.run([sys.executable, "-m", "theory", "list"], cwd=ROOT, capture_output=True, text=True, check=True)
    for c in registry.all_claims():
        line = next(ln for ln in r.stdout.splitlines() if f" {c.id} " in ln)
        assert line.startswith(c.short_id + " ") and c.family in line and ("control" if c.control else "claim") in line


def test_no_claim_file_imports_another_claim_file():
    """What a control shares with its claim lives in the family module: a claim file importing another would make the
    importer's prediction depend on a file its own edits never touch."""
    import ast

    for path in sorted(registry.CLAIMS_DIR.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.startswith("theory.claims") for n in names), f"{path.name} imports {names}"


def test_short_ids_are_unique_and_controls_name_a_real_claim():
    claims = registry.all_claims()
    ids = [c.short_id for c in claims]
    assert len(set(ids)) == len(ids), ids
    real = {c.short_id for c in claims if not c.control}
    for c in claims:
        if c.control:
            assert c.contradicts in real and c.short_id.startswith(c.contradicts + "-c"), c.id


def test_families_are_declared_with_their_module_and_registered_as_markers(pytestconfig):
    for fam in registry.families():
        assert registry.family(fam.name) is fam
        assert any(line.startswith(fam.name + ":") for line in pytestconfig.getini("markers"))
    with pytest.raises(ValueError, match="unknown family 'nope'.*valid: .*sgd"):
        registry.family("nope")


def test_unknown_claim_and_scale_name_the_valid_choices():
    with pytest.raises(registry.UnknownClaimError, match="valid claims: .*sgd_nonconvex_stationary_bound"):
        registry.get("no_such_claim")
    with pytest.raises(ValueError, match="valid scales: smoke, full, test"):
        registry.run_ids("sgd_nonconvex_stationary_bound", "huge")
    r = subprocess.run([sys.executable, "-m", "theory", "predict", "nope", "--out", "/dev/null"], cwd=ROOT,
                       capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "valid claims" in r.stderr


def test_seeds_are_stable_and_distinct():
    a = registry.run_seed(1, "sgd_nonconvex_stationary_bound", 0)
    assert a == registry.run_seed(1, "sgd_nonconvex_stationary_bound", 0)
    others = {registry.run_seed(2, "sgd_nonconvex_stationary_bound", 0), registry.run_seed(1, "sgd_nonconvex_stationary_bound", 1),
              registry.run_seed(1, "gd_eps2_iteration_complexity", 0)}
    assert a not in others and len(others) == 3
    # Same value in a fresh interpreter: no dependence on Python's salted hash().
    code = "from theory import registry; print(registry.run_seed(1, 'sgd_nonconvex_stationary_bound', 0))"
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert int(r.stdout) == a


@pytest.mark.parametrize("claim_id", registry.claim_ids())
def test_spec_is_plain_json(claim_id):
    scale = next(s for s in ("smoke", "full") if registry.get(claim_id).runs_at(s))  # full for a GPU-only claim
    for run in registry.run_ids(claim_id, scale):
        spec = registry.spec(claim_id, run, scale, 7, "auto")
        assert json.loads(json.dumps(spec)) == spec
        assert spec["params"]["n_seeds"] >= 1


def test_check_declarations_are_validated():
    import sympy as sp

    from theory.claim import Check

    base = dict(name="c", kind="curve", run="r", metric="m", x="x", prediction=sp.Integer(1), tolerance_reason="r", description="d")
    assert Check(**base, tolerance={"smoke": 0.1, "full": 0.05}).tolerance_at("full") == 0.05
    assert Check(**base, tolerance={"smoke": 0.1, "full": 0.05}).tolerance_at("test") == 0.1
    with pytest.raises(ValueError, match="per-scale tolerance"):
        Check(**base, tolerance={"smoke": 0.1})
    with pytest.raises(ValueError, match="unknown scale 'linear'"):
        Check(**base, tolerance=0.1, scale="linear")
    with pytest.raises(ValueError, match="unknown extremum 'middle'; valid: max, min"):
        Check(**{**base, "kind": "extremum_location"}, tolerance=0.1, extremum="middle")
    lazy = Check(**{**base, "prediction": lambda: sp.Integer(2)}, tolerance=0.1)
    assert lazy.expr() == 2 and lazy.replace(name="d").expr() == 2


def test_a_control_scoring_its_claims_data_reads_that_measurement_instead_of_repeating_it():
    """registry.run_source: identical runs (experiment, parameters, seeds, threads) are measured once, owned by the real
    claim; a run that differs in anything is its own."""
    import json

    from theory import registry

    assert registry.run_source("rnn_control_rate_without_edge_term", "linear", "smoke") == (
        "rnn_exploding_necessary_not_sufficient", "linear")
    assert registry.run_source("rnn_exploding_necessary_not_sufficient", "linear", "smoke") == (
        "rnn_exploding_necessary_not_sufficient", "linear")
    for claim in registry.claim_ids_at("smoke"):
        for run in registry.run_ids(claim, "smoke"):
            owner, owner_run = registry.run_source(claim, run, "smoke")
            mine, theirs = registry.spec(claim, run, "smoke", 1, "cpu"), registry.spec(owner, owner_run, "smoke", 1, "cpu")
            assert {k: v for k, v in mine.items() if k not in ("claim", "run", "seed")} == \
                   {k: v for k, v in theirs.items() if k not in ("claim", "run", "seed")}, (claim, run)
            assert registry.run_source(owner, owner_run, "smoke") == (owner, owner_run)  # an owner owns itself
    # a robustness setting applies to both alike, so the sharing stands
    settings = {"rnn": {"n": 256}}
    assert registry.run_source("rnn_control_rate_without_edge_term", "linear", "smoke", settings)[0] == \
        "rnn_exploding_necessary_not_sufficient"


def test_the_run_times_that_order_the_experiments_name_runs_that_exist():
    """config/run_seconds.yaml (the experiments' priorities, longest first) names each run by the claim that owns
    it: a renamed claim or run would silently lose its place at the front of the queue."""
    import yaml

    from theory.claim import PIPELINE_SCALES

    table = yaml.safe_load((Path(ROOT) / "config" / "run_seconds.yaml").read_text())
    assert set(table) <= set(PIPELINE_SCALES) and table.get("smoke")
    for scale, runs in table.items():
        for key, seconds in runs.items():
            claim, run = key.split("/")
            assert claim in registry.claim_ids_at(scale) and run in registry.run_ids(claim, scale), key
            assert registry.run_source(claim, run, scale) == (claim, run), f"{key}: run by {registry.run_source(claim, run, scale)}"
            assert seconds > 0, key
