"""REFI-QDA projects (.qdpx): read a project exported by NVivo, ATLAS.ti, MAXQDA, QualCoder...
into a coeval project, and write one those tools can open.

Reading converts each tool's text positions to coeval offsets (see
:mod:`coeval.interop.positions`) and checks every selection: one whose converted span does not
fit the text is reported (``ImportReport.problems``), never clipped.
"""

from __future__ import annotations

import hashlib
import uuid
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CoevalWarning, FormatError
from ..files.archives import find_member, open_zip, parse_xml, read_member
from .positions import PositionConverter, plausibility

__all__ = ["read_qdpx", "ImportReport", "NAMESPACE", "detect_units"]

NAMESPACE = "urn:QDA-XML:project:1.0"
_NS = "{*}"
_GUID_NS = uuid.UUID("6f1c2b9e-3d7a-4e55-9a61-2c0b7d9e4f10")  # coeval's namespace for stable GUIDs


@dataclass
class ImportReport:
    """What an import found: the tool, how positions were read, and what could not be used."""

    origin: str = ""
    units: dict = field(default_factory=dict)  # source name -> unit system used
    documents: int = 0
    codes: int = 0
    codings: int = 0
    coders: list = field(default_factory=list)
    skipped_sources: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # (source, selection guid, start, end, why)
    code_clashes: list = field(default_factory=list)  # (code, field): the project's own kept

    def __repr__(self) -> str:
        return (f"ImportReport(origin={self.origin!r}, documents={self.documents}, codes={self.codes}, "
                f"codings={self.codings}, problems={len(self.problems)}, skipped_sources={len(self.skipped_sources)})")


def detect_units(origin: str, raw_text: str, spans) -> str:
    """How a tool counted positions: from its name, checked against the selections themselves.

    NVivo counts UTF-16 code units, ATLAS.ti counts a CRLF once, others follow the standard
    (code points). When the text has CRLF line ends or characters outside the Basic
    Multilingual Plane, the system under which the selections fit best and start at word
    boundaries wins, the tool's own system breaking ties.
    """
    name = (origin or "").lower()
    expected = "utf16" if "nvivo" in name else "crlf1" if "atlas" in name else "codepoint"
    ambiguous = "\r\n" in raw_text or any(ord(c) > 0xFFFF for c in raw_text)
    if not ambiguous or not spans:
        return expected
    scores = {u: plausibility(PositionConverter(raw_text, u), spans) for u in ("codepoint", "utf16", "crlf1")}
    best = max(scores.values())
    return expected if scores[expected] >= best - 1e-9 else max(scores, key=scores.get)


def _attr(el, name, default=None):
    value = el.get(name)
    return default if value is None else value


def _text_of(el, tag) -> str:
    child = el.find(f"{_NS}{tag}")
    return (child.text or "").strip() if child is not None and child.text else ""


_MISSING = ("", b"")  # a source the archive does not hold


def _source_text(zf, el, *, path) -> tuple[str, bytes] | None:
    """The raw plain text of a TextSource-like element (inline or in the zip's sources folder)."""
    from ..files.textio import decode_bytes

    inline = el.find(f"{_NS}PlainTextContent")
    if inline is not None and inline.text is not None:
        return inline.text, inline.text.encode("utf-8")
    ref = el.get("plainTextPath")
    if not ref:
        return None
    if ref.startswith("internal://"):
        name = ref[len("internal://"):]
        member = find_member(zf, f"sources/{name}") or find_member(zf, name)
        if member is None:
            return _MISSING  # a partial export: the caller reports it by name and goes on
        data = read_member(zf, member, path=path)
        return decode_bytes(data, path=f"{path}:{member}"), data
    return None  # relative:// or absolute:// text outside the archive: not read


def read_qdpx(path, *, into=None, project=None, positions: str | None = None, roles: dict | None = None,
              default_role: str = "unknown", progress: bool | None = None):
    """Read a REFI-QDA project (.qdpx) into a coeval project.

    Parameters
    ----------
    path : path-like
    into : Project or path, optional
        Where to put it (a new in-memory project by default). An existing project gets the
        documents, codes and codings added, in one transaction; a path is created.
    project : Project or path, optional
        The same as ``into`` (its earlier name).
    positions : {"codepoint", "utf16", "crlf1"}, optional
        Force how positions are read, instead of detecting it from the exporting tool.
    roles : dict, optional
        ``{user name: role}`` for the coders (default role ``default_role``).

    Returns
    -------
    Project
        With ``project.import_report`` (an :class:`ImportReport`).

    Raises
    ------
    FormatError
        Not a zip, hostile entries, malformed XML. A source whose file is missing from the
        archive (a partial export) is imported without: its name and its selections are listed in
        ``import_report.skipped_sources``.
    """
    from ..codebook import Codebook
    from ..ingest.build import slugify
    from ..model import Document
    from .loading import target_project as _target
    from .segmenting import segments_for

    path = Path(path)
    report = ImportReport()
    with open_zip(path) as zf:
        qde = [n for n in zf.namelist() if n.lower().endswith(".qde") and "/" not in n.strip("/")]
        if not qde:
            raise FormatError("holds no project.qde: it is not a REFI-QDA project.", path=path,
                              hint="Export a REFI-QDA project (.qdpx) from your QDA tool.")
        name = "project.qde" if "project.qde" in qde else qde[0]
        root = parse_xml(read_member(zf, name, path=path), path=f"{path}:{name}")
        if not root.tag.endswith("Project"):
            raise FormatError(f"{name} is not a REFI-QDA project (its root is {root.tag!r}).", path=path)
        report.origin = root.get("origin", "")
        users = {u.get("guid"): (u.get("name") or u.get("id") or u.get("guid")) for u in root.iter(f"{_NS}User")}
        notes = {n.get("guid"): "".join((n.find(f"{_NS}PlainTextContent").text or "")
                                        if n.find(f"{_NS}PlainTextContent") is not None else "")
                 for n in root.iter(f"{_NS}Note")}

        # codebook: nested Code elements; names made unique where tools allow duplicates
        cb = Codebook(root.get("name") or path.stem, source={"citation": f"imported from {path.name}"})
        code_names: dict[str, str] = {}

        def walk(parent_el, parent_name):
            for code_el in parent_el.findall(f"{_NS}Code"):
                base = " ".join((code_el.get("name") or "code").split())
                cname = base if base not in cb else f"{base} ({parent_name or 'top'})"
                n = 2
                while cname in cb:
                    cname, n = f"{base} ({n})", n + 1
                description = _text_of(code_el, "Description")
                cb.add(cname, parent=parent_name, definition=description, color=code_el.get("color"))
                code_names[code_el.get("guid")] = cname
                walk(code_el, cname)

        codes_el = root.find(f"{_NS}CodeBook/{_NS}Codes")
        if codes_el is not None:
            walk(codes_el, None)
        report.codes = len(cb)

        # variables and cases become document metadata
        variables = {v.get("guid"): v.get("name") for v in root.iter(f"{_NS}Variable")}

        def values_of(el) -> dict:
            out = {}
            for vv in el.findall(f"{_NS}VariableValue"):
                ref = vv.find(f"{_NS}VariableRef")
                var = variables.get(ref.get("targetGUID")) if ref is not None else None
                value = next((c.text for c in vv if not c.tag.endswith("VariableRef")), None)
                if var:
                    out[var] = value
            return out

        case_meta: dict[str, dict] = {}
        for case in root.iter(f"{_NS}Case"):
            meta = {"case": case.get("name") or case.get("guid"), **values_of(case)}
            for ref in case.findall(f"{_NS}SourceRef"):
                case_meta.setdefault(ref.get("targetGUID"), {}).update(meta)
        set_meta: dict[str, list] = {}
        for s in root.iter(f"{_NS}Set"):
            for member in s.findall(f"{_NS}MemberSource"):
                set_meta.setdefault(member.get("targetGUID"), []).append(s.get("name"))

        documents, codings = [], []
        sources = root.find(f"{_NS}Sources")
        taken: set[str] = set()
        for el in (list(sources) if sources is not None else []):
            kind = el.tag.split("}")[-1]
            sname = el.get("name") or el.get("guid")
            holder = el
            if kind == "PDFSource":
                holder = el.find(f"{_NS}Representation")
            elif kind in ("AudioSource", "VideoSource"):
                holder = el.find(f"{_NS}Transcript")
            elif kind == "PictureSource":
                holder = None
            if holder is None:
                report.skipped_sources.append((sname, f"{kind} without a text representation"))
                continue
            got = _source_text(zf, holder, path=path)
            if got is None or got is _MISSING:
                n_sel = len(holder.findall(f"{_NS}PlainTextSelection"))
                why = ("its text is outside the archive" if got is None else
                       f"its file {holder.get('plainTextPath')} is missing from the archive (a partial export)")
                report.skipped_sources.append((sname, why + (f"; its {n_sel} selection(s) were left out"
                                                             if n_sel else "")))
                continue
            raw, data = got
            selections = list(holder.findall(f"{_NS}PlainTextSelection"))
            try:
                spans = [(int(s.get("startPosition", 0)), int(s.get("endPosition", 0))) for s in selections]
            except ValueError:
                bad = next(s for s in selections if not (str(s.get("startPosition", 0)).lstrip("-").isdigit()
                                                          and str(s.get("endPosition", 0)).lstrip("-").isdigit()))
                raise FormatError(f"has a selection whose position is not a whole number (guid {bad.get('guid')!r}, "
                                  f"in source {sname!r}).", path=path,
                                  hint="REFI-QDA positions are whole numbers; export the project again.") from None
            unit = positions or detect_units(report.origin, raw.lstrip("\ufeff"), spans)
            report.units[sname] = unit
            conv = PositionConverter(raw, unit)
            if not conv.text.strip():
                report.skipped_sources.append((sname, "no text"))
                continue
            doc_id = slugify(sname)
            base, n = doc_id, 2
            while doc_id in taken:
                doc_id, n = f"{base}-{n}", n + 1
            taken.add(doc_id)
            meta = {"refi_guid": el.get("guid"), **case_meta.get(el.get("guid"), {}), **values_of(el)}
            if set_meta.get(el.get("guid")):
                meta["sets"] = "; ".join(set_meta[el.get("guid")])
            description = _text_of(el, "Description")
            if description:
                meta["description"] = description
            documents.append(Document(id=doc_id, kind=_kind_for(kind), title=sname, text=conv.text,
                                      source=sname, content_hash=hashlib.sha256(data).hexdigest(),
                                      metadata={k: v for k, v in meta.items() if v not in (None, "")},
                                      segments=segments_for(conv.text, doc_id)))
            for sel, (start, end) in zip(selections, spans):
                span = conv.span(start, end)
                if span is None:
                    report.problems.append((sname, sel.get("guid"), start, end,
                                            f"does not fit the text ({conv.length} {unit} positions)"))
                    continue
                memo = _text_of(sel, "Description")
                for coding in sel.findall(f"{_NS}Coding"):
                    ref = coding.find(f"{_NS}CodeRef")
                    code = code_names.get(ref.get("targetGUID")) if ref is not None else None
                    if code is None:
                        report.problems.append((sname, sel.get("guid"), start, end, "codes an unknown code"))
                        continue
                    user = coding.get("creatingUser") or sel.get("creatingUser")
                    coder = users.get(user, user) or "unknown"
                    note_text = "; ".join(notes.get(r.get("targetGUID"), "") for r in
                                          list(coding.findall(f"{_NS}NoteRef")) + list(sel.findall(f"{_NS}NoteRef")))
                    codings.append((doc_id, span[0], span[1], code, coder,
                                    "; ".join(x for x in (memo, note_text) if x),
                                    coding.get("creationDateTime") or sel.get("creationDateTime")))

    proj = _target(into if into is not None else project)
    if report.problems:
        warnings.warn(f"{path}: {len(report.problems)} selections do not fit their text and were left out; "
                      "see the import report.", CoevalWarning, stacklevel=2)
    from .loading import store_import

    return store_import(proj, documents=documents, codebook=cb, codings=codings, report=report, roles=roles,
                        default_role=default_role, why=f"imported from {path.name}")


def _kind_for(tag: str) -> str:
    return {"AudioSource": "transcript", "VideoSource": "transcript"}.get(tag, "notes")


def refi_guid(*parts) -> str:
    """A stable REFI-QDA GUID for an object named by ``parts`` (the same parts give the same GUID)."""
    return str(uuid.uuid5(_GUID_NS, "\x1f".join(str(p) for p in parts)))


def refi_is_colour(value: str) -> bool:
    """Whether ``value`` is a colour REFI-QDA accepts (``#rrggbb`` or ``#rgb``)."""
    import re

    return bool(re.fullmatch(r"#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})", value or ""))


def refi_xml_datetime(value) -> str | None:
    """An ISO timestamp as an xsd:dateTime (UTC as ``Z``), or None when it has no time part."""
    if not value:
        return None
    value = str(value).replace("+00:00", "Z")
    return value if "T" in value else None
