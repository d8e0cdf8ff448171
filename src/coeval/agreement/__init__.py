"""Inter-coder agreement: measures as plain functions, and tables on a project.

``coeval.agreement`` is both this module and, called, the per-code table:
``ce.agreement(proj)`` is :func:`coeval.agreement.tables.agreement`.
"""

from __future__ import annotations

import sys
import types

from .measures import (
    BootstrapResult,
    bootstrap_alpha,
    brennan_prediger,
    category_counts,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    gwet_ac2,
    jaccard_distance,
    krippendorff_alpha,
    masi_distance,
    percent_agreement,
    reliability_data,
    scott_pi,
)
from .tables import agreement, band, coder_matrix, disagreements, export_disagreements, perspectives
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
