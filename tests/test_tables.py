"""Table columns sized by the text they hold: headers whole, no character alone on a cell's last line.

The widths are read back from the .docx (tcW) and the cells wrapped with the 14 pt table font (280
twips a Chinese character) by plangen.testing.tables, a plain model independent of the writer's.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from plangen import api, plugins
from plangen.document import Document, Table, Title
from plangen.gbt9704 import layout as L
from plangen.gbt9704.tables import CELL_PAD, column_widths
from plangen.testing import tables as T
from plangen.writer import write_docx

ROOT = Path(__file__).resolve().parent.parent


def _docx(tmp_path: Path, table: Table) -> Path:
    path = tmp_path / "t.docx"
    path.write_bytes(write_docx(Document([Title("表格"), table], title="表格")))
    return path


def test_cultural_calendar_months_read_well(tmp_path: Path) -> None:
    path = api.generate(ROOT / "samples" / "cultural-calendar.yaml", tmp_path)
    T.assert_tables_read_well(path)
    (table,) = T.tables(path)
    widths = [w for _, w in table[0]]
    assert sum(widths) == L.TYPE_W
    themes = [T.cell_lines(row[1][0], row[1][1]) for row in table[1:]]
    # every theme of the sample is short enough to stay on one line: none is split mid-phrase (文明树 / 新风)
    assert all(len(lines) == 1 for lines in themes), themes
    # the short 负责人 column (社区居委会) is not the widest while the activities wrap
    assert widths[3] < max(widths)


def test_visit_campaign_pairing_reads_well(tmp_path: Path) -> None:
    path = api.generate(ROOT / "samples" / "visit-campaign.yaml", tmp_path)
    T.assert_tables_read_well(path)


def test_every_plan_types_example_tables_read_well(tmp_path: Path) -> None:
    for name, kind in plugins.get_registry().plan_types.items():
        path = api.generate(yaml.safe_load(kind.example), tmp_path / name)
        T.assert_tables_read_well(path, allow_unit_line=True)


@pytest.mark.parametrize(
    "header, rows",
    [
        # a 社区 visit campaign: long department names squeeze the middle column (old: 结对村（社 / 区）)
        (["单位", "结对村（社区）", "联系领导"],
         [["城南街道党工委办公室（组织办）", "城南街道东湖社区", "魏长青（街道党工委副书记、办事处主任）"],
          ["城南街道社会治理综合服务中心", "西湖社区", "孟晓雯（街道党工委委员、武装部部长）"]]),
        # five columns of figures with units (old: 用房面积（平方 / 米）)
        (["社区", "正式人员（名）", "聘用人员（名）", "用房面积（平方米）", "年度经费（万元）"],
         [["锦江社区", "6", "4", "460", "24"], ["新华路社区", "15", "14", "1380", "121.5"], ["合计", "21", "18", "1840", "145.5"]]),
        # four text columns
        (["月份", "主题", "活动形式", "负责人"],
         [["1月", "辞旧迎新庆元旦", "新年联欢会、趣味游园、文明家庭表彰", "社区居委会"],
          ["3月", "学雷锋 树新风", "学雷锋志愿服务集中行动、便民服务进楼院", "社区居委会"],
          ["8月", "八一拥军 情暖军属", "走访慰问退役军人和军属、拥军优属座谈会", "刘志强（社区退役军人服务站站长）"]]),
    ],
    ids=["pairing", "figures", "calendar"],
)
def test_crafted_tables_read_well(tmp_path: Path, header: list[str], rows: list[list[str]]) -> None:
    path = _docx(tmp_path, Table(header, rows))
    T.assert_tables_read_well(path, allow_unit_line=True)
    assert sum(w for _, w in T.tables(path)[0][0]) == L.TYPE_W


def test_headers_stay_on_one_line_when_the_type_area_allows(tmp_path: Path) -> None:
    path = _docx(tmp_path, Table(["单位", "结对村（社区）", "联系领导"], [["镇财政所", "西街社区", "方海涛（镇党委委员）"]]))
    assert T.split_headers(path) == []


def test_the_model_sees_the_old_orphans() -> None:
    """The reading model flags what the issue saw, so the tests above can fail."""
    assert T.cell_lines("结对村（社区）", 5 * 280 + 170) == ["结对村（社", "区）"]
    assert T.cell_lines("用房面积（平方米）", 7 * 280 + 170) == ["用房面积（平方", "米）"]
    assert T.cell_lines("正式人员（名）", 5 * 280 + 170) == ["正式人员", "（名）"]


_CELL = st.text(alphabet="社区居委会主题活动形式负责人（）、，0123456789 ", max_size=30)


@settings(max_examples=60, deadline=None)
@given(st.lists(_CELL, min_size=1, max_size=7), st.lists(st.lists(_CELL, min_size=1, max_size=7), max_size=8))
def test_any_table_fills_the_type_area(header: list[str], rows: list[list[str]]) -> None:
    widths = column_widths(header, rows)
    assert sum(widths) == L.TYPE_W
    assert len(widths) == max([len(header), *(len(r) for r in rows)])
    assert min(widths) >= CELL_PAD
