"""Assignments: which coder codes which documents (or segments) in which round, and when they finished.

A coder is *present* on a unit only where it was assigned to them and they marked it done
("I read it all; what applies is coded", which may be nothing). Everywhere else they are
*missing*, never "did not apply the code": agreement is measured on the units two or more
coders finished, and a code that joined the codebook after a coder finished is missing for
that coder.
"""

from __future__ import annotations

from ..errors import CodingError, NotFoundError
from .rounds import DEFAULT_ROUND, open_round

__all__ = ["assign", "assign_sample", "mark_done", "assignments_frame", "ASSIGNMENT_COLUMNS"]

ASSIGNMENT_COLUMNS = ["round", "coder", "document_id", "segment_id", "assigned_at", "assigned_by", "done_at",
                      "done_version", "status"]


def _as_list(value) -> list:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _check_ids(conn, documents, segments) -> dict:
    """``{segment id: document id}`` for the segments asked for; unknown ids raise."""
    from sqlalchemy import select

    from ..store import schema

    have_docs = set(conn.execute(select(schema.documents.c.id)).scalars())
    for doc in documents:
        if doc not in have_docs:
            raise NotFoundError(f"no document {doc!r} in the project.", hint="See proj.documents for the ids.")
    seg_doc = {}
    if segments:
        s = schema.segments
        known = dict(conn.execute(select(s.c.id, s.c.document_id).where(s.c.id.in_(segments))).all())
        for seg in segments:
            if seg not in known:
                raise NotFoundError(f"no segment {seg!r} in the project.", hint="See proj.segments for the ids.")
        seg_doc = {seg: known[seg] for seg in segments}
    return seg_doc


def assign(proj, coder: str, documents=None, *, segments=None, round: str = DEFAULT_ROUND,
           by: str | None = None) -> int:
    """Assign documents (whole) or single segments to a registered coder in a round.

    The round is opened (blind) if it is not open yet. Assigning twice changes nothing.
    Returns how many assignments are new.

    Raises
    ------
    CodingError
        An unknown coder (with the closest registered names), or a closed round.
    NotFoundError
        An unknown document or segment id.
    """
    from sqlalchemy import select

    from ..store import schema
    from ..store.schema import now

    documents, segments = _as_list(documents), _as_list(segments)
    if not documents and not segments:
        raise CodingError("assign needs documents=[...] or segments=[...].")
    info = open_round(proj, round, by=by)
    if info["status"] == "closed":
        raise CodingError(f"round {round!r} is closed.", hint="Open a new round to assign more work.")
    a = schema.assignments
    stamp = now()
    with proj._write() as conn:
        coder = proj._require_coder(conn, coder)
        seg_doc = _check_ids(conn, documents, segments)
        have = {(r[0], r[1]) for r in conn.execute(select(a.c.document_id, a.c.segment_id).where(
            a.c.round == round, a.c.coder == coder))}
        wanted = [(d, None) for d in dict.fromkeys(documents)] + [(seg_doc[s], s) for s in dict.fromkeys(segments)]
        new = [{"round": round, "coder": coder, "document_id": d, "segment_id": s, "assigned_at": stamp,
                "assigned_by": by} for d, s in wanted if (d, s) not in have]
        if new:
            conn.execute(a.insert(), new)
            proj._audit(conn, "assign", by=by, detail={"round": round, "coder": coder, "assignments": len(new)})
    return len(new)


def assign_sample(proj, coders, *, fraction: float = 0.2, seed: int = 0, stratify: str | None = "site",
                  unit: str = "document", documents=None, round: str = DEFAULT_ROUND, by: str | None = None):
    """Draw a random sample to double-code and assign it to every one of ``coders``.

    Parameters
    ----------
    coders : list of str
        Registered coders who all code the sample (usually two: the main coder and a second).
    fraction : float
        The share of documents (or segments) to draw, 0 < fraction <= 1; each stratum gives at
        least one.
    seed : int
        For a sample that is the same every time.
    stratify : {"site", "document", None}
        Draw within each site (or, for segments, each document) so that every one is in the
        sample.
    unit : {"document", "segment"}
        Sample whole documents, or segments (for example survey responses in one table).
    documents : list of str, optional
        Draw from these documents only (default: all).

    Returns
    -------
    pandas.DataFrame
        What was drawn: ``document_id``, ``segment_id`` (empty for whole documents), ``stratum``.
    """
    import numpy as np
    import pandas as pd

    if not 0 < float(fraction) <= 1:
        raise ValueError("fraction must be more than 0 and at most 1")
    if unit not in ("document", "segment"):
        raise ValueError("unit must be 'document' or 'segment'")
    if stratify not in ("site", "document", None):
        raise ValueError("stratify must be 'site', 'document' or None")
    coders = _as_list(coders)
    if len(coders) < 2:
        raise CodingError("a double-coding sample needs two or more coders.")
    if unit == "document":
        pool = proj.documents[["document_id", "site"]].rename(columns={"site": "stratum"})
        pool["segment_id"] = None
        if stratify == "document":
            raise ValueError("stratify='document' needs unit='segment'")
    else:
        pool = proj.segments[["document_id", "segment_id", "site"]].rename(columns={"site": "stratum"})
        if stratify == "document":
            pool["stratum"] = pool["document_id"]
    if documents is not None:
        with proj._engine.connect() as conn:
            _check_ids(conn, _as_list(documents), [])   # an unknown id is named, not drawn from as nothing
        pool = pool[pool["document_id"].isin(_as_list(documents))]
    if stratify is None:
        pool["stratum"] = "all"
    pool["stratum"] = pool["stratum"].fillna("(no site)")
    rng = np.random.default_rng(seed)
    picked = []
    for _, group in pool.sort_values("stratum", kind="stable").groupby("stratum", sort=True):  # project order
        n = max(1, int(float(fraction) * len(group) + 0.5))
        picked.append(group.iloc[np.sort(rng.choice(len(group), size=n, replace=False))])
    sample = (pd.concat(picked) if picked else pool.iloc[0:0])[["document_id", "segment_id", "stratum"]]
    for coder in coders:
        if unit == "document":
            assign(proj, coder, list(sample["document_id"]), round=round, by=by)
        else:
            assign(proj, coder, segments=list(sample["segment_id"]), round=round, by=by)
    return sample.reset_index(drop=True)


def mark_done(proj, coder: str, documents=None, *, round: str | None = None, by: str | None = None) -> int:
    """Mark a coder's assignments in these documents done (all their assignments in open rounds
    by default).

    "Done" means: read it all; what applies is coded (which may be nothing). The codebook
    version they had is kept, so a code added later is missing for them, not "not applied".
    Returns how many assignments were marked.

    Raises
    ------
    CodingError
        If the coder has no assignment there (nothing to mark), or the round is closed.
    """
    from sqlalchemy import select

    from ..store import schema
    from ..store.schema import now

    a = schema.assignments
    documents = _as_list(documents)
    with proj._write() as conn:
        coder = proj._require_coder(conn, coder)
        query = select(a.c.id, a.c.round, a.c.document_id).where(a.c.coder == coder, a.c.done_at.is_(None))
        if round is not None:
            query = query.where(a.c.round == round)
        else:   # work left in a closed round is not theirs to finish any more
            r = schema.rounds
            query = query.where(a.c.round.in_(select(r.c.name).where(r.c.status == "open")))
        if documents:
            query = query.where(a.c.document_id.in_(documents))
        rows = conn.execute(query).all()
        if not rows:
            where = f" in {', '.join(documents)}" if documents else ""
            raise CodingError(f"{coder!r} has no open assignment{where} to mark done.",
                              hint="See proj.assignments; assign work with proj.assign(...).")
        r = schema.rounds
        closed = set(conn.execute(select(r.c.name).where(r.c.name.in_({x[1] for x in rows}),
                                                          r.c.status == "closed")).scalars())
        if closed:
            raise CodingError(f"round {sorted(closed)[0]!r} is closed; its assignments cannot change.")
        version = int(proj._meta_get(conn, "codebook_version") or 0)
        conn.execute(a.update().where(a.c.id.in_([r[0] for r in rows])).values(done_at=now(), done_version=version))
        proj._audit(conn, "done", by=by or coder, detail={"coder": coder, "documents": sorted({r[2] for r in rows}),
                                                          "rounds": sorted({r[1] for r in rows})})
    return len(rows)


def assignments_frame(proj, round: str | None = None):
    """One row per assignment: ``round``, ``coder``, ``document_id``, ``segment_id`` (empty for a
    whole document), ``assigned_at``, ``assigned_by``, ``done_at``, ``done_version`` (the codebook
    version the coder had), ``status`` (``done`` or ``to do``)."""
    import pandas as pd
    from sqlalchemy import select

    from ..store import schema

    a = schema.assignments
    query = select(a.c.round, a.c.coder, a.c.document_id, a.c.segment_id, a.c.assigned_at, a.c.assigned_by,
                   a.c.done_at, a.c.done_version).order_by(a.c.id)
    if round is not None:
        query = query.where(a.c.round == round)
    frame = pd.DataFrame(proj._read_rows(query), columns=ASSIGNMENT_COLUMNS[:-1])
    frame["status"] = frame["done_at"].map(lambda v: "to do" if v is None or v != v else "done")
    return frame
