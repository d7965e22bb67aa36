"""The built-in plan types' tests share plangen's test helpers, as a third-party plugin's would."""

import os
import sys
from pathlib import Path

from plangen.testing import (
    isolated_plugins,  # noqa: F401  (an autouse fixture)
    pytest_collection_modifyitems,  # noqa: F401  (skips @slow unless PLANGEN_FULL_TESTS=1)
)

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))

import pytest

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


@pytest.fixture
def samples() -> Path:
    """The top-level samples/ folder: one sample input per plan type, and the community roster."""
    return SAMPLES


os.environ["PLANGEN_LANG"] = "en"  # the plan types' tests read English messages; tests/ covers the Chinese interface
