"""A drop-in plugin for the tests: the smallest complete plan type, using every hook once and only the SDK
(``from plangen import …``), as a third party writes one; the core's own tests run on it (test_core_on_pilot.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from plangen import Line, Paragraph, PlanInput, PlanType, Run, Signature, TextFinding, hookimpl, zh

__version__ = "1.2.3"
TEMPLATES = Path(__file__).parent / "pilot_templates"
ADDED = "本方案由试点插件补充说明。"


class Pilot(PlanInput):
    note: Line = zh("要点")


PLAN_TYPE = PlanType(
    name="pilot",
    title="试点工作方案",
    model=Pilot,
    template="pilot.md.j2",
    templates_dir=TEMPLATES,
    example=(TEMPLATES / "pilot.example.yaml").read_text(encoding="utf-8"),
    aliases=("试点方案",),
)


@hookimpl
def plangen_register_plan_types(register: Any) -> None:
    register(PLAN_TYPE)


@hookimpl
def plangen_prepare_jinja(environment: Any) -> None:
    environment.filters["quoted"] = lambda text: f"“{text}”"


@hookimpl
def plangen_adjust_document(document: Any, plan: Any, plan_type: Any) -> None:
    if plan_type.name == "pilot":
        at = next(i for i, b in enumerate(document.blocks) if isinstance(b, Signature))
        document.blocks.insert(at, Paragraph([Run(ADDED)]))


def forbidden_word(text: str) -> Iterator[TextFinding]:
    if "禁用词" in text:
        yield TextFinding("pilot-word", "the word 禁用词 may not appear in a plan", "禁用词")


@hookimpl
def plangen_register_checks(register: Any) -> None:
    register(forbidden_word)
