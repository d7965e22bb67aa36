"""Checks between fields (plangen.inputs.fields.cross_check): the shared model's and the plan type's all run,
so independent mistakes come at once instead of one per attempt."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from procs import run_cli

from plangen import InputModel, Name, PlanInput, Problems, cross_check, msg, zh
from plangen.errors import InputError
from plangen.inputs.fields import cross_checks_of, validate

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "hygiene-month.yaml"


class _Base(InputModel):
    first: Name = zh("甲")
    second: Name = zh("乙")

    @cross_check
    def _differ(self) -> None:
        if self.first == self.second:
            raise ValueError(msg("test.same", "first and second are the same"))

    @cross_check
    def _short(self) -> None:
        found = Problems()
        for name in ("first", "second"):
            if len(getattr(self, name)) > 3:
                found.add(msg("test.long", "{name} is long", name=name), name)
        found.raise_any()


class _Child(_Base):
    third: Name = zh("丙", "x")

    @cross_check
    def _third(self) -> None:
        if self.third == self.first:
            raise ValueError(msg("test.third", "third repeats first"))


class _Relaxed(_Child):
    def _short(self) -> None:
        """Overridden without the mark: the base's check is replaced by nothing."""


def _problems(model: type[InputModel], data: dict[str, str]) -> list[tuple[str, str]]:
    with pytest.raises(InputError) as err:
        validate(model, data)
    return [(p.field, str(p.message)) for p in err.value.problems]


def test_every_check_of_the_model_and_its_bases_runs_and_all_problems_come_together() -> None:
    assert cross_checks_of(_Child) == ("_differ", "_short", "_third")
    found = _problems(_Child, {"first": "abcd", "second": "abcd", "third": "abcd"})
    assert found == [("", "first and second are the same"), ("first", "first is long"), ("second", "second is long"),
                     ("", "third repeats first")]


def test_a_check_overridden_without_the_mark_no_longer_runs() -> None:
    assert cross_checks_of(_Relaxed) == ("_differ", "_third")
    assert _problems(_Relaxed, {"first": "abcd", "second": "abcd", "third": "abcd"}) == [
        ("", "first and second are the same"), ("", "third repeats first")]
    assert validate(_Relaxed, {"first": "abcd", "second": "efgh"}).first == "abcd"


def test_the_shared_checks_of_every_plan_run_before_the_plan_types_own() -> None:
    from plangen_plans.hygiene_month import HygieneMonth

    checks = cross_checks_of(HygieneMonth)
    assert checks[0] == "_dates_of_one_year" and "_edition_and_year" in checks
    assert cross_checks_of(PlanInput) == ("_dates_of_one_year",)


class _WithNumber(_Child):
    number: int = zh("数", 1, ge=1)

    @cross_check
    def _number_small(self) -> None:
        if self.number > 5:
            raise ValueError(msg("test.number", "number is over 5"))


def test_checks_that_need_only_valid_fields_run_even_when_another_field_is_wrong() -> None:
    found = _problems(_WithNumber, {"first": "abcd", "second": "abcd", "third": "x", "number": 0})
    assert ("number", "must be at least 1") in found  # the field's own error…
    assert ("", "first and second are the same") in found and ("first", "first is long") in found  # …and the checks
    assert not [m for _, m in found if "over 5" in m]  # a check reading the wrong field waits for it
    assert len(found) == 4, found


def _sample_with(tmp_path: Path, **changes: object) -> Path:
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    year = data["year"]
    data["dates"]["issued"] = f"{year}-05-25"  # after the month ends: the shared check of every plan
    data.update(changes)
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.chinese
def test_cli_names_a_shared_date_mistake_and_the_plan_types_mistake_together_one_line_each(tmp_path: Path) -> None:
    path = _sample_with(tmp_path, edition=30)
    code, out, err = run_cli("generate", str(path), "-o", str(tmp_path / "out"))
    lines = err.strip().splitlines()
    assert code == 2 and not out, err
    assert len(lines) == 2, err
    assert all(line.startswith(f"plangen：错误：{path}：") for line in lines), lines
    assert "成文日期" in lines[0] and "-05-25" in lines[0]
    assert "届次 30" in lines[1]
    assert "Traceback" not in err
    assert not list(tmp_path.rglob("*.docx"))  # no plan made from a wrong input


def test_a_plan_type_with_several_checks_reports_each_failure() -> None:
    from plangen_plans.cultural_calendar import CulturalCalendar

    data = {"unit": {"name": "城关县民政局"}, "year": 2024, "months": [{"month": 9, "theme": "端午诗会"}]}
    found = _problems(CulturalCalendar, data)
    messages = [m for _, m in found]
    assert any("is a department or office" in m for m in messages), found
    assert any("names 端午节, which falls in month 6" in m for m in messages), found
    assert ("months[1]", next(m for m in messages if "端午" in m)) in found


@pytest.mark.chinese
def test_cli_names_a_field_mistake_and_the_checks_between_the_other_fields_in_one_answer(tmp_path: Path) -> None:
    path = _sample_with(tmp_path, edition=30, theme="")
    code, _, err = run_cli("generate", str(path), "-o", str(tmp_path / "out"))
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 3, err
    assert "不能为空" in lines[0] and "成文日期" in lines[1] and "届次 30" in lines[2]
