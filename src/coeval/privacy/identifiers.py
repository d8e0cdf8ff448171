"""Identifying strings: e-mail addresses, phone numbers, NHS numbers, postcodes, street addresses, and
roster names in text meant to be shared.

The pseudonymiser redacts contacts with these patterns at ingest; the report's privacy gate
uses :func:`find_identifiers` to check what is about to leave.
"""

from __future__ import annotations

import hashlib
import re

from .roster import Roster

__all__ = ["EMAIL_PATTERN", "PHONE_PATTERN", "PHONE_RE", "phone_numbers", "nhs_numbers", "postcodes",
           "street_addresses", "contacts", "name_hash", "find_identifiers"]

EMAIL_PATTERN = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
# Candidates only: a run of digits, spaces and phone punctuation. No lookbehind: a pattern that
# starts with a character class lets re skip ahead quickly; the character before a match is
# checked in Python. Each candidate is then judged by Google's libphonenumber (``phonenumbers``).
PHONE_PATTERN = r"[+(\d][\d ()\-.]{7,18}\d(?![\w])"
_MIN_PHONE_DIGITS = 9
_HAS_DIGIT = re.compile(r"\d").search
PHONE_RE = re.compile(PHONE_PATTERN)
# what looks like a phone number to a pattern but is not one: ORCiDs, ISBNs, ISO dates and times
_NOT_PHONE = re.compile(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]|97[89][- ]?\d{1,5}[- ]\d+[- ]\d+[- ]?[\dX]"
                        r"|\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{1,2}:\d{2}")
# NHS numbers: ten digits, as 3-3-4, first digit 3-9 (phone numbers start with 0 or +), valid mod-11 check digit
_NHS = re.compile(r"(?<![\d\w])([3-9]\d{2})[ -]?(\d{3})[ -]?(\d{4})(?![\d\w])")
# UK postcodes (the Royal Mail format: outward code, space, inward code). No well-kept library
# finds postcodes in running text (the ones on PyPI validate a string that already is one), so
# the published format is written out here.
_POSTCODE = re.compile(r"\b(?:GIR ?0AA|[A-PR-UWYZ](?:[0-9][0-9A-HJKPSTUW]?|[A-HK-Y][0-9][0-9ABEHMNPRV-Y]?) ?"
                       r"[0-9][ABD-HJLNP-UW-Z]{2})\b")
# a house number and a street: "14 Oak Road", "Flat 3, 22 Kingsley Street"
_STREET_TYPES = ("Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Drive|Dr|Way|Crescent|Court|Place|Terrace|Gardens"
                 "|Grove|Hill|Park|Square|Walk|Row|Mews|View|Rise|Parade|Green|Vale")
_ADDRESS = re.compile(rf"\b(?:(?:Flat|Apartment|Unit)\s+\d+[A-Za-z]?,?\s+)?\d{{1,4}}[A-Za-z]?,?\s+"
                      rf"(?:[A-Z][a-z'’-]+\s+){{1,3}}(?:{_STREET_TYPES})\b\.?")


def _is_phone(candidate: str) -> bool:
    """Whether libphonenumber takes this for a possible phone number (UK first, else international)."""
    import phonenumbers

    bare = candidate.strip().lstrip("(")
    if not bare.startswith(("0", "+")):
        return False  # UK numbers are written from their 0 (or +44); "page 123456789" is no phone
    try:
        number = phonenumbers.parse(candidate, None if bare.startswith("+") else "GB")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_possible_number(number)


def phone_numbers(text: str, pattern=PHONE_RE):
    """Phone-number matches: enough digits, not glued to a word, a longer number, a DOI or a date,
    and a possible number to libphonenumber."""
    if not _HAS_DIGIT(text):
        return
    for m in pattern.finditer(text):
        before = text[m.start() - 1] if m.start() else " "
        after = text[m.end()] if m.end() < len(text) else " "
        if before.isalnum() or before in "_+/." or after in "/":
            continue  # inside a longer token: 10.1080/0142159X.2020..., a path, a version
        found = m.group()
        if sum(c.isdigit() for c in found) < _MIN_PHONE_DIGITS or _NOT_PHONE.fullmatch(found.strip(" ().-")):
            continue
        if _NOT_PHONE.search(text, max(0, m.start() - 4), m.end() + 4) and not found.lstrip().startswith(("0", "+")):
            continue
        if _is_phone(found):
            yield m


def nhs_numbers(text: str):
    """NHS numbers: ten digits with a valid check digit (modulus 11), as the NHS issues them."""
    if not _HAS_DIGIT(text):
        return
    for m in _NHS.finditer(text):
        digits = "".join(m.groups())
        total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
        check = 11 - total % 11
        check = 0 if check == 11 else check
        if check != 10 and check == int(digits[9]):
            yield m


def postcodes(text: str):
    """UK postcodes (``M14 5TQ``, ``SW1A 1AA``)."""
    return _POSTCODE.finditer(text) if _HAS_DIGIT(text) else iter(())


def street_addresses(text: str):
    """A house number and a street (``14 Oak Road``, ``Flat 3, 22 Kingsley Street``)."""
    return _ADDRESS.finditer(text) if _HAS_DIGIT(text) else iter(())


def contacts(text: str, *, email=True, phone=True) -> list[tuple[int, int, str, str]]:
    """Every contact detail in ``text`` as ``(start, end, replacement, category)``: e-mail addresses,
    NHS numbers, phone numbers, postcodes and street addresses (an NHS number is never also a phone)."""
    spans = []
    if email and "@" in text:
        spans += [(m.start(), m.end(), "[email]", "email") for m in re.finditer(EMAIL_PATTERN, text)]
    if not phone or not _HAS_DIGIT(text):
        return spans
    nhs = [(m.start(), m.end(), "[nhs-number]", "nhs") for m in nhs_numbers(text)]
    spans += nhs
    spans += [(m.start(), m.end(), "[phone]", "phone") for m in phone_numbers(text)
              if not any(s < m.end() and m.start() < e for s, e, _, _ in nhs)]
    spans += [(m.start(), m.end(), "[postcode]", "postcode") for m in postcodes(text)]
    spans += [(m.start(), m.end(), "[address]", "address") for m in street_addresses(text)]
    return spans


def name_hash(salt: str, variant: str) -> str:
    """The salted hash under which a project keeps a roster name variant."""
    return hashlib.sha256((salt + " ".join(variant.split()).casefold()).encode("utf-8")).hexdigest()


_NAME_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def find_identifiers(text: str, *, salt: str = "", hashes=frozenset(), roster: Roster | None = None,
                     max_words: int = 4, any_case: bool = False) -> list[tuple[str, str]]:
    """What in ``text`` could identify a participant.

    Capitalised runs of one to ``max_words`` words whose salted hash is one of ``hashes`` (the
    project's roster name variants, which the project keeps instead of the names), or that are a
    name variant of ``roster``; and contact details (see :func:`contacts`).

    Returns
    -------
    list of (kind, found)
        ``kind`` is ``name``, ``email``, ``phone``, ``nhs``, ``postcode`` or ``address``.

    Notes
    -----
    In running text only capitalised words are taken for names ("grace" is a word);
    ``any_case=True`` checks every word, for labels such as coder names.
    """
    found: list[tuple[str, str]] = []
    found += [(category, text[start:end]) for start, end, _, category in sorted(contacts(text))]
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
