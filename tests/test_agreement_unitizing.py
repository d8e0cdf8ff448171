"""Unitized alpha against the published worked examples."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coeval.agreement import unitized_alpha
from coeval.agreement.unitizing import _delta2
from coeval.errors import CoevalError, CoevalWarning

# Krippendorff (2004, p. 254): two observers on [150, 450), codes c and k.
K2004 = pd.DataFrame([(0, 225, 295, "c"), (0, 370, 400, "c"), (1, 220, 300, "c"), (1, 355, 375, "c"),
                      (1, 400, 420, "c"), (0, 180, 240, "k"), (0, 300, 350, "k"), (1, 180, 240, "k"),
                      (1, 300, 350, "k")], columns=["coder", "start", "end", "code"])


def test_krippendorff_2004_worked_example():
    table = unitized_alpha(K2004, (150, 450), per_code=True).set_index("code")
    assert table.loc["c", "d_o"] == pytest.approx(0.0144, abs=1e-4)
    assert table.loc["c", "d_e"] == pytest.approx(0.0532, abs=1e-4)
    assert table.loc["c", "alpha"] == pytest.approx(0.7286, abs=1e-4)
    assert table.loc["k", "d_o"] == 0 and table.loc["k", "d_e"] == pytest.approx(0.0490, abs=1e-4)
    assert table.loc["k", "alpha"] == 1.0
    # the book prints .8591 from intermediates rounded to 4 places; exactly it is .858665
    assert unitized_alpha(K2004, (150, 450)) == pytest.approx(0.8591, abs=5e-4)
    assert unitized_alpha(K2004, (150, 450)) == pytest.approx(7925853267 / 9230432738, abs=1e-12)
    assert unitized_alpha(K2004, (150, 450), code="c") == pytest.approx(201615 / 276716, abs=1e-12)


@pytest.mark.parametrize("a, b, expected", [
    ((5, 11, True), (4, 6, True), 26), ((5, 11, True), (5, 7, True), 16), ((5, 11, True), (6, 8, True), 10),
    ((5, 11, True), (7, 9, True), 8), ((5, 11, True), (6, 10, True), 2),
    ((2, 5, False), (2, 4, True), 4), ((5, 11, True), (4, 11, False), 36), ((5, 11, True), (6, 11, False), 0)])
def test_distance_between_sections(a, b, expected):
    # DKPro's distance vectors: (offset, length) -> [offset, offset + length)
    assert _delta2(a, b) == expected


def test_one_long_unit_against_three_short_ones():
    units = [(0, 1, 9, "x"), (1, 2, 3, "x"), (1, 4, 5, "x"), (1, 6, 7, "x")]
    table = unitized_alpha(units, (0, 10), per_code=True)
    assert table.loc[0, "d_o"] == pytest.approx(0.91)
    assert table.loc[0, "d_e"] == pytest.approx(0.5351, abs=1e-4)
    assert table.loc[0, "alpha"] == pytest.approx(-1012 / 1445)


def test_single_unit_and_silent_coders():
    assert unitized_alpha([(0, 5, 6, "x")], (0, 20), coders=[0, 1, 2]) == pytest.approx(0.0)
    with pytest.warns(CoevalWarning, match="no units"):
        assert np.isnan(unitized_alpha(pd.DataFrame(columns=["coder", "start", "end", "code"]), (0, 20),
                                       coders=[0, 1, 2]))


# Krippendorff (2019, Figure 12.11): three observers, L = 60, 1-based inclusive positions.
ALEX = [(1, 7, 1), (8, 13, 2), (31, 32, 5), (33, 37, 6), (38, 44, 6), (45, 60, 7)]
PAUL = [(1, 7, 1), (8, 13, 3), (14, 21, 5), (33, 44, 6)]
SUZAN = [(1, 7, 1), (8, 13, 4), (14, 21, 5), (33, 37, 6), (38, 41, 6), (42, 44, 6)]
K2019 = pd.DataFrame([(who, s - 1, e, v) for who, spans in (("Alex", ALEX), ("Paul", PAUL), ("Suzan", SUZAN))
                      for s, e, v in spans], columns=["coder", "start", "end", "code"])


def test_krippendorff_2019_u_alpha_and_binary_u_alpha():
    assert unitized_alpha(K2019, (0, 60), version="2016") == pytest.approx(0.510, abs=5e-4)
    assert unitized_alpha(K2019, (0, 60), version="2016") == pytest.approx(16349 / 32058, abs=1e-12)
    assert unitized_alpha(K2019, (0, 60), version="2016", binary=True) == pytest.approx(144038 / 348255, abs=1e-12)


def test_bad_input():
    with pytest.raises(CoevalError, match="at least two coders"):
        unitized_alpha([(0, 1, 2, "x")], (0, 10))
    with pytest.raises(CoevalError, match="outside the continuum"):
        unitized_alpha([(0, 1, 20, "x"), (1, 1, 2, "x")], (0, 10))
    with pytest.raises(CoevalError, match="overlapping units"):
        unitized_alpha([(0, 1, 5, "x"), (0, 3, 6, "x"), (1, 1, 2, "x")], (0, 10))
    with pytest.raises(CoevalError, match="columns coder, start, end, code"):
        unitized_alpha(pd.DataFrame({"who": [1]}), (0, 10))
