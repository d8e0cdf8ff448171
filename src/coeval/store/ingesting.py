"""Ingest into the store: files read, pseudonymised and written in one transaction.

These are the ingest methods of :class:`~coeval.store.ProjectStore` (mixed in). The reading
itself is :mod:`coeval.ingest`'s; the replacing of names is :mod:`coeval.privacy`'s.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CoevalError, ProjectError
from ..model import Document
from .database import bulk_insert

__all__ = ["IngestResult", "IngestMixin", "SEGMENT_ROW"]

SEGMENT_ROW = ["id", "document_id", "position", "start", "end", "speaker", "role", "site",
               "time_start", "time_end", "metadata"]


@dataclass
class IngestResult:
    """What an ingest did: documents added, files skipped as already present, files that failed."""

    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    words: int = 0
    codebook: str | None = None
    codings: int = 0
    assignments: int = 0
    reconciled: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why): found, left out
    flagged: list[tuple[str, str]] = field(default_factory=list)  # (document, why): ingested, to check
    project_files: dict = field(default_factory=dict, repr=False)  # kind -> paths the manifest named

    def to_frame(self):
        """One row per file: ``file_or_id``, ``status`` (added, unchanged, failed, skipped, flagged),
        ``message`` (why)."""
        import pandas as pd

        flagged = dict(self.flagged)
        rows = ([(d, "flagged" if d in flagged else "added", flagged.get(d, "")) for d in self.added]
                + [(f, "unchanged", "already in the project") for f in self.unchanged]
                + [(f, "failed", m) for f, m in self.failed] + [(f, "skipped", m) for f, m in self.skipped])
        return pd.DataFrame(rows, columns=["file_or_id", "status", "message"])

    def __repr__(self) -> str:
        return (f"IngestResult(added={len(self.added)}, unchanged={len(self.unchanged)}, "
                f"failed={len(self.failed)}, skipped={len(self.skipped)}, flagged={len(self.flagged)}, "
                f"words={self.words}, codings={self.codings})")

    def _repr_html_(self) -> str:
        return (f"<p>Ingested {len(self.added)} documents ({self.words:,} words); "
                f"{len(self.unchanged)} already present; {len(self.failed)} failed.</p>"
                + self.to_frame().to_html(index=False))


class _Twins:
    """Finds a document of this ingest with the same words as an earlier one (an interview saved as
    .docx and .txt): word-for-word alike in its first 2,000 words (difflib's ratio at least 0.9),
    and not wholly different in its first 300 (ratio at least 0.5: a title block or export header of
    up to about 150 words may stand in front of one copy). The short look, a fiftieth of the work, first.

    Only likely pairs are compared, so a large ingest stays linear even where hundreds of records
    open with the same scripted words (a consent statement read at every session): documents with
    the same base name (``interview3``, ``interview3-2``), and documents that share a band of their
    MinHash signature over word triples (12 bands of 2 hashes: a pair whose triples overlap by half
    or more shares one with probability above 0.97; one sharing only its opening, by a few per
    cent). Twenty lines, written here rather than bringing in a MinHash library for them.
    """

    BANDS, ROWS, WORDS, CANDIDATES = 12, 2, 2000, 5

    def __init__(self):
        import numpy as np

        self.by_key: dict = {}
        self.words: dict = {}
        rng = np.random.default_rng(0)
        self._a = rng.integers(1, 2**31 - 1, size=(self.BANDS * self.ROWS, 1), dtype=np.int64)
        self._b = rng.integers(0, 2**31 - 1, size=(self.BANDS * self.ROWS, 1), dtype=np.int64)

    def _bands(self, words: list[str]) -> list[tuple]:
        import zlib

        import numpy as np

        triples = {zlib.crc32(" ".join(words[i:i + 3]).encode()) for i in range(max(1, len(words) - 2))}
        h = np.fromiter(triples, dtype=np.int64, count=len(triples))
        signature = ((self._a * h + self._b) % (2**31 - 1)).min(axis=1)
        return [("band", k, *signature[k * self.ROWS:(k + 1) * self.ROWS].tolist()) for k in range(self.BANDS)]

    def check(self, doc) -> str | None:
        import difflib
        import re
        from collections import Counter

        words = re.findall(r"\w+", doc.text.casefold())
        n_words, mine = len(words), words[: self.WORDS]
        keys = [("base", re.sub(r"-\d+$", "", doc.id))] + (self._bands(mine) if len(mine) >= 20 else [])
        found = None
        if len(mine) >= 20:
            # the few recent candidates sharing the most keys: text made from a small stock of
            # sentences shares every band with every other and must not be compared with each
            shared = Counter(other for key in keys for other in self.by_key.get(key, ())[-50:])
            for other, _ in shared.most_common(self.CANDIDATES):
                n, theirs = self.words[other]
                if abs(n - n_words) <= 0.1 * n_words and all(
                        difflib.SequenceMatcher(None, mine[:size], theirs[:size], autojunk=False).ratio() >= least
                        for size, least in ((300, 0.5), (self.WORDS, 0.9))):
                    found = other
                    break
        self.words[doc.id] = (n_words, mine)
        for key in keys:
            self.by_key.setdefault(key, []).append(doc.id)
        return found


def _show_progress(progress: bool | None) -> bool:
    """Progress bars by default in a terminal or a notebook, not in logs or pipes."""
    if progress is not None:
        return progress
    import sys

    stream = sys.stderr
    return bool(getattr(stream, "isatty", lambda: False)()) or "ipykernel" in sys.modules


def _id_source(job) -> str:
    """What a document id is made from: the path relative to its folder, without suffix."""
    name = job.name or job.path.name
    return name.rsplit(".", 1)[0] if "." in name.rsplit("/", 1)[-1] else name


class IngestMixin:
    """Ingest and add documents; mixed into :class:`~coeval.store.ProjectStore`."""

    # ---------------------------------------------------------------------------------
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

        from ..ingest import parse_file
        from ..ingest.build import build_document, slugify
        from ..ingest.sources import collect
        from ..privacy import Pseudonymiser, Roster, warn_once, write_key
        from . import schema

        if on_error not in ("raise", "skip"):
            raise ValueError("on_error must be 'raise' or 'skip'")
        sources = collect(target, roster=roster)
        roster_obj = sources.roster
        if isinstance(roster_obj, list):
            roster_obj = Roster.from_csvs(roster_obj)
        elif roster_obj is not None and not isinstance(roster_obj, Roster):
            roster_obj = Roster.from_csv(roster_obj)
        with self._engine.connect() as conn:
            salt = self._meta_get(conn, "salt")
            unlisted = {r.key_hash: r.pseudonym for r in conn.execute(select(schema.unlisted_speakers))}
            known_hashes = dict(conn.execute(select(schema.documents.c.content_hash, schema.documents.c.id)).all())
            taken_ids = set(conn.execute(select(schema.documents.c.id)).scalars())
            position = len(taken_ids)
        unlisted_before = dict(unlisted)
        ps = Pseudonymiser(roster_obj, salt=salt, unlisted=unlisted, ner=ner)
        if roster_obj is None:
            warn_once("no roster was given, so speaker names become 'Unlisted N' and names "
                       "mentioned in the text are not replaced. Give a roster CSV (name, aliases, "
                       "pseudonym, role, site) to pseudonymise properly.")
        known = roster_obj.resolve if roster_obj is not None else None

        twins = _Twins()
        result = IngestResult(skipped=[(ps.file_name(f), ps.file_name(why)) for f, why in sources.skipped])
        docs: list[Document] = []
        replacing: list[str] = []
        from tqdm.auto import tqdm

        def failed(job, exc):
            label = ps.file_name(job.name or job.path.name)
            about = exc.path is None or Path(str(exc.path)) == job.path  # the file itself, or (say) its manifest
            safe = type(exc)(exc.message, path=label if about else Path(str(exc.path)).name, line=exc.line,
                             hint=exc.hint)
            if on_error == "raise":
                raise safe from None
            result.failed.append((label, str(safe)))

        # Read every file first, so that the names in all speaker labels are known before any text
        # (or file name) is pseudonymised: a speaker of one workshop may be named in another.
        parsed_jobs = []
        bar = tqdm(sources.jobs, desc="ingest", unit="file", disable=not _show_progress(progress), leave=False)
        for job in bar:
            try:
                if job.problem is not None:
                    raise job.problem
                parsed, digest = parse_file(job.path, kind=job.kind or kind, known=known,
                                            text_column=job.text_column, sheet=job.sheet)
            except CoevalError as exc:
                failed(job, exc)
                continue
            parsed_jobs.append((job, parsed, digest))
        bar.close()
        ps.learn_speakers(piece.speaker for _, parsed, _ in parsed_jobs for piece in parsed.pieces)
        for job, parsed, digest in parsed_jobs:
            # files are named by their pseudonymised name, never by a path that may hold a participant's name
            label = ps.file_name(job.name or job.path.name)
            try:
                doc_id = slugify(ps.file_name(_id_source(job)))
                same = known_hashes.get(digest)
                if same is not None and not (replace and same in taken_ids):
                    result.unchanged.append(label)
                    continue
                if replace and (same or doc_id) in taken_ids:  # re-read (with a roster, say) and replace
                    doc_id = same or doc_id
                    replacing.append(doc_id)
                else:
                    base, n = doc_id, 2
                    while doc_id in taken_ids:
                        doc_id, n = f"{base}-{n}", n + 1
                doc = build_document(parsed, doc_id=doc_id, source=ps.file_name(job.path.name),
                                     content_hash=digest, pseudonymiser=ps,
                                     meta={**metadata, "kind": job.kind or kind, **job.metadata})
            except CoevalError as exc:
                failed(job, exc)
                continue
            known_hashes[digest] = doc_id
            taken_ids.add(doc_id)
            twin = twins.check(doc)
            if twin is not None:
                result.flagged.append((doc.id, f"looks like the same record as {twin} (the same words, saved twice "
                                               "in two formats?); remove one if so"))
            docs.append(doc)

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
            result.project_files = {k: list(v) for k, v in sources.project_files.items()}
            conn.execute(schema.events.insert().values(
                at=stamp, action="ingest",
                detail={"added": result.added, "unchanged": len(result.unchanged),
                        "failed": len(result.failed), "roster": roster_obj is not None,
                        "checks": ps.checks()}))
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
            for table in (schema.redactions, schema.segments, schema.privacy_review):
                conn.execute(table.delete().where(table.c.document_id == doc_id))
            conn.execute(schema.documents.delete().where(schema.documents.c.id == doc_id))
        return positions

    def _ingest_project_files(self, conn, sources, result) -> None:
        """The codebook and codings a manifest names, inside the ingest's transaction."""
        from ..codebook import Codebook

        for path in sources.project_files.get("codebook", []):
            cb = Codebook.from_csv(path) if path.suffix.lower() == ".csv" else Codebook.from_yaml(path)
            current = self._meta_get(conn, "codebook_loaded_hash")
            if current != cb.content_hash:
                self._set_codebook(conn, cb, by="ingest", why=f"named by {sources.manifest}")
                self._meta_set(conn, "codebook_loaded_hash", cb.content_hash)
            result.codebook = cb.name
        from .codings_table import import_codings_into

        for path in sources.project_files.get("codings", []):
            result.codings += import_codings_into(self, conn, path)

    def _insert_document(self, conn, doc: Document, position: int, stamp: str) -> None:
        from . import schema

        conn.execute(schema.documents.insert(), dict(
            id=doc.id, position=position, kind=doc.kind, title=doc.title, text=doc.text, text_length=len(doc.text),
            site=doc.site, date=doc.date, session=doc.session, source=doc.source,
            content_hash=doc.content_hash, metadata=doc.metadata, ingested_at=stamp))
        dumps = json.dumps
        bulk_insert(conn, schema.segments, SEGMENT_ROW, [
            (s.id, doc.id, i, s.start, s.end, s.speaker, s.role, s.site, s.time_start, s.time_end,
             dumps(s.metadata, ensure_ascii=False)) for i, s in enumerate(doc.segments)])
        bulk_insert(conn, schema.privacy_review, ["document_id", "start", "end", "kind", "status"],
                    [(doc.id, s, e, k, "open") for s, e, k in doc.review])
        bulk_insert(conn, schema.redactions, ["document_id", "start", "length", "category"],
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

        from ..privacy import name_hash
        from . import schema

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

