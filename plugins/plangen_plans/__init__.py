"""plangen's built-in plan types. Each module is a plugin registered through the ``plangen`` entry-point
group, exactly as a third-party plugin would be; nothing in the core knows these names."""

from __future__ import annotations

from pathlib import Path


def _templates_dir() -> Path:
    """Installed: the wheel puts the top-level templates/ folder here. Source checkout: the repo's folder."""
    here = Path(__file__).resolve().parent
    installed = here / "templates"
    if installed.is_dir():
        return installed
    return here.parent.parent / "templates"


TEMPLATES = _templates_dir()


def example(name: str) -> str:
    """The commented example input of a plan type (``plangen new``), kept beside its template."""
    return (TEMPLATES / f"{name}.example.yaml").read_text(encoding="utf-8")
