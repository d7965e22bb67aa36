"""What plangen writes, and only there: no link followed, no formula filed, one batch per folder, signals
stop everything, a bad folder is one line, shared files are readable, nobody's edit is overwritten.

Every test runs plangen for real (real files, links, mounts, processes and signals); names are invented.
"""

from __future__ import annotations

import os
import resource
import signal
import stat
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from on_pilot import EXAMPLE as BASE
from on_pilot import OUTPUT_NAME as PLAN
from test_batch import (
    GOOD,
    HEADER,
    docx_files,
    no_leftovers,
    read_table,
    run_cli,
    small_roster,
    write_csv,
)

from plangen.testing import docx as R

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.usefixtures("pilot_only")  # the core's output safety, on a plan type only the SDK defines
SECRET = "root:x:0:0:the file a planted link points at\n"

_SURNAMES = "东南西北中新老上下前后左右大小金银铜铁石玉竹松柏桃李杏梅兰菊荷"
_PLACES = "街桥园湖山河塘坝岭湾坡村庄门巷林田溪泉井"


def big_roster(path: Path, rows: int) -> Path:
    """``rows`` valid rows with distinct invented community names (东街一社区 …)."""
    names: list[str] = []
    for a in _SURNAMES:
        for b in _PLACES:
            for c in "一二三四五六七八九十":
                names.append(f"{a}{b}{c}社区")
    assert len(names) >= rows
    body = [[name, *GOOD[1:]] for name in names[:rows]]
    return write_csv(path, HEADER, body)


def plangen_proc(args: list[str], cwd: Path, **kw: object) -> subprocess.Popen[bytes]:
    """``python -m plangen ARGS`` as a real process, its output in files (a full pipe never blocks it)."""
    out = (cwd / "proc.out").open("wb")
    err = (cwd / "proc.err").open("wb")
    return subprocess.Popen([sys.executable, "-m", "plangen", *args], stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                            cwd=cwd, **kw)  # type: ignore[call-overload]


def children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (read from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(condition, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


def one_line_error(stderr: str, *needles: str) -> str:
    lines = [line for line in stderr.strip().splitlines() if not line.startswith("plangen: warning:")]
    assert len(lines) == 1 and lines[0].startswith("plangen: error: "), stderr
    assert "Traceback" not in stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


# ---- writes outside the output folder ----------------------------------------------------------------

@pytest.mark.parametrize("planted", [".index.csv.part", ".errors.csv.part", ".plans.zip.part", "index.csv", "errors.csv",
                                     "plans.zip"])
def test_a_planted_link_is_never_written_through(tmp_path: Path, planted: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    out = tmp_path / "out"
    out.mkdir()
    (out / planted).symlink_to(secret)
    rows = [GOOD, ["南街社区", "城关镇", "邓怡", "薛明勇", "邱超", "宋子", "电话待定"]]  # one bad row: errors.csv too
    code, _, stderr = run_cli("batch", str(small_roster(tmp_path, rows)), "--base", str(BASE), "-o", str(out), "--zip", "-j", "1")
    assert code == 1 and "Traceback" not in stderr
    assert secret.read_text() == SECRET
    assert (out / PLAN).is_file()
    with zipfile.ZipFile(out / "plans.zip") as zf:
        assert PLAN in zf.namelist()


def test_a_linked_journal_is_refused_not_appended_to(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    out = tmp_path / "out"
    out.mkdir()
    (out / ".plangen-batch.jsonl").symlink_to(secret)
    code, _, stderr = run_cli("batch", str(small_roster(tmp_path)), "--base", str(BASE), "-o", str(out), "-j", "1")
    assert code == 1
    one_line_error(stderr, ".plangen-batch.jsonl", "link")
    assert secret.read_text() == SECRET
    assert docx_files(out) == []


def test_a_plan_replaced_by_a_link_is_not_skipped_nor_zipped(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    roster, out = small_roster(tmp_path), tmp_path / "out"
    assert run_cli("batch", str(roster), "--base", str(BASE), "-o", str(out), "-j", "1")[0] == 0
    (out / PLAN).unlink()
    (out / PLAN).symlink_to(secret)
    code, stdout, stderr = run_cli("batch", str(roster), "--base", str(BASE), "-o", str(out), "--zip", "-j", "1")
    assert code == 0, stderr
    assert "made 1, skipped 2" in stdout
    assert f"{PLAN} is a symbolic link" in stderr and "东街社区-试点工作方案.kept.docx" in stderr
    assert (out / PLAN).is_file() and not (out / PLAN).is_symlink()
    assert "东街社区" in R.text(out / PLAN)
    assert (out / "东街社区-试点工作方案.kept.docx").is_symlink()  # kept as it was, a link
    assert secret.read_text() == SECRET
    with zipfile.ZipFile(out / "plans.zip") as zf:
        assert all(SECRET.encode() not in zf.read(name) for name in zf.namelist())
        assert "东街社区-试点工作方案.kept.docx" not in zf.namelist()


def test_new_and_generate_never_write_through_a_link(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    dangling = tmp_path / "input.yaml"
    dangling.symlink_to(tmp_path / "elsewhere.yaml")
    code, _, stderr = run_cli("new", "pilot", "-o", str(dangling))
    assert code == 2 and "already exists" in stderr
    assert not (tmp_path / "elsewhere.yaml").exists()
    target = tmp_path / "plan.docx"
    target.symlink_to(secret)
    code, _, stderr = run_cli("generate", str(BASE), "-o", str(target))
    assert code == 0 and "plan.kept.docx" in stderr  # moved aside as a link, as plangen batch does
    assert secret.read_text() == SECRET and (tmp_path / "plan.kept.docx").is_symlink()
    assert not target.is_symlink() and target.read_bytes().startswith(b"PK")


# ---- spreadsheet formula injection -------------------------------------------------------------------

HOSTILE = ["=1+1社区", "@SUM(1)社区", "-2+3社区", "+cmd|' /C calc'!A0社区", "\t=1+1社区"]  # each a 社区 by its name


def hostile_roster(tmp_path: Path) -> Path:
    rows = [[name, *GOOD[1:]] for name in HOSTILE]
    rows.append(["南街社区", "城关镇", "邓怡", "薛明勇", "邱超", "宋子", "电话待定"])  # fails: its column is named "=联系电话"
    return write_csv(tmp_path / "roster.csv", [*HEADER[:-1], "=联系电话"], rows)


def test_csv_reports_hold_no_formula(tmp_path: Path) -> None:
    columns = tmp_path / "columns.yaml"
    columns.write_text('"=联系电话": contact.phone\n', encoding="utf-8")
    out = tmp_path / "out"
    code, _, stderr = run_cli("batch", str(hostile_roster(tmp_path)), "--base", str(BASE), "--columns", str(columns),
                              "-o", str(out), "-j", "1")
    assert code == 1, stderr
    index = read_table(out / "index.csv")
    cells = [cell for row in index for cell in row.values()]
    errors = read_table(out / "errors.csv")
    cells += [cell for row in errors for cell in row.values()]
    assert not [c for c in cells if c and c[0] in "=+-@\t\r"], "a cell a spreadsheet would run as a formula"
    assert [row["unit"] for row in index[:4]] == ["'=1+1社区", "'@SUM（1）社区", "'-2+3社区", "'+cmd|' /C calc'!A0社区"]
    assert errors[0]["column"] == "'=联系电话"


def test_xlsx_index_holds_text_not_formulas(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "out"
    rows = [[name, *GOOD[1:]] for name in HOSTILE]
    roster = write_csv(tmp_path / "roster.csv", HEADER, rows)
    code, _, stderr = run_cli("batch", str(roster), "--base", str(BASE), "-o", str(out), "--index", "xlsx", "-j", "1")
    assert code == 0, stderr
    sheet = load_workbook(out / "index.xlsx").active
    units = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in units][:4] == ["=1+1社区", "@SUM（1）社区", "-2+3社区", "+cmd|' /C calc'!A0社区"]
    assert {c.data_type for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)} == {"s"}


# ---- one batch per folder; signals; many jobs -------------------------------------------------------

@contextmanager
def running_batch(tmp_path: Path, out: Path, rows: int, jobs: int) -> Iterator[subprocess.Popen[bytes]]:
    roster = big_roster(tmp_path / "big.csv", rows)
    proc = plangen_proc(["batch", str(roster), "--base", str(BASE), "-o", str(out), "-j", str(jobs)], tmp_path)
    try:
        wait_for(lambda: (out.is_dir() and len(docx_files(out)) >= 3) or proc.poll() is not None)
        assert proc.poll() is None, (tmp_path / "proc.err").read_text()
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_second_batch_into_the_same_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with running_batch(tmp_path, out, 6000, 1) as first:  # ~16 s at 366 plans/s: still running when the second starts
        second = subprocess.run(check=False, args=[sys.executable, "-m", "plangen", "batch", str(small_roster(tmp_path)), "--base", str(BASE),
                                 "-o", str(out), "-j", "1"], capture_output=True, text=True, timeout=120)
        assert first.poll() is None, "the first batch must go on"
        assert second.returncode == 1
        one_line_error(second.stderr, str(out), "in use by another plangen batch", f"process {first.pid}")
        first.send_signal(signal.SIGTERM)
        assert first.wait(timeout=60) == 143
    no_leftovers(out)


@pytest.mark.slow  # the rerun makes the whole roster
@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_stops_the_workers_and_cleans_up(tmp_path: Path, sig: signal.Signals, code: int) -> None:
    out = tmp_path / "out"
    # 6,000 rows: ~8 s with two workers on a quiet machine (2,000 were done before the signal came: exit 0 in CI)
    with running_batch(tmp_path, out, 6000, 2) as proc:
        workers = children(proc.pid)
        assert len(workers) >= 2
        sent = time.monotonic()
        proc.send_signal(sig)
        assert proc.wait(timeout=30) == code, (tmp_path / "proc.err").read_text()
        stopped = time.monotonic() - sent
    wait_for(lambda: not any(alive(pid) for pid in workers), timeout=5)
    assert stopped < 10, f"took {stopped:.1f} s to stop"
    err = (tmp_path / "proc.err").read_text()
    assert "Traceback" not in err and "no partial files were left" in err
    no_leftovers(out)
    assert not (out / "index.csv").exists()  # an index of half a batch would mislead
    rerun = subprocess.run(check=False, args=[sys.executable, "-m", "plangen", "batch", str(tmp_path / "big.csv"), "--base", str(BASE), "-o",
                            str(out), "-j", "2", "--index", "none"], capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr


def _few_files() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))


def test_many_jobs_with_few_file_descriptors_finish(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = subprocess.run(check=False, args=[sys.executable, "-m", "plangen", "batch", str(ROOT / "samples" / "communities.csv"), "--base",
                           str(BASE), "-o", str(out), "-j", "200"], capture_output=True, text=True, timeout=120,
                          preexec_fn=_few_files)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "--jobs 200 is more than this machine can use; running" in proc.stderr
    assert len(docx_files(out)) == 20
    no_leftovers(out)


# ---- a folder that cannot be written: one line ----------------------------------------------------------

@contextmanager
def tmpfs(path: Path, options: str) -> Iterator[Path]:
    path.mkdir()
    done = subprocess.run(check=False, args=["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def test_a_read_only_folder_is_one_line(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "ro", "ro,size=1m") as ro:
        code, _, stderr = run_cli("batch", str(small_roster(tmp_path)), "--base", str(BASE), "-o", str(ro / "out"), "-j", "1")
        assert code == 1
        one_line_error(stderr, "Read-only file system")
        code, _, stderr = run_cli("batch", str(small_roster(tmp_path)), "--base", str(BASE), "-o", str(ro), "-j", "1")
        assert code == 1
        one_line_error(stderr, "Read-only file system")
        code, _, stderr = run_cli("generate", str(BASE), "-o", str(ro / "plan.docx"))
        assert code == 1
        one_line_error(stderr, "Read-only file system")


def test_a_full_disk_stops_the_batch_in_one_line_and_a_rerun_completes(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "small", "size=1m") as small:
        out = small / "out"
        ballast = small / "ballast"
        ballast.write_bytes(b"\0" * 800_000)  # room for about 20 of the 40 plans
        command = [sys.executable, "-m", "plangen", "batch", str(big_roster(tmp_path / "r.csv", 40)), "--base", str(BASE),
                   "-o", str(out), "-j", "2"]
        proc = subprocess.run(command, check=False, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 1
        one_line_error(proc.stderr, "No space left on device", "free some space")
        no_leftovers(out)
        assert not (out / "index.csv").exists() and not (out / "errors.csv").exists()
        made = docx_files(out)
        assert 0 < len(made) < 40
        for name in made:
            with zipfile.ZipFile(out / name) as zf:
                assert zf.testzip() is None
        ballast.unlink()  # space freed: the same command finishes the batch
        proc = subprocess.run(command, check=False, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        assert f"made {40 - len(made)}, skipped {len(made)}" in proc.stdout
        assert len(docx_files(out)) == 40
        no_leftovers(out)


# ---- files people share ----------------------------------------------------------------------------

@contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def test_files_honour_the_umask(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with umask(0o022):
        assert run_cli("batch", str(small_roster(tmp_path)), "--base", str(BASE), "-o", str(out), "-j", "2", "--zip")[0] == 0
        assert run_cli("generate", str(BASE), "-o", str(tmp_path / "one.docx"))[0] == 0
        assert run_cli("new", "pilot", "-o", str(tmp_path / "in.yaml"))[0] == 0
    made = [*out.iterdir(), tmp_path / "one.docx", tmp_path / "in.yaml"]
    assert {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in made} == {p.name: "0o644" for p in made}
    out2 = tmp_path / "out2"
    with umask(0o077):
        assert run_cli("batch", str(small_roster(tmp_path)), "--base", str(BASE), "-o", str(out2), "-j", "1")[0] == 0
    assert {oct(stat.S_IMODE(p.stat().st_mode)) for p in out2.iterdir()} == {"0o600"}


def test_an_edited_plan_or_a_strangers_file_is_kept(tmp_path: Path) -> None:
    roster, out = small_roster(tmp_path), tmp_path / "out"
    out.mkdir()
    theirs = out / "南街社区-试点工作方案.docx"
    theirs.write_bytes(b"a colleague's own file")
    code, _, stderr = run_cli("batch", str(roster), "--base", str(BASE), "-o", str(out), "-j", "1")
    assert code == 0
    assert "南街社区-试点工作方案.docx was not made by plangen; it was kept as 南街社区-试点工作方案.kept.docx" in stderr
    assert (out / "南街社区-试点工作方案.kept.docx").read_bytes() == b"a colleague's own file"
    plan = out / PLAN
    edited = plan.read_bytes() + b"\0edited"
    plan.write_bytes(edited)
    # unchanged input: the edited plan is the one to keep, untouched
    code, stdout, stderr = run_cli("batch", str(roster), "--base", str(BASE), "-o", str(out), "-j", "1")
    assert code == 0 and "skipped 3" in stdout and plan.read_bytes() == edited
    code, stdout, stderr = run_cli("batch", str(roster), "--base", str(BASE), "-o", str(out), "-j", "1", "--force")
    assert code == 0 and "made 3" in stdout
    assert f"{PLAN} was edited since plangen made it; it was kept as 东街社区-试点工作方案.kept.docx" in stderr
    assert (out / "东街社区-试点工作方案.kept.docx").read_bytes() == edited
    assert "东街社区" in R.text(plan)
    index = read_table(out / "index.csv")
    assert "kept" in index[0]["note"]
    # plangen's own unedited plans are replaced without a word
    code, _, stderr = run_cli("batch", str(roster), "--base", str(BASE), "-o", str(out), "-j", "1", "--force")
    assert code == 0 and "kept" not in stderr
    assert sorted(p.name for p in out.glob("*.kept*.docx")) == ["东街社区-试点工作方案.kept.docx",
                                                               "南街社区-试点工作方案.kept.docx"]


def test_a_stale_zip_is_removed_and_said(tmp_path: Path) -> None:
    roster, out = small_roster(tmp_path), tmp_path / "out"
    assert run_cli("batch", str(roster), "--base", str(BASE), "-o", str(out), "-j", "1", "--zip")[0] == 0
    assert (out / "plans.zip").is_file()
    code, _, stderr = run_cli("batch", str(roster), "--base", str(BASE), "-o", str(out), "-j", "1")
    assert code == 0
    assert "removed plans.zip left by an earlier run" in stderr
    assert not (out / "plans.zip").exists()


def test_plugin_new_hints_a_path_pip_cannot_mistake_for_a_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, stderr = run_cli("plugin", "new", "flood-drill", "-o", "fd")
    assert code == 0
    assert "next: pip install ./fd && plangen new flood-drill" in stderr
    code, _, stderr = run_cli("plugin", "new", "flood-drill")
    assert "next: pip install ./plangen-flood-drill && " in stderr
    code, _, stderr = run_cli("plugin", "new", "flood-drill", "-o", str(tmp_path / "abs dir"))
    assert f"next: pip install '{tmp_path / 'abs dir'}' && " in stderr


def test_every_hint_names_a_path_for_pip() -> None:
    """No text the tool or its docs print tells pip to install a bare name that is a folder here."""
    sources = [*ROOT.joinpath("src").rglob("*.py"), *ROOT.joinpath("src").rglob("*.tmpl"), ROOT / "README.md",
               *ROOT.joinpath("docs").glob("*.md"), *ROOT.joinpath("plugins").rglob("*.md")]
    bad = []
    for path in sources:
        for line in path.read_text(encoding="utf-8").splitlines():
            for word in line.split("pip install ")[1:]:
                target = word.split()[0].strip("`'\"") if word.split() else ""
                if target.startswith("-"):
                    target = word.split()[1] if len(word.split()) > 1 else ""
                if target in ("", ".", "pytest") or target.startswith(("./", "../", "{", '".', "'.", ".[", '"')):
                    continue
                if "/" in target or target.upper() == "DIR":
                    bad.append(f"{path.name}: {line.strip()}")
    assert bad == []
