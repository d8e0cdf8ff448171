"""Writing what an importer read into a project, in one transaction; choosing that project."""

from __future__ import annotations

from ..project import Project
from ..store import ProjectStore

__all__ = ["store_import", "target_project"]


def target_project(where):
    """The project an import goes into: ``where`` itself, a new project file at a path, or a new
    in-memory project."""
    if isinstance(where, ProjectStore):
        return where
    return Project.create(where) if where else Project()


def store_import(proj, *, documents, codebook, codings, report, roles=None, default_role="unknown", why=""):
    """Insert documents, the codebook and codings ``(doc, start, end, code, coder, memo, created)``.

    All or nothing: a failure leaves the project as it was. Updates ``report`` (documents,
    codes, codings, coders) and attaches it as ``proj.import_report``.
    """
    from sqlalchemy import select

    from ..errors import ProjectError
    from ..store import schema

    roles = roles or {}
    with proj._write() as conn:
        have = set(conn.execute(select(schema.documents.c.id)).scalars())
        again = [doc.id for doc in documents if doc.id in have]
        if again:
            raise ProjectError(f"{len(again)} of its documents are in the project already ({', '.join(again[:5])}"
                               f"{', ...' if len(again) > 5 else ''}), so nothing was imported.",
                               hint="Import it into a new project (read_qdpx(path)), or merge the two projects "
                                    "with ce.merge, which brings in codings on documents both hold.")
        position = len(have)
        for doc in documents:
            proj._insert_document(conn, doc, position, schema.now())
            position += 1
        if len(codebook):  # into a project with a codebook: codes are added, never retired
            report.code_clashes = proj._set_codebook(conn, codebook, by="import", why=why, add_only=True)
        ids = {r[1].casefold(): r[0] for r in conn.execute(select(schema.codes.c.id, schema.codes.c.name))}
        for doc_id, start, end, code, coder, memo, created in codings:
            team = coder == "consensus"  # coeval's own export: the team's consensus codings come back as such
            proj._code(conn, (doc_id, start, end), ids[code.casefold()], coder=coder, memo=memo,
                       role="consensus" if team else roles.get(coder, default_role), created_at=created, by="import",
                       origin="consensus" if team else "human")
            if coder not in report.coders:
                report.coders.append(coder)
    report.documents, report.codes, report.codings = len(documents), len(codebook), len(codings)
    proj.import_report = report
    return proj
