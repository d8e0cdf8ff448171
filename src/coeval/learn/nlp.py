"""The one place that builds spaCy pipelines.

A trained English pipeline is used when one is named (or, with no name, when one is
installed); otherwise blank English with a sentencizer and a lookup lemmatizer from
``spacy-lookups-data``. Nothing here downloads a model.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re

__all__ = ["pipeline", "has_ner", "trained_pipeline_name", "lemmas", "sentences", "lemma_table", "lemmatise",
           "TRAINED_PIPELINES"]

TRAINED_PIPELINES = ("en_core_web_sm", "en_core_web_md", "en_core_web_lg", "en_core_web_trf")


@functools.cache
def trained_pipeline_name() -> str | None:
    """The first installed trained English pipeline (``COEVAL_SPACY_MODEL`` first), or None."""
    preferred = os.environ.get("COEVAL_SPACY_MODEL")
    for name in ((preferred,) if preferred else ()) + TRAINED_PIPELINES:
        # find_spec looks without importing: spaCy itself loads only if a pipeline is there
        if name and importlib.util.find_spec(name) is not None:
            return name
    return None


def has_ner() -> bool:
    """Whether an installed trained pipeline can recognise named entities."""
    name = trained_pipeline_name()
    return name is not None and "ner" in pipeline(name).pipe_names


@functools.cache
def pipeline(name: str | None = None):
    """A spaCy ``Language``: ``name`` if given and installed, else blank English.

    Parameters
    ----------
    name : str, optional
        A trained pipeline package (``"en_core_web_sm"``). ``None`` uses an installed trained
        pipeline if there is one; ``"blank"`` always gives the rule-based pipeline.

    Returns
    -------
    spacy.language.Language
        Cached: the same object on every call with the same name.
    """
    import spacy

    if name is None:
        name = trained_pipeline_name()
    if name and name != "blank":
        if not spacy.util.is_package(name):
            from ..errors import CoevalError

            raise CoevalError(f"the spaCy pipeline {name!r} is not installed.",
                              hint="Install it with pip, or use name='blank' (rule-based, no model).")
        return spacy.load(name)
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    try:
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
    except (ValueError, OSError, ImportError):  # spacy-lookups-data missing: lemmas = lowercase
        nlp.remove_pipe("lemmatizer")
    return nlp


def lemmas(text: str, *, name: str | None = "blank") -> list[str]:
    """Lower-case lemmas of the alphabetic tokens of a text."""
    doc = pipeline(name)(text)
    return [(t.lemma_ or t.text).lower() for t in doc if t.is_alpha]


# A sentence ends at ".", "!" or "?" (and the closing quotes or brackets after it) followed by
# space: the rule of spaCy's rule-based sentencizer, without importing spaCy for it (0.7 s of a
# short run's start-up). Like spaCy's tokenizer it does not end one at an ellipsis, inside "e.g."
# or "a.m.", or after a title ("Dr. Khan"); unlike the sentencizer it leaves an opening quote or
# bracket with the sentence it opens. On the sample and 3,000 synthetic turns the two differ in
# 16 of 3,960 texts, each an opening quote or bracket the sentencizer left behind.
_TITLES = "".join(rf"(?<!\b{t})" for t in ("Mr", "Mrs", "Ms", "Dr", "St", "Prof", "Rev", "Cllr", "vs", "etc"))
# The lookahead first: the lookbehinds are tried only where a sentence could end (ten times faster).
_SENTENCE_END = re.compile(r"(?=[.!?])"
                           rf"""(?<![.\w]\.\w){_TITLES}(?:(?<!\.)\.(?!\.)|[!?]+)[)\]"'\u201d\u2019]*\s+(?=\S)""")


def sentences(text: str, *, name: str | None = "blank") -> list[str]:
    """The sentences of a text.

    With ``name="blank"`` (default) by the punctuation rule above; with a trained spaCy pipeline's
    name, by its parser, an opening bracket it leaves at the end of a sentence (its reading of
    ``"... fine. [PR-E3] said ..."``) going back to the start of the next one.
    """
    if name == "blank":
        out, start = [], 0
        for m in _SENTENCE_END.finditer(text):
            out.append(text[start:m.end()].strip())
            start = m.end()
        out.append(text[start:].strip())
        return [s for s in out if s]
    out: list[str] = []
    carry = ""
    for sent in pipeline(name)(text).sents:
        piece = carry + sent.text.strip()
        carry = ""
        while piece and piece[-1] in "[(":
            carry = piece[-1] + carry
            piece = piece[:-1].rstrip()
        if piece:
            out.append(piece)
    if carry:  # a bracket at the very end stays where it was
        if out:
            out[-1] += " " + carry
        else:
            out.append(carry)
    return out


# words the lookup table lemmatises as no reader would ("data" -> "datum")
_KEEP_AS_IS = frozenset({"data", "media", "criteria", "news", "means", "species", "series", "politics", "ethics"})


@functools.lru_cache(maxsize=1)
def lemma_table():
    """The English lookup lemmatizer's table (spacy-lookups-data): ``table.get(word, word)``.

    Read straight from the package's data file (a gzipped JSON mapping), the same table the
    blank pipeline's lookup lemmatizer loads, without importing spaCy or building a pipeline
    (most of a short run's start-up). Falls back to the pipeline if the file is not where the
    package says; an empty table (lemmas = lower case) without the package.
    """
    import gzip
    import json
    from pathlib import Path

    try:
        import spacy_lookups_data

        path = Path(str(spacy_lookups_data.en["lemma_lookup"]))
    except (ImportError, AttributeError, KeyError):
        return {}
    for candidate, opener in ((path.with_name(path.name + ".gz"), gzip.open), (path, open)):
        if candidate.is_file():
            with opener(candidate, "rt", encoding="utf-8") as fh:
                return json.load(fh)
    nlp = pipeline("blank")
    if "lemmatizer" not in nlp.pipe_names:
        return {}
    return nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")


def lemmatise(texts) -> list[str]:
    """Each text as space-joined lower-case lemmas of its words.

    The same lookup lemmatizer as the blank pipeline, applied to a regular-expression word
    split: two orders of magnitude faster than running spaCy, which matters for clustering
    100,000 texts; good enough for bag-of-words features. Acronyms (``DBS``, ``GP``) are
    kept whole, lower-cased, not lemmatised ("DBS" is not the plural of "db").
    """
    import re

    table = lemma_table()
    word = re.compile(r"[a-zA-Z][a-zA-Z'’]*[a-zA-Z]|[a-zA-Z]")
    keep = _KEEP_AS_IS
    get = table.get

    seen: dict = {}   # each distinct word lemmatised once: a text's words are mostly ones seen before

    def lemma(w):
        low = w.lower()
        out = low if low in keep or (len(w) > 1 and w.isupper()) else get(low, low)
        seen[w] = out
        return out

    out = []
    for text in texts:
        words = word.findall(str(text).replace("’", "'"))
        out.append(" ".join([seen[w] if w in seen else lemma(w) for w in words]))
    return out
