"""The data model: plain dataclasses with no I/O.

Offsets are Python ``str`` indices (Unicode code points) into a document's stored text,
half-open ``[start, end)``. Stored text is normalised once at ingest (NFC, ``\\n`` line
ends, no BOM) and never changes once it has codings.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field, fields
from typing import Any

__all__ = [
    "DOCUMENT_KINDS",
    "POLARITIES",
    "DIMENSIONS",
    "ORIGINS",
    "CODER_ROLES",
    "Document",
    "Segment",
    "Redaction",
    "Code",
    "Coding",
    "Coder",
    "Theme",
]

DOCUMENT_KINDS = ("transcript", "observation", "discussion", "survey", "notes")
POLARITIES = ("barrier", "enabler", "mixed", "none")
DIMENSIONS = ("feasibility", "acceptability", "impact", "context")
ORIGINS = ("human", "suggested", "accepted", "rejected", "consensus")
CODER_ROLES = ("peer_researcher", "community_coordinator", "academic", "stakeholder")


@dataclass
class Segment:
    """The unit of analysis inside a document.

    A speaker turn in a transcript (consecutive cues of one speaker merged), an entry in
    observation notes, or one response in a survey.

    Attributes
    ----------
    start, end : int
        Half-open code-point offsets of the segment's text in the document text.
    speaker : str or None
        Pseudonym of the speaker (never a real name once ingested with a roster).
    role : str or None
        The speaker's role (``peer_researcher``, ``academic``, ...) where known.
    site : str or None
        The speaker's site, else the document's.
    time_start, time_end : float or None
        Seconds from the start of the recording, where the source has timestamps.
    metadata : dict
        Anything else the source gave (survey question, note heading, response id).
    """

    start: int
    end: int
    speaker: str | None = None
    role: str | None = None
    site: str | None = None
    time_start: float | None = None
    time_end: float | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    id: str | None = None
    document_id: str | None = None

    def text_in(self, document_text: str) -> str:
        """The segment's text, sliced from its document's text."""
        return document_text[self.start : self.end]


@dataclass(frozen=True)
class Redaction:
    """One replacement made by pseudonymisation.

    Only where and what kind: the original text is never kept. ``start`` and ``length``
    locate the replacement in the stored text.
    """

    start: int
    length: int
    category: str


@dataclass
class Document:
    """One source text: a transcript, observation notes, a discussion or a survey.

    Attributes
    ----------
    id : str
        Stable id within a project (derived from the file name).
    kind : str
        One of ``transcript``, ``observation``, ``discussion``, ``survey``, ``notes``.
    title : str
        Human-readable title.
    text : str
        The normalised, pseudonymised text that offsets point into.
    site, date, session, source, content_hash : str or None
        Where it came from. ``source`` is the file name; ``content_hash`` the SHA-256 of
        the file's bytes, so the same file is not ingested twice.
    metadata : dict
        Further metadata (manifest columns, front matter).
    segments : list of Segment
    redactions : list of Redaction
    review : list of (start, end, kind)
        Words to review as possible names the pseudonymiser did not replace (see
        :func:`coeval.privacy.names.review_candidates`).
    """

    id: str
    kind: str
    title: str
    text: str
    site: str | None = None
    date: str | None = None
    session: str | None = None
    source: str | None = None
    content_hash: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    segments: list[Segment] = field(default_factory=list)
    redactions: list[Redaction] = field(default_factory=list)
    review: list[tuple] = field(default_factory=list)

    @property
    def n_words(self) -> int:
        """Number of whitespace-separated words in the text."""
        return len(self.text.split())

    @property
    def speakers(self) -> list[str]:
        """Distinct speakers in order of first appearance."""
        seen: dict[str, None] = {}
        for seg in self.segments:
            if seg.speaker:
                seen.setdefault(seg.speaker, None)
        return list(seen)

    def segment_text(self, segment: Segment) -> str:
        """Text of one of this document's segments."""
        return self.text[segment.start : segment.end]

    def __repr__(self) -> str:
        return (
            f"Document(id={self.id!r}, kind={self.kind!r}, title={self.title!r}, "
            f"site={self.site!r}, segments={len(self.segments)}, words={self.n_words})"
        )

    def _repr_html_(self, max_segments: int = 8) -> str:
        esc = html.escape
        facts = [("kind", self.kind), ("site", self.site), ("date", self.date),
                 ("session", self.session), ("source", self.source),
                 ("segments", len(self.segments)), ("words", self.n_words),
                 ("speakers", ", ".join(self.speakers) or None),
                 ("redactions", len(self.redactions))]
        rows = "".join(
            f"<tr><th style='text-align:left'>{esc(k)}</th><td style='text-align:left'>{esc(str(v))}</td></tr>"
            for k, v in facts if v not in (None, "")
        )
        turns = []
        for seg in self.segments[:max_segments]:
            who = esc(seg.speaker or "")
            role = f" <small>({esc(seg.role)})</small>" if seg.role else ""
            text = self.segment_text(seg)
            heading = seg.metadata.get("heading")
            if heading and text.startswith(heading):  # note entries: the heading, then the entry
                who, text = esc(heading), text[len(heading):]
            body = esc(_shorten(text, 300))
            sep = ": " if seg.speaker else (" " if heading else "")
            turns.append(f"<p style='margin:0.2em 0'><b>{who}</b>{role}{sep}{body}</p>")
        more = len(self.segments) - max_segments
        if more > 0:
            turns.append(f"<p><i>... {more} more segments</i></p>")
        return (
            f"<div><h4 style='margin:0'>{esc(self.title)} <small>({esc(self.id)})</small></h4>"
            f"<table>{rows}</table>{''.join(turns)}</div>"
        )


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "\u2026"


@dataclass
class Coder:
    """A person who codes: an academic, a peer researcher, a coordinator."""

    name: str
    role: str = "academic"


@dataclass
class Code:
    """One code of a codebook.

    Attributes
    ----------
    id : str
        Stable id: it survives renames, so codings keep pointing at the code.
    name : str
        Unique in the codebook (case-insensitively).
    parent : str or None
        The parent's id.
    definition, include, exclude, example : str
        What the code means, when to apply it, when not, and a typical quote.
    polarity : {"barrier", "enabler", "mixed", "none"}
    dimensions : tuple of str
        Any of feasibility, acceptability, impact, context; the first is primary.
    construct : str or None
        A framework construct id (``tfa.burden``).
    cues : tuple of str
        Phrases that suggest the code (used by the code suggester).
    status : {"active", "retired"}
    color : str or None
        A display colour (``#RRGGBB``), kept for exchange with other tools.
    """

    id: str
    name: str
    parent: str | None = None
    definition: str = ""
    include: str = ""
    exclude: str = ""
    example: str = ""
    polarity: str = "none"
    dimensions: tuple[str, ...] = ()
    construct: str | None = None
    cues: tuple[str, ...] = ()
    status: str = "active"
    color: str | None = None

    def as_dict(self) -> dict:
        """Plain dict (lists for tuples), as stored and hashed."""
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["dimensions"], d["cues"] = list(self.dimensions), list(self.cues)
        return d


@dataclass
class Coding:
    """A code applied by one coder to a span ``[start, end)`` of a document."""

    id: str
    document_id: str
    start: int
    end: int
    code_id: str
    coder: str
    created_at: str | None = None
    memo: str = ""
    origin: str = "human"


@dataclass
class Theme:
    """A theme: a named group of codes, curated by the team."""

    id: str
    label: str
    codes: tuple[str, ...] = ()
    polarity: str = "none"
    description: str = ""
    curated_by: str | None = None
