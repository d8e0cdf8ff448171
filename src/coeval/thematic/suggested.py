"""Suggested themes: communities of the co-occurrence network, clusters of the coded passages' words, or both.

The library proposes; the evaluators decide. Every suggested theme says which codes it holds,
which words mark it, and which segments show it best.
"""

from __future__ import annotations

from .cooccurrence import coded_units, cooccurrence

__all__ = ["themes", "THEME_COLUMNS"]

THEME_COLUMNS = ["theme_id", "label", "codes", "n_codes", "segments", "n_segments", "documents", "sites",
                 "polarity", "top_terms", "representative_segments", "basis"]


def themes(proj, *, method: str = "network", seed: int = 0, n_themes: int | None = None, resolution: float = 1.0,
           basis=None):
    """Suggested themes from the codings.

    Parameters
    ----------
    method : {"network", "text", "combined"}
        ``network``: Louvain communities (seeded) of the code co-occurrence network (Jaccard
        weights). ``text``: the coded segments clustered by their words
        (:func:`coeval.cluster_texts`); a theme's codes are those mostly used in its segments.
        ``combined``: segments clustered on their words and their codes together.
    n_themes : int, optional
        For ``text`` and ``combined``; chosen automatically when not given.
    resolution : float
        For ``network``: higher gives more, smaller themes.
    basis : {None, "consensus", "agreed", "any", "coder:NAME"}
        Whose codings count (see :mod:`coeval.coding.basis`): by default the consensus once a
        round is reconciled, else any coder's.

    Returns
    -------
    pandas.DataFrame
        One row per theme, the largest first: ``theme_id`` (``T1``...), ``label`` (top terms),
        ``codes`` (list), ``n_codes``, ``segments`` (ids), ``n_segments``, ``documents``,
        ``sites``, ``polarity`` (barrier, enabler or mixed, from its codes' polarity weighted
        by use), ``top_terms`` (list), ``representative_segments`` (ids of the most typical
        segments), ``basis``.
    """
    import pandas as pd

    if method not in ("network", "text", "combined"):
        raise ValueError("method must be 'network', 'text' or 'combined'")
    data = coded_units(proj, "segment", basis=basis)
    basis = data.attrs["basis"]
    if data.empty:
        return pd.DataFrame(columns=THEME_COLUMNS)
    segs = proj.segments.set_index("segment_id")
    # each unit's sorted distinct codes, by one sort of the pairs (not a Python function per group)
    pairs = data[["unit", "code"]].drop_duplicates().sort_values(["unit", "code"], kind="stable")
    seg_codes: dict = {}
    for unit, code in zip(pairs["unit"].tolist(), pairs["code"].tolist()):
        seg_codes.setdefault(unit, []).append(code)
    if method == "network":
        import networkx as nx

        G = cooccurrence(proj, measure="jaccard", basis=basis)
        groups = [sorted(members) for members in
                  nx.community.louvain_communities(G, weight="weight", seed=seed, resolution=resolution)]
        # a cluster's segments: those with any of its codes, by a join of (unit, code) with (cluster, code)
        links = pd.DataFrame([(i, code) for i, members in enumerate(groups) for code in members],
                             columns=["cluster", "code"]).astype({"cluster": "int64", "code": object})
        hits = pairs.merge(links, on="code")[["cluster", "unit"]].drop_duplicates()
        hits = hits.sort_values("unit", kind="stable")
        segments_of: dict = {i: [] for i in range(len(groups))}
        for i, unit in zip(hits["cluster"].tolist(), hits["unit"].tolist()):
            segments_of[i].append(unit)
        clusters = [(members, segments_of[i]) for i, members in enumerate(groups)]
    else:
        from ..learn.clustering import cluster_texts

        ids = list(seg_codes)
        texts = segs.loc[ids, "text"].tolist()
        if method == "combined":
            token = _code_tokens(sorted({c for cs in seg_codes.values() for c in cs}))
            texts = [f"{t} " + " ".join(token[c] for c in seg_codes[s]) * 2 for t, s in zip(texts, ids)]
        out = cluster_texts(texts, n_themes=n_themes, seed=seed)
        clusters = []
        for _theme, g in out.groupby("theme"):
            segments = [ids[i] for i in g["text_index"]]
            counts = pd.Series([c for s in segments for c in seg_codes[s]]).value_counts()
            members = sorted(counts[counts >= max(2, 0.25 * len(segments))].index) or list(counts.index[:1])
            clusters.append((members, segments))
    return _describe(proj, clusters, segs, seg_codes, seed, basis)


def _code_tokens(names) -> dict:
    """A word per code that the text vectoriser keeps (letters only, no stop word), stable
    across runs (Python's ``hash`` of a string is not)."""
    def letters(i: int) -> str:
        out = ""
        while True:
            out = chr(ord("a") + i % 26) + out
            i = i // 26 - 1
            if i < 0:
                return out

    return {name: "zqcode" + letters(i) for i, name in enumerate(names)}


def _describe(proj, clusters, segs, seg_codes, seed, basis):
    import pandas as pd

    from ..learn.clustering import _clean, class_tfidf_terms
    from ..learn.nlp import lemmatise

    cb = proj.codebook
    # each code's polarity looked up once (a codebook search by name scans it), not once per coding
    polarity_of = {}
    for codes in seg_codes.values():
        for c in codes:
            if c not in polarity_of:
                code = cb._find(c, retired=True)
                polarity_of[c] = code.polarity if code is not None else None
    texts_of = [segs.loc[seg_list, "text"].tolist() for _, seg_list in clusters]   # one .loc per cluster
    texts = {i: lemmatise([_clean(t) for t in ts]) for i, ts in enumerate(texts_of)}
    terms = class_tfidf_terms(texts, top=6)
    rows = []
    for i, (codes, seg_list) in enumerate(clusters):
        if not seg_list:
            continue
        # typical segments: those carrying the most of the theme's codes, then the longest
        length = dict(zip(seg_list, map(len, texts_of[i])))
        score = sorted(seg_list, key=lambda s: (-len(set(seg_codes[s]) & set(codes)), -length[s], s))
        polarity = _theme_polarity(polarity_of, codes, seg_list, seg_codes)
        sub = segs.loc[seg_list]
        rows.append({"label": " / ".join(terms.get(i, [])[:4]), "codes": codes, "n_codes": len(codes),
                     "segments": seg_list, "n_segments": len(seg_list),
                     "documents": int(sub["document_id"].nunique()),
                     "sites": sorted(set(sub["site"].dropna())), "polarity": polarity,
                     "top_terms": terms.get(i, []), "representative_segments": score[:3], "basis": basis})
    rows.sort(key=lambda r: (-r["n_segments"], r["codes"]))
    for k, row in enumerate(rows, start=1):
        row["theme_id"] = f"T{k}"
    return pd.DataFrame(rows, columns=THEME_COLUMNS)


def _theme_polarity(polarity_of, codes, seg_list, seg_codes) -> str:
    """Barrier, enabler, mixed or none: the theme's codes' polarity (``polarity_of``: code -> polarity),
    weighted by use on ``seg_list``."""
    weights = {"barrier": 0, "enabler": 0}
    codes = set(codes)
    for s in seg_list:
        for c in seg_codes[s]:
            if c in codes and polarity_of[c] in weights:
                weights[polarity_of[c]] += 1
    b, e = weights["barrier"], weights["enabler"]
    if b == e == 0:
        return "none"
    if b >= 2 * e:
        return "barrier"
    if e >= 2 * b:
        return "enabler"
    return "mixed"
