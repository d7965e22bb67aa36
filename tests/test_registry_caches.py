"""What plangen works out from a registry is kept on that registry (issue 23, point 6): a new registry
never finds an old one's entry, and the process registry knows what it was built from."""

from __future__ import annotations

from pathlib import Path

import pytest

from plangen import plugins
from plangen.errors import InputError
from plangen.inputs.reading import known_keys, parse_text
from plangen.plugins import process

FIXTURES = Path(__file__).parent / "plugin_fixtures"


def test_the_keys_an_input_may_use_belong_to_their_registry() -> None:
    pilot = plugins.build_registry([FIXTURES], entry_points_too=False)
    assert {"note", "要点"} <= known_keys(pilot)
    assert known_keys(pilot) is known_keys(pilot)  # computed once for that registry
    assert not {"note", "要点"} & known_keys(None)
    reused = 0
    for _ in range(20):
        # CPython hands a freed object's id to the next object of its size: a cache keyed on id(registry)
        # gave the new registry the old one's keys
        first = plugins.Registry(manager=pilot.manager, plan_types=pilot.plan_types, plugins=[], warnings=[])
        assert "要点" in known_keys(first)
        old = id(first)
        del first
        bare = plugins.Registry(manager=pilot.manager, plan_types={}, plugins=[], warnings=[])
        reused += id(bare) == old
        assert not {"note", "要点"} & known_keys(bare)
    assert reused  # the case above did happen


def test_a_key_of_one_registry_is_mended_only_for_it() -> None:
    """``要点：`` with a full-width colon is read as a key where the pilot's registry is used, and named as a
    slip to correct where it is not: each registry's keys, at once, in one process."""
    pilot = plugins.build_registry([FIXTURES], entry_points_too=False)
    bare = plugins.build_registry([], entry_points_too=False)
    text = "type: pilot\n要点：少而精\n"
    with pytest.warns(UserWarning):
        assert parse_text(text, "a.yaml", registry=pilot)["要点"] == "少而精"
    with pytest.raises(InputError, match=r"full-width colon .* after 要点"):
        parse_text(text, "a.yaml", registry=bare)


def test_the_process_registry_is_rebuilt_when_what_it_was_built_from_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLANGEN_LOAD_PLUGINS", raising=False)
    monkeypatch.setenv("PLANGEN_PLUGINS_DIR", "")
    process.reset()
    try:
        first = process.get_registry([FIXTURES])
        assert "pilot" in first.plan_types
        assert first.built_from == process.Settings.asked([FIXTURES])
        assert process.get_registry([FIXTURES]) is first  # the same folders and settings: loaded once
        monkeypatch.setenv("PLANGEN_LOAD_PLUGINS", "pilot")
        only = process.get_registry([FIXTURES])
        assert only is not first and only.built_from.load_plugins == "pilot"
        assert set(only.plan_types) == {"pilot"}
        assert process.get_registry() is not only  # other folders: built again
    finally:
        process.reset()
