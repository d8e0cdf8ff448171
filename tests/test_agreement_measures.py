"""Agreement measures against published worked examples and reference implementations."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from coeval.agreement import (
    bootstrap_alpha,
    brennan_prediger,
    category_counts,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    gwet_ac2,
    jaccard_distance,
    krippendorff_alpha,
    masi_distance,
    percent_agreement,
    scott_pi,
)
from coeval.errors import CoevalWarning

N = np.nan
# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", the 4 observers x 12 units example.
K2011 = [[1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
         [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
         [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
         [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N]]


@pytest.mark.parametrize("level, expected", [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849),
                                             ("ratio", 0.797)])
def test_alpha_matches_krippendorff_2011_at_every_level(level, expected):
    assert krippendorff_alpha(K2011, level) == pytest.approx(expected, abs=5e-4)


def test_alpha_matches_krippendorff_2011_binary_two_coders():
    # the same paper: two observers, ten units, binary data: alpha = 0.095
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert krippendorff_alpha([a, b]) == pytest.approx(0.095, abs=5e-4)


def test_labels_dataframes_and_none_work_like_numbers():
    labels = {1: "a", 2: "b", 3: "c", 4: "d", 5: "e"}
    as_labels = [[None if np.isnan(v) else labels[v] for v in row] for row in K2011]
    frame = pd.DataFrame(as_labels, index=["A", "B", "C", "D"])
    assert krippendorff_alpha(frame) == pytest.approx(krippendorff_alpha(K2011))
    assert krippendorff_alpha(as_labels, "ordinal") == pytest.approx(krippendorff_alpha(K2011, "ordinal"))


def test_fleiss_1971_example():
    # Fleiss (1971): 10 subjects, 14 raters, 5 categories; kappa = 0.210
    table = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
             [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]
    assert fleiss_kappa(table) == pytest.approx(0.210, abs=5e-4)


def test_cohen_textbook_example():
    # 50 proposals, two readers: yes/yes 20, yes/no 5, no/yes 10, no/no 15 -> po .70, pe .50, kappa .40
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    # Scott's pi pools the marginals: pe = .55^2 + .45^2 = .505 -> pi = .195 / .495
    assert scott_pi(a, b) == pytest.approx(0.195 / 0.495)


def test_gwet_coefficients_on_the_krippendorff_data():
    # Gwet's irrCAC (cac.raw4raters, the same data): pa = .8182, AC1 = .7754, Brennan-Prediger = .7727
    assert percent_agreement(K2011) == pytest.approx(0.8181818, abs=1e-6)
    assert gwet_ac1(K2011) == pytest.approx(0.7754, abs=5e-4)
    assert brennan_prediger(K2011) == pytest.approx(0.7727, abs=5e-4)
    assert gwet_ac2(K2011, weights="identity") == pytest.approx(gwet_ac1(K2011))
    # weights only ever add partial credit: weighted agreement is higher on ordered data
    assert gwet_ac2(K2011, weights="quadratic") > gwet_ac2(K2011, weights="linear") > gwet_ac1(K2011)


def test_number_of_categories_from_the_codebook_changes_chance():
    data = [["a", "a", "b", "a"], ["a", "a", "b", "b"]]
    assert brennan_prediger(data) == pytest.approx((0.75 - 0.5) / 0.5)
    assert brennan_prediger(data, categories=["a", "b", "c", "d"]) == pytest.approx((0.75 - 0.25) / 0.75)
    assert gwet_ac1(data, n_categories=4) > gwet_ac1(data)


def test_relations_between_measures():
    rng = np.random.default_rng(1)
    two = rng.integers(0, 3, size=(2, 200))
    # with two coders and complete data, Fleiss' kappa is Scott's pi
    assert fleiss_kappa(category_counts(two)) == pytest.approx(scott_pi(two))
    # and alpha = 1 - (2n - 1) / (2n) * (1 - pi)   (Krippendorff 2004)
    n = two.shape[1]
    assert krippendorff_alpha(two) == pytest.approx(1 - (2 * n - 1) / (2 * n) * (1 - scott_pi(two)))


@pytest.mark.parametrize("weights", [None, "linear", "quadratic"])
def test_cohen_matches_scikit_learn_on_random_data(weights):
    from sklearn.metrics import cohen_kappa_score

    rng = np.random.default_rng(7)
    for _ in range(20):
        a = rng.integers(0, 5, 80)
        b = np.where(rng.random(80) < 0.6, a, rng.integers(0, 5, 80))
        assert cohen_kappa(a, b, weights=weights) == pytest.approx(cohen_kappa_score(a, b, weights=weights),
                                                                    abs=1e-12)


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_alpha_matches_the_krippendorff_package_on_random_data(level):
    krippendorff = pytest.importorskip("krippendorff")
    rng = np.random.default_rng(3)
    for _ in range(10):
        data = rng.integers(1, 6, size=(4, 60)).astype(float)
        data[rng.random(data.shape) < 0.2] = np.nan
        assert krippendorff_alpha(data, level) == pytest.approx(
            krippendorff.alpha(reliability_data=data, level_of_measurement=level), abs=1e-9)


def test_set_valued_alpha():
    sets = [[{"a"}, {"a", "b"}, {"c"}, set()], [{"a"}, {"a"}, {"c", "d"}, set()]]
    value = krippendorff_alpha(sets, distance="jaccard")
    assert 0 < value < 1
    assert krippendorff_alpha([[{"a"}, {"b"}], [{"a"}, {"b"}]], distance="masi") == 1.0
    assert masi_distance({"a"}, {"a", "b"}) == pytest.approx(1 - 0.5 * 2 / 3)
    assert masi_distance({"a", "b"}, {"b", "c"}) == pytest.approx(1 - (1 / 3) * (1 / 3))
    assert jaccard_distance({"a", "b"}, {"b", "c"}) == pytest.approx(2 / 3)
    # singletons: set alpha with Jaccard is nominal alpha
    labels = [["x", "y", "x", "z"], ["x", "y", "y", "z"]]
    as_sets = [[{v} for v in row] for row in labels]
    assert krippendorff_alpha(as_sets, distance="jaccard") == pytest.approx(krippendorff_alpha(labels))


def test_undefined_is_nan_with_a_warning():
    with pytest.warns(CoevalWarning, match="undefined"):
        assert np.isnan(krippendorff_alpha([[1, 1, 1], [1, 1, 1]]))
    with pytest.warns(CoevalWarning):
        assert np.isnan(krippendorff_alpha([[1, 2, 3]]))
    with pytest.warns(CoevalWarning):
        assert np.isnan(cohen_kappa([1, None], [None, 2]))
    with pytest.warns(CoevalWarning):
        assert np.isnan(percent_agreement([[1, N], [N, 2]]))


def test_bootstrap_is_seeded_and_brackets_alpha():
    rng = np.random.default_rng(0)
    a = rng.integers(0, 3, 150)
    data = [a, np.where(rng.random(150) < 0.8, a, rng.integers(0, 3, 150))]
    first = bootstrap_alpha(data, n_boot=300, seed=5)
    again = bootstrap_alpha(data, n_boot=300, seed=5)
    assert first == again
    alpha, low, high = first
    assert low < alpha < high and alpha == pytest.approx(krippendorff_alpha(data))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert 0 <= first.p_below <= 1


# -- weighted coefficients, against Gwet's irrCAC vignettes ("Weighted Chance-corrected Agreement
#    Coefficients" and "overview", irrCAC 1.0): the data sets cont3x3abstractors and cac.raw4raters
def _abstractors():
    """cont3x3abstractors (rows abstractor 1, columns abstractor 2; N = 100) as two coders' ratings."""
    table = [[13, 0, 0], [0, 20, 7], [0, 4, 56]]
    a, b = [], []
    for i, row in enumerate(table, start=1):
        for j, n in enumerate(row, start=1):
            a += [i] * n
            b += [j] * n
    return a, b


RAW4RATERS = [[1, 2, 3, 3, 2, 1, 4, 1, 2, np.nan, np.nan, np.nan],
              [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, np.nan, np.nan],
              [np.nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 3],
              [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, np.nan]]


def test_weighted_two_coder_coefficients_match_irrcac():
    a, b = _abstractors()
    assert scott_pi(a, b) == pytest.approx(0.7962397, abs=5e-7)
    assert brennan_prediger([a, b]) == pytest.approx(0.835, abs=5e-7)
    assert scott_pi(a, b, weights="quadratic") == pytest.approx(0.8921093, abs=5e-7)
    assert cohen_kappa(a, b, weights="quadratic") == pytest.approx(0.8921569, abs=5e-7)
    assert brennan_prediger([a, b], weights="quadratic") == pytest.approx(0.9175, abs=5e-7)
    assert gwet_ac2([a, b], weights="quadratic") == pytest.approx(0.9402369, abs=5e-7)
    assert krippendorff_alpha([a, b], "interval") == pytest.approx(0.8926487, abs=5e-7)


def test_weighted_many_coder_coefficients_match_irrcac():
    cats = [1, 2, 3, 4, 5]
    assert gwet_ac2(RAW4RATERS, weights="quadratic", categories=cats) == pytest.approx(0.914, abs=5e-6)
    assert brennan_prediger(RAW4RATERS, weights="quadratic", categories=cats) == pytest.approx(0.90152, abs=5e-6)
    assert krippendorff_alpha(RAW4RATERS, "interval") == pytest.approx(0.84911, abs=5e-6)


def test_the_irrcac_weight_matrices():
    from coeval.agreement.measures import _weight_matrix

    printed = {"radical": 0.2928932, "linear": 0.5, "ordinal": 0.6666667, "quadratic": 0.75, "circular": 0.0,
               "bipolar": 0.6666667}
    for name, off in printed.items():
        w = _weight_matrix([1, 2, 3], name, 3)
        assert np.allclose(np.diag(w), 1) and w[0, 2] == pytest.approx(0.0, abs=1e-9)
        assert w[0, 1] == pytest.approx(off, abs=5e-7) and np.allclose(w, w.T)
    with pytest.raises(ValueError, match="weights must be one of"):
        _weight_matrix([1, 2, 3], "cubic", 3)
