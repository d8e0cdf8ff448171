"""Segments for text brought in from other tools, whose text must stay exactly as it came."""

from __future__ import annotations

import re

from ..model import Segment

__all__ = ["segments_for"]

_SPEAKER = re.compile(r"^([^\s:][^:\n]{0,59}?)\s*:\s+")


def segments_for(text: str, doc_id: str) -> list[Segment]:
    """One segment per paragraph (non-empty line run), with a ``Name:`` speaker when the
    paragraph starts with one; offsets point into ``text`` unchanged."""
    segments = []
    for m in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            continue
        speaker = None
        sm = _SPEAKER.match(text, start, end)
        if sm and len(sm.group(1).split()) <= 5:
            speaker = sm.group(1)
        segments.append(Segment(start=start, end=end, speaker=speaker, id=f"{doc_id}:{len(segments) + 1}",
                                document_id=doc_id))
    return segments
