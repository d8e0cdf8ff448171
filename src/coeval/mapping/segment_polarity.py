"""Each coded segment a barrier, an enabler, mixed or neither: from its codes, else from the classifier."""

from __future__ import annotations

from ..coding.basis import basis_codings

__all__ = ["segment_polarity"]


FIT_AT_MOST = 10_000


def segment_polarity(proj, *, classifier=None, basis=None):
    """Is each coded segment about a barrier, an enabler, both (mixed), or neither?

    From the polarity of its codes where the codebook gives one (barrier codes only: barrier;
    enabler codes only: enabler; both: mixed). Otherwise from ``classifier`` (default: a
    :class:`~coeval.PolarityClassifier` whose cues include the codebook's cues of barrier and
    enabler codes, fitted on the project's own polarised segments when there are at least 20
    of two kinds, else its rules; on at most 10,000 of them, a seeded sample of up to 5,000 of
    each kind, since a linear model learns no more from a national programme's hundreds of
    thousands).

    Returns
    -------
    pandas.DataFrame
        ``segment_id``, ``document_id``, ``site``, ``speaker``, ``role``, ``codes`` (list),
        ``polarity``, ``source`` (``codes`` or ``classifier``), ``basis`` (whose codings: see
        :mod:`coeval.coding.basis`; ``basis=None`` takes consensus once reconciled, else any).
    """
    import pandas as pd

    from ..learn.polarity import BARRIER_CUES, ENABLER_CUES, PolarityClassifier

    cb = proj.codebook
    codings = basis_codings(proj, basis)
    basis = codings.attrs["basis"]
    codings = codings.dropna(subset=["segment_id"])
    cols = ["segment_id", "document_id", "site", "speaker", "role", "codes", "polarity", "source", "basis"]
    if codings.empty:
        return pd.DataFrame(columns=cols)
    import numpy as np

    segs = proj.segments.set_index("segment_id")
    # one pass over the codings (a dict for each code's polarity, group-wise any), not a codebook
    # search per coding and a row lookup per segment
    book = cb.to_frame(retired=True)
    polarity_of = dict(zip(book["name"], book["polarity"])) if len(book) else {}
    pairs = codings[["segment_id", "code"]].drop_duplicates()
    kinds = pairs["code"].map(polarity_of).fillna("none")
    by_segment = pairs["segment_id"]
    barrier = kinds.eq("barrier").groupby(by_segment, sort=False).any()
    enabler = kinds.eq("enabler").groupby(by_segment, sort=False).any()
    codes = pairs.sort_values("code", kind="stable").groupby("segment_id", sort=False)["code"].agg(list)
    ids = barrier.index
    b, e = barrier.to_numpy(), enabler.to_numpy()
    polarity = np.select([b & e, b, e], ["mixed", "barrier", "enabler"], default=None)   # None: the codes do not say
    where = segs.reindex(ids)
    frame = pd.DataFrame({"segment_id": ids, "document_id": where["document_id"].to_numpy(),
                          "site": where["site"].to_numpy(), "speaker": where["speaker"].to_numpy(),
                          "role": where["role"].to_numpy(), "codes": codes.reindex(ids).to_numpy(),
                          "polarity": polarity,
                          "text": where["text"].to_numpy()})
    frame["source"] = np.where(frame["polarity"].notna(), "codes", "classifier")
    todo = frame["polarity"].isna()
    if todo.any():
        clf = classifier
        if clf is None:
            # the project's own words for its barriers and enablers join the general lexicon
            clf = PolarityClassifier(
                barrier_cues=list(BARRIER_CUES) + [q for c in cb if c.polarity == "barrier" for q in c.cues],
                enabler_cues=list(ENABLER_CUES) + [q for c in cb if c.polarity == "enabler" for q in c.cues])
            known = frame[~todo & frame["polarity"].isin(["barrier", "enabler"])]
            if len(known) > FIT_AT_MOST:   # a national programme's: a seeded sample, as many of each kind as can be
                per_kind = FIT_AT_MOST // 2
                picked = [g.sample(n=min(len(g), per_kind), random_state=0).index
                          for _, g in known.groupby("polarity", sort=True)]
                known = known.loc[sorted(np.concatenate(picked))]
            if len(known) >= 20 and known["polarity"].nunique() == 2:
                clf.fit(known["text"].tolist(), known["polarity"].tolist())
        frame.loc[todo, "polarity"] = clf.predict(frame.loc[todo, "text"].tolist())
    order = {s: i for i, s in enumerate(segs.index)}
    frame = frame.sort_values("segment_id", key=lambda s: s.map(order)).reset_index(drop=True)
    frame["basis"] = basis
    return frame[cols]
