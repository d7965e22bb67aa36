"""Test helpers for plangen and for plugin authors: one import instead of a fixture in every plugin.

In a plugin's ``conftest.py``::

    from plangen.testing import isolated_plugins  # noqa: F401  (an autouse fixture)

``isolated_plugins`` keeps the user's environment (extra plugin folders, template overrides) out of
each test and gives it a freshly loaded registry; :func:`with_plugins` registers plugin objects for the
span of a ``with`` block; :mod:`plangen.testing.docx` reads generated documents back for assertions.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from plangen import plugins

ENVIRONMENT = ("PLANGEN_PLUGINS_DIR", "PLANGEN_LOAD_PLUGINS", "PLANGEN_TEMPLATES_DIR", "PLANGEN_TRACE_HOOKS")


@pytest.fixture(autouse=True)
def isolated_plugins(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts from the installed plugins only, and leaves no registry behind."""
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    plugins.reset()
    yield
    plugins.reset()


@contextmanager
def with_plugins(*objects: Any, entry_points_too: bool = True) -> Iterator[plugins.Registry]:
    """A registry with ``objects`` (modules or instances with ``@hookimpl`` functions) registered."""
    registry = plugins.build_registry(
        extra=[(getattr(o, "__name__", type(o).__name__), o) for o in objects], entry_points_too=entry_points_too
    )
    try:
        yield registry
    finally:
        plugins.reset()


def soffice() -> str | None:
    """LibreOffice's command, when installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


requires_libreoffice = pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")
