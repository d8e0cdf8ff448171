"""Word (.docx) files: paragraphs with their heading levels, through python-docx."""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from ..errors import EmptyDocumentError, FormatError
from ..files.textio import normalise_text

__all__ = ["docx_paragraphs"]

_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.I)
_TIME_CELL = re.compile(r"^\[?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?\]?$")
_HEADER_CELLS = {"speaker", "name", "text", "transcript", "time", "timestamp", "start", "utterance", "said"}


def _table_lines(table) -> list[str]:
    """Transcript tables (time | speaker | text, or speaker | text) as ``Name: text`` lines.

    Some transcription services deliver a Word table rather than paragraphs. Rows of other
    shapes are kept as plain lines so that no text is lost.
    """
    lines = []
    for row in table.rows:
        cells = [normalise_text(c.text).strip() for c in row.cells]
        cells = [c for i, c in enumerate(cells) if i == 0 or c != cells[i - 1]]  # merged cells repeat
        if not any(cells):
            continue
        if all(c.casefold() in _HEADER_CELLS for c in cells if c):
            continue
        if len(cells) == 3 and _TIME_CELL.match(cells[0]):
            lines.append(f"[{cells[0].strip('[]')}] {cells[1]}: {' '.join(cells[2].split())}")
        elif len(cells) == 2 and cells[0] and len(cells[0]) <= 60:
            lines.append(f"{cells[0]}: {' '.join(cells[1].split())}")
        else:
            lines.extend(c for c in cells if c)
    return lines


def _style_names(document):
    """A paragraph's style name, looked up in a table made once.

    ``paragraph.style`` searches the styles part for the default style on every call (a third
    of the sample's start-up with a few thousand paragraphs), so the style ids are read once and
    the paragraph's own ``w:pStyle`` id (python-docx's ``_p.style``) is looked up here.
    """
    from docx.enum.style import WD_STYLE_TYPE

    names = {s.style_id: s.name or "" for s in document.styles if s.type == WD_STYLE_TYPE.PARAGRAPH}
    default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    default_name = (default.name or "") if default is not None else ""
    return lambda para: names.get(para._p.style, default_name) if para._p.style else default_name


def docx_paragraphs(path: Path) -> list[tuple[int | None, str]]:
    """The paragraphs of a .docx as ``(heading level or None, text)``, in order.

    Soft line breaks inside a paragraph become separate lines (Otter and Teams exports use
    them between the speaker line and the text). The ``Title`` style counts as level 1.

    Raises
    ------
    FormatError
        If the file is not a readable .docx (an old .doc, a renamed file, a damaged zip).
    EmptyDocumentError
        If it holds no text.
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    from ..files.archives import check_office_file

    check_office_file(path, "Word document")
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, ValueError) as exc:
        raise FormatError(f"is not a readable Word .docx file ({type(exc).__name__}).", path=path,
                          hint="If it is an old .doc or another format, open it in Word or "
                               "LibreOffice and save it as .docx.") from None
    out: list[tuple[int | None, str]] = []
    style_name = _style_names(document)
    for block in document.iter_inner_content():
        if isinstance(block, Table):   # (not hasattr(block, "style"): that reads the style, slowly)
            out.extend((None, line) for line in _table_lines(block))
            continue
        para = block
        style = style_name(para)
        m = _HEADING_STYLE.match(style)
        level = int(m.group(1)) if m else (1 if style.lower() == "title" else None)
        text = normalise_text(para.text)
        if level is not None:
            out.append((level, " ".join(text.split())))
        else:
            out.extend((None, line) for line in text.split("\n"))
    if not any(t.strip() for _, t in out):
        raise EmptyDocumentError("holds no text.", path=path,
                                 hint="Check that you exported the transcript, not an empty file.")
    return out
