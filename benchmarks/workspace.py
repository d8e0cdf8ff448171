"""Workspace benchmarks, each printed beside its reference from the same run.

1. Eight coders applying codes at once through the workspace (HTTP, the server in its own
   process, as in use): p50 and p99 latency of "apply a code" and codings per second, on SQLite
   and (with ``--database-url`` or ``COEVAL_TEST_DATABASE_URL``) on PostgreSQL. Reference: the
   same eight threads calling ``proj.code`` in the library, no HTTP (the floor the web adds to).
2. A 50,000-word transcript opened in Chromium until it can be selected and coded (the reader's
   ``data-ready``). Reference: the same text as a static page of paragraphs. Target: under 1 s.

    python benchmarks/workspace.py [--codings 100] [--words 50000] [--database-url URL]

Benchmarks, not tests: the machines are shared and noisy, so nothing here fails.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

CODERS = [f"PR-{i}" for i in range(1, 9)]
PASSWORD = "benchmark password 1"
SERVER = r"""
import sys, uvicorn, coeval as ce
from coeval.workspace import create_app
uvicorn.run(create_app(ce.Project.open(sys.argv[1]) if "://" not in sys.argv[1] else ce.Project(sys.argv[1])),
            host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


def _words(n: int) -> str:
    """A transcript of about ``n`` words: the sample's own turns, repeated and numbered."""
    import coeval as ce

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        doc = ce.read_document(Path(__file__).resolve().parent.parent / "data/sample/northside/workshop1_zoom.vtt")
    turns = [(s.speaker, doc.text[s.start:s.end]) for s in doc.segments]
    lines, count, i = [], 0, 0
    while count < n:
        speaker, text = turns[i % len(turns)]
        lines.append(f"{speaker}: {text}")
        count += len(text.split())
        i += 1
    return "\n".join(lines) + "\n"


def _project(url: str, folder: Path, words: int):
    import coeval as ce
    from coeval.workspace.accounts import accept_invite, invite

    proj = ce.Project(url)
    path = folder / "long.txt"
    path.write_text(_words(words), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        proj.ingest(path, progress=False)
    proj.codebook = ce.Codebook.template("coeval")
    for name in CODERS:
        accept_invite(proj, invite(proj, name, "coder", role="peer_researcher", by=None), PASSWORD)
    return proj


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _spans(proj, n: int):
    import re

    text = proj.document("long").text
    return [(m.start(), m.end()) for m in re.finditer(r"\w{4,}", text)][: n * len(CODERS)]


def _percentiles(latencies: list[float]) -> tuple[float, float]:
    ordered = sorted(latencies)
    return ordered[len(ordered) // 2] * 1000, ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000


def _run_threads(work, coders=CODERS) -> tuple[list[float], float]:
    latencies: list[float] = []
    lock = threading.Lock()
    threads = [threading.Thread(target=work, args=(i, name, latencies, lock)) for i, name in enumerate(coders)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, time.perf_counter() - start


def bench_library(proj, codings: int, code_ids: list[str]):
    spans = _spans(proj, codings)

    def work(i, name, latencies, lock):
        for k in range(codings):
            start, end = spans[(i * codings + k) % len(spans)]
            t = time.perf_counter()
            proj.code(("long", start, end), code_ids[k % len(code_ids)], coder=name)
            with lock:
                latencies.append(time.perf_counter() - t)
    return _run_threads(work)


def bench_http(url: str, proj, codings: int, code_ids: list[str], coders=CODERS):
    import re

    import httpx

    port = _free_port()
    server = subprocess.Popen([sys.executable, "-c", SERVER, url, str(port)])
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(base + "/login", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.05)
        spans = _spans(proj, codings)

        def work(i, name, latencies, lock):
            with httpx.Client(base_url=base, timeout=30) as client:
                client.get("/login")
                client.post("/login", data={"name": name, "password": PASSWORD,
                                            "csrf_token": client.cookies.get("coeval_form")})
                csrf = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/").text).group(1)
                for k in range(codings):
                    start, end = spans[(i * codings + k) % len(spans)]
                    t = time.perf_counter()
                    answer = client.post("/api/codings", json={"document_id": "long", "start": start, "end": end,
                                                               "code_id": code_ids[(k + 1) % len(code_ids)]},
                                         headers={"X-CSRF-Token": csrf})
                    with lock:
                        latencies.append(time.perf_counter() - t)
                    assert answer.status_code == 201, answer.text
        return _run_threads(work, coders)
    finally:
        server.terminate()
        server.wait(timeout=10)


def bench_browser(url: str, words: int) -> tuple[float, float] | None:
    import html

    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("COEVAL_CHROMIUM") or shutil.which("chromium")
    if not chromium:
        return None
    import coeval as ce

    proj = ce.Project.open(url) if "://" not in url else ce.Project(url)
    text = proj.document("long").text
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-c", SERVER, url, str(port)])
    base = f"http://127.0.0.1:{port}"
    static = Path(tempfile.mkdtemp()) / "static.html"
    static.write_text("<!doctype html><meta charset=utf-8>" + "".join(
        f"<p>{html.escape(line)}</p>" for line in text.split("\n\n")), encoding="utf-8")
    try:
        time.sleep(2)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.goto(base + "/login")
            page.fill("input[name=name]", CODERS[0])
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            reader, plain = [], []
            for _ in range(5):
                t = time.perf_counter()
                page.goto(base + "/documents/long")
                page.wait_for_selector("#reader[data-ready=yes]", timeout=60000)
                reader.append(time.perf_counter() - t)
                t = time.perf_counter()
                page.goto(static.as_uri())
                page.wait_for_load_state("load")
                plain.append(time.perf_counter() - t)
            browser.close()
        return statistics.median(reader), statistics.median(plain)
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codings", type=int, default=100, help="codings per coder (default 100)")
    parser.add_argument("--words", type=int, default=50_000)
    parser.add_argument("--database-url", default=os.environ.get("COEVAL_TEST_DATABASE_URL"),
                        help="a PostgreSQL URL (a role that may create databases) to benchmark it too")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    stores = [("SQLite", f"sqlite:///{folder / 'bench.coeval'}")]
    if args.database_url:
        stores.append(("PostgreSQL", _pg_database(args.database_url)))
    print(f"Applying a code: eight coders at once, {args.codings} codings each ({len(CODERS) * args.codings} in all); "
          "then one coder alone:")
    print(f"{'store':<11} {'path':<18} {'p50 ms':>8} {'p99 ms':>8} {'codings/s':>10}")
    for label, url in stores:
        proj = _project(url, folder, args.words)
        codes = [c.id for c in proj.codebook.ordered()][:12]
        for path, bench in (("library (floor)", bench_library), ("workspace HTTP", None),
                            ("HTTP, one coder", "one")):
            if bench == "one":   # the same server with a single coder: a click with no one else saving
                latencies, seconds = bench_http(url, proj, args.codings, codes[2:], coders=CODERS[:1])
            elif bench is None:
                latencies, seconds = bench_http(url, proj, args.codings, codes)
            else:
                latencies, seconds = bench(proj, args.codings, codes)
            p50, p99 = _percentiles(latencies)
            print(f"{label:<11} {path:<18} {p50:8.1f} {p99:8.1f} {len(latencies) / seconds:10.0f}")
        if label == "SQLite":
            words = len(proj.document("long").text.split())
            proj.close()
            timing = bench_browser(url, args.words)
            browser_line = ("  (no Chromium: skipped)" if timing is None else
                            f"  reader ready {timing[0]:.2f} s | static page of the same text {timing[1]:.2f} s "
                            f"| target 1.00 s")
        else:
            proj.close()
    print(f"\nA {words:,}-word transcript opened in Chromium until it can be coded (median of 5):")
    print(browser_line)


def _pg_database(url: str) -> str:
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"coeval_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False)


if __name__ == "__main__":
    main()
