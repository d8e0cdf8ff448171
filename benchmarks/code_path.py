"""One coding at a time: ``proj.code`` beside its floor, the way the workspace calls it for every click.

- **CPU per coding** (of this process, so the machine's load does not distort it), one writer,
  codings of words in a 20,000-word transcript;
- **the floor**: the two inserts a coding needs (the coding and its audit row), prepared, in one
  transaction, through the driver alone (sqlite3 on the same project file, the same tables and
  indexes; psycopg on the same PostgreSQL database), nothing looked up or checked;
- **8 writers at once** (threads, one project object, as the workspace's server holds it):
  wall-clock latency p50 and p99 per coding.

    python benchmarks/code_path.py [--codings 3000] [--postgres URL]

Benchmarks, not tests: nothing here fails.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import threading
import time
import uuid
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from workspace import _words  # noqa: E402

WRITERS = [f"coder{i}" for i in range(8)]


def _project(url: str, folder: Path):
    import coeval as ce

    proj = ce.Project(url)
    (folder / "long.txt").write_text(_words(20_000), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        proj.ingest(folder / "long.txt", progress=False)
    proj.codebook = ce.Codebook.template("coeval")
    for name in WRITERS:
        proj.add_coder(name, role="peer_researcher")
    return proj


def _spans(proj) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"\w{4,}", proj.document("long").text)]


def one_writer(proj, spans, codes, n: int, offset: int = 0) -> float:
    """CPU ms per ``proj.code`` call."""
    start = time.process_time()
    for k in range(n):
        proj.code(("long", *spans[offset + k]), codes[k % len(codes)], coder=WRITERS[0], role="peer_researcher")
    return (time.process_time() - start) / n * 1000


def floor_sqlite(path: Path, n: int) -> float:
    """CPU ms per two prepared inserts in one transaction, through sqlite3 alone."""
    import sqlite3

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")   # the project's own settings: the same checks on each insert
    coding = ('INSERT INTO codings (id, document_id, start, "end", code_id, coder, created_at, memo, origin) '
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
    audit = ('INSERT INTO audit_log ("at", action, "by", coding_id, document_id, start, "end", code_id, coder, '
             "origin, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    code_id = conn.execute("SELECT id FROM codes LIMIT 1").fetchone()[0]
    start = time.process_time()
    for k in range(n):
        cid = uuid.uuid4().hex
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(coding, (cid, "long", k, k + 1, code_id, WRITERS[0], "2026-01-01T00:00:00", "", "human"))
        conn.execute(audit, ("2026-01-01T00:00:00", "code", WRITERS[0], cid, "long", k, k + 1, code_id,
                             WRITERS[0], "human", None))
        conn.execute("COMMIT")
    elapsed = time.process_time() - start
    conn.close()
    return elapsed / n * 1000


def floor_postgres(url: str, n: int) -> float:
    """CPU ms per two prepared inserts in one transaction, through psycopg alone."""
    import psycopg

    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn:
        code_id = conn.execute("SELECT id FROM codes LIMIT 1").fetchone()[0]
        start = time.process_time()
        for k in range(n):
            cid = uuid.uuid4().hex
            with conn.transaction():
                conn.execute('INSERT INTO codings (id, document_id, start, "end", code_id, coder, created_at, memo, '
                             'origin) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)',
                             (cid, "long", k, k + 1, code_id, WRITERS[0], "2026-01-01T00:00:00", "", "human"),
                             prepare=True)
                conn.execute('INSERT INTO audit_log ("at", action, "by", coding_id, document_id, start, "end", '
                             "code_id, coder, origin, detail) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                             ("2026-01-01T00:00:00", "code", WRITERS[0], cid, "long", k, k + 1, code_id,
                              WRITERS[0], "human", None), prepare=True)
        return (time.process_time() - start) / n * 1000


def eight_writers(proj, spans, codes, n: int, offset: int) -> tuple[float, float, float]:
    """p50 and p99 wall-clock ms per coding, and codings per second, with 8 threads coding at once."""
    latencies: list[float] = []
    lock = threading.Lock()

    def work(i: int) -> None:
        mine = []
        for k in range(n):
            s = spans[offset + i * n + k]
            t = time.perf_counter()
            proj.code(("long", *s), codes[k % len(codes)], coder=WRITERS[i], role="peer_researcher")
            mine.append(time.perf_counter() - t)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(WRITERS))]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    ordered = sorted(latencies)
    return (ordered[len(ordered) // 2] * 1000, ordered[int(len(ordered) * 0.99)] * 1000, len(ordered) / wall)


def run(label: str, url: str, folder: Path, n: int, floor) -> None:
    proj = _project(url, folder)
    spans, codes = _spans(proj), [c.id for c in proj.codebook.ordered()][:12]
    proj.code(("long", *spans[0]), codes[0], coder=WRITERS[0], role="peer_researcher")   # warm
    cpu = one_writer(proj, spans, codes, n, offset=1)
    floor_ms = floor()
    p50, p99, rate = eight_writers(proj, spans, codes, max(50, n // 8), offset=n + 1)
    print(f"{label:<11} {cpu:>10.3f} {floor_ms:>10.3f} {cpu / floor_ms:>7.1f}x {p50:>9.1f} {p99:>9.1f} {rate:>9.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codings", type=int, default=3000)
    parser.add_argument("--postgres", default=None, help="a PostgreSQL URL to measure there too (its tables "
                                                          "are dropped and made anew)")
    args = parser.parse_args()
    print("proj.code: CPU ms per coding (one writer) beside the floor (two prepared inserts, one transaction, "
          "driver only);\n8 writers at once: wall-clock ms per coding and codings per second. "
          "Goals: under 0.2 ms CPU, within 4x the floor, p99 under 20 ms.\n")
    print(f"{'store':<11} {'CPU ms':>10} {'floor ms':>10} {'ratio':>8} {'p50 ms':>9} {'p99 ms':>9} {'codings/s':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "bench.coeval"
        run("SQLite", f"sqlite:///{path}", folder, args.codings, lambda: floor_sqlite(path, args.codings))
        if args.postgres:
            from workspace import _pg_database

            url = _pg_database(args.postgres)
            run("PostgreSQL", url, folder, args.codings // 3, lambda: floor_postgres(url, args.codings // 3))


if __name__ == "__main__":
    main()
