"""Speaker turns: finding who speaks in captions and plain-text transcripts.

Real exports mark speakers in several ways, all handled here:

- ``Name: text`` lines or cue text (Zoom, most meeting tools), optionally with a leading
  ``[00:01:02]`` timestamp or a role suffix ``Name (role): text``;
- ``<v Name>text</v>`` voice spans (Teams WebVTT);
- the Otter.ai layout: ``Name  0:03`` alone on a line, the turn on the following lines;
- caption cues with no name, which continue the last speaker.

A line like ``Note: the bus was late`` must not become a speaker, so a candidate label is
accepted only if it recurs in the document, is a known participant, or looks like a name.
"""

from __future__ import annotations

import functools
import html
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..privacy.labels import split_label

__all__ = ["RawTurn", "cues_to_turns", "parse_text_turns", "split_header", "HEADER_KEYS", "merge_turns",
           "looks_like_name"]

Known = Callable[[str], bool]


@dataclass
class RawTurn:
    """A turn as read from a file, before pseudonymisation."""

    speaker: str | None
    text: str
    time_start: float | None = None
    time_end: float | None = None
    line: int = 0
    metadata: dict = field(default_factory=dict)


_TS = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_COLON_LINE = re.compile(
    rf"^\s*(?:[\[(](?P<ts>{_TS})[\])]\s*|(?P<ts_bare>{_TS})\s+)?"
    rf"(?P<label>[^\s:\[\]][^:\n]{{0,99}}?)\s*(?:[\[(](?P<ts2>{_TS})[\])])?\s*:(?:\s+(?P<text>.*)|\s*$)"
)
# A speaker line with the turn on the following lines: "Name  0:03" (Otter, Teams .docx),
# "[Name] 14:02:11" (Zoom saved captions), or time first, "00:00:03 Name" (Happy Scribe, Sonix).
_OTTER_HEADER = re.compile(
    rf"^\s*\[?(?P<label>[^\s\[\]][^\n\[\]]{{0,99}}?)\]?\s+[\[(]?(?P<ts>{_TS})[\])]?\s*$")
_HEADER_TIME_FIRST = re.compile(rf"^\s*[\[(]?(?P<ts>{_TS})[\])]?\s+(?P<label>[^\s:\[\]][^\n:]{{0,79}}?)\s*$")
# Older Teams .docx transcripts: a cue timing line, the speaker's name, then the text.
_CUE_TIMING = re.compile(r"^\s*(\d+:\d{1,2}:\d{1,2}(?:\.\d+)?)\s*-->\s*(\d+:\d{1,2}:\d{1,2}(?:\.\d+)?)\s*$")
_OTTER_TRAILER = re.compile(r"^\s*Transcribed by\s+(https?://)?otter\.ai\s*$", re.I)
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:[ \t]+([^>]*))?>")
_TAG = re.compile(r"</?[a-zA-Z][^>\n]*>|<\d{1,2}:\d{2}[^>\n]*>")
_NOT_SPEAKERS = {
    "note", "notes", "nb", "ps", "re", "subject", "date", "time", "location", "venue", "present",
    "attendees", "apologies", "agenda", "title", "action", "actions", "summary", "transcript",
    "recording", "duration", "topic", "tel", "phone", "email", "e-mail", "http", "https", "www",
    "session", "site", "activity", "keywords", "meeting",
}
# Role words: a field in notes ("Facilitator: Jo"), but a speaker in a transcript, where the label
# comes back turn after turn; taken as a speaker only when it labels two lines or more.
_ROLE_LABELS = {"facilitator", "observer", "interviewer", "interviewee", "moderator", "researcher"}
_SENTENCE_PUNCT = re.compile(r"[.!?;\"“”]")
_TITLES = re.compile(r"\b(Dr|Mr|Mrs|Ms|Mx|Prof|Cllr|Rev|Revd|Hon|Rt|Sen|Gen|Col|Capt|Sgt|Insp|Supt|St|Jr|Sr)\.", re.I)
# "[id1] text" and "[Speaker 2] text": the speaker in brackets, the text on the same line
_BRACKET_LINE = re.compile(r"^\s*\[(?P<label>[^\]\n:]{1,40})\](?P<ts>)(?P<ts_bare>)(?P<ts2>)\s+(?P<text>\S.*)$")
# a time on a line of its own: it belongs to the turn that follows
_TIME_LINE = re.compile(rf"^\s*[\[(]?(?P<ts>{_TS})[\])]?\s*$")
# a transcript's header block: "Project: ...", "Date: ...", "Duration: 38 minutes" before the turns
HEADER_KEYS = frozenset({
    "project", "study", "title", "date", "time", "duration", "length", "location", "venue", "site", "place",
    "interviewer", "interviewers", "interviewee", "interviewees", "participant", "participants", "facilitator",
    "facilitators", "moderator", "note taker", "notetaker", "observer", "session", "recorded", "recording",
    "transcribed by", "transcriber", "transcription", "language", "topic", "format", "file", "audio file",
    "meeting", "meeting id", "attendees", "present", "apologies", "organisation", "organization", "group",
    "mode", "type", "id", "interview id", "participant id", "consent", "version",
})
_HEADER_LINE = re.compile(r"^\s*(?P<key>[A-Za-z][A-Za-z ]{0,24}?)\s*:\s*(?P<value>.*?)\s*$")


def split_header(lines: list[str]) -> tuple[dict, int]:
    """The header block at the top of a transcript (``Project: ...``, ``Date: ...``,
    ``Interviewer: ...``), as metadata, and how many lines it takes. Only a block whose every
    line is a known header key counts, so a turn such as ``Amina: hello`` is never taken."""
    meta: dict = {}
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    start = i
    while i < len(lines) and lines[i].strip():
        m = _HEADER_LINE.match(lines[i])
        if not m or m.group("key").strip().lower() not in HEADER_KEYS:
            return {}, 0
        meta[m.group("key").strip().lower()] = m.group("value")
        i += 1
    if i == start or (i < len(lines) and lines[i].strip()):
        return {}, 0
    return meta, i


def parse_time(value: str | None) -> float | None:
    """Seconds from ``h:mm:ss``, ``mm:ss`` or ``hh:mm:ss.fff``; None if absent."""
    if not value:
        return None
    parts = value.replace(",", ".").split(":")
    try:
        nums = [float(p) for p in parts]
    except ValueError:
        return None
    seconds = 0.0
    for n in nums:
        seconds = seconds * 60 + n
    return seconds


@functools.lru_cache(maxsize=4096)
def looks_like_name(label: str) -> bool:
    """Whether a label reads like a person's name or a speaker tag (``Speaker 1``)."""
    name, _ = split_label(label)
    bare = _TITLES.sub(lambda m: m.group(1), name)
    if not bare or len(bare) > 60 or _SENTENCE_PUNCT.search(bare):
        return False
    words = bare.replace(",", " ").split()
    if not words or len(words) > 5:
        return False
    if words[0].lower().strip("'’") in _NOT_SPEAKERS and len(words) == 1:
        return False
    if not (words[0][0].isupper() or words[0][0].isdigit()):
        return False
    upper = sum(1 for w in words if w[0].isupper() or w[0].isdigit())
    return upper * 2 >= len(words)


@functools.lru_cache(maxsize=4096)
def _plausible_label(label: str) -> bool:
    name, _ = split_label(label)
    bare = _TITLES.sub(lambda m: m.group(1), name)
    if not bare or len(bare) > 80 or _SENTENCE_PUNCT.search(bare) or "http" in bare.lower():
        return False
    words = bare.replace(",", " ").split()
    if not words or len(words) > 8:
        return False
    if len(words) == 1 and words[0].lower() in _NOT_SPEAKERS:
        return False
    return words[0][0].isalnum()


def _accepted(counts: Counter, known: Known | None) -> set[str]:
    ok = set()
    for label, n in counts.items():
        role = label.strip().lower() in _ROLE_LABELS
        if (known is not None and known(label)) or (looks_like_name(label) and not role) or (
            n >= 2 and _plausible_label(label) and label[:1].isupper()
        ):
            ok.add(label)
    return ok


def clean_cue_text(text: str) -> str:
    """Strip WebVTT/SRT markup (``<i>``, ``<c.color>``, ``{\\an8}``) and unescape entities."""
    if "<" in text:
        text = _TAG.sub("", text)
    if "{" in text:
        text = re.sub(r"\{\\[^}]*\}", "", text)  # SSA override codes some SRT tools leave in
    if "&" in text:
        text = html.unescape(text)
    return text.replace("\xa0", " ").replace("\u200e", "").replace("\u200f", "")


def cues_to_turns(cues: Iterable, *, known: Known | None = None) -> list[RawTurn]:
    """Turn caption cues into speaker turns (not yet merged).

    The speaker of a cue is its ``<v Name>`` voice, else a ``Name:`` prefix, else the
    previous cue's speaker. A cue holding several voices becomes several turns.
    """
    cues = list(cues)
    # First pass: candidate "Name:" labels, to tell names from "Note:" and the like.
    counts: Counter = Counter()
    heads: list = []
    for cue in cues:
        m = None
        if "<v" not in cue.text and ":" in cue.text:
            m = _COLON_LINE.match(clean_cue_text(cue.text.split("\n", 1)[0]))
            if m and _plausible_label(m.group("label")):
                counts[m.group("label").strip()] += 1
        heads.append(m)
    labels = _accepted(counts, known)

    turns: list[RawTurn] = []
    current: str | None = None
    for cue, m in zip(cues, heads):
        pieces: list[tuple[str | None, str]] = []
        voices = list(_VOICE.finditer(cue.text))
        if voices:
            head = cue.text[: voices[0].start()]
            if clean_cue_text(head).strip():
                pieces.append((current, head))
            for k, m in enumerate(voices):
                end = voices[k + 1].start() if k + 1 < len(voices) else len(cue.text)
                name = " ".join((m.group(1) or "").split()) or current
                pieces.append((name, cue.text[m.end():end]))
        else:
            lines = cue.text.split("\n")
            speaker = current
            if m and m.group("label").strip() in labels:
                speaker = m.group("label").strip()
                lines[0] = m.group("text") or ""
            pieces.append((speaker, "\n".join(lines)))
        for speaker, raw in pieces:
            text = " ".join(clean_cue_text(raw).split())
            if speaker:
                current = speaker
            if text:
                turns.append(RawTurn(speaker=speaker, text=text, time_start=cue.start,
                                     time_end=cue.end, line=cue.line))
    return turns


def parse_text_turns(lines: list[str], *, known: Known | None = None,
                     first_line: int = 1) -> tuple[list[RawTurn], list[str]] | None:
    """Find speaker turns in the lines of a plain-text (or DOCX) transcript.

    Parameters
    ----------
    lines : list of str
        The transcript's lines (or DOCX paragraphs).
    known : callable, optional
        ``known(label) -> bool``: whether a label names a known participant.
    first_line : int
        Line number of ``lines[0]``, for error messages.

    Returns
    -------
    (turns, preamble) or None
        The turns in order (not merged) and the lines before the first turn (a title, a
        date); None if the text has no recognisable speaker turns.
    """
    if sum(1 for line in lines if "-->" in line and _CUE_TIMING.match(line)) >= 2:
        return _cue_blocks(lines, first_line)
    colon_counts: Counter = Counter()
    bracket_counts: Counter = Counter()
    otter_counts: Counter = Counter()
    otter_matches, colon_matches = [], []
    for line in lines:
        m = None
        tail = line.rstrip()[-1:]
        if tail.isdigit() or tail in "])":
            m = _OTTER_HEADER.match(line)
        if m is None and line.lstrip()[:1] in "0123456789[(":
            m = _HEADER_TIME_FIRST.match(line)
        if m and _plausible_label(m.group("label")):
            otter_counts[m.group("label").strip()] += 1
        otter_matches.append(m)
        m = _COLON_LINE.match(line) if ":" in line else None
        if m and _plausible_label(m.group("label")):
            colon_counts[m.group("label").strip()] += 1
        elif line.lstrip()[:1] == "[":
            b = _BRACKET_LINE.match(line)
            if b and not _TIME_LINE.match("[" + b.group("label") + "]") and re.fullmatch(r"[\w .'’-]{1,40}",
                                                                                        b.group("label")):
                m = b
                bracket_counts[b.group("label").strip()] += 1
        colon_matches.append(m)
    otter_labels = _accepted(otter_counts, known)
    bracket_lines = sum(bracket_counts.values())
    if bracket_lines >= 2 and bracket_lines * 2 >= sum(1 for line in lines if line.strip()):
        bracket_labels = set(bracket_counts)  # a file written "[id1] text": every bracketed label is a speaker
    else:
        bracket_labels = {k for k, n in bracket_counts.items() if n >= 2}
    colon_labels = _accepted(colon_counts, known) | bracket_labels
    colon_counts.update(bracket_counts)
    n_otter = sum(otter_counts[k] for k in otter_labels)
    n_colon = sum(colon_counts[k] for k in colon_labels)
    if n_otter >= 2 and n_otter >= n_colon:
        mode, matches, labels = "otter", otter_matches, otter_labels
    elif n_colon >= 2 or (n_colon == 1 and len(lines) <= 3):
        mode, matches, labels = "colon", colon_matches, colon_labels
    else:
        return None

    turns: list[RawTurn] = []
    preamble: list[str] = []
    current: RawTurn | None = None
    paragraphs: list[list[str]] = []
    pending_time = None  # a time on its own line, for the turn that follows
    for offset, line in enumerate(lines):
        if mode == "otter" and _OTTER_TRAILER.match(line):
            continue
        m = matches[offset]
        if mode == "colon" and not (m and m.group("label").strip() in labels):
            t = _TIME_LINE.match(line)
            if t:
                pending_time = parse_time(t.group("ts"))
                continue
        if m and m.group("label").strip() in labels:
            if current is not None:
                current.text = _join_paragraphs(paragraphs)
                turns.append(current)
            ts = m.group("ts") or (m.groupdict().get("ts_bare")) or m.groupdict().get("ts2")
            start = parse_time(ts)
            current = RawTurn(speaker=m.group("label").strip(), text="",
                              time_start=start if start is not None else pending_time, line=first_line + offset)
            pending_time = None
            first_text = (m.groupdict().get("text") or "").strip()
            paragraphs = [[first_text]] if first_text else [[]]
            continue
        if current is None:
            if line.strip():
                preamble.append(line.strip())
            continue
        if not line.strip():
            if paragraphs[-1]:
                paragraphs.append([])
        else:
            paragraphs[-1].append(line.strip())
    if current is not None:
        current.text = _join_paragraphs(paragraphs)
        turns.append(current)
    return [t for t in turns if t.text], preamble


def _cue_blocks(lines: list[str], first_line: int) -> tuple[list[RawTurn], list[str]]:
    """Turns from blocks of a timing line, a speaker line and text (older Teams .docx)."""
    turns: list[RawTurn] = []
    preamble: list[str] = []
    i = 0
    while i < len(lines):
        m = _CUE_TIMING.match(lines[i]) if "-->" in lines[i] else None
        if m is None:
            if not turns and lines[i].strip():
                preamble.append(lines[i].strip())
            elif turns and lines[i].strip():
                turns[-1].text += " " + lines[i].strip()
            i += 1
            continue
        start, end = parse_time(m.group(1)), parse_time(m.group(2))
        j = i + 1
        body: list[str] = []
        while j < len(lines) and not ("-->" in lines[j] and _CUE_TIMING.match(lines[j])):
            if lines[j].strip():
                body.append(lines[j].strip())
            j += 1
        speaker = None
        if len(body) >= 2 and _plausible_label(body[0]) and len(body[0]) <= 60:
            speaker = body.pop(0)
        if body:
            turns.append(RawTurn(speaker=speaker, text=" ".join(body), time_start=start,
                                 time_end=end, line=first_line + i))
        i = j
    return turns, preamble


def _join_paragraphs(paragraphs: list[list[str]]) -> str:
    return "\n".join(" ".join(p) for p in paragraphs if p)


def merge_turns(turns: list[RawTurn], *, sep: str = " ") -> list[RawTurn]:
    """Merge consecutive turns of one speaker, keeping the first start and last end time."""
    merged: list[RawTurn] = []
    for turn in turns:
        if merged and turn.speaker is not None and merged[-1].speaker == turn.speaker:
            last = merged[-1]
            last.text = last.text + sep + turn.text
            if turn.time_end is not None:
                last.time_end = turn.time_end
            elif turn.time_start is not None and last.time_end is not None:
                last.time_end = max(last.time_end, turn.time_start)
            continue
        merged.append(RawTurn(turn.speaker, turn.text, turn.time_start, turn.time_end,
                              turn.line, dict(turn.metadata)))
    return merged
