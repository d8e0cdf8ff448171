"""Coding sheets (Excel) and tidy codings tables (CSV), in and out.

Many coders in a co-evaluation never open Python. A coding sheet gives each of them an Excel
workbook with one row per segment, drop-downs restricted to the codebook, the codebook's
definitions on a second sheet, and the id and text columns locked. Reading it back checks
every row (an edited id or text, or a code that is not in the codebook, is an error naming
the row) and is idempotent: importing the same sheet twice adds nothing twice.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CoevalError, NotFoundError, SheetError
from .model import ORIGINS

__all__ = ["export_sheet", "import_sheet", "export_codings", "import_codings", "import_codings_into",
           "SheetImport"]

CODING_SHEET = "Coding"
CODEBOOK_SHEET = "Codebook"
ABOUT_SHEET = "About"
_FIXED = ["segment_id", "document_id", "site", "speaker", "role", "text"]
_MAX_ERRORS = 15


@dataclass
class SheetImport:
    """What importing a sheet or codings table did."""

    coder: str | None = None
    added: int = 0
    removed: int = 0
    unchanged: int = 0
    rows: int = 0
    errors: list = field(default_factory=list)

    def __repr__(self) -> str:
        return (f"SheetImport(coder={self.coder!r}, rows={self.rows}, added={self.added}, "
                f"removed={self.removed}, unchanged={self.unchanged})")


def _norm(text) -> str:
    text = "" if text is None else str(text)
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def export_sheet(proj, path, *, coder: str, documents=None, role: str | None = None, max_codes: int = 3) -> Path:
    """Write an Excel coding sheet for one coder.

    Parameters
    ----------
    proj : Project
    path : path-like
        The ``.xlsx`` to write.
    coder : str
        Whose sheet it is (registered now if ``role`` is given).
    documents : list of str, optional
        Document ids to include (default: all).
    max_codes : int
        Code columns per row (more are added if the coder already has more on a segment).

    Returns
    -------
    pathlib.Path

    Notes
    -----
    One row per segment: ``segment_id``, ``document_id``, ``site``, ``speaker``, ``role``,
    ``text`` (locked), then ``code 1`` ... ``code N`` (drop-downs of the codebook's names) and
    ``memo``. The coder's existing codings of whole segments are filled in. The ``Codebook``
    sheet lists each code with its path, definition, include/exclude rules and example; the
    ``About`` sheet records the coder, role, project and codebook version.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from . import __version__

    cb = proj.codebook
    if len(cb) == 0:
        raise SheetError("the project has no codebook, so the sheet would have nothing to choose from.",
                         hint="Set one first: proj.codebook = ce.Codebook.template('coeval').")
    if role is not None:
        proj.add_coder(coder, role)
    coders = proj.coders
    if coder not in set(coders["coder"]):
        raise SheetError(f"{coder!r} is not a registered coder.",
                         hint=f"Register them: proj.add_coder({coder!r}, role='peer_researcher'), or pass role=.")
    coder_role = coders.set_index("coder").loc[coder, "role"]
    segs = proj.segments
    if documents is not None:
        wanted = [documents] if isinstance(documents, str) else list(documents)
        missing = sorted(set(wanted) - set(segs["document_id"]))
        if missing:
            raise NotFoundError(f"no document {missing[0]!r} in the project.")
        segs = segs[segs["document_id"].isin(wanted)]
    existing: dict[str, list[tuple[str, str]]] = {}
    codings = proj.codings
    if len(codings):
        mine = codings[(codings["coder"] == coder) & codings["origin"].isin(["human", "accepted"])]
        spans = {(r.document_id, r.start, r.end): r.segment_id for r in segs.itertuples()}
        for r in mine.itertuples():
            seg = spans.get((r.document_id, r.start, r.end))
            if seg is not None:
                existing.setdefault(seg, []).append((r.code, r.memo))
    n_codes = max([max_codes] + [len(v) for v in existing.values()])

    wb = Workbook()
    ws = wb.active
    ws.title = CODING_SHEET
    headers = _FIXED + [f"code {i}" for i in range(1, n_codes + 1)] + ["memo"]
    ws.append(headers)
    for r in segs.itertuples():
        given = existing.get(r.segment_id, [])
        memo = next((m for _, m in given if m), "")
        codes = [c for c, _ in given] + [""] * (n_codes - len(given))
        ws.append([r.segment_id, r.document_id, r.site or "", r.speaker or "", r.role or "", r.text, *codes, memo])
    last = ws.max_row
    bold, grey = Font(bold=True), PatternFill("solid", fgColor="EEEEEE")
    for cell in ws[1]:
        cell.font = bold
        cell.fill = grey
    widths = {"A": 26, "B": 24, "C": 12, "D": 10, "E": 16, "F": 80}
    for col, width in widths.items():
        ws.column_dimensions[col].width = width
    first_code = len(_FIXED) + 1
    for i in range(first_code, first_code + n_codes + 1):
        ws.column_dimensions[get_column_letter(i)].width = 30
    wrap = Alignment(wrap_text=True, vertical="top")
    unlocked = Protection(locked=False)
    for row in ws.iter_rows(min_row=2, max_row=last):
        for cell in row:
            cell.alignment = wrap
        for cell in row[first_code - 1:]:
            cell.protection = unlocked
    ws.freeze_panes = ws.cell(row=2, column=first_code)

    book = wb.create_sheet(CODEBOOK_SHEET)
    frame = cb.to_frame()
    book.append(["name", "path", "polarity", "dimensions", "definition", "include", "exclude", "example"])
    for r in frame.itertuples():
        book.append([r.name, r.path, r.polarity, r.dimensions, r.definition, r.include, r.exclude, r.example])
    for cell in book[1]:
        cell.font = bold
    for col, width in zip("ABCDEFGH", (34, 50, 10, 22, 60, 40, 40, 40)):
        book.column_dimensions[col].width = width
    if last >= 2:
        dv = DataValidation(type="list", formula1=f"={CODEBOOK_SHEET}!$A$2:$A${len(frame) + 1}", allow_blank=True,
                            showErrorMessage=True, errorTitle="Not a code",
                            error="Choose a code from the list (the Codebook sheet has the definitions).")
        dv.add(f"{get_column_letter(first_code)}2:{get_column_letter(first_code + n_codes - 1)}{last}")
        ws.add_data_validation(dv)
    for sheet in (ws, book):
        sheet.protection.sheet = True
        sheet.protection.formatColumns = False  # coders may still widen columns and rows
        sheet.protection.formatRows = False

    about = wb.create_sheet(ABOUT_SHEET)
    for key, value in [("coder", coder), ("role", coder_role), ("project", proj._display),
                       ("codebook", cb.name), ("codebook_version", cb.version), ("codebook_hash", cb.content_hash),
                       ("exported_with", f"coeval {__version__}"),
                       ("how to", "Choose up to one code per 'code' cell from the drop-down; add a memo if "
                                  "you like. Do not change the ids or the text: they are checked on import.")]:
        about.append([key, value])
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 90
    path = Path(path)
    wb.save(path)
    return path


def import_sheet(proj, path, *, remove_missing: bool = True) -> SheetImport:
    """Read a coding sheet back as its coder's codings.

    The sheet stands for the coder's whole-segment codings of the segments it lists: codes
    new in the sheet are added; with ``remove_missing`` (the default), codes the coder took
    out are removed. Importing the same sheet again changes nothing.

    Raises
    ------
    SheetError
        Naming each bad row: an id that is not in the project, an edited text, an unknown code
        (with the closest codebook names). Nothing is imported if any row is bad.
    """
    from openpyxl import load_workbook

    path = Path(path)
    try:
        wb = load_workbook(path, data_only=True)
    except FileNotFoundError:
        raise SheetError("does not exist.", path=path) from None
    except Exception as exc:  # openpyxl raises many kinds for files that are not workbooks
        raise SheetError(f"is not a readable .xlsx workbook ({type(exc).__name__}).", path=path,
                         hint="Save it from Excel as .xlsx (Excel Workbook).") from None
    for name in (CODING_SHEET, ABOUT_SHEET):
        if name not in wb.sheetnames:
            raise SheetError(f"has no {name!r} sheet: it is not a coeval coding sheet.", path=path,
                             hint="Export a sheet with proj.export_sheet(...) or 'coeval sheet export'.")
    about = {str(r[0]).strip(): r[1] for r in wb[ABOUT_SHEET].iter_rows(values_only=True) if r and r[0]}
    coder = str(about.get("coder") or "").strip()
    if not coder:
        raise SheetError("does not say whose sheet it is (the About sheet has no coder).", path=path)
    ws = wb[CODING_SHEET]
    rows = list(ws.iter_rows(values_only=True))
    header = [str(h or "").strip().lower() for h in rows[0]] if rows else []
    for needed in ("segment_id", "text"):
        if needed not in header:
            raise SheetError(f"the Coding sheet has no {needed!r} column.", path=path, line=1,
                             hint="Do not rename or delete the sheet's columns.")
    code_cols = [i for i, h in enumerate(header) if h.startswith("code")]
    memo_col = header.index("memo") if "memo" in header else None
    seg_col, text_col = header.index("segment_id"), header.index("text")

    segs = proj.segments.set_index("segment_id")
    cb = proj.codebook
    result = SheetImport(coder=coder)
    plan: list[tuple[str, list[str], str]] = []
    for lineno, row in enumerate(rows[1:], start=2):
        if row is None or all(v in (None, "") for v in row):
            continue
        seg_id = str(row[seg_col] or "").strip()
        if seg_id not in segs.index:
            result.errors.append((lineno, f"segment id {seg_id!r} is not in the project (was it edited?)."))
            continue
        if _norm(row[text_col]) != _norm(segs.at[seg_id, "text"]):
            result.errors.append((lineno, f"the text of segment {seg_id!r} was edited."))
            continue
        names = []
        for i in code_cols:
            value = row[i] if i < len(row) else None
            if value in (None, ""):
                continue
            code = cb._find(str(value).strip())
            if code is None:
                result.errors.append((lineno, f"unknown code {str(value).strip()!r}. {cb.suggestion(str(value))}"))
                continue
            names.append(code.id)
        memo = str(row[memo_col] or "").strip() if memo_col is not None and memo_col < len(row) else ""
        plan.append((seg_id, names, memo))
    if result.errors:
        _raise_row_errors(result.errors, path, what="coding sheet")
    with proj._write() as conn:
        role = about.get("role")
        proj._coder_role(conn, coder, str(role) if role else "academic")
        _sync_segments(proj, conn, plan, coder=coder, remove_missing=remove_missing, result=result)
    result.rows = len(plan)
    return result


def _raise_row_errors(errors, path, *, what: str) -> None:
    shown = "; ".join(f"row {line}: {msg}" for line, msg in errors[:_MAX_ERRORS])
    more = f" (and {len(errors) - _MAX_ERRORS} more)" if len(errors) > _MAX_ERRORS else ""
    raise SheetError(f"this {what} has {len(errors)} problem{'s' if len(errors) > 1 else ''}, so nothing was "
                     f"imported: {shown}{more}.", path=path, line=errors[0][0],
                     hint="Fix those rows (or export a fresh sheet) and import again.")


def _sync_segments(proj, conn, plan, *, coder: str, remove_missing: bool, result: SheetImport) -> None:
    from sqlalchemy import select

    from . import schema

    c = schema.codings
    s = schema.segments
    for seg_id, code_ids, memo in plan:
        doc, start, end = conn.execute(select(s.c.document_id, s.c.start, s.c.end).where(s.c.id == seg_id)).first()
        have = {r["code_id"]: r for r in conn.execute(select(c).where(
            c.c.document_id == doc, c.c.start == start, c.c.end == end, c.c.coder == coder,
            c.c.origin.in_(["human", "accepted"]))).mappings()}
        for code_id in dict.fromkeys(code_ids):
            if code_id in have:
                result.unchanged += 1
                if memo and have[code_id]["memo"] != memo:
                    conn.execute(c.update().where(c.c.id == have[code_id]["id"]).values(memo=memo))
                    proj._audit(conn, "memo", by=coder, coding_id=have[code_id]["id"], row=have[code_id],
                                detail={"memo": memo})
                continue
            proj._code(conn, (doc, start, end), code_id, coder=coder, memo=memo)
            result.added += 1
        if remove_missing:
            for code_id, r in have.items():
                if code_id not in code_ids:
                    conn.execute(c.delete().where(c.c.id == r["id"]))
                    proj._audit(conn, "uncode", by=coder, coding_id=r["id"], row=r, detail={"via": "sheet"})
                    result.removed += 1


# -- tidy codings tables ----------------------------------------------------------------------------------
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
    if path is not None:
        frame.to_csv(path, index=False)
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


def import_codings_into(proj, conn, source) -> int:
    """:func:`import_codings` inside a transaction the caller holds."""
    import pandas as pd
    from sqlalchemy import select

    from . import schema

    path = None
    if isinstance(source, pd.DataFrame):
        frame = source.copy()
    else:
        path = Path(source)
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        except FileNotFoundError:
            raise SheetError("does not exist.", path=path) from None
        except (pd.errors.ParserError, UnicodeDecodeError) as exc:
            raise SheetError(f"is not a readable CSV ({exc}).", path=path) from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
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
    roles = {r[0]: r[1] for r in conn.execute(select(schema.coders.c.name, schema.coders.c.role))}
    for lineno, row in enumerate(frame.to_dict("records"), start=2):
        row = {k: ("" if v is None or (isinstance(v, float) and v != v) else str(v).strip()) for k, v in row.items()}
        if not any(row.values()):
            continue
        try:
            if row.get("segment_id"):
                if row["segment_id"] not in segs:
                    raise SheetError(f"segment id {row['segment_id']!r} is not in the project.")
                doc, start, end = segs[row["segment_id"]]
            else:
                doc, start, end = row.get("document_id", ""), int(float(row["start"])), int(float(row["end"]))
                if doc not in texts:
                    raise SheetError(f"document {doc!r} is not in the project.")
                if not 0 <= start < end <= len(texts[doc]):
                    raise SheetError(f"span [{start}, {end}) is outside document {doc!r}.")
            span = texts[doc][start:end]
            if row.get("quote") and not _norm(span).startswith(_norm(row["quote"])):
                raise SheetError(f"the quote {row['quote'][:40]!r} does not start the text at that place "
                                 f"({_norm(span)[:40]!r}).")
            if row.get("text") and _norm(row["text"]) != _norm(span):
                raise SheetError("the text does not match the project's text at that place.")
            key = row["code"].casefold()
            if key not in code_ids:
                code_ids[key] = proj._code_id(conn, row["code"])
            code_id = code_ids[key]
            if not row["coder"]:
                raise SheetError("has no coder.")
            if row.get("origin") and row["origin"] not in ORIGINS:
                raise SheetError(f"unknown origin {row['origin']!r} (use one of: {', '.join(ORIGINS)}).")
            if row["coder"] not in roles:
                if not row.get("role"):
                    raise SheetError(f"{row['coder']!r} is not a registered coder and the row gives no role.")
                roles[row["coder"]] = None  # registered below, with the first role given
        except (CoevalError, ValueError) as exc:
            errors.append((lineno, exc.message if isinstance(exc, CoevalError) else f"bad offsets ({exc})."))
            continue
        plan.append((doc, start, end, code_id, row))
    if errors:
        _raise_row_errors(errors, path or "codings table", what="codings table")
    from .coding import coding_id
    from .project import _bulk_insert
    from .schema import now

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
    _bulk_insert(conn, schema.codings, ["id", "document_id", "start", "end", "code_id", "coder", "created_at",
                                        "memo", "origin"], codings)
    _bulk_insert(conn, schema.audit_log, ["at", "action", "by", "coding_id", "document_id", "start", "end",
                                          "code_id", "coder", "origin", "detail"], audit)
    return len(codings)
