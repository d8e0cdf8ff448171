"""A team's coding records kept as files: who was assigned what (and finished it), in a CSV.

A folder's manifest may name an ``assignments`` file (and a ``reconciliation`` file, read by
:func:`coeval.coding.reconciliation.reconcile`), so that a project built from the folder has
the team's rounds as well as its codings. Reading checks every row and writes nothing if any
row is bad.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import CoevalError, SheetError
from ..store.codings_table import normalise_cell, raise_row_errors, read_table
from .rounds import DEFAULT_ROUND

__all__ = ["import_assignments", "ASSIGNMENT_FILE_COLUMNS"]

ASSIGNMENT_FILE_COLUMNS = ["round", "coder", "role", "document_id", "segment_id", "done", "assigned_by"]
_YES = {"yes", "y", "true", "1", "done", "x"}
_NO = {"", "no", "n", "false", "0", "to do", "todo"}


def import_assignments(proj, source) -> int:
    """Read assignments from a CSV (or DataFrame) in one transaction; returns how many were new.

    Columns: ``coder`` and ``document_id`` (required); ``round`` (default ``independent``,
    opened if new), ``segment_id`` (for single segments), ``done`` (yes/no: the coder finished
    it), ``role`` (registers an unknown coder), ``assigned_by``. Rows already there are kept;
    a ``done`` row marks a not-yet-done assignment done.

    Raises
    ------
    SheetError
        Naming each bad row (unknown coder, document or segment, a closed round, a ``done``
        value that is not yes or no); nothing is written if any row is bad.
    """
    from sqlalchemy import func, select

    from ..store import schema
    from ..store.schema import now

    path, frame = read_table(source, what="assignments CSV", columns="coder, document_id, done...")
    for needed in ("coder", "document_id"):
        if needed not in frame.columns:
            raise SheetError(f"has no {needed!r} column.", path=path, line=1,
                             hint=f"Columns: {', '.join(ASSIGNMENT_FILE_COLUMNS)}.")
    stamp = now()
    a, r = schema.assignments, schema.rounds
    with proj._write() as conn:
        docs = set(conn.execute(select(schema.documents.c.id)).scalars())
        seg_doc = dict(conn.execute(select(schema.segments.c.id, schema.segments.c.document_id)).all())
        rounds = {x[0]: x[1] for x in conn.execute(select(r.c.name, r.c.status))}
        coders = set(conn.execute(select(schema.coders.c.name)).scalars())
        version = int(proj._meta_get(conn, "codebook_version") or 0)
        errors, plan = [], []
        for lineno, row in enumerate(frame.to_dict("records"), start=2):
            row = {k: normalise_cell(v) for k, v in row.items()}
            if not any(row.values()):
                continue
            try:
                name = row.get("round") or DEFAULT_ROUND
                if rounds.get(name) == "closed":
                    raise SheetError(f"round {name!r} is closed; its assignments cannot change.")
                coder = row["coder"]
                if coder not in coders:
                    if not row.get("role"):
                        proj._require_coder(conn, coder)  # raises, with the closest names
                    coders.add(coder)
                    conn.execute(schema.coders.insert().values(name=coder, role=row["role"], created_at=stamp))
                doc, seg = row["document_id"], row.get("segment_id") or None
                if doc not in docs:
                    raise SheetError(f"document {doc!r} is not in the project.")
                if seg is not None and seg_doc.get(seg) != doc:
                    raise SheetError(f"segment {seg!r} is not a segment of document {doc!r}.")
                done = row.get("done", "").lower()
                if done not in _YES | _NO:
                    raise SheetError(f"'done' is {row.get('done')!r}; write yes or no.")
            except CoevalError as exc:
                errors.append((lineno, exc.message + (f" {exc.hint}" if exc.hint else "")))
                continue
            plan.append((name, coder, doc, seg, done in _YES, row.get("assigned_by") or None))
        if errors:
            raise_row_errors(errors, path or "assignments table", what="assignments table")
        # the rounds' assignments read once, the new ones written in one statement (not two per row)
        names = sorted({p[0] for p in plan} & set(rounds))
        have = {}   # (round, coder, document, segment) -> the stored row's [id, done_at], or the new row
        for k in range(0, len(names), 500):
            for id_, *key, done_at in conn.execute(select(a.c.id, a.c.round, a.c.coder, a.c.document_id,
                                                          a.c.segment_id, a.c.done_at)
                                                   .where(a.c.round.in_(names[k:k + 500])).order_by(a.c.id)):
                have.setdefault(tuple(key), [id_, done_at])
        new = []
        for name, coder, doc, seg, done, by in plan:
            if name not in rounds:
                position = conn.execute(select(func.count()).select_from(r)).scalar()
                conn.execute(r.insert().values(name=name, position=position, blind=1, status="open",
                                               opened_at=stamp, opened_by=by, description=""))
                rounds[name] = "open"
            there = have.get((name, coder, doc, seg))
            if there is None:
                have[name, coder, doc, seg] = row = {
                    "round": name, "coder": coder, "document_id": doc, "segment_id": seg, "assigned_at": stamp,
                    "assigned_by": by, "done_at": stamp if done else None, "done_version": version if done else None}
                new.append(row)
            elif isinstance(there, dict):   # new in this file, and named again
                if done and there["done_at"] is None:
                    there.update(done_at=stamp, done_version=version)
            elif done and there[1] is None:
                conn.execute(a.update().where(a.c.id == there[0]).values(done_at=stamp, done_version=version))
                there[1] = stamp
        if new:
            conn.execute(a.insert(), new)
        added = len(new)
        if plan:
            proj._audit(conn, "assign", by=None, at=stamp,
                        detail={"via": Path(path).name if path else "assignments table", "assignments": added})
    return added
