"""``plangen learn FILE -o DIR``: last year's document in, a plan-type folder out.

:func:`propose` reads the document through the fix recogniser and proposes fields
(:mod:`.detect`); :mod:`.emit` writes the folder. The web page calls the same two steps, with the
clerk's changes to the proposal in between.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from plangen.declarative import detect as D
from plangen.declarative.learned import Learned, LearnedBlock, LearnedField, Segment
from plangen.document import Heading, Paragraph, Signature, Table, Title
from plangen.errors import InputError, Problem
from plangen.i18n import msg

# a few well-known kinds: their machine names; any other kind gets learned-<n>
KNOWN_NAMES = (
    ("防汛", "flood-plan"), ("森林防火", "forest-fire"), ("消防", "fire-safety"), ("安全生产", "work-safety"),
    ("禁毒", "anti-drug"), ("助残", "disability-day"), ("垃圾分类", "waste-sorting"), ("爱国卫生", "hygiene-plan"),
    ("走访", "visit-plan"), ("地质灾害", "geohazard-plan"), ("文明", "civility-plan"), ("防震", "quake-plan"),
)


def _blocks(document: Any) -> tuple[list[LearnedBlock], str, str]:
    """The recogniser's blocks as learned blocks of one fixed segment; (blocks, signer, signing date)."""
    out: list[LearnedBlock] = []
    signer, signed = "", ""
    for block in document.blocks:
        if isinstance(block, Title):
            out.append(LearnedBlock("title", [Segment(block.text)]))
        elif isinstance(block, Heading):
            out.append(LearnedBlock(f"h{min(block.level, 4)}", [Segment(block.text)]))
        elif isinstance(block, Paragraph):
            text = "".join(r.text for r in block.runs)
            if text.strip():
                out.append(LearnedBlock("flush" if block.kind == "flush" else "para", [Segment(text)]))
        elif isinstance(block, Table):
            rows = [block.header, *block.rows]
            out.append(LearnedBlock("table", rows=[[[Segment(c)] for c in row] for row in rows]))
        elif isinstance(block, Signature):
            signer, signed = block.signer, block.date
            out.append(LearnedBlock("signature", [Segment(block.signer), Segment("\n"), Segment(block.date)]))
    return _rosters(out), signer, signed


def _rosters(blocks: list[LearnedBlock]) -> list[LearnedBlock]:
    """Consecutive 组长/副组长/成员 paragraphs become one roster block."""
    out: list[LearnedBlock] = []
    i = 0
    while i < len(blocks):
        j = i
        lines: list[str] = []
        while j < len(blocks) and blocks[j].kind in ("para", "flush"):
            parts = re.split(r"(?=(?:副\s*组\s*长|常务副组长|成\s*员)\s*[：:])", blocks[j].text)
            if not all(D.ROSTER_RE.match(p.strip()) for p in parts if p.strip()):
                break
            lines += [p.strip() for p in parts if p.strip()]
            j += 1
        if lines and D.roster_of(lines):
            out.append(LearnedBlock("roster", [Segment("\n".join(lines))]))
            i = j
        else:
            out.append(blocks[i])
            i += 1
    return out


def _parse_cn_date(text: str) -> date | None:
    m = D.FULL_DATE_RE.search(text)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return None


def _facts(blocks: list[LearnedBlock], signer: str, signed: str) -> D.Facts:
    facts = D.Facts(signer=signer, issued=_parse_cn_date(signed))
    texts = D.block_texts([b for b in blocks if b.kind != "signature"])
    whole = "\n".join(texts)
    years = Counter(int(y) for y in D.YEAR_RE.findall(whole))
    facts.year = years.most_common(1)[0][0] if years else (facts.issued.year if facts.issued else None)
    title = next((b.text for b in blocks if b.kind == "title"), "")
    facts.unit = D.find_unit(title, signer)
    D.unit_literals(facts)
    if facts.year:
        facts.add(LearnedField("year", "年度", "year", facts.year, "year"))
        for m in D.EDITION_RE.finditer(whole):
            n = D.cn_value(m.group(1))
            if n and n < 200 and facts.year - n + 1 > 1900:
                facts.edition = (n, facts.year - n + 1)
                facts.add(LearnedField("edition", "届次", "number", n, "edition", count_from=facts.year - n + 1))
                break
    theme = D.THEME_RE.search(whole)
    if theme:
        facts.theme = theme.group(1) or theme.group(2)
        facts.add(LearnedField("theme", "主题", "text", facts.theme, "theme"))
        facts.literals[facts.theme] = ("theme", "{{ theme }}")
    _people(blocks, whole, facts)
    _dates(texts, facts)
    return facts


def _people(blocks: list[LearnedBlock], whole: str, facts: D.Facts) -> None:
    """The roster, the contact and people named with 同志 or as 负责人: each name a field."""
    lit = facts.literals
    for block in blocks:
        if block.kind == "roster":
            roster = D.roster_of(block.text.split("\n"))
            if roster and "leadership" not in facts.fields:
                facts.add(LearnedField("leadership", "领导小组", "people", roster, "roster"))
                lit[roster["leader"]["name"]] = ("leadership", "{{ leadership.leader.name }}")
                for role in ("deputies", "members"):
                    for i, p in enumerate(roster[role]):
                        lit.setdefault(p["name"], ("leadership", "{{ leadership.%s[%d].name }}" % (role, i)))
    contact = D.CONTACT_RE.search(whole)
    if contact:
        phone = D.PHONE_RE.search(whole, contact.end(), contact.end() + 30)
        if phone:
            facts.add(LearnedField("contact", "联系人", "person", {"person": contact.group(1), "phone": phone.group(1)}, "contact"))
            lit.setdefault(contact.group(1), ("contact", "{{ contact.person }}"))
            lit.setdefault(phone.group(1), ("contact", "{{ contact.phone }}"))
    n = 0
    for m in [*D.PERSON_RE.finditer(whole), *D.CONTACT_RE.finditer(whole)]:
        name = next(g for g in m.groups() if g)
        if name in lit or name.startswith(("各", "本", "全", "我")):
            continue
        n += 1
        path = f"person_{n}"
        appointed = re.match(r"同志(?:为|任|兼任|担任)([\u4e00-\u9fff]{2,8}?)(?=[，、。；,]|$)", whole[m.end():m.end() + 14])
        taken = {f.label for f in facts.fields.values()}
        post = D.label_before(whole, m.start(1) if m.group(1) else m.start(), "")
        label = appointed.group(1) if appointed and appointed.group(1) not in taken else post if 2 <= len(post) <= 8 and post not in taken else f"人员{n}"
        facts.add(LearnedField(path, label, "person", name, "person"))
        lit[name] = (path, "{{ %s.name }}" % path)
    for i, run in enumerate(dict.fromkeys(D.places(whole, facts.unit)), 1):
        path = f"places_{i}"
        facts.add(LearnedField(path, "有关单位" if i == 1 else f"有关单位{i}", "list", run.split("、"), "places"))
        lit[run] = (path, "{{ %s|names }}" % path)
    for i, m in enumerate(dict.fromkeys(x for x in D.PHONE_RE.findall(whole) if x not in lit), 1):
        facts.add(LearnedField(f"phone_{i}", f"联系电话{i}" if i > 1 else "联系电话", "text", m, "phone"))
        lit[m] = (f"phone_{i}", "{{ phone_%d }}" % i)
    for i, m in enumerate(dict.fromkeys(D.DOCNO_RE.findall(whole)), 1):
        value = re.sub(r"[\[【]", "〔", re.sub(r"[\]】]", "〕", m))
        facts.add(LearnedField(f"docno_{i}", f"文号{i}" if i > 1 else "文号", "text", value, "docno"))
        lit[m] = (f"docno_{i}", "{{ docno_%d }}" % i)


def _all_dates(texts: list[str], year: int | None) -> list[date]:
    found: list[date] = []
    for text in texts:
        last_month = None
        for m in re.finditer(f"{D.FULL_DATE_RE.pattern}|{D.MONTH_DAY_RE.pattern}|{D.DAY_ONLY_RE.pattern}", text):
            y, mo, d = _ymd(m, year, last_month)
            if y and mo and d:
                try:
                    found.append(date(y, mo, d))
                    last_month = mo
                except ValueError:
                    pass
    return found


def _ymd(m: re.Match[str], year: int | None, last_month: int | None) -> tuple[int | None, int | None, int | None]:
    g = m.groups()
    if g[0]:
        return int(g[0]), int(g[1]), int(g[2])
    if g[3]:
        return year, int(g[3]), int(g[4])
    return year, last_month, int(g[5])


def _dates(texts: list[str], facts: D.Facts) -> None:
    """The period's first and last day, the signing date, and a field for each other date."""
    body = sorted(set(_all_dates(texts, facts.year)))
    start = body[0] if body else facts.issued or date(facts.year or date.today().year, 1, 1)
    end = body[-1] if len(body) > 1 else date(start.year, 12, 31)
    if facts.issued and facts.issued > end:
        end = facts.issued
    facts.dates[start] = "dates.start"
    facts.dates.setdefault(end, "dates.end")
    if facts.issued:
        facts.dates.setdefault(facts.issued, "dates.issued")
    facts.add(LearnedField("dates.start", "开始日期", "date", start, "date"))
    facts.add(LearnedField("dates.end", "结束日期", "date", end, "date"))
    if facts.issued:
        facts.add(LearnedField("dates.issued", "成文日期", "date", facts.issued, "date"))


def _date_field(facts: D.Facts, day: date, text: str, start: int) -> str:
    path = facts.dates.get(day)
    if path is None:
        n = sum(1 for p in facts.fields if p.startswith("date_")) + 1
        path = f"date_{n}"
        head = D.FULL_DATE_RE.sub("", D.MONTH_DAY_RE.sub("", text[:start]))
        label = D.label_before(head, len(head), "")
        label = re.sub(r"^(今年|本年|当年|明年|每年)", "", label)
        if len(label) < 2:
            label = facts.heading[:12] if len(facts.heading) >= 2 else "日期"
        label += "截止" if re.search(r"[至到—－~～]\s*$", text[:start]) else "日期" if not label.endswith("日期") else ""
        if any(f.label == label for f in facts.fields.values()):
            label = f"{label}{n}"
        facts.add(LearnedField(path, label, "date", day, "date"))
        facts.dates[day] = path
    return path


def _matches(text: str, facts: D.Facts) -> list[tuple[int, int, str, str]]:
    """(start, end, field path, expression) for every field in ``text``, overlaps resolved (earliest, longest)."""
    found: list[tuple[int, int, str, str]] = []
    if facts.literals:
        alternatives = "|".join(re.escape(k) for k in sorted(facts.literals, key=len, reverse=True))
        for m in re.finditer(alternatives, text):
            path, expr = facts.literals[m.group()]
            found.append((m.start(), m.end(), path, expr))
    for m in D.DOCNO_RE.finditer(text):
        path, expr = facts.literals.get(m.group(), ("", ""))
        if path:
            found.append((m.start(), m.end(), path, expr))
    last_month: int | None = None
    for m in re.finditer(f"{D.FULL_DATE_RE.pattern}|{D.MONTH_DAY_RE.pattern}|{D.DAY_ONLY_RE.pattern}", text):
        y, mo, d = _ymd(m, facts.year, last_month)
        try:
            day = date(y or 0, mo or 0, d or 0)
        except ValueError:
            continue
        last_month = mo
        path = _date_field(facts, day, text, m.start())
        g = m.groups()
        expr = "{{ %s|cn_date }}" % path if g[0] else "{{ %s|cn_month_day }}" % path if g[3] else "{{ %s.day }}日" % path
        found.append((m.start(), m.end(), path, expr))
    if facts.year:
        for m in D.YEAR_RE.finditer(text):
            delta = int(m.group(1)) - facts.year
            if abs(delta) <= 1:
                found.append((m.start(), m.end(), "year", "{{ year }}" if not delta else "{{ year %s 1 }}" % ("+" if delta > 0 else "-")))
    if facts.edition:
        for m in D.EDITION_RE.finditer(text):
            if D.cn_value(m.group(1)) == facts.edition[0]:
                expr = "{{ edition }}" if m.group(1).isdigit() else "{{ edition|cn_num }}"
                found.append((m.start(1), m.end(1), "edition", expr))
    found.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    out: list[tuple[int, int, str, str]] = []
    for item in found:
        if not out or item[0] >= out[-1][1]:
            out.append(item)
    return out


def cut(segments: list[Segment], facts: D.Facts) -> list[Segment]:
    """Each fixed segment cut at the fields it holds."""
    out: list[Segment] = []
    for seg in segments:
        if seg.field or seg.text == "\n":
            out.append(seg)
            continue
        at = 0
        for start, end, path, expr in _matches(seg.text, facts):
            if start > at:
                out.append(Segment(seg.text[at:start]))
            out.append(Segment(seg.text[start:end], path, expr))
            facts.counts[path] += 1
            at = end
        if at < len(seg.text):
            out.append(Segment(seg.text[at:]))
    return out


def propose(path: str | os.PathLike[str], data: bytes | None = None, *, name: str | None = None, label: str | None = None) -> Learned:
    """Read last year's document and propose its fields (nothing written)."""
    from plangen.fix.recognise import recognise
    from plangen.fix.sources import read_source

    source = read_source(path, data, name=label)
    where = label or str(path)
    if not any(getattr(i, "text", "").strip() or not hasattr(i, "text") for i in source.items):
        raise InputError(Problem(msg("learn.no-text", "has no text to learn from"), file=where))
    document, _report = recognise(source)
    blocks, signer, signed = _blocks(document)
    if not any(b.kind == "title" for b in blocks):
        raise InputError(Problem(msg("learn.no-title", "no title was found: the first line should be the plan's title, such as 城关镇2024年防汛应急预案"), file=where))
    facts = _facts(blocks, signer, signed)
    for block in blocks:
        if block.kind == "roster" and "leadership" in facts.fields:
            block.segments = [Segment(block.text, "leadership", "")]
        elif block.kind == "signature":
            block.segments = [Segment(signer, "signature", "{{ plan.signer }}"), Segment("\n"),
                              Segment(signed, "dates.issued" if facts.issued else "", "{{ dates.issue_date }}" if facts.issued else "")]
        else:
            if block.kind.startswith("h"):
                facts.heading = re.sub(r"[^\u4e00-\u9fff]", "", block.text.split("：")[0])
            block.segments = cut(block.segments, facts)
        block.rows = [[cut(cell, facts) for cell in row] for row in block.rows]
    unit = facts.unit
    if signer and unit is not None and signer != unit.organ and signer.startswith(unit.name) and len(signer) > len(unit.name):
        for block in blocks:
            if block.kind == "signature":
                block.segments[0:1] = [Segment(unit.name, "unit.name", "{{ unit.name }}"), Segment(signer[len(unit.name):])]
    elif signer and unit is not None and signer != unit.organ:
        facts.add(LearnedField("signature", "落款", "text", signer, "signer"))
    elif signer:
        for seg in (s for b in blocks for s in b.segments if s.field == "signature"):
            seg.field = "unit.name"
    used = {s.field for b in blocks for s in b.segments} | {s.field for b in blocks for r in b.rows for c in r for s in c}
    keep = {"unit.name", "dates.start", "dates.end", "dates.issued", "year"}
    fields = [f for p, f in facts.fields.items() if p in used or p in keep]
    title_text = _kind_title(blocks)
    return Learned(name=name or kind_name(title_text), title=title_text, blocks=blocks, fields=fields, source=Path(label or str(path)).name)


def _kind_title(blocks: list[LearnedBlock]) -> str:
    """The document kind: the title's fixed words without the unit, year and edition (防汛应急预案)."""
    title = next((b for b in blocks if b.kind == "title"), None)
    if title is None:
        return "专项工作方案"
    text = "".join(s.text for s in title.segments if not s.field)
    text = re.sub(r"^(关于)?(年|年度)?(第个|第届|第次)?", "", text)
    text = re.sub(r"[^\u4e00-\u9fff（）《》“”、]", "", text)
    text = re.sub(r"^(年度?|第[个届次])+", "", text)
    text = re.sub(r"“”|《》|（）", "", text)
    return text[:40] if len(text) >= 2 else "专项工作方案"


def kind_name(title: str) -> str:
    for word, name in KNOWN_NAMES:
        if word in title:
            return name
    return f"learned-{sum(map(ord, title)) % 9000 + 1000}"


def unique_title(title: str, others: list[Any]) -> str:
    """A title no installed plan type uses already (爱国卫生月活动方案 is a built-in's): 《…》（本单位）."""
    taken = {n for t in others for n in t.names()}
    if title not in taken:
        return title
    return f"{title}（本单位）"
