"""The code co-occurrence network: which codes are applied to the same passages, and its figure."""

from __future__ import annotations

import numpy as np

from ..coding.basis import basis_units

__all__ = ["cooccurrence", "cooccurrence_figure", "coded_units", "USED_ORIGINS"]

USED_ORIGINS = ("human", "accepted")


def coded_units(proj, unit: str, *, coder: bool = True, basis=None):
    """Pairs (unit id, code) for the codings on ``basis`` (see :mod:`coeval.coding.basis`), with
    the document; ``attrs["basis"]`` says which basis."""
    codings = basis_units(proj, basis)
    basis = codings.attrs["basis"]
    if not coder:
        codings = codings.drop(columns="coder")
    if unit == "segment":
        codings = codings.dropna(subset=["segment_id"])
        units = codings["segment_id"]
    elif unit == "document":
        units = codings["document_id"]
    else:
        raise ValueError("unit must be 'segment' or 'document'")
    out = codings.assign(unit=units.to_numpy())
    out.attrs["basis"] = basis
    return out


def cooccurrence(proj, *, unit: str = "segment", measure: str = "count", min_weight: float = 0.0, basis=None):
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
    basis : {None, "consensus", "agreed", "any", "coder:NAME"}
        Whose codings count (see :mod:`coeval.coding.basis`).

    Returns
    -------
    networkx.Graph
        Nodes are code names, with attributes ``segments`` (or units), ``documents``, ``sites``
        (a sorted list), ``n_sites``, ``polarity``, ``dimensions``; edges have ``weight`` and
        ``count``. ``G.graph`` records ``unit``, ``measure`` and ``basis``.
    """
    import networkx as nx
    from scipy import sparse

    if measure not in ("count", "jaccard", "association"):
        raise ValueError("measure must be 'count', 'jaccard' or 'association'")
    data = coded_units(proj, unit, coder=False, basis=basis)
    G = nx.Graph(unit=unit, measure=measure, basis=data.attrs["basis"])
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
    import networkx as nx
    from matplotlib.figure import Figure  # not pyplot: a notebook shows the returned figure once

    colours = {"barrier": "#D55E00", "enabler": "#0072B2", "mixed": "#CC79A7", "none": "#999999"}
    nodes = sorted(G.nodes, key=lambda n: (-G.nodes[n].get("segments", 0), n))[:top]
    H = G.subgraph(nodes).copy()
    if ax is None:
        fig = Figure(figsize=(12, 10))
        ax = fig.subplots()
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
    from matplotlib.text import Text

    for text in fig.findobj(Text):  # labels as written: "$5" is not mathematics
        text.set_parse_math(False)
    return fig
