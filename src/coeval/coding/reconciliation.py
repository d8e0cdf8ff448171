"""Reconciliation: the team's decisions on a round's disagreements become consensus codings.

After the independent round, the team meets over the disagreements workbook
(:func:`coeval.agreement.export_disagreements`) and writes a decision on each row: ``keep``
the code, ``drop`` it, ``change`` it to another code, or ``both`` (keep it and add another).
Reading the workbook back writes *consensus* codings (origin ``consensus``, coder
``consensus``) on every unit of the round: the codes all present coders applied, and the
decisions. The coders' own codings are never edited, so the round's agreement stays what it
was, and the audit log credits the meeting (who chaired it, who attended, which workbook).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CodingError, SheetError
from ..store.codings_table import insert_codings, normalise_cell, raise_row_errors
from .presence import resolve_round, round_units

__all__ = ["reconcile", "reconcile_decisions", "Reconciliation", "DECISIONS", "DECISION_COLUMNS", "CONSENSUS_CODER",
           "SHEET"]

SHEET = "Disagreements"
DECISIONS = ("keep", "drop", "change", "both")
DECISION_COLUMNS = ["decision", "other_code", "notes"]
CONSENSUS_CODER = "consensus"
_SYNONYMS = {"change to": "change", "change to another code": "change", "keep it": "keep", "drop it": "drop",
             "remove": "drop", "both apply": "both", "yes": "keep", "no": "drop"}


@dataclass
class Reconciliation:
    """What a reconciliation wrote."""

    round: str | None = None
    segments: int = 0                 # units of the round now reconciled
    agreed: int = 0                   # consensus codings where every present coder agreed
    decided: int = 0                  # consensus codings from the meeting's decisions
    dropped: int = 0                  # rows decided "drop"
    undecided: list = field(default_factory=list)   # (segment_id, code) left without a decision

    def __repr__(self) -> str:
        return (f"Reconciliation(round={self.round!r}, segments={self.segments}, agreed={self.agreed}, "
                f"decided={self.decided}, dropped={self.dropped}, undecided={len(self.undecided)})")


def _rows(path: Path) -> list:
    """The decision table's rows (header first), from the workbook or from a CSV with its columns."""
    if path.suffix.lower() == ".csv":
        import csv
        import io

        from ..files.textio import decode_bytes, normalise_text

        try:
            data = path.read_bytes()
        except OSError:
            raise SheetError("does not exist (or cannot be read).", path=path) from None
        return list(csv.reader(io.StringIO(normalise_text(decode_bytes(data, path=path)))))
    from openpyxl import load_workbook

    from ..files.archives import check_office_file

    check_office_file(path, "reconciliation workbook")
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise SheetError("does not exist.", path=path) from None
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException...
        raise SheetError(f"is not a readable .xlsx workbook ({type(exc).__name__}).", path=path,
                         hint="Give the workbook written by export_disagreements (coeval agreement "
                              "--disagreements), filled in and saved as .xlsx.") from None
    if SHEET not in wb.sheetnames:
        raise SheetError(f"has no sheet {SHEET!r}.", path=path,
                         hint="Give the workbook written by export_disagreements, with its sheet names kept.")
    rows = list(wb[SHEET].iter_rows(values_only=True))
    wb.close()
    return rows


def _read_decisions(proj, path: Path, code_names: dict) -> tuple[dict, dict]:
    """``{(segment_id, code name): (decision, other code name or None, notes, row)}`` from the
    workbook, and the meeting (``decided_by``, ``attendees``) where the table records it."""
    rows = _rows(path)
    header = [normalise_cell(h).lower() for h in (rows[0] if rows else [])]
    for needed in ("segment_id", "code", "decision"):
        if needed not in header:
            raise SheetError(f"has no {needed!r} column.", path=path, line=1,
                             hint="Keep the workbook's columns as written; fill in 'decision' and 'notes'.")
    col = {name: header.index(name) for name in header if name}
    segs = set(proj.segments["segment_id"])
    errors, out = [], {}
    for lineno, raw in enumerate(rows[1:], start=2):
        def cell(name, raw=raw):
            i = col.get(name)
            return normalise_cell(raw[i]) if i is not None and i < len(raw) else ""
        if not any(normalise_cell(v) for v in raw):
            continue
        seg, code, decision = cell("segment_id"), cell("code"), cell("decision").lower()
        decision = _SYNONYMS.get(decision, decision)
        other = cell("other_code")
        try:
            if seg not in segs:
                raise SheetError(f"segment id {seg!r} is not in the project (was the id column edited?).")
            if code.casefold() not in code_names:
                raise SheetError(f"code {code!r} is not in the codebook.")
            if decision and decision not in DECISIONS:
                raise SheetError(f"decision {decision!r} is not one of: {', '.join(DECISIONS)}.")
            if decision in ("change", "both"):
                if not other:
                    raise SheetError(f"decision {decision!r} needs the other code in 'other_code'.")
                if other.casefold() not in code_names:
                    raise SheetError(f"other code {other!r} is not in the codebook.")
            elif other and decision:
                raise SheetError(f"'other_code' is filled in but the decision is {decision!r}; use 'change' or "
                                 "'both', or clear it.")
        except SheetError as exc:
            errors.append((lineno, exc.message))
            continue
        key = (seg, code_names[code.casefold()])
        if key in out and out[key][0] != decision:
            errors.append((lineno, f"segment {seg!r} and code {code!r} have two different decisions "
                                   f"(also on row {out[key][3]})."))
            continue
        out[key] = (decision or None, code_names[other.casefold()] if other else None, cell("notes"), lineno)
    if errors:
        raise_row_errors(errors, path, what="reconciliation workbook")
    meeting = {}
    for name in ("decided_by", "attendees"):
        i = col.get(name)
        values = {normalise_cell(raw[i]) for raw in rows[1:] if i is not None and i < len(raw)} - {""}
        if len(values) > 1:
            raise SheetError(f"names more than one {name!r} ({', '.join(sorted(values))}); one meeting per file.",
                             path=path)
        if values:
            meeting[name] = values.pop()
    return out, meeting


def reconcile(proj, path, *, by: str | None = None, attendees=(), round: str | None = None, partial: bool = False):
    """Read a filled-in disagreements workbook and write the consensus codings of a round.

    Parameters
    ----------
    proj : Project
    path : path-like
        The workbook from :func:`coeval.agreement.export_disagreements`, with ``decision``
        (keep, drop, change, both), ``other_code`` (for change and both) and ``notes`` filled in;
        or a CSV with those columns and ``segment_id`` and ``code``.
    by : str
        Who chaired the meeting (recorded in the audit log as the decider); default: the table's
        ``decided_by`` column.
    attendees : list of str
        Who took part; default: the table's ``attendees`` column (``;``-separated).
    round : str, optional
        The round reconciled (default: the latest with assignments; without assignments, the
        documents two or more coders coded).
    partial : bool
        Allow disagreements without a decision: their segments are left unreconciled (they keep
        counting every coder's codings). By default every disagreement needs a decision.

    Returns
    -------
    Reconciliation

    Raises
    ------
    SheetError
        Naming each bad row (unknown segment or code, a decision not in the list, a change with
        no other code); and, unless ``partial``, the disagreements with no decision.
    """
    path = Path(path)
    code_names = {c.name.casefold(): c.name for c in proj.codebook.ordered()}
    decisions, meeting = _read_decisions(proj, path, code_names)
    by = by or meeting.get("decided_by")
    if not str(by or "").strip():
        raise CodingError("a reconciliation needs by='...': who chaired the meeting.", path=path,
                          hint="Pass by= (--by), or fill in a 'decided_by' column.")
    if not attendees and meeting.get("attendees"):
        attendees = [a.strip() for a in meeting["attendees"].split(";") if a.strip()]
    return reconcile_decisions(proj, decisions, by=by, attendees=attendees, round=round, partial=partial,
                               source=path.name, path=path)


def reconcile_decisions(proj, decisions: dict, *, by: str, attendees=(), round: str | None = None,
                        partial: bool = False, source: str = "workspace", segments=None, path=None):
    """Write consensus codings from decisions already read: the rules of :func:`reconcile`.

    Parameters
    ----------
    decisions : dict
        ``{(segment_id, code name): (decision, other code name or None, notes, where)}``, the
        decision one of :data:`DECISIONS` or None (undecided); ``where`` names the row or page.
    by : str
        Who decided (the meeting's chair).
    source : str
        Where the decisions came from (the workbook's file name, or ``"workspace"``), for the audit log.
    segments : iterable of str, optional
        Reconcile only these segments of the round (the workspace decides one segment at a time).
    path : path-like, optional
        The file, for error messages.
    """
    from sqlalchemy import select

    from ..store import schema
    from ..store.codings import coding_id
    from ..store.schema import now

    resolved = resolve_round(proj, round)
    units = round_units(proj, resolved)
    if segments is not None:
        wanted_segments = set(segments)
        units = {seg_id: unit for seg_id, unit in units.items() if seg_id in wanted_segments}
    result = Reconciliation(round=resolved[0])
    plan, reconciled = [], []
    decided_codes: dict = {}   # segment -> codes with a decision, looked up once per segment
    for s, code in decisions:
        decided_codes.setdefault(s, set()).add(code)
    for seg_id, unit in units.items():
        doc, start, end, applied = unit.document_id, unit.start, unit.end, unit.applied
        codes = sorted({code for codes in applied.values() for code in codes} | decided_codes.get(seg_id, set()))
        wanted, open_here = {}, []

        def want(code, how, notes, wanted=wanted):
            # one consensus coding per code: two decisions may land on the same code
            old_how, old_notes = wanted.get(code, (how, ""))
            wanted[code] = (old_how if old_how != "agreed" else how,
                            "; ".join(n for n in dict.fromkeys((old_notes, notes)) if n))

        for code in codes:
            knowing = [c for c in unit.present if unit.knows(c, code)]
            users = [c for c in knowing if code in applied.get(c, ())]
            decision = decisions.get((seg_id, code))
            if decision is None:
                if users and len(users) == len(knowing):
                    want(code, "agreed", "")
                elif users:
                    open_here.append((seg_id, code))
                continue
            verdict, other, notes, _ = decision
            if verdict is None:
                open_here.append((seg_id, code))
            elif verdict == "keep":
                want(code, "keep", notes)
            elif verdict == "change":
                want(other, "change", notes)
            elif verdict == "both":
                want(code, "both", notes)
                want(other, "both", notes)
            else:
                result.dropped += 1
        if open_here:
            result.undecided += open_here
            continue
        reconciled.append((seg_id, doc))
        for code, (how, notes) in sorted(wanted.items()):
            plan.append((seg_id, doc, start, end, code, how, notes))
    if result.undecided and not partial:
        shown = "; ".join(f"{s} / {c}" for s, c in result.undecided[:10])
        more = f" (and {len(result.undecided) - 10} more)" if len(result.undecided) > 10 else ""
        raise SheetError(f"{len(result.undecided)} disagreement(s) have no decision, so nothing was written: "
                         f"{shown}{more}.", path=path,
                         hint="Write a decision (keep, drop, change, both) on every row, or pass partial=True "
                              "(--partial) to reconcile the rest now.")
    stamp = now()
    detail_base = {"round": result.round, "workbook": source, "by": by, "attendees": list(attendees)}
    with proj._write() as conn:
        if conn.execute(select(schema.coders.c.name).where(schema.coders.c.name == CONSENSUS_CODER)).scalar() is None:
            conn.execute(schema.coders.insert().values(name=CONSENSUS_CODER, role=CONSENSUS_CODER,
                                                       created_at=stamp, status="team"))
        c = schema.codings
        code_id_of = proj._code_resolver(conn)
        ids = {name: code_id_of(name) for name in {p[4] for p in plan}}
        # set-wise, in a few statements each run once with many rows: the consensus codings these
        # segments had before go, their reconciled marks are renewed, the new codings come in
        spans = {(doc, units[seg_id].start, units[seg_id].end) for seg_id, doc in reconciled}
        documents = sorted({doc for _seg, doc in reconciled})
        old = [cid for k in range(0, len(documents), 500) for cid, doc, start, end in conn.execute(
            select(c.c.id, c.c.document_id, c.c.start, c.c.end).where(
                c.c.coder == CONSENSUS_CODER, c.c.document_id.in_(documents[k:k + 500]))) if (doc, start, end) in spans]
        seg_ids = [seg_id for seg_id, _doc in reconciled]
        for k in range(0, len(old), 500):
            conn.execute(c.delete().where(c.c.id.in_(old[k:k + 500])))
        for k in range(0, len(seg_ids), 500):
            conn.execute(schema.reconciled.delete().where(schema.reconciled.c.segment_id.in_(seg_ids[k:k + 500])))
        if reconciled:
            conn.execute(schema.reconciled.insert(), [
                {"segment_id": seg_id, "document_id": doc, "round": result.round, "at": stamp, "by": by,
                 "source": source} for seg_id, doc in reconciled])
        # the codings and their audit rows each in one statement, as an import writes them
        codings, audit = [], []
        for _seg, doc, start, end, code, how, notes in plan:
            cid = coding_id(doc, start, end, ids[code], CONSENSUS_CODER)
            codings.append((cid, doc, start, end, ids[code], CONSENSUS_CODER, stamp, notes, "consensus"))
            detail = {**detail_base, "decision": how, **({"notes": notes} if notes else {})}
            audit.append((stamp, "consensus", by, cid, doc, start, end, ids[code], CONSENSUS_CODER, "consensus",
                          json.dumps(detail, ensure_ascii=False)))
            if how == "agreed":
                result.agreed += 1
            else:
                result.decided += 1
        insert_codings(conn, codings, audit)
        proj._audit(conn, "reconcile", by=by, at=stamp,
                    detail={**detail_base, "segments": len(reconciled), "undecided": len(result.undecided)})
    result.segments = len(reconciled)
    return result
