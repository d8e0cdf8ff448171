"""The report's words for things: roles, kinds of record, counts with their nouns, lists, short quotes."""

from __future__ import annotations

import re

__all__ = ["ROLE_NAMES", "KIND_NAMES", "plural", "role_name", "join_and", "shorten"]

ROLE_NAMES = {
    "peer_researcher": "peer researcher",
    "community_coordinator": "community coordinator",
    "community_member": "community member",
    "academic": "academic researcher",
    "stakeholder": "partner organisation",
    "participant": "participant",
}
KIND_NAMES = {"transcript": "workshop transcripts", "observation": "observation notes",
              "discussion": "group discussions", "survey": "survey answers", "notes": "notes"}


def plural(n: int, one: str, many: str | None = None) -> str:
    """``3 people``, ``1 person``: a count with its noun."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def role_name(role) -> str:
    return ROLE_NAMES.get(role, str(role).replace("_", " ")) if role else "unknown role"


def join_and(items) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def shorten(text: str, max_words: int) -> str:
    """The passage, cut at a sentence end (or a word) near ``max_words`` words, with an ellipsis."""
    text = " ".join(text.split())
    words = text.split()
    if len(words) <= max_words:
        return text
    sentences = re.split(r"(?<=[.!?])\s+", text)
    out = []
    for s in sentences:
        if len(" ".join(out + [s]).split()) > max_words:
            break
        out.append(s)
    if out and len(" ".join(out).split()) >= max_words // 3:
        return " ".join(out) + " …"
    return " ".join(words[:max_words]).rstrip(",;:") + " …"
