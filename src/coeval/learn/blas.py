"""One BLAS thread for the linear models' fits.

OpenBLAS's worker threads spin while they wait for work. The solver of a linear model on sparse
word counts hands BLAS only short dense steps (the weights' norm, once per L-BFGS step), so the
waiting threads burn CPU and save no time: the sample's polarity fit took 1.2 s of CPU with two
threads and 0.35 s with one, in the same wall time. threadpoolctl (scikit-learn's own
dependency) sets the limit for the block only, so the caller's own numpy work keeps its threads.
"""

from __future__ import annotations

from contextlib import contextmanager

__all__ = ["one_blas_thread"]


@contextmanager
def one_blas_thread():
    """Run the block with one BLAS thread (OpenBLAS, MKL, BLIS alike), then restore the limits."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield
