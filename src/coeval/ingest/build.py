"""Assembling a :class:`~coeval.model.Document` from what a reader parsed.

Readers return a :class:`Parsed`: pieces of text (speaker turns, note entries, survey
responses) with whatever the file said about them. Here the pieces are pseudonymised,
consecutive turns of one speaker merged, and the document text composed, so that every
segment's offsets point at its own text. A transcript's stored text reads
``PR-N1: what they said`` with a blank line between turns; the segment covers what they said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Document, Redaction, Segment

__all__ = ["Piece", "Parsed", "build_document", "slugify"]


@dataclass
class Piece:
    """One unit of text as read: a turn, a note entry, a survey response."""

    text: str
    speaker: str | None = None
    heading: str | None = None
    time_start: float | None = None
    time_end: float | None = None
    role: str | None = None
    site: str | None = None
    metadata: dict = field(default_factory=dict)


@dataclass
class Parsed:
    """What a reader found in a file, before pseudonymisation."""

    pieces: list[Piece]
    kind: str
    title: str | None = None
    metadata: dict = field(default_factory=dict)
    preamble: list[str] = field(default_factory=list)


def slugify(text: str) -> str:
    """A lower-case id from a name: letters, digits and hyphens."""
    slug = re.sub(r"[^\w]+", "-", text.casefold(), flags=re.UNICODE).strip("-_")
    return re.sub(r"-{2,}", "-", slug.replace("_", "-")) or "document"


def build_document(parsed: Parsed, *, doc_id: str, source: str | None, content_hash: str | None,
                   pseudonymiser, meta: dict) -> Document:
    """Pseudonymise and compose a parsed file into a Document.

    Parameters
    ----------
    parsed : Parsed
    doc_id : str
    source : str or None
        The file name, as stored.
    content_hash : str or None
    pseudonymiser : coeval.privacy.Pseudonymiser
    meta : dict
        Metadata given by the caller or manifest; it wins over what the file says.
    """
    ps = pseudonymiser
    # The names in this document's speaker labels are names to replace in its text too.
    ps.learn_speakers(piece.speaker for piece in parsed.pieces)
    merged_meta = {**parsed.metadata, **{k: v for k, v in meta.items() if v not in (None, "")}}
    kind = merged_meta.pop("kind", None) or parsed.kind
    site = _str(merged_meta.pop("site", None))
    date = _str(merged_meta.pop("date", None))
    session = _str(merged_meta.pop("session", None))
    title = _str(merged_meta.pop("title", None)) or parsed.title or _title_from(source, doc_id)
    title = ps.value(title)
    extra = ps.metadata(merged_meta)

    # Pseudonymise speakers, then merge consecutive turns of one person (a participant may
    # appear as "Amina's iPhone" then "Amina Yusuf": one person, one turn).
    pieces: list[tuple[Piece, str | None, str | None, str | None, bool]] = []
    for piece in parsed.pieces:
        pseudonym, role, p_site, changed = ps.speaker(piece.speaker)
        role = role or piece.role
        p_site = p_site or piece.site
        if (pieces and pseudonym is not None and pieces[-1][1] == pseudonym
                and piece.heading is None and pieces[-1][0].heading is None):
            last = pieces[-1][0]
            last.text = f"{last.text} {piece.text}"
            if piece.time_end is not None or piece.time_start is not None:
                last.time_end = piece.time_end if piece.time_end is not None else piece.time_start
            continue
        copy = Piece(piece.text, piece.speaker, piece.heading, piece.time_start, piece.time_end,
                     piece.role, piece.site, dict(piece.metadata))
        pieces.append((copy, pseudonym, role, p_site, changed))

    out: list[str] = []
    pos = 0
    segments: list[Segment] = []
    redactions: list[Redaction] = []

    def emit(text: str, rs: list[Redaction] = ()) -> None:
        nonlocal pos
        redactions.extend(Redaction(pos + r.start, r.length, r.category) for r in rs)
        out.append(text)
        pos += len(text)

    if parsed.preamble:
        pre, rs = ps.text("\n".join(parsed.preamble))
        emit(pre, rs)
        emit("\n\n")
    for i, (piece, speaker, role, p_site, changed) in enumerate(pieces):
        if i:
            emit("\n\n")
        start = pos
        if speaker is not None:
            if changed:
                redactions.append(Redaction(pos, len(speaker), "speaker"))
            emit(speaker + ": ")
            start = pos
        if piece.heading:
            heading, rs = ps.text(piece.heading)
            emit(heading, rs)
            if piece.text:
                emit("\n")
        body, rs = ps.text(piece.text)
        emit(body, rs)
        metadata = ps.metadata(piece.metadata)
        if piece.heading:
            metadata.setdefault("heading", heading)
        segments.append(Segment(start=start, end=pos, speaker=speaker, role=role,
                                site=p_site or site, time_start=piece.time_start,
                                time_end=piece.time_end, metadata=metadata))
    text = "".join(out)
    for n, seg in enumerate(segments, start=1):
        seg.id = f"{doc_id}:{n}"
        seg.document_id = doc_id
    exclude = frozenset(filter(None, [site, *(s.site for s in segments)]))
    return Document(id=doc_id, kind=kind, title=title, text=text, site=site, date=date,
                    session=session, source=source, content_hash=content_hash, metadata=extra,
                    segments=segments, redactions=redactions, review=ps.review(text, exclude=exclude))


def _str(value) -> str | None:
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    value = str(value).strip()
    return value or None


def _title_from(source: str | None, doc_id: str) -> str:
    from pathlib import PurePath

    stem = PurePath(source).stem if source else doc_id
    words = re.sub(r"[_\-]+", " ", stem).strip()
    return words[:1].upper() + words[1:]
