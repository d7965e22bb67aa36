"""What runs in a worker process: the job every worker holds, and rendering a chunk of rows.

Workers only render, and write each plan to a hidden temporary part in the output folder; the parent
renames parts into place in roster order (:mod:`plangen.batch.run`). Results come back as
:class:`Made` or :class:`Failed`, small picklable values.
"""

from __future__ import annotations

import os
import signal
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plangen import api, files
from plangen.batch.mapping import ColumnMap, chinese_label, merge_row
from plangen.batch.options import RowProblem
from plangen.batch.output import PART_PREFIX, content_hash
from plangen.batch.roster import Cell
from plangen.errors import InputError, OutputError, PlangenError
from plangen.i18n import N_, _, set_language
from plangen.plugins import Registry, get_registry


@dataclass
class Job:
    """Everything needed to turn one row into a plan; built once, shipped once to each worker."""

    base: dict[str, Any]
    columns: ColumnMap
    plan_type: str
    source: str
    fonts: str | dict[str, Any] | None
    plugins_dirs: tuple[Path, ...]
    templates_dirs: tuple[Path, ...] = ()
    folder: Path | None = None
    """Where workers write each plan as a temporary part; the parent renames it into place."""
    language: str = ""
    """The language of the batch (``--lang``): a worker started afresh (not forked) words its rows' problems in it."""


PART_SUFFIX = files.TEMP_SUFFIX

_JOB: Job | None = None
_REGISTRY: Registry | None = None


def start_worker(job: Job, ignore_interrupt: bool, registry: Registry | None = None) -> None:
    """Per process, once: the plugin registry is built (templates then compile once and stay cached)."""
    global _JOB, _REGISTRY
    if registry is not None:
        _REGISTRY = registry
    if ignore_interrupt:  # in a worker process
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the pool
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a forked worker must not inherit the parent's handler
        _die_with_parent()
    _JOB = job
    if job.language and ignore_interrupt:
        set_language(job.language)
    if _REGISTRY is None:  # a forked worker inherits the parent's registry, with its compiled templates
        _REGISTRY = get_registry(job.plugins_dirs, job.templates_dirs)


def _die_with_parent() -> None:
    """Linux: the kernel sends this worker SIGTERM when the batch process dies, even by SIGKILL, so no
    worker is ever left running on its own (writing parts nobody will rename, holding a caller's pipe)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent died before prctl took effect
            os._exit(1)
    except (OSError, AttributeError):
        pass


@dataclass(frozen=True)
class Made:
    """A row rendered: its plan waits in a temporary part until the parent renames it into place."""

    row: int
    stem: str
    """The file name without .docx, before the parent makes it unique."""
    unit: str
    part: str
    sha: str
    """The hash of the plan's bytes, for the journal (to recognise a plan edited by hand later)."""


@dataclass(frozen=True)
class Failed:
    """A row that made no plan, and why."""

    row: int
    problems: tuple[RowProblem, ...]
    fatal: bool = False
    """No plan can be written in the folder at all (disk full, read-only): the batch stops."""


Rendered = Made | Failed


def write_part(folder: Path, data: bytes) -> str:
    """Write a plan to a hidden temporary file in the output folder, in the worker.

    Creating and filling files is most of the kernel's work per plan; done here it runs on every
    core, and the parent only renames each part to its final name, in roster order."""
    fd, part = files.temp_beside(folder / "plan", prefix=PART_PREFIX)  # 0666 & ~umask, never through a link
    try:
        files.write_fd(fd, data)
    except BaseException:
        files.remove(part)
        raise
    return str(part)


def render_rows(rows: list[tuple[int, dict[str, Cell]]]) -> list[Rendered]:
    """Render a chunk of rows; a bad row is reported, never raised, so the others go on."""
    assert _JOB is not None and _REGISTRY is not None
    job, registry = _JOB, _REGISTRY
    model = registry.plan_type(job.plan_type).model
    rendered: list[Rendered] = []
    for number, cells in rows:
        try:
            merged = merge_row(job.base, cells, job.columns)
            plan = api.plan_from_mapping(merged, source=job.source, row=number, registry=registry, fonts=job.fonts)
            _document, data = api.render_docx(plan, registry=registry)
            stem = api.default_filename(plan).removesuffix(".docx")
            assert job.folder is not None
            try:
                part = write_part(job.folder, data)
            except OSError as exc:
                raise files.fail(job.folder, exc, N_("cannot write in")) from None
            rendered.append(Made(number, stem, plan.data.unit.name, part, content_hash(data)))
        except InputError as exc:
            problems = tuple(RowProblem(job.columns.column_for(p.field, model), chinese_label(model, p.field) if p.field else "",
                                        str(p.message)) for p in exc.problems)
            rendered.append(Failed(number, problems))
        except OutputError as exc:
            rendered.append(Failed(number, (RowProblem("", "", str(exc)),), fatal=exc.fatal))
            if exc.fatal:
                break  # the next row could not be written either
        except PlangenError as exc:
            rendered.append(Failed(number, (RowProblem("", "", str(exc)),)))
        except Exception as exc:
            rendered.append(Failed(number, (RowProblem("", "", _("internal error: {error}", error=f"{type(exc).__name__}: {exc}")),)))
    return rendered
