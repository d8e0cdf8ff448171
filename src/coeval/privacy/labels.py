"""Speaker labels: the name and the role hint in a label, and labels that name nobody.

``Grace Mensah (Peer Researcher)`` is a name and a role hint; ``Speaker 2`` and ``Host`` name
nobody. Ingest uses these to split turns; the pseudonymiser to decide what to replace.
"""

from __future__ import annotations

import re

__all__ = ["split_label", "role_from_hint", "GENERIC_SPEAKER"]

GENERIC_SPEAKER = re.compile(
    r"^(?:(?:speaker|participant|respondent|interviewer|interviewee|facilitator|moderator|host|"
    r"co-host|guest|unknown(?: speaker)?|unidentified(?: speaker)?)(?:\s*[-#]?\s*(?:\d+|[a-z]))?"
    r"|(?:p|q|a|r|i|int|resp)\s*[-#]?\s*\d*)$", re.I)

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
