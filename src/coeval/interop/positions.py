"""Text positions as other tools count them, converted to coeval's offsets.

REFI-QDA says positions count Unicode code points, but real exports differ: NVivo for Windows
counts UTF-16 code units (an emoji is two) over text with CRLF line ends (two each); ATLAS.ti
counts a CRLF line end as one. coeval stores code points over normalised text (NFC, LF). Each
converter maps a tool's position to a position in the raw text, and ``normalise_with_map``
maps raw positions to normalised ones.
"""

from __future__ import annotations

import unicodedata

import numpy as np

from ..files.textio import CONTROL_CHARACTERS

__all__ = ["normalise_with_map", "PositionConverter", "UNIT_SYSTEMS"]

UNIT_SYSTEMS = ("codepoint", "utf16", "crlf1")


def normalise_with_map(raw: str) -> tuple[str, np.ndarray]:
    """Normalise text as coeval stores it (as ``files.textio.normalise_text`` does), with a map
    from raw to normalised offsets.

    Returns
    -------
    (text, mapping)
        ``mapping[i]`` is the normalised offset of raw code-point offset ``i``
        (``len(mapping) == len(raw) + 1``).
    """
    if raw.startswith("\ufeff"):
        raw_offset = 1
    else:
        raw_offset = 0
    out: list[str] = []
    mapping = np.zeros(len(raw) + 1, dtype=np.int64)
    pos = 0
    i = raw_offset
    n = len(raw)
    while i < n:
        ch = raw[i]
        mapping[i] = pos
        if ch == "\r":
            if i + 1 < n and raw[i + 1] == "\n":
                mapping[i + 1] = pos
                i += 1
            out.append("\n")
            pos += 1
        elif CONTROL_CHARACTERS.match(ch):
            pass  # removed, as normalise_text removes them from every stored text
        elif ch == "\u2028":
            out.append("\n")
            pos += 1
        elif ch == "\u2029":
            out.append("\n\n")
            pos += 2
        else:
            out.append(ch)
            pos += 1
        i += 1
    mapping[n] = pos
    text = "".join(out)
    if unicodedata.is_normalized("NFC", text):
        return text, mapping
    # NFC composes some sequences: normalise run by run (a run starts at a starter) and map
    # positions inside a run that changed length to its ends.
    starts = [k for k, c in enumerate(text) if unicodedata.combining(c) == 0] + [len(text)]
    if not starts or starts[0] != 0:
        starts = [0] + starts
    pieces, new_at = [], np.zeros(len(text) + 1, dtype=np.int64)
    total = 0
    for a, b in zip(starts, starts[1:]):
        if b <= a:
            continue
        run = unicodedata.normalize("NFC", text[a:b])
        for k in range(a, b):
            new_at[k] = total + min(k - a, len(run)) if len(run) == b - a else total + (0 if k == a else len(run))
        pieces.append(run)
        total += len(run)
    new_at[len(text)] = total
    return "".join(pieces), new_at[mapping]


class PositionConverter:
    """Converts one tool's positions in one source text to coeval offsets.

    Parameters
    ----------
    raw : str
        The source text as decoded (BOM removed, line ends as in the file).
    unit : {"codepoint", "utf16", "crlf1"}
        How the tool counted: code points over the raw text; UTF-16 code units over the raw
        text (NVivo for Windows); code points with a CRLF counted once (ATLAS.ti).
    """

    def __init__(self, raw: str, unit: str = "codepoint"):
        if unit not in UNIT_SYSTEMS:
            raise ValueError(f"unit must be one of {UNIT_SYSTEMS}")
        if raw.startswith("\ufeff"):
            raw = raw[1:]
        self.raw = raw
        self.unit = unit
        self.text, self._to_norm = normalise_with_map(raw)
        if unit == "utf16":
            widths = np.fromiter((2 if ord(c) > 0xFFFF else 1 for c in raw), dtype=np.int64, count=len(raw))
            self._units = np.concatenate([[0], np.cumsum(widths)])  # utf16 offset of each code point
        elif unit == "crlf1":
            keep = np.ones(len(raw), dtype=bool)
            for k in range(len(raw) - 1):
                if raw[k] == "\r" and raw[k + 1] == "\n":
                    keep[k] = False  # the CR of a CRLF is not counted
            self._units = np.concatenate([[0], np.cumsum(keep)])
        else:
            self._units = None
        self.length = int(self._units[-1]) if self._units is not None else len(raw)

    def raw_index(self, position: int) -> int | None:
        """The raw code-point index of a tool position, or None if it falls inside a character."""
        if position < 0 or position > self.length:
            return None
        if self._units is None:
            return int(position)
        i = int(np.searchsorted(self._units, position, side="left"))
        if i >= len(self._units) or self._units[i] != position:
            return None  # inside a surrogate pair
        if self.unit == "crlf1":  # several raw indexes share a position: take the first counted one
            while i > 0 and self._units[i - 1] == position:
                i -= 1
        return i

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """``[start, end)`` in coeval offsets, or None if the span does not fit the text."""
        a, b = self.raw_index(start), self.raw_index(end)
        if a is None or b is None or b < a:
            return None
        s, e = int(self._to_norm[a]), int(self._to_norm[b])
        if e <= s:
            return None
        return s, e


def plausibility(converter: PositionConverter, spans) -> float:
    """Share of spans that fit and start at a word boundary: how right a unit system looks."""
    if not spans:
        return 0.0
    good = 0
    text = converter.text
    for start, end in spans:
        got = converter.span(start, end)
        if got is None:
            continue
        s, e = got
        before = text[s - 1] if s > 0 else " "
        after = text[e] if e < len(text) else " "
        if not before.isalnum() and not (text[s:s + 1].isalnum() and after.isalnum()):
            good += 1
        elif not before.isalnum():
            good += 0.5
        else:
            good += 0.25
    return good / len(spans)
