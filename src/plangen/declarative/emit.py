"""Write a plan-type folder from a (possibly edited) proposal: ``plantype.yaml``, the template in
plangen's markup, and the example input holding the source's own values."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from plangen import files
from plangen.declarative import SPEC_FILE
from plangen.declarative.learned import Learned, LearnedBlock, Segment
from plangen.templating.jinja import escape

_ROSTER = """```roster
{% for label, names in plan.leadership.roster() %}
{{ label }}：{{ names }}
{% endfor %}
```"""


def _fixed(text: str) -> str:
    """Fixed wording as markup: inert (ASCII marks backslashed, so no ``{{`` can start an expression)."""
    return escape(text.replace("\n", ""))


def _segments(segments: list[Segment]) -> str:
    return "".join(s.expr if s.field and s.expr else _fixed(s.text) for s in segments)


def _block(block: LearnedBlock) -> str:
    if block.kind == "title":
        return "# " + _segments(block.segments)
    if block.kind.startswith("h"):
        return "#" * (int(block.kind[1]) + 1) + " " + _segments(block.segments)
    if block.kind == "roster":
        if block.segments and block.segments[0].field == "leadership":
            return _ROSTER
        return "```roster\n" + "\n".join(_fixed(line) for line in block.text.split("\n")) + "\n```"
    if block.kind == "signature":
        signer, date_ = _split_lines(block.segments)
        return "```signature\n" + _segments(signer) + "\n" + _segments(date_) + "\n```"
    if block.kind == "table":
        rows = ["| " + " | ".join(_segments(cell) or " " for cell in row) + " |" for row in block.rows]
        rows.insert(1, "|" + "---|" * len(block.rows[0]))
        return "\n".join(rows)
    if block.kind == "flush":
        return "```flush\n" + _segments(block.segments) + "\n```"
    return _segments(block.segments)


def _split_lines(segments: list[Segment]) -> tuple[list[Segment], list[Segment]]:
    for i, s in enumerate(segments):
        if s.text == "\n" and not s.field:
            return segments[:i], segments[i + 1 :]
    return segments, []


def template_text(learned: Learned) -> str:
    head = "{#- %s：由 plangen learn 从 %s 学得。{{ }} 处是每年、每个单位要填的内容，其余是固定表述。 -#}\n" % (learned.title, learned.source or "文件")
    return head + "\n\n".join(_block(b) for b in learned.blocks if b.segments or b.rows) + "\n"


def _kind(kind: str) -> str:
    return {"text": "文本", "long text": "长文本", "date": "日期", "number": "数字", "year": "年度", "list": "列表",
            "person": "人员", "people": "人员名单", "table": "表格", "choice": "选项"}[kind]


def spec_text(learned: Learned) -> str:
    fields: list[dict[str, Any]] = []
    for f in learned.fields:
        if not f.own:
            continue
        item: dict[str, Any] = {"key": f.path, "label": f.label, "kind": _kind(f.kind)}
        if f.count_from:
            item["count_from"] = f.count_from
            item["help"] = f"省略时按年度推算（{f.count_from}年为第1个）"
        fields.append(item)
    data = {"name": learned.name, "title": learned.title, "description": f"由 {learned.source or '文件'} 学得",
            "fields": fields, "roster_columns": {"单位名称": "unit.name", "上级单位": "unit.parent"}}
    head = "# 方案类型：不用写代码。fields 是填写项（key 英文键、label 中文名、kind 类型），\n# 正文在 %s.md.j2，示例输入在 %s.example.yaml。\n" % (learned.name, learned.name)
    return head + str(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000))


def _value(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and re.fullmatch(r"[\u4e00-\u9fff\w（）〔〕“”《》、·\-]+", value) and not re.fullmatch(r"[\d\-]+", value):
        return value
    return json.dumps(value, ensure_ascii=False)


def _line(key: str, value: str, comment: str, indent: int = 0) -> str:
    text = " " * indent + f"{key}: {value}"
    return f"{text.ljust(30)} # {comment}"


def example_text(learned: Learned) -> str:
    """The example input: the source's own values, so it regenerates the source."""
    get = {f.path: f for f in learned.fields}
    out = [f"# {learned.title} — plangen 输入文件（由 plangen learn 从 {learned.source or '文件'} 学得，填的是原文件的内容）",
           "# 生成：plangen generate 本文件 -o 输出文件夹/；明年：plangen next 本文件 -o 新文件",
           _line("type", learned.name, "类型")]
    unit = get.get("unit.name")
    out.append("unit:".ljust(30) + " # 单位")
    out.append(_line("name", _value(unit.value if unit else "本单位"), "名称", 2))
    if "unit.parent" in get:
        out.append(_line("parent", _value(get["unit.parent"].value), "上级单位", 2))
    out.append("dates:".ljust(30) + " # 日期")
    for path, label in (("dates.start", "开始"), ("dates.end", "结束"), ("dates.issued", "成文日期（落款日期）")):
        if path in get:
            out.append(_line(path.split(".")[1], _value(get[path].value), label, 2))
    for f in learned.fields:
        if not f.own:
            continue
        if f.count_from:
            out.append("# " + _line(f.path, _value(f.value), f"{f.label}：省略时按年度推算（{f.count_from}年为第1个）"))
        else:
            out.append(_line(f.path, _value(f.value), f.label))
    if "leadership" in get:
        r = get["leadership"].value
        out.append("leadership:".ljust(30) + " # 领导小组")
        out.append(_line("leader", _value(_person(r["leader"])), "组长", 2))
        if r["deputies"]:
            out.append(_line("deputies", _value([_person(p) for p in r["deputies"]]), "副组长", 2))
        if r["members"]:
            out.append(_line("members", _value([_person(p) for p in r["members"]]), "成员", 2))
    if "contact" in get:
        out.append(_line("contact", _value(get["contact"].value), "联系人：姓名和电话"))
    if "signature" in get:
        out.append(_line("signature", _value(get["signature"].value), "落款：落款机关全称"))
    return "\n".join(out) + "\n"


def _person(p: dict[str, str]) -> str:
    return f"{p['name']}（{p['post']}）" if p.get("post") else p["name"]


def write_folder(learned: Learned, out_dir: Path) -> Path:
    """Write ``out_dir/NAME/`` (replacing its three files) and return the folder."""
    folder = Path(out_dir) / learned.name
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ((SPEC_FILE, spec_text(learned)), (f"{learned.name}.md.j2", template_text(learned)),
                       (f"{learned.name}.example.yaml", example_text(learned))):
        try:
            files.write_atomic(folder / name, text.encode("utf-8"))
        except OSError as exc:
            raise files.fail(folder / name, exc) from None
    return folder
