"""One error hierarchy, so that one place (the CLI) turns any of them into a message and an exit code."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

from plangen.i18n import Msg, _, language


class PlangenError(Exception):
    """Base class. Anything not derived from it is a bug and may show a traceback.

    The message may be a :class:`~plangen.i18n.Msg` (a stable code and parameters): it is put into
    words when shown, in the reader's language, and ``code`` is what scripts and the web app key on."""

    exit_code = 1

    def __init__(self, message: Any = "") -> None:
        self.message = message
        super().__init__(message)

    @property
    def code(self) -> str:
        return self.message.code if isinstance(self.message, Msg) else ""

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (file, row, field) and what."""

    message: str | Msg
    field: str = ""
    file: str = ""
    row: int | None = None

    def where(self) -> str:
        row = _("row {row}", row=self.row) if self.row is not None else ""
        parts = [p for p in (self.file, row, self.field) if p]
        return ("：" if language() == "zh" else ": ").join(parts)

    @property
    def code(self) -> str:
        return self.message.code if isinstance(self.message, Msg) else ""

    def __str__(self) -> str:
        where = self.where()
        return _("{where}: {message}", where=where, message=self.message) if where else str(self.message)


class InputError(PlangenError):
    """The user's input is wrong; exit code 2. Carries one or more located problems."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | Problem | str | Msg) -> None:
        if isinstance(problems, (str, Msg)):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__(self.problems[0].message if len(self.problems) == 1 else "")

    def __str__(self) -> str:
        return "; ".join(str(p) for p in self.problems)

    def located(self, *, file: str | None = None, row: int | None = None) -> InputError:
        """The same problems with the file and/or row filled in where they were not known yet."""
        return type(self)(  # a GuardError stays a GuardError
            [
                Problem(
                    p.message,
                    field=p.field,
                    file=p.file or (file or ""),
                    row=p.row if p.row is not None else row,
                )
                for p in self.problems
            ]
        )

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class GuardError(InputError):
    """A generated document would break a rule (placeholder, numbering, punctuation…)."""


class PluginError(PlangenError):
    """A plugin is broken: duplicate plan type, bad registration, misspelt hook."""


class TemplateError(PlangenError):
    """A plan type's template failed to render or produced markup the writer cannot lay out."""


class OutputError(PlangenError):
    """The output could not be written (path cannot be created, disk full…).

    ``fatal``: no other file in that folder could be written either (disk full, read-only), so a batch
    stops at once instead of failing every remaining row with the same message."""

    def __init__(self, message: str | Msg, *, fatal: bool = False) -> None:
        super().__init__(message)
        self.fatal = fatal


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread so a batch stops as it does on Ctrl-C (workers stopped, parts
    removed); the command line then exits 143 (128 + SIGTERM) instead of 130."""


class InputWarning(UserWarning):
    """Something in an input was read differently from how it was typed (a full-width colon read as
    ``:``): the plan is made, and the user is told once, on stderr, in the CLI's own format."""


_python_format = warnings.formatwarning


def _format_warning(message: Any, category: type[Warning], filename: str, lineno: int, line: str | None = None) -> str:
    """An InputWarning reads like every other warning of plangen, not like a Python warning."""
    if isinstance(category, type) and issubclass(category, InputWarning):
        return _("plangen: warning: {message}", message=message) + "\n"
    return _python_format(message, category, filename, lineno, line)


warnings.formatwarning = _format_warning
