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
import io
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from .errors import PrivacyWarning, RosterError
from .model import Redaction

__all__ = ["Person", "Roster", "Pseudonymiser", "role_from_hint", "write_key", "name_hash", "find_identifiers"]

GENERIC_SPEAKER = re.compile(
    r"^(?:(?:speaker|participant|respondent|interviewer|interviewee|facilitator|moderator|host|"
    r"co-host|guest|unknown(?: speaker)?|unidentified(?: speaker)?)(?:\s*[-#]?\s*(?:\d+|[a-z]))?"
    r"|(?:p|q|a|r|i|int|resp)\s*[-#]?\s*\d*)$", re.I)

_ROLE_HINTS = (
    (re.compile(r"\bpeer\b|\bPR\b|\bcommunity researcher|\bcitizen scientist", re.I), "peer_researcher"),
    (re.compile(r"coordinator|organiser|organizer|\bCC\b|community lead", re.I), "community_coordinator"),
    (re.compile(r"council|nhs|commissioner|stakeholder|\bICB\b|officer|manager", re.I), "stakeholder"),
    (re.compile(r"facilitator|researcher|academic|\bdr\b|prof|institute|university|interviewer|"
                r"moderator|evaluator|\bSL\b|lead", re.I), "academic"),
)

_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
# No lookbehind: a pattern that starts with a character class lets re skip ahead quickly;
# the character before a match is checked in Python instead.
_PHONE = r"[+(\d][\d ()\-.]{7,18}\d(?![\w])"
_MIN_PHONE_DIGITS = 9
_HAS_DIGIT = re.compile(r"\d").search
_PHONE_RE = re.compile(_PHONE)


def _phones(text: str, pattern=_PHONE_RE):
    """Phone-number matches: enough digits, not glued to a word or a longer number."""
    if not _HAS_DIGIT(text):
        return
    for m in pattern.finditer(text):
        before = text[m.start() - 1] if m.start() else " "
        if not (before.isalnum() or before in "_+") and sum(c.isdigit() for c in m.group()) >= _MIN_PHONE_DIGITS:
            yield m


def role_from_hint(hint: str | None) -> str | None:
    """Guess a coder/speaker role from a label suffix such as ``(Peer Researcher)``."""
    if not hint:
        return None
    for pattern, role in _ROLE_HINTS:
        if pattern.search(hint):
            return role
    return None


def _norm(label: str) -> str:
    label = unicodedata.normalize("NFC", label).replace("’", "'").replace("‘", "'")
    return " ".join(label.split()).casefold()


def _ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


@dataclass(frozen=True)
class Person:
    """One participant: their real name, aliases, pseudonym, role and site."""

    name: str
    pseudonym: str
    role: str | None = None
    site: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass
class Roster:
    """The participants of an evaluation, and how each is to be called in the project.

    Read with :meth:`from_csv` (columns ``name``, ``pseudonym``, optional ``aliases``
    (separated by ``;``), ``role``, ``site``). The roster itself is never stored in a project.
    """

    people: list[Person] = field(default_factory=list)
    source: str | None = None

    def __post_init__(self):
        self._by_label: dict[str, Person] = {}
        for person in self.people:
            for label in (person.name, *person.aliases):
                self._by_label.setdefault(_norm(label), person)
                self._by_label.setdefault(_norm(_ascii_fold(label)), person)
            parts = person.name.split()
            if len(parts) >= 2:  # "Surname, First" as Teams writes it
                self._by_label.setdefault(_norm(f"{parts[-1]}, {' '.join(parts[:-1])}"), person)
                self._by_label.setdefault(_norm(f"{parts[-1]} {' '.join(parts[:-1])}"), person)

    def __len__(self) -> int:
        return len(self.people)

    def __repr__(self) -> str:
        return f"Roster({len(self.people)} people, source={self.source!r})"

    @classmethod
    def from_csv(cls, path: str | Path) -> Roster:
        """Read a roster CSV; see the class docstring for its columns.

        Raises
        ------
        RosterError
            Missing file or column, empty name or pseudonym, a pseudonym used for two
            people, or a pseudonym that is also someone's name.
        """
        path = Path(path)
        try:
            raw = path.read_bytes()
        except OSError:
            raise RosterError("cannot be read (does it exist?).", path=path,
                              hint="Give the roster CSV's path, or name it in manifest.csv.") from None
        from .ingest.textio import decode_bytes, normalise_text

        reader = csv.DictReader(io.StringIO(normalise_text(decode_bytes(raw, path=path))))
        columns = [c.strip().lower() for c in (reader.fieldnames or [])]
        for needed in ("name", "pseudonym"):
            if needed not in columns:
                raise RosterError(
                    f"has no '{needed}' column (columns: {', '.join(columns) or 'none'}).",
                    path=path, line=1,
                    hint="A roster needs columns name, pseudonym and optionally aliases, role, site.")
        people: list[Person] = []
        for lineno, row in enumerate(reader, start=2):
            if None in row:
                raise RosterError(
                    "has more fields than the header has columns.", path=path, line=lineno,
                    hint="A value containing a comma must be in double quotes, e.g. "
                         '"Helen;Carter, Helen".')
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k}
            if not any(row.values()):
                continue
            if not row.get("name") or not row.get("pseudonym"):
                raise RosterError("has an empty name or pseudonym.", path=path, line=lineno,
                                  hint="Every row needs both a name and a pseudonym.")
            aliases = tuple(a.strip() for a in row.get("aliases", "").split(";") if a.strip())
            people.append(Person(unicodedata.normalize("NFC", row["name"]), row["pseudonym"],
                                 row.get("role") or None, row.get("site") or None,
                                 tuple(unicodedata.normalize("NFC", a) for a in aliases)))
        return cls.validated(people, source=str(path))

    @classmethod
    def validated(cls, people: list[Person], source: str | None = None) -> Roster:
        """Build a roster, checking pseudonyms are unique and are nobody's name."""
        seen: dict[str, Person] = {}
        names = {_norm(p.name) for p in people} | {_norm(a) for p in people for a in p.aliases}
        for i, person in enumerate(people, start=2):
            other = seen.get(person.pseudonym)
            if other is not None and other.name != person.name:
                raise RosterError(f"pseudonym {person.pseudonym!r} is given to two people.",
                                  path=source, line=i, hint="Give each person their own pseudonym.")
            seen[person.pseudonym] = person
            if _norm(person.pseudonym) in names:
                raise RosterError(f"pseudonym {person.pseudonym!r} is also a participant's name.",
                                  path=source, line=i, hint="Choose pseudonyms that are not real names.")
        return cls(people, source=source)

    def resolve(self, label: str) -> Person | None:
        """The person a speaker label names, trying role suffixes off one at a time."""
        from .ingest.turns import split_label

        seen = set()
        while label and label not in seen:
            seen.add(label)
            person = self._by_label.get(_norm(label))
            if person is not None:
                return person
            label, hint = split_label(label)
            if hint is None:
                break
        return None

    def name_variants(self) -> dict[str, set[Person]]:
        """Every way each person may be named in text: full names, aliases, first names, surnames."""
        variants: dict[str, set[Person]] = {}

        def add(v: str, p: Person):
            v = " ".join(v.split())
            if len(v) < 2:
                return
            forms = {v, _ascii_fold(v)}
            # Word types a curly apostrophe where a roster has a straight one, and vice versa.
            forms |= {f.replace("'", "’") for f in forms} | {f.replace("’", "'") for f in forms}
            for form in forms:
                if form:
                    variants.setdefault(form, set()).add(p)

        for p in self.people:
            for label in (p.name, *p.aliases):
                from .ingest.turns import split_label

                bare = split_label(label)[0]
                add(bare, p)
                if "," in bare:  # "Carter, Helen" -> also "Helen Carter"
                    last, _, first = bare.partition(",")
                    add(f"{first.strip()} {last.strip()}", p)
            parts = p.name.split()
            if len(parts) >= 2:
                add(parts[0], p)
                add(parts[-1], p)
        return variants


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
        if roster is not None:
            for variant, people in roster.name_variants().items():
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
        self._email = re.compile(_EMAIL) if redact_contacts else None
        self._phone = _PHONE_RE if redact_contacts else None
        # Case-sensitive over the case forms a name is written in (as given, lower, upper,
        # title): about twice as fast as re.IGNORECASE on long texts.
        # Single names must be capitalised to count (see text()), so their lower-case forms
        # would only cost time; full names may appear in lower case in automatic captions.
        forms = {f for v in roster.name_variants()
                 for f in ((v, v.lower(), v.upper(), v.title()) if " " in v else (v, v.upper(), v.title()))} \
            if roster is not None else set()
        self._names = (re.compile(rf"(?<![\w])(?:{_trie_pattern(forms)})(?![\w])")
                       if forms else None)
        self._speakers: dict[str, tuple] = {}
        self._nlp = None
        if ner is True or ner == "auto":
            from . import nlp

            if nlp.has_ner():
                self._nlp = nlp.pipeline()
            elif ner is True:
                raise RosterError("no trained spaCy pipeline with an entity recogniser is installed.",
                                  hint="Install one (e.g. en_core_web_sm) or use ner='auto'.")
            else:
                _warn_once("no trained spaCy pipeline with an entity recogniser is installed, so "
                           "only roster names, phone numbers and e-mail addresses are replaced. "
                           "Install one (e.g. en_core_web_sm) to replace other names too.")

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
        from .ingest.turns import split_label

        person = self.roster.resolve(label) if self.roster is not None else None
        if person is not None:
            self.seen.setdefault(person.pseudonym, person.name)
            return person.pseudonym, person.role, person.site, person.pseudonym != label
        name, hint = split_label(label)
        if GENERIC_SPEAKER.match(name) or name in self._pseudonyms:
            return name, role_from_hint(hint) or role_from_hint(name), None, name != label
        key = hashlib.sha256((self.salt + _norm(name)).encode("utf-8")).hexdigest()
        pseudonym = self.unlisted.get(key)
        if pseudonym is None:
            pseudonym = f"Unlisted {len(self.unlisted) + 1}"
            self.unlisted[key] = pseudonym
        self.seen.setdefault(pseudonym, name)
        return pseudonym, role_from_hint(hint), None, True

    def value(self, value: str) -> str:
        """Pseudonymise a metadata value: a whole name becomes the bare pseudonym."""
        if self.roster is not None:
            person = self.roster.resolve(value)
            if person is not None:
                return person.pseudonym
        return self.text(value)[0]

    def text(self, text: str) -> tuple[str, list[Redaction]]:
        """Replace names and contact details in a text.

        Returns
        -------
        (text, redactions)
            The new text, and where each replacement lies in it.
        """
        spans: list[tuple[int, int, str, str]] = []
        if self._email is not None and "@" in text:
            spans += [(m.start(), m.end(), "[email]", "email") for m in self._email.finditer(text)]
        if self._phone is not None:
            spans += [(m.start(), m.end(), "[phone]", "phone") for m in _phones(text, self._phone)]
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


def _warn_once(message: str) -> None:
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
    found += [("email", m.group()) for m in re.finditer(_EMAIL, text)]
    found += [("phone", m.group()) for m in _phones(text)]
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
