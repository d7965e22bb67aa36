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
import sys
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from plangen.batch import output as out
from plangen.batch.mapping import path_text
from plangen.batch.options import BatchOptions, BatchResult, Failure, RowProblem
from plangen.batch.roster import Cell
from plangen.batch.setup import prepare
from plangen.batch.worker import PART_PREFIX, PART_SUFFIX, Failed, Job, Made, Rendered, render_rows, start_worker
from plangen.errors import OutputError, PlangenError
from plangen.plugins import Registry, get_registry

ERRORS = "errors.csv"
SHOWN_FAILURES = 10
NAME_PATH = ("unit", "name")  # what api.default_filename names a plan by


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
        max_workers=jobs, mp_context=multiprocessing.get_context(method), initializer=start_worker, initargs=(job, True)
    )


@dataclass(frozen=True)
class _Skip:
    """A row whose plan was already made from the same input (by the journal)."""

    number: int
    name: str
    unit: str
    digest: str
    cells: dict[str, Cell]


@dataclass(frozen=True)
class _Ready:
    """Rows settled without a worker (rendered here, or failed before rendering)."""

    items: list[Rendered]


Entry = Future | _Ready | _Skip


class _Run:
    """One batch: feeds rows to the workers, and takes their results back in roster order."""

    def __init__(self, options: BatchOptions, registry: Registry, progress: Callable[[int], None] | None) -> None:
        self.options = options
        setup = prepare(options, registry)
        self.job, self.roster, self.salt = setup.job, setup.roster, setup.salt
        self.progress = progress
        self.result = BatchResult(output=options.output)
        self.jobs = max(1, options.jobs or default_jobs())
        self.names = out.FileNames()
        self.listed: list[str] = []  # file names for the zip, in row order
        self.digests: dict[int, str] = {}
        self.window: deque[Entry] = deque()
        self.in_flight = 0
        self.pending: list[tuple[int, dict[str, Cell]]] = []
        self.index: out.ReportTable | None = None
        self.errors: out.ReportTable | None = None
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
            self.index = out.ReportTable(self.folder / f"index.{kind}", ["row", "unit", "file", "status", "note"])
        self.journal = out.Journal(self.folder, force=options.force)
        self.job.folder = self.folder
        self._remove_parts()  # left by a run that was killed outright
        start_worker(self.job, False, self.registry)  # the parent renders with --jobs 1 and for a rare late row
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
                self._settled(_Ready([Failed(row.number, tuple(RowProblem(p.field, "", p.message) for p in row.problems))]))
            elif naming and not any(h in cells for h in naming):
                message = "is blank; every row needs the unit's name (it names the plan and its file)"
                self._settled(_Ready([Failed(row.number, (RowProblem(naming[0], path_text(NAME_PATH), message),))]))
            else:
                self._row(row.number, cells)
        self._submit()
        while self.window:
            self._handle(self.window.popleft())
        self.result.warnings.extend(self.roster.notes)  # which sheet was read, hidden rows skipped

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
            self._finish(item, self.digests.pop(item.row, ""))

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
        if isinstance(item, Made):
            try:
                self._write(item, digest)
            except OutputError as exc:
                self._fail(item.row, (RowProblem("", "", str(exc)),))
        else:
            self._fail(item.row, item.problems)
        self._tick()

    def _remove_parts(self) -> None:
        for part in self.folder.glob(f"{PART_PREFIX}*{PART_SUFFIX}"):
            try:
                part.unlink()
            except OSError:
                pass

    def _write(self, item: Made, digest: str) -> None:
        number, stem, unit, part = item.row, item.stem, item.unit, item.part
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

    def _fail(self, number: int, problems: tuple[RowProblem, ...]) -> None:
        result = self.result
        result.failed += 1
        if self.errors is None:
            self.errors = out.ReportTable(self.folder / ERRORS, ["row", "column", "field", "message"])
        for p in problems:
            self.errors.add([number, p.column, p.field, p.message])
        if len(result.first_failures) < SHOWN_FAILURES:
            result.first_failures.append(Failure(number, problems))
        if self.index is not None:
            self.index.add([number, "", "", "failed", problems[0].message if problems else ""])

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
