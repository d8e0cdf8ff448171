"""Exchange with other qualitative-analysis tools: REFI-QDA projects and codebooks, QualCoder."""

from .qdpx import ImportReport, read_qdpx
from .qdpx_write import ExportReport, write_qdpx

__all__ = ["read_qdpx", "write_qdpx", "ImportReport", "ExportReport", "read_qualcoder"]


def read_qualcoder(path, **kwargs):
    """Read a QualCoder project; see :func:`coeval.interop.qualcoder.read_qualcoder`."""
    from .qualcoder import read_qualcoder as _read

    return _read(path, **kwargs)
