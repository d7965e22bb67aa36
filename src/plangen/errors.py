"""One error hierarchy, so that one place (the CLI) turns any of them into a message and an exit code."""

from __future__ import annotations

from dataclasses import dataclass


class PlangenError(Exception):
    """Base class. Anything not derived from it is a bug and may show a traceback."""

    exit_code = 1


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (file, row, field) and what."""

    message: str
    field: str = ""
    file: str = ""
    row: int | None = None

    def where(self) -> str:
        parts = [p for p in (self.file, f"row {self.row}" if self.row is not None else "", self.field) if p]
        return ": ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message


class InputError(PlangenError):
    """The user's input is wrong; exit code 2. Carries one or more located problems."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))

    def located(self, *, file: str | None = None, row: int | None = None) -> "InputError":
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

    def __init__(self, message: str, *, fatal: bool = False) -> None:
        super().__init__(message)
        self.fatal = fatal


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread so a batch stops as it does on Ctrl-C (workers stopped, parts
    removed); the command line then exits 143 (128 + SIGTERM) instead of 130."""
