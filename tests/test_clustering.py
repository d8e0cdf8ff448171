"""Text themes: word overlap plus static word vectors, spherical k-means, the number of themes."""

from __future__ import annotations

import numpy as np
import pytest

from coeval.errors import CoevalError
from coeval.learn import word_vectors
from coeval.learn.clustering import _cosine_silhouette, _spherical_kmeans, _unit, cluster_texts
from coeval.learn.word_vectors import WordVectors, sif_embed, sif_weights

# no two texts share a content word: only what the words mean can group them
VEHICLES = ["the lorry broke down", "a truck blocked the road", "my van needed a mechanic", "the bus was cancelled",
            "our car had a flat tyre"]
MEDICINE = ["the doctor was kind", "a physician explained it", "my surgeon operated", "the nurse listened",
            "the pharmacist advised"]
SEPARATED = (["bus fare ticket travel journey route"] * 11 + ["interpreter translate language english urdu"] * 11
             + ["childcare creche nursery children baby"] * 11)


def _toy_vectors() -> WordVectors:
    """Hand-made 2-d vectors: vehicles point one way, medical staff the other."""
    words = ["lorry", "truck", "van", "bus", "car", "doctor", "physician", "surgeon", "nurse", "pharmacist"]
    matrix = np.array([[1.0, 0.1 * i] for i in range(5)] + [[0.1 * i, 1.0] for i in range(5)], dtype=np.float32)
    return WordVectors("toy-2d", {w: i for i, w in enumerate(words)}, matrix)


def _groups(out, n_first: int) -> tuple[set, set]:
    themes = out["theme"].tolist()
    return set(themes[:n_first]), set(themes[n_first:])


def test_same_seed_same_themes_and_another_seed_still_a_valid_partition():
    texts = VEHICLES + MEDICINE + ["the hall was cold", "a freezing church hall", "the community cafe was warm"]
    first, again = cluster_texts(texts, seed=3, vectors=_toy_vectors()), cluster_texts(texts, seed=3,
                                                                                       vectors=_toy_vectors())
    assert first.equals(again) and first.attrs == again.attrs
    other = cluster_texts(texts, seed=4, vectors=_toy_vectors())
    assert list(other.columns) == list(first.columns) and other["text_index"].tolist() == list(range(len(texts)))
    assert sorted(other["theme"].unique()) == list(range(other["theme"].nunique()))


def test_texts_sharing_no_words_meet_through_their_vectors():
    out = cluster_texts(VEHICLES + MEDICINE, n_themes=2, seed=0, vectors=_toy_vectors())
    vehicles, medicine = _groups(out, len(VEHICLES))
    assert len(vehicles) == len(medicine) == 1 and vehicles != medicine
    # ten of the 21 content words ("broke", "road", "kind"... are not in the toy table)
    assert out.attrs["representation"] == "tfidf-lsa9+toy-2d-sif" and out.attrs["vector_coverage"] == round(10 / 21, 4)


def test_glove_links_lorry_and_truck_doctor_and_physician():
    pytest.importorskip(word_vectors.GLOVE_PACKAGE)
    texts = VEHICLES + MEDICINE
    out = cluster_texts(texts, n_themes=2, seed=0, vectors="glove")
    vehicles, medicine = _groups(out, len(VEHICLES))
    assert len(vehicles) == len(medicine) == 1 and vehicles != medicine
    assert out.attrs["representation"] == "tfidf-lsa9+glove-6B-50d-sif" and out.attrs["note"] == ""
    # the vectors themselves: a lorry is nearer a truck than a physician
    found, rows = word_vectors.glove().rows(["lorry", "Truck", "physician", "zzzqxw"])
    assert found.tolist() == [True, True, True, False]
    unit = _unit(rows)
    assert unit[0] @ unit[1] > 0.7 > unit[0] @ unit[2]
    assert word_vectors.glove() is word_vectors.glove()  # loaded once per process


def test_without_the_vectors_auto_falls_back_to_word_overlap(monkeypatch):
    monkeypatch.setattr(word_vectors, "glove", lambda: None)
    texts = VEHICLES + MEDICINE
    auto = cluster_texts(texts, n_themes=2, seed=0)
    assert auto.attrs["representation"] == "tfidf-lsa9"
    assert "coeval[vectors]" in auto.attrs["note"] and auto.attrs["vector_coverage"] == 1.0
    none = cluster_texts(texts, n_themes=2, seed=0, vectors=None)
    assert none["theme"].equals(auto["theme"]) and none.attrs["note"] == ""
    with pytest.raises(CoevalError, match="not installed"):
        cluster_texts(texts, vectors="glove")
    with pytest.raises(ValueError, match="vectors must be"):
        cluster_texts(texts, vectors="word2vec")


@pytest.mark.parametrize("vectors", [None, "toy"])
def test_silhouette_finds_three_clearly_separated_themes(vectors):
    # 33 texts: up to 4 themes are tried (about sqrt(n / 2))
    out = cluster_texts(SEPARATED, seed=0, vectors=_toy_vectors() if vectors else None)
    assert out["theme"].tolist() == [0] * 11 + [1] * 11 + [2] * 11
    assert out["label"].iloc[0].startswith(("bus", "fare", "ticket", "travel", "journey", "route"))
    assert np.allclose(out["similarity"], 1.0)


def test_sif_weights_are_a_over_a_plus_relative_frequency():
    # p(w) = 1/10, 3/10, 6/10
    assert np.allclose(sif_weights([1, 3, 6], a=0.1), [0.1 / 0.2, 0.1 / 0.4, 0.1 / 0.7])
    assert np.allclose(sif_weights([0, 0]), [1.0, 1.0])  # an empty corpus: nothing down-weighted


def test_sif_embedding_is_the_weighted_mean_direction():
    import scipy.sparse as sp

    vectors = WordVectors("toy", {"rare": 0, "common": 1}, np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32))
    # text 0: "rare common"; text 1: "common common common"; text 2: an unknown word only
    counts = sp.csr_matrix(np.array([[1, 1, 0], [0, 3, 0], [0, 0, 2]], dtype=float))
    emb, coverage = sif_embed(counts, ["rare", "common", "unknown"], vectors, a=0.1)
    w_rare, w_common = 0.1 / (0.1 + 1 / 7), 0.1 / (0.1 + 4 / 7)
    expected = np.array([w_rare, w_common]) / np.hypot(w_rare, w_common)
    assert np.allclose(emb[0], expected) and np.allclose(emb[1], [0, 1]) and np.allclose(emb[2], [0, 0])
    assert coverage == pytest.approx(5 / 7)


def test_cosine_silhouette_matches_scikit_learn():
    from sklearn.metrics import silhouette_score

    rng = np.random.default_rng(0)
    Z = _unit(rng.normal(size=(200, 8)))
    Z[3] = 0  # a text with no features
    labels = rng.integers(0, 4, 200)
    labels[7] = 4  # a theme of one text scores 0
    assert _cosine_silhouette(Z, labels, 5) == pytest.approx(silhouette_score(Z, labels, metric="cosine"))


def test_spherical_kmeans_centres_are_unit_and_each_text_is_nearest_its_own():
    rng = np.random.default_rng(1)
    Z = _unit(np.vstack([rng.normal([5, 0, 0], 1, (30, 3)), rng.normal([0, 5, 0], 1, (30, 3))]))
    labels, centres = _spherical_kmeans(Z, 2, seed=0)
    assert np.allclose(np.linalg.norm(centres, axis=1), 1)
    assert (labels == (Z @ centres.T).argmax(axis=1)).all()
    assert len(set(labels[:30])) == len(set(labels[30:])) == 1 and labels[0] != labels[30]


def test_missing_texts_are_empty_not_the_word_nan():
    texts = ["the bus was late", "no bus on sunday", "the bus fare", "we needed an interpreter",
             "the interpreter was great", "an interpreter came", float("nan"), float("nan"), None]
    out = cluster_texts(texts, n_themes=2, vectors=False)
    assert not any("nan" in label.split() for label in out["label"])
    with pytest.raises(TypeError, match="list of texts"):
        cluster_texts("the bus was late")
