from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


@pytest.fixture(autouse=True)
def _isolated_plugins(monkeypatch):
    """Keep the user's environment (extra plugin folders, template overrides) out of the tests."""
    monkeypatch.delenv("PLANGEN_PLUGINS_DIR", raising=False)
    monkeypatch.delenv("PLANGEN_LOAD_PLUGINS", raising=False)
    monkeypatch.delenv("PLANGEN_TEMPLATES_DIR", raising=False)
    from plangen import plugins

    plugins.reset()
    yield
    plugins.reset()


@pytest.fixture
def samples() -> Path:
    return SAMPLES


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


requires_libreoffice = pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")
