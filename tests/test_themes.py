"""Co-occurrence, suggested themes, text clustering and polarity (work in progress on issue 5)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

import coeval as ce
from coeval.clustering import class_tfidf_terms, cluster_texts
from coeval.polarity import PolarityClassifier
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
    assert isinstance(G, nx.Graph) and G.graph == {"unit": "segment", "measure": "count"}
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
    assert clf.predict(texts) == ["barrier", "enabler", "mixed", "neutral", "barrier", "barrier", "enabler"]
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
    assert list(sp.columns) == ["segment_id", "document_id", "site", "speaker", "role", "codes", "polarity", "source"]
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
    from coeval.polarity import BARRIER_CUES

    text = "Everybody was worried about the Home Office and their case"
    assert PolarityClassifier().predict([text]) == ["barrier"]  # "worried" is general
    plain = "The Home Office letters again"
    assert PolarityClassifier().predict([plain]) == ["neutral"]
    extended = PolarityClassifier(barrier_cues=list(BARRIER_CUES) + ["the home office"])
    assert extended.predict([plain]) == ["barrier"]
    assert extended.explain(plain)["cue"].tolist() == ["the home office"]


def test_combined_themes_use_the_codes_as_well_as_the_words():
    from coeval.thematic import _code_tokens

    tokens = _code_tokens(["Transport", "Trust"])
    assert tokens == _code_tokens(["Transport", "Trust"]) and len(set(tokens.values())) == 2
    same_words = "we talked about it at the meeting for a while"
    texts = ([f"{same_words} {tokens['Transport']} {tokens['Transport']}"] * 4
             + [f"{same_words} {tokens['Trust']} {tokens['Trust']}"] * 4)
    assert cluster_texts(texts, n_themes=2, seed=0)["theme"].tolist() == [0] * 4 + [1] * 4
