"""``plangen check``: every generated plan and notice passes; every rule fires on a document broken
in just that respect; a badly made plan shows many kinds of problem; exit codes and output formats."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import broken
import pytest
import yaml

from plangen import api
from plangen.check import RULES, check
from plangen.plugins import get_registry

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

ISSUER = {
    "body": "城关镇人民政府",
    "number": "城政〔2024〕12号",
    "addressees": ["各村（社区）", "镇直各单位"],
    "copy_to": ["县人民政府办公室"],
    "printer": "城关镇党政办公室",
}


def plangen(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "plangen", *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> dict[str, Path]:
    """The hygiene-month sample as a plan and as a notice."""
    from plangen import plugins

    plugins.reset()
    out = tmp_path_factory.mktemp("clean")
    return {
        "plan": api.generate(SAMPLES / "hygiene-month.yaml", out / "plan.docx"),
        "notice": api.generate(SAMPLES / "hygiene-month-notice.yaml", out / "notice.docx", notice=True),
    }


def test_sample_plan_and_notice_pass(clean: dict[str, Path]) -> None:
    assert check(clean["plan"]) == []
    assert check(clean["notice"]) == []


def _with_issuer(mapping: dict, registry) -> dict:
    plan = api.plan_from_mapping(mapping, registry=registry)
    issuer = dict(ISSUER, printed=plan.data.dates.issue_date.isoformat())
    return {**mapping, "issuer": issuer} if "issuer" not in mapping and "发文" not in mapping else mapping


def test_every_plan_type_example_passes_as_plan_and_as_notice() -> None:
    """Iterates the registry, so plan types added later are covered without naming them here."""
    registry = get_registry()
    assert registry.plan_types, "no plan types are installed"
    for name, plan_type in sorted(registry.plan_types.items()):
        mapping = yaml.safe_load(plan_type.example)
        plan = api.plan_from_mapping(mapping, registry=registry, source=f"{name} example")
        _, plain = api.render_docx(plan, registry=registry)
        assert check(plain, name=f"{name}.docx") == [], name
        noticed = api.plan_from_mapping(_with_issuer(mapping, registry), registry=registry)
        _, issued = api.render_docx(noticed, registry=registry, notice=True)
        assert check(issued, name=f"{name}-notice.docx") == [], name


def test_windows_font_profile_passes(tmp_path: Path) -> None:
    path = api.generate(SAMPLES / "hygiene-month.yaml", tmp_path / "win.docx", fonts="windows")
    assert check(path) == []


# A broken edit may rightly set off a related rule as well (Letter paper is also wider, so 29
# characters fit a line); these are the only extras allowed.
ALSO = {
    "page-size": {"chars-per-line"},
    "body-size": {"chars-per-line"},
    "heading-level": {"heading-font", "heading-sequence"},  # （一） where 一、 stood: wrong font for a level-2 heading, and 二、 now comes first
}


@pytest.mark.parametrize("rule", sorted(broken.BREAKS))
def test_each_rule_fires_on_a_plan_broken_in_that_respect(clean: dict[str, Path], tmp_path: Path, rule: str) -> None:
    path = broken.broken_copy(clean["plan"], tmp_path / f"{rule}.docx", broken.BREAKS[rule])
    found = {f.rule for f in check(path)}
    assert rule in found
    assert found <= {rule} | ALSO.get(rule, set()), found


@pytest.mark.parametrize("rule", sorted(broken.NOTICE_BREAKS))
def test_each_notice_rule_fires_on_a_notice_broken_in_that_respect(clean: dict[str, Path], tmp_path: Path, rule: str) -> None:
    path = broken.broken_copy(clean["notice"], tmp_path / f"{rule}.docx", broken.NOTICE_BREAKS[rule])
    assert {f.rule for f in check(path)} == {rule}


def test_every_rule_has_a_broken_document() -> None:
    assert set(broken.BREAKS) | set(broken.NOTICE_BREAKS) == {r for r in RULES if not r.startswith("plugin:")}


def test_one_badly_made_plan_shows_many_kinds_of_problem(tmp_path: Path) -> None:
    findings = check(broken.badly_made_plan(tmp_path / "bad.docx"))
    kinds = {f.rule for f in findings}
    assert len(kinds) >= 6
    assert {
        "page-size", "page-margins", "body-font", "body-size", "line-pitch", "first-line-indent", "heading-sequence",
        "placeholder", "ascii-punctuation", "document-number", "zero-padded-date", "text-colour", "page-number-missing",
    } <= kinds
    sequence = [f for f in findings if f.rule == "heading-sequence"]
    assert [f.location for f in sequence] == ["paragraph 5 “三、工作目标”", "paragraph 6 “（二）清理卫生死角”"]
    assert [f.expected for f in sequence] == ["二、", "（一）"]


def test_style_problems_are_reported_once_with_a_count(clean: dict[str, Path], tmp_path: Path) -> None:
    path = broken.broken_copy(clean["plan"], tmp_path / "loose.docx", broken.loose_lines)
    (finding,) = check(path)
    assert finding.rule == "line-pitch"
    assert "more paragraphs (set in style Normal)" in finding.location
    assert finding.message == "line spacing is exact 31 pt (20 lines a page)"


def test_cli_human_output_names_file_rule_location_and_expectation(clean: dict[str, Path], tmp_path: Path) -> None:
    bad = broken.broken_copy(clean["plan"], tmp_path / "bad.docx", broken.skipped_heading_number, broken.ascii_colon)
    result = plangen("check", str(bad), str(clean["plan"]))
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert f"{bad}: heading-sequence: paragraph 9 “四、活动内容”: heading number 四、 skips the sequence; expected 三、" in lines
    assert any(line.startswith(f"{bad}: ascii-punctuation: paragraph ") and "“联系人:孙明怡" in line for line in lines)
    assert f"{clean['plan']}: ok" in lines
    assert "finding" in result.stderr


def test_cli_json_output(clean: dict[str, Path], tmp_path: Path) -> None:
    bad = broken.broken_copy(clean["plan"], tmp_path / "bad.docx", broken.placeholder, broken.letter_paper)
    result = plangen("check", "--json", str(bad))
    assert result.returncode == 1
    findings = json.loads(result.stdout)
    assert isinstance(findings, list) and findings
    for item in findings:
        assert {"file", "rule", "message", "location"} <= set(item)
        assert item["file"] == str(bad) and item["rule"] in RULES
    assert {"placeholder", "page-size"} <= {item["rule"] for item in findings}
    clean_result = plangen("check", "--json", str(clean["notice"]))
    assert clean_result.returncode == 0 and json.loads(clean_result.stdout) == []


def test_cli_unreadable_file_exit_2_with_one_line(clean: dict[str, Path], tmp_path: Path) -> None:
    junk = tmp_path / "junk.docx"
    junk.write_bytes(b"not a zip at all")
    missing = tmp_path / "missing.docx"
    result = plangen("check", str(junk), str(clean["plan"]))
    assert result.returncode == 2
    assert result.stderr.strip() == f"plangen: error: {junk}: cannot read: not a .docx (zip) file"
    assert f"{clean['plan']}: ok" in result.stdout  # the readable file is still checked
    result = plangen("check", str(missing))
    assert result.returncode == 2 and result.stderr.startswith(f"plangen: error: {missing}: cannot read:")
    assert len(result.stderr.strip().splitlines()) == 1


def test_cli_lists_rules() -> None:
    result = plangen("check", "--rules")
    assert result.returncode == 0
    assert [line.split()[0] for line in result.stdout.splitlines()] == list(RULES)
