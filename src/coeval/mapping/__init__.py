"""Mapping findings: barriers and enablers by feasibility, acceptability and impact; the Framework
Method's matrix; how well each theme is supported; where themes differ between sites.

Every function takes a project and returns a tidy DataFrame; nothing here renders.
"""

from __future__ import annotations

from ..thematic.in_use import theme_table
from .evidence import EVIDENCE_COLUMNS, evidence_strength
from .fai import DIMENSION_ORDER, FAI_COLUMNS, fai_heatmap, fai_matrix, fai_wide
from .framework import FRAMEWORK_COLUMNS, export_framework, framework_matrix, framework_wide, read_framework
from .segment_polarity import segment_polarity
from .sites import DIFFERENCE_COLUMNS, site_differences

__all__ = ["segment_polarity", "fai_matrix", "fai_wide", "fai_heatmap", "framework_matrix", "framework_wide",
           "export_framework", "read_framework", "theme_table", "evidence_strength", "site_differences",
           "FAI_COLUMNS", "FRAMEWORK_COLUMNS", "EVIDENCE_COLUMNS", "DIFFERENCE_COLUMNS", "DIMENSION_ORDER"]
