"""Reading files safely: bytes to normalised text, and archives and XML that cannot blow up.

The ground floor for every reader (ingest, the codebook's formats, interop): it knows nothing
of documents or projects.
"""

from __future__ import annotations

from .archives import find_member, open_zip, parse_xml, read_member
from .textio import content_hash, decode_bytes, normalise_text, read_bytes, read_text

__all__ = ["content_hash", "decode_bytes", "normalise_text", "read_bytes", "read_text", "open_zip",
           "read_member", "find_member", "parse_xml"]
