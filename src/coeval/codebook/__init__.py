"""The codebook: a tree of codes, its formats (YAML, CSV, REFI-QDA .qdc) and built-in framework templates.

It works on its own, without a project (``ce.Codebook.template("tfa")``); a project stores one
and writes every change through (see :mod:`coeval.store`).
"""

from __future__ import annotations

from .formats import CODE_FIELDS
from .tree import Codebook, CodeEntry

__all__ = ["Codebook", "CodeEntry", "CODE_FIELDS"]
