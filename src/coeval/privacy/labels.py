"""Speaker labels: the name and the role hint in a label, and labels that name nobody.

``Grace Mensah (Peer Researcher)`` is a name and a role hint; ``Speaker 2`` and ``Host`` name
nobody. Ingest uses these to split turns; the pseudonymiser to decide what to replace.
"""

from __future__ import annotations

import re

__all__ = ["split_label", "role_from_hint", "strip_titles", "GENERIC_SPEAKER", "TITLES"]

GENERIC_SPEAKER = re.compile(
    r"^(?:(?:speaker|participant|respondent|interviewer|interviewee|facilitator|moderator|host|"
    r"co-host|guest|unknown(?: speaker)?|unidentified(?: speaker)?)(?:\s*[-#]?\s*(?:\d+|[a-z]))?"
    r"|(?:p|q|a|r|i|int|resp)\s*[-#]?\s*\d*|(?:id|spk|spkr|s)\s*[-_#]?\s*\d+)$", re.I)

_ROLE_HINTS = (
    (re.compile(r"\bpeer\b|\bPR\b|\bcommunity researcher|\bcitizen scientist", re.I), "peer_researcher"),
    (re.compile(r"coordinator|organiser|organizer|\bCC\b|community lead", re.I), "community_coordinator"),
    (re.compile(r"council|nhs|commissioner|stakeholder|\bICB\b|officer|manager", re.I), "stakeholder"),
    (re.compile(r"facilitator|researcher|academic|\bdr\b|prof|institute|university|interviewer|"
                r"moderator|evaluator|\bSL\b|lead", re.I), "academic"),
)


def role_from_hint(hint: str | None) -> str | None:
    """Guess a coder/speaker role from a label suffix such as ``(Peer Researcher)``."""
    if not hint:
        return None
    for pattern, role in _ROLE_HINTS:
        if pattern.search(hint):
            return role
    return None


def split_label(label: str) -> tuple[str, str | None]:
    """Split ``Name (role)`` into the name and the role text, minding nested brackets.

    >>> split_label("Okafor, Sam (Facilitator (Institute))")
    ('Okafor, Sam', 'Facilitator (Institute)')
    >>> split_label("Grace Mensah")
    ('Grace Mensah', None)
    """
    label = " ".join(label.split())
    if not label.endswith(")"):
        return label, None
    depth = 0
    for i in range(len(label) - 1, -1, -1):
        ch = label[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            depth -= 1
            if depth == 0:
                name = label[:i].strip()
                if not name:
                    return label, None
                return name, label[i + 1 : -1].strip() or None
    return label, None  # unbalanced: leave as written


# Titles and honorifics people put before a name in a display name or a minute: "Dr. Melissa Ko",
# "Cllr Khan", "The Hon. Bill Blair", "Auntie Grace". A short list of our own: the name parsers on
# PyPI carry hundreds of titles, most of which are also ordinary words in a transcript.
TITLES = ("the", "dr", "doctor", "mr", "mrs", "ms", "miss", "mx", "prof", "professor", "cllr", "councillor", "hon",
          "honourable", "honorable", "rt", "right", "rev", "revd", "reverend", "sir", "dame", "lord", "lady",
          "auntie", "aunty", "aunt", "uncle", "sister", "brother", "imam", "father", "pastor", "sheikh", "rabbi",
          "mayor", "nurse", "coach")
_TITLE_WORDS = re.compile(r"^(?:(?:" + "|".join(TITLES) + r")\.?\s+)+", re.I)


def strip_titles(name: str) -> str:
    """A name without the titles in front of it: ``Dr. Melissa Ko`` -> ``Melissa Ko``.

    >>> strip_titles("The Hon. Bill Blair")
    'Bill Blair'
    >>> strip_titles("Dr")  # a title alone is left as it is
    'Dr'
    """
    stripped = _TITLE_WORDS.sub("", name.strip())
    return stripped if stripped else name
