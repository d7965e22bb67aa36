"""``plangen new``: each example's comments show keys plangen accepts, and every field of the type is
there (filled in, or commented out), for every registered plan type."""

from __future__ import annotations

import pytest
import yaml

from plangen import plugins
from plangen.api import load_plan
from plangen.testing.examples import label_problems, missing_fields, uncommented

TYPES = plugins.get_registry().plan_types


@pytest.mark.parametrize("name", sorted(TYPES))
def test_every_comment_label_is_an_accepted_key(name: str) -> None:
    assert label_problems(TYPES[name]) == []


@pytest.mark.parametrize("name", sorted(TYPES))
def test_every_field_of_the_model_is_shown(name: str) -> None:
    assert missing_fields(TYPES[name]) == []


@pytest.mark.parametrize("name", sorted(TYPES))
def test_the_example_with_every_line_uncommented_still_validates(name: str, tmp_path) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_text(uncommented(TYPES[name].example), encoding="utf-8")
    assert yaml.safe_load(path.read_text(encoding="utf-8"))
    load_plan(path)


def test_a_wrong_label_and_a_missing_field_are_found() -> None:
    """The checks themselves: the label 总结报送 (not a key) and a dropped 落款 are reported."""
    plan_type = TYPES["hygiene-month"]
    broken = plan_type.example.replace("# 报送", "# 总结报送", 1)
    broken = "\n".join(line for line in broken.splitlines() if "signature:" not in line) + "\n"
    import dataclasses

    copy = dataclasses.replace(plan_type, example=broken)
    assert any("总结报送" in p for p in label_problems(copy))
    assert "signature" in missing_fields(copy)
