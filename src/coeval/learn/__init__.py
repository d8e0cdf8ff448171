"""Learning on plain texts: code suggestions, barrier/enabler polarity, text clusters, and spaCy.

The estimators here take lists of strings (and labels) and know nothing of projects, so they
work inside or outside one. :mod:`coeval.learn.nlp` is the one module that builds spaCy
pipelines. Nothing is imported until it is used.
"""

from __future__ import annotations

import importlib

__all__ = ["CodeSuggester", "PolarityClassifier", "cluster_texts", "nlp"]

_WHERE = {"CodeSuggester": ".suggester", "PolarityClassifier": ".polarity", "cluster_texts": ".clustering"}


def __getattr__(name: str):
    # scikit-learn loads with the estimators; ``import coeval.learn.nlp`` must not pay for it
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name], __name__), name)
    if name == "nlp":
        return importlib.import_module(".nlp", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
