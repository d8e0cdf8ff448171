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
    "IngestResult": "coeval.store.ingesting",
    "read_document": "coeval.ingest.reader",
    "Document": "coeval.model",
    "Segment": "coeval.model",
    "Redaction": "coeval.model",
    "Code": "coeval.model",
    "Coding": "coeval.model",
    "Coder": "coeval.model",
    "Theme": "coeval.model",
    "Roster": "coeval.privacy.roster",
    "Pseudonymiser": "coeval.privacy.pseudonymiser",
    "CoevalError": "coeval.errors",
    "Codebook": "coeval.codebook.tree",
    "CodeSuggester": "coeval.learn.suggester",
    "merge": "coeval.coding.merging",
    "MergeReport": "coeval.coding.merging",
    "cooccurrence": "coeval.thematic.cooccurrence",
    "themes": "coeval.thematic.suggested",
    "cluster_texts": "coeval.learn.clustering",
    "PolarityClassifier": "coeval.learn.polarity",
    "fai_matrix": "coeval.mapping.fai",
    "framework_matrix": "coeval.mapping.framework",
    "segment_polarity": "coeval.mapping.segment_polarity",
    "evidence_strength": "coeval.mapping.evidence",
    "site_differences": "coeval.mapping.sites",
    "disagreements": "coeval.agreement",
    "coder_matrix": "coeval.agreement",
    "perspectives": "coeval.agreement",
    "Report": "coeval.report",
    "ReportConfig": "coeval.report",
    "plain_language_checks": "coeval.report.plain",
    "CodingView": "coeval.workspace.widget",
}
# the package's folders and top-level modules, reachable as ``ce.<name>``
_SUBMODULES = {"errors", "model", "files", "learn", "privacy", "ingest", "codebook", "store", "coding", "agreement",
               "thematic", "mapping", "project", "interop", "report", "workspace", "cli"}
# where a submodule of earlier versions lives now (``ce.nlp`` still works; ``import coeval.nlp`` does not)
_MOVED = {"nlp": "coeval.learn.nlp", "suggest": "coeval.learn.suggester", "polarity": "coeval.learn.polarity",
          "clustering": "coeval.learn.clustering", "schema": "coeval.store.schema", "sheets": "coeval.coding.sheets",
          "suggestions": "coeval.coding.suggestions", "merging": "coeval.coding.merging",
          "curation": "coeval.thematic.curated", "qdc": "coeval.codebook.qdc", "safefiles": "coeval.files.archives",
          "frameworks": "coeval.codebook.frameworks", "plain": "coeval.report.plain"}

__all__ = sorted(_LAZY) + ["__version__"]


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f"coeval.{name}")
    if name in _MOVED:
        return importlib.import_module(_MOVED[name])
    raise AttributeError(f"module 'coeval' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY) | _SUBMODULES | set(_MOVED))
