"""Likely person names the roster and the speaker labels did not cover, for a person to review.

Without a trained entity recogniser, a capitalised word in mid-sentence that is a first name in
the person-name lists Faker ships (its providers for British, Irish, American, Indian, Pakistani,
Nigerian, Kenyan, Romanian, Polish, Slovak, Czech, Hungarian, Turkish and other locales), or a
word one letter away from a roster name ("Connor" for "Conor", as speech recognition writes
it), is listed for review: never replaced on a guess, never silently left.
"""

from __future__ import annotations

import difflib
import functools
import importlib
import re

__all__ = ["first_names", "surnames", "review_candidates", "REVIEW_KINDS"]

REVIEW_KINDS = {"likely name": "a capitalised word that is a common first name",
                "close to a roster name": "a word one or two letters away from a name on the roster"}
_LOCALES = ("en_GB", "en_US", "en_IE", "en_IN", "en_PK", "en_NG", "en_KE", "ro_RO", "pl_PL", "sk_SK", "cs_CZ",
            "hu_HU", "tr_TR", "es_ES", "pt_PT", "fr_FR", "it_IT", "de_DE", "hr_HR", "lt_LT", "lv_LV", "sw", "ha_NG",
            "ig_NG", "tw_GH", "id_ID", "az_AZ")
_LATIN = re.compile(r"[A-Za-zÀ-ž'’-]{2,}")
# first names that, capitalised in mid-sentence, are more often something else: months, a title
_WORDS = frozenset({"may", "june", "april", "august", "will", "major", "king", "page", "miles", "summer",
                    "autumn", "christian", "ok", "amen", "royal", "star", "sunny", "ramadan", "eid", "christmas",
                    "easter", "diwali", "hanukkah", "advent", "lent", "english", "british", "islam", "allah",
                    "god", "lord", "bible", "koran", "quran"})
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _provider_names(attrs) -> frozenset:
    names = set()
    for locale in _LOCALES:
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except ImportError:  # a locale a future Faker drops
            continue
        for attr in attrs:
            values = getattr(provider, attr, None) or ()
            names |= {v for v in (values.keys() if hasattr(values, "keys") else values) if _LATIN.fullmatch(v)}
    return frozenset(names)


@functools.lru_cache(maxsize=1)
def first_names() -> frozenset:
    """First names in Latin script from Faker's person providers."""
    return _provider_names(("first_names", "first_names_male", "first_names_female"))


@functools.lru_cache(maxsize=1)
def surnames() -> frozenset:
    """Surnames in Latin script from Faker's person providers."""
    return _provider_names(("last_names",))


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"“‘'(")
    return not before or before[-1] in ".!?:\n…"


def _close(word: str, names) -> bool:
    low = word.casefold()
    for name in names:
        if name == low or abs(len(name) - len(low)) > 2 or name[0] != low[0]:
            continue
        if difflib.SequenceMatcher(None, name, low).ratio() >= (0.83 if len(low) < 8 else 0.8):
            return True
    return False


def review_candidates(text: str, *, roster_names=(), exclude=frozenset()) -> list[tuple[int, int, str]]:
    """Words in ``text`` to review as possible person names: ``(start, end, kind)``.

    ``roster_names`` are the roster's single-word name forms (first names and surnames), for
    near-misses; ``exclude`` are words never to list (site names, the project's pseudonyms).
    Words inside ``[...]`` (already replaced) are skipped.
    """
    firsts = first_names()
    roster = {n.casefold() for n in roster_names if len(n) >= 4}
    out = []
    for m in _WORD.finditer(text):
        word = m.group()
        if not word[:1].isupper() or word.isupper() or word in exclude:
            continue
        start = m.start()
        if text.rfind("[", 0, start) > text.rfind("]", 0, start):
            continue  # inside a replacement such as [PR-N1]
        bare = re.sub(r"['’]s$", "", word)
        if roster and bare.casefold() not in roster and _close(bare, roster):
            out.append((start, start + len(bare), "close to a roster name"))
        elif (bare in firsts and bare.casefold() not in _WORDS and not _sentence_start(text, start)
              and text[max(0, start - 4):start].casefold() != "the "):
            out.append((start, start + len(bare), "likely name"))
    return out
