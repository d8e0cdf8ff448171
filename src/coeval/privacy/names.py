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
_WORD = r"[^\W\d_][\w'’-]*"
# The next word not starting with a-z (those are never capitalised), or a replacement's "[..."
# up to its "]" in one piece: group 1. The possessive skip passes over lower-case words and other
# characters inside the regex engine, rather than one Python step per word; it never gives back,
# so a word is found only where the plain word pattern would find it.
_SCAN = re.compile(r"(?:[a-z][\w'’-]*+|[^\w\[]|[\d_])*+(\[[^\]]*|" + _WORD + ")?")
_MAX_KNOWN = 100_000
_OPENERS = frozenset(" \t\"“‘'(")


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
    # walks back over the spaces and quotes before ``start``: slicing ``text[:start]`` would copy
    # the whole text before each word, quadratic in a long document
    i = start
    while i and text[i - 1] in _OPENERS:
        i -= 1
    return not i or text[i - 1] in ".!?:\n…"


def _close(low: str, names) -> bool:
    """Whether ``low`` (case-folded) is one or two letters away from one of ``names``."""
    matcher = difflib.SequenceMatcher(None, "", low)  # the word's index is built once, not per name
    least = 0.83 if len(low) < 8 else 0.8
    for name in names:
        if name == low or abs(len(name) - len(low)) > 2:
            continue
        matcher.set_seq1(name)
        # the quick ratios are upper bounds of ratio(): most names fail on them, cheaply
        if matcher.real_quick_ratio() >= least and matcher.quick_ratio() >= least and matcher.ratio() >= least:
            return True
    return False


@functools.lru_cache(maxsize=8)
def _near_misses(roster: frozenset):
    """A test of a case-folded word against ``roster``, remembering each word's answer: a
    text repeats its capitalised words, and the project's documents share one roster."""
    by_initial: dict[str, list[str]] = {}
    for name in roster:
        by_initial.setdefault(name[0], []).append(name)
    known: dict[str, bool] = {}

    def near(low: str) -> bool:
        hit = known.get(low)
        if hit is None:
            if len(known) >= _MAX_KNOWN:  # memory stays bounded on a vast vocabulary
                known.clear()
            hit = known[low] = _close(low, by_initial.get(low[0], ()))
        return hit

    return near


def review_candidates(text: str, *, roster_names=(), exclude=frozenset()) -> list[tuple[int, int, str]]:
    """Words in ``text`` to review as possible person names: ``(start, end, kind)``.

    ``roster_names`` are the roster's single-word name forms (first names and surnames), for
    near-misses; ``exclude`` are words never to list (site names, the project's pseudonyms).
    Words inside ``[...]`` (already replaced) are skipped.
    """
    firsts = first_names()
    roster = frozenset(n.casefold() for n in roster_names if len(n) >= 4)
    near = _near_misses(roster) if roster else None
    out = []
    # A replacement's "[..." comes whole, so that the words inside it are never looked at (the
    # "[" is not upper case): rfind-ing the brackets before every word would be quadratic.
    for m in _SCAN.finditer(text):
        word = m.group(1)
        if not word or not word[:1].isupper() or word.isupper() or word in exclude:
            continue
        start = m.start(1)
        bare = word[:-2] if word.endswith(("'s", "’s")) else word
        low = bare.casefold()
        if near is not None and low not in roster and near(low):
            out.append((start, start + len(bare), "close to a roster name"))
        elif (bare in firsts and low not in _WORDS and not _sentence_start(text, start)
              and text[max(0, start - 4):start].casefold() != "the "):
            out.append((start, start + len(bare), "likely name"))
    return out
