"""Rounds of coding: named, opened and closed; a closed round keeps its agreement table as it was.

A team codes *independently* first (a blind round), measures how far it agrees, then meets
to reconcile. Closing the round freezes its agreement table (with the codebook version and
the units it used) in the project, so nothing done later, reconciliation included, changes
what it says. A project may have several rounds: a pilot, the main round, a re-test after a
codebook revision.
"""

from __future__ import annotations

import difflib

from ..errors import CodingError, NotFoundError

__all__ = ["open_round", "freeze_round", "round_rows", "rounds_frame", "get_round", "latest_round",
           "DEFAULT_ROUND", "ROUND_COLUMNS"]

DEFAULT_ROUND = "independent"
ROUND_COLUMNS = ["round", "status", "blind", "opened_at", "opened_by", "closed_at", "closed_by", "coders",
                 "documents", "double_coded_documents", "codebook_version", "alpha", "description"]


def round_rows(proj) -> list[dict]:
    """Every round, in the order they were opened, as plain dicts."""
    from sqlalchemy import select

    from ..store import schema

    r = schema.rounds
    return [dict(x) for x in proj._read(select(r).order_by(r.c.position))]


def get_round(proj, name: str) -> dict:
    """One round by name.

    Raises
    ------
    NotFoundError
        Naming the rounds there are (and the closest, for a typing slip).
    """
    rows = {r["name"]: r for r in round_rows(proj)}
    if name in rows:
        return rows[name]
    close = difflib.get_close_matches(str(name), list(rows), n=1)
    hint = (f"Did you mean {close[0]!r}? " if close else "") + (
        f"Rounds: {', '.join(rows)}." if rows else "Open one with proj.open_round('independent').")
    raise NotFoundError(f"no round {name!r} in the project.", hint=hint)


def latest_round(proj, *, with_assignments: bool = True) -> dict | None:
    """The most recently opened round (that has assignments, by default), or None."""
    from sqlalchemy import select

    from ..store import schema

    rows = round_rows(proj)
    if with_assignments:
        a = schema.assignments
        used = {x[0] for x in proj._read_rows(select(a.c.round).distinct())}
        rows = [r for r in rows if r["name"] in used]
    return rows[-1] if rows else None


def open_round(proj, name: str = DEFAULT_ROUND, *, blind: bool = True, by: str | None = None,
               description: str = "") -> dict:
    """Open a round of coding (a no-op if it is open already); returns it.

    Raises
    ------
    CodingError
        If a round of that name was closed: a closed round stays as it was; open a new one
        (for example ``"re-test"``) to code again.
    """
    from sqlalchemy import func, select

    from ..store import schema
    from ..store.schema import now

    name = " ".join(str(name).split())
    if not name:
        raise CodingError("a round needs a name (for example 'independent' or 'pilot').")
    r = schema.rounds
    with proj._write() as conn:
        row = conn.execute(select(r).where(r.c.name == name)).mappings().first()
        if row is not None:
            if row["status"] == "closed":
                raise CodingError(f"round {name!r} was closed on {row['closed_at']}; a closed round does not "
                                  "reopen.", hint="Open a new round (for example 're-test') to code again.")
            return dict(row)
        position = conn.execute(select(func.count()).select_from(r)).scalar()
        values = {"name": name, "position": position, "blind": int(bool(blind)), "status": "open",
                  "opened_at": now(), "opened_by": by, "description": description or ""}
        conn.execute(r.insert().values(**values))
        proj._audit(conn, "open round", by=by, detail={"round": name, "blind": bool(blind)})
    return get_round(proj, name)


def freeze_round(proj, name: str, frozen: dict, *, by: str | None = None) -> dict:
    """Close a round, storing ``frozen`` (its agreement table and what it was computed on).

    Called by :meth:`coeval.Project.close_round`, which computes the table.

    Raises
    ------
    CodingError
        If the round is closed already.
    """
    from ..store import schema
    from ..store.schema import now

    row = get_round(proj, name)
    if row["status"] == "closed":
        raise CodingError(f"round {name!r} is closed already (on {row['closed_at']}).")
    r = schema.rounds
    with proj._write() as conn:
        conn.execute(r.update().where(r.c.name == name).values(status="closed", closed_at=now(), closed_by=by,
                                                                frozen=frozen))
        proj._audit(conn, "close round", by=by, detail={"round": name,
                                                         "codebook_version": frozen.get("codebook_version")})
    return get_round(proj, name)


def rounds_frame(proj):
    """One row per round: ``round``, ``status`` (open, closed), ``blind``, ``opened_at``, ``opened_by``,
    ``closed_at``, ``closed_by``, ``coders`` and ``documents`` assigned, ``double_coded_documents``
    (assigned to two or more coders), ``codebook_version`` and ``alpha`` (overall, as frozen at
    closing; empty while open), ``description``."""
    import pandas as pd
    from sqlalchemy import select

    from ..store import schema

    a = schema.assignments
    assigned = pd.DataFrame(proj._read_rows(select(a.c.round, a.c.coder, a.c.document_id)),
                            columns=["round", "coder", "document_id"])
    rows = []
    for r in round_rows(proj):
        mine = assigned[assigned["round"] == r["name"]]
        per_doc = mine.drop_duplicates(["coder", "document_id"]).groupby("document_id")["coder"].nunique()
        frozen = r["frozen"] or {}
        rows.append({"round": r["name"], "status": r["status"], "blind": bool(r["blind"]),
                     "opened_at": r["opened_at"], "opened_by": r["opened_by"], "closed_at": r["closed_at"],
                     "closed_by": r["closed_by"], "coders": int(mine["coder"].nunique()),
                     "documents": int(mine["document_id"].nunique()),
                     "double_coded_documents": int((per_doc >= 2).sum()),
                     "codebook_version": frozen.get("codebook_version"),
                     "alpha": frozen.get("alpha"), "description": r["description"]})
    return pd.DataFrame(rows, columns=ROUND_COLUMNS)
