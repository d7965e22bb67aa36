"""An example roster for a plan type: a column for every field one cell can fill, and one filled row.

The plan type's own roster headers (社区名称, 社区党委书记…) come first; every other field is headed by
its Chinese keys joined with dots (领导小组.办公室.设在), which ``plangen batch`` reads back as a path.
Together with ``plangen new TYPE`` as the base it runs as it is.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from plangen.batch.mapping import PathPart, leaf_paths, resolve
from plangen.inputs.reading import parse_text
from plangen.plugins.plantype import PlanType


def _raw_at(data: Any, path: tuple[PathPart, ...], keys: tuple[str, ...]) -> Any:
    """The value at a path in the example's own mapping, whichever spelling (English/Chinese) it uses."""
    node = data
    for part, chinese in zip(path, keys, strict=True):
        if not isinstance(node, dict):
            return None
        node = node.get(part, node.get(chinese)) if isinstance(part, str) else None
    return node


def _cell(value: Any) -> str:
    if value is None or isinstance(value, dict):
        return ""
    if isinstance(value, list):
        if not all(isinstance(v, (str, int, float)) for v in value):
            return ""
        return "、".join(str(v) for v in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def example_roster(plan_type: PlanType) -> tuple[list[str], list[list[str]]]:
    """(headers, rows) of an example roster for ``plan_type``."""
    model = plan_type.model
    by_path: dict[tuple[PathPart, ...], str] = {}
    for header, target in plan_type.roster_columns.items():
        by_path.setdefault(resolve(model, target).path, header)
    example = parse_text(plan_type.example, plan_type.name) if plan_type.example else {}
    leaves = dict(leaf_paths(model))
    columns = [(header, path) for path, header in by_path.items()]
    columns += [(".".join(chinese), path) for path, chinese in leaves.items() if path not in by_path]
    headers = [header for header, _ in columns]
    row = [_cell(_raw_at(example, path, leaves[path])) if path in leaves else "" for _, path in columns]
    return headers, [row]


def roster_bytes(headers: list[str], rows: list[list[str]], suffix: str) -> bytes:
    """The roster as .csv (UTF-8 with BOM, so Excel opens it) or .xlsx bytes."""
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import Workbook
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.worksheet import Worksheet

        book = Workbook()
        sheet = book.active
        assert isinstance(sheet, Worksheet)  # a new workbook's one sheet is a worksheet, and active
        sheet.title = "花名册"
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
        for i, header in enumerate(headers, 1):
            sheet.column_dimensions[get_column_letter(i)].width = max(10, min(40, 2 * len(header) + 2))
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return text.getvalue().encode("utf-8-sig")


def roster_suffix(path: Path | None) -> str:
    return path.suffix.lower() if path is not None and path.suffix.lower() in (".xlsx", ".xlsm") else ".csv"
