"""The envelope keys (type/类型, fonts/字体, columns/列映射) have one owner: the API, the batch and the
JSON Schema agree on them, and every sample validates against its own type's schema."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml
from on_pilot import EXAMPLE

from plangen import api
from plangen.batch import BatchOptions, run_batch
from plangen.errors import InputError
from plangen.inputs.envelope import split
from plangen.plugins import get_registry
from plangen.schema import input_schema

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))


class _EditorLoader(yaml.SafeLoader):
    """YAML as an editor's schema check sees it: 2026-04-01 is a string, not a date."""


_EditorLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _roster(tmp_path: Path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text("社区名称\n东街社区\n", encoding="utf-8-sig")
    return path


def test_split_separates_envelope_from_body() -> None:
    envelope, body = split({"类型": "pilot", "fonts": "gb", "列映射": {"a": "unit.name"}, "theme": "x"})
    assert (envelope.plan_type, envelope.fonts, envelope.columns) == ("pilot", "gb", {"a": "unit.name"})
    assert envelope.key("columns") == "列映射" and envelope.key("type") == "类型"
    assert body == {"theme": "x"}


@pytest.mark.usefixtures("pilot_only")
@pytest.mark.parametrize(("english", "chinese"), [("type", "类型"), ("fonts", "字体"), ("columns", "列映射")])
def test_both_spellings_are_an_error_in_the_api(english: str, chinese: str) -> None:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data[english] = data.get(english, "gb" if english == "fonts" else {})
    data[chinese] = data[english]
    with pytest.raises(InputError, match=f"both '{english}' and '{chinese}' are given"):
        api.plan_from_mapping(data)


@pytest.mark.usefixtures("pilot_only")
@pytest.mark.parametrize(("english", "chinese"), [("type", "类型"), ("fonts", "字体"), ("columns", "列映射")])
def test_both_spellings_are_an_error_in_the_batch(tmp_path: Path, english: str, chinese: str) -> None:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data[english] = data.get(english, "gb" if english == "fonts" else {})
    data[chinese] = data[english]
    base = tmp_path / "base.yaml"
    base.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match=f"both '{english}' and '{chinese}' are given") as info:
        run_batch(BatchOptions(roster=_roster(tmp_path), base=base, output=tmp_path / "o", jobs=1))
    assert str(base) in str(info.value)
    assert not (tmp_path / "o").exists()


@pytest.mark.usefixtures("pilot_only")
def test_batch_columns_file_with_both_spellings_is_an_error(tmp_path: Path) -> None:
    columns = tmp_path / "columns.yaml"
    columns.write_text("columns:\n  社区名称: unit.name\n列映射:\n  社区名称: unit.name\n", encoding="utf-8")
    options = BatchOptions(roster=_roster(tmp_path), base=EXAMPLE, output=tmp_path / "o",
                           columns=columns, jobs=1)
    with pytest.raises(InputError, match="both 'columns' and '列映射' are given"):
        run_batch(options)


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.name for p in SAMPLES])
def test_every_sample_validates_against_its_schema(sample: Path) -> None:
    data = yaml.load(sample.read_text(encoding="utf-8"), Loader=_EditorLoader)
    envelope, _ = split(data)
    schema = input_schema(get_registry().plan_type(envelope.plan_type))
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in jsonschema.Draft202012Validator(schema).iter_errors(data)]
    assert errors == []


@pytest.mark.usefixtures("pilot_only")
def test_schema_knows_every_envelope_key_and_refuses_both_spellings() -> None:
    from plangen.inputs.envelope import ENVELOPE_KEYS

    data = yaml.load(EXAMPLE.read_text(encoding="utf-8"), Loader=_EditorLoader) | {"columns": {"社区名称": "unit.name"}}
    schema = input_schema(get_registry().plan_type("pilot"))
    assert set(ENVELOPE_KEYS) <= set(schema["properties"])
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid(data)
    assert not validator.is_valid({**data, "列映射": data["columns"]})
    assert not validator.is_valid({**data, "columns": {"社区名称": 3}})
