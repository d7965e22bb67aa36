"""Test helpers for plangen and for plugin authors: one import instead of a fixture in every plugin.

In a plugin's ``conftest.py``::

    from plangen.testing import isolated_plugins  # noqa: F401  (an autouse fixture)

Slow tests (LibreOffice renders, installs into a fresh virtual environment) carry ``@slow`` and are
skipped unless ``PLANGEN_FULL_TESTS=1`` is set (CI sets it) or ``-m`` names ``slow``; import the hooks
into the ``conftest.py`` for that (``pytest_configure`` registers the mark, so pytest does not warn
about an unknown ``slow``)::

    from plangen.testing import pytest_collection_modifyitems, pytest_configure  # noqa: F401

``isolated_plugins`` keeps the user's environment (extra plugin folders, template overrides) out of
each test and gives it a freshly loaded registry; :func:`with_plugins` registers plugin objects for the
span of a ``with`` block; :mod:`plangen.testing.docx` reads generated documents back for assertions.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from plangen import plugins

FULL_TESTS = "PLANGEN_FULL_TESTS"
"""Set to 1 to run the tests marked :data:`slow` as well (CI does; a quick local run does not)."""
slow = pytest.mark.slow
"""A test that takes seconds (a LibreOffice render, a fresh install), skipped unless asked for."""
_SLOW_SORTED = pytest.StashKey[bool]()

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


SLOW_MARKER = "slow: takes seconds (a LibreOffice render, a fresh-venv install); skipped unless PLANGEN_FULL_TESTS=1"


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``slow`` mark, so a plugin's test suite (even under ``--strict-markers``) knows it."""
    config.addinivalue_line("markers", SLOW_MARKER)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip ``slow`` tests unless asked for, so the everyday run stays quick and CI still runs them all.

    Several conftests may import this hook; the stash makes the second call a no-op.
    """
    if config.stash.get(_SLOW_SORTED, False):
        return
    config.stash[_SLOW_SORTED] = True
    if os.environ.get(FULL_TESTS, "").strip() not in ("", "0") or "slow" in (config.getoption("markexpr", "") or ""):
        return
    skip = pytest.mark.skip(reason=f"slow; set {FULL_TESTS}=1 to run it")
    for item in items:
        if item.get_closest_marker("slow") is not None:
            item.add_marker(skip)
