"""Transcript readers: WebVTT, SRT, plain text and DOCX with speaker turns."""

from __future__ import annotations

import warnings
from pathlib import Path

from ..errors import CoevalWarning, EmptyDocumentError
from .build import Parsed, Piece
from .captions import parse_srt, parse_vtt
from .turns import RawTurn, cues_to_turns, parse_text_turns, split_header

__all__ = ["read_vtt", "read_srt", "parse_transcript_lines"]


def _pieces(turns: list[RawTurn]) -> list[Piece]:
    return [Piece(text=t.text, speaker=t.speaker, time_start=t.time_start, time_end=t.time_end,
                  metadata={"line": t.line} if t.line else {}) for t in turns]


def read_vtt(text: str, *, path: Path, kind: str, known=None) -> Parsed:
    """Read a WebVTT transcript (Zoom, Teams, or any captioning tool)."""
    cues = parse_vtt(text, path=path)
    turns = cues_to_turns(cues, known=known)
    if not turns:
        raise EmptyDocumentError("has no cue text.", path=path,
                                 hint="Check that the transcript was exported with its text.")
    return Parsed(_pieces(turns), kind=kind)


def read_srt(text: str, *, path: Path, kind: str, known=None) -> Parsed:
    """Read an SRT transcript."""
    cues = parse_srt(text, path=path)
    turns = cues_to_turns(cues, known=known)
    if not turns:
        raise EmptyDocumentError("has no subtitle text.", path=path)
    return Parsed(_pieces(turns), kind=kind)


def parse_transcript_lines(lines: list[str], *, path: Path, kind: str | None, known=None,
                           title: str | None = None) -> Parsed | None:
    """Speaker turns from the lines of a text or DOCX transcript, or None if there are none. A
    header block (``Project:``, ``Date:``, ``Interviewer:``...) becomes metadata, not turns."""
    header, skip = split_header(lines)
    found = parse_text_turns(lines[skip:], known=known, first_line=1 + skip)
    if found is None:
        return None
    turns, preamble = found
    if not turns:
        raise EmptyDocumentError("has speaker labels but no speech.", path=path)
    if title is None and preamble and len(preamble[0]) <= 120:
        title, preamble = preamble[0], preamble[1:]
    title = title or header.pop("title", None)
    return Parsed(_pieces(turns), kind=kind or "transcript", title=title, preamble=preamble, metadata=header)


def no_turns_warning(path: Path, kind: str) -> None:
    """Say that a transcript had no speaker turns and is read as paragraphs instead."""
    warnings.warn(
        f"{path}: no speaker turns ('Name: text', 'Name  0:03') were found, so this {kind} "
        "was split into paragraphs with no speaker. Check the speaker labels if that is wrong.",
        CoevalWarning, stacklevel=4)
