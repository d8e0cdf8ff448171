"""The project as users hold it: the store with the team's work on it.

:class:`Project` is :class:`coeval.store.ProjectStore` (documents, segments, the codebook,
codings, coders, the audit log, ingest) plus the methods for the team's work, each a thin
call to the package that owns it: coding sheets, suggestions, rounds, assignments and
reconciliation (:mod:`coeval.coding`), curated themes (:mod:`coeval.thematic`), and the
agreement table a round keeps when it closes (:mod:`coeval.agreement`). It sits above those
packages so that none of them has to import it; analyses take a project and never need to
know its class.
"""

from __future__ import annotations

from .agreement.tables import OVERALL, agreement, frozen_table
from .coding import assignments as _assignments
from .coding import rounds as _rounds
from .coding.reconciliation import reconcile
from .coding.sheets import export_sheet, import_sheet
from .coding.suggestions import suggest_codings
from .store import IngestResult, ProjectStore
from .store.codings_table import export_codings, import_codings
from .thematic.curated import ThemeSet

__all__ = ["Project", "IngestResult"]


class Project(ProjectStore):
    """A co-evaluation project: documents, codebook, codings by several coders, and themes.

    Parameters
    ----------
    url : str, optional
        A SQLAlchemy database URL. ``None`` (the default) gives a project in memory.
        Use :meth:`create` and :meth:`open` for files.

    Examples
    --------
    >>> import coeval as ce
    >>> proj = ce.Project()                      # in memory
    >>> proj.documents.shape[0]
    0
    """

    @property
    def themes(self) -> ThemeSet:
        """The team's curated themes (a :class:`coeval.thematic.ThemeSet`); see also
        :func:`coeval.themes` for suggestions."""
        return ThemeSet(self)

    def ingest(self, target, **kwargs):
        """Read files into the project; see :meth:`coeval.store.ProjectStore.ingest`.

        A manifest may also name the team's ``assignments`` (a CSV: round, coder, document_id,
        segment_id, done) and a ``reconciliation`` (the decisions workbook or its CSV): they
        are applied after the documents, codebook and codings, each in its own transaction
        (the round is closed, freezing its agreement, before the reconciliation is read).
        """
        from .coding.team_files import import_assignments

        result = super().ingest(target, **kwargs)
        for path in result.project_files.get("assignments", []):
            result.assignments += import_assignments(self, path)
        for path in result.project_files.get("reconciliation", []):
            result.reconciled += self.reconcile(path).segments
        return result

    # -- coding sheets and tables -------------------------------------------------------------------
    def export_sheet(self, path, *, coder: str, documents=None, role: str | None = None, max_codes: int = 3):
        """Write an Excel coding sheet for one coder; see :func:`coeval.coding.sheets.export_sheet`."""
        return export_sheet(self, path, coder=coder, documents=documents, role=role, max_codes=max_codes)

    def import_sheet(self, path, *, remove_missing: bool = True):
        """Read a filled-in coding sheet back; see :func:`coeval.coding.sheets.import_sheet`."""
        return import_sheet(self, path, remove_missing=remove_missing)

    def export_codings(self, path=None, *, origin=None):
        """Write the codings as a tidy CSV; see :func:`coeval.store.codings_table.export_codings`."""
        return export_codings(self, path, origin=origin)

    def import_codings(self, source):
        """Read codings from a tidy CSV or DataFrame; see :func:`coeval.store.codings_table.import_codings`."""
        return import_codings(self, source)

    # -- suggestions ----------------------------------------------------------------------------------
    def suggest(self, *, coder: str = "model", suggester=None, threshold: float | None = None,
                documents=None):
        """Suggest codes for uncoded segments; see :func:`coeval.coding.suggestions.suggest_codings`."""
        return suggest_codings(self, coder=coder, suggester=suggester, threshold=threshold, documents=documents)

    # -- rounds and assignments ---------------------------------------------------------------------
    def open_round(self, name: str = _rounds.DEFAULT_ROUND, *, blind: bool = True, by: str | None = None,
                   description: str = "") -> dict:
        """Open a round of coding; see :func:`coeval.coding.rounds.open_round`."""
        return _rounds.open_round(self, name, blind=blind, by=by, description=description)

    def close_round(self, name: str | None = None, *, by: str | None = None) -> dict:
        """Close a round (the latest open one by default) and freeze its agreement table.

        The table (segment unit, every coder of the round) is stored with the codebook version
        and the units it used; ``ce.agreement(proj, round=name)`` returns it unchanged from then
        on, whatever is done later (reconciliation included).

        Raises
        ------
        CodingError, NotFoundError
            No open round, an unknown round, or one closed already.
        """
        import warnings

        from .coding.presence import resolve_round, round_units
        from .errors import CodingError, CoevalWarning

        if name is None:
            open_ = [r for r in _rounds.round_rows(self) if r["status"] == "open"]
            if not open_:
                raise CodingError("there is no open round to close.", hint="See proj.rounds.")
            name = open_[-1]["name"]
        info = _rounds.get_round(self, name)
        if info["status"] == "closed":
            raise CodingError(f"round {name!r} is closed already (on {info['closed_at']}).")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CoevalWarning)
            table = agreement(self, round=name)
        overall = table[table["code"] == OVERALL]
        alpha = float(overall["alpha"].iloc[0]) if len(overall) else None
        done = _assignments.assignments_frame(self, round=name)
        done = done[done["status"] == "done"]
        per_doc = done.drop_duplicates(["coder", "document_id"]).groupby("document_id")["coder"].nunique()
        with self._engine.connect() as conn:
            version = int(self._meta_get(conn, "codebook_version") or 0)
        frozen = {"table": frozen_table(table), "codebook_version": version,
                  "alpha": None if alpha is None or alpha != alpha else alpha,
                  "units": int(table.loc[table["code"] != OVERALL, "n_units"].max()) if len(overall) else 0,
                  "coders": sorted(done["coder"].unique().tolist()),
                  "double_coded_documents": int((per_doc >= 2).sum()), "unit": "segment",
                  "segments": sorted(round_units(self, resolve_round(self, name))),
                  "rule": table["rule"].iloc[0] if len(table) else "assigned and marked done"}
        if not len(table):
            warnings.warn(f"round {name!r} closed with no units two coders finished, so it keeps no agreement.",
                          CoevalWarning, stacklevel=2)
        return _rounds.freeze_round(self, name, frozen, by=by)

    @property
    def rounds(self):
        """One row per round; see :func:`coeval.coding.rounds.rounds_frame`."""
        return _rounds.rounds_frame(self)

    def assign(self, coder: str, documents=None, *, segments=None, round: str = _rounds.DEFAULT_ROUND,
               by: str | None = None) -> int:
        """Assign documents or segments to a coder; see :func:`coeval.coding.assignments.assign`."""
        return _assignments.assign(self, coder, documents, segments=segments, round=round, by=by)

    def assign_sample(self, coders, *, fraction: float = 0.2, seed: int = 0, stratify: str | None = "site",
                      unit: str = "document", documents=None, round: str = _rounds.DEFAULT_ROUND,
                      by: str | None = None):
        """Draw a double-coding sample; see :func:`coeval.coding.assignments.assign_sample`."""
        return _assignments.assign_sample(self, coders, fraction=fraction, seed=seed, stratify=stratify, unit=unit,
                                          documents=documents, round=round, by=by)

    def mark_done(self, coder: str, documents=None, *, round: str | None = None, by: str | None = None) -> int:
        """Mark a coder's assignments done; see :func:`coeval.coding.assignments.mark_done`."""
        return _assignments.mark_done(self, coder, documents, round=round, by=by)

    @property
    def assignments(self):
        """One row per assignment; see :func:`coeval.coding.assignments.assignments_frame`."""
        return _assignments.assignments_frame(self)

    # -- reconciliation -------------------------------------------------------------------------------
    def reconcile(self, path, *, by: str | None = None, attendees=(), round: str | None = None,
                  partial: bool = False):
        """Write consensus codings from a filled-in disagreements workbook; see
        :func:`coeval.coding.reconciliation.reconcile`.

        An open round is closed first (freezing its agreement), so that agreement describes the
        coders' independent work, before they talked.
        """
        from .coding.presence import resolve_round

        name = resolve_round(self, round)[0]
        if name is not None and _rounds.get_round(self, name)["status"] == "open":
            self.close_round(name, by=by)
        return reconcile(self, path, by=by, attendees=attendees, round=name, partial=partial)
