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
    :func:`normalise`'d text; None if there are none."""
    cues = sorted({normalise(c) for c in cues if c and c.strip()}, key=len, reverse=True)
    if not cues:
        return None
    return re.compile(r"(?<![\w'])(?:" + "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in cues) + r")(?![\w'])")
