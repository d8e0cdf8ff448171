"""Coding sheets (Excel), in and out.

Many coders in a co-evaluation never open Python. A coding sheet gives each of them an Excel
workbook with one row per segment, drop-downs restricted to the codebook, the codebook's
definitions on a second sheet, and the id and text columns locked. Reading it back checks
every row (an edited id or text, or a code that is not in the codebook, is an error naming
the row) and is idempotent: importing the same sheet twice adds nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import NotFoundError, SheetError
from ..files.spreadsheets import literal_cells, written_whole
from ..store.codings_table import normalise_cell, raise_row_errors

__all__ = ["export_sheet", "import_sheet", "SheetImport"]

CODING_SHEET = "Coding"
CODEBOOK_SHEET = "Codebook"
ABOUT_SHEET = "About"
_FIXED = ["segment_id", "document_id", "site", "speaker", "role", "text"]


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

    from .. import __version__

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
    literal_cells(wb)
    with written_whole(path) as tmp:
        wb.save(tmp)
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

    from ..files.archives import check_office_file

    path = Path(path)
    check_office_file(path, "coding sheet")
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
        if normalise_cell(row[text_col]) != normalise_cell(segs.at[seg_id, "text"]):
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
        raise_row_errors(result.errors, path, what="coding sheet")
    with proj._write() as conn:
        role = about.get("role")
        proj._coder_role(conn, coder, str(role) if role else "academic")
        _sync_segments(proj, conn, plan, coder=coder, remove_missing=remove_missing, result=result)
    result.rows = len(plan)
    return result


def _sync_segments(proj, conn, plan, *, coder: str, remove_missing: bool, result: SheetImport) -> None:
    from sqlalchemy import select

    from ..store import schema

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
