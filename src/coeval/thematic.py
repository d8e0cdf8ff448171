"""Themes: the code co-occurrence network, suggested themes, and their figure.

The library proposes; the evaluators decide. Every suggested theme says which codes it holds,
which words mark it, and which segments show it best.
"""

from __future__ import annotations

import numpy as np

__all__ = ["cooccurrence", "cooccurrence_figure", "themes", "THEME_COLUMNS"]

THEME_COLUMNS = ["theme_id", "label", "codes", "n_codes", "segments", "n_segments", "documents", "sites",
                 "polarity", "top_terms", "representative_segments"]
_USED = ("human", "accepted")


def _coded_units(proj, unit: str, *, coder: bool = True):
    """Pairs (unit id, code) for the codings in use, with the document."""
    codings = proj._coding_units(_USED, coder=coder)
    if unit == "segment":
        codings = codings.dropna(subset=["segment_id"])
        units = codings["segment_id"]
    elif unit == "document":
        units = codings["document_id"]
    else:
        raise ValueError("unit must be 'segment' or 'document'")
    return codings.assign(unit=units.to_numpy())


def cooccurrence(proj, *, unit: str = "segment", measure: str = "count", min_weight: float = 0.0):
    """The network of codes that are applied to the same units.

    Parameters
    ----------
    proj : Project
    unit : {"segment", "document"}
        Two codes co-occur when some coder applied both to one segment (or one document).
    measure : {"count", "jaccard", "association"}
        Edge weight: the number of shared units; shared / either (Jaccard); or the association
        strength ``n * shared / (units_a * units_b)`` (1 = as often as chance).
    min_weight : float
        Leave out weaker edges.

    Returns
    -------
    networkx.Graph
        Nodes are code names, with attributes ``segments`` (or units), ``documents``, ``sites``
        (a sorted list), ``n_sites``, ``polarity``, ``dimensions``; edges have ``weight`` and
        ``count``. ``G.graph`` records ``unit`` and ``measure``.
    """
    import networkx as nx
    from scipy import sparse

    if measure not in ("count", "jaccard", "association"):
        raise ValueError("measure must be 'count', 'jaccard' or 'association'")
    data = _coded_units(proj, unit, coder=False)
    G = nx.Graph(unit=unit, measure=measure)
    if data.empty:
        return G
    cb = proj.codebook
    import pandas as pd

    unit_index, unit_codes = pd.factorize(data["unit"])  # hashing, not sorting: 500k strings
    code_index, code_names = pd.factorize(data["code"], sort=True)
    code_names = list(code_names)
    X = sparse.csr_matrix((np.ones(len(data)), (unit_index, code_index)),
                          shape=(len(unit_codes), len(code_names)))
    X.sum_duplicates()
    X.data[:] = 1.0  # several coders, one unit: counted once
    shared = (X.T @ X).tocoo()
    per_code = np.asarray(X.sum(axis=0)).ravel()
    n_units = X.shape[0]

    def per_code_values(labels):
        """For each code, the sorted distinct labels (site, document) of its units."""
        index, values = pd.factorize(pd.Series(labels, dtype=object), use_na_sentinel=True)
        keep = index >= 0
        L = sparse.csr_matrix((np.ones(int(keep.sum())), (np.arange(n_units)[keep], index[keep])),
                              shape=(n_units, len(values)))
        hits = (X.T @ L).tocsr()  # codes x labels: units in common
        return [sorted(values[hits.indices[hits.indptr[j]:hits.indptr[j + 1]]]) for j in range(len(code_names))]

    if unit == "segment":
        site_of = proj._segment_sites()
        first_doc = data.drop_duplicates("unit").set_index("unit")["document_id"]
        unit_docs = first_doc.reindex(unit_codes).to_numpy(object)
    else:
        site_of = proj.documents.set_index("document_id")["site"].to_dict()
        unit_docs = np.asarray(unit_codes, dtype=object)
    unit_sites = [site_of.get(u) for u in unit_codes]  # one lookup per unit, not per coding
    sites_of = per_code_values(unit_sites)
    docs_of = per_code_values(unit_docs)
    for j, name in enumerate(code_names):
        sites = sites_of[j]
        code = cb._find(name, retired=True)
        G.add_node(name, segments=int(per_code[j]), documents=len(docs_of[j]), sites=sites,
                   n_sites=len(sites), polarity=code.polarity if code else "none",
                   dimensions=list(code.dimensions) if code else [])
    for i, j, count in zip(shared.row, shared.col, shared.data):
        if i >= j or count <= 0:
            continue
        if measure == "count":
            weight = float(count)
        elif measure == "jaccard":
            weight = float(count / (per_code[i] + per_code[j] - count))
        else:
            weight = float(n_units * count / (per_code[i] * per_code[j]))
        if weight > min_weight:
            G.add_edge(code_names[i], code_names[j], weight=weight, count=int(count))
    return G


def cooccurrence_figure(G, *, top: int = 60, seed: int = 0, ax=None):
    """Draw a co-occurrence network legibly (up to ``top`` codes, by use): node size by use,
    colour by polarity (colour-blind-safe), edge width by weight. Returns the matplotlib Figure."""
    import matplotlib.pyplot as plt
    import networkx as nx

    colours = {"barrier": "#D55E00", "enabler": "#0072B2", "mixed": "#CC79A7", "none": "#999999"}
    nodes = sorted(G.nodes, key=lambda n: (-G.nodes[n].get("segments", 0), n))[:top]
    H = G.subgraph(nodes).copy()
    if ax is None:
        fig, ax = plt.subplots(figsize=(12, 10))
    else:
        fig = ax.figure
    if H.number_of_nodes() == 0:
        ax.text(0.5, 0.5, "No codes co-occur yet", ha="center", va="center")
        ax.set_axis_off()
        return fig
    pos = nx.spring_layout(H, weight="weight", seed=seed, k=1.6 / max(np.sqrt(H.number_of_nodes()), 1))
    uses = np.array([H.nodes[n].get("segments", 1) for n in H.nodes], dtype=float)
    sizes = 80 + 1400 * uses / uses.max()
    weights = np.array([d.get("weight", 1.0) for _, _, d in H.edges(data=True)], dtype=float)
    widths = 0.5 + 4 * weights / weights.max() if len(weights) else []
    nx.draw_networkx_edges(H, pos, ax=ax, width=widths, alpha=0.35, edge_color="#555555")
    nx.draw_networkx_nodes(H, pos, ax=ax, node_size=sizes,
                           node_color=[colours.get(H.nodes[n].get("polarity"), "#999999") for n in H.nodes],
                           alpha=0.85, linewidths=0.5, edgecolors="white")
    nx.draw_networkx_labels(H, pos, ax=ax, font_size=8,
                            labels={n: n if len(n) <= 28 else n[:26] + "\u2026" for n in H.nodes})
    from matplotlib.lines import Line2D

    ax.legend(handles=[Line2D([], [], marker="o", ls="", color=c, label=p) for p, c in colours.items()],
              loc="lower left", frameon=False, title="polarity")
    ax.set_title(f"Codes used together ({G.graph.get('measure', 'count')} per {G.graph.get('unit', 'segment')})")
    ax.set_axis_off()
    fig.tight_layout()
    return fig


def themes(proj, *, method: str = "network", seed: int = 0, n_themes: int | None = None, resolution: float = 1.0):
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

    Returns
    -------
    pandas.DataFrame
        One row per theme, the largest first: ``theme_id`` (``T1``...), ``label`` (top terms),
        ``codes`` (list), ``n_codes``, ``segments`` (ids), ``n_segments``, ``documents``,
        ``sites``, ``polarity`` (barrier, enabler or mixed, from its codes' polarity weighted
        by use), ``top_terms`` (list), ``representative_segments`` (ids of the most typical
        segments).
    """
    import pandas as pd

    if method not in ("network", "text", "combined"):
        raise ValueError("method must be 'network', 'text' or 'combined'")
    data = _coded_units(proj, "segment")
    if data.empty:
        return pd.DataFrame(columns=THEME_COLUMNS)
    segs = proj.segments.set_index("segment_id")
    seg_codes = data.groupby("unit")["code"].apply(lambda s: sorted(set(s)))
    if method == "network":
        import networkx as nx

        G = cooccurrence(proj, measure="jaccard")
        groups = nx.community.louvain_communities(G, weight="weight", seed=seed, resolution=resolution)
        clusters = []
        for members in groups:
            members = set(members)
            segments = sorted(s for s, codes in seg_codes.items() if members & set(codes))
            clusters.append((sorted(members), segments))
    else:
        from .clustering import cluster_texts

        ids = list(seg_codes.index)
        texts = segs.loc[ids, "text"].tolist()
        if method == "combined":
            token = _code_tokens(sorted({c for cs in seg_codes for c in cs}))
            texts = [f"{t} " + " ".join(token[c] for c in seg_codes[s]) * 2 for t, s in zip(texts, ids)]
        out = cluster_texts(texts, n_themes=n_themes, seed=seed)
        clusters = []
        for _theme, g in out.groupby("theme"):
            segments = [ids[i] for i in g["text_index"]]
            counts = pd.Series([c for s in segments for c in seg_codes[s]]).value_counts()
            members = sorted(counts[counts >= max(2, 0.25 * len(segments))].index) or list(counts.index[:1])
            clusters.append((members, segments))
    return _describe(proj, clusters, segs, seg_codes, seed)


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


def _describe(proj, clusters, segs, seg_codes, seed):
    import pandas as pd

    from .clustering import _clean, class_tfidf_terms
    from .nlp import lemmatise

    cb = proj.codebook
    texts = {i: lemmatise([_clean(segs.at[s, "text"]) for s in seg_list]) for i, (_, seg_list) in enumerate(clusters)}
    terms = class_tfidf_terms(texts, top=6)
    rows = []
    for i, (codes, seg_list) in enumerate(clusters):
        if not seg_list:
            continue
        # typical segments: those carrying the most of the theme's codes, then the longest
        score = sorted(seg_list, key=lambda s: (-len(set(seg_codes[s]) & set(codes)), -len(segs.at[s, "text"]), s))
        polarity = _theme_polarity(cb, codes, seg_list, seg_codes)
        sub = segs.loc[seg_list]
        rows.append({"label": " / ".join(terms.get(i, [])[:4]), "codes": codes, "n_codes": len(codes),
                     "segments": seg_list, "n_segments": len(seg_list),
                     "documents": int(sub["document_id"].nunique()),
                     "sites": sorted(set(sub["site"].dropna())), "polarity": polarity,
                     "top_terms": terms.get(i, []), "representative_segments": score[:3]})
    rows.sort(key=lambda r: (-r["n_segments"], r["codes"]))
    for k, row in enumerate(rows, start=1):
        row["theme_id"] = f"T{k}"
    return pd.DataFrame(rows, columns=THEME_COLUMNS)


def _theme_polarity(cb, codes, seg_list, seg_codes) -> str:
    weights = {"barrier": 0, "enabler": 0}
    for s in seg_list:
        for c in seg_codes[s]:
            code = cb._find(c, retired=True)
            if c in codes and code is not None and code.polarity in weights:
                weights[code.polarity] += 1
    b, e = weights["barrier"], weights["enabler"]
    if b == e == 0:
        return "none"
    if b >= 2 * e:
        return "barrier"
    if e >= 2 * b:
        return "enabler"
    return "mixed"
