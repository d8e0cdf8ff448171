"""The codebook: a tree of codes with definitions, polarity and dimensions, and its history.

A :class:`Codebook` works on its own (load a template, edit it, save it as YAML or CSV) or
as a project's codebook (``proj.codebook``), where every change is written to the store at
once, in a transaction, and codings follow merges.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from .errors import CodebookError, NotFoundError
from .model import DIMENSIONS, POLARITIES, Code

__all__ = ["Codebook", "CodeEntry", "CODE_FIELDS"]

# Columns of the CSV format and of to_frame(), in order.
CODE_FIELDS = ["name", "parent", "definition", "include", "exclude", "example", "polarity",
               "dimensions", "construct", "cues"]
_YAML_KEYS = set(CODE_FIELDS) | {"children", "id", "status", "color", "colour"}


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


# The codebook's codes are the data model's Code; the name CodeEntry is kept for readability here.
CodeEntry = Code


@dataclass
class _Change:
    version: int
    at: str
    by: str | None
    action: str
    code: str
    detail: dict = field(default_factory=dict)
    why: str | None = None


class Codebook:
    """A tree of codes, with validation, YAML/CSV input and output, and a change history.

    Parameters
    ----------
    name : str
        The codebook's title.
    codes : iterable of CodeEntry, optional
    description, source : optional
        What it is for, and where it comes from (a citation for templates).

    Examples
    --------
    >>> import coeval as ce
    >>> cb = ce.Codebook.template("coeval")
    >>> cb.add("Bus passes", parent="Feasibility enablers", polarity="enabler",
    ...        dimensions=["feasibility"], by="amina", why="came up at every site")  # doctest: +ELLIPSIS
    CodeEntry(...)
    >>> cb.rename("Bus passes", "Free bus passes", by="amina")
    >>> cb.path("Free bus passes")
    'Feasibility / Feasibility enablers / Free bus passes'
    """

    def __init__(self, name: str = "Codebook", codes=(), *, description: str = "", source: dict | None = None):
        self.name = name
        self.description = description
        self.source = dict(source or {})
        self._codes: dict[str, CodeEntry] = {}
        self._history: list[_Change] = []
        self.version = 0
        self._project = None  # set when bound to a Project: changes are written through
        for code in codes:
            self._codes[code.id] = code

    # -- looking things up -------------------------------------------------------------------
    def __len__(self) -> int:
        return sum(1 for c in self._codes.values() if c.status == "active")

    def __iter__(self):
        return (c for c in self._codes.values() if c.status == "active")

    def __contains__(self, name_or_id) -> bool:
        return self._find(name_or_id) is not None

    def __getitem__(self, name_or_id) -> CodeEntry:
        return self.get(name_or_id)

    def _find(self, name_or_id, *, retired: bool = False) -> CodeEntry | None:
        if isinstance(name_or_id, CodeEntry):
            name_or_id = name_or_id.id
        code = self._codes.get(name_or_id)
        if code is None:
            key = _key(str(name_or_id))
            code = next((c for c in self._codes.values() if _key(c.name) == key and c.status == "active"),
                        None)
            if code is None and retired:
                code = next((c for c in self._codes.values() if _key(c.name) == key), None)
        if code is not None and code.status != "active" and not retired:
            return None
        return code

    def get(self, name_or_id, *, retired: bool = False) -> CodeEntry:
        """A code by name (case-insensitive) or id.

        Raises
        ------
        NotFoundError
            If there is no such code; the message suggests the closest names.
        """
        code = self._find(name_or_id, retired=retired)
        if code is None:
            raise NotFoundError(f"no code {str(name_or_id)!r} in the codebook.",
                                hint=self.suggestion(str(name_or_id)))
        return code

    def suggestion(self, name: str) -> str:
        """A hint naming the codes closest to a misspelt name."""
        import difflib

        names = [c.name for c in self]
        close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
        if not close:
            lowered = {n.casefold(): n for n in names}
            close = [lowered[n] for n in difflib.get_close_matches(name.casefold(), list(lowered), n=3, cutoff=0.4)]
        return (f"Did you mean {', '.join(repr(c) for c in close)}?" if close
                else "See the codebook sheet (or cb.to_frame()) for the code names.")

    def children(self, name_or_id=None) -> list[CodeEntry]:
        """Active children of a code (top-level codes when None), in order."""
        pid = None if name_or_id is None else self.get(name_or_id).id
        return [c for c in self if c.parent == pid]

    def descendants(self, name_or_id) -> list[CodeEntry]:
        """All active codes below a code."""
        out, stack = [], list(reversed(self.children(name_or_id)))
        while stack:
            code = stack.pop()
            out.append(code)
            stack.extend(reversed(self.children(code.id)))
        return out

    def path(self, name_or_id, sep: str = " / ") -> str:
        """The names from the root down to a code."""
        code = self.get(name_or_id, retired=True)
        names = [code.name]
        seen = {code.id}
        while code.parent is not None and code.parent in self._codes and code.parent not in seen:
            code = self._codes[code.parent]
            seen.add(code.id)
            names.append(code.name)
        return sep.join(reversed(names))

    def depth(self, name_or_id) -> int:
        """0 for a top-level code."""
        return self.path(name_or_id, sep="\x00").count("\x00")

    def ordered(self) -> list[CodeEntry]:
        """Active codes depth-first, parents before their children."""
        out = []
        for top in self.children(None):
            out.append(top)
            out.extend(self.descendants(top.id))
        return out

    @property
    def codes(self) -> list[CodeEntry]:
        """Active codes, depth-first."""
        return self.ordered()

    # -- identity ------------------------------------------------------------------------------
    @property
    def content_hash(self) -> str:
        """SHA-256 of the active codes' content (ids, names, tree, definitions...), in order."""
        payload = json.dumps([c.as_dict() for c in self.ordered()], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def __repr__(self) -> str:
        return f"Codebook({self.name!r}, {len(self)} codes, version {self.version})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Codebook) and self.content_hash == other.content_hash

    # -- changes -------------------------------------------------------------------------------
    def _new_id(self, name: str) -> str:
        base = re.sub(r"[^\w]+", "-", name.casefold()).strip("-_")[:60] or "code"
        cid, n = base, 2
        while cid in self._codes:
            cid, n = f"{base}-{n}", n + 1
        return cid

    def _record(self, action: str, code: CodeEntry, *, by, why, **detail) -> None:
        self.version += 1
        change = _Change(self.version, _now(), by, action, code.id, detail, why)
        self._history.append(change)
        if self._project is not None:
            self._project._codebook_changed(self, change)

    def _check_fields(self, name: str, polarity: str, dimensions, where: str = "") -> None:
        if not name or not name.strip():
            raise CodebookError(f"{where}a code needs a name.")
        if polarity not in POLARITIES:
            raise CodebookError(f"{where}code {name!r} has unknown polarity {polarity!r}.",
                                hint=f"Use one of: {', '.join(POLARITIES)}.")
        bad = [d for d in dimensions if d not in DIMENSIONS]
        if bad:
            raise CodebookError(f"{where}code {name!r} has unknown dimension {bad[0]!r}.",
                                hint=f"Use any of: {', '.join(DIMENSIONS)}.")

    def add(self, name: str, *, parent=None, definition: str = "", include: str = "", exclude: str = "",
            example: str = "", polarity: str = "none", dimensions=(), construct: str | None = None,
            cues=(), color: str | None = None, by: str | None = None, why: str | None = None,
            id: str | None = None) -> CodeEntry:
        """Add a code; returns it.

        Raises
        ------
        CodebookError
            Duplicate name, unknown parent, unknown polarity or dimension.
        """
        name = " ".join(str(name).split())
        dimensions = tuple(_as_list(dimensions, ";,"))
        self._check_fields(name, polarity, dimensions)
        if self._find(name) is not None:
            raise CodebookError(f"there is already a code named {name!r}.",
                                hint="Choose another name, or edit the existing code.")
        parent_id = None if parent in (None, "") else self.get(parent).id
        if id is not None and id in self._codes:
            raise CodebookError(f"code id {id!r} is already used.")
        code = CodeEntry(id or self._new_id(name), name, parent_id, definition or "", include or "",
                         exclude or "", example or "", polarity, dimensions, construct or None,
                         tuple(_as_list(cues)), "active", color)
        self._codes[code.id] = code
        self._record("add", code, by=by, why=why, name=name, parent=parent_id)
        return code

    def edit(self, name_or_id, *, by: str | None = None, why: str | None = None, **changes) -> CodeEntry:
        """Change a code's definition, include, exclude, example, polarity, dimensions, construct, cues or colour."""
        code = self.get(name_or_id)
        allowed = {"definition", "include", "exclude", "example", "polarity", "dimensions", "construct",
                   "cues", "color"}
        unknown = set(changes) - allowed
        if unknown:
            raise CodebookError(f"cannot edit {sorted(unknown)[0]!r} this way.",
                                hint="Use rename() for names and move() for the parent.")
        if "dimensions" in changes:
            changes["dimensions"] = tuple(_as_list(changes["dimensions"], ";,"))
        if "cues" in changes:
            changes["cues"] = tuple(_as_list(changes["cues"]))
        new = replace(code, **changes)
        self._check_fields(new.name, new.polarity, new.dimensions)
        before = {k: _jsonable(getattr(code, k)) for k in changes}
        self._codes[code.id] = new
        self._record("edit", new, by=by, why=why, before=before,
                     after={k: _jsonable(v) for k, v in changes.items()})
        return new

    def rename(self, old, new: str, *, by: str | None = None, why: str | None = None) -> None:
        """Rename a code; its id, and so its codings, stay."""
        code = self.get(old)
        new = " ".join(str(new).split())
        other = self._find(new)
        if other is not None and other.id != code.id:
            raise CodebookError(f"there is already a code named {new!r}.",
                                hint="Merge the two codes instead if they mean the same.")
        self._codes[code.id] = replace(code, name=new)
        self._record("rename", self._codes[code.id], by=by, why=why, old=code.name, new=new)

    def move(self, name_or_id, parent, *, by: str | None = None, why: str | None = None) -> None:
        """Give a code a new parent (None for top level)."""
        code = self.get(name_or_id)
        parent_id = None if parent is None else self.get(parent).id
        if parent_id == code.id or parent_id in {c.id for c in self.descendants(code.id)}:
            raise CodebookError(f"moving {code.name!r} under {self.get(parent).name!r} would make a cycle.")
        old = code.parent
        self._codes[code.id] = replace(code, parent=parent_id)
        self._record("move", self._codes[code.id], by=by, why=why, old_parent=old, new_parent=parent_id)

    def merge(self, sources, into, *, by: str | None = None, why: str | None = None) -> None:
        """Merge codes into another: they are retired and, in a project, their codings move to ``into``.

        Children of a merged code move under ``into``.
        """
        target = self.get(into)
        for source in _as_list(sources):
            code = self.get(source)
            if code.id == target.id:
                raise CodebookError(f"cannot merge {code.name!r} into itself.")
            if target.id in {c.id for c in self.descendants(code.id)}:
                raise CodebookError(f"cannot merge {code.name!r} into its own descendant {target.name!r}.")
            for child in self.children(code.id):
                self._codes[child.id] = replace(child, parent=target.id)
            self._codes[code.id] = replace(code, status="retired")
            self._record("merge", code, by=by, why=why, into=target.id, name=code.name)

    def split(self, name_or_id, into, *, by: str | None = None, why: str | None = None) -> list[CodeEntry]:
        """Split a code into new sibling codes; existing codings stay on the original until reassigned.

        ``into`` is a list of names or of dicts of code fields.
        """
        code = self.get(name_or_id)
        made = []
        for item in _as_list(into):
            spec = {"name": item} if isinstance(item, str) else dict(item)
            spec.setdefault("parent", code.parent)
            spec.setdefault("polarity", code.polarity)
            spec.setdefault("dimensions", code.dimensions)
            made.append(self.add(by=by, why=why, **spec))
        self._record("split", code, by=by, why=why, into=[c.id for c in made])
        return made

    def retire(self, name_or_id, *, by: str | None = None, why: str | None = None) -> None:
        """Retire a code: it leaves the active codebook, its codings and history stay."""
        code = self.get(name_or_id)
        if self.children(code.id):
            raise CodebookError(f"{code.name!r} still has codes under it.",
                                hint="Move or retire its children first, or merge it into another code.")
        self._codes[code.id] = replace(code, status="retired")
        self._record("retire", code, by=by, why=why, name=code.name)

    def extend(self, other: Codebook, *, parent=None, by: str | None = None, why: str | None = None) -> None:
        """Add all codes of another codebook (a template), under ``parent`` if given."""
        for code in other.ordered():
            p = other._codes[code.parent].name if code.parent else parent
            self.add(code.name, parent=p, definition=code.definition, include=code.include,
                     exclude=code.exclude, example=code.example, polarity=code.polarity,
                     dimensions=code.dimensions, construct=code.construct, cues=code.cues,
                     color=code.color, by=by, why=why or f"from {other.name}")

    @property
    def history(self):
        """Every change: ``version``, ``at``, ``by``, ``action``, ``code_id``, ``code``, ``detail``, ``why``."""
        import pandas as pd

        rows = [{"version": h.version, "at": h.at, "by": h.by, "action": h.action, "code_id": h.code,
                 "code": self._codes[h.code].name if h.code in self._codes else h.code,
                 "detail": json.dumps(h.detail, ensure_ascii=False), "why": h.why} for h in self._history]
        return pd.DataFrame(rows, columns=["version", "at", "by", "action", "code_id", "code", "detail", "why"])

    # -- tables ------------------------------------------------------------------------------------
    def to_frame(self, *, retired: bool = False):
        """One row per code, depth-first.

        Columns: ``code_id``, ``name``, ``parent``, ``path``, ``level``, ``definition``,
        ``include``, ``exclude``, ``example``, ``polarity``, ``dimensions`` (``;``-joined),
        ``construct``, ``cues`` (``;``-joined), ``status``.
        """
        import pandas as pd

        codes = self.ordered() + ([c for c in self._codes.values() if c.status != "active"] if retired else [])
        rows = [{"code_id": c.id, "name": c.name,
                 "parent": self._codes[c.parent].name if c.parent in self._codes else None,
                 "path": self.path(c.id), "level": self.depth(c.id), "definition": c.definition,
                 "include": c.include, "exclude": c.exclude, "example": c.example, "polarity": c.polarity,
                 "dimensions": ";".join(c.dimensions), "construct": c.construct, "cues": ";".join(c.cues),
                 "status": c.status} for c in codes]
        return pd.DataFrame(rows, columns=["code_id", "name", "parent", "path", "level", "definition", "include",
                                           "exclude", "example", "polarity", "dimensions", "construct", "cues",
                                           "status"])

    # -- YAML ----------------------------------------------------------------------------------------
    @classmethod
    def from_yaml(cls, source) -> Codebook:
        """Read a codebook from YAML (a path, or YAML text).

        The file has ``name``, optional ``description`` and ``source``, and ``codes``: a list of
        codes, each with ``name`` and optionally ``definition``, ``include``, ``exclude``,
        ``example``, ``polarity``, ``dimensions``, ``construct``, ``cues``, and ``children``
        (nested codes) or ``parent`` (a name, for flat lists).

        Raises
        ------
        CodebookError
            With the line: malformed YAML, a duplicate name, an unknown parent, a cycle, an
            unknown polarity or dimension, an unknown key.
        """
        import yaml

        path, text = _read_source(source, (".yaml", ".yml"))
        try:
            root = yaml.compose(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise CodebookError(f"is not valid YAML ({getattr(exc, 'problem', exc)}).", path=path,
                                line=mark.line + 1 if mark else None,
                                hint="Check indentation and quote values that contain ': '.") from None
        if root is None or not isinstance(root, yaml.MappingNode):
            raise CodebookError("should be a mapping with 'name' and 'codes'.", path=path, line=1)
        top = _mapping(root)
        codes_node = top.get("codes")
        if codes_node is None or not isinstance(codes_node[1], yaml.SequenceNode):
            raise CodebookError("has no 'codes' list.", path=path, line=root.start_mark.line + 1,
                                hint="Add 'codes:' followed by a list of '- name: ...' entries.")
        info = {k: yaml.safe_load(yaml.serialize(v[1])) for k, v in top.items() if k != "codes"}
        cb = cls(str(info.get("name") or (Path(path).stem if path else "Codebook")),
                 description=str(info.get("description") or ""),
                 source=info.get("source") if isinstance(info.get("source"), dict) else
                 ({"citation": str(info["source"])} if info.get("source") else {}))
        rows: list[tuple[dict, int, str | None]] = []

        def walk(seq, parent_name):
            for item in seq.value:
                line = item.start_mark.line + 1
                if not isinstance(item, yaml.MappingNode):
                    raise CodebookError("each code should be a mapping with at least 'name'.", path=path, line=line)
                entry = _mapping(item)
                unknown = set(entry) - _YAML_KEYS
                if unknown:
                    key = sorted(unknown)[0]
                    raise CodebookError(f"unknown key {key!r}.", path=path, line=entry[key][0],
                                        hint=f"Code keys are: {', '.join(sorted(_YAML_KEYS))}.")
                values = {k: yaml.safe_load(yaml.serialize(v[1])) for k, v in entry.items() if k != "children"}
                explicit = values.pop("parent", None)  # flat lists name the parent; nesting implies it
                rows.append((values, line, explicit if explicit not in (None, "") else parent_name))
                if "children" in entry:
                    children = entry["children"][1]
                    if not isinstance(children, yaml.SequenceNode):
                        raise CodebookError("'children' should be a list of codes.", path=path,
                                            line=entry["children"][0])
                    walk(children, values.get("name"))

        walk(codes_node[1], None)
        cb._load_rows(rows, path)
        return cb

    def to_yaml(self, path=None) -> str:
        """Write the codebook as nested YAML (to ``path`` if given); returns the text."""
        import yaml

        def node(code: CodeEntry) -> dict:
            d = {"name": code.name}
            for key in ("definition", "include", "exclude", "example"):
                if getattr(code, key):
                    d[key] = getattr(code, key)
            d["polarity"] = code.polarity
            if code.dimensions:
                d["dimensions"] = list(code.dimensions)
            if code.construct:
                d["construct"] = code.construct
            if code.cues:
                d["cues"] = list(code.cues)
            if code.color:
                d["color"] = code.color
            kids = self.children(code.id)
            if kids:
                d["children"] = [node(k) for k in kids]
            return d

        doc = {"name": self.name}
        if self.description:
            doc["description"] = self.description
        if self.source:
            doc["source"] = self.source
        doc["codes"] = [node(c) for c in self.children(None)]
        text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    # -- CSV -------------------------------------------------------------------------------------------
    @classmethod
    def from_csv(cls, source, *, name: str | None = None) -> Codebook:
        """Read a flat codebook CSV: columns as :data:`CODE_FIELDS` (``name`` required; ``parent``
        by name; ``dimensions`` and ``cues`` separated by ``;``).

        Raises
        ------
        CodebookError
            With the row's line number, as for :meth:`from_yaml`.
        """
        path, text = _read_source(source, (".csv",))
        reader = csv.DictReader(io.StringIO(text))
        columns = [(c or "").strip().lower() for c in (reader.fieldnames or [])]
        if "name" not in columns:
            raise CodebookError(f"has no 'name' column (columns: {', '.join(columns) or 'none'}).",
                                path=path, line=1, hint=f"Columns: {', '.join(CODE_FIELDS)}.")
        unknown = [c for c in columns if c and c not in CODE_FIELDS + ["code_id", "id", "path", "level", "status"]]
        if unknown:
            raise CodebookError(f"has an unknown column {unknown[0]!r}.", path=path, line=1,
                                hint=f"Columns: {', '.join(CODE_FIELDS)}.")
        rows = []
        for lineno, row in enumerate(reader, start=2):
            values = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k}
            if not any(values.values()):
                continue
            if values.get("status") == "retired":
                continue
            values.pop("code_id", None), values.pop("path", None), values.pop("level", None)
            values.pop("status", None)
            rows.append((values, lineno, values.pop("parent", "") or None))
        cb = cls(name or (Path(path).stem if path else "Codebook"))
        cb._load_rows(rows, path)
        return cb

    def to_csv(self, path=None) -> str:
        """Write the codebook as a flat CSV (to ``path`` if given); returns the text."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CODE_FIELDS)
        for c in self.ordered():
            writer.writerow([c.name, self._codes[c.parent].name if c.parent else "", c.definition, c.include,
                             c.exclude, c.example, c.polarity, ";".join(c.dimensions), c.construct or "",
                             ";".join(c.cues)])
        text = out.getvalue()
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def _load_rows(self, rows, path) -> None:
        """Validate and add (values, line, parent name) rows; all problems name their line."""
        seen: dict[str, int] = {}
        for values, line, _ in rows:
            name = " ".join(str(values.get("name") or "").split())
            if not name:
                raise CodebookError("has a code with no name.", path=path, line=line)
            if _key(name) in seen:
                raise CodebookError(f"has two codes named {name!r} (also on line {seen[_key(name)]}).",
                                    path=path, line=line, hint="Code names must be unique; rename one.")
            seen[_key(name)] = line
            polarity = str(values.get("polarity") or "none").strip().lower()
            dims = tuple(d.strip().lower() for d in _as_list(values.get("dimensions"), ";,"))
            try:
                self._check_fields(name, polarity, dims)
            except CodebookError as exc:
                raise CodebookError(exc.message, path=path, line=line, hint=exc.hint) from None
        parents = {_key(str(v.get("name"))): (p, line) for v, line, p in rows}
        for values, line, parent in rows:
            if parent is not None and _key(str(parent)) not in parents:
                raise CodebookError(f"code {values['name']!r} has unknown parent {parent!r}.", path=path,
                                    line=line, hint="Name an existing code as parent, or leave it empty.")
        for values, line, _ in rows:  # cycles, in flat files
            chain, key = [], _key(str(values["name"]))
            while key is not None:
                if key in chain:
                    raise CodebookError(f"code {values['name']!r} is its own ancestor (a cycle).", path=path,
                                        line=line, hint="Fix the 'parent' column so the codes form a tree.")
                chain.append(key)
                parent = parents[key][0]
                key = None if parent is None else _key(str(parent))
        pending = list(rows)
        added: set[str] = set()
        while pending:  # parents before children, whatever the file order
            rest = []
            for values, line, parent in pending:
                if parent is not None and _key(str(parent)) not in added:
                    rest.append((values, line, parent))
                    continue
                code = CodeEntry(
                    id=str(values.get("id") or "") or self._new_id(str(values["name"])),
                    name=" ".join(str(values["name"]).split()),
                    parent=None if parent is None else self.get(parent).id,
                    definition=_text(values.get("definition")), include=_text(values.get("include")),
                    exclude=_text(values.get("exclude")), example=_text(values.get("example")),
                    polarity=str(values.get("polarity") or "none").strip().lower(),
                    dimensions=tuple(d.strip().lower() for d in _as_list(values.get("dimensions"), ";,")),
                    construct=_text(values.get("construct")) or None,
                    cues=tuple(str(c).strip() for c in _as_list(values.get("cues")) if str(c).strip()),
                    color=_text(values.get("color") or values.get("colour")) or None)
                self._codes[code.id] = code
                added.add(_key(code.name))
            pending = rest

    # -- REFI-QDA codebooks -------------------------------------------------------------------------------
    @classmethod
    def from_qdc(cls, source) -> Codebook:
        """Read a REFI-QDA codebook (.qdc), as NVivo, ATLAS.ti, MAXQDA and QualCoder export it."""
        from .qdc import read_qdc

        return read_qdc(source)

    def to_qdc(self, path=None) -> bytes:
        """Write the codebook as a REFI-QDA .qdc (to ``path`` if given); returns the bytes."""
        from .qdc import write_qdc

        return write_qdc(self, path)

    # -- templates --------------------------------------------------------------------------------------
    @classmethod
    def template(cls, name: str = "coeval") -> Codebook:
        """A built-in framework template; see :func:`coeval.frameworks.available`."""
        from .frameworks import template_path

        return cls.from_yaml(template_path(name))

    # -- Jupyter ------------------------------------------------------------------------------------------
    def _repr_html_(self) -> str:
        esc = html.escape
        colours = {"barrier": "#d55e00", "enabler": "#0072b2", "mixed": "#cc79a7", "none": "#666"}

        def item(code: CodeEntry) -> str:
            tag = "" if code.polarity == "none" else (
                f" <span style='color:{colours[code.polarity]};font-size:85%'>[{code.polarity}]</span>")
            dims = f" <small style='color:#666'>{esc(', '.join(code.dimensions))}</small>" if code.dimensions else ""
            title = esc(code.definition)
            head = f"<span title='{title}'><b>{esc(code.name)}</b></span>{tag}{dims}"
            kids = self.children(code.id)
            if not kids:
                return f"<li style='list-style:none'>{head}</li>"
            inner = "".join(item(k) for k in kids)
            return (f"<li style='list-style:none'><details open><summary>{head}</summary>"
                    f"<ul style='margin:0;padding-left:1.2em'>{inner}</ul></details></li>")

        body = "".join(item(c) for c in self.children(None))
        cite = self.source.get("citation") if self.source else None
        foot = f"<p><small>Source: {esc(str(cite))}</small></p>" if cite else ""
        return (f"<div><h4 style='margin:0'>{esc(self.name)} <small>({len(self)} codes, version "
                f"{self.version}, {self.content_hash[:10]})</small></h4>"
                f"<ul style='padding-left:0.5em'>{body}</ul>{foot}</div>")


def _mapping(node) -> dict:
    """YAML mapping node -> {key: (line, value node)}."""
    out = {}
    for k, v in node.value:
        out[str(k.value)] = (k.start_mark.line + 1, v)
    return out


def _read_source(source, suffixes) -> tuple[str | None, str]:
    from .ingest.textio import decode_bytes, normalise_text

    if isinstance(source, Path) or (isinstance(source, str) and "\n" not in source
                                    and source.lower().endswith(suffixes)):
        path = Path(source)
        try:
            data = path.read_bytes()
        except OSError:
            raise CodebookError("cannot be read (does it exist?).", path=path) from None
        return str(path), normalise_text(decode_bytes(data, path=path))
    return None, normalise_text(str(source))


def _as_list(value, seps: str = ";") -> list:
    """A list from a list, or from text separated by ``seps`` (cues may contain commas)."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [v.strip() for v in re.split(f"[{re.escape(seps)}]", value) if v.strip()]
    return list(value)


def _text(value) -> str:
    return "" if value is None else " ".join(str(value).split()) if "\n" not in str(value) else str(value).strip()


def _jsonable(value):
    return list(value) if isinstance(value, tuple) else value
