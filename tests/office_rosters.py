"""Rosters made the way a 镇 office keeps them, and reading each generated plan back against its own row.

A title row (merged across the sheet) above the headers 序号/单位名称/书记/主任/委员/联系人/联系电话,
社区 and 村 mixed in one sheet, a two-row header with a merged 领导小组 cell, a GBK CSV saved by Chinese
Excel, blank cells, a roster with no people at all. All names are invented.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from docx import Document as Docx

HEADERS = ["序号", "单位名称", "书记", "主任", "委员", "联系人", "联系电话"]
TITLE = "城关镇各村(社区)爱国卫生月领导小组名册"


@dataclass(frozen=True)
class Unit:
    name: str
    secretary: str
    director: str
    members: str
    contact: str
    phone: str

    @property
    def level(self) -> str:
        return "村" if self.name.endswith("村") else "社区"

    def cells(self, number: int) -> list[object]:
        return [number, self.name, self.secretary, self.director, self.members, self.contact, self.phone]


UNITS = [  # 社区 and 村 alternate, so the first three rows show both levels
    Unit("东街社区", "周文清", "吴海燕", "李一鸣、郑小红", "钱方舟", "0523-88110001"),
    Unit("桃园村", "谢振宇", "韩春花", "唐磊、曹芳", "彭大海", "13812340005"),
    Unit("南街社区", "王立新", "孙晓梅", "赵志强、冯丽", "何思远", "0523-88110002"),
    Unit("柳河村", "袁志刚", "邓秀英", "蒋伟、沈娜", "曾庆丰", "13812340006"),
    Unit("西街社区", "陈国栋", "朱红霞", "林涛、黄静", "高明月", "0523-88110003"),
    Unit("杏花村", "潘玉林", "田桂兰", "董亮、程雪", "苏文博", "13812340007"),
    Unit("北街社区", "杨建华", "许丽娟", "罗斌、梁婷", "宋佳怡", "0523-88110004"),
    Unit("石桥村", "范永军", "魏淑珍", "吕浩、丁悦", "任晓东", "13812340008"),
]

POSTS = {"社区": ("社区党委书记", "社区居委会主任"), "村": ("村党组织书记", "村委会主任")}


def titled_xlsx(path: Path, units: list[Unit] = UNITS) -> Path:
    """A title merged across A1:G1, a blank row, then the headers on row 3."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append([TITLE])
    sheet.merge_cells("A1:G1")
    sheet.append([])
    sheet.append(HEADERS)
    for i, unit in enumerate(units, 1):
        sheet.append(unit.cells(i))
    book.save(path)
    return path


def two_row_header_xlsx(path: Path, units: list[Unit] = UNITS) -> Path:
    """Row 1 a title; row 2 序号/单位名称 merged down, 领导小组 merged over C2:E2; row 3 书记/主任/委员."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append([TITLE])
    sheet.merge_cells("A1:G1")
    sheet.append(["序号", "单位名称", "领导小组", None, None, "联系人", "联系电话"])
    sheet.append([None, None, "书记", "主任", "委员", None, None])
    for cell in ("A2:A3", "B2:B3", "F2:F3", "G2:G3"):
        sheet.merge_cells(cell)
    sheet.merge_cells("C2:E2")
    for i, unit in enumerate(units, 1):
        sheet.append(unit.cells(i))
    book.save(path)
    return path


def gbk_csv(path: Path, units: list[Unit] = UNITS, headers: list[str] = HEADERS) -> Path:
    """What Chinese Excel saves as “CSV (逗号分隔)”: GBK, no BOM, CRLF."""
    with path.open("w", encoding="gbk", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(headers)
        for i, unit in enumerate(units, 1):
            writer.writerow(unit.cells(i))
    return path


def plan_text(path: Path) -> str:
    return "\n".join(p.text for p in Docx(str(path)).paragraphs)


def assert_plan_is_its_rows(path: Path, unit: Unit, other_names: list[str]) -> None:
    """The plan names this row's unit and people with the posts of its level, and nobody else's."""
    text = plan_text(path)
    leader_post, deputy_post = POSTS[unit.level]
    assert f"组长：{unit.secretary}（{leader_post}）" in text, text
    assert f"副组长：{unit.director}（{deputy_post}）" in text or f"副组长：{unit.director}（社区主任）" in text, text
    assert f"成员：{unit.members}" in text
    assert f"联系人：{unit.contact}，联系电话：{unit.phone}。" in text
    lines = [p.text for p in Docx(str(path)).paragraphs if p.text.strip()]
    organ = "村民委员会" if unit.level == "村" else "居民委员会"
    assert lines[-2] == unit.name + organ  # the unit's own organ signs
    for other in other_names:
        assert other not in text, other
    if unit.level == "村":
        for word in ("社区党委", "社区主任", "社区居委会", "居民委员会"):
            assert word not in text, word
