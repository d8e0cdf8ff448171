"""Who counts where: the units each coder finished in a round, and the codes they had then.

With assignments, a coder is present on the documents (or segments) assigned to them that
they marked done; without, on every segment of the documents they coded. Everywhere else they
are missing. Agreement, disagreements and reconciliation all ask this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["presence", "Presence", "Present", "resolve_round"]


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
