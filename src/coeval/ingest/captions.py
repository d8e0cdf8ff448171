"""WebVTT and SRT caption files: cues with times and raw text.

Written by hand rather than with ``webvtt-py``: we need the line number of every cue for
error messages, Zoom's and Teams' speaker conventions (``Name: text`` inside cues, ``<v Name>``
voice spans, cues with no name that continue the last speaker), and a strict mode that
refuses broken timestamps instead of skipping them. The cue grammar follows the W3C WebVTT
parser; the vtt.js conformance files in the tests check it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import EmptyDocumentError, ParseError

__all__ = ["Cue", "parse_vtt", "parse_srt", "parse_timestamp"]

_VTT_TS = re.compile(r"^(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})$")
# vtt.js reads "mmm:ss.ttt" with more than two leading digits (or over 59) as hours:minutes.
_VTT_TS_HOURS_MINUTES = re.compile(r"^(\d{3,}|[6-9]\d):([0-5]\d)\.(\d{3})$")
_SRT_TS = re.compile(r"^(\d{1,}):([0-5]?\d):([0-5]?\d)(?:[,.](\d{1,3}))?$")
_TIMING = re.compile(r"^([^\s-]+)[ \t]*-->[ \t]*([\d:.,]+)(.*)$")


@dataclass
class Cue:
    """One caption cue: an optional id, start and end in seconds, and raw text."""

    start: float
    end: float
    text: str
    id: str = ""
    line: int = 0


def parse_timestamp(value: str) -> float | None:
    """Parse a WebVTT timestamp (``hh:mm:ss.ttt`` or ``mm:ss.ttt``) to seconds, or None."""
    m = _VTT_TS.match(value)
    if not m:
        m = _VTT_TS_HOURS_MINUTES.match(value)
        if m:
            h, mnt, ms = m.groups()
            return int(h) * 3600 + int(mnt) * 60 + int(ms) / 1000
        return None
    h, mnt, s, ms = m.groups()
    return int(h or 0) * 3600 + int(mnt) * 60 + int(s) + int(ms) / 1000


def _parse_srt_timestamp(value: str) -> float | None:
    m = _SRT_TS.match(value)
    if not m:
        return None
    h, mnt, s, frac = m.groups()
    frac = (frac or "0").ljust(3, "0")
    return int(h) * 3600 + int(mnt) * 60 + int(s) + int(frac) / 1000


def _blocks(lines: list[str], first: int):
    """Yield (line_number, [lines]) for each blank-line-separated block from index first."""
    block: list[str] = []
    start = 0
    for i in range(first, len(lines)):
        line = lines[i]
        if line.strip() == "":
            if block:
                yield start, block
                block = []
            continue
        if not block:
            start = i + 1
        block.append(line)
    if block:
        yield start, block


def parse_vtt(text: str, *, path=None, strict: bool = True) -> list[Cue]:
    """Parse WebVTT text into cues.

    Parameters
    ----------
    text : str
        Decoded, normalised file content (``\\n`` line ends, no BOM).
    path : str, optional
        For error messages.
    strict : bool, default True
        Raise :class:`~coeval.errors.ParseError` on a malformed cue timing or a block with no
        timing. With ``strict=False`` such blocks are skipped, as browsers do.

    Returns
    -------
    list of Cue
        In file order. NOTE, STYLE and REGION blocks are skipped.

    Raises
    ------
    ParseError
        If the file does not start with ``WEBVTT`` or (strict) a cue is malformed.
    EmptyDocumentError
        If the file has no text at all.
    """
    if not text.strip():
        raise EmptyDocumentError("is empty.", path=path, hint="Export the transcript again.")
    lines = text.split("\n")
    first = lines[0].lstrip("\ufeff")
    if not (first == "WEBVTT" or first.startswith(("WEBVTT ", "WEBVTT\t"))):
        raise ParseError(
            "does not start with 'WEBVTT', so it is not a WebVTT file.", path=path, line=1,
            hint="If it is an SRT file, rename it to .srt; if it is a plain transcript, to .txt.")
    # The header runs to the first blank line (metadata headers such as 'Kind:', 'Language:').
    i = 1
    while i < len(lines) and lines[i].strip() != "":
        if "-->" in lines[i]:
            break  # header-no-new-line: a cue right after the signature line
        i += 1
    cues: list[Cue] = []
    seen_cue = False
    for lineno, block in _blocks(lines, i):
        head = block[0]
        if head.startswith("NOTE") and (len(head) == 4 or head[4] in " \t"):
            continue
        if not seen_cue and head.strip() in ("STYLE", "REGION") and "-->" not in head:
            continue
        j = 0
        while j < len(block):
            cue_id = ""
            if "-->" not in block[j]:
                if j + 1 < len(block) and "-->" in block[j + 1]:
                    cue_id = block[j]
                    j += 1
                else:
                    if strict:
                        raise ParseError(
                            "this block has no cue timing ('start --> end').",
                            path=path, line=lineno + j,
                            hint="Each cue needs a line like '00:00:01.000 --> 00:00:04.000' "
                                 "before its text; fix or delete this block.")
                    break
            timing_line = lineno + j
            cue = _parse_timing(block[j], path=path, line=timing_line, strict=strict,
                                parse=parse_timestamp, example="00:01:02.345")
            if cue is None:
                break  # lenient mode: a block with a bad timing is dropped whole, as browsers do
            j += 1
            body: list[str] = []
            while j < len(block) and "-->" not in block[j]:
                body.append(block[j])
                j += 1
            cues.append(Cue(start=cue[0], end=cue[1], text="\n".join(body), id=cue_id,
                            line=timing_line))
            seen_cue = True
    return cues


def _parse_timing(raw: str, *, path, line: int, strict: bool, parse, example: str):
    m = _TIMING.match(raw.strip())
    start = end = None
    if m:
        start, end = parse(m.group(1)), parse(m.group(2))
    if start is None or end is None:
        if strict:
            raise ParseError(
                "malformed cue timing.", path=path, line=line,
                hint=f"Timestamps look like '{example} --> {example}'; correct this line.")
        return None
    if end < start and strict:
        raise ParseError(
            f"cue ends ({m.group(2)}) before it starts ({m.group(1)}).", path=path, line=line,
            hint="Correct the timestamps on this line.")
    return start, end


def parse_srt(text: str, *, path=None, strict: bool = True) -> list[Cue]:
    """Parse SubRip (SRT) text into cues.

    Each cue is an index line, a timing line ``00:00:01,000 --> 00:00:04,000`` and text
    lines. A missing index is tolerated (some tools omit it); a missing or malformed timing
    is an error in strict mode.

    Raises
    ------
    ParseError, EmptyDocumentError
    """
    if not text.strip():
        raise EmptyDocumentError("is empty.", path=path, hint="Export the subtitles again.")
    lines = text.split("\n")
    cues: list[Cue] = []
    for lineno, block in _blocks(lines, 0):
        j = 0
        cue_id = ""
        if "-->" not in block[0]:
            if len(block) > 1 and "-->" in block[1] and block[0].strip().isdigit():
                cue_id = block[0].strip()
                j = 1
            elif cues and not strict:
                continue
            else:
                if cues:  # a stray paragraph between cues: text with no timing
                    what = "this block has no cue timing"
                else:
                    what = "does not start like an SRT cue (an index line, then a timing line)"
                raise ParseError(
                    f"{what}.", path=path, line=lineno,
                    hint="Each cue needs a number, then a line like "
                         "'00:00:01,000 --> 00:00:04,000', then its text.")
        timing = _parse_timing(block[j], path=path, line=lineno + j, strict=strict,
                               parse=_parse_srt_timestamp, example="00:01:02,345")
        if timing is None:
            continue
        cues.append(Cue(start=timing[0], end=timing[1], text="\n".join(block[j + 1:]),
                        id=cue_id, line=lineno + j))
    if not cues:
        raise EmptyDocumentError("has no subtitle cues.", path=path,
                                 hint="Check that it is an SRT file with timed cues.")
    return cues
