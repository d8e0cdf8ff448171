"""The roster: who the participants are and what each is to be called in the project.

A roster CSV (``name, aliases, pseudonym, role, site``) is read and checked here; the roster
itself is never stored in a project.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import RosterError
from ..files.csvrows import csv_rows
from ..files.textio import decode_bytes, normalise_text
from .labels import split_label, strip_titles

__all__ = ["Person", "Roster", "label_key"]


def label_key(label: str) -> str:
    """How labels are compared: NFC, straight apostrophes, single spaces, case-folded."""
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
                self._by_label.setdefault(label_key(label), person)
                self._by_label.setdefault(label_key(_ascii_fold(label)), person)
            parts = person.name.split()
            if len(parts) >= 2:  # "Surname, First" as Teams writes it
                self._by_label.setdefault(label_key(f"{parts[-1]}, {' '.join(parts[:-1])}"), person)
                self._by_label.setdefault(label_key(f"{parts[-1]} {' '.join(parts[:-1])}"), person)

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
        fieldnames, rows = csv_rows(normalise_text(decode_bytes(raw, path=path)), path=path, error=RosterError)
        columns = [c.strip().lower() for c in fieldnames]
        for needed in ("name", "pseudonym"):
            if needed not in columns:
                raise RosterError(
                    f"has no '{needed}' column (columns: {', '.join(columns) or 'none'}).",
                    path=path, line=1,
                    hint="A roster needs columns name, pseudonym and optionally aliases, role, site.")
        people: list[Person] = []
        for lineno, row in rows:
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
    def from_csvs(cls, paths) -> Roster:
        """One roster from several CSVs (a manifest may name more than one): everyone in any of
        them, checked together, so two rosters can never leave a partial one in use.

        Raises
        ------
        RosterError
            As :meth:`from_csv`, and for a person listed in two rosters with different pseudonyms.
        """
        paths = [Path(p) for p in paths]
        people, seen = [], set()
        for path in paths:
            for person in cls.from_csv(path).people:
                if person not in seen:  # the same row in two rosters is one person
                    seen.add(person)
                    people.append(person)
        return cls.validated(people, source=" + ".join(str(p) for p in paths))

    @classmethod
    def validated(cls, people: list[Person], source: str | None = None) -> Roster:
        """Build a roster, checking that each person has one pseudonym, each pseudonym one person,
        and that no pseudonym is anybody's name (full name, alias, first name or surname)."""
        seen: dict[str, Person] = {}
        by_name: dict[str, Person] = {}
        names = {label_key(p.name) for p in people} | {label_key(a) for p in people for a in p.aliases}
        parts = {label_key(w) for p in people for label in (p.name, *p.aliases) for w in label.replace(",", " ").split()
                 if len(w) > 1}
        for i, person in enumerate(people, start=2):
            other = seen.get(person.pseudonym)
            if other is not None and other.name != person.name:
                raise RosterError(f"pseudonym {person.pseudonym!r} is given to two people.",
                                  path=source, line=i, hint="Give each person their own pseudonym.")
            seen[person.pseudonym] = person
            twin = by_name.get(label_key(person.name))
            if twin is not None and twin.pseudonym != person.pseudonym:
                raise RosterError(f"the same person is listed twice, as {twin.pseudonym!r} and {person.pseudonym!r}.",
                                  path=source, line=i,
                                  hint="Give each person one pseudonym (keep one row, or merge the rows' aliases).")
            by_name[label_key(person.name)] = person
            if label_key(person.pseudonym) in names:
                raise RosterError(f"pseudonym {person.pseudonym!r} is also a participant's name.",
                                  path=source, line=i, hint="Choose pseudonyms that are not real names.")
            if label_key(person.pseudonym) in parts:
                raise RosterError(f"pseudonym {person.pseudonym!r} is also a participant's first name or surname.",
                                  path=source, line=i,
                                  hint="Choose pseudonyms that are not names, such as PR-N1 or 'Participant 3'.")
        return cls(people, source=source)

    def resolve(self, label: str) -> Person | None:
        """The person a speaker label names, trying role suffixes off one at a time, and titles
        (``Dr. Melissa Ko``, ``Cllr Khan (Chair)``) too."""
        seen = set()
        while label and label not in seen:
            seen.add(label)
            for form in dict.fromkeys((label, strip_titles(label))):
                person = self._by_label.get(label_key(form))
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

