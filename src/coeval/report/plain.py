"""Plain-language checks for text that goes to the steering group.

Reading ease and grade level, sentences that run long, acronyms never spelled out, and jargon with
plainer alternatives. The checks only report: they never change the evaluator's words. Participants'
words (text in double quotes, lines starting with ``>``) are left out of the jargon, acronym and
sentence-length checks, because we never ask anyone to rewrite what a participant said.
"""

from __future__ import annotations

import functools
import math
import re
from pathlib import Path

__all__ = ["readability", "load_jargon", "check_text", "plain_language_checks", "COLUMNS", "JARGON_PATH"]

COLUMNS = ("where", "check", "severity", "found", "suggestion", "message")
JARGON_PATH = Path(__file__).resolve().parent / "jargon.yaml"
_SHORTER = "use shorter sentences and everyday words"
_TARGET_EASE = 60.0  # "plain English" on the Flesch scale; below min_reading_ease is a warning, between is info

_WORD = re.compile(r"\S*[^\W_]\S*")  # a whitespace token with a letter or digit
_MARKER = re.compile(r"[ \t]*(?:[-*•]|#+|>|\d{1,3}[.)])[ \t]+")  # bullet, numbered item, heading, block quote
_STOP = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s|$)")
_ENDS = re.compile(r"[.!?][\"'”’)\]]*$")
_ABBREVIATIONS = frozenset("e.g i.e eg ie etc vs dr mr mrs ms prof st no cf al approx fig".split())
_QUOTED = re.compile(r'"(?:[^"\n]|\n(?![ \t]*\n))*"|“(?:[^”\n]|\n(?![ \t]*\n))*”|^[ \t]*>.*$', re.MULTILINE)
# 2+ capitals (digits, a plural "s"), not part of an identifier (PR-N1, CC-E, COVID-19) or file name
_ACRONYM = re.compile(r"(?<!\w)(?<![A-Z0-9]-)([A-Z]{2,}[0-9]*)(s?)(?!\w|-[A-Z0-9]|\.\w)")
_DEFINED_AFTER = re.compile(r"\(\s*([A-Z]{2,}[0-9]*)s?\s*\)")  # Clinical Commissioning Group (CCG)
_DEFINED_BEFORE = re.compile(r"(?<!\w)([A-Z]{2,}[0-9]*)s?\s*\(\s*([A-Za-z][^()]*)\)")  # CCG (Clinical ...)
_CAPS_RUN = re.compile(r"(?<!\w)[A-Z]{2,}(?:[ \t]+[A-Z]{2,})+(?!\w)")  # words in capitals, for emphasis
_ROMAN = re.compile(r"X{0,3}(?:IX|IV|V?I{0,3})")


@functools.cache
def _built_in() -> dict:
    import yaml

    return yaml.safe_load(JARGON_PATH.read_text(encoding="utf-8"))


@functools.cache
def _textstat():
    import importlib

    import textstat

    try:  # textstat 0.7.9+ gets the CMU dictionary through NLTK and downloads it when missing
        nltk = getattr(importlib.import_module("textstat.backend.utils._get_cmudict"), "nltk", None)
    except ImportError:
        nltk = None
    if nltk is not None:
        try:
            nltk.data.find("corpora/cmudict")
        except LookupError:
            from ..errors import CoevalError

            raise CoevalError("this textstat version would download the CMU dictionary at run time.",
                              hint="Install a version that ships it: pip install 'textstat>=0.7.7,<0.7.9'.") from None
    from .cmu import first_pronunciations_for

    first_pronunciations_for(textstat)
    return textstat



def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; bullets, headings and unpunctuated lines stand alone."""
    blocks, pos, prev = [], 0, ""
    for line in text.splitlines(keepends=True):
        start, pos = pos, pos + len(line)
        stripped = line.strip()
        marker = _MARKER.match(line)
        capital = stripped[:1].isupper() or stripped[:1].isdigit()
        if stripped and (not prev or marker or (prev[-1] not in ".!?,;:" and capital)):
            blocks.append([start + (marker.end() if marker else len(line) - len(line.lstrip())), pos])
        elif stripped:  # a wrapped line of the same paragraph
            blocks[-1][1] = pos
        prev = stripped
    spans = []
    for b_start, b_end in blocks:
        start = b_start
        for m in _STOP.finditer(text, b_start, b_end):
            before = text[start:m.start()].split()
            word = before[-1].lstrip("(\"'“‘[").lower() if before else ""
            if m.group()[0] == "." and (word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())):
                continue
            after = text[m.end():b_end].lstrip()
            if after and not (after[0].isupper() or after[0].isdigit() or after[0] in "\"“‘'(["):
                continue
            spans.append((start, m.end()))
            start = m.end()
        spans.append((start, b_end))
    trimmed = []
    for s, e in spans:
        seg = text[s:e]
        s, e = s + len(seg) - len(seg.lstrip()), e - len(seg) + len(seg.rstrip())
        if _words(text[s:e]):
            trimmed.append((s, e))
    return trimmed


def _mask_quotes(text: str) -> str:
    """The text with participants' words blanked out, keeping every other character where it was."""
    return _QUOTED.sub(lambda m: re.sub(r"\S", " ", m.group()), text)


@functools.lru_cache(maxsize=4096)
def _term_pattern(term: str) -> re.Pattern:
    """A term as a whole-word regex: any case, -ise/-ize, hyphen or space, simple endings."""
    def word(w: str) -> str:
        rx = re.escape(w).replace("'", "['’]")
        rx = re.sub(r"is(e|ation)$", r"i[sz]\1", rx)
        rx = re.sub(r"yse$", "y[sz]e", rx)
        rx = re.sub(r"our$", "ou?r", rx)
        rx = re.sub(r"tred$", "t(?:r|er)ed", rx)
        if len(w) < 4 or not w.isalpha():
            return rx
        if w.endswith("e"):
            return rx[:-1] + "(?:e|es|ed|ing)"
        if w.endswith("y") and w[-2] not in "aeiou":
            return rx[:-1] + "(?:y|ies|ied)"
        if w.endswith(("s", "x", "sh", "ch")):
            return rx + "(?:es)?"
        return rx + f"(?:s|es|{w[-1]}?ed|{w[-1]}?ing)?"

    body = r"[\s\-‐]*".join(word(w) for w in re.split(r"[\s\-‐–]+", term.strip().lower()) if w)
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def _defined_acronyms(text: str) -> set[str]:
    defined = set(_DEFINED_AFTER.findall(text))
    for acronym, long in _DEFINED_BEFORE.findall(text):
        if len(long.split()) >= 2 and long[0].upper() == acronym[0]:
            defined.add(acronym)
    return defined


def _shorten(text: str, width: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def readability(text: str, *, max_sentence_words: int = 25) -> dict:
    """Reading ease, grade level and sentence lengths of a text.

    Parameters
    ----------
    text : str
        Plain text; bullets and headings count as sentences of their own.
    max_sentence_words : int, default 25
        Sentences longer than this count in ``long_sentences``.

    Returns
    -------
    dict
        ``words`` (whitespace tokens with a letter or digit), ``sentences``, ``reading_ease`` (Flesch
        Reading Ease, higher is easier; 60 or more is plain English), ``grade`` (Flesch-Kincaid grade,
        about the years of schooling needed) and ``long_sentences``. Scores are NaN for empty text.

    Notes
    -----
    The formulas and syllable counts are textstat's. It sees the text with each of our sentences
    ending in a full stop, so a bullet list is not scored as one long sentence.

    References
    ----------
    Flesch R (1948). A new readability yardstick. J Appl Psychol 32(3):221-233.
    Kincaid JP et al. (1975). Derivation of new readability formulas for Navy enlisted personnel. Report 8-75.

    Examples
    --------
    >>> r = readability("We met every week. People said what worked and what did not.")
    >>> r["words"], r["sentences"], r["reading_ease"] > 60
    (12, 2, True)
    """
    sentences = [text[s:e] for s, e in _sentence_spans(text)]
    lengths = [_words(s) for s in sentences]
    ease = grade = math.nan
    if sum(lengths):
        ts = _textstat()
        scored = " ".join(s if _ENDS.search(s) else s + "." for s in sentences)
        ease, grade = float(ts.flesch_reading_ease(scored)), float(ts.flesch_kincaid_grade(scored))
    return {"words": sum(lengths), "sentences": len(sentences), "reading_ease": ease, "grade": grade,
            "long_sentences": sum(n > max_sentence_words for n in lengths)}


def load_jargon(extra: dict | None = None) -> dict[str, str]:
    """The built-in jargon list (word or phrase -> plainer alternatives), updated with ``extra``.

    Alternatives are separated by ``;`` (``"people involved; partners"``). Keys are lower-cased.

    Examples
    --------
    >>> load_jargon({"Deep dive": "close look"})["deep dive"]
    'close look'
    """
    jargon = {str(k).lower(): str(v) for k, v in _built_in()["jargon"].items()}
    jargon.update({str(k).strip().lower(): str(v) for k, v in (extra or {}).items()})
    return jargon


def _score_findings(text, min_reading_ease, max_grade):
    stats = readability(text)
    ease, grade, aim = stats["reading_ease"], stats["grade"], max(min_reading_ease, _TARGET_EASE)
    if ease < aim:
        hard = ease < min_reading_ease
        why = f"below {min_reading_ease:.0f} is hard going for many readers" if hard else "this is fairly hard"
        yield (-1, "reading_ease", "warning" if hard else "info", f"{ease:.0f}", _SHORTER,
               f"reading ease {ease:.0f} (aim for {aim:.0f} or more; {why}).")
    if grade > max_grade:
        yield (-1, "grade", "warning", f"{grade:.1f}", _SHORTER, f"grade level {grade:.0f}, so readers need about "
               f"{grade:.0f} years of schooling (aim for {max_grade:.0f} or lower).")


def _long_sentence_findings(text, checked, max_words):
    for s, e in _sentence_spans(checked):
        if (n := _words(checked[s:e])) > max_words:
            sentence = _shorten(text[s:e])
            yield (s, "long_sentence", "warning", sentence, "split it into shorter sentences",
                   f'a sentence of {n} words (aim for {max_words} or fewer): "{sentence}"')


def _acronym_findings(checked, defined):
    built_in = _built_in()
    skip = set(defined) | set(built_in["well_known_acronyms"]) | set(built_in["capitalised_words"])
    ordinary = set(built_in["capitalised_words"])
    shouted = [r.span() for r in _CAPS_RUN.finditer(checked) if ordinary & set(re.findall(r"[A-Z]+", r.group()))]
    for m in _ACRONYM.finditer(checked):
        acronym = m.group(1)
        if (acronym in skip or _ROMAN.fullmatch(acronym) or sum(c.isalpha() for c in acronym) >= 6
                or any(s <= m.start() < e for s, e in shouted)):  # "VERY GOOD", "SUMMARY OF FINDINGS"
            continue
        skip.add(acronym)  # once per text
        long = built_in["acronyms"].get(acronym)
        example = f"{long} ({acronym})" if long else f"the full name ({acronym})"
        yield (m.start(), "acronym", "warning", m.group(),
               example if long else "write it in full the first time, or add it to the glossary",
               f'"{m.group()}" is not spelled out; write it in full the first time, e.g. "{example}".')


def _jargon_findings(checked, jargon, glossary):
    def in_name(m):  # "Commissioning" in "Clinical Commissioning Group" is a name, not the evaluator's jargon
        before = checked[max(0, m.start() - 40):m.start()].rsplit("\n", 1)[-1].split()[-1:]
        after = checked[m.end():m.end() + 40].split("\n", 1)[0].split()[:1]
        return m.group()[0].isupper() and (any(w[0].isupper() and w[-1] not in ".!?:" for w in before)
                                            or any(w[0].isupper() for w in after))

    def blank(m):
        return " " * len(m.group())

    for term in glossary:  # the project's own terms are never jargon
        checked = _term_pattern(term).sub(blank, checked)
    for term, plain in sorted(jargon.items(), key=lambda kv: -len(kv[0])):  # "key stakeholders" before "stakeholder"
        pattern = _term_pattern(term)
        matches = [m for m in pattern.finditer(checked) if not in_name(m)]
        if matches:
            word = " ".join(matches[0].group().split())
            times = f" (used {len(matches)} times)" if len(matches) > 1 else ""
            alternatives = " or ".join(f'"{a.strip()}"' for a in str(plain).split(";") if a.strip())
            yield (matches[0].start(), "jargon", "warning", word, str(plain),
                   f'"{word}" is jargon{times}; try {alternatives}.')
            checked = pattern.sub(blank, checked)


def _as_text(text) -> str:
    return "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)


def check_text(text: str, *, where: str, glossary=None, jargon: dict | None = None, defined=(),
               max_sentence_words: int = 25, min_reading_ease: float = 50.0, max_grade: float = 10.0,
               score: bool = True, score_min_words: int = 30, skip_quotes: bool = True) -> list[dict]:
    """Plain-language findings for one piece of text, in the order they occur.

    Parameters are those of :func:`plain_language_checks`, plus ``where`` (the name of the place
    the text comes from), ``defined`` (acronyms spelled out elsewhere in the report) and ``score``
    (False leaves out reading ease and grade).

    Returns
    -------
    list of dict
        One dict per finding with the keys of :data:`COLUMNS`; the reading scores come first.
    """
    text = _as_text(text)
    glossary = [glossary] if isinstance(glossary, str) else [str(t).strip() for t in (glossary or ())]
    checked = _mask_quotes(text) if skip_quotes else text
    found = []
    if score and _words(text) >= score_min_words:  # textstat is slow to load: only when scoring
        found += _score_findings(text, min_reading_ease, max_grade)
    found += _long_sentence_findings(text, checked, max_sentence_words)
    defined = set(defined) | _defined_acronyms(text) | {t for t in glossary if _ACRONYM.fullmatch(t)}
    found += _acronym_findings(checked, defined)
    found += _jargon_findings(checked, load_jargon() if jargon is None else jargon, glossary)
    order = {c: i for i, c in enumerate(("reading_ease", "grade", "long_sentence", "acronym", "jargon"))}
    found.sort(key=lambda f: (f[0], order[f[1]]))
    return [dict(zip(COLUMNS, (where, *f[1:5], f"{where}: {f[5]}"))) for f in found]


def plain_language_checks(texts, *, glossary=None, jargon: dict | None = None, max_sentence_words: int = 25,
                          min_reading_ease: float = 50.0, max_grade: float = 10.0, score_min_words: int = 30,
                          skip_quotes: bool = True):
    """Plain-language warnings for the text of a report, for the evaluator to act on.

    Parameters
    ----------
    texts : mapping or iterable of (str, str)
        ``where -> text`` (``{"summary": ..., "codebook: Trust in researchers": ...}``) or pairs.
    glossary : mapping or iterable of str, optional
        The project's own terms (term -> plain meaning). They and their endings are never flagged as
        jargon, and those written in capitals count as spelled-out acronyms.
    jargon : dict, optional
        Word or phrase -> plainer alternatives; default :func:`load_jargon`. ``{}`` turns the check off.
    max_sentence_words : int, default 25
        Longer sentences are flagged.
    min_reading_ease, max_grade : float, default 50 and 10
        Reading ease below ``min_reading_ease`` or grade above ``max_grade`` is a warning; reading ease
        from there up to 60 is ``info``.
    score_min_words : int, default 30
        Reading ease and grade are scored only for texts at least this long (short ones give silly scores).
    skip_quotes : bool, default True
        Leave participants' words (in double quotes, or on lines starting with ``>``) out of the jargon,
        acronym and sentence-length checks. Reading scores always use the whole text.

    Returns
    -------
    pandas.DataFrame
        One row per finding, in input order of ``where`` then position in the text (reading scores first):
        ``where``; ``check`` (``reading_ease``, ``grade``, ``long_sentence``, ``acronym``, ``jargon``);
        ``severity`` (``warning`` or ``info``); ``found`` (the score, the sentence shortened to about 100
        characters, the acronym or the jargon as written); ``suggestion`` (the plainer alternative or what
        to do); ``message`` (one sentence for the evaluator).

    Raises
    ------
    CoevalError
        If ``texts`` is a single string or holds an item that is not a (where, text) pair.

    Notes
    -----
    An acronym counts as spelled out if anywhere in any of the texts it appears as ``Long Form (ACR)``
    or ``ACR (Long Form)``, or if it is in the glossary. Each undefined acronym and each jargon term is
    reported once per text, at its first occurrence. The input is never changed.

    Examples
    --------
    >>> df = plain_language_checks({"summary": "We met stakeholders from the ICB."})
    >>> df["check"].tolist()
    ['jargon', 'acronym']
    >>> df["message"].iloc[0]
    'summary: "stakeholders" is jargon; try "people involved" or "partners".'
    """
    import pandas as pd

    from ..errors import CoevalError

    if isinstance(texts, str):
        raise CoevalError("plain_language_checks needs named texts, not one string.",
                          hint='Pass {"summary": text} or [("summary", text)].')
    pairs = []
    for i, item in enumerate(texts.items() if hasattr(texts, "items") else texts):
        if isinstance(item, str) or not hasattr(item, "__len__") or len(item) != 2:
            raise CoevalError(f"item {i} of texts is not a (where, text) pair: {item!r:.60}.",
                              hint='Pass {"summary": text} or [("summary", text)].')
        pairs.append((str(item[0]), _as_text(item[1])))
    defined = set().union(*(_defined_acronyms(text) for _, text in pairs))
    jargon = load_jargon() if jargon is None else jargon
    rows = [row for where, text in pairs
            for row in check_text(text, where=where, glossary=glossary, jargon=jargon, defined=defined,
                                  max_sentence_words=max_sentence_words, min_reading_ease=min_reading_ease,
                                  max_grade=max_grade, score_min_words=score_min_words, skip_quotes=skip_quotes)]
    return pd.DataFrame(rows, columns=list(COLUMNS))
