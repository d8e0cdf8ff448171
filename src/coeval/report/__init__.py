"""The steering-group report: HTML, PDF and Word, and its Jupyter view.

>>> import coeval as ce
>>> ce.Report(proj).to_html("report.html")  # doctest: +SKIP
"""

from __future__ import annotations

from .builder import Report
from .config import SECTIONS, ReportConfig

__all__ = ["Report", "ReportConfig", "SECTIONS"]
