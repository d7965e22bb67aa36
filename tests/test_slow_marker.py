"""The ``slow`` marker: skipped in the everyday run, run when PLANGEN_FULL_TESTS=1 (as CI sets it) or ``-m slow``.

Checked on a throwaway test folder in a separate pytest, so the outcome of a slow test that fails is seen.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CONFTEST = "from plangen.testing import pytest_collection_modifyitems  # noqa: F401\n"
TESTS = """
from plangen.testing import slow


@slow
def test_slow_and_failing():
    assert False, "the slow test ran"


def test_quick():
    pass
"""


def pytest_in(folder: Path, *args: str, full: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PLANGEN_FULL_TESTS"}
    if full is not None:
        env["PLANGEN_FULL_TESTS"] = full
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", "-o", "markers=slow: slow", *args, str(folder)],
        capture_output=True, text=True, env=env, cwd=folder, timeout=120,
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    (tmp_path / "test_marked.py").write_text(TESTS, encoding="utf-8")
    return tmp_path


def test_slow_tests_are_skipped_by_default(folder: Path) -> None:
    result = pytest_in(folder, full="0")
    assert result.returncode == 0, result.stdout
    assert "1 passed, 1 skipped" in result.stdout and "PLANGEN_FULL_TESTS=1" in result.stdout


@pytest.mark.slow  # a pytest run of its own; the default run (above) is the one that matters every day
def test_full_run_runs_them(folder: Path) -> None:
    result = pytest_in(folder, full="1")
    assert result.returncode == 1 and "the slow test ran" in result.stdout and "1 failed, 1 passed" in result.stdout


@pytest.mark.slow  # a pytest run of its own
def test_the_mark_is_registered_by_plangen_testing(tmp_path: Path) -> None:
    """A plugin's conftest that imports pytest_configure needs no markers line of its own: no warning,
    even with --strict-markers (which makes an unknown mark an error)."""
    (tmp_path / "conftest.py").write_text("from plangen.testing import pytest_collection_modifyitems, pytest_configure  # noqa: F401\n",
                                          encoding="utf-8")
    (tmp_path / "test_marked.py").write_text(TESTS, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PLANGEN_FULL_TESTS"}
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--strict-markers", "-W", "error", str(tmp_path)],
                            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stdout
    assert "1 passed, 1 skipped" in result.stdout and "PytestUnknownMarkWarning" not in result.stdout


@pytest.mark.slow  # a pytest run of its own
def test_choosing_them_with_m_runs_them(folder: Path) -> None:
    result = pytest_in(folder, "-m", "slow", full=None)
    assert result.returncode == 1 and "1 failed, 1 deselected" in result.stdout
