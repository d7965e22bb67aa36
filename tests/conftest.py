from __future__ import annotations

import sys
from pathlib import Path

import pytest

from plangen.testing import isolated_plugins, requires_libreoffice, soffice  # noqa: F401  (fixture, re-exported)
from plangen.testing import pytest_collection_modifyitems  # noqa: F401  (skips @slow unless PLANGEN_FULL_TESTS=1)

sys.path.insert(0, str(Path(__file__).parent))

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


@pytest.fixture
def samples() -> Path:
    return SAMPLES
