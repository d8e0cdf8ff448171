"""The codebook in the store: loading one, writing its changes through, moving codings on merges.

These are the codebook methods of :class:`~coeval.store.ProjectStore` (mixed in). The
codebook itself (tree, formats, templates) is :mod:`coeval.codebook`'s.
"""

from __future__ import annotations

import json

from ..codebook import Codebook, CodeEntry
from ..codebook.tree import _Change
from .codings import coding_id

__all__ = ["CodebookMixin", "code_row", "code_from_row"]


class CodebookMixin:
    """The project's codebook; mixed into :class:`~coeval.store.ProjectStore`."""

    # -- the codebook ---------------------------------------------------------------------------
    @property
    def codebook(self) -> Codebook:
        """The project's codebook. Changes to it (``add``, ``rename``, ``merge``...) are saved at
        once, and a merge moves the merged codes' codings to the target code."""
        from sqlalchemy import select

        from . import schema

        with self._engine.connect() as conn:
            info = json.loads(self._meta_get(conn, "codebook_info") or "{}")
            version = int(self._meta_get(conn, "codebook_version") or 0)
            rows = conn.execute(select(schema.codes).order_by(schema.codes.c.position)).mappings().all()
            history = conn.execute(select(schema.codebook_history).order_by(schema.codebook_history.c.id)
                                   ).mappings().all()
        cb = Codebook(info.get("name", "Codebook"), [code_from_row(r) for r in rows],
                      description=info.get("description", ""), source=info.get("source"))
        cb._history = [_Change(h["version"], h["at"], h["by"], h["action"], h["code_id"], h["detail"] or {},
                               h["why"]) for h in history]
        cb.version = version
        cb._project = self
        return cb

    @codebook.setter
    def codebook(self, codebook: Codebook) -> None:
        self.set_codebook(codebook)

    def set_codebook(self, codebook: Codebook, *, by: str | None = None, why: str | None = None) -> Codebook:
        """Use this codebook in the project.

        Codes are matched to the project's by name: a matched code keeps its id (and codings),
        new codes are added, codes not in the new codebook are retired (their codings stay).
        Returns the project's codebook.
        """
        with self._write() as conn:
            self._set_codebook(conn, codebook, by=by, why=why)
        return self.codebook

    def _set_codebook(self, conn, codebook: Codebook, *, by=None, why=None, add_only: bool = False) -> list:
        """Load ``codebook`` into the store; returns the codes that clash (same name, another definition
        or polarity) as ``(name, field)``. ``add_only`` (an import into a project that has codes):
        new codes are added after the project's, the project's own are neither changed nor retired."""
        from sqlalchemy import select

        from . import schema
        from .schema import now

        existing = {r["name"].casefold(): dict(r) for r in
                    conn.execute(select(schema.codes)).mappings().all()}
        by_id = {r["id"]: r for r in existing.values()}
        version = int(self._meta_get(conn, "codebook_version") or 0)
        id_map: dict[str, str] = {}
        for code in codebook.ordered():
            old = existing.get(code.name.casefold())
            id_map[code.id] = old["id"] if old else (code.id if code.id not in by_id else f"{code.id}-{version + 1}")
        stamp = now()
        kept = set()
        add_only = add_only and bool(existing)
        clashes, new_rows = [], []
        for position, code in enumerate(codebook.ordered(), start=len(existing) if add_only else 0):
            cid = id_map[code.id]
            kept.add(cid)
            row = code_row(code, cid, id_map.get(code.parent) if code.parent else None, position)
            if cid in by_id and add_only:
                mine = by_id[cid]
                clashes += [(code.name, f) for f in ("definition", "polarity")
                            if " ".join(str(mine[f] or "").split()) != " ".join(str(row[f] or "").split())
                            and row[f] not in ("", "none")]
                continue
            if cid in by_id:
                conn.execute(schema.codes.update().where(schema.codes.c.id == cid).values(**row))
            else:
                new_rows.append({"id": cid, "added_version": version + 1, "added_at": stamp, **row})
        if new_rows:
            conn.execute(schema.codes.insert(), new_rows)
        for cid, row in by_id.items():
            if cid not in kept and row["status"] == "active" and not add_only:
                conn.execute(schema.codes.update().where(schema.codes.c.id == cid).values(status="retired"))
        version += 1
        conn.execute(schema.codebook_history.insert().values(
            version=version, at=stamp, by=by, action="add codes" if add_only else "load", code_id="*",
            detail={"name": codebook.name, "codes": len(codebook), "content_hash": codebook.content_hash},
            why=why))
        self._meta_set(conn, "codebook_version", str(version))
        if not add_only:
            self._meta_set(conn, "codebook_info", json.dumps(
                {"name": codebook.name, "description": codebook.description, "source": codebook.source}))
        return clashes

    def _codebook_changed(self, cb: Codebook, change: _Change) -> None:
        """Write one codebook change through to the store (called by the bound Codebook)."""
        from sqlalchemy import select

        from . import schema

        with self._write() as conn:
            have = set(conn.execute(select(schema.codes.c.id)).scalars())
            for position, code in enumerate(list(cb.ordered()) + [c for c in cb._codes.values()
                                                                   if c.status != "active"]):
                row = code_row(code, code.id, code.parent, position)
                if code.id in have:
                    conn.execute(schema.codes.update().where(schema.codes.c.id == code.id).values(**row))
                else:
                    conn.execute(schema.codes.insert().values(id=code.id, added_version=change.version,
                                                              added_at=change.at, **row))
            if change.action == "merge":
                self._move_codings(conn, change.code, change.detail["into"], by=change.by)
            conn.execute(schema.codebook_history.insert().values(
                version=change.version, at=change.at, by=change.by, action=change.action, code_id=change.code,
                detail=change.detail, why=change.why))
            self._meta_set(conn, "codebook_version", str(change.version))

    def _move_codings(self, conn, source: str, target: str, *, by) -> None:
        from sqlalchemy import select

        from . import schema
        from .schema import now

        c = schema.codings
        stamp = now()
        rows = conn.execute(select(c).where(c.c.code_id == source)).mappings().all()
        for r in rows:
            new_id = coding_id(r["document_id"], r["start"], r["end"], target, r["coder"])
            clash = conn.execute(select(c.c.id).where(c.c.id == new_id)).scalar()
            conn.execute(c.delete().where(c.c.id == r["id"]))
            if clash is None:
                conn.execute(c.insert().values(**{**dict(r), "id": new_id, "code_id": target}))
            self._audit(conn, "merge", by=by, coding_id=r["id"], row=r,
                        detail={"into": target, "new_coding_id": None if clash else new_id}, at=stamp)

def code_row(code: CodeEntry, cid: str, parent: str | None, position: int) -> dict:
    return {"position": position, "name": code.name, "parent_id": parent, "definition": code.definition,
            "include": code.include, "exclude": code.exclude, "example": code.example, "polarity": code.polarity,
            "dimensions": list(code.dimensions), "construct": code.construct, "cues": list(code.cues),
            "status": code.status, "color": code.color}


def code_from_row(r) -> CodeEntry:
    return CodeEntry(id=r["id"], name=r["name"], parent=r["parent_id"], definition=r["definition"] or "",
                     include=r["include"] or "", exclude=r["exclude"] or "", example=r["example"] or "",
                     polarity=r["polarity"], dimensions=tuple(r["dimensions"] or ()), construct=r["construct"],
                     cues=tuple(r["cues"] or ()), status=r["status"], color=r["color"])
