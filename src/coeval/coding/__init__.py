"""The team's coding work on a project: Excel coding sheets, merging coders' copies, stored suggestions.

(Next: rounds, assignments and reconciliation.) The codings themselves are kept by
:mod:`coeval.store`; the codebook is :mod:`coeval.codebook`.
"""

from __future__ import annotations

from .merging import MergeReport, merge
from .sheets import SheetImport, export_sheet, import_sheet
from .suggestions import suggest_codings

__all__ = ["merge", "MergeReport", "export_sheet", "import_sheet", "SheetImport", "suggest_codings"]
