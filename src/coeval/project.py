"""The project: one store holding documents, segments and (later) codebook and codings.

SQLAlchemy Core over SQLite by default (``Project.create("evaluation.coeval")``), or any
database URL (``postgresql://...``) so a multi-site team can share one store with the same
code. Every write is one transaction: a failed ingest leaves the project as it was.
"""

from __future__ import annotations

import contextlib
import html
import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from .coding import CodingMixin
from .errors import CoevalError, NotFoundError, ProjectError
from .model import Document, Redaction, Segment

__all__ = ["Project", "IngestResult"]

DOCUMENT_COLUMNS = ["document_id", "kind", "title", "site", "date", "session", "source",
                    "n_segments", "n_words", "n_speakers", "content_hash", "ingested_at"]
SEGMENT_ROW = ["id", "document_id", "position", "start", "end", "speaker", "role", "site",
               "time_start", "time_end", "metadata"]
SEGMENT_COLUMNS = ["segment_id", "document_id", "position", "start", "end", "speaker", "role",
                   "site", "time_start", "time_end", "n_words", "text"]


@dataclass
class IngestResult:
    """What an ingest did: documents added, files skipped as already present, files that failed."""

    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    words: int = 0
    codebook: str | None = None
    codings: int = 0

    def to_frame(self):
        """One row per file: ``file_or_id``, ``status`` (added, unchanged, failed), ``message``."""
        import pandas as pd

        rows = ([(d, "added", "") for d in self.added] + [(f, "unchanged", "already in the project")
                for f in self.unchanged] + [(f, "failed", m) for f, m in self.failed])
        return pd.DataFrame(rows, columns=["file_or_id", "status", "message"])

    def __repr__(self) -> str:
        return (f"IngestResult(added={len(self.added)}, unchanged={len(self.unchanged)}, "
                f"failed={len(self.failed)}, words={self.words}, codings={self.codings})")

    def _repr_html_(self) -> str:
        return (f"<p>Ingested {len(self.added)} documents ({self.words:,} words); "
                f"{len(self.unchanged)} already present; {len(self.failed)} failed.</p>"
                + self.to_frame().to_html(index=False))


def _url_for(path) -> str:
    text = str(path)
    return text if "://" in text else f"sqlite:///{Path(text).resolve()}"


def _sqlite_for_many_writers(engine, *, in_memory: bool) -> None:
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
        cur.execute("PRAGMA busy_timeout=60000")
        if not in_memory:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("immediate") else "BEGIN")


def _show_progress(progress: bool | None) -> bool:
    """Progress bars by default in a terminal or a notebook, not in logs or pipes."""
    if progress is not None:
        return progress
    import sys

    stream = sys.stderr
    return bool(getattr(stream, "isatty", lambda: False)()) or "ipykernel" in sys.modules


def _bulk_insert(conn, table, columns: list[str], rows: list[tuple]) -> None:
    """Insert many rows (tuples in ``columns`` order, JSON already dumped) via executemany.

    SQLAlchemy's per-row parameter processing costs more than SQLite itself for the tens of
    thousands of segments a large ingest writes; the statement is still compiled by
    SQLAlchemy for the connection's dialect, so this stays portable (SQLite, PostgreSQL).
    """
    if not rows:
        return
    compiled = table.insert().compile(dialect=conn.dialect, column_keys=columns)
    if not compiled.positional:
        rows = [dict(zip(columns, r)) for r in rows]
    elif list(compiled.positiontup) != columns:
        index = [columns.index(k) for k in compiled.positiontup]
        rows = [tuple(r[i] for i in index) for r in rows]
    conn.exec_driver_sql(str(compiled), rows)


def _id_source(job) -> str:
    """What a document id is made from: the path relative to its folder, without suffix."""
    name = job.name or job.path.name
    return name.rsplit(".", 1)[0] if "." in name.rsplit("/", 1)[-1] else name


class Project(CodingMixin):
    """A co-evaluation project store.

    Parameters
    ----------
    url : str, optional
        A SQLAlchemy database URL. ``None`` (the default) gives a project in memory.
        Use :meth:`create` and :meth:`open` for files.

    Examples
    --------
    >>> import coeval as ce
    >>> proj = ce.Project()                      # in memory
    >>> proj.documents.shape[0]
    0
    """

    def __init__(self, url: str | None = None, *, _create: bool = True):
        from sqlalchemy import create_engine
        from sqlalchemy.pool import StaticPool

        from . import schema

        self.url = url or "sqlite://"
        kwargs = {}
        if self.url in ("sqlite://", "sqlite:///:memory:"):
            kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
        self._engine = create_engine(self.url, **kwargs)
        if self._engine.dialect.name == "sqlite":
            _sqlite_for_many_writers(self._engine, in_memory=self.url in ("sqlite://", "sqlite:///:memory:"))
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
                    from . import __version__

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
    def create(cls, path, *, overwrite: bool = False) -> Project:
        """Create a new project file (or database).

        Raises
        ------
        ProjectError
            If the file exists (unless ``overwrite=True``) or its folder does not.
        """
        url = _url_for(path)
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
    def open(cls, path) -> Project:
        """Open an existing project file (or database URL).

        Raises
        ------
        ProjectError
            If the file does not exist, is not a coeval project, or is from a newer coeval.
        """
        url = _url_for(path)
        if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).is_file():
            raise ProjectError("does not exist.", path=url[len("sqlite:///"):],
                               hint="Create it with Project.create or 'coeval ingest ... --project FILE'.")
        return cls(url, _create=False)

    @property
    def themes(self):
        """The team's curated themes (a :class:`coeval.curation.ThemeSet`); see also
        :func:`coeval.themes` for suggestions."""
        from .curation import ThemeSet

        return ThemeSet(self)

    @classmethod
    def from_qdpx(cls, path, *, project=None, **kwargs) -> Project:
        """A project from a REFI-QDA export (.qdpx); see :func:`coeval.interop.read_qdpx`."""
        from .interop import read_qdpx

        return read_qdpx(path, project=project, **kwargs)

    def to_qdpx(self, path):
        """Write the project as REFI-QDA (.qdpx); see :func:`coeval.interop.write_qdpx`."""
        from .interop import write_qdpx

        return write_qdpx(self, path)

    def close(self) -> None:
        """Release the database connection."""
        self._engine.dispose()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- small helpers -----------------------------------------------------------------------
    @contextlib.contextmanager
    def _write(self):
        """A write transaction; on SQLite it takes the write lock at once (BEGIN IMMEDIATE), so
        concurrent writers wait their turn (busy timeout) instead of failing half-way."""
        with self._engine.connect() as conn:
            conn.info["immediate"] = True
            try:
                with conn.begin():
                    yield conn
            finally:
                conn.info.pop("immediate", None)

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

    # -- ingest ---------------------------------------------------------------------------------
    def ingest(self, target, *, roster=None, on_error: str = "raise", kind: str | None = None,
               key=None, progress: bool | None = None, ner="auto", replace: bool = False,
               **metadata) -> IngestResult:
        """Read files into the project, pseudonymised, in one transaction.

        Parameters
        ----------
        target : str, path-like, or list of these
            A folder (read through its ``manifest.csv`` when it has one), a file, or a glob
            such as ``"transcripts/*.vtt"``.
        roster : str or path-like or Roster, optional
            Participants and pseudonyms; a manifest may name it instead.
        on_error : {"raise", "skip"}
            ``"raise"``: the first bad file raises and nothing is written. ``"skip"``: bad
            files are recorded (``result.failed``, :attr:`ingest_errors`) and the rest ingested.
        kind : str, optional
            Document kind for files the manifest does not describe.
        key : path-like, optional
            Write the pseudonym -> real name key to this separate CSV. Only where you need it:
            it identifies participants.
        progress : bool, optional
            Show a progress bar (default: when writing to a terminal or notebook).
        ner : {"auto", True, False}
            Use a trained spaCy entity recogniser for names not on the roster.
        replace : bool
            A file whose document id is already in the project but whose content changed
            replaces that document, if it has no codings (a coded document's text never
            changes: the ingest is refused). By default it is added under a new id.
        **metadata
            Applied to every file (``site="Northside"``); manifest values win.

        Returns
        -------
        IngestResult

        Raises
        ------
        FormatError, ParseError, ManifestError, RosterError
            With ``on_error="raise"``; the project is unchanged.
        """
        from sqlalchemy import select

        from . import schema
        from .ingest import parse_file
        from .ingest.build import build_document, slugify
        from .ingest.sources import collect
        from .privacy import Pseudonymiser, Roster, _warn_once, write_key

        if on_error not in ("raise", "skip"):
            raise ValueError("on_error must be 'raise' or 'skip'")
        sources = collect(target, roster=roster)
        roster_obj = sources.roster
        if roster_obj is not None and not isinstance(roster_obj, Roster):
            roster_obj = Roster.from_csv(roster_obj)
        with self._engine.connect() as conn:
            salt = self._meta_get(conn, "salt")
            unlisted = {r.key_hash: r.pseudonym for r in conn.execute(select(schema.unlisted_speakers))}
            known_hashes = set(conn.execute(select(schema.documents.c.content_hash)).scalars())
            taken_ids = set(conn.execute(select(schema.documents.c.id)).scalars())
            position = len(taken_ids)
        unlisted_before = dict(unlisted)
        ps = Pseudonymiser(roster_obj, salt=salt, unlisted=unlisted, ner=ner)
        if roster_obj is None:
            _warn_once("no roster was given, so speaker names become 'Unlisted N' and names "
                       "mentioned in the text are not replaced. Give a roster CSV (name, aliases, "
                       "pseudonym, role, site) to pseudonymise properly.")
        known = roster_obj.resolve if roster_obj is not None else None

        result = IngestResult()
        docs: list[Document] = []
        replacing: list[str] = []
        from tqdm.auto import tqdm

        bar = tqdm(sources.jobs, desc="ingest", unit="file", disable=not _show_progress(progress), leave=False)
        for job in bar:
            label = str(job.path)
            try:
                if job.problem is not None:
                    raise job.problem
                parsed, digest = parse_file(job.path, kind=job.kind or kind, known=known,
                                            text_column=job.text_column, sheet=job.sheet)
                if digest in known_hashes:
                    result.unchanged.append(label)
                    continue
                doc_id = slugify(ps.value(_id_source(job)))
                if replace and doc_id in taken_ids:
                    replacing.append(doc_id)
                else:
                    base, n = doc_id, 2
                    while doc_id in taken_ids:
                        doc_id, n = f"{base}-{n}", n + 1
                doc = build_document(parsed, doc_id=doc_id, source=ps.value(job.path.name),
                                     content_hash=digest, pseudonymiser=ps,
                                     meta={**metadata, "kind": job.kind or kind, **job.metadata})
            except CoevalError as exc:
                if on_error == "raise":
                    raise
                result.failed.append((label, str(exc)))
                continue
            known_hashes.add(digest)
            taken_ids.add(doc_id)
            docs.append(doc)
        bar.close()

        stamp = schema.now()
        with self._write() as conn:
            old_positions = self._remove_uncoded(conn, replacing)
            for doc in docs:
                self._insert_document(conn, doc, old_positions.get(doc.id, position), stamp)
                if doc.id not in old_positions:
                    position += 1
                result.added.append(doc.id)
                result.words += doc.n_words
            new = {k: v for k, v in unlisted.items() if k not in unlisted_before}
            if new:
                conn.execute(schema.unlisted_speakers.insert(),
                             [{"key_hash": k, "pseudonym": v} for k, v in new.items()])
            if roster_obj is not None:
                self._store_name_hashes(conn, roster_obj, salt)
            for label, message in result.failed:
                conn.execute(schema.ingest_errors.insert().values(at=stamp, file=label, error=message))
            self._ingest_project_files(conn, sources, result)
            conn.execute(schema.events.insert().values(
                at=stamp, action="ingest",
                detail={"added": result.added, "unchanged": len(result.unchanged),
                        "failed": len(result.failed), "roster": roster_obj is not None}))
        if key is not None:
            write_key(ps.seen, key)
        return result

    def _remove_uncoded(self, conn, document_ids) -> dict:
        """Delete documents about to be replaced; refuse any that has codings."""
        from sqlalchemy import func, select

        from . import schema

        positions = {}
        for doc_id in document_ids:
            n = conn.execute(select(func.count()).select_from(schema.codings)
                             .where(schema.codings.c.document_id == doc_id)).scalar()
            if n:
                raise ProjectError(
                    f"document {doc_id!r} has {n} coding{'s' if n > 1 else ''}, so its text cannot change.",
                    path=self._display, hint="Ingest the new version without replace=True (it gets a new id), "
                                             "or remove the codings first.")
            positions[doc_id] = conn.execute(select(schema.documents.c.position)
                                             .where(schema.documents.c.id == doc_id)).scalar()
            for table in (schema.redactions, schema.segments):
                conn.execute(table.delete().where(table.c.document_id == doc_id))
            conn.execute(schema.documents.delete().where(schema.documents.c.id == doc_id))
        return positions

    def _ingest_project_files(self, conn, sources, result) -> None:
        """The codebook and codings a manifest names, inside the ingest's transaction."""
        from .codebook import Codebook

        for path in sources.project_files.get("codebook", []):
            cb = Codebook.from_csv(path) if path.suffix.lower() == ".csv" else Codebook.from_yaml(path)
            current = self._meta_get(conn, "codebook_loaded_hash")
            if current != cb.content_hash:
                self._set_codebook(conn, cb, by="ingest", why=f"named by {sources.manifest}")
                self._meta_set(conn, "codebook_loaded_hash", cb.content_hash)
            result.codebook = cb.name
        from .sheets import import_codings_into

        for path in sources.project_files.get("codings", []):
            result.codings += import_codings_into(self, conn, path)

    def _insert_document(self, conn, doc: Document, position: int, stamp: str) -> None:
        from . import schema

        conn.execute(schema.documents.insert().values(
            id=doc.id, position=position, kind=doc.kind, title=doc.title, text=doc.text,
            site=doc.site, date=doc.date, session=doc.session, source=doc.source,
            content_hash=doc.content_hash, metadata=doc.metadata, ingested_at=stamp))
        dumps = json.dumps
        _bulk_insert(conn, schema.segments, SEGMENT_ROW, [
            (s.id, doc.id, i, s.start, s.end, s.speaker, s.role, s.site, s.time_start, s.time_end,
             dumps(s.metadata, ensure_ascii=False)) for i, s in enumerate(doc.segments)])
        _bulk_insert(conn, schema.redactions, ["document_id", "start", "length", "category"],
                     [(doc.id, r.start, r.length, r.category) for r in doc.redactions])

    def _name_hashes(self) -> tuple[str, frozenset]:
        """The project's salt and the salted hashes of its roster names (for privacy checks)."""
        from sqlalchemy import select

        from . import schema

        with self._engine.connect() as conn:
            salt = self._meta_get(conn, "salt") or ""
            hashes = frozenset(conn.execute(select(schema.name_hashes.c.hash)).scalars())
        return salt, hashes

    def _store_name_hashes(self, conn, roster, salt: str) -> None:
        from sqlalchemy import select

        from . import schema
        from .privacy import name_hash

        hashes = {name_hash(salt, v) for v in roster.name_variants()}
        have = set(conn.execute(select(schema.name_hashes.c.hash)).scalars())
        fresh = sorted(hashes - have)
        if fresh:
            conn.execute(schema.name_hashes.insert(), [{"hash": h} for h in fresh])

    def add_document(self, document: Document) -> str:
        """Add a Document already read (e.g. by :func:`coeval.read_document`); returns its id.

        Raises
        ------
        ProjectError
            If a document with that id or the same content is already in the project.
        """
        from sqlalchemy import func, or_, select

        from . import schema

        with self._write() as conn:
            clash = conn.execute(select(schema.documents.c.id).where(or_(
                schema.documents.c.id == document.id,
                schema.documents.c.content_hash == document.content_hash))).scalar()
            if clash is not None:
                raise ProjectError(f"document {document.id!r} clashes with {clash!r} already in the project.",
                                   path=self._display, hint="Give it another doc_id, or skip it.")
            position = conn.execute(select(func.count()).select_from(schema.documents)).scalar()
            self._insert_document(conn, document, position, schema.now())
        return document.id

    # -- reading ---------------------------------------------------------------------------------
    @property
    def documents(self):
        """One row per document.

        Columns: ``document_id``, ``kind``, ``title``, ``site``, ``date``, ``session``,
        ``source``, ``n_segments``, ``n_words``, ``n_speakers``, ``content_hash``,
        ``ingested_at``, then any further metadata keys (sorted).
        """
        import pandas as pd
        from sqlalchemy import select

        from . import schema

        d, s = schema.documents, schema.segments
        docs = self._read(select(d).order_by(d.c.position))
        segs = self._read(select(s.c.document_id, s.c.speaker))
        n_seg: dict[str, int] = {}
        speakers: dict[str, set] = {}
        for r in segs:
            n_seg[r["document_id"]] = n_seg.get(r["document_id"], 0) + 1
            if r["speaker"]:
                speakers.setdefault(r["document_id"], set()).add(r["speaker"])
        rows, extra_keys = [], set()
        for r in docs:
            meta = r["metadata"] or {}
            extra_keys.update(meta)
            rows.append({"document_id": r["id"], "kind": r["kind"], "title": r["title"],
                         "site": r["site"], "date": r["date"], "session": r["session"],
                         "source": r["source"], "n_segments": n_seg.get(r["id"], 0),
                         "n_words": len(r["text"].split()),
                         "n_speakers": len(speakers.get(r["id"], ())),
                         "content_hash": r["content_hash"], "ingested_at": r["ingested_at"], **meta})
        columns = DOCUMENT_COLUMNS + sorted(extra_keys - set(DOCUMENT_COLUMNS))
        frame = pd.DataFrame(rows, columns=columns)
        return frame.astype({"n_segments": "int64", "n_words": "int64", "n_speakers": "int64"})

    @property
    def segments(self):
        """One row per segment, in document order.

        Columns: ``segment_id``, ``document_id``, ``position`` (0-based within the document),
        ``start``, ``end`` (code-point offsets), ``speaker`` (pseudonym), ``role``, ``site``,
        ``time_start``, ``time_end`` (seconds, NaN where unknown), ``n_words``, ``text``.
        """
        import pandas as pd
        from sqlalchemy import select

        from . import schema

        d, s = schema.documents, schema.segments
        texts = {r["id"]: r["text"] for r in self._read(select(d.c.id, d.c.text))}
        order = {r["id"]: r["position"] for r in self._read(select(d.c.id, d.c.position))}
        rows = []
        for r in self._read(select(s).order_by(s.c.document_id, s.c.position)):
            text = texts[r["document_id"]][r["start"]:r["end"]]
            rows.append((order[r["document_id"]], r["id"], r["document_id"], r["position"], r["start"],
                         r["end"], r["speaker"], r["role"], r["site"], r["time_start"], r["time_end"],
                         len(text.split()), text))
        rows.sort(key=lambda row: (row[0], row[3]))
        frame = pd.DataFrame([row[1:] for row in rows], columns=SEGMENT_COLUMNS)
        return frame.astype({"position": "int64", "start": "int64", "end": "int64",
                             "time_start": "float64", "time_end": "float64", "n_words": "int64"})

    @property
    def redactions(self):
        """The redaction log: ``document_id``, ``start``, ``length``, ``category`` (never the original)."""
        import pandas as pd
        from sqlalchemy import select

        from . import schema

        r = schema.redactions
        rows = self._read(select(r.c.document_id, r.c.start, r.c.length, r.c.category).order_by(r.c.id))
        return pd.DataFrame([dict(x) for x in rows], columns=["document_id", "start", "length", "category"])

    @property
    def ingest_errors(self):
        """Files that failed in ingests with ``on_error="skip"``: ``at``, ``file``, ``error``."""
        import pandas as pd
        from sqlalchemy import select

        from . import schema

        e = schema.ingest_errors
        rows = self._read(select(e.c.at, e.c.file, e.c.error).order_by(e.c.id))
        return pd.DataFrame([dict(x) for x in rows], columns=["at", "file", "error"])

    def _segment_sites(self) -> dict:
        """``{segment id: site}`` without reading any text (for analyses over many codings)."""
        from sqlalchemy import select

        from . import schema

        s = schema.segments
        with self._engine.connect() as conn:
            return dict(conn.execute(select(s.c.id, s.c.site)).all())

    def texts(self, document_ids=None) -> dict:
        """``{document id: stored text}`` for some documents (all by default), without segments."""
        from sqlalchemy import select

        from . import schema

        d = schema.documents
        statement = select(d.c.id, d.c.text)
        if document_ids is not None:
            statement = statement.where(d.c.id.in_(list(document_ids)))
        with self._engine.connect() as conn:
            return {r[0]: r[1] for r in conn.execute(statement)}

    def document(self, document_id: str) -> Document:
        """One document with its text, segments and redaction log.

        Raises
        ------
        NotFoundError
            If there is no such document (the message lists a few ids that exist).
        """
        from sqlalchemy import select

        from . import schema

        d, s, r = schema.documents, schema.segments, schema.redactions
        row = self._read(select(d).where(d.c.id == document_id))
        if not row:
            ids = [x["id"] for x in self._read(select(d.c.id).order_by(d.c.position).limit(5))]
            raise NotFoundError(f"no document {document_id!r} in the project.",
                                hint=f"Ids look like: {', '.join(ids) or '(the project is empty)'}.")
        row = row[0]
        segs = [Segment(start=x["start"], end=x["end"], speaker=x["speaker"], role=x["role"],
                        site=x["site"], time_start=x["time_start"], time_end=x["time_end"],
                        metadata=x["metadata"] or {}, id=x["id"], document_id=document_id)
                for x in self._read(select(s).where(s.c.document_id == document_id).order_by(s.c.position))]
        reds = [Redaction(x["start"], x["length"], x["category"])
                for x in self._read(select(r).where(r.c.document_id == document_id).order_by(r.c.id))]
        return Document(id=row["id"], kind=row["kind"], title=row["title"], text=row["text"],
                        site=row["site"], date=row["date"], session=row["session"],
                        source=row["source"], content_hash=row["content_hash"],
                        metadata=row["metadata"] or {}, segments=segs, redactions=reds)

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
        return f"Project({self._display!r})"

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
