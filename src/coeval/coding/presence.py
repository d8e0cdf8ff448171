"""Who counts where: the units each coder finished in a round, and the codes they had then.

With assignments, a coder is present on the documents (or segments) assigned to them that
they marked done; without, on every segment of the documents they coded. Everywhere else they
are missing. Agreement, disagreements and reconciliation all ask this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["presence", "Presence", "Present", "resolve_round", "round_units", "RoundUnit"]


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
    from .rounds import get_round

    round_name, pres = resolved
    codings = proj._codings_frame(with_text=False)
    codings = codings[codings["origin"].isin(("human", "accepted"))].dropna(subset=["segment_id"])
    if round_name is not None:
        closed_at = get_round(proj, round_name)["closed_at"]
        if closed_at:
            codings = codings[codings["created_at"].astype(str) <= closed_at]
    coded = codings.groupby("coder")["document_id"].apply(set).to_dict()
    from sqlalchemy import select

    from ..store import schema

    versions = dict(proj._read_rows(select(schema.codes.c.name, schema.codes.c.added_version)))
    present = Present(pres, coded, versions)
    coders = sorted(pres.units) if pres is not None else sorted(coded)
    segs = proj.segments
    docs = {d for c in coders for d in present.documents(c)}
    segs = segs[segs["document_id"].isin(docs)]
    applied_by_seg: dict = {}
    for r in codings.itertuples():
        applied_by_seg.setdefault(r.segment_id, {}).setdefault(r.coder, set()).add(r.code)
    out = {}
    for doc, dsegs in segs.groupby("document_id", sort=False):
        seg_ids = dsegs["segment_id"].tolist()
        here = {c: present.segments(c, doc, seg_ids) for c in coders}
        for i, seg in enumerate(dsegs.itertuples()):
            on = [c for c in coders if here[c][i]]
            if len(on) < 2:
                continue
            applied = {c: codes for c, codes in applied_by_seg.get(seg.segment_id, {}).items() if c in on}
            out[seg.segment_id] = RoundUnit(doc, int(seg.start), int(seg.end), on, applied, present)
    return out
