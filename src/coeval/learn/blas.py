"""One thread for the estimators' numerical libraries, for a block.

OpenBLAS's worker threads spin while they wait for work, and the fits here hand BLAS small steps:
the solver of a linear model on sparse word counts uses BLAS only for short dense ones (the
weights' norm, once per L-BFGS step), and the themes' SVD and k-means work on thin matrices
(n x 100). The waiting threads burn CPU and save no time: the sample's polarity fit took 1.2 s
of CPU with two threads and 0.35 s with one, in the same wall time; on a busy machine the SVD
and k-means ran several times slower. threadpoolctl (scikit-learn's own dependency) sets the
limit for the block only, so the caller's own numpy work keeps its threads.
"""

from __future__ import annotations

import importlib
from contextlib import contextmanager

__all__ = ["one_blas_thread"]


@contextmanager
def one_blas_thread(*modules: str, user_api: str | None = "blas"):
    """Run the block with one thread, then restore the limits.

    Parameters
    ----------
    *modules : str
        Modules to import first: a limit covers only the libraries already loaded (SciPy's
        BLAS is always loaded here).
    user_api : {"blas", None}
        ``"blas"``: BLAS only (OpenBLAS, MKL, BLIS alike); None: OpenMP too.
    """
    from threadpoolctl import threadpool_limits

    for name in ("scipy.linalg", *modules):
        importlib.import_module(name)
    with threadpool_limits(limits=1, user_api=user_api):
        yield
