"""Reading documents and segments from the store: the tidy frames, one document with its text, the
redaction log, and the files that failed to ingest."""

from __future__ import annotations

from ..errors import NotFoundError
from ..model import Document, Redaction, Segment

__all__ = ["DocumentsMixin", "DOCUMENT_COLUMNS", "SEGMENT_COLUMNS"]

DOCUMENT_COLUMNS = ["document_id", "kind", "title", "site", "date", "session", "source",
                    "n_segments", "n_words", "n_speakers", "content_hash", "ingested_at"]
SEGMENT_COLUMNS = ["segment_id", "document_id", "position", "start", "end", "speaker", "role",
                   "site", "time_start", "time_end", "n_words", "text"]


class DocumentsMixin:
    """Documents and segments as frames; mixed into :class:`~coeval.store.ProjectStore`."""

    @property
    def documents(self):
        """One row per document.

        Columns: ``document_id``, ``kind``, ``title``, ``site``, ``date``, ``session``,
        ``source``, ``n_segments``, ``n_words``, ``n_speakers``, ``content_hash``,
        ``ingested_at``, then any further metadata keys (sorted).
        """
        return self._remembered("documents", self._documents_frame)

    def _documents_frame(self):
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
        return self._remembered("segments", self._segments_frame)

    def _segments_frame(self):
        import pandas as pd
        from sqlalchemy import select

        from . import schema

        d, s = schema.documents, schema.segments
        texts = {r["id"]: r["text"] for r in self._read(select(d.c.id, d.c.text))}
        order = {r["id"]: r["position"] for r in self._read(select(d.c.id, d.c.position))}
        rows = []
        wanted = [s.c.id, s.c.document_id, s.c.position, s.c.start, s.c.end, s.c.speaker, s.c.role, s.c.site,
                  s.c.time_start, s.c.time_end]   # not the metadata: JSON decoded row by row, and not shown
        for r in self._read(select(*wanted).order_by(s.c.document_id, s.c.position)):
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

    # -- memos on documents ----------------------------------------------------------------------
    def set_document_memo(self, document_id: str, text: str, *, coder: str) -> None:
        """Write a coder's memo on a document (one per coder and document; empty text removes it).

        Raises
        ------
        NotFoundError
            An unknown document or coder.
        """
        from sqlalchemy import select

        from . import schema
        from .schema import now

        m = schema.document_memos
        text = str(text or "").strip()
        with self._write() as conn:
            if conn.execute(select(schema.documents.c.id).where(schema.documents.c.id == document_id)).first() is None:
                raise NotFoundError(f"no document {document_id!r} in the project.")
            self._require_coder(conn, coder)
            key = (m.c.document_id == document_id) & (m.c.coder == coder)
            was = conn.execute(select(m.c.text).where(key)).scalar()
            if (was or "") == text:
                return
            conn.execute(m.delete().where(key))
            if text:
                conn.execute(m.insert().values(document_id=document_id, coder=coder, text=text, updated_at=now()))
            self._audit(conn, "document memo", by=coder, detail={"document_id": document_id, "text": text,
                                                                  "was": was or ""})

    def document_memos(self, document_id: str | None = None, *, coder: str | None = None):
        """Memos on documents: ``document_id``, ``coder``, ``text``, ``updated_at``."""
        import pandas as pd
        from sqlalchemy import select

        from . import schema

        m = schema.document_memos
        q = select(m.c.document_id, m.c.coder, m.c.text, m.c.updated_at).order_by(m.c.document_id, m.c.coder)
        if document_id is not None:
            q = q.where(m.c.document_id == document_id)
        if coder is not None:
            q = q.where(m.c.coder == coder)
        return pd.DataFrame([dict(r) for r in self._read(q)], columns=["document_id", "coder", "text", "updated_at"])
