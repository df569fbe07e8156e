"""Shared fixtures; a marker per claim family, registered from the registry (pytest -m sgd), on every test parametrised by one of its claims."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from theory import registry  # noqa: E402


def pytest_configure(config):
    for family in registry.families():
        config.addinivalue_line("markers", f"{family.name}: claims of the {family.title} family ({family.ids})")


def pytest_collection_modifyitems(config, items):
    families = {c.id: c.family for c in registry.all_claims()}
    for item in items:
        spec = getattr(item, "callspec", None)
        claim = spec.params.get("claim_id") if spec else None
        if claim in families:
            item.add_marker(getattr(pytest.mark, families[claim]))
            # Under pytest-xdist (make test: --dist loadgroup) a claim's tests share a worker, so that its prediction,
            # derived once in sympy and cached by the module's fixture, is not derived again on another worker.
            item.add_marker(pytest.mark.xdist_group(claim))


def copy_checkout(dest: Path) -> Path:
    """The checkout's tracked and untracked-but-not-ignored files copied to dest (no results, logs or venv)."""
    import shutil
    import subprocess

    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.split()
    for f in files:
        if (ROOT / f).is_file():
            (dest / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / f, dest / f)
    return dest
