"""Agreement on a project: per-code table, units, groups, coder matrix, disagreements, perspectives."""

from __future__ import annotations

import numpy as np
import pytest

import coeval as ce
from coeval.agreement import cohen_kappa, gwet_ac1, krippendorff_alpha, percent_agreement

from conftest import write

VTT = "WEBVTT\n\n" + "".join(
    f"00:00:{i:02d}.000 --> 00:00:{i:02d}.900\n{'Ann Lee' if i % 2 else 'Bob Ray'}: sentence number {i} here.\n\n"
    for i in range(10))


@pytest.fixture
def proj(tmp_path):
    p = ce.Project()
    p.ingest(write(tmp_path / "w.vtt", VTT), progress=False)
    p.codebook = ce.Codebook.template("coeval")
    p.add_coder("amina", "peer_researcher")
    p.add_coder("helen", "academic")
    p.add_coder("grace", "community_coordinator")
    # transport: amina segments 1-4, helen 1-3 and 5; grace 1-4
    for s in (1, 2, 3, 4):
        p.code(f"w:{s}", "Transport and travel costs", coder="amina")
        p.code(f"w:{s}", "Transport and travel costs", coder="grace")
    for s in (1, 2, 3, 5):
        p.code(f"w:{s}", "Transport and travel costs", coder="helen")
    # trust: only amina and helen, on different segments
    p.code("w:7", "Trust and relationships", coder="amina", memo="maybe")
    p.code("w:8", "Trust and relationships", coder="helen")
    return p


def _reliability(p, code, coders):
    """Segment-level data built by hand, to check the table against the plain functions."""
    segs = p.segments["segment_id"].tolist()
    codings = p.codings
    return [[1 if ((codings["coder"] == c) & (codings["code"] == code) & (codings["segment_id"] == s)).any()
             else 0 for s in segs] for c in coders]


def test_table_values_match_the_plain_functions(proj):
    table = ce.agreement(proj)
    assert list(table.columns) == ["code", "n_units", "n_coders", "uses", "prevalence", "percent_agreement", "kappa",
                                   "alpha", "ac1", "band", "warning", "round", "rule"]
    row = table.set_index("code").loc["Transport and travel costs"]
    data = _reliability(proj, "Transport and travel costs", ["amina", "grace", "helen"])
    assert row["n_units"] == 10 and row["n_coders"] == 3 and row["uses"] == 12
    assert row["alpha"] == pytest.approx(krippendorff_alpha(data))
    assert row["percent_agreement"] == pytest.approx(percent_agreement(data))
    assert row["ac1"] == pytest.approx(gwet_ac1(data, n_categories=2))
    pairs = [(0, 1), (0, 2), (1, 2)]
    assert row["kappa"] == pytest.approx(np.mean([cohen_kappa(data[i], data[j]) for i, j in pairs]))
    assert row["prevalence"] == pytest.approx(12 / 30)
    assert table["code"].iloc[-1] == "(all codes)"
    assert table.set_index("code").loc["Trust and relationships", "band"] == "unreliable"


def test_character_unit_counts_every_character(proj):
    table = ce.agreement(proj, unit="character", coders=["amina", "helen"]).set_index("code")
    doc = proj.document("w")
    length = len(doc.text)
    covered = {c: np.zeros(length, bool) for c in ("amina", "helen")}
    for r in proj.codings.itertuples():
        if r.code == "Transport and travel costs" and r.coder in covered:
            covered[r.coder][r.start:r.end] = True
    a, h = covered["amina"].astype(int), covered["helen"].astype(int)
    row = table.loc["Transport and travel costs"]
    assert row["n_units"] == length
    assert row["kappa"] == pytest.approx(cohen_kappa(a, h))
    assert row["alpha"] == pytest.approx(krippendorff_alpha([a, h]))


def test_coders_who_did_not_code_a_document_are_missing_not_no(proj, tmp_path):
    proj.ingest(write(tmp_path / "x.vtt", VTT.replace("sentence", "phrase")), progress=False)
    proj.code("x:1", "Transport and travel costs", coder="amina")  # only amina coded x
    table = ce.agreement(proj).set_index("code")
    assert table.loc["Transport and travel costs", "n_units"] == 10  # x has one coder: not a shared unit


def test_by_role_and_by_document(proj):
    by_role = ce.agreement(proj, by="role")
    assert set(by_role["group"]) == {"academic vs community_coordinator", "academic vs peer_researcher",
                                     "community_coordinator vs peer_researcher"}
    pair = by_role[(by_role["group"] == "community_coordinator vs peer_researcher")].set_index("code")
    assert pair.loc["Transport and travel costs", "alpha"] == pytest.approx(1.0)
    by_doc = ce.agreement(proj, by="document")
    assert set(by_doc["group"]) == {"w"}


def test_coder_matrix_is_symmetric(proj):
    m = ce.coder_matrix(proj)
    assert list(m.index) == ["amina", "grace", "helen"]
    assert np.allclose(m.to_numpy(), m.to_numpy().T) and (np.diag(m) == 1).all()
    assert m.loc["amina", "grace"] > m.loc["amina", "helen"]


def test_disagreements_list_segments_with_text_and_memos(proj, tmp_path):
    d = ce.disagreements(proj)
    assert list(d.columns) == ["document_id", "segment_id", "site", "speaker", "code", "applied_by",
                               "not_applied_by", "memos", "text"]
    trust = d[d["code"] == "Trust and relationships"]
    assert trust["segment_id"].tolist() == ["w:7", "w:8"]
    assert trust.iloc[0]["applied_by"] == "amina" and trust.iloc[0]["not_applied_by"] == "grace; helen"
    assert trust.iloc[0]["memos"] == "amina: maybe" and trust.iloc[0]["text"] == "sentence number 6 here."
    transport = d[d["code"] == "Transport and travel costs"]
    assert transport["segment_id"].tolist() == ["w:4", "w:5"]
    only = ce.disagreements(proj, code="Trust and relationships")
    assert set(only["code"]) == {"Trust and relationships"}
    path = ce.agreement.export_disagreements(proj, tmp_path / "d.xlsx")
    from openpyxl import load_workbook

    header = [c.value for c in load_workbook(path)["Disagreements"][1]]
    assert header[-3:] == ["decision", "other_code", "notes"]


def test_perspectives_compares_roles(proj):
    p = ce.perspectives(proj)
    row = p.set_index("code").loc["Transport and travel costs"]
    assert (row["uses_a"], row["seen_a"], row["uses_b"], row["seen_b"]) == (4, 10, 8, 20)
    assert row["rate_a"] == pytest.approx(0.4) and row["ratio"] == pytest.approx(1.0)
    # Benjamini-Hochberg over the codes compared, and said
    from scipy.stats import false_discovery_control

    tested = p.dropna(subset=["p_value"])
    assert np.allclose(tested["p_adjusted"], false_discovery_control(tested["p_value"].to_numpy(), method="bh"))
    assert "Benjamini-Hochberg" in p.attrs["correction"] and p.attrs["units"] == 10


def test_perspectives_average_per_coder_on_units_both_groups_coded(tmp_path):
    p = ce.Project()
    p.ingest(write(tmp_path / "w.vtt", VTT), progress=False)
    p.codebook = ce.Codebook.template("coeval")
    for name, role in (("AC", "academic"), ("PR", "peer_researcher"), ("CC", "community_coordinator")):
        p.add_coder(name, role)
    segs = p.segments["segment_id"].tolist()
    assert len(segs) == 10
    p.assign("AC", ["w"])
    p.assign("PR", segments=segs[:5])   # the community coders each saw half the passages
    p.assign("CC", segments=segs[5:])
    for s in segs:                      # the academic applies the code everywhere
        p.code(s, "Trust and relationships", coder="AC")
    for s in segs[:5]:                  # PR on all of theirs, CC on none of theirs
        p.code(s, "Trust and relationships", coder="PR")
    for name in ("AC", "PR", "CC"):
        p.mark_done(name)
    row = ce.perspectives(p).set_index("code").loc["Trust and relationships"]
    # per coder: PR 5/5, CC 0/5 -> 0.5 for the community; pooled it would also be 5/10,
    # but the academic's rate counts only the 10 units the community saw
    assert (row["seen_a"], row["seen_b"]) == (10, 10)
    assert row["rate_a"] == pytest.approx(1.0) and row["rate_b"] == pytest.approx(0.5)


def test_the_sample_shows_real_differences_between_codes(sample_dir):
    p = ce.Project()
    p.ingest(sample_dir, progress=False)
    table = ce.agreement(p).set_index("code")
    assert table.loc["Interpreters and translation", "alpha"] > 0.8
    assert table.loc["Power and ownership of findings", "alpha"] < 0.5
    assert set(table["band"]) >= {"reliable", "unreliable"}
    assert len(ce.disagreements(p)) > 50
    persp = ce.perspectives(p)
    assert (persp["more_by"] == "academic").any()


def test_codings_are_placed_on_segments_as_a_one_by_one_overlap_test_would(tmp_path):
    """collect_units places every coding of every document at once (a binary search over
    (document, offset) keys); each unit's values are checked against the overlaps counted one by one."""
    from coeval.agreement.units import collect_units

    p = ce.Project()
    for d in range(3):
        p.ingest(write(tmp_path / f"d{d}.vtt", VTT.replace("sentence", f"record {d} line")), progress=False)
    p.codebook = ce.Codebook.template("coeval")
    codes = ["Transport and travel costs", "Trust and relationships", "Payment problems"]
    segs = p.segments
    rng = np.random.default_rng(3)
    for coder in ("amina", "helen"):
        p.add_coder(coder, "academic")
        for _ in range(40):   # spans over one or more segments, starting and ending anywhere
            doc = f"d{rng.integers(0, 3)}"
            length = int(segs.loc[segs["document_id"] == doc, "end"].max())
            start = int(rng.integers(0, length - 1))
            p.code((doc, start, int(min(length, start + rng.integers(1, 60)))), codes[rng.integers(0, 3)],
                   coder=coder)
    units, info = collect_units(p, None, "segment")
    kept, codings = info["segments"], p.codings
    assert len(kept) == len(segs) and info["coders"] == ["amina", "helen"]
    for code in units.codes:
        values, _weights = units.get(code)
        for i, coder in enumerate(info["coders"]):
            mine = codings[(codings["code"] == code) & (codings["coder"] == coder)]
            expected = [int(((mine["document_id"] == seg.document_id) & (mine["start"] < seg.end)
                             & (mine["end"] > seg.start)).any()) for seg in kept.itertuples()]
            assert values[i].tolist() == expected, (code, coder)
