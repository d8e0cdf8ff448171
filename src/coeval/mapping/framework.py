"""The Framework Method's matrix: cases (sites, documents, roles) by themes or codes, with short summaries,
and its Excel round trip."""

from __future__ import annotations

import numpy as np

from ..coding.basis import basis_codings
from ..thematic.in_use import theme_table

__all__ = ["framework_matrix", "framework_wide", "export_framework", "read_framework", "FRAMEWORK_COLUMNS"]

FRAMEWORK_COLUMNS = ["case", "column", "n_segments", "n_documents", "summary", "segment_ids", "basis"]


def _summary(texts_ids, n: int, max_words: int = 45) -> str:
    """Extractive summary: the sentences closest to the cell's centre, with their segment ids."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from ..learn.nlp import sentences

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


def framework_matrix(proj, *, by: str = "site", columns: str = "themes", themes=None, sentences: int = 2,
                     basis=None):
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
    basis : {None, "consensus", "agreed", "any", "coder:NAME"}
        Whose codings count (see :mod:`coeval.coding.basis`).

    Returns
    -------
    pandas.DataFrame
        One row per case x column with coded segments: ``case``, ``column``, ``n_segments``,
        ``n_documents``, ``summary`` (representative sentences, each followed by its segment id
        in brackets), ``segment_ids``, ``basis``. See :func:`framework_wide`, :func:`export_framework`.
    """
    return _matrix(proj, by=by, columns=columns, themes=themes, sentences=sentences, basis=basis)


def _matrix(proj, *, by, columns, themes, sentences, basis, summarise=None):
    """:func:`framework_matrix`; with ``summarise`` (a set of ``(case, column)``), only those cells
    are summarised (the others' summaries are empty): the report quotes a few cells of many."""
    import pandas as pd

    codings = basis_codings(proj, basis)
    basis = codings.attrs["basis"]
    codings = codings.dropna(subset=["segment_id"])
    if codings.empty:
        return pd.DataFrame(columns=FRAMEWORK_COLUMNS)
    segs = proj.segments.set_index("segment_id")
    if by not in segs.columns:
        raise ValueError(f"cannot group by {by!r}; use a segment column such as site, document_id, role, speaker")
    if columns == "codes":
        groups = {c.name: {c.name} for c in proj.codebook.ordered()}
    elif columns == "themes":  # the team's own themes when it has curated some, else suggested ones
        groups = {row.label: set(row.codes) for row in theme_table(proj, themes, basis=basis).itertuples()}
    else:
        raise ValueError("columns must be 'themes' or 'codes'")
    # (column, segment) pairs joined from (segment, code) and (column, code), each cell's segments in the
    # segments' order: no set per segment tested against each column, no .loc per cell
    links = pd.DataFrame([(column, code) for column, codes in groups.items() for code in codes],
                         columns=["column", "code"], dtype=object)
    pairs = codings[["segment_id", "code"]].drop_duplicates().merge(links, on="code")
    pairs = pairs[["column", "segment_id"]].drop_duplicates()
    place = pd.DataFrame({"case": segs[by].to_numpy(), "document_id": segs["document_id"].to_numpy(),
                          "order": np.arange(len(segs))}, index=segs.index)
    pairs = pairs.join(place, on="segment_id").dropna(subset=["case"]).sort_values("order", kind="stable")
    cells = pairs.groupby(["column", "case"], sort=False)
    n_documents = cells["document_id"].nunique().to_dict()
    members: dict = {}
    for key, seg_id in zip(zip(pairs["column"].tolist(), pairs["case"].tolist()), pairs["segment_id"].tolist()):
        members.setdefault(key, []).append(seg_id)
    rows = []
    for (column, case), case_ids in members.items():
        summary = ""
        if summarise is None or (case, column) in summarise:
            summary = _summary(list(zip(case_ids, segs.loc[case_ids, "text"].tolist())), sentences)
        rows.append({"case": case, "column": column, "n_segments": len(case_ids),
                     "n_documents": int(n_documents[(column, case)]), "summary": summary,
                     "segment_ids": case_ids, "basis": basis})
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

    from ..files.spreadsheets import excel_text, literal_cells, written_whole

    path = Path(path)
    cells = frame.assign(segment_ids=frame["segment_ids"].map(lambda ids: "; ".join(ids)))
    with written_whole(path) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as writer:
        framework_wide(frame).map(excel_text).to_excel(writer, sheet_name="Matrix")
        cells.map(excel_text).to_excel(writer, sheet_name="Cells", index=False)
        for name in ("Matrix", "Cells"):
            ws = writer.sheets[name]
            for col in ws.columns:
                ws.column_dimensions[col[0].column_letter].width = 50 if name == "Matrix" else 30
            for row in ws.iter_rows(min_row=2):
                for cell in row:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            for cell in ws[1]:
                cell.font = Font(bold=True)
        literal_cells(writer.book)
    return path


def read_framework(path):
    """Read a framework matrix back from :func:`export_framework`'s workbook, with the team's
    edited summaries (from the ``Matrix`` sheet where they were edited there)."""
    import pandas as pd

    from ..errors import SheetError
    from ..files.archives import check_office_file

    check_office_file(path, "framework matrix workbook")
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
                         "segment_ids": cells["segment_ids"].map(lambda s: [x for x in s.split("; ") if x]),
                         "basis": cells["basis"] if "basis" in cells.columns else ""},
                        columns=FRAMEWORK_COLUMNS)
