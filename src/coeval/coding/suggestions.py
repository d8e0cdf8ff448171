"""Suggested codings in a project: learn from the team's codings, suggest for the rest."""

from __future__ import annotations

import warnings

from ..errors import CoevalWarning

__all__ = ["suggest_codings"]

# codings that carry a person's judgement: their own, a suggestion they accepted, a team's consensus
_HUMAN_ORIGINS = ("human", "accepted", "consensus")
_COLUMNS = ["coding_id", "segment_id", "document_id", "code", "probability", "text"]


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
        Empty, with ``attrs["message"]`` saying why, when there is nothing to suggest.

    Notes
    -----
    Training units are segments: a segment's codes are all codes any person applied to it
    (origin ``human``, ``accepted`` or ``consensus``); segments left uncoded in coded documents
    are examples of "no code" (except those being suggested for). Earlier pending suggestions by
    ``coder`` are replaced. When nothing is suggested, a :class:`~coeval.errors.CoevalWarning`
    says why (also in the result's ``attrs["message"]``); a code with too few examples to learn
    is named, with its count, by the suggester's :class:`~coeval.learn.suggester.TooFewExamplesWarning`.
    Suggestions are only suggestions: nothing counts in an analysis until a person accepts it.
    """
    import pandas as pd
    from sqlalchemy import select

    from ..errors import CodingError
    from ..learn.suggester import CodeSuggester
    from ..store import schema

    segs = proj.segments
    codings = proj._codings_frame(with_text=False)
    human = codings[codings["origin"].isin(_HUMAN_ORIGINS) & (codings["coder"] != coder)]
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
    coded_docs = set(trained["document_id"])
    # By default, suggest in documents nobody has coded: in a coded document, the segments left
    # uncoded were left so on purpose (greetings, procedure).
    target = segs[~segs["segment_id"].isin(labels)]
    if documents is None:
        target = target[~target["document_id"].isin(coded_docs)]
    else:
        wanted = [documents] if isinstance(documents, str) else list(documents)
        target = target[target["document_id"].isin(wanted)]
    if target.empty:  # say so before spending seconds on learning
        return _nothing(_why_nothing(segs, coded_docs, target, documents, model))
    # texts nobody coded in coded documents count as "no code" examples, except those to suggest for
    negatives = segs[segs["document_id"].isin(coded_docs) & ~segs["segment_id"].isin(labels)
                     & ~segs["segment_id"].isin(target["segment_id"])]
    texts = trained["text"].tolist() + negatives["text"].tolist()
    codes = [sorted(labels[s]) for s in trained["segment_id"]] + [[] for _ in range(len(negatives))]
    model.fit(texts, codes)

    target_texts = target["text"].tolist()
    proba = model.predict_proba(target_texts)
    chosen = model.suggestions_from(proba)
    column = {c: j for j, c in enumerate(model.classes_)}
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
                p = float(proba[i, column[code]])
                cid = proj._code(conn, seg.segment_id, code, coder=coder, memo=f"p={p:.2f}", origin="suggested")
                rows.append({"coding_id": cid, "segment_id": seg.segment_id, "document_id": seg.document_id,
                             "code": code, "probability": round(p, 3), "text": seg.text})
    if not rows:
        return _nothing(_why_nothing(segs, coded_docs, target, documents, model))
    return pd.DataFrame(rows, columns=_COLUMNS)


def _nothing(message: str):
    """An empty result that says why, in a warning and in ``attrs["message"]``."""
    import pandas as pd

    warnings.warn(message, CoevalWarning, stacklevel=4)
    out = pd.DataFrame(columns=_COLUMNS)
    out.attrs["message"] = message
    return out


def _why_nothing(segs, coded_docs, target, documents, model) -> str:
    """Plain words on why no suggestion came out."""
    if target.empty and documents is None:
        return (f"no suggestions: every one of the {segs['document_id'].nunique()} documents has human codings, "
                "and suggestions go by default only to documents nobody has coded. To suggest codes for the "
                "segments left uncoded in coded documents, name them: proj.suggest(documents=[...]).")
    if target.empty:
        return "no suggestions: the documents named have no segment left uncoded (or do not exist)."
    learned = int(model.learned_.sum()) if hasattr(model, "learned_") else len(getattr(model, "classes_", []))
    cut = getattr(model, "threshold_", None)
    at = f" of {cut:.2f}" if cut is not None else ""
    return (f"no suggestions: none of the {len(target)} uncoded segments reached the probability cut-off{at} "
            f"for any of the {learned} codes learned from the codings ({len(coded_docs)} coded documents). "
            "Code more segments, or see the suggester's report() for codes with too few examples.")
