"""What the attacks of the web security review cost, measured: a script, not a test.

    python bench/attacks.py                     # this source tree
    python bench/attacks.py --src /tmp/old/src  # another tree (e.g. ``git archive`` of an older commit)

Each figure comes from a fresh process (``plangen check``, or a real ``plangen serve`` on a free port):

1. ``plangen check`` on a .docx whose document.xml declares 4 KB and inflates to 400 MB: peak RSS and
   CPU of the process (``resource.getrusage`` of the child);
2. the same part read the way plangen used to, ``ZipFile.read()``: peak RSS (what the cap avoids);
3. a 13 MB urlencoded POST (one 1.5-million-character field) to /draft/1 of a running server: the
   server's peak RSS (VmHWM from /proc) before and after, and the answer's status;
4. wrong tokens from one keep-alive connection for 3 s: requests answered a second, and guesses
   actually compared with the token a second (403s; a 429 compares nothing);
5. the lying .docx of 1. uploaded to /check of a running server: its peak RSS before and after.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))

import hostile_docx as H  # noqa: E402
from webforms import free_port  # noqa: E402


def child(argv: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(peak RSS MB, CPU s, exit code) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(argv, env=env, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return after.ru_maxrss / 1024, cpu, proc.returncode


def measured(argv: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Peak RSS of this child alone: RUSAGE_CHILDREN keeps the largest child so far, so ask the child."""
    code = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True); "
            "u = resource.getrusage(resource.RUSAGE_CHILDREN); print(u.ru_maxrss, u.ru_utime + u.ru_stime, r.returncode)")
    out = subprocess.run([sys.executable, "-c", code, *argv], env=env, capture_output=True, text=True, check=True).stdout.split()
    return int(out[0]) / 1024, float(out[1]), int(out[2])


def zip_bomb(tmp: Path, env: dict[str, str]) -> None:
    bomb = H.lying_bomb(tmp / "bomb.docx", 400)
    print(f"lying .docx: {bomb.stat().st_size / 1024:.0f} KB, document.xml declares 4 KB, inflates to 400 MB")
    rss, cpu, code = measured([sys.executable, "-m", "plangen", "check", str(bomb)], env)
    print(f"  plangen check: peak RSS {rss:.0f} MB, CPU {cpu:.2f} s, exit {code}")
    read = "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).read('word/document.xml')"
    rss, cpu, code = measured([sys.executable, "-c", read, str(bomb)], env)
    print(f"  ZipFile.read() of that part (the old way): peak RSS {rss:.0f} MB, CPU {cpu:.2f} s")


def vm_hwm(pid: int) -> float:
    text = Path(f"/proc/{pid}/status").read_text()
    found = re.search(r"VmHWM:\s+(\d+) kB", text)
    return int(found.group(1)) / 1024 if found else 0.0


def serve(tmp: Path, env: dict[str, str], token: str | None) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    argv = [sys.executable, "-m", "plangen", "serve", "--no-browser", "--port", str(port), "--data", str(tmp / f"data{port}")]
    if token:
        argv += ["--token", token]
    proc = subprocess.Popen(argv, env={**env, "CI": "1"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/static/app.css")
            return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("plangen serve did not start")


def big_form(tmp: Path, env: dict[str, str]) -> None:
    proc, port = serve(tmp, env, None)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        conn.request("GET", "/new/hygiene-month")
        page = conn.getresponse()
        body = page.read().decode()
        cookie = (page.getheader("set-cookie") or "").split(";")[0]
        csrf = re.search(r'"X-CSRF-Token": "([0-9a-f]+)"', body)
        token = csrf.group(1) if csrf else ""
        conn.request("POST", "/new/hygiene-month", body=f"csrf={token}".encode(),
                     headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
        conn.getresponse().read()  # an older tree has no POST here: its GET above made draft 1 already
        before = vm_hwm(proc.pid)
        field = "unit.name=" + "%E4%B8%9C" * 1_500_000
        started = time.monotonic()
        conn.request("POST", "/draft/1", body=field.encode(), headers={"Cookie": cookie, "X-CSRF-Token": token,
                                                                       "Content-Type": "application/x-www-form-urlencoded"})
        r = conn.getresponse()
        r.read()
        took = time.monotonic() - started
        print(f"13 MB urlencoded POST to /draft/1: answer {r.status} in {took:.2f} s; server peak RSS {before:.0f} MB → {vm_hwm(proc.pid):.0f} MB")
    finally:
        proc.terminate()
        proc.wait(10)


def upload_bomb(tmp: Path, env: dict[str, str]) -> None:
    bomb = tmp / "bomb.docx"
    proc, port = serve(tmp, env, None)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        conn.request("GET", "/check")
        page = conn.getresponse()
        body = page.read().decode()
        cookie = (page.getheader("set-cookie") or "").split(";")[0]
        csrf = re.search(r'"X-CSRF-Token": "([0-9a-f]+)"', body)
        boundary = "plangenbench"
        payload = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf.group(1) if csrf else ''}\r\n"
                   f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bomb.docx\"\r\n"
                   "Content-Type: application/octet-stream\r\n\r\n").encode() + bomb.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
        before = vm_hwm(proc.pid)
        started = time.monotonic()
        conn.request("POST", "/check", body=payload, headers={"Cookie": cookie, "Content-Type": f"multipart/form-data; boundary={boundary}"})
        r = conn.getresponse()
        r.read()
        print(f"the lying .docx to /check: answer {r.status} in {time.monotonic() - started:.2f} s; "
              f"server peak RSS {before:.0f} MB → {vm_hwm(proc.pid):.0f} MB")
    finally:
        proc.terminate()
        proc.wait(10)


def guesses(tmp: Path, env: dict[str, str]) -> None:
    proc, port = serve(tmp, env, "office-token-2024")
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        counts: dict[int, int] = {}
        started = time.monotonic()
        n = 0
        while time.monotonic() - started < 3.0:
            conn.request("GET", f"/?token=guess-{n:08d}")
            r = conn.getresponse()
            r.read()
            counts[r.status] = counts.get(r.status, 0) + 1
            n += 1
        took = time.monotonic() - started
        print(f"wrong tokens, one connection, {took:.1f} s: {n / took:,.0f} requests/s, "
              f"{counts.get(403, 0) / took:,.1f} guesses compared/s ({counts})")
    finally:
        proc.terminate()
        proc.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--src", help="the source tree to run (its src/ folder); default: this one")
    args = parser.parse_args()
    env = dict(os.environ)
    if args.src:
        env["PYTHONPATH"] = os.pathsep.join([args.src, env.get("PYTHONPATH", "")])
    with tempfile.TemporaryDirectory(prefix="plangen-attacks-") as tmp:
        zip_bomb(Path(tmp), env)
        upload_bomb(Path(tmp), env)
        big_form(Path(tmp), env)
        guesses(Path(tmp), env)


if __name__ == "__main__":
    main()
