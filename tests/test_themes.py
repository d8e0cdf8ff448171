"""Co-occurrence, suggested themes, text clustering and polarity (work in progress on issue 5)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import coeval as ce
from coeval.learn.clustering import class_tfidf_terms, cluster_texts
from coeval.learn.polarity import PolarityClassifier
from coeval.thematic import THEME_COLUMNS, cooccurrence, cooccurrence_figure, themes


@pytest.fixture(scope="module")
def sample():
    from conftest import SAMPLE

    p = ce.Project()
    p.ingest(SAMPLE, progress=False)
    return p


BUS = ["the bus fare was too much", "two buses to get there and the fare", "no bus after six, the bus stop is far",
       "bus passes would help with the fare"]
TALK = ["the interpreter translated everything", "an interpreter for Romani speakers", "we needed an interpreter",
        "translation of the leaflet by the interpreter"]


def test_cluster_texts_finds_the_groups_and_labels_them():
    out = cluster_texts(BUS + TALK, seed=0)
    assert list(out.columns) == ["text_index", "theme", "label", "similarity", "representative"]
    assert out["theme"].tolist() in ([0] * 4 + [1] * 4, [1] * 4 + [0] * 4)
    labels = dict(zip(out["theme"], out["label"]))
    assert "bus" in labels[out["theme"].iloc[0]] and "interpreter" in labels[out["theme"].iloc[-1]]
    assert out.groupby("theme")["representative"].sum().tolist() == [3, 3]


def test_cluster_texts_is_deterministic_and_handles_tiny_input():
    texts = BUS + TALK + ["the hall was cold", "a freezing church hall", "the community cafe was warm"]
    assert cluster_texts(texts, seed=3).equals(cluster_texts(texts, seed=3))
    assert cluster_texts([]).empty
    assert cluster_texts(["one text"])["theme"].tolist() == [0]


def test_class_tfidf_prefers_distinctive_terms():
    terms = class_tfidf_terms({"a": ["bus fare bus ticket the"], "b": ["interpreter language the"]}, top=2)
    assert terms["a"][0] == "bus" and "the" not in terms["a"]


def test_cooccurrence_network(sample):
    G = cooccurrence(sample)
    assert isinstance(G, nx.Graph) and G.graph == {"unit": "segment", "measure": "count", "basis": "consensus"}
    node = G.nodes["Transport and travel costs"]
    assert node["polarity"] == "barrier" and node["segments"] > 0 and set(node["sites"]) <= {
        "Northside", "Riverside", "Millbrook", "Eastfield"}
    u, v, data = max(G.edges(data=True), key=lambda e: e[2]["weight"])
    assert data["weight"] == data["count"] >= 2
    J = cooccurrence(sample, measure="jaccard")
    assert all(0 < d["weight"] <= 1 for _, _, d in J.edges(data=True))
    A = cooccurrence(sample, measure="association", unit="document")
    assert A.graph["unit"] == "document" and A.number_of_edges() > 0
    fig = cooccurrence_figure(J)
    assert fig.axes and fig.axes[0].get_title().startswith("Codes used together")


@pytest.mark.parametrize("method", ["network", "text", "combined"])
def test_themes_structure_and_determinism(sample, method):
    first = themes(sample, method=method, seed=0)
    assert list(first.columns) == THEME_COLUMNS
    assert len(first) >= 3 and first["theme_id"].tolist()[:2] == ["T1", "T2"]
    assert first["n_segments"].is_monotonic_decreasing
    row = first.iloc[0]
    assert row["label"] and row["codes"] and set(row["representative_segments"]) <= set(row["segments"])
    assert set(first["polarity"]) <= {"barrier", "enabler", "mixed", "none"}
    again = themes(sample, method=method, seed=0)
    assert first[["label", "n_segments"]].equals(again[["label", "n_segments"]])


def test_network_themes_group_related_codes(sample):
    t = themes(sample, method="network", seed=0)
    together = [set(c) for c in t["codes"]]
    assert any({"Payment problems", "Benefits and payment rules"} <= s for s in together)


def test_polarity_rules_with_negation_contrast_and_wishes():
    clf = PolarityClassifier()
    texts = ["The bus fare was a real problem", "It wasn't hard at all", "At first it was hard, but then it got easier",
             "We met on Tuesday", "There wasn't much support", "I wish there had been a creche",
             "The interpreter really helped"]
    # issue 16: predict returns an array, and "at first X, but then Y" weighs the clause after "but"
    assert clf.predict(texts).tolist() == ["barrier", "enabler", "enabler", "neutral", "barrier", "barrier", "enabler"]
    why = clf.explain("It wasn't hard at all")
    assert why[["cue", "polarity", "negated"]].values.tolist() == [["hard", "enabler", True]]


def test_polarity_learns_from_a_projects_codings(sample):
    from sklearn.model_selection import StratifiedKFold

    cb = sample.codebook
    c = sample.codings
    c = c[c["coder"] == "AC-2"]
    pol = c.assign(p=[cb.get(x, retired=True).polarity for x in c["code"]]).groupby("segment_id")["p"].apply(set)
    pol = pol[pol.apply(lambda s: len(s - {"none"}) == 1 and s <= {"barrier", "enabler", "none"})]
    y = [next(iter(s - {"none"})) for s in pol]
    texts = sample.segments.set_index("segment_id").loc[pol.index, "text"].tolist()
    accs = []
    for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(texts, y):
        model = PolarityClassifier().fit([texts[i] for i in train], [y[i] for i in train])
        accs.append(np.mean([p == y[i] for p, i in zip(model.predict([texts[i] for i in test]), test)]))
    majority = max(y.count("barrier"), y.count("enabler")) / len(y)
    assert np.mean(accs) > majority + 0.05


def test_segment_polarity_from_codes_then_classifier(sample):
    from coeval.mapping import segment_polarity

    sp = segment_polarity(sample)
    assert list(sp.columns) == ["segment_id", "document_id", "site", "speaker", "role", "codes", "polarity", "source",
                                 "basis"]
    assert set(sp["polarity"]) <= {"barrier", "enabler", "mixed", "neutral"}
    from_codes = sp[sp["source"] == "codes"]
    only_barrier = from_codes[from_codes["codes"].map(lambda cs: cs == ["Transport and travel costs"])]
    assert (only_barrier["polarity"] == "barrier").all() and len(only_barrier) > 0
    assert (sp["source"] == "classifier").any()


def test_fai_matrix_structure(sample):
    from coeval.mapping import FAI_COLUMNS, fai_heatmap, fai_matrix, fai_wide

    f = ce.fai_matrix(sample)
    assert list(f.columns) == FAI_COLUMNS
    assert set(f["dimension"]) <= {"feasibility", "acceptability", "impact", "context"}
    row = f[(f["item"] == "Ethics and governance delays") & (f["dimension"] == "feasibility")
            & (f["polarity"] == "barrier")].iloc[0]
    assert row["segments"] >= 10 and row["sites"] >= 2 and 1 <= len(row["exemplars"]) <= 3
    wide = fai_wide(f)
    assert ("feasibility", "barrier") in wide.columns and wide.loc["Ethics and governance delays",
                                                                    ("feasibility", "barrier")] == row["segments"]
    by_theme = fai_matrix(sample, themes=themes(sample, seed=0))
    assert by_theme["item"].nunique() >= 3
    assert fai_heatmap(f).axes


def test_fai_matrices_in_one_pass_equal_each_alone_even_where_a_theme_is_named_as_a_code(sample):
    from coeval.mapping import fai_matrix, segment_polarity
    from coeval.mapping.fai import _matrices

    table = themes(sample, seed=0)
    table.loc[0, "label"] = "Ethics and governance delays"   # a code's name as a theme's title
    pol = segment_polarity(sample)
    together = _matrices(sample, [table, None], polarity=pol)
    alone = [fai_matrix(sample, themes=table, polarity=pol), fai_matrix(sample, polarity=pol)]
    for a, b in zip(together, alone):
        pd.testing.assert_frame_equal(a, b)
    assert "Ethics and governance delays" in set(together[0]["item"]) and len(together[0]) != len(together[1])


def test_framework_matrix_round_trip_through_excel(sample, tmp_path):
    from coeval.mapping import FRAMEWORK_COLUMNS, export_framework, framework_wide, read_framework

    fw = ce.framework_matrix(sample, by="site")
    assert list(fw.columns) == FRAMEWORK_COLUMNS
    assert set(fw["case"]) == {"Northside", "Riverside", "Millbrook", "Eastfield"}
    cell = fw.iloc[0]
    assert any(f"({s})" in cell["summary"] for s in cell["segment_ids"])
    wide = framework_wide(fw)
    assert wide.shape[0] == 4
    path = export_framework(fw, tmp_path / "fw.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb["Matrix"]["B2"] = "Edited by the team."
    wb.save(path)
    back = read_framework(path)
    assert (back["summary"] == "Edited by the team.").sum() == 1
    assert back["segment_ids"].tolist() == fw["segment_ids"].tolist()
    assert ce.framework_matrix(sample, by="site").equals(fw)  # deterministic


def test_codebook_cues_extend_the_polarity_lexicon():
    from coeval.learn.polarity import BARRIER_CUES

    text = "Everybody was worried about the Home Office and their case"
    assert PolarityClassifier().predict([text]).tolist() == ["barrier"]  # "worried" is general
    plain = "The Home Office letters again"
    assert PolarityClassifier().predict([plain]).tolist() == ["neutral"]
    extended = PolarityClassifier(barrier_cues=list(BARRIER_CUES) + ["the home office"])
    assert extended.predict([plain]).tolist() == ["barrier"]
    assert extended.explain(plain)["cue"].tolist() == ["the home office"]


def test_combined_themes_use_the_codes_as_well_as_the_words():
    from coeval.thematic.suggested import _code_tokens

    tokens = _code_tokens(["Transport", "Trust"])
    assert tokens == _code_tokens(["Transport", "Trust"]) and len(set(tokens.values())) == 2
    same_words = "we talked about it at the meeting for a while"
    texts = ([f"{same_words} {tokens['Transport']} {tokens['Transport']}"] * 4
             + [f"{same_words} {tokens['Trust']} {tokens['Trust']}"] * 4)
    assert cluster_texts(texts, n_themes=2, seed=0)["theme"].tolist() == [0] * 4 + [1] * 4


def _tiny_project(tmp_path, spread: bool):
    """Two sites; a 'Getting there' theme voiced by six people at both sites (or by one person at
    one site), and a 'Language' theme only at South."""
    from conftest import write

    for site in ("North", "South"):
        for k in range(3):
            write(tmp_path / f"{site}-{k}.txt", "\n".join(f"P{site}{j}: the bus fare was too much, said {j} at {k}"
                                                         for j in range(3)) + "\n")
    p = ce.Project()
    for site in ("North", "South"):
        p.ingest(sorted(tmp_path.glob(f"{site}-*.txt")), kind="transcript", site=site, progress=False)
    cb = ce.Codebook()
    cb.add("Transport costs", polarity="barrier", dimensions=["feasibility"])
    cb.add("Interpreters", polarity="enabler", dimensions=["acceptability"])
    p.codebook = cb
    p.add_coder("A", role="academic")
    for seg in p.segments.itertuples():
        if spread or (seg.site == "North" and seg.position == 0):
            p.code(seg.segment_id, "Transport costs", coder="A")
        elif seg.site == "South":
            p.code(seg.segment_id, "Interpreters", coder="A")
    p.themes.add("Getting there", ["Transport costs"], by="A")
    p.themes.add("Language", ["Interpreters"], by="A")
    return p


def test_evidence_strength_flags_one_voice_and_one_site(tmp_path):
    from coeval.mapping import EVIDENCE_COLUMNS, evidence_strength

    narrow = evidence_strength(_tiny_project(tmp_path / "a", spread=False)).set_index("label")
    assert list(narrow.reset_index()[EVIDENCE_COLUMNS[1:]].columns) == EVIDENCE_COLUMNS[1:]
    there = narrow.loc["Getting there"]
    assert there["participants"] == 1 and there["sites"] == ["North"]
    assert "one voice" in there["flags"] and "one site" in there["flags"] and there["strength"] == "limited"
    assert there["agreement_band"] == "unknown"  # one coder: nothing to compare
    wide = evidence_strength(_tiny_project(tmp_path / "b", spread=True)).set_index("label").loc["Getting there"]
    assert wide["participants"] == 6 and wide["n_sites"] == 2 and "one voice" not in wide["flags"]
    assert wide["strength"] != "limited"


def test_evidence_strength_agreement_is_theme_level(sample):
    from coeval.mapping import evidence_strength

    ev = evidence_strength(sample)
    assert len(ev) >= 3 and ev["agreement"].between(-1, 1).all()
    assert set(ev["strength"]) <= {"strong", "moderate", "limited"}
    # theme-level alpha merges codes: at least as high as the weakest of its codes' own alphas
    per_code = ce.agreement(sample).set_index("code")["alpha"]
    for row in ev.itertuples():
        assert row.agreement >= per_code.reindex(row.codes).min() - 1e-9
    assert ev.equals(evidence_strength(sample))


def test_site_differences_name_what_is_only_in_one_place(tmp_path):
    from coeval.mapping import DIFFERENCE_COLUMNS, site_differences

    diff = site_differences(_tiny_project(tmp_path, spread=False))
    assert list(diff.columns) == DIFFERENCE_COLUMNS
    assert len(diff) == 4  # 2 themes x 2 sites, zeros included
    lang = diff.set_index(["label", "case"])
    assert lang.loc[("Language", "South"), "difference"] == "only here"
    assert lang.loc[("Language", "North"), "difference"] == "absent here"
    assert lang.loc[("Language", "North"), "segments"] == 0
    assert 0 <= lang.loc[("Language", "South"), "p_value"] < 0.05


def test_cli_themes_writes_a_csv(tmp_path, capsys):
    from coeval.cli import main

    from conftest import SAMPLE

    out = tmp_path / "themes.csv"
    assert main(["themes", str(SAMPLE), "--out", str(out)]) == 0
    import pandas as pd

    table = pd.read_csv(out)
    assert {"theme_id", "label", "codes", "strength", "agreement"} <= set(table.columns)
    assert table["theme_id"].iloc[0] == "T1" and table["n_segments"].is_monotonic_decreasing
    assert "Suggested themes" in capsys.readouterr().out


def test_polarity_and_fai_cells_are_exactly_what_the_codes_say(tmp_path):
    """Hand-counted: the vectorised polarity and FAI give these numbers (the values the former
    segment-by-segment loops gave)."""
    from conftest import write

    p = ce.Project()
    p.ingest(write(tmp_path / "w.txt", "Ann Lee: The bus fare was too much.\nBob Ray: We felt so welcome there.\n"
                                       "Ann Lee: Fares again, but the welcome helped.\nBob Ray: We met on Tuesday.\n"),
             kind="transcript", site="North", progress=False)
    cb = ce.Codebook()
    cb.add("Fares", polarity="barrier", dimensions=["feasibility"])
    cb.add("Welcome", polarity="enabler", dimensions=["acceptability", "impact"])
    cb.add("Meetings")                                     # no polarity, no dimension
    p.codebook = cb
    p.add_coder("A", "academic")
    s = p.segments["segment_id"].tolist()
    for seg, codes in zip(s, (["Fares"], ["Welcome"], ["Fares", "Welcome"], ["Meetings"])):
        for code in codes:
            p.code(seg, code, coder="A")
    pol = ce.segment_polarity(p, classifier=PolarityClassifier())
    assert pol[["segment_id", "polarity", "source"]].values.tolist()[:3] == [
        [s[0], "barrier", "codes"], [s[1], "enabler", "codes"], [s[2], "mixed", "codes"]]
    assert pol["codes"].tolist()[2] == ["Fares", "Welcome"] and pol["source"].tolist()[3] == "classifier"
    fai = ce.fai_matrix(p, polarity=pol)
    cells = {(r.item, r.polarity, r.dimension): r.segments for r in fai.itertuples()}
    assert cells[("Fares", "barrier", "feasibility")] == 1 and cells[("Fares", "mixed", "feasibility")] == 1
    assert cells[("Welcome", "enabler", "acceptability")] == 1 and cells[("Welcome", "enabler", "impact")] == 1
    assert cells[("Welcome", "mixed", "impact")] == 1
    meeting = [k for k in cells if k[0] == "Meetings"]
    assert len(meeting) == 1 and meeting[0][2] == "context"          # no dimension: counted under context
    themed = ce.fai_matrix(p, polarity=pol, themes=pd.DataFrame({"label": ["Getting there and feeling welcome"],
                                                                  "codes": [["Fares", "Welcome"]]}))
    by_dim = themed.groupby("dimension")["segments"].sum().to_dict()
    assert by_dim == {"feasibility": 2, "acceptability": 2, "impact": 2}


def test_segment_polarity_fits_on_a_seeded_balanced_sample_of_a_large_project(sample, monkeypatch):
    import importlib

    module = importlib.import_module("coeval.mapping.segment_polarity")   # the module, not the function
    seen = []
    real_fit = PolarityClassifier.fit
    monkeypatch.setattr(PolarityClassifier, "fit", lambda self, texts, labels, **kw: (
        seen.append(list(labels)), real_fit(self, texts, labels, **kw))[1])
    monkeypatch.setattr(module, "FIT_AT_MOST", 40)
    first = ce.segment_polarity(sample)
    labels = seen[-1]
    assert len(labels) == 40 and labels.count("barrier") == labels.count("enabler") == 20
    assert ce.segment_polarity(sample).equals(first)   # seeded: the same sample, the same answers


def test_theme_segments_are_kept_per_table_until_a_write(tmp_path):
    """Asked for table A, then B, then A again: each answer is its own table's; a coding added
    afterwards is in the next answer; changing an answer changes nothing kept."""
    from coeval.thematic.in_use import theme_segments

    from conftest import write

    p = ce.Project()
    p.ingest(write(tmp_path / "w.txt", "Ann Lee: The bus fare was too much.\nBob Ray: We felt so welcome there.\n"
                                       "Ann Lee: Fares again, but the welcome helped.\nBob Ray: We met on Tuesday.\n"),
             kind="transcript", site="North", progress=False)
    cb = ce.Codebook()
    for name in ("Fares", "Welcome", "Meetings"):
        cb.add(name)
    p.codebook = cb
    p.add_coder("A", "academic")
    s = p.segments["segment_id"].tolist()
    for seg, code in ((s[0], "Fares"), (s[1], "Welcome"), (s[2], "Fares"), (s[2], "Welcome")):
        p.code(seg, code, coder="A")
    table_a = pd.DataFrame({"theme_id": ["T1", "T2"], "codes": [["Fares"], ["Welcome", "Meetings"]]})
    table_b = pd.DataFrame({"theme_id": ["T1"], "codes": [["Meetings"]]})
    first, _ = theme_segments(p, table_a)
    assert first == {"T1": [s[0], s[2]], "T2": [s[1], s[2]]}
    assert theme_segments(p, table_b)[0] == {"T1": []}
    first["T1"].append("changed by the caller")
    assert theme_segments(p, table_a)[0] == {"T1": [s[0], s[2]], "T2": [s[1], s[2]]}
    p.code(s[3], "Meetings", coder="A")
    assert theme_segments(p, table_a)[0] == {"T1": [s[0], s[2]], "T2": [s[1], s[2], s[3]]}
    assert theme_segments(p, table_b)[0] == {"T1": [s[3]]}
