"""The privacy review list in the store: words that may be names, each decided by a person.

A word decided to be a name is masked where it stands (``■■■■■``, the same length, so every
coding's offsets still point at the same words), and the mask is logged as a redaction; a word
decided not to be a name stays, and the decision is kept so it is not asked again.
"""

from __future__ import annotations

from ..errors import NotFoundError

__all__ = ["ReviewMixin", "REVIEW_COLUMNS", "MASK"]

REVIEW_COLUMNS = ["review_id", "document_id", "segment_id", "start", "end", "word", "context", "kind", "status",
                  "decided_by", "decided_at"]
MASK = "■"


class ReviewMixin:
    """The privacy review list; mixed into :class:`~coeval.store.ProjectStore`."""

    def privacy_review(self, status: str | None = "open"):
        """Words to review as possible names, one row each: ``review_id``, ``document_id``,
        ``segment_id``, ``start``, ``end``, ``word``, ``context`` (the words around it), ``kind``
        (``likely name``, ``close to a roster name``), ``status`` (``open``, ``name``,
        ``not a name``), ``decided_by``, ``decided_at``. ``status=None`` gives every row."""
        import pandas as pd
        from sqlalchemy import select

        from . import schema

        r = schema.privacy_review
        query = select(r).order_by(r.c.document_id, r.c.start)
        if status is not None:
            query = query.where(r.c.status == status)
        rows = [dict(x) for x in self._read(query)]
        texts = self.texts({x["document_id"] for x in rows}) if rows else {}
        segs = self.segments[["segment_id", "document_id", "start", "end"]] if rows else None
        out = []
        for x in rows:
            text = texts[x["document_id"]]
            inside = segs[(segs["document_id"] == x["document_id"]) & (segs["start"] <= x["start"])
                          & (segs["end"] >= x["end"])]
            out.append({"review_id": x["id"], "document_id": x["document_id"],
                        "segment_id": inside["segment_id"].iloc[0] if len(inside) else None,
                        "start": x["start"], "end": x["end"], "word": text[x["start"]:x["end"]],
                        "context": " ".join(text[max(0, x["start"] - 60):x["end"] + 60].split()),
                        "kind": x["kind"], "status": x["status"], "decided_by": x["decided_by"],
                        "decided_at": x["decided_at"]})
        return pd.DataFrame(out, columns=REVIEW_COLUMNS)

    def mark_review(self, review_ids, *, name: bool, by: str | None = None, everywhere: bool = False) -> int:
        """Decide review items: ``name=True`` masks the word where it stands (and, with
        ``everywhere=True``, every other open item with the same word); ``name=False`` keeps it.
        Returns how many items were decided.

        Raises
        ------
        NotFoundError
            An unknown review id.
        """
        import numbers

        from sqlalchemy import select

        from . import schema
        from .schema import now

        single = isinstance(review_ids, (numbers.Integral, str))
        ids = [int(i) for i in ([review_ids] if single else review_ids)]
        r, d = schema.privacy_review, schema.documents
        stamp = now()
        with self._write() as conn:
            rows = {x["id"]: dict(x) for x in conn.execute(select(r).where(r.c.id.in_(ids))).mappings()}
            missing = sorted(set(ids) - set(rows))
            if missing:
                raise NotFoundError(f"no review item {missing[0]} in the project.", hint="See proj.privacy_review().")
            texts = {doc: t for doc, t in conn.execute(select(d.c.id, d.c.text).where(
                d.c.id.in_({x["document_id"] for x in rows.values()})))}
            if name and everywhere:
                words = {texts[x["document_id"]][x["start"]:x["end"]] for x in rows.values()}
                for x in conn.execute(select(r).where(r.c.status == "open")).mappings():
                    text = texts.get(x["document_id"])
                    if text is None:
                        text = texts[x["document_id"]] = conn.execute(
                            select(d.c.text).where(d.c.id == x["document_id"])).scalar()
                    if text[x["start"]:x["end"]] in words:
                        rows[x["id"]] = dict(x)
            status = "name" if name else "not a name"
            if name:
                by_doc: dict[str, list] = {}
                for x in rows.values():
                    by_doc.setdefault(x["document_id"], []).append(x)
                for doc, items in by_doc.items():
                    chars = list(texts[doc])
                    for x in items:
                        chars[x["start"]:x["end"]] = MASK * (x["end"] - x["start"])
                        conn.execute(schema.redactions.insert().values(document_id=doc, start=x["start"],
                                                                       length=x["end"] - x["start"],
                                                                       category="reviewed name"))
                    conn.execute(d.update().where(d.c.id == doc).values(text="".join(chars), text_length=len(chars)))
            conn.execute(r.update().where(r.c.id.in_(list(rows))).values(status=status, decided_by=by,
                                                                         decided_at=stamp))
            self._audit(conn, "privacy review", by=by, at=stamp,
                        detail={"items": sorted(rows), "decision": status})
        return len(rows)
