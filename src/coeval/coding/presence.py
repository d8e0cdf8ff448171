"""Who counts where: the units each coder finished in a round, and the codes they had then.

With assignments, a coder is present on the documents (or segments) assigned to them that
they marked done; without, on every segment of the documents they coded. Everywhere else they
are missing. Agreement, disagreements and reconciliation all ask this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import compress

import numpy as np

__all__ = ["presence", "Presence", "Present", "resolve_round", "round_units", "RoundUnit", "coded_documents"]


@dataclass
class Presence:
    """Where each coder counts in a round: the documents (whole, or some segments) they finished,
    and the codebook version they had then."""

    round: str | None
    rule: str
    # coder -> document -> None (the whole document) or the set of segment ids
    units: dict = field(default_factory=dict)
    # coder -> document -> codebook version when they finished (None: no cut-off)
    versions: dict = field(default_factory=dict)

    def documents(self, coder: str) -> set:
        return set(self.units.get(coder, {}))


def presence(proj, round: str | None) -> Presence:
    """Who counts where in ``round``: done assignments only. A coder assigned a document and,
    separately, some of its segments is present on the whole document."""
    from sqlalchemy import select

    from ..store import schema

    a = schema.assignments
    rows = proj._read_rows(select(a.c.coder, a.c.document_id, a.c.segment_id, a.c.done_version).where(
        a.c.round == round, a.c.done_at.is_not(None)))
    result = Presence(round=round, rule="assigned and marked done")
    for coder, doc, seg, version in rows:
        docs = result.units.setdefault(coder, {})
        if seg is None:
            docs[doc] = None
        elif doc not in docs:
            docs[doc] = {seg}
        elif docs[doc] is not None:
            docs[doc].add(seg)
        old = result.versions.setdefault(coder, {}).get(doc)
        result.versions[coder][doc] = version if old is None else min(old, version)
    return result


_MISSING = object()


class Present:
    """Who counts where: a coder is present on a segment of a document they finished (with
    assignments) or coded at all (without); elsewhere they are missing. A code that joined the
    codebook after a coder finished a document is missing for them there."""

    def __init__(self, pres, coded, code_versions):
        self.pres = pres              # coeval.coding.assignments.Presence, or None for the document rule
        self.coded = coded            # coder -> documents they coded (the document rule)
        self.code_versions = code_versions

    def documents(self, coder) -> set:
        return self.pres.documents(coder) if self.pres is not None else set(self.coded.get(coder, ()))

    def segments(self, coder, doc, seg_ids):
        """Boolean array over ``seg_ids`` (the document's segments in order)."""
        if self.pres is None:
            return np.full(len(seg_ids), doc in self.coded.get(coder, ()), dtype=bool)
        where = self.pres.units.get(coder, {}).get(doc, _MISSING)
        if where is _MISSING:
            return np.zeros(len(seg_ids), dtype=bool)
        if where is None:
            return np.ones(len(seg_ids), dtype=bool)
        return np.fromiter((s in where for s in seg_ids), dtype=bool, count=len(seg_ids))

    def segments_matrix(self, coders, documents, seg_ids) -> np.ndarray:
        """Coders x segments booleans: :meth:`segments` for segments of many documents at once.

        ``documents`` and ``seg_ids`` are aligned (a segments frame's ``document_id`` and
        ``segment_id`` columns); one hashed look-up per coder, not one per document.
        """
        import pandas as pd

        docs = pd.Index(documents)
        out = np.zeros((len(coders), len(docs)), dtype=bool)
        pairs = None
        for i, coder in enumerate(coders):
            if self.pres is None:
                out[i] = docs.isin(list(self.coded.get(coder, ())))
                continue
            where = self.pres.units.get(coder, {})
            out[i] = docs.isin([d for d, segs in where.items() if segs is None])
            some = [(d, s) for d, segs in where.items() if segs is not None for s in segs]
            if some:
                if pairs is None:
                    pairs = pd.MultiIndex.from_arrays([docs, pd.Index(seg_ids)])
                out[i] |= pairs.isin(some)
        return out

    def done_versions(self, coders, documents) -> np.ndarray:
        """Coders x documents: the codebook version each coder finished each document at (NaN: no cut-off)."""
        out = np.full((len(coders), len(documents)), np.nan)
        if self.pres is None:
            return out
        col = {d: j for j, d in enumerate(documents)}
        for i, coder in enumerate(coders):
            for doc, version in self.pres.versions.get(coder, {}).items():
                if doc in col and version is not None:
                    out[i, col[doc]] = version
        return out

    def knows(self, coder, doc, code) -> bool:
        """Whether the code was in the codebook when the coder finished the document."""
        if self.pres is None:
            return True
        done = self.pres.versions.get(coder, {}).get(doc)
        added = self.code_versions.get(code)
        return done is None or added is None or added <= done


def resolve_round(proj, round):
    """``(round name, Presence)`` for the round asked for, else for the latest round with
    assignments; ``(None, None)`` when the project has no assignments (the document rule)."""
    from .rounds import get_round, latest_round

    if round is None:
        latest = latest_round(proj)
        if latest is None:
            return None, None
        round = latest["name"]
    else:
        get_round(proj, round)
    return round, presence(proj, round)


@dataclass
class RoundUnit:
    """One segment two or more coders are present on in a round, and what each applied there."""

    document_id: str
    start: int
    end: int
    present: list
    applied: dict          # coder -> set of code names (human and accepted codings overlapping the segment)
    _present: Present = field(repr=False, default=None)

    def knows(self, coder: str, code: str) -> bool:
        """Whether ``code`` was in the codebook when ``coder`` finished this document."""
        return self._present.knows(coder, self.document_id, code)


def round_units(proj, resolved) -> dict:
    """``{segment_id: RoundUnit}`` for the units of a round (``resolved`` from :func:`resolve_round`):
    segments two or more coders are present on. A closed round counts the codings made before it
    closed."""
    import pandas as pd

    from .rounds import get_round

    round_name, pres = resolved
    codings = proj._codings_frame(with_text=False)
    codings = codings[codings["origin"].isin(("human", "accepted"))].dropna(subset=["segment_id"])
    if round_name is not None:
        closed_at = get_round(proj, round_name)["closed_at"]
        if closed_at:
            codings = codings[codings["created_at"].astype(str) <= closed_at]
    coded = coded_documents(codings)
    from sqlalchemy import select

    from ..store import schema

    versions = dict(proj._read_rows(select(schema.codes.c.name, schema.codes.c.added_version)))
    present = Present(pres, coded, versions)
    coders = sorted(pres.units) if pres is not None else sorted(coded)
    segs = proj.segments
    docs = {d for c in coders for d in present.documents(c)}
    segs = segs[segs["document_id"].isin(docs)]
    # every document at once, its segments together in order of first appearance (as a groupby gives them)
    order = np.argsort(pd.factorize(segs["document_id"])[0], kind="stable")
    segs = segs.iloc[order]
    here = present.segments_matrix(coders, segs["document_id"], segs["segment_id"])
    two = here.sum(axis=0) >= 2
    here, segs = here[:, two].T.tolist(), segs[two]
    applied_by_seg: dict = {}
    for seg, coder, code in zip(*(codings[c].tolist() for c in ("segment_id", "coder", "code"))):
        applied_by_seg.setdefault(seg, {}).setdefault(coder, set()).add(code)
    out = {}
    columns = (segs[c].tolist() for c in ("segment_id", "document_id", "start", "end"))
    for (seg, doc, start, end), on_here in zip(zip(*columns), here):
        on = list(compress(coders, on_here))
        applied = {c: codes for c, codes in applied_by_seg.get(seg, {}).items() if c in on}
        out[seg] = RoundUnit(doc, int(start), int(end), on, applied, present)
    return out


def coded_documents(codings) -> dict:
    """``{coder: set of documents}`` the codings are in (coders sorted)."""
    pairs = codings[["coder", "document_id"]].drop_duplicates()
    out: dict = {c: set() for c in sorted(pairs["coder"].unique())}
    for coder, doc in zip(pairs["coder"].tolist(), pairs["document_id"].tolist()):
        out[coder].add(doc)
    return out
