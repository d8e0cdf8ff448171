"""Coders in the store: registering them with a role, renaming and retiring them, with history.

A coder is a person (or a pseudonymous label for one): every coding, assignment and decision is
attributed to a registered, active coder, and a name that is not registered is refused with the
closest registered names. A coder's name must not be a participant's (it would reach the
report): it is checked against the roster's names when it is registered.
"""

from __future__ import annotations

from ..errors import CodingError

__all__ = ["CodersMixin", "CONSENSUS_ROLE", "CODER_COLUMNS"]

CONSENSUS_ROLE = "consensus"  # the team, as author of consensus codings: not a coder
CODER_COLUMNS = ["coder", "role", "n_codings", "created_at", "status"]


class CodersMixin:
    """Registered coders; mixed into :class:`~coeval.store.ProjectStore`."""

    def add_coder(self, name: str, role: str = "academic") -> None:
        """Register a coder with their role (``peer_researcher``, ``community_coordinator``,
        ``academic``, ``stakeholder``, or your own word). Registering again updates the role.

        Raises
        ------
        CodingError
            An empty or reserved name, a retired coder, or a name that is a participant's on the
            roster (use a pseudonymous label such as ``PR-N1``).
        """
        from sqlalchemy import select

        from . import schema
        from .schema import now

        name = " ".join(str(name).split())
        role = " ".join(str(role or "").split()) or "academic"
        with self._write() as conn:
            row = conn.execute(select(schema.coders.c.role, schema.coders.c.status)
                               .where(schema.coders.c.name == name)).first()
            if row is None:
                self._check_coder_name(conn, name)
                conn.execute(schema.coders.insert().values(name=name, role=role, created_at=now(), status="active"))
            elif row[1] == "retired":
                raise CodingError(f"coder {name!r} was retired.", hint="Register the person under a new name.")
            elif row[0] != role:
                conn.execute(schema.coders.update().where(schema.coders.c.name == name).values(role=role))
            else:
                return
            self._audit(conn, "coder", by=name, detail={"role": role, "was": row[0] if row else None})

    def rename_coder(self, old: str, new: str, *, by: str | None = None, why: str | None = None) -> None:
        """Rename a coder everywhere (codings, assignments), keeping the rename in the audit log.

        Raises
        ------
        CodingError
            An unknown coder (with the closest names), or a new name that is taken, reserved or
            a participant's.
        """
        from sqlalchemy import select

        from . import schema
        from .codings import coding_id

        new = " ".join(str(new).split())
        c, k = schema.codings, schema.coders
        with self._write() as conn:
            old = self._require_coder(conn, old, active=False)
            if conn.execute(select(k.c.name).where(k.c.name == new)).scalar() is not None:
                raise CodingError(f"there is a coder called {new!r} already.",
                                  hint="Choose another name, or keep both coders.")
            self._check_coder_name(conn, new)
            row = conn.execute(select(k).where(k.c.name == old)).mappings().first()
            conn.execute(k.insert().values(name=new, role=row["role"], created_at=row["created_at"],
                                           status=row["status"] or "active"))
            for r in conn.execute(select(c.c.id, c.c.document_id, c.c.start, c.c.end, c.c.code_id)
                                  .where(c.c.coder == old)).all():
                conn.execute(c.update().where(c.c.id == r[0]).values(
                    coder=new, id=coding_id(r[1], r[2], r[3], r[4], new)))
            conn.execute(schema.assignments.update().where(schema.assignments.c.coder == old).values(coder=new))
            conn.execute(k.delete().where(k.c.name == old))
            self._audit(conn, "rename coder", by=by, row={"coder": new}, detail={"from": old, "to": new, "why": why})

    def retire_coder(self, name: str, *, by: str | None = None, why: str | None = None) -> None:
        """Retire a coder: their codings and the rounds they took part in stay; they can no longer
        code or be assigned work."""
        from . import schema

        with self._write() as conn:
            name = self._require_coder(conn, name)
            conn.execute(schema.coders.update().where(schema.coders.c.name == name).values(status="retired"))
            self._audit(conn, "retire coder", by=by, row={"coder": name}, detail={"why": why})

    @property
    def coders(self):
        """One row per coder: ``coder``, ``role``, ``n_codings``, ``created_at``, ``status``
        (``active`` or ``retired``). The team's consensus (the author of consensus codings, see
        :mod:`coeval.coding.reconciliation`) is not a coder and is left out."""
        import pandas as pd
        from sqlalchemy import func, select

        from . import schema

        c, k = schema.codings, schema.coders
        counts = dict(self._read_rows(select(c.c.coder, func.count()).where(c.c.origin != "rejected")
                                      .group_by(c.c.coder)))
        rows = [{"coder": r["name"], "role": r["role"], "n_codings": int(counts.get(r["name"], 0)),
                 "created_at": r["created_at"], "status": r["status"] or "active"}
                for r in self._read(select(k).where(k.c.role != CONSENSUS_ROLE).order_by(k.c.name))]
        return pd.DataFrame(rows, columns=CODER_COLUMNS)

    def _check_coder_name(self, conn, name: str) -> None:
        """A new coder's name: not empty, not reserved, not a participant's."""
        from sqlalchemy import select

        from ..privacy import find_identifiers
        from . import schema

        if not name:
            raise CodingError("a coder needs a name.")
        if name.casefold() == CONSENSUS_ROLE:
            raise CodingError(f"{name!r} is reserved for the team's consensus codings.", hint="Choose another name.")
        salt = self._meta_get(conn, "salt") or ""
        hashes = frozenset(conn.execute(select(schema.name_hashes.c.hash)).scalars())
        if find_identifiers(name, salt=salt, hashes=hashes, any_case=True):
            raise CodingError(f"coder name {name!r} is (or contains) a participant's name on the roster, and "
                              "coder names appear in reports.",
                              hint="Register the coder under a pseudonymous label, such as 'PR-N1' or 'AC-2'.")

    def _coder_role(self, conn, coder: str, role: str | None) -> str:
        from sqlalchemy import select

        from . import schema
        from .schema import now

        row = conn.execute(select(schema.coders.c.role, schema.coders.c.status)
                           .where(schema.coders.c.name == coder)).first()
        if row is not None:
            if row[1] == "retired":
                self._require_coder(conn, coder)  # raises: retired
            return row[0]
        if role is None:
            self._require_coder(conn, coder)  # raises, with the closest names
        if not (coder == CONSENSUS_ROLE and role == CONSENSUS_ROLE):  # the team, coming back from an export
            self._check_coder_name(conn, coder)
        conn.execute(schema.coders.insert().values(name=coder, role=role, created_at=now(), status="active"))
        self._audit(conn, "coder", by=coder, detail={"role": role})
        return role

    def _require_coder(self, conn, coder: str, *, active: bool = True) -> str:
        """The registered coder named ``coder``; else a CodingError with the closest names."""
        import difflib

        from sqlalchemy import select

        from . import schema

        k = schema.coders
        rows = dict(conn.execute(select(k.c.name, k.c.status).where(k.c.role != CONSENSUS_ROLE)).all())
        if coder in rows:
            if active and rows[coder] == "retired":
                raise CodingError(f"coder {coder!r} was retired and can no longer code or take on work.",
                                  hint="See proj.coders; register whoever takes over under their own name.")
            return coder
        folded = {n.casefold(): n for n in rows}
        key = str(coder).casefold()
        close = ([folded[key]] if key in folded else
                 [folded[x] for x in difflib.get_close_matches(key, list(folded), n=3, cutoff=0.6)])
        hint = (f"Did you mean {' or '.join(repr(c) for c in close)}? " if close else "") + (
            f"Register a new coder first: proj.add_coder({coder!r}, role='peer_researcher'), or pass role=... "
            "when coding.")
        raise CodingError(f"{coder!r} is not a registered coder.", hint=hint)
