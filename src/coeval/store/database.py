"""Connecting to the project database: URLs, SQLite settings for many writers, fast bulk writes and reads.

SQLAlchemy Core is used everywhere; the two helpers at the bottom reach for the driver
directly only where SQLAlchemy's per-row work costs more than the database's.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

__all__ = ["url_for", "sqlite_file_uri", "readonly_engine", "sqlite_for_many_writers", "bulk_insert", "raw_rows",
           "run_prepared", "Ran", "BUSY_TIMEOUT_MS", "FairLock"]

# how long a writer waits for another process's write to finish before saying the project is busy
BUSY_TIMEOUT_MS = 60_000


class FairLock:
    """A reentrant lock handed to waiting threads in the order they came (a ticket lock).

    The writers of one process (the workspace's coders) take turns on it before SQLite's own
    lock. ``threading.RLock`` lets the thread that has just released it take it straight back
    while it still holds the GIL, so under eight busy coders one click could wait through several
    of the interpreter's 5 ms switch intervals; in arrival order each waits for those before it
    only. The standard library has no fair lock, hence these lines.
    """

    def __init__(self, timeout: float = BUSY_TIMEOUT_MS / 1000):
        import threading

        self.timeout = timeout
        self._cond = threading.Condition(threading.Lock())
        self._ident = threading.get_ident
        self._owner, self._depth, self._next, self._serving = None, 0, 0, 0
        self._abandoned: set = set()   # tickets whose holder stopped waiting (timed out, interrupted)

    def acquire(self, timeout: float | None = None) -> bool:
        """Wait for the lock, at most ``timeout`` seconds (default: the lock's own); False if it did not come."""
        me = self._ident()
        with self._cond:
            if self._owner == me:
                self._depth += 1
                return True
            ticket, self._next = self._next, self._next + 1
            try:
                got = self._cond.wait_for(lambda: self._serving == ticket and self._owner is None,
                                          self.timeout if timeout is None else timeout)
            except BaseException:   # interrupted while waiting: the turn must not stop at this ticket
                self._abandon(ticket)
                raise
            if not got:
                self._abandon(ticket)
                return False
            self._owner, self._depth = me, 1
            return True

    def release(self) -> None:
        with self._cond:
            self._depth -= 1
            if self._depth == 0:
                self._owner = None
                self._serving += 1
                self._skip_abandoned()

    def _abandon(self, ticket: int) -> None:
        self._abandoned.add(ticket)
        self._skip_abandoned()

    def _skip_abandoned(self) -> None:
        """Serve past the tickets nobody waits on any more, and wake the waiters (lock held)."""
        while self._owner is None and self._serving in self._abandoned:
            self._abandoned.discard(self._serving)
            self._serving += 1
        self._cond.notify_all()

    def __enter__(self):
        if not self.acquire():
            raise TimeoutError(f"the write lock did not come in {self.timeout:g} s")
        return True

    def __exit__(self, *exc) -> None:
        self.release()

def url_for(path) -> str:
    text = str(path)
    return text if "://" in text else f"sqlite:///{Path(text).resolve()}"


def sqlite_file_uri(path, **query) -> str:
    """A SQLite ``file:`` URI for a path, quoted: a ``#``, ``?`` or ``%`` in a folder's name stays
    part of the name (unquoted, SQLite reads ``#`` as the start of a fragment and opens another file)."""
    from urllib.parse import urlencode

    return Path(path).resolve().as_uri() + ("?" + urlencode(query) if query else "")


def readonly_engine(url: str):
    """An engine for a SQLite file opened read-only and immutable: it can be read in a folder nobody
    may write to (no journal or WAL files are made), and no write can reach it. The connection is
    made from a quoted ``file:`` URI by the driver itself, since SQLAlchemy unquotes the database
    part of its own URLs."""
    import sqlite3

    from sqlalchemy import create_engine

    uri = sqlite_file_uri(url[len("sqlite:///"):], mode="ro", immutable=1)
    return create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False))


def sqlite_for_many_writers(engine, *, in_memory: bool, readonly: bool = False) -> None:
    """SQLite settings for a file several processes write at once.

    WAL lets readers go on while one process writes; a busy timeout makes a writer wait for
    the lock rather than fail; and transactions are begun by us (BEGIN IMMEDIATE for writes)
    instead of by the driver, so a reader never has to upgrade to a writer mid-transaction,
    which SQLite can only refuse.
    """
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # the driver must not BEGIN on its own
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
        if not in_memory and not readonly:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("immediate") else "BEGIN")


_INSERTS: dict = {}


def bulk_insert(conn, table, columns: list[str], rows: list[tuple]) -> None:
    """Insert many rows (tuples in ``columns`` order, JSON already dumped) via executemany.

    SQLAlchemy's per-row parameter processing costs more than SQLite itself for the tens of
    thousands of segments a large ingest writes; the statement is still compiled by
    SQLAlchemy for the connection's dialect, so this stays portable (SQLite, PostgreSQL).
    """
    if not rows:
        return
    # compiled once per driver and column list: a new project has a new engine, whose own cache is empty
    key = (conn.dialect.name, conn.dialect.driver, conn.dialect.paramstyle, table, tuple(columns))
    entry = _INSERTS.get(key)
    if entry is None:
        compiled = table.insert().compile(dialect=conn.dialect, column_keys=columns)
        order = list(compiled.positiontup) if compiled.positional else None
        entry = _INSERTS[key] = (str(compiled), order)
    sql, order = entry
    if order is None:
        rows = [dict(zip(columns, r)) for r in rows]
    elif order != columns:
        index = [columns.index(k) for k in order]
        rows = [tuple(r[i] for i in index) for r in rows]
    conn.exec_driver_sql(sql, rows)



def raw_rows(conn, statement) -> list[tuple]:
    """Rows as plain tuples straight from the driver: SQLAlchemy's Row objects cost more than
    the query itself at hundreds of thousands of rows. The statement is compiled for the
    connection's dialect with its (our own, constant) values inlined."""
    sql = str(statement.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(sql)
        return cursor.fetchall()
    finally:
        cursor.close()


_PREPARED: dict = {}


class Ran(NamedTuple):
    """What :func:`run_prepared` gives back."""

    row: tuple | None
    rowcount: int


def run_prepared(conn, key: str, build, params: dict):
    """Run a statement compiled once per dialect (``build(dialect_name)`` makes it; ``key`` names it).

    For the calls made once per click (a coding in the workspace): building a SQLAlchemy
    construct and its cache key, and SQLAlchemy's result machinery, cost several times what
    SQLite takes to run the statement, so the SQL is compiled for the connection's dialect the
    first time and then handed to the driver's own cursor (inside the connection's transaction),
    with the values in the order (or under the names) it expects. Returns the first row (None for
    a statement that gives none) and the row count; a driver error comes back as SQLAlchemy's.
    """
    from sqlalchemy.exc import DBAPIError

    # per driver, not only per database: psycopg names its parameters, pg8000 numbers them
    cache_key = (conn.dialect.name, conn.dialect.driver, conn.dialect.paramstyle, key)
    entry = _PREPARED.get(cache_key)
    if entry is None:
        compiled = build(conn.dialect.name).compile(dialect=conn.dialect)
        constants = {k: v for k, v in compiled.params.items() if v is not None}   # literals in the statement
        entry = _PREPARED[cache_key] = (str(compiled), tuple(compiled.positiontup) if compiled.positional else None,
                                        constants)
    sql, order, constants = entry
    values = {**constants, **params}
    args = tuple(values[k] for k in order) if order is not None else values
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql, args)
        return Ran(cursor.fetchone() if cursor.description is not None else None, cursor.rowcount)
    except conn.dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(sql, args, exc, conn.dialect.loaded_dbapi.Error) from exc
    finally:
        cursor.close()
