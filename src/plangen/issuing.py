"""Issuing a plan under a notice (``--notice``): the notice's words from the input's ``issuer`` block.

What the notice says is decided here, from the input, and checked like the plan's own text; how it
is laid out (header, colophon, the blank page before it) is the writer's (:mod:`plangen.writer.notice`),
which knows nothing of inputs or of the guard.
"""

from __future__ import annotations

from datetime import date

from plangen import prewrite
from plangen.document import Document, Paragraph, Run, Title
from plangen.errors import InputError, Problem
from plangen.i18n import N_, msg
from plangen.inputs.common import PlanInput
from plangen.text import cn_date
from plangen.writer.notice import Notice

REQUIRED = (
    ("number", N_("the document number, e.g. 城社〔2024〕12号")),
    ("addressees", N_("the addressees (主送), e.g. [各网格, 各居民小组]")),
    ("printer", N_("the printing office (印发机关), e.g. 东街社区党政办公室")),
    ("printed", N_("the printing date (印发日期), e.g. 2024-03-25")),
)


def notice_for(data: PlanInput, plan: Document) -> Notice:
    """Word the notice from the input's ``issuer`` block; a missing field is an InputError naming it."""
    issuer = data.issuer
    if issuer is None:
        raise InputError(Problem(msg("input.notice-issuer", "is required for a notice (--notice): add an `issuer:` (发文) block with body, number, addressees, printer and printed"), field="issuer"))
    problems = [
        Problem(msg("input.notice-field", "is required for a notice (--notice): {what}", what=msg("input.notice-" + name, what)), field=f"issuer.{name}")
        for name, what in REQUIRED
        if not getattr(issuer, name)
    ]
    issued: date = data.dates.issue_date
    if issuer.printed is not None and issuer.printed < issued:
        problems.append(Problem(msg("input.notice-printed-early", "{printed} is before the date the notice is signed ({issued})",
                                     printed=cn_date(issuer.printed), issued=cn_date(issued)), field="issuer.printed"))
    if problems:
        raise InputError(problems)
    assert issuer.number is not None and issuer.printer is not None and issuer.printed is not None
    title_block = next(b for b in plan.blocks if isinstance(b, Title))
    prefix = "关于印发《"
    return Notice(
        mark=issuer.mark or f"{issuer.body}文件",
        number=issuer.number,
        title=f"{prefix}{title_block.text}》的通知",
        title_breaks=tuple(len(prefix) + b for b in title_block.breaks),
        addressees="、".join(issuer.addressees) + "：",
        sentence=f"现将《{title_block.text}》印发给你们，请结合实际认真贯彻落实。",
        signer=issuer.body,
        date=cn_date(issued),
        copy_to=("抄送：" + "，".join(issuer.copy_to) + "。") if issuer.copy_to else None,
        printer=issuer.printer,
        printed=f"{cn_date(issuer.printed)}印发",
    )


def check_notice(notice: Notice) -> None:
    """The notice's own wording passes the same guard as the plan (GuardError otherwise)."""
    lines = [notice.mark, notice.number, notice.addressees, notice.sentence, notice.copy_to or "", notice.printer, notice.printed]
    prewrite.check_document(Document([Title(notice.title), *(Paragraph([Run(t)]) for t in lines if t)]), template="notice")
