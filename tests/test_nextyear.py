"""plangen next: next year's input from this year's, for every sample — dates moved, year counted on,
the theme emptied with a comment, comments kept; the result validates once the theme is filled."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from plangen import api
from plangen.inputs.nextyear import next_year, shift_date
from plangen.testing import docx as R

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.yaml")))
def test_every_sample_moves_to_next_year_and_validates_once_the_theme_is_filled(sample: str, tmp_path: Path) -> None:
    from test_batch import run_cli

    target = tmp_path / sample
    code, _, err = run_cli("next", str(SAMPLES / sample), "-o", str(target))
    assert code == 0, err
    old, new = (SAMPLES / sample).read_text(encoding="utf-8"), target.read_text(encoding="utf-8")
    # every comment line of the original is still there
    assert [s for s in old.splitlines() if s.lstrip().startswith("#")] == [s for s in new.splitlines() if s.lstrip().startswith("#")]
    data = yaml.safe_load(new)
    before = yaml.safe_load(old)
    if "year" in before:
        assert data["year"] == before["year"] + 1
    if "theme" in before:
        assert data["theme"] == "" and "# 请填写2025年的主题" in new
        code, _, err = run_cli("validate", str(target))
        assert code == 2 and "theme" in err, err
        data["theme"] = "健康中国 你我同行"
    plan = api.plan_from_mapping(data, source=sample)
    was = api.plan_from_mapping(before, source=sample)
    assert plan.data.dates.start == shift_date(was.data.dates.start)
    assert plan.data.dates.issue_date == shift_date(was.data.dates.issue_date)
    text = R.text(api.generate(data, tmp_path / "out"))
    assert "2025年" in text and "2024年" not in text.split("\n")[-1]


def test_hygiene_month_edition_and_dates_follow(tmp_path: Path) -> None:
    data = yaml.safe_load(next_year((SAMPLES / "hygiene-month.yaml").read_text(encoding="utf-8")))
    data["theme"] = "健康中国 你我同行"
    text = R.text(api.generate(data, tmp_path))
    assert "2025年4月是第37个全国爱国卫生月" in text
    assert R.paragraphs(api.generate(data, tmp_path))[-1].text == "2025年3月25日"


def test_leap_day_and_written_forms() -> None:
    assert shift_date(date(2024, 2, 29)) == date(2025, 2, 28)
    text = "year: 2024\nedition: 36\ndates: {issued: 2024-02-29, start: 2024/4/1, end: 2024年4月30日}\nbasis: [城发〔2024〕8号]\n"
    assert next_year(text) == "year: 2025\nedition: 37\ndates: {issued: 2025-02-28, start: 2025/4/1, end: 2025年4月30日}\nbasis: [城发〔2024〕8号]\n"


def test_json_input_is_refused_with_exit_2(tmp_path: Path) -> None:
    from test_batch import run_cli

    source = tmp_path / "plan.json"
    source.write_text('{"type": "hygiene-month"}', encoding="utf-8")
    code, _, err = run_cli("next", str(source))
    assert code == 2 and "plan.json" in err and "YAML" in err


def test_next_lists_the_references_to_earlier_years_it_left(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Last year's basis and document numbers are kept (they may be right), but named for the clerk to check."""
    from procs import run_cli

    monkeypatch.setenv("PLANGEN_LANG", "zh")
    source = tmp_path / "plan.yaml"
    text = (SAMPLES / "hygiene-month-notice.yaml").read_text(encoding="utf-8")
    source.write_text(text.replace("year: 2024", "year: 2026").replace("2024-", "2026-").replace("〔2024〕", "〔2026〕"), encoding="utf-8")
    code, out, err = run_cli("next", str(source))
    assert code == 0 and yaml.safe_load(out)["year"] == 2027  # stdout is still the input alone
    assert "请核对" in err and "城发〔2026〕8号" in err and "东社〔2026〕5号" in err, err
    code, out, err = run_cli("next", str(source), "-o", str(tmp_path / "next.yaml"))
    assert code == 0 and "城发〔2026〕8号" in err and "已写出" in out


def test_earlier_references_finds_titles_and_numbers_of_earlier_years_only() -> None:
    from plangen.inputs.nextyear import earlier_references, plan_year

    data = {"year": 2027, "basis": {"title": "关于印发双溪县2026年爱国卫生工作要点的通知", "number": "双政办〔2026〕12号"},
            "issuer": {"number": "桃村〔2026〕3号"}, "goal": "落实《县2027年工作要点》和《2025年规划》", "other": "建发〔2027〕1号"}
    assert plan_year(data) == 2027 and plan_year({"日期": {"开始": date(2026, 4, 1)}}) == 2026
    assert earlier_references(data, 2027) == ["《关于印发双溪县2026年爱国卫生工作要点的通知》", "双政办〔2026〕12号", "桃村〔2026〕3号", "《2025年规划》"]


def test_a_chinese_year_key_moves_once_and_a_blocks_own_year_moves_with_it() -> None:
    """``年度: 2024`` became 2026 (moved by the plan's year and again as "another year"); a target's
    ``year`` under its block stayed, so next year's survey had its target before the survey."""
    moved = yaml.safe_load(next_year("年度: 2024\n目标年度: 2026\ntargets:\n  year: 2026\n配备:\n  年度: 2027\n"))
    assert moved == {"年度": 2025, "目标年度": 2027, "targets": {"year": 2027}, "配备": {"年度": 2028}}
    assert yaml.safe_load(next_year("year: 2024\ntarget_year: 2026\n")) == {"year": 2025, "target_year": 2027}


@pytest.mark.parametrize("year", [2027, 2028])
def test_a_new_survey_draft_of_a_later_year_is_a_valid_plan(year: int) -> None:
    """A new draft starts in the current year (web.core.this_year, through next_year): the survey's target
    year moves with its dates, so the draft is not refused the moment it is made."""
    from plangen.plugins.process import get_registry
    from plangen.web.core import this_year

    kind = get_registry().plan_type("survey-report")
    data = yaml.safe_load(this_year(kind.example, date(year, 3, 1)))  # the example text
    assert data["dates"]["start"].year == year and data["targets"]["year"] == year + 2
    plan = api.plan_from_mapping(data)
    assert plan.data.targets.year == year + 2
