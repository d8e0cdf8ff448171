"""Privacy: the roster, the pseudonymiser, and detectors for names and contact details.

Participants' names never reach a project: ingest passes every text through a
:class:`Pseudonymiser` built from a :class:`Roster`; the report's privacy gate checks what is
about to be shared with :func:`find_identifiers`.
"""

from __future__ import annotations

from .identifiers import find_identifiers, name_hash
from .labels import role_from_hint, split_label
from .pseudonymiser import Pseudonymiser, warn_once, write_key
from .roster import Person, Roster

__all__ = ["Person", "Roster", "Pseudonymiser", "role_from_hint", "split_label", "write_key", "name_hash",
           "find_identifiers", "warn_once"]
