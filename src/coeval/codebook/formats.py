"""The codebook's file formats: YAML (nested), CSV (flat), REFI-QDA .qdc, and the built-in templates.

These are the reading and writing methods of :class:`~coeval.Codebook` (mixed in), kept apart
from the tree so each fits in one reading. Every problem names its line.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Self

from ..errors import CodebookError
from ..files.yamlsafe import compose_yaml
from ..model import Code

__all__ = ["CodebookFormats", "CODE_FIELDS", "as_list", "name_key"]

# Columns of the CSV format and of to_frame(), in order.
CODE_FIELDS = ["name", "parent", "definition", "include", "exclude", "example", "polarity",
               "dimensions", "construct", "cues"]
_YAML_KEYS = set(CODE_FIELDS) | {"children", "id", "status", "color", "colour"}


def name_key(name: str) -> str:
    """How code names are compared: single spaces, case-folded."""
    return " ".join(name.split()).casefold()


class CodebookFormats:
    """Reading and writing a codebook; mixed into :class:`~coeval.Codebook`."""

    # -- YAML ----------------------------------------------------------------------------------------
    @classmethod
    def from_yaml(cls, source) -> Self:
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
        root = compose_yaml(text, path=path, error=CodebookError)
        if root is None or not isinstance(root, yaml.MappingNode):
            raise CodebookError("should be a mapping with 'name' and 'codes'.", path=path, line=1)
        top = _mapping(root)
        codes_node = top.get("codes")
        if codes_node is None or not isinstance(codes_node[1], yaml.SequenceNode):
            raise CodebookError("has no 'codes' list.", path=path, line=root.start_mark.line + 1,
                                hint="Add 'codes:' followed by a list of '- name: ...' entries.")
        info = {k: _value(v, path) for k, v in top.items() if k != "codes"}
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
                values = {k: _value(v, path) for k, v in entry.items() if k != "children"}
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

        def node(code: Code) -> dict:
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
    def from_csv(cls, source, *, name: str | None = None) -> Self:
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
            if name_key(name) in seen:
                raise CodebookError(f"has two codes named {name!r} (also on line {seen[name_key(name)]}).",
                                    path=path, line=line, hint="Code names must be unique; rename one.")
            seen[name_key(name)] = line
            polarity = str(values.get("polarity") or "none").strip().lower()
            dims = tuple(d.strip().lower() for d in as_list(values.get("dimensions"), ";,"))
            try:
                self._check_fields(name, polarity, dims)
            except CodebookError as exc:
                raise CodebookError(exc.message, path=path, line=line, hint=exc.hint) from None
        parents = {name_key(str(v.get("name"))): (p, line) for v, line, p in rows}
        for values, line, parent in rows:
            if parent is not None and name_key(str(parent)) not in parents:
                raise CodebookError(f"code {values['name']!r} has unknown parent {parent!r}.", path=path,
                                    line=line, hint="Name an existing code as parent, or leave it empty.")
        for values, line, _ in rows:  # cycles, in flat files
            chain, key = [], name_key(str(values["name"]))
            while key is not None:
                if key in chain:
                    raise CodebookError(f"code {values['name']!r} is its own ancestor (a cycle).", path=path,
                                        line=line, hint="Fix the 'parent' column so the codes form a tree.")
                chain.append(key)
                parent = parents[key][0]
                key = None if parent is None else name_key(str(parent))
        pending = list(rows)
        added: set[str] = set()
        while pending:  # parents before children, whatever the file order
            rest = []
            for values, line, parent in pending:
                if parent is not None and name_key(str(parent)) not in added:
                    rest.append((values, line, parent))
                    continue
                code = Code(
                    id=str(values.get("id") or "") or self._new_id(str(values["name"])),
                    name=" ".join(str(values["name"]).split()),
                    parent=None if parent is None else self.get(parent).id,
                    definition=_text(values.get("definition")), include=_text(values.get("include")),
                    exclude=_text(values.get("exclude")), example=_text(values.get("example")),
                    polarity=str(values.get("polarity") or "none").strip().lower(),
                    dimensions=tuple(d.strip().lower() for d in as_list(values.get("dimensions"), ";,")),
                    construct=_text(values.get("construct")) or None,
                    cues=tuple(str(c).strip() for c in as_list(values.get("cues")) if str(c).strip()),
                    color=_text(values.get("color") or values.get("colour")) or None)
                self._codes[code.id] = code
                added.add(name_key(code.name))
            pending = rest

    # -- REFI-QDA codebooks -------------------------------------------------------------------------------
    @classmethod
    def from_qdc(cls, source) -> Self:
        """Read a REFI-QDA codebook (.qdc), as NVivo, ATLAS.ti, MAXQDA and QualCoder export it."""
        from .qdc import read_qdc

        return read_qdc(source, cls)

    def to_qdc(self, path=None) -> bytes:
        """Write the codebook as a REFI-QDA .qdc (to ``path`` if given); returns the bytes."""
        from .qdc import write_qdc

        return write_qdc(self, path)

    # -- templates --------------------------------------------------------------------------------------
    @classmethod
    def template(cls, name: str = "coeval") -> Self:
        """A built-in framework template; see :func:`coeval.codebook.frameworks.available`."""
        from .frameworks import template_path

        return cls.from_yaml(template_path(name))


def _mapping(node) -> dict:
    """YAML mapping node -> {key: (line, value node)}."""
    out = {}
    for k, v in node.value:
        out[str(k.value)] = (k.start_mark.line + 1, v)
    return out


def _read_source(source, suffixes) -> tuple[str | None, str]:
    from ..files.textio import decode_bytes, normalise_text

    if isinstance(source, Path) or (isinstance(source, str) and "\n" not in source
                                    and source.lower().endswith(suffixes)):
        path = Path(source)
        try:
            data = path.read_bytes()
        except OSError:
            raise CodebookError("cannot be read (does it exist?).", path=path) from None
        return str(path), normalise_text(decode_bytes(data, path=path))
    return None, normalise_text(str(source))


def as_list(value, seps: str = ";") -> list:
    """A list from a list, or from text separated by ``seps`` (cues may contain commas)."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [v.strip() for v in re.split(f"[{re.escape(seps)}]", value) if v.strip()]
    return list(value)


def _text(value) -> str:
    return "" if value is None else " ".join(str(value).split()) if "\n" not in str(value) else str(value).strip()


def _value(item, path):
    """A plain value from a ``(line, node)`` pair; a tag PyYAML's safe loader refuses
    (``!!python/object``...) is an error naming its line."""
    import yaml

    line, node = item
    try:   # the safe loader's own constructor, straight from the node (not serialised and parsed again)
        return yaml.constructor.SafeConstructor().construct_document(node)
    except yaml.YAMLError as exc:
        raise CodebookError(f"has a value coeval does not read ({getattr(exc, 'problem', exc)}).", path=path,
                            line=line, hint="Write plain text, numbers and lists; remove the !!tag.") from None
