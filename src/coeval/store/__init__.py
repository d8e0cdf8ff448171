"""The project store: schema and migrations, documents and segments, the codebook, codings, coders, audit log.

One database per project (a SQLite file, in memory, or a database URL). Every write is one
transaction; nothing here analyses anything.
"""

from __future__ import annotations

from .ingesting import IngestResult
from .project import ProjectStore

__all__ = ["ProjectStore", "IngestResult"]
