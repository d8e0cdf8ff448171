"""Survey and feedback tables: CSV and XLSX, one segment per response."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..errors import EmptyDocumentError, FormatError, ParseError
from ..files.textio import decode_bytes, normalise_text, read_bytes
from .build import Parsed, Piece

__all__ = ["read_table", "TEXT_COLUMN_NAMES"]

TEXT_COLUMN_NAMES = ("response", "text", "answer", "comment", "comments", "feedback",
                     "free_text", "verbatim", "quote")


def _frame(path: Path, sheet):
    import pandas as pd

    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from ..files.archives import check_office_file

        check_office_file(path, "spreadsheet")
        try:
            frame = pd.read_excel(path, sheet_name=sheet or 0, dtype=str, engine="openpyxl")
        except ValueError as exc:
            raise ParseError(f"cannot be read as a spreadsheet ({exc}).", path=path,
                             hint="Name an existing sheet, or save the table as .csv.") from None
        except Exception as exc:  # openpyxl raises many kinds for damaged files
            raise FormatError(f"is not a readable .xlsx workbook ({type(exc).__name__}).",
                              path=path, hint="Open it in Excel and save it as .xlsx or .csv.") from None
        return frame.fillna("")
    text = normalise_text(decode_bytes(read_bytes(path), path=path))
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep=None,
                           engine="python")
    except (pd.errors.ParserError, csv.Error) as exc:
        raise ParseError(f"is not a well-formed CSV table ({exc}).", path=path,
                         hint="Check quoting: a response containing commas must be in double quotes.") from None


def read_table(path: Path, *, kind: str, text_column: str | None = None, sheet=None) -> Parsed:
    """Read a survey table: each row's text is a piece, the other columns its metadata.

    The text column is ``text_column`` if given, else the first column named like
    ``response``/``text``/``answer``/``comment``, else the column with the longest texts.

    Raises
    ------
    ParseError
        If the named text column is missing.
    EmptyDocumentError
        If no row has any text.
    """
    frame = _frame(path, sheet)
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.empty:
        raise EmptyDocumentError("has no rows.", path=path)
    lower = {c.lower(): c for c in frame.columns}
    if text_column:
        column = lower.get(text_column.strip().lower())
        if column is None:
            raise ParseError(f"has no column {text_column!r} (columns: {', '.join(frame.columns)}).",
                             path=path, line=1, hint="Name the column that holds the responses.")
    else:
        column = next((lower[n] for n in TEXT_COLUMN_NAMES if n in lower), None)
        if column is None:
            lengths = {c: frame[c].str.len().mean() for c in frame.columns}
            column = max(lengths, key=lengths.get)
    pieces = []
    for i, row in enumerate(frame.to_dict("records"), start=2):
        text = normalise_text(str(row.pop(column))).strip()
        if not text:
            continue
        meta = {k: v.strip() for k, v in row.items() if isinstance(v, str) and v.strip()}
        meta["row"] = i
        pieces.append(Piece(text=text, role=meta.get("role"), site=meta.get("site"), metadata=meta))
    if not pieces:
        raise EmptyDocumentError(f"has no text in column {column!r}.", path=path)
    return Parsed(pieces, kind=kind, metadata={"text_column": column})
