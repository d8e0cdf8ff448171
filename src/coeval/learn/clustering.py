"""Clustering short texts into themes: ``cluster_texts`` works on plain lists of texts.

TF-IDF on lemmas (words and word pairs, English stop words out), reduced with LSA, clustered
with spherical k-means (k-means on unit vectors) from several seeded starts; the number of
themes is chosen by silhouette unless given. Each theme is labelled with its class-based
TF-IDF terms, and its most central texts are marked representative.
"""

from __future__ import annotations

import numpy as np

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


def _features(texts, *, seed: int, max_components: int = 100):
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    from .nlp import lemmatise

    lemmas = lemmatise([_clean(t) for t in texts])
    n = len(texts)
    vec = TfidfVectorizer(stop_words=_stop_words(), ngram_range=(1, 2), sublinear_tf=True,
                          min_df=2 if n >= 50 else 1, max_df=0.5 if n >= 20 else 1.0, token_pattern=_TOKEN)
    try:
        X = vec.fit_transform(lemmas)
    except ValueError:  # nothing left after stop words
        return lemmas, np.zeros((n, 1))
    k = int(min(max_components, X.shape[1] - 1, n - 1))
    if k >= 2:
        Z = TruncatedSVD(n_components=k, random_state=seed, algorithm="randomized", n_iter=5).fit_transform(X)
    else:
        Z = X.toarray()
    return lemmas, normalize(Z)


def _kmeans(Z, k: int, seed: int):
    from sklearn.cluster import KMeans, MiniBatchKMeans

    if len(Z) > 20_000:
        model = MiniBatchKMeans(n_clusters=k, random_state=seed, n_init=5, batch_size=4096)
    else:
        model = KMeans(n_clusters=k, random_state=seed, n_init=10)
    return model.fit_predict(Z), model.cluster_centers_


def _choose_k(Z, seed: int, k_max: int) -> int:
    from sklearn.metrics import silhouette_score

    n = len(Z)
    rng = np.random.default_rng(seed)
    sample = rng.choice(n, size=min(n, 3000), replace=False) if n > 3000 else np.arange(n)
    from threadpoolctl import threadpool_limits

    best_k, best = 2, -2.0
    # many small fits: one thread each is faster than thread start-up, and far faster on a busy machine
    with threadpool_limits(limits=1):
        for k in range(2, k_max + 1):
            labels, _ = _kmeans(Z[sample], k, seed)
            if len(set(labels)) < 2:
                continue
            score = silhouette_score(Z[sample], labels, metric="cosine")
            # prefer fewer themes unless more are clearly better (a steering group reads them)
            if score > best + 0.005:
                best_k, best = k, score
    return best_k


def cluster_texts(texts, n_themes: int | None = None, *, seed: int = 0, top_terms: int = 4):
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

    Returns
    -------
    pandas.DataFrame
        One row per text, in input order: ``text_index``, ``theme`` (0-based, the largest
        theme first), ``label`` (its top class-based TF-IDF terms, ``" / "``-joined),
        ``similarity`` (to the theme's centre), ``representative`` (among the three most
        central texts of the theme).

    Examples
    --------
    >>> out = cluster_texts(["the bus fare", "bus was late", "no bus", "interpreter helped",
    ...                      "we needed an interpreter", "the interpreter was great"], n_themes=2)
    >>> out["theme"].tolist()
    [0, 0, 0, 1, 1, 1]
    """
    import pandas as pd

    texts = ["" if t is None else str(t) for t in texts]
    n = len(texts)
    cols = ["text_index", "theme", "label", "similarity", "representative"]
    if n == 0:
        return pd.DataFrame(columns=cols)
    if n < 3:
        return pd.DataFrame({"text_index": range(n), "theme": 0, "label": "", "similarity": 1.0,
                             "representative": True}, columns=cols)
    lemmas, Z = _features(texts, seed=seed)
    if n_themes is None:
        k_max = int(max(2, min(15, np.sqrt(n / 2))))
        k = _choose_k(Z, seed, min(k_max, n - 1))
    else:
        k = int(max(1, min(n_themes, n)))
    labels, centres = _kmeans(Z, k, seed) if k > 1 else (np.zeros(n, dtype=int), Z.mean(axis=0, keepdims=True))
    # renumber: the largest theme first, ties by first appearance (deterministic)
    sizes = np.bincount(labels, minlength=k)
    first = {c: int(np.argmax(labels == c)) for c in range(k)}
    order = sorted(range(k), key=lambda c: (-sizes[c], first[c]))
    remap = {old: new for new, old in enumerate(order)}
    labels = np.array([remap[c] for c in labels])
    centres = centres[order]
    norms = np.linalg.norm(centres, axis=1, keepdims=True)
    unit_centres = centres / np.where(norms == 0, 1, norms)
    similarity = np.einsum("ij,ij->i", Z, unit_centres[labels])
    terms = class_tfidf_terms({c: [lemmas[i] for i in np.flatnonzero(labels == c)] for c in range(k)},
                              top=top_terms)
    representative = np.zeros(n, dtype=bool)
    for c in range(k):
        members = np.flatnonzero(labels == c)
        best = members[np.argsort(-similarity[members], kind="stable")[:3]]
        representative[best] = True
    return pd.DataFrame({"text_index": np.arange(n), "theme": labels,
                         "label": [" / ".join(terms[c]) for c in labels],
                         "similarity": np.round(similarity, 6), "representative": representative}, columns=cols)
