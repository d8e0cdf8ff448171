"""QualCoder projects: the ``data.qda`` SQLite database and the documents folder beside it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..errors import FormatError

__all__ = ["read_qualcoder"]


def read_qualcoder(path, *, into=None, project=None, default_role: str = "unknown", roles: dict | None = None):
    """Read a QualCoder project into a coeval project.

    Parameters
    ----------
    path : path-like
        The project folder (``Name.qda``) or its ``data.qda`` file.
    into : Project or path, optional
        Where to put it (a new in-memory project by default; a path is created).
    project : Project or path, optional
        The same as ``into`` (its earlier name).

    Returns
    -------
    Project
        Text sources as documents (cases and file attributes as metadata), codes and
        categories as one code tree, and coded text with each owner as a coder.

    Notes
    -----
    QualCoder stores code-point offsets into ``source.fulltext``, half-open. They are mapped onto
    the text as coeval stores it (NFC, LF line ends, no control characters), checked against the
    stored ``seltext``, and any that do not match are reported.
    """
    import hashlib
    import warnings

    from ..codebook import Codebook
    from ..errors import CodebookError, CoevalWarning
    from ..files.textio import normalise_text
    from ..ingest.build import slugify
    from ..model import Document
    from .loading import target_project
    from .positions import PositionConverter
    from .qdpx import ImportReport
    from .segmenting import segments_for

    path = Path(path)
    db = path / "data.qda" if path.is_dir() else path
    if not db.is_file():
        raise FormatError("has no data.qda: it is not a QualCoder project.", path=path,
                          hint="Give the project folder (Name.qda) or its data.qda file.")
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        con.row_factory = sqlite3.Row
        tables = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
    except sqlite3.DatabaseError as exc:
        raise FormatError(f"is not a readable QualCoder database ({exc}).", path=db) from None
    needed = {"source", "code_name", "code_text"}
    if not needed <= tables:
        con.close()
        raise FormatError(f"lacks QualCoder tables ({', '.join(sorted(needed - tables))}).", path=db)
    report = ImportReport(origin="QualCoder")
    try:
        cb = Codebook(path.stem, source={"citation": f"imported from QualCoder project {path.name}"})
        cats = {r["catid"]: dict(r) for r in con.execute("select * from code_cat")} if "code_cat" in tables else {}
        cat_names: dict[int, str] = {}
        visiting: set = set()

        def add_cat(catid):
            if catid in cat_names or catid not in cats:
                return cat_names.get(catid)
            if ("cat", catid) in visiting:
                raise FormatError(f"has categories that contain each other (category {cats[catid]['name']!r} is "
                                  "its own ancestor).", path=db, hint="Fix the category tree in QualCoder.")
            visiting.add(("cat", catid))
            row = cats[catid]
            parent = add_cat(row.get("supercatid")) if row.get("supercatid") else None
            name = _unique(cb, row["name"], parent)
            cb.add(name, parent=parent, definition=row.get("memo") or "")
            cat_names[catid] = name
            return name

        for catid in sorted(cats):
            add_cat(catid)
        codes = {r["cid"]: dict(r) for r in con.execute("select * from code_name")}
        code_names: dict[int, str] = {}

        def add_code(cid):
            if cid in code_names:
                return code_names[cid]
            if ("code", cid) in visiting:
                raise FormatError(f"has codes that contain each other (code {codes[cid]['name']!r} is its own "
                                  "ancestor).", path=db, hint="Fix the code tree in QualCoder.")
            visiting.add(("code", cid))
            row = codes[cid]
            parent = None
            if row.get("supercid") and row["supercid"] in codes and row["supercid"] != cid:
                parent = add_code(row["supercid"])
            elif row.get("catid"):
                parent = add_cat(row["catid"])
            name = _unique(cb, row["name"], parent)
            cb.add(name, parent=parent, definition=row.get("memo") or "", color=row.get("color"))
            code_names[cid] = name
            return name

        for cid in sorted(codes):
            add_code(cid)
        file_attrs: dict[int, dict] = {}
        if "attribute" in tables:
            for r in con.execute("select name, value, id from attribute where attr_type = 'file'"):
                file_attrs.setdefault(r["id"], {})[r["name"]] = r["value"]
        case_of: dict[int, str] = {}
        if {"cases", "case_text"} <= tables:
            for r in con.execute("select c.name, t.fid from case_text t join cases c on c.caseid = t.caseid"):
                case_of.setdefault(r["fid"], r["name"])
        documents, codings, taken = [], [], set()
        for r in con.execute("select id, name, fulltext, memo from source where fulltext is not null "
                             "and length(fulltext) > 0 order by id"):
            text = r["fulltext"]
            doc_id = base = slugify(Path(r["name"]).stem)
            n = 2
            while doc_id in taken:
                doc_id, n = f"{base}-{n}", n + 1
            taken.add(doc_id)
            # QualCoder counts code points in its stored text; the converter maps them onto the text
            # as coeval stores it (CRLF, control characters and decomposed accents may change length)
            positions = PositionConverter(text)
            clean = positions.text
            meta = {"qualcoder_id": r["id"], **file_attrs.get(r["id"], {})}
            if case_of.get(r["id"]):
                meta["case"] = case_of[r["id"]]
            if r["memo"]:
                meta["memo"] = r["memo"]
            documents.append(Document(id=doc_id, kind="notes", title=r["name"], text=clean, source=r["name"],
                                      content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                                      metadata=meta, segments=segments_for(clean, doc_id)))
            for c in con.execute("select cid, seltext, pos0, pos1, owner, date, memo from code_text where fid = ?",
                                 (r["id"],)):
                s, e = c["pos0"], c["pos1"]
                if not (isinstance(s, int) and isinstance(e, int)):
                    report.problems.append((r["name"], None, s, e, "positions are not whole numbers"))
                    continue
                span = positions.span(s, e) if 0 <= s < e else None
                if span is None or (c["seltext"] and clean[span[0]:span[1]] != normalise_text(c["seltext"])):
                    report.problems.append((r["name"], None, s, e, "offsets do not match the stored text"))
                    continue
                if c["cid"] not in code_names:
                    report.problems.append((r["name"], None, s, e, "unknown code"))
                    continue
                codings.append((doc_id, *span, code_names[c["cid"]], c["owner"] or "unknown", c["memo"] or "",
                                c["date"]))
    except sqlite3.DatabaseError as exc:
        raise FormatError(f"is a damaged QualCoder database ({exc}).", path=db,
                          hint="Open the project in QualCoder and save it again.") from None
    except CodebookError as exc:
        raise FormatError(f"has a code tree coeval cannot read ({exc.message})", path=db) from None
    finally:
        con.close()
    proj = target_project(into if into is not None else project)
    if report.problems:
        warnings.warn(f"{db}: {len(report.problems)} codings did not match their text and were left out.",
                      CoevalWarning, stacklevel=2)
    from .loading import store_import

    return store_import(proj, documents=documents, codebook=cb, codings=codings, report=report, roles=roles,
                        default_role=default_role, why=f"imported from {path.name}")


def _unique(cb, name: str, parent: str | None) -> str:
    base = " ".join(str(name or "code").split())
    if base not in cb:
        return base
    candidate, n = f"{base} ({parent or 'top'})", 2
    while candidate in cb:
        candidate, n = f"{base} ({n})", n + 1
    return candidate
