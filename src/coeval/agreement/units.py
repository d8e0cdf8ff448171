"""The data agreement is measured on: for every code, which coders were present on each unit
and which applied the code, as weighted patterns.

Segment unit: a segment two or more coders are present on (see :mod:`coeval.coding.presence`);
a coder's value is 1 if any of their codings with the code overlaps it, 0 if not, missing if
they are not present or did not have the code. Character unit: every character of those
segments' documents, as NVivo computes its kappa. Both are reduced to patterns with counts,
so a million characters cost no more than their distinct patterns.
"""

from __future__ import annotations

import numpy as np

from ..coding.presence import Present, coded_documents, resolve_round
from ..errors import CoevalError

__all__ = ["collect_units", "Units", "USED_ORIGINS"]

USED_ORIGINS = ("human", "accepted")


class Units:
    """Binary reliability data for every code, as weighted patterns."""

    def __init__(self, coders, codes):
        self.coders = list(coders)
        self.codes = list(codes)
        # code -> list of (matrix coders x patterns in {-1,0,1}, weights)
        self.data: dict[str, list] = {c: [] for c in codes}

    def add(self, code, values, weights):
        self.data[code].append((values, weights))

    def get(self, code, coder_idx=None):
        parts = self.data.get(code) or []
        if not parts:
            return np.zeros((len(self.coders), 0), dtype=np.int8), np.zeros(0)
        values = np.concatenate([p[0] for p in parts], axis=1)
        weights = np.concatenate([p[1] for p in parts])
        if coder_idx is not None:
            values = values[coder_idx]
        return values, weights

    def pooled(self, coder_idx=None):
        parts = [self.get(c, coder_idx) for c in self.codes]
        parts = [p for p in parts if p[1].size]
        if not parts:
            return np.zeros((len(coder_idx) if coder_idx is not None else len(self.coders), 0), dtype=np.int8), \
                np.zeros(0)
        return np.concatenate([p[0] for p in parts], axis=1), np.concatenate([p[1] for p in parts])


def collect_units(proj, coders, unit, documents=None, round=None) -> tuple[Units, dict]:
    import pandas as pd
    from sqlalchemy import select

    from ..store import schema

    round_name, pres = resolve_round(proj, round) if not isinstance(round, tuple) else round
    codings = proj._codings_frame(with_text=False)
    codings = codings[codings["origin"].isin(USED_ORIGINS)]
    if pres is not None:
        from ..coding.rounds import get_round

        closed_at = get_round(proj, round_name)["closed_at"]
        if closed_at:  # a closed round is what the coders had done when it closed
            codings = codings[codings["created_at"].astype(str) <= closed_at]
    if coders is not None:
        wanted = [coders] if isinstance(coders, str) else list(coders)
        unknown = sorted(set(wanted) - set(proj.coders["coder"]))
        if unknown:
            raise CoevalError(f"no coder {unknown[0]!r} in the project.",
                              hint=f"Coders: {', '.join(proj.coders['coder'])}.")
        codings = codings[codings["coder"].isin(wanted)]
    elif pres is not None:
        wanted = sorted(pres.units)
    else:
        wanted = sorted(codings["coder"].unique())
    if documents is not None:
        codings = codings[codings["document_id"].isin(documents)]
    coded = coded_documents(codings)
    versions = {name: version for name, version in proj._read_rows(
        select(schema.codes.c.name, schema.codes.c.added_version))}
    present = Present(pres, coded, versions)
    if pres is not None:
        coders = [c for c in wanted if pres.units.get(c)]
        codings = codings[codings["coder"].isin(coders)]
    else:
        coders = [c for c in wanted if c in coded]
    docs_by_n = pd.Series([d for c in coders for d in present.documents(c)
                           if documents is None or d in documents]).value_counts()
    shared_docs = sorted(docs_by_n[docs_by_n >= 2].index) if len(docs_by_n) else []
    codes = list(proj.codebook.to_frame()["name"])
    in_use = set(codings["code"])
    used_codes = [c for c in codes if c in in_use] + sorted(in_use - set(codes))
    units = Units(coders, used_codes)
    info = {"documents": shared_docs, "coders": coders, "codings": codings, "present": present,
            "round": round_name, "rule": pres.rule if pres is not None else "documents each coder coded"}
    if len(coders) < 2 or not shared_docs:
        return units, info
    segs = proj.segments
    segs = segs[segs["document_id"].isin(shared_docs)]
    cidx = {c: i for i, c in enumerate(coders)}
    shared_codings = codings[codings["document_id"].isin(shared_docs)]
    if unit == "segment":
        segs = _collect_segments(units, segs, shared_codings, present, cidx)
    elif unit == "character":
        _collect_characters(units, segs, proj.texts(shared_docs), shared_codings, present, cidx)
    else:
        raise ValueError("unit must be 'segment' or 'character'")
    info["segments"] = segs
    info["documents"] = sorted(segs["document_id"].unique())
    return units, info


def _collect_segments(units, segs, codings, present, cidx):
    """Add each code's values on the segments two or more coders are present on; returns those segments.

    All documents at once (a loop over documents and codes costs more in pandas than the
    arithmetic): the segments are put in document order (first appearance, as a groupby
    gives them), and each code adds one part whose columns are those segments.
    """
    import pandas as pd

    coders = list(cidx)
    doc_codes, doc_names = pd.factorize(segs["document_id"])
    order = np.argsort(doc_codes, kind="stable")
    segs, seg_doc = segs.iloc[order], doc_codes[order]
    here = present.segments_matrix(coders, segs["document_id"], segs["segment_id"])
    two = here.sum(axis=0) >= 2
    if not two.any():
        return segs.iloc[0:0]
    here, segs, seg_doc = here[:, two], segs[two], seg_doc[two]
    starts, ends = segs["start"].to_numpy(np.int64), segs["end"].to_numpy(np.int64)
    n, size = len(coders), len(starts)
    # segments in order and apart (as ingest makes them): a coding's segments are one run, found by
    # binary search; in a document where they are not, each coding is compared with every segment
    same_doc = seg_doc[1:] == seg_doc[:-1]
    unordered = np.unique(seg_doc[1:][same_doc & (starts[1:] < ends[:-1])])
    doc_of = doc_names.get_indexer(codings["document_id"])
    coder_of = pd.Index(coders).get_indexer(codings["coder"])
    code_of = pd.Index(units.codes).get_indexer(codings["code"])
    rows = np.flatnonzero((doc_of >= 0) & (coder_of >= 0) & (code_of >= 0))
    doc_of, coder_of, code_of = doc_of[rows], coder_of[rows], code_of[rows]
    c_start = codings["start"].to_numpy(np.int64)[rows]
    c_end = codings["end"].to_numpy(np.int64)[rows]
    # one binary search over all documents: positions are keyed (document, offset), the document
    # in the high part; an unordered document's keys are all its floor (its codings go the slow way)
    span = int(max(ends.max(), c_end.max(initial=0), c_start.max(initial=0))) + 1
    floor = seg_doc * span
    flat = np.isin(seg_doc, unordered)
    first = np.searchsorted(np.where(flat, floor, floor + ends), doc_of * span + c_start, side="right")
    last = np.searchsorted(np.where(flat, floor, floor + starts), doc_of * span + c_end, side="left")
    slow = np.isin(doc_of, unordered)
    by_code = np.argsort(code_of, kind="stable")
    bounds = np.searchsorted(code_of[by_code], np.arange(len(units.codes) + 1))
    done = present.done_versions(coders, doc_names)
    for k, code in enumerate(units.codes):
        mine = by_code[bounds[k]:bounds[k + 1]]
        fast = mine[~slow[mine]]
        applied = _runs(coder_of[fast], first[fast], last[fast], n, size)
        for i in mine[slow[mine]]:
            lo, hi = np.searchsorted(seg_doc, [doc_of[i], doc_of[i] + 1])
            applied[coder_of[i], lo:hi] |= (starts[lo:hi] < c_end[i]) & (c_start[i] < ends[lo:hi])
        added = present.code_versions.get(code)
        seen = here if added is None else here & (np.isnan(done) | (done >= added))[:, seg_doc]
        values = np.where(seen, 0, -1).astype(np.int8)
        values[applied & seen] = 1
        units.add(code, values, np.ones(size))
    return segs


def _runs(coder, first, last, n_coders: int, size: int) -> np.ndarray:
    """Coders x ``size`` segments, true on each run ``first:last`` of the coder's: +1/-1 marks and
    a cumulative sum per coder (no loop over codings)."""
    keep = first < last
    width = size + 1
    on, off = coder[keep] * width + first[keep], coder[keep] * width + last[keep]
    marks = np.bincount(on, minlength=n_coders * width) - np.bincount(off, minlength=n_coders * width)
    return np.cumsum(marks.reshape(n_coders, width)[:, :-1], axis=1) > 0


def _char_marks(spans, length):
    """A boolean array over ``length`` characters, true inside any of the ``(start, end)`` spans."""
    starts = np.fromiter((s for s, _ in spans), dtype=np.int64)
    ends = np.fromiter((e for _, e in spans), dtype=np.int64)
    marks = np.bincount(starts, minlength=length + 1) - np.bincount(ends, minlength=length + 1)
    return np.cumsum(marks[:-1]) > 0


def _collect_characters(units, segs, texts, codings, present, cidx):
    """Per document and code, the histogram of which coders are present on, and cover, each character.

    Works on plain arrays (pandas grouping costs more than the arithmetic here): coverage
    comes from +1/-1 marks at span ends, a cumulative sum, and a bit per coder; a character's
    pattern is (present bits, applied bits).
    """
    n = len(cidx)
    code_index = {c: i for i, c in enumerate(units.codes)}
    doc_of = codings["document_id"].to_numpy()
    code_of = np.array([code_index[c] for c in codings["code"]], dtype=np.int64)
    coder_of = np.array([cidx[c] for c in codings["coder"]], dtype=np.int64)
    starts, ends = codings["start"].to_numpy(np.int64), codings["end"].to_numpy(np.int64)
    shifts = np.arange(n)
    for doc, dsegs in segs.groupby("document_id", sort=False):
        length = len(texts[doc])
        seg_ids = dsegs["segment_id"].tolist()
        spans = list(zip(dsegs["start"], dsegs["end"]))
        pmask = np.zeros(length, dtype=np.int64)
        for coder, i in cidx.items():
            on = present.segments(coder, doc, seg_ids)
            if on.all() and present.pres is None or (present.pres is not None and
                                                     present.pres.units.get(coder, {}).get(doc, 0) is None):
                pmask |= np.int64(1) << i  # the whole document, gaps between segments included
            elif on.any():
                pmask |= _char_marks([sp for sp, ok in zip(spans, on) if ok], length).astype(np.int64) << i
        in_doc = np.flatnonzero(doc_of == doc)
        by_code: dict[int, np.ndarray] = {}
        if in_doc.size:
            order = in_doc[np.argsort(code_of[in_doc], kind="stable")]
            keys, first = np.unique(code_of[order], return_index=True)
            for key, rows in zip(keys, np.split(order, first[1:])):
                by_code[int(key)] = rows
        for ci, code in enumerate(units.codes):
            known = sum(1 << cidx[c] for c in cidx if present.knows(c, doc, code))
            seen = pmask & known
            amask = np.zeros(length, dtype=np.int64)
            rows = by_code.get(ci)
            if rows is not None:
                for coder in np.unique(coder_of[rows]):
                    mine = rows[coder_of[rows] == coder]
                    amask |= _char_marks(list(zip(starts[mine], ends[mine])), length).astype(np.int64) << int(coder)
            key = (seen << n) | (amask & seen)
            if 2 * n <= 20:
                counts = np.bincount(key, minlength=1 << (2 * n))
                patterns = np.flatnonzero(counts)
                weights = counts[patterns]
            else:
                patterns, weights = np.unique(key, return_counts=True)
            seen_bits = ((patterns[None, :] >> (shifts[:, None] + n)) & 1).astype(bool)
            applied = ((patterns[None, :] >> shifts[:, None]) & 1).astype(np.int8)
            two = seen_bits.sum(axis=0) >= 2
            if two.any():
                units.add(code, np.where(seen_bits, applied, -1).astype(np.int8)[:, two],
                          weights[two].astype(float))
