"""Merging projects: each coder may work in their own copy; bring their codings together.

Documents are matched by content hash (ids may differ between copies), codes and coders by
name. A code that exists on both sides with a different definition or polarity is a
conflict: never guessed at. By default the merge is refused and nothing is written; the person
merging settles it by preferring ours or theirs (per kind of conflict), or asks for a report
that merges the rest and leaves those codings out.
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


_FIELDS = ("definition", "polarity")


def _preferences(prefer) -> dict:
    """``{field: "ours" | "theirs"}`` from ``None``, ``"ours"``, ``"theirs"`` or a dict per field."""
    if prefer is None:
        return {}
    if isinstance(prefer, str):
        prefer = {f: prefer for f in _FIELDS}
    out = {}
    for name, side in dict(prefer).items():
        if name not in _FIELDS or side not in ("ours", "theirs"):
            raise ValueError(f"prefer must be 'ours', 'theirs', or a dict of {', '.join(_FIELDS)} -> ours/theirs; "
                             f"got {name!r}: {side!r}")
        out[name] = side
    return out


def merge(target, *others, by: str | None = None, prefer=None, on_conflict: str = "raise") -> MergeReport:
    """Bring other projects' codings (and new codes and coders) into ``target``, all or nothing.

    Parameters
    ----------
    target : Project or path
    *others : Project or path
    by : str, optional
        Who is merging: recorded as the merger (in the codebook history, and beside each merged
        coding's history, which keeps its original author and time).
    prefer : {None, "ours", "theirs"} or dict
        How to settle a code that has the same name on both sides but another definition or
        polarity: keep the target's (``"ours"``) or take the copy's (``"theirs"``, recorded as a
        codebook edit); per kind of conflict with a dict, e.g. ``{"definition": "theirs",
        "polarity": "ours"}``.
    on_conflict : {"raise", "report"}
        A conflict not settled by ``prefer``: ``"raise"`` (the default) refuses the whole merge
        and leaves the target as it was; ``"report"`` merges everything else and reports the
        conflicts (their codings left out).

    Returns
    -------
    MergeReport

    Raises
    ------
    MergeConflict
        Naming every unsettled conflict and how to settle it; nothing is written.
    """
    from sqlalchemy import func, select

    from ..errors import MergeConflict
    from ..store import ProjectStore, schema
    from ..store.codebooks import code_row
    from ..store.schema import now

    if on_conflict not in ("report", "raise"):
        raise ValueError("on_conflict must be 'raise' or 'report'")
    preferences = _preferences(prefer)
    target = target if isinstance(target, ProjectStore) else ProjectStore.open(target)
    report = MergeReport()
    ours = {h: d for d, h in target.documents.set_index("document_id")["content_hash"].items()}
    our_cb = target.codebook
    plans = []
    for other in others:  # read and check every copy before writing anything
        other = other if isinstance(other, ProjectStore) else ProjectStore.open(other)
        source = other._display
        doc_map = {}
        for doc_id, digest in other.documents.set_index("document_id")["content_hash"].items():
            if digest in ours:
                doc_map[doc_id] = ours[digest]
            elif doc_id not in report.unmatched_documents:
                report.unmatched_documents.append(doc_id)
        their_cb = other.codebook
        code_map, conflicted, theirs = {}, set(), {}
        for code in their_cb.ordered():
            mine = our_cb._find(code.name)
            if mine is None:
                continue
            for attr in _FIELDS:
                if _same(getattr(code, attr), getattr(mine, attr)):
                    continue
                side = preferences.get(attr)
                if side == "theirs":
                    theirs.setdefault(mine.id, {})[attr] = getattr(code, attr)
                elif side is None:
                    report.conflicts.append({"source": source, "code": code.name, "field": attr,
                                             "target": getattr(mine, attr), "other": getattr(code, attr)})
                    conflicted.add(code.id)
            code_map[code.id] = mine.id
        plans.append((source, doc_map, their_cb, code_map, conflicted, theirs,
                      other.coders.set_index("coder")["role"].to_dict(), other.codings))
    if report.conflicts and on_conflict == "raise":
        shown = "; ".join(f"{c['code']!r} ({c['field']}, in {c['source']})" for c in report.conflicts[:5])
        more = f" and {len(report.conflicts) - 5} more" if len(report.conflicts) > 5 else ""
        raise MergeConflict(f"{len(report.conflicts)} code(s) differ between the projects: {shown}{more}. "
                            "Nothing was merged.",
                            hint="Align the codebooks (or rename a code), or choose: prefer='ours' keeps the "
                                 "target's, prefer='theirs' takes the copy's (coeval merge --prefer ours|theirs, "
                                 "or per kind: --prefer definition=theirs --prefer polarity=ours).")
    stamp = now()
    with target._write() as conn:
        version = int(target._meta_get(conn, "codebook_version") or 0)
        position = conn.execute(select(func.count()).select_from(schema.codes)).scalar()
        for source, doc_map, their_cb, code_map, conflicted, theirs, their_coders, their_codings in plans:
            for code_id, changes in theirs.items():  # the copy's definitions, where preferred
                version += 1
                conn.execute(schema.codes.update().where(schema.codes.c.id == code_id).values(**changes))
                conn.execute(schema.codebook_history.insert().values(
                    version=version, at=stamp, by=by, action="edit", code_id=code_id,
                    detail={**changes, "merged_from": source}, why=f"taken from {source} at a merge"))
            for code in their_cb.ordered():  # new codes, parents before children
                if code.id in code_map or code.id in conflicted:
                    continue
                parent = code_map.get(code.parent) if code.parent else None
                cid, n = code.id, 2
                while conn.execute(select(schema.codes.c.id).where(schema.codes.c.id == cid)).scalar():
                    cid, n = f"{code.id}-{n}", n + 1
                version += 1
                conn.execute(schema.codes.insert().values(id=cid, added_version=version, added_at=stamp,
                                                          **code_row(code, cid, parent, position)))
                position += 1
                conn.execute(schema.codebook_history.insert().values(
                    version=version, at=stamp, by=by, action="add", code_id=cid,
                    detail={"name": code.name, "parent": parent, "merged_from": source}, why=f"merged from {source}"))
                code_map[code.id] = cid
                report.new_codes.append(code.name)
            for r in their_codings.itertuples():
                if r.document_id not in doc_map:
                    continue
                if r.code_id in conflicted:
                    report.skipped_for_conflicts += 1
                    continue
                have = conn.execute(select(schema.coders.c.name).where(schema.coders.c.name == r.coder)).scalar()
                if have is None and r.coder not in report.new_coders:
                    report.new_coders.append(r.coder)
                before = conn.execute(select(func.count()).select_from(schema.codings)).scalar()
                target._code(conn, (doc_map[r.document_id], r.start, r.end), code_map[r.code_id], coder=r.coder,
                             memo=r.memo, role=their_coders.get(r.coder, r.role), origin=r.origin,
                             created_at=r.created_at,
                             history={"by": r.coder, "at": r.created_at,
                                      "detail": {"merged_from": source, "merged_by": by, "merged_at": stamp}})
                after = conn.execute(select(func.count()).select_from(schema.codings)).scalar()
                if after > before:
                    report.added += 1
                else:
                    report.already_present += 1
        target._meta_set(conn, "codebook_version", str(version))
    return report
