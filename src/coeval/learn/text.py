"""Plain-text helpers the estimators share: their input as a list of strings, one way of
lower-casing and spacing a text, and cue phrases compiled into one pattern."""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["as_texts", "normalise", "compile_cues"]


def as_texts(texts) -> list[str]:
    """A list of strings from any sequence of texts; None and NaN become ""."""
    if isinstance(texts, str):
        raise TypeError("pass a list of texts, not one string (wrap it: [text])")
    return ["" if t is None or (isinstance(t, float) and t != t) else str(t) for t in texts]


def normalise(text: str) -> str:
    """Lower case, typographic apostrophes made plain, runs of white space made one space: the
    form cue patterns are matched against."""
    return " ".join(str(text).lower().replace("\u2019", "'").replace("\u2018", "'").split())


@lru_cache(maxsize=64)
def compile_cues(cues: tuple[str, ...]):
    """One pattern for a tuple of cue phrases (longest first, whole words, any spacing), to match
    :func:`normalise`'d text; None if there are none.

    The phrases are grouped by first letter (``n(?:o one|obody|...)|t(?:hanks to|...)``): as one
    flat list of alternatives the regex engine tried all of them (some 200 by default) at every
    word. The matches are the same: at each place only one group can match, and within it the
    longest phrase is still tried first.
    """
    groups: dict[str, list[str]] = {}
    for cue in sorted({normalise(c) for c in cues if c and c.strip()}, key=len, reverse=True):
        groups.setdefault(cue[0], []).append(cue)
    if not groups:
        return None

    def escape(phrase):
        return re.escape(phrase).replace(r"\ ", r"\s+")

    alternatives = "|".join(escape(first) + "(?:" + "|".join(escape(cue[1:]) for cue in group) + ")"
                            for first, group in groups.items())
    return re.compile(r"(?<![\w'])(?:" + alternatives + r")(?![\w'])")
