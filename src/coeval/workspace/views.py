"""What the workspace shows each person, as plain data: documents, codings, the codebook, assignments.

Every page and API answer is built here, and here alone the blind rule is applied: while a
blind round is open, a coder (the coordinator too, when they code) gets only their own
codings from the server, and a viewer only the team's consensus. Pages and the API never
query codings themselves, so no route can leak another coder's work.
"""

from __future__ import annotations

from ..errors import NotFoundError

__all__ = ["blind_round", "sees_others", "require_document", "coding_payload", "document_payload", "codings_payload",
           "codebook_payload", "assignment_rows", "VISIBLE_ORIGINS"]

VISIBLE_ORIGINS = ("human", "accepted", "consensus")


def blind_round(proj) -> dict | None:
    """The open blind round, if there is one (the latest opened)."""
    from ..coding.rounds import round_rows

    open_blind = [r for r in round_rows(proj) if r["status"] == "open" and r["blind"]]
    return open_blind[-1] if open_blind else None


def sees_others(proj, user: dict) -> bool:
    """Whether ``user`` may see other coders' codings in the reader (not while a blind round is open)."""
    return blind_round(proj) is None


def _masker(proj):
    """Hide roster names and contact details in memos written by one coder and shown to another."""
    from sqlalchemy import select

    from ..privacy.identifiers import find_identifiers
    from ..store import schema

    with proj._engine.connect() as conn:
        salt = proj._meta_get(conn, "salt") or ""
        hashes = frozenset(conn.execute(select(schema.name_hashes.c.hash)).scalars())

    def mask(text: str) -> str:
        for _kind, found in find_identifiers(text or "", salt=salt, hashes=hashes):
            text = text.replace(found, "[withheld]")
        return text
    return mask


def require_document(proj, document_id: str) -> None:
    """Raise NotFoundError unless the project has this document."""
    from sqlalchemy import select

    from ..store import schema

    if not proj._read_rows(select(schema.documents.c.id).where(schema.documents.c.id == document_id)):
        raise NotFoundError(f"no document {document_id!r} in the project.")


def _codings_query(proj, user: dict):
    """The codings ``user`` may see (the blind rule), as a query to narrow further."""
    from sqlalchemy import select

    from ..store import schema

    c, k = schema.codings, schema.codes
    query = (select(c.c.id, c.c.start, c.c.end, c.c.code_id, k.c.name, k.c.color, c.c.coder, c.c.memo, c.c.origin)
             .select_from(c.join(k, k.c.id == c.c.code_id))
             .where(c.c.origin.in_(VISIBLE_ORIGINS)).order_by(c.c.start, c.c.end, c.c.id))
    if not sees_others(proj, user):
        query = query.where(c.c.coder == user["name"]) if user["access"] != "viewer" else query.where(
            c.c.origin == "consensus")
    return query


def _as_payload(proj, user: dict, rows) -> list[dict]:
    name = user["name"]
    mask = _masker(proj) if any(r[6] != name and r[7] for r in rows) else None
    return [{"id": r[0], "start": r[1], "end": r[2], "code_id": r[3], "code": r[4], "color": r[5] or "",
             "coder": r[6], "memo": r[7] if r[6] == name or mask is None else mask(r[7]), "origin": r[8],
             "mine": r[6] == name} for r in rows]


def codings_payload(proj, user: dict, document_id: str) -> list[dict]:
    """The codings of one document that ``user`` may see, in document order.

    Each: ``id``, ``start``, ``end`` (code points into the document's text), ``code_id``,
    ``code``, ``color``, ``coder``, ``memo``, ``origin``, ``mine``.
    """
    from ..store import schema

    query = _codings_query(proj, user).where(schema.codings.c.document_id == document_id)
    return _as_payload(proj, user, proj._read_rows(query))


def coding_payload(proj, user: dict, coding_id: str) -> dict:
    """One coding as :func:`codings_payload` shows it.

    Raises
    ------
    NotFoundError
        No such coding, or one ``user`` may not see.
    """
    from ..store import schema

    rows = proj._read_rows(_codings_query(proj, user).where(schema.codings.c.id == coding_id))
    if not rows:
        raise NotFoundError(f"no coding {coding_id!r}.")
    return _as_payload(proj, user, rows)[0]


def document_payload(proj, user: dict, document_id: str) -> dict:
    """One document for the reader: its details, turns (with their text), the visible codings,
    the user's memo on it and their assignment there.

    Raises
    ------
    NotFoundError
        No document with that id.
    """
    from sqlalchemy import select

    from ..store import schema

    d, s = schema.documents, schema.segments
    rows = proj._read(select(d.c.id, d.c.title, d.c.kind, d.c.site, d.c.date, d.c.session, d.c.text)
                      .where(d.c.id == document_id))
    if not rows:
        raise NotFoundError(f"no document {document_id!r} in the project.")
    doc = rows[0]
    text = doc["text"]
    turns = [{"segment_id": r[0], "start": r[1], "end": r[2], "speaker": r[3] or "", "role": r[4] or "",
              "site": r[5] or "", "time": r[6], "text": text[r[1]:r[2]]}
             for r in proj._read_rows(select(s.c.id, s.c.start, s.c.end, s.c.speaker, s.c.role, s.c.site,
                                             s.c.time_start).where(s.c.document_id == document_id)
                                      .order_by(s.c.position))]
    memos = proj.document_memos(document_id, coder=user["name"])
    return {"document": {"id": doc["id"], "title": doc["title"], "kind": doc["kind"], "site": doc["site"] or "",
                         "date": doc["date"] or "", "session": doc["session"] or "", "length": len(text)},
            "turns": turns, "codings": codings_payload(proj, user, document_id),
            "memo": memos["text"].iloc[0] if len(memos) else "",
            "assignment": assignment_state(proj, user["name"], document_id),
            "blind": blind_round(proj) is not None, "can_code": user["access"] in ("coordinator", "coder")}


def assignment_state(proj, name: str, document_id: str) -> dict:
    """A person's assignments in a document: ``assigned``, their ``rounds``, ``done``, ``can_mark_done``."""
    from sqlalchemy import select

    from ..store import schema

    a, r = schema.assignments, schema.rounds
    rows = proj._read_rows(select(a.c.round, a.c.done_at, r.c.status).select_from(a.join(r, r.c.name == a.c.round))
                           .where(a.c.coder == name, a.c.document_id == document_id))
    open_rows = [x for x in rows if x[2] == "open"]
    return {"assigned": bool(rows), "rounds": sorted({x[0] for x in rows}),
            "done": bool(rows) and all(x[1] is not None for x in (open_rows or rows)),
            "can_mark_done": any(x[1] is None for x in open_rows)}


def codebook_payload(proj) -> list[dict]:
    """The active codes in tree order: ``id``, ``name``, ``path``, ``parent``, ``depth``,
    ``definition``, ``include``, ``exclude``, ``example``, ``polarity``, ``color``."""
    cb = proj.codebook
    return [{"id": c.id, "name": c.name, "path": cb.path(c.id), "parent": c.parent, "depth": cb.depth(c.id),
             "definition": c.definition, "include": c.include, "exclude": c.exclude, "example": c.example,
             "polarity": c.polarity, "color": c.color or ""} for c in cb.ordered()]


def assignment_rows(proj, user: dict) -> list[dict]:
    """The person's work: one row per document assigned to them (or every document, when they
    have no assignment), with ``document_id``, ``title``, ``site``, ``kind``, ``n_turns``,
    ``coded_turns`` (turns with at least one of their codings), ``codings``, ``rounds``, ``status``."""
    from sqlalchemy import and_, distinct, func, select

    from ..store import schema

    a, d, s, c = schema.assignments, schema.documents, schema.segments, schema.codings
    name = user["name"]
    assigned: dict[str, dict] = {}
    for rnd, doc, done in proj._read_rows(select(a.c.round, a.c.document_id, a.c.done_at).where(a.c.coder == name)
                                          .order_by(a.c.id)):
        entry = assigned.setdefault(doc, {"rounds": [], "done": True})
        if rnd not in entry["rounds"]:
            entry["rounds"].append(rnd)
        entry["done"] = entry["done"] and done is not None
    docs = proj._read_rows(select(d.c.id, d.c.title, d.c.site, d.c.kind).order_by(d.c.position))
    if assigned:
        docs = [x for x in docs if x[0] in assigned]
    n_turns = dict(proj._read_rows(select(s.c.document_id, func.count()).group_by(s.c.document_id)))
    coded = dict(proj._read_rows(
        select(s.c.document_id, func.count(distinct(s.c.id)))
        .select_from(s.join(c, and_(c.c.document_id == s.c.document_id, c.c.start < s.c.end, s.c.start < c.c.end)))
        .where(c.c.coder == name, c.c.origin.in_(("human", "accepted"))).group_by(s.c.document_id)))
    codings = dict(proj._read_rows(select(c.c.document_id, func.count()).where(c.c.coder == name)
                                   .group_by(c.c.document_id)))
    out = []
    for doc, title, site, kind in docs:
        entry = assigned.get(doc)
        status = ("done" if entry["done"] else "to do") if entry else "not assigned"
        out.append({"document_id": doc, "title": title, "site": site or "", "kind": kind,
                    "n_turns": n_turns.get(doc, 0), "coded_turns": coded.get(doc, 0), "codings": codings.get(doc, 0),
                    "rounds": ", ".join(entry["rounds"]) if entry else "", "status": status})
    return out
