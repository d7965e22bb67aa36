"""One FieldPath (0-based inside, 1-based where people read and type it, 0-based in the web form's
names) and one walk over the input models (issue 23, point 4)."""

from __future__ import annotations

import pytest

from plangen.inputs.common import PlanInput
from plangen.inputs.paths import FieldPath
from plangen.inputs.walk import field_named, fields, models_below, steps, walk
from plangen.plugins import get_registry

HYGIENE = get_registry().plan_types["hygiene-month"].model


@pytest.mark.parametrize(("written", "parts"), [
    ("leadership.deputies[2].name", ("leadership", "deputies", 1, "name")),
    ("leadership.deputies.2.name", ("leadership", "deputies", 1, "name")),
    ("领导小组.副组长[1].姓名", ("领导小组", "副组长", 0, "姓名")),
    (" unit . name ", ("unit", "name")),
    ("tasks[10]", ("tasks", 9)),
    ("", ()),
])
def test_the_written_form_counts_from_1(written: str, parts: tuple[object, ...]) -> None:
    assert FieldPath.parse(written).parts == parts


def test_each_form_prints_as_it_is_read() -> None:
    path = FieldPath(("leadership", "deputies", 0, "name"))
    assert str(path) == "leadership.deputies[1].name"
    assert path.dotted() == "leadership.deputies.1.name"
    assert path.form_name() == "leadership.deputies[0].name"
    assert FieldPath.parse(str(path)) == path == FieldPath.parse(path.dotted())
    assert FieldPath.parse_form(path.form_name()) == path
    assert str(FieldPath()) == "" and not FieldPath()


@pytest.mark.parametrize("name", ["a..b", "a[x]", "a.b[12345]", "", "a]b"])
def test_a_posted_name_of_another_shape_is_not_a_path(name: str) -> None:
    assert FieldPath.parse_form(name) is None


def test_paths_grow_and_relate() -> None:
    unit = FieldPath(("unit",))
    assert unit / "name" == FieldPath(("unit", "name"))
    assert unit + ("name",) == unit + FieldPath(("name",)) == FieldPath(("unit", "name"))
    assert (unit / "name").related(unit) and unit.related(unit / "name")
    assert not (unit / "name").related(FieldPath(("unit", "parent")))


def test_the_walk_gives_path_chinese_keys_and_types_of_nested_fields() -> None:
    spots = {str(s.path): s for s in walk(HYGIENE)}
    name = spots["unit.name"]
    assert name.labels == ("单位", "名称") and name.label == "名称"
    assert name.annotation is str and name.keys == ("name", "名称")
    assert "leadership.leader.name" in spots  # a nested model is walked into
    assert not any(p.startswith("tasks[") for p in spots)  # a list's items have no path without a value
    tasks = spots["tasks"]
    assert tasks.model is not None and tasks.model.__name__ == "Task"


def test_the_walk_enters_only_where_asked() -> None:
    top = [str(s.path) for s in walk(HYGIENE, enter=lambda spot: False)]
    assert top == [str(s.path) for s in fields(HYGIENE)] and "unit" in top and "unit.name" not in top


def test_keys_resolve_in_either_language_and_steps_stop_where_the_model_ends() -> None:
    spot = field_named(PlanInput, "单位")
    assert spot is not None and spot.name == "unit"
    assert field_named(PlanInput, "nothing") is None
    walked = [(part, s.name if s else None) for part, s in steps(HYGIENE, FieldPath.parse("领导小组.副组长[2].姓名.x"))]
    assert walked == [("leadership", "leadership"), ("deputies", "deputies"), (1, None), ("name", "name")]


def test_every_model_below_is_listed_once() -> None:
    below = models_below(HYGIENE)
    assert below[0] is HYGIENE and len(below) == len(set(below))
    assert {"Unit", "Person", "Leadership", "Task"} <= {m.__name__ for m in below}
