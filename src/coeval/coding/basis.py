"""The basis an analysis counts on: whose codings make the findings.

- ``consensus``: where a round was reconciled, the team's consensus codings; elsewhere (the
  units one person coded) that person's codings. The default once anything is reconciled.
- ``agreed``: a code on a passage counts when two or more coders applied it there.
- ``any``: every coder's codings, pooled: a passage has a code if anyone applied it. The
  default before any reconciliation, and always said.
- ``coder:NAME``: one coder's codings.

Only ``human`` and ``accepted`` codings are a coder's; consensus codings are the team's.
Every analysis that counts takes ``basis=`` and says which it used.
"""

from __future__ import annotations

from ..errors import CodingError

__all__ = ["resolve_basis", "basis_units", "basis_codings", "describe_basis", "reconciled_segments", "BASES"]

BASES = ("consensus", "agreed", "any")
_CODERS = ("human", "accepted")


def reconciled_segments(proj) -> set:
    """The segments a reconciliation decided."""
    from sqlalchemy import select

    from ..store import schema

    def read():
        return {r[0] for r in proj._read_rows(select(schema.reconciled.c.segment_id))}

    return proj._remembered("reconciled", read)  # kept with the store's state: the analyses each ask


def resolve_basis(proj, basis: str | None = None) -> str:
    """The basis to count on: ``basis`` checked, or (``None`` / ``"auto"``) ``consensus`` when a round
    has been reconciled, else ``any``.

    Raises
    ------
    CodingError
        An unknown basis, ``consensus`` before any reconciliation, or ``coder:NAME`` for a coder
        who is not registered (with the closest names).
    """
    if basis in (None, "auto"):
        return "consensus" if reconciled_segments(proj) else "any"
    basis = str(basis).strip()
    if basis.startswith("coder:"):
        name = basis.split(":", 1)[1].strip()
        with proj._engine.connect() as conn:
            name = proj._require_coder(conn, name)
        return f"coder:{name}"
    if basis not in BASES:
        raise CodingError(f"unknown basis {basis!r}.",
                          hint="Use 'consensus', 'agreed', 'any' or 'coder:NAME' (or leave it out).")
    if basis == "consensus" and not reconciled_segments(proj):
        raise CodingError("basis 'consensus' needs a reconciled round, and nothing has been reconciled yet.",
                          hint="Reconcile the independent round first (proj.reconcile(...)), or count on "
                               "basis='agreed' or 'any'.")
    return basis


def describe_basis(basis: str) -> str:
    """The basis in plain words, for tables and the report."""
    if basis.startswith("coder:"):
        return f"the codings of {basis.split(':', 1)[1]} only"
    return {"consensus": "the team's agreed (consensus) codings where a round was reconciled, and elsewhere "
                         "the codings of the person who coded the passage",
            "agreed": "codes that two or more coders applied to the same passage",
            "any": "every coder's codings pooled: a passage counts if any coder applied the code"}[basis]


def among(column, values):
    """``column.isin(values)`` as a boolean array, for many ``values``.

    Through an object index: a column of pandas' Arrow-backed strings makes a Python scalar of
    each value looked for (4 microseconds each; seconds for a few hundred thousand), an index
    hashes them once.
    """
    import pandas as pd

    return pd.Index(column.to_numpy(object), dtype=object).isin(list(values))


def _apply(frame, basis: str, reconciled: set):
    used = frame[frame["origin"].isin(_CODERS)]
    if basis == "any":
        return used
    if basis.startswith("coder:"):
        return used[used["coder"] == basis.split(":", 1)[1]]
    if basis == "agreed":
        used = used.dropna(subset=["segment_id"])
        n = used.groupby(["segment_id", "code"])["coder"].transform("nunique")
        return used[n >= 2].drop_duplicates(["segment_id", "code"])
    # consensus
    decided = among(frame["segment_id"], reconciled)
    return frame[(decided & frame["origin"].eq("consensus")) | (~decided & frame["origin"].isin(_CODERS))]


def basis_units(proj, basis: str | None = None):
    """``document_id``, ``segment_id``, ``code``, ``coder`` of the codings on a basis (the light read
    the network analyses use); ``frame.attrs["basis"]`` says which."""
    basis = resolve_basis(proj, basis)

    def read():
        origins = _CODERS + (("consensus",) if basis == "consensus" else ())
        frame = proj._coding_units(origins, coder=True, origin=True)
        out = _apply(frame, basis, reconciled_segments(proj) if basis == "consensus" else set())
        out = out.drop(columns="origin").reset_index(drop=True)
        out.attrs["basis"] = basis
        return out

    return proj._remembered(("basis_units", basis), read)  # the network analyses each ask


def basis_codings(proj, basis: str | None = None):
    """The codings frame (as ``proj.codings``, without text) on a basis, one row per coding kept
    (for ``agreed``, one per passage and code); ``frame.attrs["basis"]`` says which."""
    basis = resolve_basis(proj, basis)

    def read():
        frame = proj._codings_frame(with_text=False)
        out = _apply(frame, basis, reconciled_segments(proj) if basis == "consensus" else set()).reset_index(drop=True)
        out.attrs["basis"] = basis
        return out

    return proj._remembered(("basis_codings", basis), read)  # kept with the store's state: the analyses each ask
