from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from plangen.testing import (  # noqa: F401  (fixture, re-exported)
    isolated_plugins,
    requires_libreoffice,
    soffice,
)
from plangen.testing import pytest_collection_modifyitems as _skip_slow

sys.path.insert(0, str(Path(__file__).parent))

# The suite reads English messages, from its first fixture on (module fixtures run before the
# function fixtures below); tests of the Chinese interface are marked and get the default language.
os.environ["PLANGEN_LANG"] = "en"

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test that drives Chromium takes seconds (a browser and a server started): slow, like a LibreOffice
    render, so it runs in CI (PLANGEN_FULL_TESTS=1) and the everyday run stays near two minutes."""
    full = os.environ.get("PLANGEN_FULL_TESTS", "").strip() not in ("", "0") or "slow" in (config.getoption("markexpr", "") or "")
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
            if not full:  # another conftest's copy of the hook may have sorted the slow tests already
                item.add_marker(pytest.mark.skip(reason="slow; set PLANGEN_FULL_TESTS=1 to run it"))
    _skip_slow(config, items)


@pytest.fixture
def samples() -> Path:
    return SAMPLES


@pytest.fixture(autouse=True)
def _english_unless_asked(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """These tests read the English messages (``PLANGEN_LANG=en``); a test of the Chinese interface is
    marked ``@pytest.mark.chinese`` and gets the default language, as a user does."""
    if request.node.get_closest_marker("chinese"):
        monkeypatch.delenv("PLANGEN_LANG", raising=False)
        for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
            monkeypatch.delenv(name, raising=False)
    else:
        monkeypatch.setenv("PLANGEN_LANG", "en")
    # A test before this one may have pinned a language in this process (``--lang`` run in-process, or the
    # Chinese interface installed for click's own words through LANGUAGE): start from detection again.
    from plangen.i18n import set_language

    monkeypatch.delenv("LANGUAGE", raising=False)
    set_language(None)
    _forget_click_help_options()


def _forget_click_help_options() -> None:
    """Click (8.1.8+) keeps each command's --help option, its help text worded in the language of the
    first help shown; a Chinese test before an English one would leave its 显示本帮助后退出 behind."""
    cli_module = sys.modules.get("plangen.cli")
    if cli_module is None:
        return
    stack = [cli_module.cli]
    while stack:
        command = stack.pop()
        if getattr(command, "_help_option", None) is not None:
            command._help_option = None
        stack.extend(getattr(command, "commands", {}).values())


@pytest.fixture
def pilot_only(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pilot plugin is the only plan type, here and in child processes (tests/on_pilot.py): core
    tests that need a plan type do not depend on the built-in ones."""
    from on_pilot import FIXTURES

    request.getfixturevalue("isolated_plugins")  # the environment cleared first, then set

    monkeypatch.setenv("PLANGEN_PLUGINS_DIR", str(FIXTURES))
    monkeypatch.setenv("PLANGEN_LOAD_PLUGINS", "pilot")
