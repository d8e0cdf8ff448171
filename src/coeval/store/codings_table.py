"""Tidy codings tables (CSV or DataFrame), in and out of the store.

One row per coding: who applied which code to which span. Reading checks every row (a
segment or document not in the project, a span outside its document, a quote that does not
match, an unknown code or coder) and names the row; nothing is imported if any row is bad.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from ..errors import CoevalError, SheetError
from ..files.spreadsheets import csv_escape, csv_unescape, written_whole
from ..model import ORIGINS
from .codings import coding_id
from .database import bulk_insert
from .schema import now

__all__ = ["export_codings", "import_codings", "import_codings_into", "read_table", "raise_row_errors",
           "normalise_cell"]

_MAX_ERRORS = 15


def normalise_cell(text) -> str:
    text = "" if text is None else str(text)
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def raise_row_errors(errors, path, *, what: str) -> None:
    shown = "; ".join(f"row {line}: {msg}" for line, msg in errors[:_MAX_ERRORS])
    more = f" (and {len(errors) - _MAX_ERRORS} more)" if len(errors) > _MAX_ERRORS else ""
    raise SheetError(f"this {what} has {len(errors)} problem{'s' if len(errors) > 1 else ''}, so nothing was "
                     f"imported: {shown}{more}.", path=path, line=errors[0][0],
                     hint="Fix those rows (or export a fresh sheet) and import again.")


def export_codings(proj, path=None, *, origin=None):
    """The codings as a tidy table (CSV if ``path`` is given; the DataFrame is returned).

    Columns: ``document_id``, ``segment_id``, ``start``, ``end``, ``code``, ``coder``, ``role``,
    ``origin``, ``memo``, ``created_at``, ``text``. ``origin`` filters (e.g. ``["human", "accepted"]``).
    """
    frame = proj.codings
    if origin is not None:
        frame = frame[frame["origin"].isin([origin] if isinstance(origin, str) else list(origin))]
    frame = frame[["document_id", "segment_id", "start", "end", "code", "coder", "role", "origin", "memo",
                   "created_at", "text"]].reset_index(drop=True)
    if path is not None:  # text that starts like a formula gets an apostrophe (read back unchanged)
        with written_whole(path) as tmp:
            frame.map(csv_escape).to_csv(tmp, index=False)
    return frame


def import_codings(proj, source) -> int:
    """Read codings from a tidy CSV (or DataFrame) in one transaction; returns how many were new.

    Columns: ``coder`` and ``code`` (name or id), and either ``segment_id`` or ``document_id``
    with ``start`` and ``end``; optionally ``role`` (registers unknown coders), ``memo``,
    ``origin``, ``created_at``, and ``quote`` or ``text`` to check the span (``quote`` must
    start the span's text, ``text`` must equal it). Rows already in the project are skipped.

    Raises
    ------
    SheetError
        Naming each bad row; nothing is imported if any row is bad.
    """
    with proj._write() as conn:
        return import_codings_into(proj, conn, source)


def read_table(source, *, what: str, columns: str):
    """``(path or None, frame)``: a DataFrame as given, or a CSV read as text (apostrophe-escaped
    cells as written, see :func:`~coeval.files.spreadsheets.csv_unescape`), with lower-case
    column names; every way a file can be unreadable is a SheetError naming it."""
    import pandas as pd

    path = None
    if isinstance(source, pd.DataFrame):
        frame = source.copy()
    else:
        path = Path(source)
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False).map(csv_unescape)
        except FileNotFoundError:
            raise SheetError("does not exist.", path=path) from None
        except IsADirectoryError:
            raise SheetError(f"is a folder, not a {what}.", path=path) from None
        except pd.errors.EmptyDataError:
            raise SheetError(f"is empty: a {what} needs a header row ({columns}).", path=path) from None
        except (pd.errors.ParserError, UnicodeDecodeError) as exc:
            raise SheetError(f"is not a readable CSV ({exc}).", path=path) from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    return path, frame


def _cell(value) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value).strip()


def _records(frame) -> list[dict]:
    """The rows of ``frame`` as ``{column: text}``, stripped, a missing value as ``""``.

    A table of text columns with distinct names (a CSV as read) is taken column by column:
    ``to_dict("records")`` boxes its cells one by one, five times slower. Any other frame goes
    through ``to_dict``, whose conversions (and warning on repeated column names) it keeps.
    """
    import pandas as pd

    names = frame.columns.tolist()
    if frame.columns.is_unique and all(isinstance(d, pd.StringDtype) and d.na_value is not pd.NA
                                       for d in frame.dtypes):  # cells are str or NaN
        columns = [[_cell(v) for v in frame.iloc[:, i].tolist()] for i in range(len(names))]
        return [dict(zip(names, cells)) for cells in zip(*columns)]
    return [{k: _cell(v) for k, v in row.items()} for row in frame.to_dict("records")]


CODING_COLUMNS = ["id", "document_id", "start", "end", "code_id", "coder", "created_at", "memo", "origin"]
AUDIT_COLUMNS = ["at", "action", "by", "coding_id", "document_id", "start", "end", "code_id", "coder", "origin",
                 "detail"]


def insert_codings(conn, codings: list[tuple], audit: list[tuple]) -> None:
    """Many codings (tuples in ``CODING_COLUMNS`` order) and their audit rows (``AUDIT_COLUMNS``
    order, the detail already JSON text), one statement each."""
    from . import schema

    bulk_insert(conn, schema.codings, CODING_COLUMNS, codings)
    bulk_insert(conn, schema.audit_log, AUDIT_COLUMNS, audit)


def import_codings_into(proj, conn, source) -> int:
    """:func:`import_codings` inside a transaction the caller holds."""
    from sqlalchemy import select

    from . import schema

    path, frame = read_table(source, what="codings CSV", columns="code, coder, segment_id...")
    for needed in ("code", "coder"):
        if needed not in frame.columns:
            raise SheetError(f"has no {needed!r} column.", path=path, line=1,
                             hint="Columns: document_id, segment_id (or start, end), code, coder, role, memo.")
    if "segment_id" not in frame.columns and not {"document_id", "start", "end"} <= set(frame.columns):
        raise SheetError("needs a segment_id column, or document_id with start and end.", path=path, line=1)
    segs = {r[0]: (r[1], r[2], r[3]) for r in conn.execute(
        select(schema.segments.c.id, schema.segments.c.document_id, schema.segments.c.start, schema.segments.c.end))}
    texts = {r[0]: r[1] for r in conn.execute(select(schema.documents.c.id, schema.documents.c.text))}
    errors, plan = [], []
    code_ids: dict[str, str] = {}
    code_id_of = proj._code_resolver(conn)
    roles = {r[0]: r[1] for r in conn.execute(select(schema.coders.c.name, schema.coders.c.role))}
    for lineno, row in enumerate(_records(frame), start=2):
        if not any(row.values()):
            continue
        try:
            if row.get("segment_id"):
                if row["segment_id"] not in segs:
                    raise SheetError(f"segment id {row['segment_id']!r} is not in the project.")
                doc, start, end = segs[row["segment_id"]]
            else:
                if not (row.get("start") and row.get("end")):
                    raise SheetError("has no segment_id, nor document_id with start and end.")
                doc, start, end = row.get("document_id", ""), int(float(row["start"])), int(float(row["end"]))
                if doc not in texts:
                    raise SheetError(f"document {doc!r} is not in the project.")
                if not 0 <= start < end <= len(texts[doc]):
                    raise SheetError(f"span [{start}, {end}) is outside document {doc!r}.")
            span = texts[doc][start:end]
            if row.get("quote") and not normalise_cell(span).startswith(normalise_cell(row["quote"])):
                raise SheetError(f"the quote {row['quote'][:40]!r} does not start the text at that place "
                                 f"({normalise_cell(span)[:40]!r}).")
            if row.get("text") and normalise_cell(row["text"]) != normalise_cell(span):
                raise SheetError("the text does not match the project's text at that place.")
            key = row["code"].casefold()
            if key not in code_ids:
                code_ids[key] = code_id_of(row["code"])
            code_id = code_ids[key]
            if not row["coder"]:
                raise SheetError("has no coder.")
            if row.get("origin") and row["origin"] not in ORIGINS:
                raise SheetError(f"unknown origin {row['origin']!r} (use one of: {', '.join(ORIGINS)}).")
            if row["coder"] not in roles:
                if not row.get("role"):
                    raise SheetError(f"{row['coder']!r} is not a registered coder and the row gives no role.")
                roles[row["coder"]] = None  # registered below, with the first role given
        except (CoevalError, ValueError, OverflowError) as exc:
            errors.append((lineno, exc.message if isinstance(exc, CoevalError) else f"bad offsets ({exc})."))
            continue
        plan.append((doc, start, end, code_id, row))
    if errors:
        raise_row_errors(errors, path or "codings table", what="codings table")
    stamp = now()
    for coder, role in list(roles.items()):
        if role is None:
            role = next(r.get("role") for *_, r in plan if r["coder"] == coder)
            proj._coder_role(conn, coder, role)
            roles[coder] = role
    existing = set(conn.execute(select(schema.codings.c.id)).scalars())
    codings, audit = [], []
    for doc, start, end, code_id, row in plan:
        cid = coding_id(doc, start, end, code_id, row["coder"])
        if cid in existing:
            continue
        existing.add(cid)
        origin = row.get("origin") or "human"
        codings.append((cid, doc, start, end, code_id, row["coder"], row.get("created_at") or stamp,
                        row.get("memo", ""), origin))
        audit.append((stamp, "code", row["coder"], cid, doc, start, end, code_id, row["coder"], origin,
                      '{"via": "codings table"}'))
    insert_codings(conn, codings, audit)
    return len(codings)
