"""Reading one file into a Document: the format is chosen by the file's suffix."""

from __future__ import annotations

from pathlib import Path

from ..errors import FormatError
from ..files.textio import content_hash, read_bytes, read_text
from ..model import DOCUMENT_KINDS, Document
from .build import Parsed, build_document, slugify
from .notes import heading_pieces, metadata_lines, paragraph_pieces, read_markdown
from .tables import read_table
from .transcripts import no_turns_warning, parse_transcript_lines, read_srt, read_vtt

__all__ = ["read_document", "parse_file", "SUPPORTED_SUFFIXES"]

SUPPORTED_SUFFIXES = {
    ".vtt": "WebVTT transcript (Zoom, Teams)",
    ".srt": "SRT subtitles",
    ".txt": "plain-text transcript or notes",
    ".docx": "Word transcript or notes",
    ".md": "Markdown notes (YAML front matter)",
    ".markdown": "Markdown notes (YAML front matter)",
    ".csv": "survey/feedback table",
    ".xlsx": "survey/feedback table (Excel)",
}
_TRANSCRIPT_KINDS = ("transcript", "discussion")


def _check_kind(kind: str | None, path: Path) -> None:
    if kind is not None and kind not in DOCUMENT_KINDS:
        raise FormatError(f"unknown document kind {kind!r}.", path=path,
                          hint=f"Use one of: {', '.join(DOCUMENT_KINDS)}.")


def parse_file(path: str | Path, *, kind: str | None = None, known=None,
               text_column: str | None = None, sheet=None) -> tuple[Parsed, str]:
    """Parse a file into pieces, without pseudonymising.

    Returns
    -------
    (Parsed, content_hash)

    Raises
    ------
    FormatError
        Unknown suffix (the message lists the supported ones), unreadable or binary file.
    ParseError, EmptyDocumentError
        Malformed or empty content.
    """
    path = Path(path)
    _check_kind(kind, path)
    suffix = path.suffix.lower()
    if not suffix and path.is_file():
        suffix = ".txt"  # a transcript saved with no suffix: read as text, recognised by its content
    if suffix not in SUPPORTED_SUFFIXES:
        listed = "; ".join(f"{s} ({what})" for s, what in SUPPORTED_SUFFIXES.items())
        raise FormatError(f"has a format coeval cannot read ({suffix or 'no suffix'}).", path=path,
                          hint=f"Supported: {listed}. For PDFs or .doc files, save as .docx or .txt.")
    if suffix in (".csv", ".xlsx"):
        data = read_bytes(path)
        return read_table(path, kind=kind or "survey", text_column=text_column, sheet=sheet), content_hash(data)
    if suffix == ".docx":
        data = read_bytes(path)
        from .word import docx_paragraphs

        paragraphs = docx_paragraphs(path)
        return _parse_docx(paragraphs, path=path, kind=kind, known=known), content_hash(data)
    text, digest = read_text(path)
    if suffix == ".vtt":
        return read_vtt(text, path=path, kind=kind or "transcript", known=known), digest
    if suffix == ".srt":
        return read_srt(text, path=path, kind=kind or "transcript", known=known), digest
    if suffix in (".md", ".markdown") and (kind is None or kind not in _TRANSCRIPT_KINDS):
        if kind is None and not _looks_like_markdown_notes(text):
            parsed = parse_transcript_lines(text.split("\n"), path=path, kind=None, known=known)
            if parsed is not None:  # an Otter or Zoom transcript saved as .md
                return parsed, digest
        return read_markdown(text, path=path, kind=kind or "observation"), digest
    if suffix in (".txt", ".md", ".markdown"):  # caption files saved as text: read them as what they are
        head = text.lstrip()
        if head.startswith("WEBVTT"):
            return read_vtt(head, path=path, kind=kind or "transcript", known=known), digest
        first_two = head.split("\n", 2)[:2]
        if len(first_two) == 2 and first_two[0].strip().isdigit() and "-->" in first_two[1]:
            return read_srt(head, path=path, kind=kind or "transcript", known=known), digest
    lines = text.split("\n")
    if kind is None or kind in _TRANSCRIPT_KINDS:
        parsed = parse_transcript_lines(lines, path=path, kind=kind, known=known)
        if parsed is not None:
            return parsed, digest
        if kind is not None:
            no_turns_warning(path, kind)
    meta, rest = metadata_lines(lines)
    first = len(lines) - len(rest) + 1
    return Parsed(paragraph_pieces(rest, first), kind=kind or "notes", metadata=meta), digest


def _looks_like_markdown_notes(text: str) -> bool:
    """Front matter or headings: notes written in Markdown, not a transcript saved with a .md suffix."""
    return text.lstrip().startswith("---") or any(line.startswith("#") for line in text.split("\n"))


def _parse_docx(paragraphs, *, path: Path, kind: str | None, known) -> Parsed:
    title = next((t for level, t in paragraphs if level == 1), None)
    if kind is None or kind in _TRANSCRIPT_KINDS:
        lines = [t for level, t in paragraphs if level is None or level > 1 or t != title]
        parsed = parse_transcript_lines(lines, path=path, kind=kind, known=known, title=title)
        if parsed is not None:
            return parsed
        if kind is not None:
            no_turns_warning(path, kind)
    pieces, found_title = heading_pieces(paragraphs)
    meta, rest = metadata_lines([t for level, t in paragraphs if level is None])
    if any(p.heading for p in pieces):
        # drop the metadata lines from the piece that precedes the first heading
        pieces = [p for p in pieces if p.heading or not _only_metadata(p.text)]
    else:
        pieces = paragraph_pieces(rest)
    return Parsed(pieces, kind=kind or "notes", title=found_title or title, metadata=meta)


def _only_metadata(text: str) -> bool:
    meta, rest = metadata_lines(text.split("\n"))
    return bool(meta) and not any(line.strip() for line in rest)


def read_document(path: str | Path, *, kind: str | None = None, roster=None, pseudonymiser=None,
                  doc_id: str | None = None, text_column: str | None = None, sheet=None,
                  **metadata) -> Document:
    """Read one file into a :class:`~coeval.model.Document`, no project needed.

    Parameters
    ----------
    path : str or path-like
        A ``.vtt``, ``.srt``, ``.txt``, ``.docx``, ``.md``, ``.csv`` or ``.xlsx`` file.
    kind : str, optional
        ``transcript``, ``observation``, ``discussion``, ``survey`` or ``notes``; guessed
        from the format and content when not given.
    roster : str, path-like or coeval.privacy.Roster, optional
        Participants and their pseudonyms. Without one, speaker names become
        ``Unlisted N`` and names in the text are kept (a :class:`PrivacyWarning` says so).
    pseudonymiser : coeval.privacy.Pseudonymiser, optional
        Use this instead of building one from ``roster``.
    doc_id : str, optional
        Defaults to a slug of the (pseudonymised) file name.
    text_column, sheet : optional
        For tables: the column holding responses, and the Excel sheet.
    **metadata
        ``site``, ``date``, ``session``, ``title``, ``facilitator`` or anything else; these
        win over what the file itself says (front matter).

    Returns
    -------
    Document
        Normalised, pseudonymised text with its segments and redaction log.

    Raises
    ------
    FormatError, ParseError, EmptyDocumentError, RosterError

    Examples
    --------
    >>> doc = read_document("data/sample/northside/workshop1_zoom.vtt",
    ...                     roster="data/sample/roster.csv", site="Northside")  # doctest: +SKIP
    >>> doc.speakers[:2]  # doctest: +SKIP
    ['AC-1', 'PR-N1']
    """
    from ..privacy import Pseudonymiser, Roster, warn_once

    path = Path(path)
    if pseudonymiser is None:
        if roster is not None and not isinstance(roster, Roster):
            roster = Roster.from_csv(roster)
        pseudonymiser = Pseudonymiser(roster)
    if pseudonymiser.roster is None:
        warn_once("no roster was given, so speaker names become 'Unlisted N' and names "
                   "mentioned in the text are not replaced. Give a roster CSV (name, aliases, "
                   "pseudonym, role, site) to pseudonymise properly.")
    known = pseudonymiser.roster.resolve if pseudonymiser.roster is not None else None
    parsed, digest = parse_file(path, kind=kind, known=known, text_column=text_column, sheet=sheet)
    if doc_id is None:
        doc_id = slugify(pseudonymiser.value(path.stem))
    return build_document(parsed, doc_id=doc_id, source=pseudonymiser.value(path.name),
                          content_hash=digest, pseudonymiser=pseudonymiser,
                          meta={"kind": kind, **metadata})
