"""Each coded segment a barrier, an enabler, mixed or neither: from its codes, else from the classifier."""

from __future__ import annotations

from ..coding.basis import basis_codings

__all__ = ["segment_polarity"]


def segment_polarity(proj, *, classifier=None, basis=None):
    """Is each coded segment about a barrier, an enabler, both (mixed), or neither?

    From the polarity of its codes where the codebook gives one (barrier codes only: barrier;
    enabler codes only: enabler; both: mixed). Otherwise from ``classifier`` (default: a
    :class:`~coeval.PolarityClassifier` whose cues include the codebook's cues of barrier and
    enabler codes, fitted on the project's own polarised segments when there are at least 20
    of two kinds, else its rules).

    Returns
    -------
    pandas.DataFrame
        ``segment_id``, ``document_id``, ``site``, ``speaker``, ``role``, ``codes`` (list),
        ``polarity``, ``source`` (``codes`` or ``classifier``), ``basis`` (whose codings: see
        :mod:`coeval.coding.basis`; ``basis=None`` takes consensus once reconciled, else any).
    """
    import pandas as pd

    from ..learn.polarity import PolarityClassifier

    cb = proj.codebook
    codings = basis_codings(proj, basis)
    basis = codings.attrs["basis"]
    codings = codings.dropna(subset=["segment_id"])
    cols = ["segment_id", "document_id", "site", "speaker", "role", "codes", "polarity", "source", "basis"]
    if codings.empty:
        return pd.DataFrame(columns=cols)
    segs = proj.segments.set_index("segment_id")
    rows = []
    for seg_id, g in codings.groupby("segment_id", sort=False):
        codes = sorted(set(g["code"]))
        pols = {cb.get(c, retired=True).polarity if cb._find(c, retired=True) else "none" for c in codes}
        pols -= {"none", "mixed"}  # a "mixed" code can go either way: it does not decide
        if pols == {"barrier"}:
            polarity = "barrier"
        elif pols == {"enabler"}:
            polarity = "enabler"
        elif pols:
            polarity = "mixed"
        else:
            polarity = None
        seg = segs.loc[seg_id]
        rows.append({"segment_id": seg_id, "document_id": seg["document_id"], "site": seg["site"],
                     "speaker": seg["speaker"], "role": seg["role"], "codes": codes, "polarity": polarity,
                     "source": "codes" if polarity else "classifier", "text": seg["text"]})
    frame = pd.DataFrame(rows)
    todo = frame["polarity"].isna()
    if todo.any():
        clf = classifier
        if clf is None:
            # the project's own words for its barriers and enablers join the general lexicon
            from ..learn.polarity import BARRIER_CUES, ENABLER_CUES

            clf = PolarityClassifier(
                barrier_cues=list(BARRIER_CUES) + [q for c in cb if c.polarity == "barrier" for q in c.cues],
                enabler_cues=list(ENABLER_CUES) + [q for c in cb if c.polarity == "enabler" for q in c.cues])
            known = frame[~todo & frame["polarity"].isin(["barrier", "enabler"])]
            if len(known) >= 20 and known["polarity"].nunique() == 2:
                clf.fit(known["text"].tolist(), known["polarity"].tolist())
        frame.loc[todo, "polarity"] = clf.predict(frame.loc[todo, "text"].tolist())
    order = {s: i for i, s in enumerate(segs.index)}
    frame = frame.sort_values("segment_id", key=lambda s: s.map(order)).reset_index(drop=True)
    frame["basis"] = basis
    return frame[cols]
