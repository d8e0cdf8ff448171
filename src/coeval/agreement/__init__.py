"""Inter-coder agreement: measures as plain functions, and tables on a project.

``coeval.agreement`` is both this module and, called, the per-code table:
``ce.agreement(proj)`` is :func:`coeval.agreement.tables.agreement`.
"""

from __future__ import annotations

import sys
import types

from .alpha import BootstrapResult, bootstrap_alpha, jaccard_distance, krippendorff_alpha, masi_distance
from .comparisons import coder_matrix, disagreements, export_disagreements, perspectives
from .data import category_counts, reliability_data
from .measures import (
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    gwet_ac2,
    percent_agreement,
    scott_pi,
)
from .tables import agreement, band
from .unitizing import unitized_alpha

__all__ = ["agreement", "coder_matrix", "disagreements", "export_disagreements", "perspectives", "band",
           "percent_agreement", "cohen_kappa", "scott_pi", "fleiss_kappa", "krippendorff_alpha", "gwet_ac1",
           "gwet_ac2", "brennan_prediger", "unitized_alpha", "bootstrap_alpha", "BootstrapResult",
           "category_counts", "reliability_data", "masi_distance", "jaccard_distance"]


class _CallableModule(types.ModuleType):
    """Lets ``ce.agreement(proj)`` work although ``coeval.agreement`` is also this module."""

    def __call__(self, proj, **kwargs):
        return agreement(proj, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
