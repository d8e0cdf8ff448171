"""Barriers and enablers against feasibility, acceptability, impact and context; the
Framework Method's matrix of cases by themes.
"""

from __future__ import annotations

import numpy as np

__all__ = ["segment_polarity", "fai_matrix", "fai_wide", "fai_heatmap", "framework_matrix", "framework_wide",
           "export_framework", "read_framework", "theme_table", "evidence_strength", "site_differences",
           "FAI_COLUMNS", "FRAMEWORK_COLUMNS", "EVIDENCE_COLUMNS", "DIFFERENCE_COLUMNS"]

FAI_COLUMNS = ["item", "polarity", "dimension", "segments", "documents", "sites", "participants", "exemplars"]
FRAMEWORK_COLUMNS = ["case", "column", "n_segments", "n_documents", "summary", "segment_ids"]
DIMENSION_ORDER = ["feasibility", "acceptability", "impact", "context"]
_USED = ("human", "accepted")


def segment_polarity(proj, *, classifier=None):
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
        ``polarity``, ``source`` (``codes`` or ``classifier``).
    """
    import pandas as pd

    from .polarity import PolarityClassifier

    cb = proj.codebook
    codings = proj._codings_frame(with_text=False)
    codings = codings[codings["origin"].isin(_USED)].dropna(subset=["segment_id"])
    cols = ["segment_id", "document_id", "site", "speaker", "role", "codes", "polarity", "source"]
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
            from .polarity import BARRIER_CUES, ENABLER_CUES

            clf = PolarityClassifier(
                barrier_cues=list(BARRIER_CUES) + [q for c in cb if c.polarity == "barrier" for q in c.cues],
                enabler_cues=list(ENABLER_CUES) + [q for c in cb if c.polarity == "enabler" for q in c.cues])
            known = frame[~todo & frame["polarity"].isin(["barrier", "enabler"])]
            if len(known) >= 20 and known["polarity"].nunique() == 2:
                clf.fit(known["text"].tolist(), known["polarity"].tolist())
        frame.loc[todo, "polarity"] = clf.predict(frame.loc[todo, "text"].tolist())
    order = {s: i for i, s in enumerate(segs.index)}
    frame = frame.sort_values("segment_id", key=lambda s: s.map(order)).reset_index(drop=True)
    return frame[cols]


def _exemplars(seg_ids, segs, k=3):
    """Segments that quote well: 15 to 80 words, then closest to 40 words."""
    def score(s):
        n = len(segs.at[s, "text"].split())
        return (0 if 15 <= n <= 80 else 1, abs(n - 40), s)

    return sorted(seg_ids, key=score)[:k]


def fai_matrix(proj, *, themes=None, classifier=None, polarity=None):
    """Barriers and enablers by feasibility, acceptability, impact and context.

    Parameters
    ----------
    themes : DataFrame, optional
        Themes (as from :func:`coeval.themes`, with ``label`` and ``codes``); rows are then
        themes instead of codes.
    classifier : PolarityClassifier, optional
        Passed to :func:`segment_polarity`.
    polarity : DataFrame, optional
        A :func:`segment_polarity` frame already computed (saves computing it again).

    Returns
    -------
    pandas.DataFrame
        One row per item (code or theme) x polarity x dimension with segments: ``item``,
        ``polarity`` (barrier, enabler, mixed, neutral), ``dimension``, ``segments``,
        ``documents``, ``sites``, ``participants`` (distinct speakers), ``exemplars`` (up to
        three segment ids to quote). A segment counts under every dimension of its codes
        (of the theme's codes, for themes).
    """
    import pandas as pd

    cb = proj.codebook
    if polarity is None:
        polarity = segment_polarity(proj, classifier=classifier)
    pol = polarity.set_index("segment_id")
    segs = proj.segments.set_index("segment_id")
    if pol.empty:
        return pd.DataFrame(columns=FAI_COLUMNS)
    if hasattr(themes, "to_frame"):  # proj.themes
        themes = themes.to_frame()
    if themes is None:
        items = {c.name: [c.name] for c in cb.ordered()}
    else:
        items = {row["label"] or row.get("theme_id", ""): list(row["codes"]) for _, row in themes.iterrows()}
    cells: dict[tuple, set] = {}
    for seg_id, row in pol.iterrows():
        for item, codes in items.items():
            hit = [c for c in row["codes"] if c in codes]
            if not hit:
                continue
            dims = {d for c in hit for d in (cb.get(c, retired=True).dimensions if cb._find(c, retired=True) else ())}
            for dim in dims or {"context"}:
                cells.setdefault((item, row["polarity"], dim), set()).add(seg_id)
    rows = []
    for (item, polarity, dim), ids in cells.items():
        sub = pol.loc[sorted(ids)]
        rows.append({"item": item, "polarity": polarity, "dimension": dim, "segments": len(ids),
                     "documents": int(sub["document_id"].nunique()), "sites": int(sub["site"].dropna().nunique()),
                     "participants": int(sub["speaker"].dropna().nunique()),
                     "exemplars": _exemplars(sorted(ids), segs)})
    frame = pd.DataFrame(rows, columns=FAI_COLUMNS)
    order = {d: i for i, d in enumerate(DIMENSION_ORDER)}
    porder = {p: i for i, p in enumerate(["barrier", "enabler", "mixed", "neutral"])}
    frame = frame.sort_values(["item", "dimension", "polarity"], key=lambda s: s.map(order) if s.name == "dimension"
                              else s.map(porder) if s.name == "polarity" else s)
    return frame.reset_index(drop=True)


def fai_wide(frame, value: str = "segments"):
    """The FAI frame as a wide table: items x (dimension, polarity), zeros where empty."""
    wide = frame.pivot_table(index="item", columns=["dimension", "polarity"], values=value, aggfunc="sum",
                             fill_value=0)
    dims = [d for d in DIMENSION_ORDER if d in wide.columns.get_level_values(0)]
    pols = [p for p in ["barrier", "enabler", "mixed", "neutral"] if p in wide.columns.get_level_values(1)]
    return wide.reindex(columns=[(d, p) for d in dims for p in pols], fill_value=0)


def fai_heatmap(frame, *, top: int = 25, ax=None):
    """Heatmap of segments: items (the ``top`` most used) by dimension, barriers and enablers side by side.

    Colour-blind-safe (orange for barriers, purple for enablers: matplotlib's ``PuOr``);
    returns the matplotlib Figure. It does not change matplotlib's backend, so it shows inline
    in Jupyter.
    """
    import matplotlib.pyplot as plt

    wide = fai_wide(frame[frame["polarity"].isin(["barrier", "enabler"])])
    if wide.empty:
        fig, ax = plt.subplots(figsize=(6, 2))
        ax.text(0.5, 0.5, "No coded barriers or enablers yet", ha="center", va="center")
        ax.set_axis_off()
        return fig
    wide = wide.loc[wide.sum(axis=1).sort_values(ascending=False).index[:top]]
    if ax is None:
        fig, ax = plt.subplots(figsize=(10, 0.35 * len(wide) + 2))
    else:
        fig = ax.figure
    values = wide.to_numpy(dtype=float)
    signed = np.where(np.array([p == "barrier" for _, p in wide.columns])[None, :], -values, values)
    limit = max(abs(signed).max(), 1)
    ax.imshow(signed, cmap="PuOr", vmin=-limit, vmax=limit, aspect="auto")
    ax.set_xticks(range(len(wide.columns)), [f"{d}\n{p}" for d, p in wide.columns], fontsize=8)
    ax.set_yticks(range(len(wide.index)), wide.index, fontsize=8)
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            if values[i, j]:
                ax.text(j, i, int(values[i, j]), ha="center", va="center", fontsize=7)
    ax.set_title("What got in the way (barrier) and what helped (enabler), by dimension: segments")
    fig.tight_layout()
    return fig


def _summary(texts_ids, n: int, max_words: int = 45) -> str:
    """Extractive summary: the sentences closest to the cell's centre, with their segment ids."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from .nlp import sentences

    pool = []
    for seg_id, text in texts_ids:
        for s in sentences(text):
            words = len(s.split())
            if 5 <= words <= max_words:
                pool.append((s, seg_id))
    if not pool:  # no sentence of a quotable length: the segments' openings
        return " ".join(f"{text[:300]} ({seg_id})" for seg_id, text in texts_ids[:n])
    if len(pool) <= n:
        chosen = pool
    else:
        X = TfidfVectorizer(stop_words="english").fit_transform([p[0] for p in pool])
        centre = np.asarray(X.mean(axis=0)).ravel()
        scores = X @ centre
        picked = sorted(np.argsort(-scores, kind="stable")[:n])
        chosen = [pool[i] for i in picked]
    return " ".join(f"{s} ({seg})" for s, seg in chosen)


def framework_matrix(proj, *, by: str = "site", columns: str = "themes", themes=None, sentences: int = 2):
    """The Framework Method's matrix: cases (sites, documents...) by themes (or codes).

    Parameters
    ----------
    by : str
        The case: ``site``, ``document_id``, ``role``, ``speaker`` or any segment column.
    columns : {"themes", "codes"}
    themes : DataFrame, optional
        The themes to use (default: :func:`coeval.themes` with ``method="network"``).
    sentences : int
        Sentences per summary.

    Returns
    -------
    pandas.DataFrame
        One row per case x column with coded segments: ``case``, ``column``, ``n_segments``,
        ``n_documents``, ``summary`` (representative sentences, each followed by its segment id
        in brackets), ``segment_ids``. See :func:`framework_wide`, :func:`export_framework`.
    """
    import pandas as pd

    codings = proj._codings_frame(with_text=False)
    codings = codings[codings["origin"].isin(_USED)].dropna(subset=["segment_id"])
    if codings.empty:
        return pd.DataFrame(columns=FRAMEWORK_COLUMNS)
    segs = proj.segments.set_index("segment_id")
    if by not in segs.columns:
        raise ValueError(f"cannot group by {by!r}; use a segment column such as site, document_id, role, speaker")
    if columns == "codes":
        groups = {c.name: {c.name} for c in proj.codebook.ordered()}
    elif columns == "themes":  # the team's own themes when it has curated some, else suggested ones
        groups = {row.label: set(row.codes) for row in theme_table(proj, themes).itertuples()}
    else:
        raise ValueError("columns must be 'themes' or 'codes'")
    seg_codes = codings.groupby("segment_id")["code"].apply(set)
    rows = []
    case_of = segs[by]
    for column, codes in groups.items():
        ids = [s for s, cs in seg_codes.items() if cs & codes]
        if not ids:
            continue
        for case, case_ids in pd.Series(ids).groupby(case_of.reindex(ids).to_numpy()):
            case_ids = sorted(case_ids, key=list(segs.index).index)
            rows.append({"case": case, "column": column, "n_segments": len(case_ids),
                         "n_documents": int(segs.loc[case_ids, "document_id"].nunique()),
                         "summary": _summary([(s, segs.at[s, "text"]) for s in case_ids], sentences),
                         "segment_ids": case_ids})
    return pd.DataFrame(rows, columns=FRAMEWORK_COLUMNS).sort_values(["case", "column"]).reset_index(drop=True)


def framework_wide(frame, value: str = "summary"):
    """Cases as rows, columns as columns, cells the summaries (or ``value="n_segments"``)."""
    fill = "" if value == "summary" else 0
    return frame.pivot(index="case", columns="column", values=value).fillna(fill)


def export_framework(frame, path):
    """Write the matrix to .xlsx for the team to edit summaries: a wide ``Matrix`` sheet and a
    long ``Cells`` sheet (case, column, counts, summary, segment ids) that :func:`read_framework`
    reads back."""
    from pathlib import Path

    import pandas as pd
    from openpyxl.styles import Alignment, Font

    path = Path(path)
    cells = frame.assign(segment_ids=frame["segment_ids"].map(lambda ids: "; ".join(ids)))
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        framework_wide(frame).to_excel(writer, sheet_name="Matrix")
        cells.to_excel(writer, sheet_name="Cells", index=False)
        for name in ("Matrix", "Cells"):
            ws = writer.sheets[name]
            for col in ws.columns:
                ws.column_dimensions[col[0].column_letter].width = 50 if name == "Matrix" else 30
            for row in ws.iter_rows(min_row=2):
                for cell in row:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            for cell in ws[1]:
                cell.font = Font(bold=True)
    return path


def read_framework(path):
    """Read a framework matrix back from :func:`export_framework`'s workbook, with the team's
    edited summaries (from the ``Matrix`` sheet where they were edited there)."""
    import pandas as pd

    from .errors import SheetError

    try:
        cells = pd.read_excel(path, sheet_name="Cells", dtype=str).fillna("")
        matrix = pd.read_excel(path, sheet_name="Matrix", dtype=str, index_col=0).fillna("")
    except (ValueError, FileNotFoundError) as exc:
        raise SheetError(f"is not a framework matrix workbook ({exc}).", path=path,
                         hint="Export one with coeval.mapping.export_framework.") from None
    summaries = []
    for r in cells.itertuples():
        edited = matrix.at[r.case, r.column] if r.case in matrix.index and r.column in matrix.columns else ""
        summaries.append(edited if edited and edited != r.summary else r.summary)
    return pd.DataFrame({"case": cells["case"], "column": cells["column"],
                         "n_segments": cells["n_segments"].astype(int), "n_documents": cells["n_documents"].astype(int),
                         "summary": summaries,
                         "segment_ids": cells["segment_ids"].map(lambda s: [x for x in s.split("; ") if x])},
                        columns=FRAMEWORK_COLUMNS)


EVIDENCE_COLUMNS = ["theme_id", "label", "codes", "segments", "participants", "documents", "sites", "n_sites",
                    "source_kinds", "coders", "agreement", "agreement_band", "strength", "flags"]
DIFFERENCE_COLUMNS = ["theme_id", "label", "case", "segments", "case_segments", "share", "share_elsewhere",
                      "participants", "p_value", "difference"]


def theme_table(proj, themes=None):
    """The themes to report on: ``themes`` if given (a frame with ``label`` and ``codes``, or
    ``proj.themes``), else the team's curated themes when there are any, else the suggested
    network themes (:func:`coeval.themes`).

    Returns
    -------
    pandas.DataFrame
        ``theme_id``, ``label``, ``codes`` (list), ``curated`` (bool).
    """
    import pandas as pd

    from .thematic import themes as suggest_themes

    curated = False
    if themes is None and len(proj.themes):
        themes = proj.themes
    if hasattr(themes, "to_frame"):
        themes, curated = themes.to_frame(), True
    if themes is None:
        themes = suggest_themes(proj, method="network")
    rows = []
    for i, row in enumerate(themes.itertuples(index=False), start=1):
        theme_id = getattr(row, "theme_id", None) or f"T{i}"
        rows.append({"theme_id": theme_id, "label": row.label or theme_id, "codes": sorted(row.codes),
                     "curated": curated})
    return pd.DataFrame(rows, columns=["theme_id", "label", "codes", "curated"])


def _theme_segments(proj, table):
    """Segment ids per theme (any of its codes applied, by any coder), and the codings used."""
    codings = proj._codings_frame(with_text=False)
    codings = codings[codings["origin"].isin(_USED)].dropna(subset=["segment_id"])
    seg_codes = codings.groupby("segment_id")["code"].apply(set)
    members = {row.theme_id: [s for s, cs in seg_codes.items() if cs & set(row.codes)] for row in table.itertuples()}
    return members, codings


def evidence_strength(proj, themes=None, *, agreement=None, min_participants: int = 3, min_sites: int = 2,
                      min_segments: int = 5):
    """How well each theme is supported: by how many segments, participants, sites and kinds of
    source, and how far the coders agreed on its codes.

    Parameters
    ----------
    themes : DataFrame or ThemeSet, optional
        See :func:`theme_table` (default: curated themes, else suggested ones).
    agreement : dict, optional
        Theme id -> agreement; by default Krippendorff's alpha on whether each coder applied
        any of the theme's codes to each segment of the documents that two or more coders
        coded (a coder who did not code a document is missing there).
    min_participants, min_sites, min_segments : int
        Below these a theme is flagged (and its evidence called limited).

    Returns
    -------
    pandas.DataFrame
        One row per theme: ``theme_id``, ``label``, ``codes``, ``segments``, ``participants``
        (distinct speakers, pseudonymised), ``documents``, ``sites`` (list), ``n_sites``,
        ``source_kinds`` (document kinds, e.g. transcript, observation), ``coders``,
        ``agreement`` (Krippendorff's alpha at the theme level; NaN when unknown),
        ``agreement_band``, ``strength`` (``strong``, ``moderate`` or ``limited``) and ``flags``
        (plain-language reasons, e.g. ``"one voice"``, ``"one site"``).

    Notes
    -----
    *Strong*: at least ``min_participants`` voices, ``min_sites`` sites, two kinds of source and
    no doubt about agreement. *Limited*: one voice, one site, fewer than ``min_segments``
    segments, or unreliable coding. *Moderate*: the rest.
    """
    import pandas as pd

    from .agreement import band

    table = theme_table(proj, themes)
    members, codings = _theme_segments(proj, table)
    segs = proj.segments.set_index("segment_id")
    kinds = proj.documents.set_index("document_id")["kind"]
    if agreement is None:
        agreement = _theme_agreement(codings, segs, table)
    rows = []
    for row in table.itertuples():
        ids = members[row.theme_id]
        sub = segs.loc[ids] if ids else segs.iloc[:0]
        sites = sorted(set(sub["site"].dropna()))
        source_kinds = sorted(set(kinds.reindex(sub["document_id"].unique()).dropna()))
        coded = codings[codings["segment_id"].isin(ids) & codings["code"].isin(row.codes)]
        value = float(agreement.get(row.theme_id, np.nan))
        known = not np.isnan(value)
        participants = int(sub["speaker"].dropna().nunique())
        flags = []
        if participants <= 1:
            flags.append("one voice" if participants == 1 else "no identified speaker")
        elif participants < min_participants:
            flags.append(f"only {participants} voices")
        if len(sites) <= 1:
            flags.append("one site" if sites else "no site recorded")
        elif len(sites) < min_sites:
            flags.append(f"only {len(sites)} sites")
        if len(ids) < min_segments:
            flags.append(f"only {len(ids)} passages")
        if len(source_kinds) == 1:
            flags.append(f"from {source_kinds[0]} records only")
        agreement_band = band(value) if known else "unknown"
        if agreement_band == "unreliable":
            flags.append("coders often disagreed")
        limited = (participants <= 1 or len(sites) <= 1 or len(ids) < min_segments or agreement_band == "unreliable")
        strong = (participants >= min_participants and len(sites) >= min_sites and len(source_kinds) >= 2
                  and agreement_band in ("reliable", "tentative", "unknown") and len(ids) >= min_segments)
        rows.append({"theme_id": row.theme_id, "label": row.label, "codes": row.codes, "segments": len(ids),
                     "participants": participants, "documents": int(sub["document_id"].nunique()),
                     "sites": sites, "n_sites": len(sites), "source_kinds": source_kinds,
                     "coders": int(coded["coder"].nunique()), "agreement": value, "agreement_band": agreement_band,
                     "strength": "limited" if limited else "strong" if strong else "moderate", "flags": flags})
    return pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)


def _theme_agreement(codings, segs, table) -> dict:
    """Theme-level Krippendorff's alpha: did each coder apply any of the theme's codes?"""
    import warnings

    from .agreement import krippendorff_alpha

    by_doc = codings.groupby("document_id")["coder"].agg(lambda s: set(s))
    shared = {d for d, cs in by_doc.items() if len(cs) >= 2}
    coders = sorted(set(codings["coder"]))
    if not shared:
        return {}
    units = segs.index[segs["document_id"].isin(shared)]
    pos = {s: i for i, s in enumerate(units)}
    unit_doc = segs.loc[units, "document_id"].to_numpy()
    # where each coder coded at all: "no" there, missing elsewhere
    seen = [np.isin(unit_doc, [d for d, cs in by_doc.items() if coder in cs]) for coder in coders]
    out = {}
    for row in table.itertuples():
        data = np.full((len(coders), len(units)), np.nan)
        for k, coder in enumerate(coders):
            data[k, seen[k]] = 0.0
            mine = codings[(codings["coder"] == coder) & codings["code"].isin(row.codes)]
            hit = [pos[s] for s in mine["segment_id"] if s in pos]
            data[k, hit] = 1.0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out[row.theme_id] = float(krippendorff_alpha(data))
    return out


def site_differences(proj, themes=None, *, by: str = "site", ratio: float = 2.0, min_segments: int = 3):
    """What differs between cases (sites by default): a theme strong in one, absent in others.

    Each theme's share of a case's coded segments is compared with its share in the other
    cases together, with Fisher's exact test (two-sided) as a guide to chance; with a few
    dozen segments per site, read the counts, not the p-values.

    Parameters
    ----------
    by : str
        A segment column: ``site`` (default), ``role``, ``document_id``.
    ratio : float
        How many times the share elsewhere counts as "more here" (and its inverse "less here").
    min_segments : int
        Fewer segments than this in a case are never called a difference.

    Returns
    -------
    pandas.DataFrame
        One row per theme x case (zeros included): ``theme_id``, ``label``, ``case``,
        ``segments``, ``case_segments`` (coded segments in the case), ``share``,
        ``share_elsewhere``, ``participants``, ``p_value``, ``difference`` (``only here``,
        ``more here``, ``less here``, ``absent here`` or empty).
    """
    import pandas as pd
    from scipy.stats import fisher_exact

    table = theme_table(proj, themes)
    members, codings = _theme_segments(proj, table)
    segs = proj.segments.set_index("segment_id")
    if by not in segs.columns:
        raise ValueError(f"cannot compare by {by!r}; use a segment column such as site, role, document_id")
    coded = segs.loc[sorted(set(codings["segment_id"]), key=list(segs.index).index)]
    totals = coded[by].dropna().value_counts()
    cases = sorted(totals.index)
    rows = []
    for row in table.itertuples():
        sub = segs.loc[members[row.theme_id]] if members[row.theme_id] else segs.iloc[:0]
        counts = sub[by].value_counts()
        present = [c for c in cases if counts.get(c, 0) > 0]
        for case in cases:
            n, total = int(counts.get(case, 0)), int(totals[case])
            n_else, total_else = int(counts.sum() - n), int(totals.sum() - total)
            share = n / total if total else 0.0
            share_else = n_else / total_else if total_else else 0.0
            p = fisher_exact([[n, total - n], [n_else, total_else - n_else]])[1] if total_else else float("nan")
            if n >= min_segments and present == [case]:
                note = "only here"
            elif n >= min_segments and share >= ratio * share_else:
                note = "more here"
            elif n == 0 and n_else >= min_segments:
                note = "absent here"
            elif n_else >= min_segments and share * ratio <= share_else:
                note = "less here"
            else:
                note = ""
            rows.append({"theme_id": row.theme_id, "label": row.label, "case": case, "segments": n,
                         "case_segments": total, "share": share, "share_elsewhere": share_else,
                         "participants": int(sub.loc[sub[by] == case, "speaker"].dropna().nunique()),
                         "p_value": float(p), "difference": note})
    return pd.DataFrame(rows, columns=DIFFERENCE_COLUMNS)
