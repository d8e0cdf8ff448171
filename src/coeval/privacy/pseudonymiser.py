"""Pseudonymisation: participants' names never reach the project store.

From a roster (name, aliases, pseudonym, role, site), speaker labels become pseudonyms and
names mentioned in the text are replaced, whole words only, first names alone too. Phone
numbers and e-mail addresses are redacted. Where a trained spaCy pipeline with an entity
recogniser is installed, other PERSON names are replaced too. Every replacement is logged as
(offset, length, category) -- never the original.

Speaker labels not in the roster (and all labels when there is no roster) become
``Unlisted 1``, ``Unlisted 2``...: numbered per project through a salted hash of the label, so
the same person gets the same pseudonym across documents without their name being stored.
"""

from __future__ import annotations

import csv
import hashlib
import re
import warnings
from pathlib import Path

from ..errors import PrivacyWarning, RosterError
from ..model import Redaction
from .identifiers import contacts
from .labels import GENERIC_SPEAKER, TITLES, role_from_hint, split_label, strip_titles
from .roster import Roster, label_key

__all__ = ["Pseudonymiser", "write_key", "warn_once"]

_MAX_VALUES = 20_000  # metadata strings whose pseudonymised form is kept (see value())
# words of a speaker label that name a role, not a person: "The Acting Chair", "Committee Clerk"
_ROLE_WORDS = frozenset({"the", "acting", "chair", "chairman", "chairwoman", "chairperson", "vice", "deputy", "clerk",
                         "minister", "member", "witness", "speaker", "host", "co-host", "moderator", "facilitator",
                         "interviewer", "interviewee", "participant", "committee", "council", "councillor", "mayor",
                         "secretary", "treasurer", "officer", "lead", "coordinator", "researcher", "presenter",
                         "translator", "interpreter", "observer", "guest", "audience", "unknown", "all", "group"})


class Pseudonymiser:
    """Replace participants' names and contact details in speaker labels and text.

    Parameters
    ----------
    roster : Roster, optional
        Who the participants are. Without one, every speaker label that is not already
        anonymous (``Speaker 1``) becomes ``Unlisted N`` and names in the text stay.
    salt : str
        Project-specific salt for hashing unlisted labels.
    unlisted : dict, optional
        Known ``{label hash: pseudonym}`` from earlier ingests; updated in place.
    redact_contacts : bool, default True
        Redact phone numbers and e-mail addresses.
    ner : {"auto", True, False}, default "auto"
        Replace PERSON entities found by a trained spaCy pipeline: ``"auto"`` when one is
        installed (saying once when none is), True to require one, False never.
    """

    def __init__(self, roster: Roster | None = None, *, salt: str = "", unlisted: dict | None = None,
                 redact_contacts: bool = True, ner="auto"):
        self.roster = roster
        self.salt = salt
        self.unlisted = {} if unlisted is None else unlisted
        self.redact_contacts = redact_contacts
        self.ner = ner
        self.seen: dict[str, str] = {}  # pseudonym -> label as written, for the optional key file
        self._variants: dict[str, str] = {}
        single_tokens: set[str] = set()
        self._exact: set[str] = set()  # initials such as "HC": matched only in capitals
        variants = roster.name_variants() if roster is not None else {}
        if roster is not None:
            for variant, people in variants.items():
                if len(people) == 1:
                    self._variants[variant.casefold()] = "[" + next(iter(people)).pseudonym + "]"
                else:
                    self._variants.setdefault(variant.casefold(), "[name]")
                if " " not in variant:
                    single_tokens.add(variant.casefold())
                    if variant.isupper():
                        self._exact.add(variant)
        self._single = single_tokens
        self._pseudonyms = {p.pseudonym for p in roster.people} if roster is not None else set()
        self._forms = set(variants)
        self._roster_words = frozenset(v for v in variants if " " not in v)  # for review()
        self._speaker_parts: dict[str, set] = {}  # name variant from an unlisted speaker label -> pseudonyms
        self._from_speakers: set[str] = set()
        self._compile_names()
        self._speakers: dict[str, tuple] = {}
        self._nlp = None
        if ner is True or ner == "auto":
            from ..learn import nlp

            if nlp.has_ner():
                self._nlp = nlp.pipeline()
            elif ner is True:
                raise RosterError("no trained spaCy pipeline with an entity recogniser is installed.",
                                  hint="Install one (e.g. en_core_web_sm) or use ner='auto'.")
            else:
                warn_once("no trained spaCy pipeline with an entity recogniser is installed, so "
                           "only roster names, phone numbers and e-mail addresses are replaced. "
                           "Install one (e.g. en_core_web_sm) to replace other names too.")

    def _compile_names(self) -> None:
        # Case-sensitive over the case forms a name is written in (as given, lower, upper,
        # title): about twice as fast as re.IGNORECASE on long texts.
        # Single names must be capitalised to count (see text()), so their lower-case forms
        # would only cost time; full names may appear in lower case in automatic captions.
        forms = {f for v in self._forms
                 for f in ((v, v.lower(), v.upper(), v.title()) if " " in v else (v, v.upper(), v.title()))}
        self._names = re.compile(rf"(?<![\w])(?:{_trie_pattern(forms)})(?![\w])") if forms else None
        # value() of the strings met so far: metadata repeats its keys ("line", "row") and many
        # of its values; what value() gives changes only with the names compiled here
        self._values: dict[tuple, str] = {}

    def learn_speakers(self, labels) -> None:
        """Take the names in speaker labels as names to replace in the text too, with each
        speaker's pseudonym: without a roster, "But Hamid..." and "Helen's place" would otherwise
        stay. Call with every label of an ingest before its text is pseudonymised."""
        added = False
        for label in dict.fromkeys(x for x in labels if x):
            pseudonym, _, _, changed = self.speaker(label)
            person = self.roster.resolve(label) if self.roster is not None else None
            if person is not None or not changed or pseudonym is None:
                continue  # on the roster (already covered), or a label that names nobody
            name, hint = split_label(label)
            name = strip_titles(name)
            if hint and strip_titles(hint) != hint:  # "The Acting Chair (Mr. Bruce Stanton)": the person is the hint
                name = f"{name} {strip_titles(hint)}" if name.casefold() not in _ROLE_WORDS else strip_titles(hint)
            name = re.sub(r"['’]s\s+(?:iphone|ipad|android|phone|laptop|galaxy|pixel|pc|computer)$", "", name,
                          flags=re.I)
            if "," in name:  # "Carter, Helen" as Teams writes it
                last, _, first = name.partition(",")
                name = f"{first.strip()} {last.strip()}"
            parts = [w for w in re.split(r"\s+", name) if len(w) > 1 and w[:1].isupper()
                     and re.fullmatch(r"[^\W\d_][\w'’-]*", w) and w.casefold() not in TITLES
                     and w.casefold() not in _ROLE_WORDS]
            name = " ".join(parts) if any(w.casefold() in _ROLE_WORDS for w in name.split()) else name
            variants = {" ".join(name.split())} | (set(parts) if len(parts) >= 2 else set(parts[:1]))
            for variant in variants:
                if not variant or variant.casefold() == pseudonym.casefold():
                    continue
                self._speaker_parts.setdefault(variant, set()).add(pseudonym)
                added = True
        if not added:
            return
        for variant, pseudonyms in self._speaker_parts.items():
            key = variant.casefold()
            if key in self._variants and key not in self._from_speakers:
                continue  # a roster name wins
            self._from_speakers.add(key)
            self._variants[key] = "[" + next(iter(pseudonyms)) + "]" if len(pseudonyms) == 1 else "[name]"
            if " " not in variant:
                self._single.add(key)
            self._forms.add(variant)
        self._compile_names()

    def review(self, text: str, *, exclude=frozenset()) -> list[tuple[int, int, str]]:
        """Words of a pseudonymised ``text`` to review as possible names (see
        :func:`coeval.privacy.names.review_candidates`): first names no check replaced, and words
        one letter away from a roster name."""
        from .names import review_candidates

        return review_candidates(text, roster_names=self._roster_words, exclude=exclude | self._pseudonyms)

    def checks(self) -> list[str]:
        """What this pseudonymiser replaces, in words (for the report's privacy statement)."""
        out = ["speaker names"]
        if self.roster is not None:
            out.insert(0, "names on the participant roster")
        if self._nlp is not None:
            out.append("other person names found by an entity recogniser")
        if self.redact_contacts:
            out += ["phone numbers", "e-mail addresses", "NHS numbers", "postcodes", "street addresses"]
        out.append("first names from a name list and near-misses of roster names, listed for review")
        return out

    def speaker(self, label: str | None) -> tuple[str | None, str | None, str | None, bool]:
        """Pseudonymise a speaker label.

        Returns
        -------
        (pseudonym, role, site, changed)
            Role and site come from the roster, else from a role suffix in the label.
        """
        if label is None:
            return None, None, None, False
        cached = self._speakers.get(label)
        if cached is None:
            cached = self._speakers[label] = self._resolve_speaker(label)
        return cached

    def _resolve_speaker(self, label: str) -> tuple[str | None, str | None, str | None, bool]:
        person = self.roster.resolve(label) if self.roster is not None else None
        if person is not None:
            self.seen.setdefault(person.pseudonym, person.name)
            return person.pseudonym, person.role, person.site, person.pseudonym != label
        name, hint = split_label(label)
        if GENERIC_SPEAKER.match(name) or name in self._pseudonyms:
            return name, role_from_hint(hint) or role_from_hint(name), None, name != label
        key = hashlib.sha256((self.salt + label_key(strip_titles(name))).encode("utf-8")).hexdigest()
        pseudonym = self.unlisted.get(key)
        if pseudonym is None:
            pseudonym = f"Unlisted {len(self.unlisted) + 1}"
            self.unlisted[key] = pseudonym
        self.seen.setdefault(pseudonym, name)
        return pseudonym, role_from_hint(hint), None, True

    def value(self, value: str) -> str:
        """Pseudonymise a metadata value: a whole name becomes the bare pseudonym."""
        key = (value, self.redact_contacts)   # the public setting can change between calls
        done = self._values.get(key)
        if done is not None:
            return done
        person = self.roster.resolve(value) if self.roster is not None else None
        done = person.pseudonym if person is not None else self.text(value)[0]
        if len(self._values) >= _MAX_VALUES:  # long free-text columns: memory stays bounded
            self._values.clear()
        self._values[key] = done
        return done

    def file_name(self, name: str) -> str:
        """A file name (or a path without suffix) with roster names in it replaced:
        ``amina_yusuf_interview.txt`` becomes ``PR-N1_interview.txt``. Words joined by ``_``,
        ``-`` or ``.`` are read as words, in any letter case, since file names rarely capitalise;
        everything else is kept as it was."""
        if self._names is None:
            return name
        # the same length as the name, so that match offsets are offsets into the name
        readable = re.sub(r"[^/\\_.\-\s]+", lambda m: m.group()[:1].upper() + m.group()[1:].lower(),
                          re.sub(r"[_.\-]", " ", name))
        out, pos = [], 0
        for m in self._names.finditer(readable):
            key = " ".join(m.group().split()).casefold()
            if key.upper() in self._exact and not name[m.start():m.end()].isupper():
                continue  # initials count only when written in capitals
            out += [name[pos:m.start()], self._variants.get(key, "[name]").strip("[]")]
            pos = m.end()
        return "".join(out) + name[pos:] if out else name

    def metadata(self, value):
        """Metadata made safe to store: every string pseudonymised (in lists and mappings too, keys
        included), dates as ISO text, sets as sorted lists, and values JSON cannot hold (binary
        data, NaN) left out or written as text."""
        import datetime
        import math

        if isinstance(value, str):
            return self.value(value)
        if isinstance(value, bool) or value is None or isinstance(value, int):
            return value
        if isinstance(value, float):
            return value if math.isfinite(value) else None
        if isinstance(value, (datetime.date, datetime.time)):
            return value.isoformat()
        if isinstance(value, dict):
            return {self.value(str(k)): self.metadata(v) for k, v in value.items()}
        if isinstance(value, (set, frozenset)):
            return sorted((self.metadata(v) for v in value), key=str)
        if isinstance(value, (list, tuple)):
            return [self.metadata(v) for v in value]
        if isinstance(value, (bytes, bytearray)):
            return "(binary data left out)"
        return self.value(str(value))

    def text(self, text: str) -> tuple[str, list[Redaction]]:
        """Replace names and contact details in a text.

        Returns
        -------
        (text, redactions)
            The new text, and where each replacement lies in it.
        """
        spans: list[tuple[int, int, str, str]] = []
        if self.redact_contacts:
            spans += contacts(text)
        if self._names is not None:
            for m in self._names.finditer(text):
                found = m.group()
                key = " ".join(found.split()).casefold()
                if key in self._single and not found[:1].isupper():
                    continue  # "grace", "sam" as ordinary words: names are capitalised
                if key.upper() in self._exact and not found.isupper():
                    continue  # "So" is a word; "SO" is initials
                spans.append((m.start(), m.end(), self._variants.get(key, "[name]"), "roster"))
        if self._nlp is not None:
            covered = spans[:]
            for ent in self._nlp(text).ents:
                if ent.label_ == "PERSON" and not any(s < ent.end_char and ent.start_char < e
                                                      for s, e, _, _ in covered):
                    spans.append((ent.start_char, ent.end_char, "[person]", "person"))
        if not spans:
            return text, []
        # earliest first; at the same start the longest (an e-mail over the name inside it)
        spans.sort(key=lambda s: (s[0], -s[1]))
        out: list[str] = []
        redactions: list[Redaction] = []
        pos = 0
        length = 0
        for start, end, replacement, category in spans:
            if start < pos:
                continue
            out.append(text[pos:start])
            length += start - pos
            out.append(replacement)
            redactions.append(Redaction(length, len(replacement), category))
            length += len(replacement)
            pos = end
        out.append(text[pos:])
        return "".join(out), redactions


def _trie_pattern(words) -> str:
    """One regex alternation for many words, factored by common prefixes.

    Python's ``re`` tries the branches of ``a|b|c`` one after another at every position; a
    prefix trie lets it reject a position on its first character, which keeps a roster of
    hundreds of names fast on long texts.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            return f"(?:{body})?"
        return body

    return emit(trie)


_warned: set[str] = set()


def warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        warnings.warn(message, PrivacyWarning, stacklevel=3)


def write_key(seen: dict[str, str], path: str | Path) -> Path:
    """Write (or extend) the key from pseudonym to real name, a CSV kept apart from the project.

    Only call this where the user asked for a key: it identifies participants.
    """
    path = Path(path)
    rows: dict[str, str] = {}
    if path.exists():
        with path.open(newline="", encoding="utf-8") as fh:
            rows.update({r["pseudonym"]: r["name"] for r in csv.DictReader(fh)})
    rows.update(seen)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["pseudonym", "name"])
        writer.writerows(sorted(rows.items()))
    return path
