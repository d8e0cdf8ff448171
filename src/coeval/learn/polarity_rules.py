"""The rules behind :class:`~coeval.PolarityClassifier`: a valence lexicon, this field's cues, sentence kinds.

A text is cut into sentences and each sentence into clauses at punctuation (so a negation never
crosses a comma: "Nothing, treatment was excellent" praises the treatment). A clause is first
asked what kind it is, and only then, if it is none of these, scored word by word:

- **praise** that names no fault ("can't fault them", "couldn't have been better", "keep it up"):
  an enabler;
- a **nil answer** ("Nothing.", "No complaints", "Nothing to improve"): an enabler, because in
  feedback it answers "what could be better?" (an enabler's nil, "Nothing", to "What was good?" is
  a barrier when the question is given);
- a **request or wish** ("More staff.", "Need more activities", "it would have been better if",
  "they should", "not enough", "too long"): a barrier whatever its positive words.

Other clauses are scored with VADER (Hutto & Gilbert 2014; MIT licence), which brings its own
negation, intensifiers and "but" (the clause after "but" weighs 1.5, the one before 0.5), with this
field's words added (service words such as *listened*, *rude*, *dismissive*, *waited*), words for a
person's condition rather than the service set to zero (*pain*, *crisis*, *illness*), and cue
phrases (*no one*, *thanks to*, *felt welcome*; a project adds its own codebook's cues).
"""

from __future__ import annotations

import re
import string
from functools import lru_cache
from operator import itemgetter

from vaderSentiment.vaderSentiment import BOOSTER_DICT, SentiText, negated, normalize

from .nlp import sentences as split_sentences
from .text import compile_cues

__all__ = ["BARRIER_CUES", "ENABLER_CUES", "FIELD_VALENCE", "CONDITION_WORDS", "analyser",
           "question_lean", "sentence_evidence", "decide"]

# -- words VADER lacks or weighs for another field (its scale: -4 to 4) --------------------------------
FIELD_VALENCE = {
    # what helped: being heard, treated well, kept informed, seen in time
    "listened": 1.8, "listens": 1.5, "listen": 1.0, "helped": 1.8, "attentive": 2.0, "professional": 1.5,
    "professionalism": 1.5, "polite": 1.8, "prompt": 1.5, "promptly": 1.5, "explained": 1.2,
    "informative": 1.5, "thorough": 1.5, "knowledgeable": 1.5, "compassionate": 2.2, "empathetic": 1.8,
    "accommodating": 1.8, "responsive": 1.5, "punctual": 1.5, "efficiently": 1.5, "organised": 1.0,
    "organized": 1.0, "quick": 1.0, "quickly": 1.0, "smooth": 1.2, "smoothly": 1.2, "seamless": 1.5,
    "approachable": 1.8, "reassurance": 1.5, "understanding": 1.2, "clean": 1.0,
    # general praise VADER's lexicon lacks
    "incredible": 2.5, "exceptional": 2.5, "marvellous": 2.8, "refreshing": 1.5, "reliable": 1.5,
    "accessible": 1.2, "convenient": 1.2, "spotless": 1.5, "tidy": 1.0, "diligent": 1.5, "skilled": 1.2,
    "helpfull": 1.8,
    # what got in the way: the service's manner, its waits, costs and forms
    "rude": -2.2, "dismissive": -2.0, "unhelpful": -2.0, "uncaring": -2.2, "condescending": -2.0,
    "patronising": -2.0, "patronizing": -2.0, "judgemental": -1.8, "impolite": -2.0, "ignored": -1.8,
    "waited": -1.2, "waiting": -1.0, "wait": -0.8, "waits": -1.0, "queue": -0.8, "queues": -1.0,
    "queuing": -1.0, "queueing": -1.0, "delay": -1.5, "delays": -1.5, "delayed": -1.5, "late": -0.8,
    "cancelled": -1.5, "canceled": -1.5, "cancellation": -1.2, "cancellations": -1.2, "postponed": -1.2,
    "jargon": -1.5, "paperwork": -1.2, "forms": -0.5, "cost": -0.8, "costs": -0.8, "expensive": -1.5,
    "fees": -0.8, "understaffed": -2.0, "rushed": -1.5, "overcrowded": -1.5, "cramped": -1.2,
    "inaccessible": -1.5, "unclear": -1.2, "misinformed": -1.8, "miscommunication": -1.5,
    "unanswered": -1.5, "unreachable": -1.5, "unavailable": -1.2, "chasing": -1.0, "chase": -0.8,
    "stranded": -2.0, "hassle": -1.5, "incompetent": -2.5, "disorganised": -1.8, "disorganized": -1.8,
    # general complaint VADER's lexicon lacks
    "filthy": -2.5, "slow": -1.2, "lengthy": -1.0, "overdue": -1.2, "overbooked": -1.5, "unreliable": -1.8,
    "inconsistent": -1.2, "inefficient": -1.8, "negligent": -2.5, "abrupt": -1.5, "curt": -1.5,
    "shouted": -1.5, "misplaced": -1.2, "hungry": -0.8, "nightmare": -2.5, "shambles": -2.5, "cold": -1.0,
    "freezing": -1.5, "overstretched": -1.8, "smelly": -1.8, "crowded": -1.0, "unclean": -2.0,
    "unhygienic": -2.2, "uninformed": -1.5, "dismissed": -1.5, "sorted": 1.2,
}
# the person's condition, not the service: "I was in pain and they helped" is about the help
CONDITION_WORDS = frozenset(
    "pain pains painful crisis illness illnesses ill sick sickness cancer tumour tumor depression depressed "
    "died die dies death deaths dead dying disease grief grieving bereaved bereavement suicide suicidal "
    "dementia injury injured hurt anxiety trauma stroke infection emergency attack disabled disability "
    "lonely loneliness isolation".split())

# talk, not evaluation: in a transcript these are discourse markers and agreement ("yes", "okay",
# "honestly", "like" as a filler), and these nouns name benefits and procedures ("universal credit",
# "asylum support" is kept: support is too often what helped)
NEUTRAL_IN_TALK = frozenset(
    "yes yeah yep yup okay ok honestly honest want wants wanted benefits credit grant consent party number top "
    "pretend joking approval".split())
# "like" counts as liking only after someone who likes ("I like", "people really like"); else a filler
_LIKERS = frozenset("i we they you he she everyone everybody people kids children staff really also just do did does "
                    "don't didn't doesn't 'd would".split())

# cue phrases this field uses that a word-level lexicon misses (each weighs 2 on VADER's scale)
BARRIER_CUES = (
    "no one", "no-one", "nobody", "red tape", "put off", "on hold", "waiting list", "waiting lists",
    "kept waiting", "left waiting", "had to wait", "had to chase", "lack of", "no answer", "no response",
    "no reply", "no help", "no support", "no information", "no communication", "no explanation",
    "pillar to post", "fell through the cracks", "gave up", "dropped out", "left out", "not listened to",
    "not taken seriously", "didn't listen", "did not listen", "never called", "never came", "lost my",
    "cut off", "hung up", "not working", "doesn't work", "didn't work", "does not work", "did not work",
    "stopped working", "out of order", "never arrived", "never arrives", "never received", "still waiting",
    "no solution", "to no avail", "can't get", "cannot get", "couldn't get", "could not get", "unable to get",
    "can't find", "cannot find", "couldn't find", "could not find", "a bit much",
    "is down", "was down", "has been down", "been down all", "still down", "always engaged", "line engaged",
    "line was engaged", "line is engaged", "lines are engaged", "phone was engaged", "phone is engaged",
    "didn't understand", "did not understand", "don't understand", "do not understand", "couldn't understand",
    "could not understand", "never heard back", "never heard another word", "heard nothing", "never heard from",
    "let us down", "let you down", "let me down", "let them down", "let down", "stop coming", "stopped coming",
    "stop attending", "stopped attending", "didn't get paid", "did not get paid", "not paid", "wasn't paid",
    "weren't paid", "never got paid", "haven't been paid", "never replied", "never responded", "didn't reply",
    "did not reply", "never got back", "didn't get back", "time off work", "had to take time off",
    "kept dropping", "kept cutting out", "kept breaking",
)
ENABLER_CUES = (
    "made it possible", "made it easier", "made a difference", "made a big difference", "thanks to",
    "felt welcome", "felt welcomed", "felt listened to", "felt heard", "felt safe", "felt valued",
    "felt supported", "took the time", "went out of their way", "went out of her way", "went out of his way",
    "on time", "at ease", "in our own language", "with the help of", "worked well", "kept me informed",
    "kept us informed", "got back to me", "sorted it", "sorted out", "well organised", "well organized",
    "well run", "looked after", "taken seriously", "you rock", "you guys rock", "you all rock",
    "made all the difference", "makes all the difference", "make all the difference", "finally got",
    "couldn't have done it without", "could not have done it without", "wouldn't have managed without",
    "would not have managed without", "wouldn't have done it without", "opened up", "because of our report",
    "after our report", "because of our findings", "after our findings", "because of our research",
    "thanks to our", "meant people could", "meant we could", "meant i could", "meant they could",
    "means people can", "means we can", "credit where it's due", "credit to", "nobody complained",
    "no one complained", "nobody minded", "no one minded", "nobody is forced", "nobody was forced",
    "no one is forced", "no one was forced", "no longer scared", "no longer worried", "less scared",
    "less worried", "less nervous", "less anxious", "less stressed", "less afraid", "less isolated",
    "less alone", "less lonely",
)
CUE_WEIGHT = 2.0
KIND_WEIGHT = {"praise": 3.5, "nil": 3.0, "request": -3.0}

_NEG = r"(?:can(?:no|')?t|could(?:n't| not)|couldnt)"
PRAISE = re.compile(
    rf"\b{_NEG} (?:fault|find (?:a |any )?fault|complain|praise \w+(?: \w+)? enough|thank \w+(?: \w+)? enough|"
    r"(?:have )?ask(?:ed)? for (?:any ?thing |a )?(?:more|better)|(?:have )?(?:been|be|do) (?:any ?thing )?"
    r"(?:better|happier|nicer|kinder|more \w+))|\bno fault\b|\bkeep (?:it up|up the good work|up the great work|"
    r"doing what you)|\bsecond to none\b|\babove and beyond\b|\bnothing (?:was )?too much (?:trouble|bother)\b|"
    r"\bno complaints?\b|\bwould(?:n't| not) change (?:a thing|anything)\b|\bshould be (?:proud|commended|praised)\b|"
    r"\b(?:10|ten) out of (?:10|ten)\b|\b10/10\b|\bfive stars?\b")
NIL = re.compile(
    r"^(?:nothing|none|nil|no|nope|n/?a|not really|nothing really|nothing at all|nothing else|no thanks|no comment|"
    r"not applicable|all good|all fine|nothing (?:that )?(?:i can think of|comes to mind)|can'?t think of anything|"
    r"nothing (?:to|i would|i'd|we would) (?:add|say|improve|change|report|complain about)|"
    r"no (?:problems?|issues?|concerns?|suggestions?|improvements?(?: needed| necessary)?))"
    r"(?: (?:at all|really|thanks|thank you|whatsoever))?$")
NIL_EMPTY = re.compile(r"^(?:nothing|none|nil|no|nope|not really|nothing really|nothing at all)$")
_AT_START = (r"^(?:please\b|help(?: me| us| please)?$|(?:can|could|would|will) (?:you|someone|somebody|anyone|"
             r"i get|we get|i have|we have)\b|(?:we |i |they |you |staff |patients |people )?needs? "
             r"(?:more|better|to|a|an|some)\b|(?:more|better|less|fewer|quicker|faster|shorter|cheaper|earlier|clearer|"
             r"easier) (?!than\b|now\b|off\b)\w+|improve\w*\b|(?:provide|increase|reduce|extend|offer|introduce|employ|"
             r"hire|recruit) \w+)")
_ANYWHERE = (r"\b(?:would (?:be|have been) (?:so |really |much |very )?(?:good|nice|better|great|helpful|useful|ideal|"
             r"lovely|easier|preferable)|it would help|would (?:have )?help(?:ed)?|would (?:like|prefer|have liked|"
             r"have preferred|love) (?:more|to see|to have|better|less|fewer|it if|if|a)|should(?:n't| not)? "
             r"(?:have|be|ask|make|do|give|offer|provide|get|let|tell|listen|take)|(?:they|you|staff|there) should|"
             r"there needs? to|needs? (?:to be|more|better|improving|improvement|to improve)|could (?:have been|be) "
             r"(?:better|improved|quicker|faster|clearer|more|less)|could (?:do with|use) (?:more|some|a|better)|"
             r"not enough|(?<!not )(?<!n't )too (?:long|much|many|few|little|slow|late|early|short|busy|far|"
             r"expensive|hot|cold|noisy|loud|small|rushed|complicated)|(?:please|need|needs|needed) (?:some )?help|"
             r"i wish|we wish|wish (?:they|there|it|you|someone|i|we)|if only|room for improvement|improvements? "
             r"(?:could|would|needed|to)|more (?:staff|time|information|support|communication|activities|parking|"
             r"choice|doctors|nurses|appointments|space|privacy|options|flexibility|notice|contact|frequent|"
             r"regular))\b")
REQUEST = re.compile(f"{_AT_START}|{_ANYWHERE}")
# a burden named by how much of it there was ("Four pages", "three calls") or how little notice
_COUNT = r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|several|many|multiple|countless)"
# (name, words every match contains or None, pattern): the pattern runs only where its words occur,
# since a substring test costs far less than a regex's scan of every position of every clause
PATTERN_CUES = (
    ("a long time", "took ", re.compile(r"\btook (?:\w+ )?(?:weeks|months|years|ages|forever)\b")),
    ("too much of it", "too ", re.compile(r"(?<!not )(?<!n't )\btoo (?!good\b|kind\b|nice\b|happy\b|glad\b|"
                                          r"pleased\b|lucky\b|grateful\b|thankful\b|proud\b|much to thank)[a-z]+\b")),
    ("short notice", " notice", re.compile(r"\b(?:(?:\w+ )?(?:days?|hours?|weeks?)'s?|short|no|little|last[- ]minute) "
                                           r"notice\b")),
    # \b before the look-behinds: it fails at once at most places, where the three look-behinds would all run
    ("count of a burden", None, re.compile(rf"\b(?<!within )(?<!under )(?<!than ){_COUNT} (?:pages|forms|letters|"
                                           r"phone calls|calls|times|hours|days|weeks|months|attempts|emails|"
                                           r"transfers)\b")),
)
_POSITIVE_Q = re.compile(r"\b(?:good|well|best|like|liked|enjoy\w*|help\w*|positive|pleased|happy|strengths?|worked)\b")
_NEGATIVE_Q = re.compile(r"\b(?:improve\w*|better|differently|change|worse|worst|bad|problems?|difficult\w*|"
                         r"dislike\w*|not like|barriers?|hard|wrong|concerns?|complain\w*|missing)\b")
# punctuation that ends a word (not the ":" or ";" of an emoticon) or a dash; not parentheses
_CLAUSES = re.compile(r"(?<=\w)[;:](?=\s|$)|,|[\u2013\u2014]|\s-\s|\b(but|however|although|though|whereas|except)\b",
                      re.I)
_CONTRAST = {"but", "however"}
_STARTS_CONTRAST = re.compile(r"\W*(?:but|however)\b", re.I)
_BRACKETED = re.compile(r"\[[^\]]{0,40}\]")
_BARE = re.compile(r"[\w'/]+")
_WORDS = re.compile(r"[\w']+")
_NON_SPACE = re.compile(r"\S+")
_PUNCTUATION = string.punctuation   # what VADER strips from a word


@lru_cache(maxsize=1)
def analyser():
    """One VADER analyser for the process, its lexicon extended with this field's words."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    vader.lexicon.update(FIELD_VALENCE)
    for word in CONDITION_WORDS | NEUTRAL_IN_TALK:
        vader.lexicon.pop(word, None)
    return vader


def question_lean(question: str | None) -> int:
    """+1 for a question about what was good, -1 for one about what could be better, else 0."""
    if not question:
        return 0
    q = question.lower()
    if _NEGATIVE_Q.search(q):
        return -1
    return 1 if _POSITIVE_Q.search(q) else 0


def _clauses(sentence: str):
    """(clause, contrast factor) pairs: the clauses before "but"/"however" weigh 0.5, after it 1.5."""
    parts, after, out = _CLAUSES.split(sentence), None, []
    # re.split with one group alternates text and the captured conjunction (or None for punctuation)
    for k in range(0, len(parts), 2):
        if k and parts[k - 1] and parts[k - 1].lower() in _CONTRAST and after is None:
            after = len(out)
        if parts[k] and parts[k].strip(" .!?'\""):
            out.append(parts[k].strip())
    if after is None:
        return [(c, 1.0) for c in out]
    return [(c, 0.5 if i < after else 1.5) for i, c in enumerate(out)]


def _negated(words) -> bool:
    return any(map(_negates, words))


@lru_cache(maxsize=4096)
def _negates(word: str) -> bool:
    """VADER's test of one word for negation, remembered: the same few words come up again and again."""
    return negated([word])


def _clause_records(clause: str, factor: float, barrier, enabler, lean: int) -> list[dict]:
    lower = clause.lower()
    praise = PRAISE.search(lower)
    if praise:
        return [{"cue": praise.group(), "kind": "praise", "negated": False, "weight": KIND_WEIGHT["praise"] * factor}]
    bare = " ".join(_BARE.findall(lower))
    if NIL.match(bare):
        weight = KIND_WEIGHT["nil"] * (-1 if lean > 0 and NIL_EMPTY.match(bare) else 1)
        return [{"cue": bare, "kind": "nil", "negated": False, "weight": weight * factor}]
    request = REQUEST.search(bare) if " than " not in f" {lower} " else None
    if request:
        return [{"cue": request.group(), "kind": "request", "negated": False,
                 "weight": KIND_WEIGHT["request"] * factor}]
    records, spans = [], []   # records: (where it starts in the clause, record), to put them in order
    # the longer cue wins where two overlap ("nobody complained" over "nobody"), whichever side
    found = [(m, sign) for pattern, sign in ((barrier, -1.0), (enabler, 1.0)) if pattern is not None
             for m in pattern.finditer(lower)]
    for m, sign in sorted(found, key=lambda f: (f[0].start() - f[0].end(), f[0].start())):
        if any(s < m.end() and m.start() < e for s, e in spans):
            continue
        spans.append((m.start(), m.end()))
        before = _WORDS.findall(lower[:m.start()])[-3:]
        neg = not _negated(m.group().split()) and _negated(before)
        records.append((m.start(), {"cue": m.group(), "kind": "cue", "negated": neg,
                                    "weight": sign * CUE_WEIGHT * (-0.74 if neg else 1.0) * factor}))
    for name, needle, pattern in PATTERN_CUES:
        if needle is not None and needle not in lower:
            continue
        for m in pattern.finditer(lower):
            if not any(s < m.end() and m.start() < e for s, e in spans):
                spans.append((m.start(), m.end()))
                records.append((m.start(), {"cue": m.group(), "kind": name, "negated": False,
                                            "weight": -1.5 * factor}))
    records += _lexicon_records(clause, factor, spans)
    return [record for _, record in sorted(records, key=itemgetter(0))]


def _lexicon_records(clause: str, factor: float, spans) -> list[tuple[int, dict]]:
    """(where it starts in the clause, record) of each word VADER gives a valence, outside ``spans``."""
    vader = analyser()
    lexicon = vader.lexicon
    # VADER's words are the clause's tokens, stripped of punctuation unless that leaves two letters
    # or fewer: with neither form of any token in the lexicon (most clauses), nothing has valence
    tokens = clause.lower().split()
    if lexicon.keys().isdisjoint(tokens) and lexicon.keys().isdisjoint([t.strip(_PUNCTUATION) for t in tokens]):
        return []
    senti = SentiText(clause)
    words = senti.words_and_emoticons
    starts = None
    records, sentiments = [], []
    for i, word in enumerate(words):
        lower = word.lower()
        # sentiment_valence gives a word outside the lexicon 0.0 without looking further, so such a
        # word (most words) skips the call
        if lower not in lexicon or lower in BOOSTER_DICT or (
                lower == "kind" and i + 1 < len(words) and words[i + 1].lower() == "of") or (
                lower == "like" and (i == 0 or words[i - 1].lower() not in _LIKERS)):
            sentiments.append(0.0)
            continue
        sentiments = vader.sentiment_valence(0.0, senti, word, i, sentiments)
        valence = sentiments[-1]
        if not valence:
            continue
        if starts is None:
            starts = [m.start() for m in _NON_SPACE.finditer(clause)]
        at = starts[i] if i < len(starts) else 0
        if not any(s <= at < e for s, e in spans):
            raw = lexicon[lower]
            records.append((at, {"cue": lower, "kind": "lexicon", "negated": (raw > 0) != (valence > 0),
                                 "weight": valence * factor}))
    return records


def sentence_evidence(text: str, barrier_cues=(), enabler_cues=(), question: str | None = None):
    """Per sentence of ``text``: (sentence, records, score in -1..1). See the module docstring."""
    barrier, enabler = compile_cues(tuple(barrier_cues)), compile_cues(tuple(enabler_cues))
    lean = question_lean(question)
    text = str(text).replace("\u2019", "'").replace("\u2018", "'")
    # a transcript's bracketed notes ("[laughs]", a pseudonym "[PR-E2]") are not what was said
    text = " ".join(_BRACKETED.sub(" ", text).split())
    out = []
    sentences = split_sentences(text)   # the same rule as everywhere: "Dr. Khan" stays one
    for k, sentence in enumerate(sentences):
        records = []
        # "It was good. But the forms..." weighs as VADER weighs "but" within a sentence: the
        # sentence a "But"/"However" sentence answers counts half (the "But" one already 1.5)
        answered = k + 1 < len(sentences) and _STARTS_CONTRAST.match(sentences[k + 1])
        for clause, factor in _clauses(sentence):
            records += _clause_records(clause, factor * (0.5 if answered else 1.0), barrier, enabler, lean)
        total = sum(r["weight"] for r in records)
        if total:  # VADER's emphasis: each "!" adds 0.292, up to four
            total += (1 if total > 0 else -1) * min(sentence.count("!"), 4) * 0.292
        out.append((sentence, records, normalize(total) if total else 0.0))
    return out


def decide(scores, lean: int = 0, *, threshold: float = 0.05, mixed_at: float = 0.5) -> tuple[str, float, float]:
    """The label from sentence scores: (label, enabler side, barrier side).

    Sentences scoring beyond ``threshold`` count for their side; a question's lean adds 0.15.
    ``mixed`` when both sides reach ``mixed_at`` and neither is 1.5 times the other, or when the
    two sides are exactly equal (a tie decides for neither). No sentence at all (an empty
    answer) is ``neutral`` whatever the question: the lean tips what was said, not silence.
    """
    if not len(scores):
        return "neutral", 0.0, 0.0
    pos = sum(s for s in scores if s >= threshold) + (0.15 if lean > 0 else 0.0)
    neg = -sum(s for s in scores if s <= -threshold) + (0.15 if lean < 0 else 0.0)
    if pos == 0 and neg == 0:
        return "neutral", pos, neg
    if min(pos, neg) >= mixed_at and max(pos, neg) < 1.5 * min(pos, neg):
        return "mixed", pos, neg
    if pos == neg:
        return "mixed", pos, neg
    return ("enabler" if pos > neg else "barrier"), pos, neg
