"""Spreadsheets that stay data: text cells are written as text, never as formulas, and without the
control characters Excel files cannot hold; CSV cells are escaped the same way and read back
unchanged.

A participant's answer that starts with ``=``, ``+``, ``-`` or ``@`` ("=HYPERLINK(...)", "-2 buses
each way") would otherwise become a live formula when a coder opens the sheet (CSV or formula
injection, OWASP). In .xlsx the cell is typed as a string; in CSV it gets a leading apostrophe,
which :func:`csv_unescape` removes again on import.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

__all__ = ["literal_cells", "excel_text", "csv_escape", "csv_unescape", "written_whole", "FORMULA_START"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# what an .xlsx cell cannot hold (the XML 1.0 control characters), as openpyxl refuses them
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def excel_text(value):
    """A value as a cell can hold it: control characters out of text."""
    return _ILLEGAL.sub("", value) if isinstance(value, str) else value


def literal_cells(workbook) -> None:
    """Make every text cell of an openpyxl workbook a plain string: control characters removed,
    and text that starts like a formula typed as text (``data_type = "s"``), never evaluated."""
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if not isinstance(value, str):
                    continue
                clean = excel_text(value)
                if clean != value:
                    cell.value = clean
                if clean.startswith(FORMULA_START) or cell.data_type == "f":
                    cell.data_type = "s"


def csv_escape(value):
    """A text cell for CSV: an apostrophe before text that a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_unescape(value):
    """The text :func:`csv_escape` wrote, as it was."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


@contextlib.contextmanager
def written_whole(path):
    """Write to a temporary file beside ``path`` and move it into place only when complete, so a
    failure (a full disk, a bad value) never leaves a half-written file; yields the temporary path."""
    import errno

    from ..errors import WriteError

    path = Path(path)
    tmp = path.with_name(f".{path.name}.part")
    try:
        yield tmp
        os.replace(tmp, path)
    except OSError as exc:
        if isinstance(exc, WriteError):
            raise
        why = {errno.ENOSPC: "the disk is full", errno.EACCES: "there is no permission to write there",
               errno.EROFS: "the disk is read-only", errno.ENOENT: "its folder does not exist"}.get(
            exc.errno, exc.strerror or type(exc).__name__)
        raise WriteError(f"could not be written: {why}. Nothing was left half-written.", path=path,
                         hint="Free some space or choose another folder, and try again.") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
