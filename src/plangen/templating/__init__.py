"""Template: the jinja2 environment a plan type's template renders in (words and structure, never layout)."""

from plangen.templating.jinja import environment, render

__all__ = ["environment", "render"]
