"""The project as users hold it: the store with the team's work on it.

:class:`Project` is :class:`coeval.store.ProjectStore` (documents, segments, the codebook,
codings, coders, the audit log, ingest) plus the methods for the team's work, each a thin
call to the package that owns it: coding sheets and suggestions (:mod:`coeval.coding`) and
curated themes (:mod:`coeval.thematic`). It sits above those packages so that none of them
has to import it; analyses take a project and never need to know its class.
"""

from __future__ import annotations

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
