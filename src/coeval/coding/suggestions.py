"""Suggested codings in a project: learn from the team's codings, suggest for the rest."""

from __future__ import annotations

__all__ = ["suggest_codings"]


def suggest_codings(proj, *, coder: str = "model", suggester=None, threshold: float | None = None,
                    documents=None):
    """Suggest codes for segments nobody has coded, stored with origin ``suggested``.

    Parameters
    ----------
    proj : Project
    coder : str
        The name suggestions are stored under (registered with role ``model``).
    suggester : CodeSuggester, optional
        A configured (unfitted) estimator; default ``CodeSuggester(cues=proj.codebook)``.
    threshold : float, optional
        Passed to the default suggester.
    documents : list of str, optional
        Suggest only in these documents.

    Returns
    -------
    pandas.DataFrame
        One row per suggestion: ``coding_id``, ``segment_id``, ``document_id``, ``code``,
        ``probability``, ``text``. Review them with ``proj.accept(ids)`` / ``proj.reject(ids)``.

    Notes
    -----
    Training units are segments: a segment's codes are all codes any human coder applied to
    it (origin ``human`` or ``accepted``); rejected suggestions count as negatives for their
    code. Earlier pending suggestions by ``coder`` are replaced.
    """
    import pandas as pd
    from sqlalchemy import select

    from ..errors import CodingError
    from ..learn.suggester import CodeSuggester
    from ..store import schema

    segs = proj.segments
    codings = proj._codings_frame(with_text=False)
    human = codings[codings["origin"].isin(["human", "accepted"]) & (codings["coder"] != coder)]
    labels: dict[str, set] = {}
    for r in human.itertuples():
        if r.segment_id is not None:
            labels.setdefault(r.segment_id, set()).add(r.code)
    cb = proj.codebook
    model = suggester if suggester is not None else CodeSuggester(cues=cb, threshold=threshold)
    trained = segs[segs["segment_id"].isin(labels)]
    if trained.empty and not any(c.cues for c in cb):
        raise CodingError("there is nothing to learn from: no human codings and no cue phrases in the codebook.",
                          hint="Code some segments first (or add cues to codes), then ask for suggestions.")
    # texts nobody coded but in documents that were coded count as "no code" examples
    coded_docs = set(trained["document_id"])
    negatives = segs[segs["document_id"].isin(coded_docs) & ~segs["segment_id"].isin(labels)]
    texts = trained["text"].tolist() + negatives["text"].tolist()
    codes = [sorted(labels[s]) for s in trained["segment_id"]] + [[] for _ in range(len(negatives))]
    model.fit(texts, codes)

    # By default, suggest in documents nobody has coded: in a coded document, the segments left
    # uncoded were left so on purpose (greetings, procedure).
    target = segs[~segs["segment_id"].isin(labels)]
    if documents is None:
        target = target[~target["document_id"].isin(coded_docs)]
    else:
        wanted = [documents] if isinstance(documents, str) else list(documents)
        target = target[target["document_id"].isin(wanted)]
    proba = model.predict_proba(target["text"].tolist()) if len(target) else pd.DataFrame()
    chosen = model.predict(target["text"].tolist()) if len(target) else []
    rows = []
    c = schema.codings
    with proj._write() as conn:
        old = conn.execute(select(c).where(c.c.coder == coder, c.c.origin == "suggested")).mappings().all()
        for r in old:
            conn.execute(c.delete().where(c.c.id == r["id"]))
            proj._audit(conn, "withdraw", by=coder, coding_id=r["id"], row=r)
        proj._coder_role(conn, coder, "model")
        for i, (seg, codes_for) in enumerate(zip(target.itertuples(), chosen)):
            for code in codes_for:
                if code not in cb:
                    continue  # a code retired since it was used
                p = float(proba.iloc[i][code])
                cid = proj._code(conn, seg.segment_id, code, coder=coder, memo=f"p={p:.2f}", origin="suggested")
                rows.append({"coding_id": cid, "segment_id": seg.segment_id, "document_id": seg.document_id,
                             "code": code, "probability": round(p, 3), "text": seg.text})
    return pd.DataFrame(rows, columns=["coding_id", "segment_id", "document_id", "code", "probability", "text"])
