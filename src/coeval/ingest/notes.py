"""Notes readers: Markdown with YAML front matter, plain text and DOCX notes."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import EmptyDocumentError, ParseError
from .build import Parsed, Piece

__all__ = ["read_markdown", "paragraph_pieces", "heading_pieces", "split_front_matter"]

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_META_LINE = re.compile(r"^\s*(date|site|observer|activity|session|facilitator|location|venue)\s*:\s*(.+)$", re.I)


def split_front_matter(text: str, *, path: Path) -> tuple[dict, str, int]:
    """Split YAML front matter off Markdown.

    Returns
    -------
    (metadata, body, body_first_line)
    """
    if not text.startswith("---\n"):
        return {}, text, 1
    end = text.find("\n---", 4)
    while end != -1 and text[end + 4 : end + 5] not in ("\n", ""):
        end = text.find("\n---", end + 4)
    if end == -1:
        raise ParseError("opens YAML front matter with '---' but never closes it.", path=path,
                         line=1, hint="Add a line '---' after the front matter.")
    from ..files.yamlsafe import load_yaml

    block = text[4:end]
    try:
        meta = load_yaml(block, path=path, error=ParseError, what="YAML front matter") or {}
    except ParseError as exc:  # lines counted from the file's first line, not the block's
        raise ParseError(exc.message, path=path, line=(exc.line + 1) if exc.line else 1,
                         hint="Front matter is 'key: value' lines, e.g. 'date: 2026-03-14'.") from None
    if not isinstance(meta, dict):
        raise ParseError("front matter is not a set of 'key: value' lines.", path=path, line=2)
    body_start = end + 5
    return ({str(k).strip().lower(): v for k, v in meta.items()}, text[body_start:],
            text.count("\n", 0, body_start) + 1)


def _clean_block(lines: list[str]) -> str:
    text = "\n".join(line.rstrip() for line in lines).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def heading_pieces(lines: list[tuple[int | None, str]], first_line: int = 1) -> tuple[list[Piece], str | None]:
    """Pieces from (heading level or None, text) lines: one per heading, with its body.

    A level-1 heading at the very top is taken as the title. Text before the first heading
    becomes a piece without a heading.
    """
    title = None
    pieces: list[Piece] = []
    heading: str | None = None
    body: list[str] = []
    line_of = first_line

    def flush():
        text = _clean_block(body)
        if heading is not None or text:
            pieces.append(Piece(text=text, heading=heading, metadata={"line": line_of}))

    for offset, (level, text) in enumerate(lines):
        if level is not None:
            if level == 1 and title is None and not pieces and heading is None and not _clean_block(body):
                title = text.strip()
                continue
            flush()
            heading, body, line_of = text.strip(), [], first_line + offset
        else:
            if heading is None and not body and not text.strip():
                continue
            if heading is None and not body:
                line_of = first_line + offset
            body.append(text)
    flush()
    return pieces, title


def paragraph_pieces(lines: list[str], first_line: int = 1) -> list[Piece]:
    """One piece per blank-line-separated paragraph."""
    pieces: list[Piece] = []
    block: list[str] = []
    start = first_line
    for offset, line in enumerate(lines + [""]):
        if line.strip():
            if not block:
                start = first_line + offset
            block.append(line.strip())
        elif block:
            pieces.append(Piece(text=" ".join(block), metadata={"line": start}))
            block = []
    return pieces


def read_markdown(text: str, *, path: Path, kind: str) -> Parsed:
    """Read Markdown notes: front matter for metadata, one entry per heading."""
    meta, body, first = split_front_matter(text, path=path)
    lines = []
    for line in body.split("\n"):
        m = _HEADING.match(line)
        lines.append((len(m.group(1)), m.group(2)) if m else (None, line))
    pieces, title = heading_pieces(lines, first)
    if not any(p.text or p.heading for p in pieces):
        raise EmptyDocumentError("has front matter but no notes.", path=path)
    if not any(p.heading for p in pieces):  # no headings: paragraphs are the entries
        pieces = paragraph_pieces(body.split("\n"), first)
    title = meta.pop("title", None) or title
    return Parsed(pieces, kind=kind, title=title, metadata=meta)


def metadata_lines(lines: list[str]) -> tuple[dict, list[str]]:
    """Take leading ``Date: ...``/``Observer: ...`` lines off notes as metadata."""
    meta: dict = {}
    rest = list(lines)
    while rest:
        if not rest[0].strip():
            rest.pop(0)
            continue
        m = _META_LINE.match(rest[0])
        if not m:
            break
        meta[m.group(1).lower()] = m.group(2).strip()
        rest.pop(0)
    return meta, rest
