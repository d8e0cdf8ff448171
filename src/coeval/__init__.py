"""coeval: qualitative co-evaluation for community co-production research.

Import is fast: pandas, spaCy, scikit-learn and matplotlib load on first use. The public
names below are loaded lazily through a module-level ``__getattr__``.

>>> import coeval as ce
>>> proj = ce.Project()
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> module that defines it
_LAZY = {
    "Project": "coeval.project",
    "IngestResult": "coeval.project",
    "read_document": "coeval.ingest.reader",
    "Document": "coeval.model",
    "Segment": "coeval.model",
    "Redaction": "coeval.model",
    "Code": "coeval.model",
    "Coding": "coeval.model",
    "Coder": "coeval.model",
    "Theme": "coeval.model",
    "Roster": "coeval.privacy",
    "Pseudonymiser": "coeval.privacy",
    "CoevalError": "coeval.errors",
    "Codebook": "coeval.codebook",
    "CodeSuggester": "coeval.suggest",
    "merge": "coeval.merging",
    "cooccurrence": "coeval.thematic",
    "themes": "coeval.thematic",
    "cluster_texts": "coeval.clustering",
    "PolarityClassifier": "coeval.polarity",
    "fai_matrix": "coeval.mapping",
    "framework_matrix": "coeval.mapping",
    "segment_polarity": "coeval.mapping",
    "disagreements": "coeval.agreement",
    "coder_matrix": "coeval.agreement",
    "perspectives": "coeval.agreement",
    "MergeReport": "coeval.merging",
    "evidence_strength": "coeval.mapping",
    "site_differences": "coeval.mapping",
    "Report": "coeval.report",
    "ReportConfig": "coeval.report",
    "plain_language_checks": "coeval.plain",
}
_SUBMODULES = {"agreement", "errors", "model", "privacy", "nlp", "project", "schema", "ingest", "cli", "codebook",
               "coding", "frameworks", "sheets", "suggest", "suggestions", "merging", "interop", "qdc",
               "safefiles", "clustering", "polarity", "mapping", "thematic", "curation", "report", "plain"}

__all__ = sorted(_LAZY) + ["__version__"]


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f"coeval.{name}")
    raise AttributeError(f"module 'coeval' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY) | _SUBMODULES)
