"""Writing a project as a REFI-QDA .qdpx, with a summary of what it wrote and what it could not.

REFI-QDA has no "retired" code: codes coeval retired that still carry codings are written under
a parent code named :data:`RETIRED_PARENT`, so those codings survive an export and re-import and
the reader can see which they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .qdpx import NAMESPACE, refi_guid, refi_is_colour, refi_xml_datetime

__all__ = ["write_qdpx", "ExportReport", "RETIRED_PARENT"]

RETIRED_PARENT = "Retired codes (kept by coeval)"


@dataclass
class ExportReport:
    """What an export wrote, and what it left out (and why)."""

    path: Path | None = None
    documents: int = 0
    codes: int = 0
    codings: int = 0
    users: int = 0
    retired_kept: list = field(default_factory=list)  # names written under RETIRED_PARENT
    left_out: list = field(default_factory=list)      # (what, why)

    def __str__(self) -> str:
        text = (f"Wrote {self.path}: {self.documents} documents, {self.codes} codes, {self.codings} codings by "
                f"{self.users} coders.")
        if self.retired_kept:
            text += (f" {len(self.retired_kept)} retired code(s) with codings were kept under "
                     f"'{RETIRED_PARENT}'.")
        for what, why in self.left_out:
            text += f" Left out: {what} ({why})."
        return text


def write_qdpx(proj, path) -> Path:
    """Write a project as a REFI-QDA .qdpx that NVivo, ATLAS.ti, MAXQDA and QualCoder can open.

    Sources are UTF-8 plain text in ``sources/`` with ``internal://`` paths; every coding
    carries its coder (``creatingUser``) and memo (the selection's ``Description``); positions
    are code points (the standard). GUIDs are derived from coeval's ids, so writing the same
    project twice gives the same file apart from timestamps. Document metadata travels as text
    variables on the sources. Retired codes that carry codings are kept under
    :data:`RETIRED_PARENT`. ``proj.export_report`` (an :class:`ExportReport`) says what was
    written and what was left out.
    """
    import zipfile

    from lxml import etree

    from .. import __version__
    from ..store.schema import now

    path = Path(path)
    E = lambda tag, **attrs: etree.Element(f"{{{NAMESPACE}}}{tag}", {k: str(v) for k, v in attrs.items()  # noqa: E731
                                                                     if v is not None}, nsmap={None: NAMESPACE})

    def sub(parent, tag, **attrs):
        el = etree.SubElement(parent, f"{{{NAMESPACE}}}{tag}", {k: str(v) for k, v in attrs.items() if v is not None})
        return el

    stamp = now().replace("+00:00", "Z")
    root = E("Project", name=proj._display.rsplit("/", 1)[-1], origin=f"coeval {__version__}",
             creationDateTime=stamp)
    codings = proj.codings
    report = ExportReport(path=path)
    rejected = int((codings["origin"] == "rejected").sum())
    if rejected:
        report.left_out.append((f"{rejected} rejected suggestion(s)", "rejected codings are not the team's coding"))
    codings = codings[codings["origin"] != "rejected"]
    # every author of a coding is a user, the team's consensus included
    names = list(proj.coders["coder"]) + sorted(set(codings["coder"]) - set(proj.coders["coder"]))
    if names:
        users = sub(root, "Users")
        for name in names:
            sub(users, "User", guid=refi_guid("user", name), name=name)
    cb = proj.codebook
    if len(cb):
        book = sub(root, "CodeBook")
        codes_el = sub(book, "Codes")

        def add(parent, code):
            el = sub(parent, "Code", guid=refi_guid("code", code.id), name=code.name, isCodable="true",
                     color=code.color if code.color and refi_is_colour(code.color) else None)
            if code.definition:
                sub(el, "Description").text = code.definition
            for child in cb.children(code.id):
                add(el, child)

        for top in cb.children(None):
            add(codes_el, top)
        retired = [c for c in cb._codes.values() if c.status != "active" and c.id in set(codings["code_id"])]
        if retired:
            holder = sub(codes_el, "Code", guid=refi_guid("code", "__retired__"), name=RETIRED_PARENT,
                         isCodable="false")
            sub(holder, "Description").text = ("Codes retired from the coeval codebook that still carry codings; "
                                               "kept here so that no coding is lost.")
            for code in sorted(retired, key=lambda c: c.name.casefold()):
                el = sub(holder, "Code", guid=refi_guid("code", code.id), name=code.name, isCodable="true")
                if code.definition:
                    sub(el, "Description").text = code.definition
            report.retired_kept = [c.name for c in sorted(retired, key=lambda c: c.name.casefold())]
        report.codes = len(cb) + len(report.retired_kept)
    docs = proj.documents
    meta_cols = [c for c in docs.columns if c in ("site", "date", "session", "kind")]
    if meta_cols:
        variables = sub(root, "Variables")
        for col in meta_cols:
            sub(variables, "Variable", guid=refi_guid("variable", col), name=col, typeOfVariable="Text")
    texts = proj.texts()
    files = {}
    sources = sub(root, "Sources")
    by_doc = {d: g for d, g in codings.groupby("document_id")} if len(codings) else {}
    for d in docs.itertuples():
        guid = refi_guid("source", d.document_id)
        src = sub(sources, "TextSource", guid=guid, name=d.title or d.document_id,
                  plainTextPath=f"internal://{guid}.txt")
        files[f"sources/{guid}.txt"] = texts[d.document_id].encode("utf-8")
        group = by_doc.get(d.document_id)
        if group is not None:
            for (start, end), sel in group.groupby(["start", "end"], sort=True):
                s = sub(src, "PlainTextSelection", guid=refi_guid("selection", d.document_id, start, end),
                        name=texts[d.document_id][start:end][:60], startPosition=int(start), endPosition=int(end),
                        creatingUser=refi_guid("user", sel["coder"].iloc[0]))
                memos = "; ".join(dict.fromkeys(m for m in sel["memo"] if m))
                if memos:
                    sub(s, "Description").text = memos
                for r in sel.itertuples():
                    c = sub(s, "Coding", guid=refi_guid("coding", r.coding_id), creatingUser=refi_guid("user", r.coder),
                            creationDateTime=refi_xml_datetime(r.created_at))
                    sub(c, "CodeRef", targetGUID=refi_guid("code", r.code_id))
        for col in meta_cols:
            value = getattr(d, col)
            if isinstance(value, str) and value:
                vv = sub(src, "VariableValue")
                sub(vv, "VariableRef", targetGUID=refi_guid("variable", col))
                sub(vv, "TextValue").text = value
    xml = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    from ..files.spreadsheets import written_whole

    with written_whole(path) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", xml)
        for name, data in files.items():
            zf.writestr(name, data)
    report.documents, report.codings, report.users = len(docs), len(codings), len(names)
    proj.export_report = report
    return path


