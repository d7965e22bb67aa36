"""A report made from the example by another unit surveys its own place, never the example's 城关镇城区."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
import pytest
import yaml

from plangen import api, plugins


def _report(unit: dict[str, str], tmp_path: Path) -> str:
    example = plugins.get_registry().plan_types["survey-report"].example
    assert example
    data: dict[str, Any] = yaml.safe_load(example)
    path = api.generate({**data, "type": "survey-report", "unit": unit}, tmp_path)
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


@pytest.mark.parametrize(("unit", "title", "signer"), [
    ({"name": "梅渚镇", "parent": "郎溪县"}, "关于郎溪县梅渚镇社区建设情况的调研报告", "梅渚镇人民政府组织调研组"),
    ({"name": "南湖街道", "parent": "宣州区"}, "关于宣州区南湖街道社区建设情况的调研报告", "南湖街道办事处组织调研组"),
    ({"name": "郎溪县民政局", "parent": "郎溪县"}, "关于郎溪县社区建设情况的调研报告", "郎溪县民政局组织调研组"),
])
def test_another_units_report_surveys_its_own_place(tmp_path: Path, unit: dict[str, str], title: str, signer: str) -> None:
    text = _report(unit, tmp_path)
    assert text.startswith(title) and signer in text and "城关" not in text


def test_the_example_towns_own_report_keeps_its_scope(tmp_path: Path) -> None:
    text = _report({"name": "城关镇", "kind": "镇"}, tmp_path)
    assert text.startswith("关于城关镇城区社区建设情况的调研报告") and "城关镇城区现有社区5个" in text
