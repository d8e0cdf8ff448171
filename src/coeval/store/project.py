"""The project store: documents, segments, the codebook, codings, coders and the audit log, in one database.

SQLAlchemy Core over SQLite by default (a ``.coeval`` file), or any database URL
(``postgresql://...``) so a multi-site team can share one store with the same code. Every
write is one transaction: a failed ingest or import leaves the project as it was.
:class:`ProjectStore` is the store; :class:`coeval.Project` adds the team's work on it.
"""

from __future__ import annotations

import contextlib
import html
import secrets
import threading
from pathlib import Path
from typing import Self

from ..errors import CoevalError, ProjectError
from .codebooks import CodebookMixin
from .coders import CodersMixin
from .codings import CodingsMixin
from .database import FairLock, readonly_engine, sqlite_file_uri, sqlite_for_many_writers, url_for
from .documents import DOCUMENT_COLUMNS, SEGMENT_COLUMNS, DocumentsMixin
from .ingesting import IngestMixin
from .review import ReviewMixin

__all__ = ["ProjectStore", "DOCUMENT_COLUMNS", "SEGMENT_COLUMNS"]



class ProjectStore(IngestMixin, DocumentsMixin, ReviewMixin, CodebookMixin, CodersMixin, CodingsMixin):
    """A co-evaluation project's store: documents, segments, the codebook, codings, coders and the
    audit log, in one database. Users hold :class:`coeval.Project`, which adds the team's work.
    """

    def __init__(self, url: str | None = None, *, _create: bool = True, readonly: bool = False):
        from sqlalchemy import create_engine
        from sqlalchemy.pool import StaticPool

        from . import schema

        self.url = url or "sqlite://"
        self.readonly = bool(readonly)
        self._pinned = None              # the state held still while reading (see _reading)
        self._kept: dict = {}            # frames kept for a state of the store (see _remembered)
        self._generation = 0             # writes through this object
        self._watch = None               # a connection that sees other writers' commits (SQLite file)
        self._watch_lock = threading.Lock()
        kwargs = {}
        if self.url in ("sqlite://", "sqlite:///:memory:"):
            kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
        if self.readonly and self.url.startswith("sqlite:///"):
            self._engine = readonly_engine(self.url)
        else:
            self._engine = create_engine(self.url, **kwargs)
        # writers in this process take turns here: SQLite's own busy wait sleeps in steps of up to
        # 100 ms, which a server with many coders (the workspace) would feel on every click
        self._write_lock = FairLock() if self._engine.dialect.name == "sqlite" else contextlib.nullcontext()
        if self._engine.dialect.name == "sqlite":
            sqlite_for_many_writers(self._engine, in_memory=self.url in ("sqlite://", "sqlite:///:memory:"),
                                    readonly=self.readonly)
        if self.readonly:
            self._check_readable()
            return
        try:
            with self._write() as conn:
                if not _create and not self._engine.dialect.has_table(conn, "coeval_schema"):
                    raise ProjectError("is not a coeval project (it has no coeval tables).",
                                       path=self._display, hint="Open a file made by coeval.")
                version = schema.current_version(conn) if not _create else None
                if version is not None and version > schema.SCHEMA_VERSION:
                    raise ProjectError(
                        f"was written by a newer coeval (schema {version}; this one reads up to "
                        f"{schema.SCHEMA_VERSION}).", path=self._display, hint="Upgrade coeval.")
                schema.migrate(conn)
                if self._meta_get(conn, "salt") is None:
                    from .. import __version__

                    self._meta_set(conn, "salt", secrets.token_hex(16))
                    self._meta_set(conn, "created_at", schema.now())
                    self._meta_set(conn, "created_with", __version__)
        except CoevalError:
            self._engine.dispose()
            raise
        except Exception as exc:  # sqlite3.DatabaseError: file is not a database, etc.
            self._engine.dispose()
            raise ProjectError(f"cannot be opened as a project ({type(exc).__name__}: {exc}).",
                               path=self._display, hint="Check it is a .coeval file.") from None

    # -- opening and closing ---------------------------------------------------------------
    @property
    def _display(self) -> str:
        return self.url.replace("sqlite:///", "") if self.url.startswith("sqlite:///") else (
            "in-memory project" if self.url == "sqlite://" else self.url.split("@")[-1])

    @classmethod
    def create(cls, path, *, overwrite: bool = False) -> Self:
        """Create a new project file (or database).

        Raises
        ------
        ProjectError
            If the file exists (unless ``overwrite=True``) or its folder does not.
        """
        url = url_for(path)
        if url.startswith("sqlite:///"):
            p = Path(url[len("sqlite:///"):])
            if p.exists():
                if not overwrite:
                    raise ProjectError("already exists.", path=p,
                                       hint="Open it with Project.open, or pass overwrite=True.")
                p.unlink()
            if not p.parent.is_dir():
                raise ProjectError(f"cannot be created: folder {p.parent} does not exist.", path=p)
        return cls(url)

    @classmethod
    def open(cls, path, *, readonly: bool | None = None) -> Self:
        """Open an existing project file (or database URL).

        Parameters
        ----------
        readonly : bool, optional
            Open it for reading only (every change is refused, nothing is written next to it).
            By default, read-only when the file or its folder cannot be written to, else not.

        Raises
        ------
        ProjectError
            If the file does not exist, is not a coeval project, or is from a newer coeval.
        """
        import os

        url = url_for(path)
        if url.startswith("sqlite:///"):
            file = Path(url[len("sqlite:///"):])
            if not file.is_file():
                raise ProjectError("does not exist.", path=file,
                                   hint="Create it with Project.create or 'coeval ingest ... --project FILE'.")
            if readonly is None:
                readonly = not (os.access(file, os.W_OK) and os.access(file.parent, os.W_OK))
        return cls(url, _create=False, readonly=bool(readonly))

    def _check_readable(self) -> None:
        """A read-only project must be a coeval project of this schema version (it cannot be upgraded)."""
        from . import schema

        try:
            with self._engine.connect() as conn:
                if not self._engine.dialect.has_table(conn, "coeval_schema"):
                    raise ProjectError("is not a coeval project (it has no coeval tables).", path=self._display)
                version = schema.current_version(conn)
        except CoevalError:
            self._engine.dispose()
            raise
        except Exception as exc:
            self._engine.dispose()
            raise ProjectError(f"cannot be opened as a project ({type(exc).__name__}).", path=self._display,
                               hint="Check it is a .coeval file.") from None
        if version != schema.SCHEMA_VERSION:
            self._engine.dispose()
            raise ProjectError(f"is at schema {version} and this coeval reads {schema.SCHEMA_VERSION}; a read-only "
                               "project cannot be upgraded.", path=self._display,
                               hint="Open it once where it can be written to (or upgrade coeval).")

    def close(self) -> None:
        """Release the database connection."""
        self._kept.clear()
        if self._watch is not None:
            self._watch.close()
            self._watch = None
        self._engine.dispose()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- small helpers -----------------------------------------------------------------------
    @contextlib.contextmanager
    def _reading(self):
        """Within this block the store's state is held still: the segments, documents and codings
        frames are read once and handed out as copies (the report's analyses each ask for them),
        whatever other processes commit meanwhile, on PostgreSQL too. A write through this project
        still makes them read again."""
        outermost = self._pinned is None
        if outermost:
            self._pinned = object()
        try:
            yield self
        finally:
            if outermost:
                self._pinned = None

    def _remembered(self, key, make):
        """``make()``, or a copy of the frame it made for the store as it is now.

        The analyses each ask for the segments, documents and codings frames; reading them is
        most of a small analysis's time and grows with the programme. They are kept with the
        store's state token (:meth:`_state`), and read again when it changes.
        """
        state = self._state()   # read before make(): a commit meanwhile only makes it read again
        if state is None:
            return make()
        kept = self._kept.get(key)
        if kept is not None and kept[0] == state:
            return kept[1].copy()
        value = make()
        self._kept[key] = (state, value)
        return value.copy()

    def _state(self):
        """A token that changes whenever the store's content may have changed (None: no cheap way).

        This object's writes count; inside :meth:`_reading` nothing else does. Otherwise, on a
        SQLite file, SQLite's ``data_version`` changes whenever another connection or process
        commits; on PostgreSQL there is no such cheap token, so frames are read every time there.
        """
        if self._pinned is not None:
            return (self._pinned, self._generation)
        if self._engine.dialect.name != "sqlite":
            return None
        if self.url in ("sqlite://", "sqlite:///:memory:") or self.readonly:
            return (self._generation,)   # only this object writes to it; a read-only copy never changes
        import sqlite3

        with self._watch_lock:
            try:
                if self._watch is None:
                    self._watch = sqlite3.connect(sqlite_file_uri(self.url[len("sqlite:///"):], mode="ro"), uri=True,
                                                  check_same_thread=False)
                return (self._generation, self._watch.execute("PRAGMA data_version").fetchone()[0])
            except sqlite3.Error:   # cannot watch it (an unusual URL or file): read every time
                return None

    @contextlib.contextmanager
    def _write(self):
        """A write transaction; on SQLite it takes the write lock at once (BEGIN IMMEDIATE), so
        concurrent writers wait their turn (busy timeout) instead of failing half-way. A lock held
        too long, a full disk or a read-only file become a ProjectError saying nothing was saved."""
        from sqlalchemy.exc import OperationalError

        if getattr(self, "readonly", False):
            raise ProjectError("is open read-only, so nothing can be changed.", path=self._display,
                               hint="Open it with readonly=False where the file and its folder can be written to.")
        self._generation += 1
        self._kept.clear()
        try:
            with self._write_lock, self._engine.connect() as conn:
                conn.info["immediate"] = True
                try:
                    with conn.begin():
                        yield conn
                finally:
                    conn.info.pop("immediate", None)
                    self._generation += 1   # again once committed: a frame read meanwhile is not kept
        except TimeoutError:   # another thread of this process held the write lock all that time
            raise ProjectError("is busy: someone else is saving to it, and they took too long. Nothing was "
                               "saved.", path=self._display, hint="Try again in a moment.") from None
        except OperationalError as exc:
            text = str(exc.orig if exc.orig is not None else exc).lower()
            if "locked" in text or "busy" in text:
                raise ProjectError("is busy: someone else is saving to it, and they took too long. Nothing was "
                                   "saved.", path=self._display, hint="Try again in a moment.") from None
            if "full" in text:
                raise ProjectError("cannot be saved: the disk is full. Nothing was saved.", path=self._display,
                                   hint="Free some space and try again.") from None
            if "readonly" in text or "read-only" in text:
                raise ProjectError("cannot be saved: it (or its folder) is read-only. Nothing was saved.",
                                   path=self._display, hint="Copy it somewhere you can write to.") from None
            raise

    @staticmethod
    def _meta_get(conn, key):
        from sqlalchemy import select

        from .schema import meta_table

        return conn.execute(select(meta_table.c.value).where(meta_table.c.key == key)).scalar()

    @staticmethod
    def _meta_set(conn, key, value):
        from .schema import meta_table

        conn.execute(meta_table.delete().where(meta_table.c.key == key))
        conn.execute(meta_table.insert().values(key=key, value=value))

    def _read(self, statement):
        with self._engine.connect() as conn:
            return conn.execute(statement).mappings().all()

    @property
    def schema_version(self) -> int:
        """The store's schema version."""
        from .schema import current_version

        with self._engine.connect() as conn:
            return current_version(conn)

    # -- summaries ---------------------------------------------------------------------------------
    def summary(self) -> dict:
        """Counts for a quick look: documents, kinds, sites, segments, words, speakers by role."""
        docs = self.documents
        segs = self.segments
        speakers = segs.dropna(subset=["speaker"]).drop_duplicates("speaker")
        return {
            "documents": int(len(docs)),
            "kinds": {k: int(v) for k, v in docs["kind"].value_counts().sort_index().items()},
            "sites": sorted(x for x in set(docs["site"].dropna()) | set(segs["site"].dropna())),
            "segments": int(len(segs)),
            "words": int(docs["n_words"].sum()) if len(docs) else 0,
            "speakers": int(len(speakers)),
            "speakers_by_role": {k: int(v) for k, v in
                                 speakers["role"].fillna("unknown").value_counts().sort_index().items()},
            "redactions": {k: int(v) for k, v in
                           self.redactions["category"].value_counts().sort_index().items()},
            "schema_version": self.schema_version,
        }

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._display!r})"

    def _repr_html_(self) -> str:
        s = self.summary()
        esc = html.escape
        items = [("documents", s["documents"]),
                 ("kinds", ", ".join(f"{k} {v}" for k, v in s["kinds"].items())),
                 ("sites", ", ".join(s["sites"])), ("segments", s["segments"]),
                 ("words", f"{s['words']:,}"),
                 ("speakers", ", ".join(f"{k} {v}" for k, v in s["speakers_by_role"].items())),
                 ("redactions", ", ".join(f"{k} {v}" for k, v in s["redactions"].items()))]
        rows = "".join(f"<tr><th style='text-align:left'>{esc(k)}</th>"
                       f"<td style='text-align:left'>{esc(str(v))}</td></tr>" for k, v in items)
        docs = self.documents[["document_id", "kind", "title", "site", "date", "n_segments", "n_words"]]
        return (f"<div><h4 style='margin:0'>coeval project <small>{esc(self._display)}</small></h4>"
                f"<table>{rows}</table>{docs.to_html(index=False, max_rows=20, na_rep='')}</div>")
