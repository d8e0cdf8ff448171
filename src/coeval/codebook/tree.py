"""The codebook: a tree of codes with definitions, polarity and dimensions, and its history.

A :class:`Codebook` works on its own (load a template, edit it, save it as YAML or CSV) or
as a project's codebook (``proj.codebook``), where every change is written to the store at
once, in a transaction, and codings follow merges.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from ..errors import CodebookError, NotFoundError
from ..model import DIMENSIONS, POLARITIES, Code
from .formats import CODE_FIELDS, CodebookFormats, as_list, name_key

__all__ = ["Codebook", "CodeEntry", "CODE_FIELDS"]


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


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


class Codebook(CodebookFormats):
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
            key = name_key(str(name_or_id))
            code = next((c for c in self._codes.values() if name_key(c.name) == key and c.status == "active"),
                        None)
            if code is None and retired:
                code = next((c for c in self._codes.values() if name_key(c.name) == key), None)
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
        kids: dict = {}   # parent id -> active children in order: one pass, not one per code
        for code in self:
            kids.setdefault(code.parent, []).append(code)
        out, stack = [], list(reversed(kids.get(None, [])))
        while stack:
            code = stack.pop()
            out.append(code)
            stack.extend(reversed(kids.get(code.id, [])))
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
        dimensions = tuple(as_list(dimensions, ";,"))
        self._check_fields(name, polarity, dimensions)
        if self._find(name) is not None:
            raise CodebookError(f"there is already a code named {name!r}.",
                                hint="Choose another name, or edit the existing code.")
        parent_id = None if parent in (None, "") else self.get(parent).id
        if id is not None and id in self._codes:
            raise CodebookError(f"code id {id!r} is already used.")
        code = CodeEntry(id or self._new_id(name), name, parent_id, definition or "", include or "",
                         exclude or "", example or "", polarity, dimensions, construct or None,
                         tuple(as_list(cues)), "active", color)
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
            changes["dimensions"] = tuple(as_list(changes["dimensions"], ";,"))
        if "cues" in changes:
            changes["cues"] = tuple(as_list(changes["cues"]))
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
        for source in as_list(sources):
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
        for item in as_list(into):
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


def _jsonable(value):
    return list(value) if isinstance(value, tuple) else value
