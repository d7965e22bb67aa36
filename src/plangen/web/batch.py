"""批量生成 in the web app: an uploaded roster and a base input, the column map shown and corrected in
the page, and the batch run by ``plangen.batch.run_batch`` in a process of its own (:mod:`batchjob`).

Each batch is a folder under ``<data>/batches/<id>`` with server-chosen names only (roster.csv or
roster.xlsx, base.yaml written once as uploaded, the JSON files of :mod:`plangen.web.jobstate`, out/);
the id is random hex, so no request can name a path. The map chosen in the page is checked and
previewed on data and kept in ``job.json``; the job process lays it over the base and writes
``status.json`` as rows settle while the page polls it: a 10,000-row roster runs in worker processes
and never holds the server's event loop or threads.
"""

from __future__ import annotations

import csv
import re
import secrets
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from plangen.batch.mapping import build_column_map, chinese_label, leaf_paths, mapping_from, path_text, resolve
from plangen.errors import InputError
from plangen.i18n import _
from plangen.inputs.envelope import COLUMN_KEYS, first, with_type
from plangen.ooxml.safe_zip import OLE_MAGIC
from plangen.plugins.plantype import PlanType
from plangen.web.jobstate import META, BatchMeta, JobSettings, JobState, alive
from plangen.web.jobstate import read_json as read_json
from plangen.web.jobstate import write_json as write_json

BATCH_ID = re.compile(r"^[0-9a-f]{16}$")
ZIP_MAGIC = (b"PK\x03\x04",)
UNUSED = ""
"""The select's value for a column the batch leaves out."""


class Refused(Exception):
    """An upload or a request the batch page turns down, with the Chinese message to show."""


def new_id() -> str:
    return secrets.token_hex(8)


def folder_of(root: Path, batch_id: str) -> Path:
    """The batch's folder; only a well-formed id, so a request never names a path."""
    if not BATCH_ID.fullmatch(batch_id):
        raise KeyError(batch_id)
    folder = root / batch_id
    if not (folder / META).is_file():
        raise KeyError(batch_id)
    return folder


def roster_suffix(filename: str, head: bytes) -> str:
    """The roster's kind from its name *and* its content; a mismatch is refused, not guessed at."""
    suffix = Path(filename or "").suffix.lower()
    if suffix == ".xls" or head.startswith(OLE_MAGIC):
        raise Refused(_("This is an old .xls workbook (or an encrypted one); save it in Excel as .xlsx or CSV and upload that."))
    if suffix in (".xlsx", ".xlsm"):
        if not head.startswith(ZIP_MAGIC):
            raise Refused(_("This file is named .xlsx but is not an Excel workbook; save it again from Excel or WPS."))
        return ".xlsx"
    if suffix == ".csv":
        if head.startswith((b"PK", b"\x1f\x8b")) or (b"\x00" in head[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff"))):
            raise Refused(_("This file is named .csv but is not text; choose the roster saved as CSV or .xlsx."))
        return ".csv"
    raise Refused(_("Choose a roster saved as .xlsx or .csv."))


def base_yaml(plan_type: str, data: dict[str, Any]) -> str:
    return yaml.safe_dump(with_type(plan_type, data), allow_unicode=True, sort_keys=False, width=1000)


@dataclass(frozen=True)
class Column:
    """One roster header in the page: the field it fills now ("" for none) and whether it was recognised."""

    index: int
    header: str
    chosen: str
    known: bool


def field_choices(kind: PlanType, extra: list[str]) -> list[tuple[str, str]]:
    """(path, Chinese label) of every field one cell can fill, and any path already chosen beyond them
    (a base's ``columns:`` may name ``leadership.deputies[1].name`` or two fields for one column)."""
    choices = [(path_text(path), " › ".join(zh)) for path, zh in leaf_paths(kind.model)]
    have = {c[0] for c in choices}
    choices += [(p, " ＋ ".join(_chinese(kind, one) for one in p.split(", "))) for p in extra if p and p not in have]
    return choices


def _chinese(kind: PlanType, path: str) -> str:
    """unit.name → 单位 › 名称; leadership.deputies[1].name → 领导小组 › 副组长 1 › 姓名 (as the form names it)."""
    try:
        resolve(kind.model, path)
    except ValueError:
        return path
    return chinese_label(kind.model, path)


KEPT_BATCHES = 30
"""Finished batches kept (with their plans) for the page's list; older ones are removed."""


@dataclass(frozen=True)
class BatchEntry:
    """One batch in the page's list: its id, what was uploaded, and its job's state (None before it runs)."""

    id: str
    meta: BatchMeta
    state: JobState | None


def recent(root: Path, limit: int = KEPT_BATCHES) -> list[BatchEntry]:
    """The latest batches, newest first, for the batch page's list."""
    found: list[BatchEntry] = []
    for folder in root.iterdir() if root.is_dir() else ():
        meta = BatchMeta.load(folder) if BATCH_ID.fullmatch(folder.name) else None
        if meta is not None:
            found.append(BatchEntry(folder.name, meta, JobState.load(folder)))
    found.sort(key=lambda b: b.meta.created, reverse=True)
    return found[:limit]


def prune(root: Path, keep: int = KEPT_BATCHES) -> None:
    """Remove the oldest batches beyond ``keep`` (never one still running): a 10,000-row batch is
    10,000 files, and the data folder must not grow without end."""
    import shutil

    for old in recent(root, limit=10**6)[keep:]:
        if old.state is None or not old.state.running or not alive(old.state.pid):
            shutil.rmtree(root / old.id, ignore_errors=True)


def current_columns(kind: PlanType, headers: list[str], base: dict[str, Any]) -> list[Column]:
    """How each header maps now: the plan type's defaults and the base's ``columns:``, as ``plangen batch``
    reads them. Each header is worked out alone so one bad mapping does not hide the others."""
    layers = [("plan type", mapping_from(kind.roster_columns, source=kind.name))]
    try:
        explicit = first(base, COLUMN_KEYS)
        if explicit is not None:
            layers.append(("base", mapping_from(explicit, source="base")))
    except InputError:
        pass
    out = []
    for i, header in enumerate(headers):
        if not header:
            continue
        try:
            found = build_column_map(kind.model, [header], layers)
        except InputError:
            out.append(Column(i, header, UNUSED, False))
            continue
        targets = found.columns.get(header, ())
        out.append(Column(i, header, ", ".join(t.text for t in targets), bool(targets) or header in found.ignored))
    return out


# ---- the job ------------------------------------------------------------------------------------

def start(folder: Path, columns: dict[str, str | None], plugins_dirs: tuple[Path, ...] = (),
          templates_dirs: tuple[Path, ...] = (), same_people: bool = False) -> subprocess.Popen[bytes]:
    """Keep the chosen column map beside the base and start the job process (with the server's plugin
    and template folders, so a drop-in plan type batches as it previews)."""
    JobSettings([str(p.resolve()) for p in plugins_dirs], [str(p.resolve()) for p in templates_dirs], same_people,
                chosen_map(columns)).save(folder)
    JobState.starting().save(folder)
    log = open(folder / "job.log", "ab")  # noqa: SIM115 - handed to the child
    try:
        return subprocess.Popen([sys.executable, "-m", "plangen.web.batchjob", str(folder)], stdin=subprocess.DEVNULL,
                                stdout=log, stderr=log, start_new_session=True)
    finally:
        log.close()


def bad_rows(folder: Path, limit: int = 500) -> tuple[list[dict[str, str]], int]:
    """The first ``limit`` problems of errors.csv (row, column, message), and how many there are."""
    path = folder / "out" / "errors.csv"
    rows: list[dict[str, str]] = []
    count = 0
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            # by position: the headers are in the language the batch ran in (行号, 列, 字段, 问题 / row, column, field, message)
            for record in list(csv.reader(fh))[1:]:
                row, column, field, message = (record + ["", "", "", ""])[:4]
                count += 1
                if len(rows) < limit:
                    rows.append({"row": row, "column": column or field, "message": message})
    except OSError:
        pass
    return rows, count


# ---- the chosen map, checked and previewed before the job runs ----------------------------------

def headers_of(path: Path) -> list[str]:
    """The roster's header row (InputError when it cannot be read)."""
    from plangen.batch.roster import open_roster

    roster = open_roster(path)
    try:
        return list(roster.headers)
    finally:
        roster.close()


def chosen_map(columns: dict[str, str | None]) -> dict[str, str | list[str] | None]:
    """The page's choices as a ``columns:`` map: "a, b" (one column filling two fields) is a list."""
    return {h: (p.split(", ") if p and ", " in p else p or None) for h, p in columns.items()}


def base_path(folder: Path) -> Path:
    return folder / "base.yaml"


def roster_path(folder: Path) -> Path:
    return next(p for p in folder.iterdir() if p.name.startswith("roster."))


def base_with(folder: Path, columns: dict[str, str | list[str] | None] | None) -> dict[str, Any]:
    """The base as ``plangen batch`` reads a file, its own column map replaced by the one chosen in the page."""
    from plangen.inputs.envelope import without_columns
    from plangen.inputs.reading import load_file

    base = load_file(base_path(folder))
    if columns is None:
        return base
    return {**without_columns(base), COLUMN_KEYS[0]: columns}


def _trial(folder: Path, columns: dict[str, str | None], same_people: bool) -> tuple[Any, dict[str, Any]]:
    """The options and base data of a batch with this map, to check or preview it (nothing is written)."""
    from plangen.batch import BatchOptions

    options = BatchOptions(roster=roster_path(folder), base=base_path(folder), output=folder / "out", same_people=same_people)
    return options, base_with(folder, chosen_map(columns))


def check_map(folder: Path, columns: dict[str, str | None], registry: Any, same_people: bool = False) -> None:
    """What ``plangen batch`` checks before any row runs (a column for the unit's name, no overlaps, no
    person the same in every plan unless confirmed), on the chosen map, so a wrong choice is said in the
    page rather than by a failed job."""
    from plangen.batch.setup import prepare_data

    options, base = _trial(folder, columns, same_people)
    prepare_data(base, options, registry).roster.close()


def preview_of(folder: Path, columns: dict[str, str | None], registry: Any, same_people: bool) -> Any:
    """What the first three plans will say with this map (:mod:`plangen.batch.dry_run`), or the reason
    the map cannot be used, as one sentence."""
    from plangen.batch.dry_run import preview
    from plangen.errors import PlangenError

    try:
        options, base = _trial(folder, columns, same_people)
        return preview(options, registry, base=base)
    except PlangenError as exc:
        return "; ".join(str(p.message) for p in exc.problems) if isinstance(exc, InputError) else str(exc)
