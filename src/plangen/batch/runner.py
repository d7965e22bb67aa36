"""Running a batch: every roster row through the one-plan pipeline, in parallel, nothing lost.

Workers only render: each takes a chunk of rows and returns .docx bytes or the row's problems. The
parent process does all writing, in roster order, so file names are assigned deterministically (a
repeated name gets （2）), every file is written whole through a temporary file and a rename, and an
interrupt between two files leaves nothing half-written. A journal of (input hash → file) lets a
second run skip rows whose plan already exists; ``force`` regenerates everything.

Memory stays flat: rows are streamed from the roster, at most a few chunks are in flight, and the
index and error report are written as rows finish.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plangen import __version__, api
from plangen.batch import output as out
from plangen.batch.mapping import (
    ColumnMap,
    build_column_map,
    mapping_from,
    merge_row,
    path_text,
    prepare_base,
)
from plangen.batch.roster import Cell, Roster, open_roster
from plangen.errors import InputError, OutputError, PlangenError, Problem
from plangen.inputs.envelope import COLUMN_KEYS, first, without_columns
from plangen.inputs.envelope import split as envelope_of
from plangen.inputs.reading import load_file
from plangen.plugins import Registry, get_registry
from plangen.writer import font_profile

ERRORS = "errors.csv"
SHOWN_FAILURES = 10
NAME_PATH = ("unit", "name")  # what api.default_filename names a plan by


@dataclass(frozen=True)
class BatchOptions:
    """What ``plangen batch`` was asked to do."""

    roster: Path
    base: Path
    output: Path
    columns: Path | None = None
    sheet: str | None = None
    jobs: int | None = None
    force: bool = False
    zip: bool = False
    index: str = "auto"
    """``csv``, ``xlsx``, ``auto`` (the roster's own kind) or ``none``."""
    fonts: str | dict[str, Any] | None = None
    plugins_dirs: tuple[Path, ...] = ()


@dataclass
class Failure:
    row: int
    problems: list[tuple[str, str, str]]
    """(column, field, message) each."""


@dataclass
class BatchResult:
    made: int = 0
    skipped: int = 0
    failed: int = 0
    blank: int = 0
    seconds: float = 0.0
    output: Path = Path()
    index: Path | None = None
    errors: Path | None = None
    zip: Path | None = None
    warnings: list[str] = field(default_factory=list)
    first_failures: list[Failure] = field(default_factory=list)
    files: int = 0

    @property
    def rows(self) -> int:
        return self.made + self.skipped + self.failed


# ---- what a worker holds ------------------------------------------------------------------------------

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


PART_PREFIX = ".plangen-"
PART_SUFFIX = ".part"

_JOB: Job | None = None
_REGISTRY: Registry | None = None


def _start_worker(job: Job, ignore_interrupt: bool, registry: Registry | None = None) -> None:
    """Per process, once: the plugin registry is built (templates then compile once and stay cached)."""
    global _JOB, _REGISTRY
    if registry is not None:
        _REGISTRY = registry
    if ignore_interrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the pool
    _JOB = job
    if _REGISTRY is None:  # a forked worker inherits the parent's registry, with its compiled templates
        _REGISTRY = get_registry(job.plugins_dirs, job.templates_dirs)


# A rendered row: ("ok", row, stem, unit, temporary part) or ("fail", row, [(column, field, message), …]).
Rendered = tuple[Any, ...]


def _write_part(folder: Path, data: bytes) -> str:
    """Write a plan to a hidden temporary file in the output folder, in the worker.

    Creating and filling files is most of the kernel's work per plan; done here it runs on every
    core, and the parent only renames each part to its final name, in roster order."""
    fd, part = tempfile.mkstemp(prefix=PART_PREFIX, suffix=PART_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
    except BaseException:
        os.unlink(part)
        raise
    return part


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
            _, data = api.render_docx(plan, registry=registry)
            stem = api.default_filename(plan).removesuffix(".docx")
            assert job.folder is not None
            try:
                part = _write_part(job.folder, data)
            except OSError as exc:
                raise OutputError(f"cannot write in {job.folder}: {exc.strerror or exc}") from None
            rendered.append(("ok", number, stem, plan.data.unit.name, part))
        except InputError as exc:
            problems = [(job.columns.column_for(p.field, model), p.field, p.message) for p in exc.problems]
            rendered.append(("fail", number, problems))
        except PlangenError as exc:
            rendered.append(("fail", number, [("", "", str(exc))]))
        except Exception as exc:  # noqa: BLE001 — a bug must not cost the other rows their plans; it is reported per row
            rendered.append(("fail", number, [("", "", f"internal error: {type(exc).__name__}: {exc}")]))
    return rendered


# ---- setting up ---------------------------------------------------------------------------------------

def _digest(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def prepare(options: BatchOptions, registry: Registry) -> tuple[Job, Roster, str]:
    """Read the base and the roster header, build the column map. Problems here stop the batch (exit 2).

    Also returns the salt of every row's input hash: what, besides the row, decides a plan's content.
    """
    base = load_file(options.base)
    source = str(options.base)
    try:
        envelope, _ = envelope_of(base)
        plan_type = api.plan_type_of(envelope, registry)
        fonts = options.fonts if options.fonts is not None else envelope.fonts
        font_profile(fonts)
    except InputError as exc:
        raise exc.located(file=source) from None
    layers = [(f"plan type {plan_type.name} (roster_columns)", mapping_from(plan_type.roster_columns, source=plan_type.name))]
    if envelope.columns is not None:
        layers.append((source, mapping_from(envelope.columns, source=source, field=envelope.key("columns"))))
    if options.columns is not None:
        mapping = load_file(options.columns)
        try:  # a --columns file is the mapping itself, or holds it under columns:/列映射:
            inner = first(mapping, COLUMN_KEYS) if any(k in mapping for k in COLUMN_KEYS) else mapping
        except InputError as exc:
            raise exc.located(file=str(options.columns)) from None
        layers.append((str(options.columns), mapping_from(inner, source=str(options.columns))))
    body = without_columns(base)  # type and fonts stay: each merged row is validated as a whole input
    roster = open_roster(options.roster, sheet=options.sheet)
    try:
        columns = build_column_map(plan_type.model, roster.headers, layers)
        if not columns.columns:
            raise InputError(Problem(
                f"none of its columns ({', '.join(h for h in roster.headers if h)}) fills a field of {plan_type.name}; "
                "map them with `columns:` in the base file or --columns", file=str(options.roster)))
    except BaseException:
        roster.close()
        raise
    templates = tuple(getattr(registry, "templates_dirs", ()))
    job = Job(prepare_base(body, columns, plan_type.model), columns, plan_type.name, str(options.roster), fonts,
              tuple(options.plugins_dirs), templates)
    plugin_version = next((p.version for p in registry.plugins if p.name == plan_type.plugin), "")
    salt = _digest([__version__, plan_type.name, plugin_version, body, columns.describe(), fonts,
                    [str(t) for t in templates], os.environ.get("PLANGEN_TEMPLATES_DIR", "")])
    return job, roster, salt


# ---- the run -------------------------------------------------------------------------------------------

def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def _pool(jobs: int, job: Job) -> ProcessPoolExecutor:
    import multiprocessing

    # fork: workers start at once and inherit the loaded plugins; elsewhere the platform's default
    method = "fork" if sys.platform.startswith("linux") else None
    return ProcessPoolExecutor(
        max_workers=jobs, mp_context=multiprocessing.get_context(method), initializer=_start_worker, initargs=(job, True)
    )


@dataclass
class _Skip:
    """A row whose plan was already made from the same input (by the journal)."""

    number: int
    name: str
    unit: str
    digest: str
    cells: dict[str, Cell]


@dataclass
class _Ready:
    """Rows settled without a worker (rendered here, or failed before rendering)."""

    items: list[Rendered]


Entry = Future | _Ready | _Skip


class _Run:
    """One batch: feeds rows to the workers, and takes their results back in roster order."""

    def __init__(self, options: BatchOptions, registry: Registry, progress: Callable[[int], None] | None) -> None:
        self.options = options
        self.job, self.roster, self.salt = prepare(options, registry)
        self.progress = progress
        self.result = BatchResult(output=options.output)
        self.jobs = max(1, options.jobs or default_jobs())
        self.names = out.Names()
        self.listed: list[str] = []  # file names for the zip, in row order
        self.digests: dict[int, str] = {}
        self.window: deque[Entry] = deque()
        self.in_flight = 0
        self.pending: list[tuple[int, dict[str, Cell]]] = []
        self.index: out.Table | None = None
        self.errors: out.Table | None = None
        self.registry = registry

    def execute(self, on_start: Callable[[int], None] | None) -> BatchResult:
        options, result = self.options, self.result
        started = time.perf_counter()
        for header in self.job.columns.unknown:
            result.warnings.append(f"column {header!r} matches no field of {self.job.plan_type} and is not used "
                                   "(map it in `columns:`, or map it to ~ to silence this)")
        try:
            options.output.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.roster.close()
            raise OutputError(f"cannot create folder {options.output}: {exc.strerror or exc}") from None
        self.folder = options.output.resolve()
        if on_start is not None:
            on_start(self.roster.estimate)
        kind = options.index
        if kind == "auto":
            kind = "xlsx" if self.roster.path.suffix.lower() in (".xlsx", ".xlsm") else "csv"
        if kind != "none":
            self.index = out.Table(self.folder / f"index.{kind}", ["row", "unit", "file", "status", "note"])
        self.journal = out.Journal(self.folder, force=options.force)
        self.job.folder = self.folder
        self._remove_parts()  # left by a run that was killed outright
        _start_worker(self.job, False, self.registry)  # the parent renders with --jobs 1 and for a rare late row
        self.pool = _pool(self.jobs, self.job) if self.jobs > 1 else None
        self.chunk_size = max(1, min(16, self.roster.estimate // (self.jobs * 8)))
        completed = False
        try:
            self._feed()
            completed = True
        finally:
            self.roster.close()
            if self.pool is not None:
                self.pool.shutdown(wait=True, cancel_futures=True)
            self._remove_parts()  # parts of rows never renamed (interrupted, or their rename failed)
            self.journal.close(compact=completed)
            if not completed:
                for table in (self.index, self.errors):
                    if table is not None:
                        table.discard()
        if self.index is not None:
            result.index = self.index.finish()
        if self.errors is not None:
            result.errors = self.errors.finish()
        elif (self.folder / ERRORS).is_file():
            (self.folder / ERRORS).unlink()  # from an earlier run: those rows are fine now
        if options.zip:
            result.zip = out.pack(self.folder, self.listed, result.index)
        result.files = len(self.listed)
        result.seconds = time.perf_counter() - started
        return result

    # feeding

    def _feed(self) -> None:
        columns = self.job.columns.columns
        # A blank name would quietly take the base's: a second plan for the base's unit, under its name.
        naming = [h for h, targets in columns.items() if any(t.path == NAME_PATH for t in targets)]
        for row in self.roster.rows():
            cells = {h: v for h, v in row.cells.items() if h in columns}
            if not cells and not row.problems:
                self.result.blank += 1
            elif row.problems:
                self._settled(_Ready([("fail", row.number, [(p.field, "", p.message) for p in row.problems])]))
            elif naming and not any(h in cells for h in naming):
                message = "is blank; every row needs the unit's name (it names the plan and its file)"
                self._settled(_Ready([("fail", row.number, [(naming[0], path_text(NAME_PATH), message)])]))
            else:
                self._row(row.number, cells)
        self._submit()
        while self.window:
            self._handle(self.window.popleft())

    def _row(self, number: int, cells: dict[str, Cell]) -> None:
        text = json.dumps(cells, ensure_ascii=False, sort_keys=True, default=str)
        digest = hashlib.sha256((self.salt + text).encode("utf-8")).hexdigest()[:32]
        recorded = self.journal.recorded(digest)
        if recorded is not None:
            self._settled(_Skip(number, recorded[0], recorded[1], digest, cells))
            return
        self.digests[number] = digest
        self.pending.append((number, cells))
        if len(self.pending) >= self.chunk_size:
            self._submit()

    def _settled(self, entry: _Ready | _Skip) -> None:
        """A row decided here, queued behind the rows in flight so results stay in roster order."""
        self._submit()
        self.window.append(entry)
        self._drain()

    def _submit(self) -> None:
        if not self.pending:
            return
        chunk, self.pending = self.pending, []
        if self.pool is None:
            self.window.append(_Ready(render_rows(chunk)))
        else:
            self.window.append(self.pool.submit(render_rows, chunk))
            self.in_flight += 1
        self._drain()

    def _drain(self) -> None:
        """Handle what is ready at the head of the queue; wait only while too much is in flight."""
        while self.window and (not isinstance(self.window[0], Future) or self.in_flight >= self.jobs * 3):
            self._handle(self.window.popleft())

    # results

    def _handle(self, entry: Entry) -> None:
        if isinstance(entry, _Skip):
            self._skip(entry)
            return
        if isinstance(entry, _Ready):
            items = entry.items
        else:
            try:
                items = entry.result()
            except BrokenProcessPool:
                raise PlangenError("a worker process died (out of memory?); the plans written so far are complete — "
                                   "run the same command again to continue") from None
            self.in_flight -= 1
        for item in items:
            self._finish(item, self.digests.pop(item[1], ""))

    def _skip(self, entry: _Skip) -> None:
        if out.exists(self.folder, entry.name) and self.names.claim(entry.name, entry.number):
            with out.DeferInterrupt():
                self.journal.add(entry.digest, entry.name, entry.unit)
                if self.index is not None:
                    self.index.add([entry.number, entry.unit, entry.name, "skipped", ""])
            self.listed.append(entry.name)
            self.result.skipped += 1
            self._tick()
        else:  # its file is gone, or an earlier row now holds that name: make it again
            self._finish(render_rows([(entry.number, entry.cells)])[0], entry.digest)

    def _finish(self, item: Rendered, digest: str) -> None:
        if item[0] == "ok":
            try:
                self._write(item, digest)
            except OutputError as exc:
                self._fail(item[1], [("", "", str(exc))])
        else:
            self._fail(item[1], item[2])
        self._tick()

    def _remove_parts(self) -> None:
        for part in self.folder.glob(f"{PART_PREFIX}*{PART_SUFFIX}"):
            try:
                part.unlink()
            except OSError:
                pass

    def _write(self, item: Rendered, digest: str) -> None:
        _, number, stem, unit, part = item
        name, clash = self.names.unique(stem, number)
        note = ""
        if clash is not None:
            note = f"same name as row {clash}"
            self.result.warnings.append(f"rows {clash} and {number} both make {stem}.docx; row {number} was written as {name}")
        with out.DeferInterrupt():
            target = out.inside(self.folder, name)
            try:
                os.replace(part, target)  # the part is complete: readers see the whole file or none
            except OSError as exc:
                raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
            self.journal.add(digest, name, unit)
            if self.index is not None:
                self.index.add([number, unit, name, "made", note])
        self.listed.append(name)
        self.result.made += 1

    def _fail(self, number: int, problems: list[tuple[str, str, str]]) -> None:
        result = self.result
        result.failed += 1
        if self.errors is None:
            self.errors = out.Table(self.folder / ERRORS, ["row", "column", "field", "message"])
        for column, fld, message in problems:
            self.errors.add([number, column, fld, message])
        if len(result.first_failures) < SHOWN_FAILURES:
            result.first_failures.append(Failure(number, problems))
        if self.index is not None:
            self.index.add([number, "", "", "failed", problems[0][2] if problems else ""])

    def _tick(self) -> None:
        if self.progress is not None:
            self.progress(1)


def run_batch(
    options: BatchOptions,
    *,
    registry: Registry | None = None,
    progress: Callable[[int], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> BatchResult:
    """Make one plan per roster row. Row problems are collected in the result, not raised.

    Problems with the batch as a whole (base file, roster header, column mapping) raise InputError
    before anything is written. ``on_start`` gets the roster's estimated row count, ``progress`` one
    call per row settled.
    """
    registry = registry or get_registry(options.plugins_dirs)
    return _Run(options, registry, progress).execute(on_start)


def iter_failures(result: BatchResult) -> Iterator[str]:
    """One line per problem of the first few failed rows, for the terminal."""
    for failure in result.first_failures:
        for column, fld, message in failure.problems:
            where = ": ".join(p for p in (f"row {failure.row}", f"column {column}" if column else "", fld if fld and fld != column else "") if p)
            yield f"{where}: {message}"
