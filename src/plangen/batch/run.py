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
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from plangen import files
from plangen.batch import output as out
from plangen.batch.mapping import chinese_label, path_text
from plangen.batch.options import BatchOptions, BatchResult, Failure, RowProblem, quoted
from plangen.batch.roster import Cell
from plangen.batch.setup import prepare, prepare_data
from plangen.batch.worker import (
    PART_SUFFIX,
    Failed,
    Job,
    Made,
    Rendered,
    render_rows,
    start_worker,
)
from plangen.errors import OutputError, PlangenError, Terminated
from plangen.i18n import N_, Msg, _, msg
from plangen.plugins import Registry, get_registry

ERRORS = "errors.csv"
SHOWN_FAILURES = 10
NAME_PATH = ("unit", "name")  # what api.default_filename names a plan by


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


JOBS_PER_CORE = 2
"""Workers only render (CPU); beyond a couple per core they only compete for it."""
FDS_PER_WORKER = 4
"""File descriptors the parent holds per worker (its sentinel and pipes), with room to spare."""
FDS_RESERVED = 32
"""For the roster, the journal, the reports, the lock and Python itself."""


def bounded_jobs(requested: int | None) -> tuple[int, Msg | None]:
    """The worker count to use, and why it is fewer than asked, if it is: at most :data:`JOBS_PER_CORE` per
    core, and no more than the open-file limit (``ulimit -n``) can hold, so a large ``-j`` never fails
    half-way through starting the pool."""
    cores = default_jobs()
    jobs = max(1, requested or cores)
    limit = cores * JOBS_PER_CORE
    why = _("{count} cores", count=cores) if cores != 1 else _("1 core")
    try:
        import resource

        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        if soft != resource.RLIM_INFINITY and (soft - FDS_RESERVED) // FDS_PER_WORKER < limit:
            limit = max(1, (soft - FDS_RESERVED) // FDS_PER_WORKER)
            why = _("the open-file limit is {limit} (ulimit -n)", limit=soft)
    except (ImportError, ValueError, OSError):
        pass
    if jobs <= limit:
        return jobs, None
    if limit == 1:
        return limit, msg("batch.jobs-bounded", "--jobs {jobs} is more than this machine can use; running 1 worker process ({why})",
                          jobs=jobs, limit=limit, why=why)
    return limit, msg("batch.jobs-bounded", "--jobs {jobs} is more than this machine can use; running {limit} worker processes ({why})",
                      jobs=jobs, limit=limit, why=why)


def _raise_terminated(signum: int, _frame: object) -> None:
    signal.signal(signum, signal.SIG_IGN)  # a second SIGTERM must not cut the clean-up short
    raise Terminated()


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Stop the workers now (interrupted: the rows they hold are not wanted); the pool is then shut down."""
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14+
    if terminate is not None:
        terminate()
        return
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            proc.terminate()
        except (OSError, AttributeError, ValueError):
            pass


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


Entry = Future[list[Rendered]] | _Ready | _Skip


class _Run:
    """One batch: feeds rows to the workers, and takes their results back in roster order."""

    def __init__(self, options: BatchOptions, registry: Registry, progress: Callable[[int], None] | None,
                 base: Mapping[str, Any] | None = None) -> None:
        self.options = options
        setup = prepare(options, registry) if base is None else prepare_data(base, options, registry)
        self.job, self.roster, self.salt = setup.job, setup.roster, setup.salt
        self.setup_warnings = setup.warnings
        self.said_notes = 0
        self.progress = progress
        self.result = BatchResult(output=options.output)
        self.jobs = 1
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
        result.warnings.extend(self.roster.notes)  # which row is the header, which sheet was read
        self.said_notes = len(self.roster.notes)
        result.warnings.extend(self.setup_warnings)
        title = self.registry.plan_type(self.job.plan_type).title
        for header in self.job.columns.unknown:
            result.warnings.append(msg("batch.unknown-column", "column {header} is not used: a {type} names nothing so; if it should be, "
                                       "head it as the plan names it (书记, 主任, 委员, 联系人, 联系电话…)",
                                       header=quoted(header), type=title))
        self.jobs, why = bounded_jobs(options.jobs)
        if why is not None:
            result.warnings.append(why)
        try:
            options.output.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.roster.close()
            raise files.fail(options.output, exc, N_("cannot create folder")) from None
        self.folder = options.output.resolve()
        lock = out.FolderLock(self.folder)
        try:
            lock.acquire()
        except BaseException:
            self.roster.close()
            raise
        # SIGTERM stops a batch as Ctrl-C does (workers stopped, parts removed), unless the caller handles it
        on_term = None
        if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
            on_term = signal.signal(signal.SIGTERM, _raise_terminated)
        try:
            self._run(on_start)
        finally:
            lock.release()
            if on_term is not None:
                signal.signal(signal.SIGTERM, on_term)
        result.files = len(self.listed)
        result.seconds = time.perf_counter() - started
        return result

    def _run(self, on_start: Callable[[int], None] | None) -> None:
        options, result = self.options, self.result
        self.pool = None
        completed = False
        try:
            self._remove_parts()  # left by a run that was killed outright (the lock says none is running now)
            if on_start is not None:
                on_start(self.roster.estimate)
            kind = options.index
            if kind == "auto":
                kind = "xlsx" if self.roster.path.suffix.lower() in (".xlsx", ".xlsm") else "csv"
            self.journal = out.Journal(self.folder, force=options.force)
            if kind != "none":
                self.index = out.ReportTable(self.folder / f"index.{kind}", out.INDEX_HEADER)
            self.job.folder = self.folder
            start_worker(self.job, False, self.registry)  # the parent renders with --jobs 1 and for a rare late row
            self.chunk_size = max(1, min(16, self.roster.estimate // (self.jobs * 8)))
            if self.jobs > 1:
                self.pool = _pool(self.jobs, self.job)
                try:
                    self.pool.submit(os.getpid).result()  # starts every worker now: a failure is one message, not a hang
                except (OSError, BrokenProcessPool) as exc:
                    raise OutputError(msg("batch.cannot-start-workers", "cannot start {jobs} worker processes: {reason}; try a smaller --jobs",
                                          jobs=self.jobs, reason=getattr(exc, "strerror", None) or exc)) from None
            self._feed()
            completed = True
        finally:
            old = self._hold_signals() if not completed else {}
            try:
                self.roster.close()
                if self.pool is not None:
                    if not completed:
                        _stop_workers(self.pool)
                    self.pool.shutdown(wait=True, cancel_futures=True)
                self._remove_parts()  # parts of rows never renamed (interrupted, or their rename failed)
                if hasattr(self, "journal"):
                    self.journal.close(compact=completed)
                if not completed:
                    for table in (self.index, self.errors):
                        if table is not None:
                            table.discard()
            finally:
                for sig, handler in old.items():
                    signal.signal(sig, handler)
        try:
            if self.index is not None:
                result.index = self.index.finish()
            if self.errors is not None:
                result.errors = self.errors.finish()
        except BaseException:
            for table in (self.index, self.errors):
                if table is not None:
                    table.discard()
            raise
        if self.errors is None and files.kind(self.folder / ERRORS) is not None:
            files.remove(self.folder / ERRORS)  # from an earlier run: those rows are fine now
        if options.zip:
            result.zip = out.pack(self.folder, self.listed, result.index)
        elif files.kind(self.folder / out.ZIP_NAME) is not None:
            files.remove(self.folder / out.ZIP_NAME)
            result.warnings.append(msg("batch.stale-zip", "removed {file} left by an earlier run with --zip: it no longer matches "
                                       "the plans (add --zip to make it again)", file=out.ZIP_NAME))

    @staticmethod
    def _hold_signals() -> dict[int, Any]:
        """While an interrupted batch cleans up, a second Ctrl-C or SIGTERM must not leave parts behind."""
        if threading.current_thread() is not threading.main_thread():
            return {}
        return {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}

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
                message = _("is blank; every row needs the unit's name (it names the plan and its file)")
                label = chinese_label(self.registry.plan_type(self.job.plan_type).model, path_text(NAME_PATH))
                self._settled(_Ready([Failed(row.number, (RowProblem(naming[0], label, message),))]))
            else:
                self._row(row.number, cells)
        self._submit()
        while self.window:
            self._handle(self.window.popleft())
        self.result.warnings.extend(self.roster.notes[self.said_notes:])  # hidden rows skipped

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
                raise PlangenError(msg("batch.worker-died", "a worker process died (out of memory?); the plans written so far "
                                       "are complete — run the same command again to continue")) from None
            self.in_flight -= 1
        for item in items:
            self._finish(item, self.digests.pop(item.row, ""))

    def _skip(self, entry: _Skip) -> None:
        if out.exists(self.folder, entry.name) and self.names.claim(entry.name, entry.number):
            with out.DeferInterrupt():
                self.journal.add(entry.digest, entry.name, entry.unit, self.journal.made.get(out.FileNames.key(entry.name)))
                if self.index is not None:
                    self.index.add([entry.number, entry.unit, entry.name, out.status("skipped"), ""])
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
                if exc.fatal:
                    raise  # disk full, read-only: every other row would fail the same way
                self._fail(item.row, (RowProblem("", "", str(exc)),))
        else:
            if item.fatal:
                raise OutputError(item.problems[0].message, fatal=True)
            self._fail(item.row, item.problems)
        self._tick()

    def _remove_parts(self) -> None:
        """Remove plan parts never renamed; the reports' own parts stay until they are finished or discarded."""
        keep = {table.tmp for table in (self.index, self.errors) if table is not None}
        for part in self.folder.glob(f"{out.PART_PREFIX}*{PART_SUFFIX}"):
            if part not in keep:
                files.remove(part)

    def _write(self, item: Made, digest: str) -> None:
        number, stem, unit, part = item.row, item.stem, item.unit, item.part
        name, clash = self.names.unique(stem, number)
        note = ""
        if clash is not None:
            note = _("same name as row {row}", row=clash)
            self.result.warnings.append(msg("batch.same-file-name", "rows {first} and {row} both make {file}; row {row} was written as {name}",
                                            first=clash, row=number, file=f"{stem}.docx", name=name))
        with out.DeferInterrupt():
            target = out.inside(self.folder, name)
            kept = out.make_room(self.folder, name, self.journal)  # an edit, a link, a stranger's file: moved aside
            if kept is not None:
                self.result.warnings.append(kept)
                note = _("; ").join(filter(None, (note, _("the earlier file was kept beside it"))))
            try:
                os.replace(part, target)  # the part is complete: readers see the whole file or none
            except OSError as exc:
                raise files.fail(target, exc) from None
            self.journal.add(digest, name, unit, item.sha)
            if self.index is not None:
                self.index.add([number, unit, name, out.status("made"), note])
        self.listed.append(name)
        self.result.made += 1

    def _fail(self, number: int, problems: tuple[RowProblem, ...]) -> None:
        result = self.result
        result.failed += 1
        if self.errors is None:
            self.errors = out.ReportTable(self.folder / ERRORS, out.ERRORS_HEADER)
        for p in problems:
            self.errors.add([number, p.column, p.field, p.message])
        if len(result.first_failures) < SHOWN_FAILURES:
            result.first_failures.append(Failure(number, problems))
        if self.index is not None:
            self.index.add([number, "", "", out.status("failed"), problems[0].message if problems else ""])

    def _tick(self) -> None:
        if self.progress is not None:
            self.progress(1)


def run_batch(
    options: BatchOptions,
    *,
    registry: Registry | None = None,
    progress: Callable[[int], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    base: Mapping[str, Any] | None = None,
) -> BatchResult:
    """Make one plan per roster row. Row problems are collected in the result, not raised.

    Problems with the batch as a whole (base file, roster header, column mapping) raise InputError
    before anything is written. ``on_start`` gets the roster's estimated row count, ``progress`` one
    call per row settled. ``base``: the base already read (else ``options.base`` is read).
    """
    registry = registry or get_registry(options.plugins_dirs)
    return _Run(options, registry, progress, base).execute(on_start)
