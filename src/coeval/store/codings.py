"""Codings by several coders in the store: code/uncode, accept/reject, the codings frame, the audit log.

These are the coding methods of :class:`coeval.Project` (mixed in), kept here so that the
store and the coding logic each fit in one reading. Every change is one transaction and
leaves a row in the append-only audit log.
"""

from __future__ import annotations

import hashlib
import json

from ..codebook import Codebook, CodeEntry
from ..codebook.formats import name_key
from ..errors import CodingError, NotFoundError
from ..model import ORIGINS
from .coding_statements import insert_coding_statement, lookup_statement, text_length
from .database import raw_rows, run_prepared

__all__ = ["CodingsMixin", "coding_id", "CODING_COLUMNS"]

CODING_COLUMNS = ["coding_id", "document_id", "segment_id", "start", "end", "text", "code", "code_id", "coder",
                  "role", "origin", "memo", "created_at"]


def coding_id(document_id: str, start: int, end: int, code_id: str, coder: str) -> str:
    """A coding's id: derived from what it is, so the same coding made twice is one coding."""
    key = f"{document_id}\x1f{start}\x1f{end}\x1f{code_id}\x1f{coder}".encode()
    return hashlib.sha256(key).hexdigest()[:16]


class CodingsMixin:
    """Coders, codings and the audit log; mixed into :class:`~coeval.store.ProjectStore`."""


    def _read_rows(self, statement):
        with self._engine.connect() as conn:
            return [tuple(r) for r in conn.execute(statement)]

    # -- targets and codes -------------------------------------------------------------------------------
    def _code_id(self, conn, code) -> str:
        """The id of an active code, given as its entry, its id or its name (any case and spacing)."""
        return self._code_resolver(conn)(code)

    def _code_resolver(self, conn):
        """``code -> id`` (as :meth:`_code_id`) for many codes in one transaction: the active codes
        are read once and matched here, by id first, else by name with its case folded and its
        spacing made single. Matched in Python, not by SQL ``lower()``, which on SQLite folds only
        ASCII letters ("Éducation" would not find itself)."""
        from sqlalchemy import select

        from . import schema

        t = schema.codes
        rows = conn.execute(select(t.c.id, t.c.name).where(t.c.status == "active")).all()
        ids = {code_id for code_id, _name in rows}
        by_name: dict[str, str] = {}
        for code_id, name in rows:
            by_name.setdefault(name_key(name), code_id)

        def resolve(code) -> str:
            key = code.id if isinstance(code, CodeEntry) else str(code)
            if key in ids:
                return key
            found = by_name.get(name_key(key))
            if found is None:
                names = [name for _id, name in rows]
                hint = Codebook("tmp", [CodeEntry(n, n) for n in names]).suggestion(key) if names else (
                    "The project has no codebook yet: proj.codebook = ce.Codebook.template('coeval').")
                raise NotFoundError(f"no code {key!r} in the codebook.", hint=hint)
            return found

        return resolve

    def _target(self, conn, target) -> tuple[str, int, int]:
        from sqlalchemy import select

        from . import schema

        if isinstance(target, str):
            seg = conn.execute(select(schema.segments.c.document_id, schema.segments.c.start, schema.segments.c.end)
                               .where(schema.segments.c.id == target)).first()
            if seg is None:
                raise NotFoundError(f"no segment {target!r} in the project.",
                                    hint="Segment ids look like 'document-id:12' (see proj.segments).")
            return seg[0], seg[1], seg[2]
        try:
            document_id, start, end = target
            start, end = int(start), int(end)
        except (TypeError, ValueError):
            raise CodingError(f"cannot code {target!r}.",
                              hint="Give a segment id, or (document_id, start, end).") from None

        # the length in characters (code points), as stored with the document: a long
        # transcript's text is not fetched or counted for every coding
        length = conn.execute(select(text_length())
                              .where(schema.documents.c.id == document_id)).scalar()
        if length is None:
            raise NotFoundError(f"no document {document_id!r} in the project.")
        if not 0 <= start < end <= length:
            raise CodingError(f"span [{start}, {end}) is not inside document {document_id!r} "
                              f"(0 to {length}).", hint="Offsets are character positions; start < end.")
        return document_id, start, end

    # -- coding ---------------------------------------------------------------------------------------------
    def code(self, target, code, *, coder: str, memo: str = "", role: str | None = None,
             origin: str = "human") -> str:
        """Apply a code to a segment (its id) or a span ``(document_id, start, end)``.

        Parameters
        ----------
        target : str or tuple
        code : str
            Code name (any letter case) or id.
        coder : str
            A registered coder (or pass ``role`` to register them now).
        memo : str
        origin : {"human", "suggested", "accepted", "rejected"}

        Returns
        -------
        str
            The coding's id. Coding the same span with the same code by the same coder again
            changes nothing and returns the same id.

        Raises
        ------
        NotFoundError, CodingError
        """
        with self._write() as conn:
            return self._code(conn, target, code, coder=coder, memo=memo, role=role, origin=origin)

    def _code(self, conn, target, code, *, coder, memo="", role=None, origin="human", created_at=None,
              by=None, history: dict | None = None) -> str:
        from sqlalchemy import bindparam, select

        from . import schema
        from .schema import now

        if origin not in ORIGINS:
            raise CodingError(f"unknown origin {origin!r}.", hint=f"Use one of: {', '.join(ORIGINS)}.")
        # the common case in three statements compiled once (run_prepared): one look-up of the
        # span's document, the code and the coder, one insert that does nothing for a coding that
        # exists, and the audit row. Anything unusual (an unknown document, code or coder, a span
        # outside its document) goes the long way, which raises with the closest names.
        if isinstance(target, str):
            seg = run_prepared(conn, "segment span", lambda _: select(
                schema.segments.c.document_id, schema.segments.c.start, schema.segments.c.end)
                .where(schema.segments.c.id == bindparam("id")), {"id": target}).row
            document_id, start, end = seg if seg is not None else self._target(conn, target)
        else:
            try:
                document_id, start, end = target
                start, end = int(start), int(end)
            except (TypeError, ValueError):
                document_id, start, end = self._target(conn, target)   # raises, saying what a target is
        code_key = code.id if isinstance(code, CodeEntry) else str(code)
        length, code_id, status = run_prepared(conn, "coding look-up", lookup_statement, {
            "document": document_id, "code": code_key, "name": " ".join(code_key.split()).lower(),
            "coder": coder}).row
        if length is None or not 0 <= start < end <= length:
            document_id, start, end = self._target(conn, (document_id, start, end))   # raises
        if code_id is None:   # no such code (raises), or a name SQL's lower() does not fold
            code_id = self._code_id(conn, code)
        if status is None or status == "retired":
            self._coder_role(conn, coder, role)
        cid = coding_id(document_id, start, end, code_id, coder)
        stamp = now()
        row = {"id": cid, "document_id": document_id, "start": start, "end": end, "code_id": code_id,
               "coder": coder, "created_at": created_at or stamp, "memo": memo or "", "origin": origin}
        if run_prepared(conn, "insert coding", insert_coding_statement, row).rowcount == 0:
            return cid   # coded before: nothing changes
        # history (a merge): the original author and time, with who brought it in in the detail
        history = history or {}
        self._audit(conn, "code", by=history.get("by", by or coder), coding_id=cid, row=row,
                    at=history.get("at", stamp), detail=history.get("detail"))
        return cid

    def uncode(self, target, code=None, *, coder: str | None = None) -> int:
        """Remove codings: by coding id, or by target plus code and coder. Returns how many."""
        from sqlalchemy import select

        from . import schema

        c = schema.codings
        with self._write() as conn:
            if isinstance(target, str) and code is None:
                rows = conn.execute(select(c).where(c.c.id == target)).mappings().all()
                if not rows:
                    raise NotFoundError(f"no coding {target!r}.")
            else:
                if code is None or coder is None:
                    raise CodingError("to uncode a span, give the code and the coder.")
                document_id, start, end = self._target(conn, target)
                code_id = self._code_id(conn, code)
                rows = conn.execute(select(c).where(c.c.document_id == document_id, c.c.start == start,
                                                    c.c.end == end, c.c.code_id == code_id,
                                                    c.c.coder == coder)).mappings().all()
            for r in rows:
                conn.execute(c.delete().where(c.c.id == r["id"]))
                self._audit(conn, "uncode", by=coder or r["coder"], coding_id=r["id"], row=r)
            return len(rows)

    def set_memo(self, coding_id: str, memo: str, *, by: str | None = None) -> None:
        """Change the memo on a coding (the change is kept in the audit log).

        Raises
        ------
        NotFoundError
            No coding with that id.
        """
        from sqlalchemy import select

        from . import schema

        c = schema.codings
        with self._write() as conn:
            row = conn.execute(select(c).where(c.c.id == coding_id)).mappings().first()
            if row is None:
                raise NotFoundError(f"no coding {coding_id!r}.")
            memo = str(memo or "")
            if row["memo"] == memo:
                return
            conn.execute(c.update().where(c.c.id == coding_id).values(memo=memo))
            self._audit(conn, "memo", by=by or row["coder"], coding_id=coding_id, row={**row, "memo": memo},
                        detail={"was": row["memo"]})

    def _set_origin(self, ids, origin: str, by: str | None) -> int:
        from sqlalchemy import select

        from . import schema

        c = schema.codings
        ids = [ids] if isinstance(ids, str) else list(ids)
        with self._write() as conn:
            n = 0
            for cid in ids:
                row = conn.execute(select(c).where(c.c.id == cid)).mappings().first()
                if row is None:
                    raise NotFoundError(f"no coding {cid!r}.")
                if row["origin"] == origin:
                    continue
                conn.execute(c.update().where(c.c.id == cid).values(origin=origin))
                self._audit(conn, origin[:-2] if origin.endswith("ed") else origin, by=by, coding_id=cid,
                            row={**row, "origin": origin}, detail={"was": row["origin"]})
                n += 1
            return n

    def accept(self, coding_ids, *, by: str | None = None) -> int:
        """Accept suggested codings (origin becomes ``accepted``); returns how many changed."""
        return self._set_origin(coding_ids, "accepted", by)

    def reject(self, coding_ids, *, by: str | None = None) -> int:
        """Reject suggested codings (origin ``rejected``: kept for the record, left out of analysis)."""
        return self._set_origin(coding_ids, "rejected", by)

    # -- reading ---------------------------------------------------------------------------------------------
    @property
    def codings(self):
        """One row per coding, in document order.

        Columns: ``coding_id``, ``document_id``, ``segment_id`` (the segment the coding starts
        in), ``start``, ``end``, ``text``, ``code``, ``code_id``, ``coder``, ``role``, ``origin``,
        ``memo``, ``created_at``. Rejected suggestions are included (filter on ``origin``).
        """
        return self._codings_frame(with_text=True)

    def _codings_frame(self, *, with_text: bool = True):
        return self._remembered(("codings", with_text), lambda: self._read_codings_frame(with_text=with_text))

    def _read_codings_frame(self, *, with_text: bool = True):
        """The codings table; without the text column it skips reading documents (for analyses)."""
        import pandas as pd
        from sqlalchemy import select

        from . import schema

        d, s, c, k, cd = schema.documents, schema.segments, schema.codings, schema.codes, schema.coders
        columns = ["coding_id", "document_id", "start", "end", "code_id", "coder", "created_at", "memo", "origin",
                   "code", "role", "doc_pos"]
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(c.c.id, c.c.document_id, c.c.start, c.c.end, c.c.code_id, c.c.coder, c.c.created_at,
                       c.c.memo, c.c.origin, k.c.name, cd.c.role, d.c.position)
                .join(k, k.c.id == c.c.code_id).join(cd, cd.c.name == c.c.coder).join(d, d.c.id == c.c.document_id)
            ).all()
            frame = pd.DataFrame([tuple(r) for r in rows], columns=columns)
            doc_ids = sorted(set(frame["document_id"]))
            seg_rows = conn.execute(select(s.c.document_id, s.c.start, s.c.end, s.c.id).where(
                s.c.document_id.in_(doc_ids)).order_by(s.c.document_id, s.c.start)).all()
            texts = ({r[0]: r[1] for r in conn.execute(select(d.c.id, d.c.text).where(d.c.id.in_(doc_ids)))}
                     if with_text else {})
        out_cols = [col for col in CODING_COLUMNS if with_text or col != "text"]
        if frame.empty:
            return pd.DataFrame(columns=out_cols).astype({"start": "int64", "end": "int64"})
        frame = frame.sort_values(["doc_pos", "start", "end", "code", "coder"], kind="stable").reset_index(drop=True)
        frame["segment_id"] = _segment_of(frame, [tuple(r) for r in seg_rows])
        if with_text:
            frame["text"] = [texts[doc][a:b] for doc, a, b in zip(frame["document_id"], frame["start"], frame["end"])]
        return frame[out_cols].astype({"start": "int64", "end": "int64"})

    def _coding_units(self, origins=("human", "accepted"), *, coder: bool = True, origin: bool = False):
        """``document_id``, ``segment_id``, ``code``, ``coder`` (and ``origin``) for the codings in
        use: the lightest read there is (no text, no joins), for analyses over hundreds of
        thousands. ``coder=False`` leaves the coder out (a quarter less to fetch)."""
        import pandas as pd
        from sqlalchemy import select

        from . import schema

        c, s, k = schema.codings, schema.segments, schema.codes
        with self._engine.connect() as conn:
            names = dict(conn.execute(select(k.c.id, k.c.name)).all())
            cols = ([c.c.document_id, c.c.start, c.c.code_id] + ([c.c.coder] if coder else [])
                    + ([c.c.origin] if origin else []))
            rows = raw_rows(conn, select(*cols).where(c.c.origin.in_(list(origins))))
            seg_rows = raw_rows(conn, select(s.c.document_id, s.c.start, s.c.end, s.c.id)
                                 .order_by(s.c.document_id, s.c.start))
        frame = pd.DataFrame(rows, columns=["document_id", "start", "code_id"] + (["coder"] if coder else [])
                             + (["origin"] if origin else []))
        frame["segment_id"] = _segment_of(frame, seg_rows)
        frame["code"] = frame["code_id"].map(names)
        return frame[["document_id", "segment_id", "code"] + (["coder"] if coder else [])
                     + (["origin"] if origin else [])]

    @property
    def audit(self):
        """The append-only log of coding actions: ``at``, ``action``, ``by``, ``coding_id``,
        ``document_id``, ``start``, ``end``, ``code_id``, ``coder``, ``origin``, ``detail``."""
        import pandas as pd
        from sqlalchemy import select

        from . import schema

        a = schema.audit_log
        rows = [dict(r) for r in self._read(select(a).order_by(a.c.id))]
        for r in rows:
            r.pop("id")
            r["detail"] = json.dumps(r["detail"], ensure_ascii=False) if r["detail"] else ""
        return pd.DataFrame(rows, columns=["at", "action", "by", "coding_id", "document_id", "start", "end",
                                           "code_id", "coder", "origin", "detail"])

    def _audit(self, conn, action: str, *, by=None, coding_id=None, row=None, detail=None, at=None) -> None:
        from sqlalchemy import bindparam

        from . import schema
        from .schema import now

        row = row or {}
        values = {"at": at or now(), "action": action, "by": by, "coding_id": coding_id,
                  "document_id": row.get("document_id"), "start": row.get("start"), "end": row.get("end"),
                  "code_id": row.get("code_id"), "coder": row.get("coder"), "origin": row.get("origin"),
                  "detail": None if detail is None else json.dumps(detail, ensure_ascii=False)}
        # detail is JSON: dumped here, as the JSON column would, since the driver gets the text
        run_prepared(conn, "audit", lambda _: schema.audit_log.insert().values(
            {k: bindparam(k) for k in values}), values)


def _segment_of(frame, seg_rows):
    """The id of the segment each coding in ``frame`` starts in (None where it starts in none).

    Parameters
    ----------
    frame : pandas.DataFrame
        Codings with ``document_id`` and ``start``.
    seg_rows : list of tuple
        ``(document_id, start, end, id)`` for the segments, sorted by document then start.

    Returns
    -------
    numpy.ndarray
        Object array aligned with ``frame``'s rows.
    """
    import numpy as np
    import pandas as pd

    segs = pd.DataFrame(seg_rows, columns=["document_id", "start", "end", "id"])
    seg_id = np.full(len(frame), None, dtype=object)
    # each document's segment rows found once (a mask per document would be documents x segments),
    # then one sorted search per document
    seg_groups = segs.groupby("document_id", sort=False).indices
    starts_all, ends_all, ids_all = segs["start"].to_numpy(), segs["end"].to_numpy(), segs["id"].to_numpy(object)
    positions = frame["start"].to_numpy()
    for doc, idx in frame.groupby("document_id", sort=False).indices.items():
        rows_of = seg_groups.get(doc)
        if rows_of is None:
            continue
        starts, ends, ids = starts_all[rows_of], ends_all[rows_of], ids_all[rows_of]
        pos = positions[idx]
        i = np.searchsorted(starts, pos, side="right") - 1
        ok = (i >= 0) & (ends[np.maximum(i, 0)] > pos)
        seg_id[idx[ok]] = ids[i[ok]]
    return seg_id
