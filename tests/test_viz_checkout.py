"""The README's test command works in a checkout of any folder name (issue 21, item 1)."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("folder", ["conceptgraph-main", "repo test", "3rd"])
def test_tests_run_in_a_checkout_whose_name_is_not_an_identifier(tmp_path, folder):
    checkout = tmp_path / folder
    checkout.mkdir()
    # the root package file and the pytest set-up as they are, with one trivial test module
    shutil.copy(REPOSITORY / "pyproject.toml", checkout)
    shutil.copy(REPOSITORY / "__init__.py", checkout)
    shutil.copytree(REPOSITORY / "tests", checkout / "tests",
                    ignore=shutil.ignore_patterns("test_*.py", "fixtures", "__pycache__"))
    (checkout / "tests" / "test_probe.py").write_text("def test_probe():\n    assert True\n")
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                         cwd=checkout, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "1 passed" in run.stdout
