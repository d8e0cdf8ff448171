"""Identifying strings: e-mail addresses, phone numbers, and roster names in text meant to be shared.

The pseudonymiser redacts contacts with these patterns at ingest; the report's privacy gate
uses :func:`find_identifiers` to check what is about to leave.
"""

from __future__ import annotations

import hashlib
import re

from .roster import Roster

__all__ = ["EMAIL_PATTERN", "PHONE_PATTERN", "PHONE_RE", "phone_numbers", "name_hash", "find_identifiers"]

EMAIL_PATTERN = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
# No lookbehind: a pattern that starts with a character class lets re skip ahead quickly;
# the character before a match is checked in Python instead.
PHONE_PATTERN = r"[+(\d][\d ()\-.]{7,18}\d(?![\w])"
_MIN_PHONE_DIGITS = 9
_HAS_DIGIT = re.compile(r"\d").search
PHONE_RE = re.compile(PHONE_PATTERN)


def phone_numbers(text: str, pattern=PHONE_RE):
    """Phone-number matches: enough digits, not glued to a word or a longer number."""
    if not _HAS_DIGIT(text):
        return
    for m in pattern.finditer(text):
        before = text[m.start() - 1] if m.start() else " "
        if not (before.isalnum() or before in "_+") and sum(c.isdigit() for c in m.group()) >= _MIN_PHONE_DIGITS:
            yield m


def name_hash(salt: str, variant: str) -> str:
    """The salted hash under which a project keeps a roster name variant."""
    return hashlib.sha256((salt + " ".join(variant.split()).casefold()).encode("utf-8")).hexdigest()


_NAME_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def find_identifiers(text: str, *, salt: str = "", hashes=frozenset(), roster: Roster | None = None,
                     max_words: int = 4, any_case: bool = False) -> list[tuple[str, str]]:
    """What in ``text`` could identify a participant.

    Capitalised runs of one to ``max_words`` words whose salted hash is one of ``hashes`` (the
    project's roster name variants, which the project keeps instead of the names), or that are a
    name variant of ``roster``; and e-mail addresses and phone numbers.

    Returns
    -------
    list of (kind, found)
        ``kind`` is ``name``, ``email`` or ``phone``.

    Notes
    -----
    In running text only capitalised words are taken for names ("grace" is a word);
    ``any_case=True`` checks every word, for labels such as coder names.
    """
    found: list[tuple[str, str]] = []
    found += [("email", m.group()) for m in re.finditer(EMAIL_PATTERN, text)]
    found += [("phone", m.group()) for m in phone_numbers(text)]
    known = {" ".join(v.split()).casefold() for v in roster.name_variants()} if roster is not None else set()
    if not hashes and not known:
        return found
    words = [m for m in _NAME_WORD.finditer(text)]
    for i, first in enumerate(words):
        if not any_case and not first.group()[:1].isupper():
            continue  # names are capitalised; "grace" and "will" are words
        for j in range(i, min(i + max_words, len(words))):
            if j > i and text[words[j - 1].end():words[j].start()].strip():
                break  # "Amina, Yusuf" is two names, not one run
            phrase = text[first.start():words[j].end()]
            if j == i and len(phrase) <= 2 and not phrase.isupper() and not any_case:
                continue  # initials are written in capitals: "SO" may be someone, "So" is a word
            bare = re.sub(r"['’]s$", "", phrase)  # "Amina's"
            for form in dict.fromkeys((phrase, bare)):
                key = " ".join(form.split()).casefold()
                if key in known or (hashes and name_hash(salt, form) in hashes):
                    found.append(("name", form))
                    break
    return found
