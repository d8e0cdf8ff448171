"""Merging projects: each coder may work in their own copy; bring their codings together.

Documents are matched by content hash (ids may differ between copies), codes and coders by
name. A code that exists on both sides with a different definition or polarity is a
conflict: it is reported, and its codings are left out, rather than guessed at.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

__all__ = ["merge", "MergeReport"]


@dataclass
class MergeReport:
    """What a merge did and what it could not decide."""

    added: int = 0
    already_present: int = 0
    new_codes: list = field(default_factory=list)
    new_coders: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)  # dicts: code, field, target, other, source
    unmatched_documents: list = field(default_factory=list)
    skipped_for_conflicts: int = 0

    def __repr__(self) -> str:
        return (f"MergeReport(added={self.added}, already_present={self.already_present}, "
                f"new_codes={len(self.new_codes)}, conflicts={len(self.conflicts)}, "
                f"unmatched_documents={len(self.unmatched_documents)})")

    def conflicts_frame(self):
        """The conflicts as a DataFrame: ``source``, ``code``, ``field``, ``target``, ``other``."""
        import pandas as pd

        return pd.DataFrame(self.conflicts, columns=["source", "code", "field", "target", "other"])

    def _repr_html_(self) -> str:
        text = (f"<p>Merged {self.added} codings ({self.already_present} were already there); "
                f"{len(self.new_codes)} new codes, {len(self.new_coders)} new coders.</p>")
        if self.conflicts:
            text += (f"<p><b>{len(self.conflicts)} conflicts</b> ({self.skipped_for_conflicts} codings left out): "
                     "resolve them (rename or align the definitions) and merge again.</p>"
                     + self.conflicts_frame().to_html(index=False))
        if self.unmatched_documents:
            text += f"<p>Documents not in the target: {html.escape(', '.join(self.unmatched_documents))}</p>"
        return text


def _same(a, b) -> bool:
    return " ".join(str(a or "").split()).casefold() == " ".join(str(b or "").split()).casefold()


def merge(target, *others, by: str | None = None, on_conflict: str = "report") -> MergeReport:
    """Bring other projects' codings (and new codes and coders) into ``target``.

    Parameters
    ----------
    target : Project or path
    *others : Project or path
    by : str, optional
        Who is merging (recorded in the codebook history and audit log).
    on_conflict : {"report", "raise"}
        ``"raise"`` refuses the whole merge if any code conflicts.

    Returns
    -------
    MergeReport

    Raises
    ------
    MergeConflict
        With ``on_conflict="raise"``, naming the first conflict.
    """
    from sqlalchemy import func, select

    from ..errors import MergeConflict
    from ..store import ProjectStore, schema
    from ..store.codebooks import code_row
    from ..store.schema import now

    if on_conflict not in ("report", "raise"):
        raise ValueError("on_conflict must be 'report' or 'raise'")
    target = target if isinstance(target, ProjectStore) else ProjectStore.open(target)
    report = MergeReport()
    for other in others:
        other = other if isinstance(other, ProjectStore) else ProjectStore.open(other)
        source = other._display
        their_docs = other.documents.set_index("document_id")["content_hash"].to_dict()
        ours = {h: d for d, h in target.documents.set_index("document_id")["content_hash"].items()}
        doc_map = {}
        for doc_id, digest in their_docs.items():
            if digest in ours:
                doc_map[doc_id] = ours[digest]
            elif doc_id not in report.unmatched_documents:
                report.unmatched_documents.append(doc_id)
        their_cb, our_cb = other.codebook, target.codebook
        code_map, conflicted = {}, set()
        for code in their_cb.ordered():
            mine = our_cb._find(code.name)
            if mine is None:
                continue
            for attr in ("definition", "polarity"):
                if not _same(getattr(code, attr), getattr(mine, attr)):
                    report.conflicts.append({"source": source, "code": code.name, "field": attr,
                                             "target": getattr(mine, attr), "other": getattr(code, attr)})
                    conflicted.add(code.id)
            code_map[code.id] = mine.id
        if report.conflicts and on_conflict == "raise":
            c = report.conflicts[0]
            raise MergeConflict(f"code {c['code']!r} has a different {c['field']} in {source}.",
                                hint="Align the two codebooks (or rename one code), then merge again.")
        their_coders = other.coders.set_index("coder")["role"].to_dict()
        their_codings = other.codings
        with target._write() as conn:
            version = int(target._meta_get(conn, "codebook_version") or 0)
            position = conn.execute(select(func.count()).select_from(schema.codes)).scalar()
            for code in their_cb.ordered():  # new codes, parents before children
                if code.id in code_map or code.id in conflicted:
                    continue
                parent = code_map.get(code.parent) if code.parent else None
                cid, n = code.id, 2
                while conn.execute(select(schema.codes.c.id).where(schema.codes.c.id == cid)).scalar():
                    cid, n = f"{code.id}-{n}", n + 1
                version += 1
                conn.execute(schema.codes.insert().values(id=cid, added_version=version, added_at=now(),
                                                          **code_row(code, cid, parent, position)))
                position += 1
                conn.execute(schema.codebook_history.insert().values(
                    version=version, at=now(), by=by, action="add", code_id=cid,
                    detail={"name": code.name, "parent": parent, "merged_from": source}, why=f"merged from {source}"))
                code_map[code.id] = cid
                report.new_codes.append(code.name)
            target._meta_set(conn, "codebook_version", str(version))
            for r in their_codings.itertuples():
                if r.document_id not in doc_map:
                    continue
                if r.code_id in conflicted:
                    report.skipped_for_conflicts += 1
                    continue
                have = conn.execute(select(schema.coders.c.name).where(schema.coders.c.name == r.coder)).scalar()
                if have is None:
                    report.new_coders.append(r.coder)
                before = conn.execute(select(func.count()).select_from(schema.codings)).scalar()
                target._code(conn, (doc_map[r.document_id], r.start, r.end), code_map[r.code_id], coder=r.coder,
                             memo=r.memo, role=their_coders.get(r.coder, r.role), origin=r.origin,
                             created_at=r.created_at, by=by)
                after = conn.execute(select(func.count()).select_from(schema.codings)).scalar()
                if after > before:
                    report.added += 1
                else:
                    report.already_present += 1
    return report
