"""plangen serve benchmark: a script, not a timed test (the figures depend on the machine and its load).

    python bench/web.py            # about a minute on 2 cores
    python bench/web.py --quick    # fewer requests, a 200-row batch

What it measures, against a real ``plangen serve`` started in its own process (uvicorn, one worker):

1. form → .docx with 20 concurrent users: each user has a draft, and in a loop changes a field (the
   form's POST, which saves and re-checks the draft) and downloads the .docx; the latency of the
   download and of the whole change-and-download, p50 and p95 (target: .docx p95 < 300 ms);
2. preview refresh: one user typing — the form's POST, which validates and lays out the A4 pages —
   measured sequentially, median and p95 (target < 150 ms);
3. server memory (RSS from /proc) after 1,000 .docx generations (target < 200 MB);
4. a 1,000-row batch through the web (upload, mapping, run, until the zip is ready) against
   ``plangen batch --zip`` on the same roster and base in a fresh process (target within 1.5×);
5. other users' pages while a 10,000-row batch runs through the web: the home page and the form's
   POST of 5 users, p95, against the same with no batch running (the batch runs in its own processes,
   so the server's event loop and threads stay free; the two cores are shared, so pages slow down by
   what the CPU is shared, not by waiting for the batch).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(HERE))

from webforms import csrf_of, form_pairs, free_port  # noqa: E402

from bench import ENV, cores, make_roster  # noqa: E402


class Session:
    """One browser: a keep-alive connection and the session cookie."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        self.cookie = ""

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        headers = dict(headers or {})
        if self.cookie:
            headers["Cookie"] = self.cookie
        self.conn.request(method, path, body=body, headers=headers)
        r = self.conn.getresponse()
        data = r.read()
        found = r.getheader("set-cookie")
        if found:
            self.cookie = found.split(";", 1)[0]
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        return self.request("GET", path)

    def follow(self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[str, bytes]:
        status, h, data = self.request(method, path, body, headers)
        while status in (301, 302, 303, 307):
            path = h["location"]
            status, h, data = self.request("GET", path)
        assert status == 200, (status, data[:500])
        return path, data


def urlencoded(pairs: list[tuple[str, str]]) -> bytes:
    import urllib.parse

    return urllib.parse.urlencode(pairs).encode()


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = b""
    for k, v in fields.items():
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
    for k, (name, data) in files.items():
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; filename="{name}"\r\n' \
               f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n"
    return out + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def start_server(data: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "plangen", "serve", "--no-browser", "--port", str(port), "--data", str(data)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    deadline = time.monotonic() + 30
    while True:
        try:
            Session(port).get("/")
            return proc, port
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise SystemExit("plangen serve did not start") from None
            time.sleep(0.1)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class User:
    def __init__(self, port: int, n: int) -> None:
        self.s = Session(port)
        self.n = n
        _path, first = self.s.follow("GET", "/new/hygiene-month")  # the page whose form makes the draft by POST
        path, page = self.s.follow("POST", "/new/hygiene-month", b"", {"X-CSRF-Token": csrf_of(first.decode()),
                                                                       "Content-Type": "application/x-www-form-urlencoded"})
        self.url = path
        self.html = page.decode()
        self.csrf = csrf_of(self.html)
        self.pairs = form_pairs(self.html)

    def change(self, i: int) -> float:
        """The form's POST as htmx sends it while the user types; seconds."""
        pairs = [(k, f"东湖{self.n}-{i}社区" if k == "unit.name" else v) for k, v in self.pairs]
        t = time.perf_counter()
        status, _h, body = self.s.request("POST", self.url, urlencoded(pairs),
                                          {"Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": self.csrf})
        took = time.perf_counter() - t
        assert status == 200 and b'data-problems="0"' in body, body[:300]
        return took

    def docx(self) -> float:
        t = time.perf_counter()
        status, _h, body = self.s.get(self.url + "/plan.docx")
        took = time.perf_counter() - t
        assert status == 200 and body.startswith(b"PK"), body[:300]
        return took


def concurrent(port: int, users: int, rounds: int) -> tuple[list[float], list[float]]:
    people = [User(port, i) for i in range(users)]
    docx: list[float] = []
    whole: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(users)

    def work(u: User) -> None:
        start.wait()
        for i in range(rounds):
            a = u.change(i)
            b = u.docx()
            with lock:
                docx.append(b)
                whole.append(a + b)

    threads = [threading.Thread(target=work, args=(u,)) for u in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return docx, whole


def pages_meanwhile(port: int, users: int, busy: threading.Event | None, seconds: float) -> list[float]:
    """Latencies (ms) of 5 users each loading the home page and posting the form, for ``seconds`` or
    while ``busy`` is set."""
    people = [User(port, 100 + i) for i in range(users)]
    took: list[float] = []
    lock = threading.Lock()
    end = time.monotonic() + seconds

    def work(u: User) -> None:
        i = 0
        while (busy.is_set() if busy is not None else time.monotonic() < end):
            t = time.perf_counter()
            status, _h, _b = u.s.get("/")
            home = time.perf_counter() - t
            post = u.change(i)
            i += 1
            with lock:
                took.extend([home * 1000, post * 1000])
            time.sleep(0.05)

    threads = [threading.Thread(target=work, args=(u,)) for u in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return took


def web_batch(port: int, roster: Path, started: threading.Event | None = None) -> tuple[float, int, str]:
    """Seconds from the upload to the zip being ready, the plans made, and the input the draft holds."""
    u = User(port, 999)
    _s, _h, base = u.s.get(u.url + "/input.yaml")
    draft = u.url.rsplit("/", 1)[1]
    body, ctype = multipart({"csrf": u.csrf, "base": draft}, {"roster": ("roster.csv", roster.read_bytes())})
    t = time.perf_counter()
    path, page = u.s.follow("POST", "/batch", body, {"Content-Type": ctype})
    mapping = []
    for name, options in re.findall(r'<select name="(col\d+)"[^>]*>(.*?)</select>', page.decode(), re.S):
        found = re.search(r'<option value="([^"]*)" selected', options)
        mapping.append((name, found.group(1) if found else ""))
    u.s.follow("POST", path + "/run", urlencoded([("csrf", u.csrf), *mapping]), {"Content-Type": "application/x-www-form-urlencoded"})
    if started is not None:
        started.set()
    while True:
        _st, _h, status = u.s.get(path + "/status")
        if b'data-state="done"' in status or b'data-state="failed"' in status:
            break
        time.sleep(0.1)
    took = time.perf_counter() - t
    made = re.search(r"生成方案 (\d+) 份", status.decode())
    assert made, status[:500]
    return took, int(made.group(1)), base.decode()


def cli_batch(roster: Path, base: Path, out: Path) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "plangen", "-q", "batch", str(roster), "--base", str(base), "-o", str(out), "--zip"],
                   check=True, capture_output=True, env=ENV)
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    rounds = 5 if args.quick else 25
    rows = 200 if args.quick else 1000
    results: dict[str, Any] = {"cores": cores(), "load": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory(prefix="plangen-bench-web-") as tmp:
        work = Path(tmp)
        server, port = start_server(work / "data")
        try:
            results["rss_start_mb"] = round(rss_mb(server.pid), 1)
            one = User(port, 0)
            for i in range(5):  # warm-up
                one.change(i)
                one.docx()
            preview = [one.change(i) * 1000 for i in range(100 if not args.quick else 30)]
            results["preview_ms"] = {"median": round(statistics.median(preview), 1), "p95": round(pct(preview, 95), 1)}
            print(f"preview refresh (form POST): median {results['preview_ms']['median']} ms, p95 {results['preview_ms']['p95']} ms", flush=True)
            t = time.perf_counter()
            docx, whole = concurrent(port, 20, rounds)
            wall = time.perf_counter() - t
            docx_ms, whole_ms = [d * 1000 for d in docx], [w * 1000 for w in whole]
            results["docx_20_users_ms"] = {"median": round(statistics.median(docx_ms), 1), "p95": round(pct(docx_ms, 95), 1),
                                           "n": len(docx_ms), "per_s": round(len(docx_ms) / wall, 1)}
            results["change_and_docx_20_users_ms"] = {"median": round(statistics.median(whole_ms), 1), "p95": round(pct(whole_ms, 95), 1)}
            print(f"20 users, .docx: median {results['docx_20_users_ms']['median']} ms, p95 {results['docx_20_users_ms']['p95']} ms "
                  f"({len(docx_ms)} downloads, {results['docx_20_users_ms']['per_s']}/s); change + .docx p95 "
                  f"{results['change_and_docx_20_users_ms']['p95']} ms", flush=True)
            made = 5 + len(docx)
            while made < 1000:
                one.docx()
                made += 1
            results["rss_after_1000_mb"] = round(rss_mb(server.pid), 1)
            print(f"server RSS: {results['rss_start_mb']} MB at start, {results['rss_after_1000_mb']} MB after {made} generations", flush=True)
            roster = make_roster(work / "roster.csv", rows)
            web_s, web_made, base_text = web_batch(port, roster)
            base = work / "base.yaml"
            base.write_text(base_text, encoding="utf-8")
            cli = [cli_batch(roster, base, work / f"cli-{i}") for i in range(3)]
            webs = [web_s] + [web_batch(port, roster)[0] for _ in range(2)]
            results["batch"] = {"rows": rows, "made": web_made, "web_s": round(statistics.median(webs), 2),
                                "cli_s": round(statistics.median(cli), 2),
                                "ratio": round(statistics.median(webs) / statistics.median(cli), 2)}
            print(f"{rows}-row batch: web {results['batch']['web_s']} s (upload to zip), CLI {results['batch']['cli_s']} s "
                  f"(plangen batch --zip, fresh process): {results['batch']['ratio']}×", flush=True)
            big_rows = 2000 if args.quick else 10000
            idle = pages_meanwhile(port, 5, None, 5.0)
            big = make_roster(work / "big.csv", big_rows)
            busy = threading.Event()
            outcome: dict[str, Any] = {}

            def run_big() -> None:
                outcome["took"] = web_batch(port, big, busy)[0]
                busy.clear()

            runner = threading.Thread(target=run_big)
            runner.start()
            busy.wait(timeout=120)
            during = pages_meanwhile(port, 5, busy, 0)
            runner.join()
            results["pages_during_big_batch_ms"] = {
                "rows": big_rows, "batch_s": round(outcome["took"], 1),
                "idle_median": round(statistics.median(idle), 1), "idle_p95": round(pct(idle, 95), 1),
                "during_median": round(statistics.median(during), 1), "during_p95": round(pct(during, 95), 1), "n": len(during)}
            print(f"pages of 5 users while a {big_rows}-row batch runs ({outcome['took']:.1f} s): median "
                  f"{results['pages_during_big_batch_ms']['during_median']} ms, p95 {results['pages_during_big_batch_ms']['during_p95']} ms "
                  f"(idle: median {results['pages_during_big_batch_ms']['idle_median']} ms, p95 {results['pages_during_big_batch_ms']['idle_p95']} ms)",
                  flush=True)
            results["rss_end_mb"] = round(rss_mb(server.pid), 1)
        finally:
            server.terminate()
            server.wait(timeout=30)
    results["load_end"] = os.getloadavg()[0]
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
