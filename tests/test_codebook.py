"""The codebook: tree, validation with line numbers, YAML/CSV round trips, history, templates."""

from __future__ import annotations

import pytest

import coeval as ce
from coeval.errors import CodebookError, NotFoundError

from conftest import write

YAML = """\
name: Test codebook
codes:
  - name: Feasibility
    dimensions: [feasibility]
    children:
      - name: Transport
        polarity: barrier
        dimensions: [feasibility]
        definition: "Getting there: buses, fares, distance."
        cues: [bus fare, "bus, late"]
      - name: Flexible timing
        polarity: enabler
  - name: Trust
    polarity: mixed
    dimensions: acceptability; context
"""


def test_yaml_tree_and_lookups():
    cb = ce.Codebook.from_yaml(YAML)
    assert cb.name == "Test codebook" and len(cb) == 4
    assert [c.name for c in cb.ordered()] == ["Feasibility", "Transport", "Flexible timing", "Trust"]
    assert cb.path("transport") == "Feasibility / Transport"
    assert cb["Transport"].cues == ("bus fare", "bus, late")  # commas inside cues are kept
    assert cb["Trust"].dimensions == ("acceptability", "context")
    assert [c.name for c in cb.children("Feasibility")] == ["Transport", "Flexible timing"]
    assert cb.depth("Transport") == 1
    with pytest.raises(NotFoundError, match="Did you mean 'Transport'"):
        cb.get("Transprot")


@pytest.mark.parametrize("text, words, line", [
    ("name: x\ncodes:\n  - name: A\n  - name: a\n", "two codes named 'a'", 4),
    ("name: x\ncodes:\n  - name: A\n    polarity: good\n", "unknown polarity 'good'", 3),
    ("name: x\ncodes:\n  - name: A\n    dimensions: [cost]\n", "unknown dimension 'cost'", 3),
    ("name: x\ncodes:\n  - name: A\n    parent: Nope\n", "unknown parent 'Nope'", 3),
    ("name: x\ncodes:\n  - name: A\n    colour_scheme: red\n", "unknown key 'colour_scheme'", 4),
    ("name: x\ncodes:\n  - name: A\n  definition: [unclosed\n", "not valid YAML", None),
    ("name: x\n", "no 'codes' list", 1),
])
def test_yaml_errors_name_the_line(text, words, line):
    with pytest.raises(CodebookError) as info:
        ce.Codebook.from_yaml(text)
    assert words in str(info.value)
    if line is not None:
        assert info.value.line == line


def test_csv_round_trip_and_cycle_detection(tmp_path):
    cb = ce.Codebook.from_yaml(YAML)
    path = tmp_path / "cb.csv"
    cb.to_csv(path)
    back = ce.Codebook.from_csv(path, name="Test codebook")
    assert back.to_frame().drop(columns="code_id").equals(cb.to_frame().drop(columns="code_id"))
    cyc = write(tmp_path / "cyc.csv", "name,parent\nA,B\nB,C\nC,A\n")
    with pytest.raises(CodebookError, match="cycle") as info:
        ce.Codebook.from_csv(cyc)
    assert info.value.line == 2
    bad = write(tmp_path / "bad.csv", "name,parent,polarity\nA,,\nB,A,helpful\n")
    with pytest.raises(CodebookError, match="unknown polarity 'helpful'") as info:
        ce.Codebook.from_csv(bad)
    assert info.value.line == 3 and "bad.csv" in str(info.value)


def test_yaml_round_trip_keeps_content_hash(tmp_path):
    cb = ce.Codebook.template("coeval")
    again = ce.Codebook.from_yaml(cb.to_yaml())
    assert again.content_hash == cb.content_hash and again == cb
    path = tmp_path / "cb.yaml"
    cb.to_yaml(path)
    assert ce.Codebook.from_yaml(path) == cb


def test_changes_and_history():
    cb = ce.Codebook.from_yaml(YAML)
    h0 = cb.content_hash
    cb.add("Bus passes", parent="Feasibility", polarity="enabler", by="amina", why="came up a lot")
    cb.rename("Transport", "Transport and travel", by="helen")
    cb.edit("Trust", definition="Whether people trust the research team.", by="helen")
    new = cb.split("Flexible timing", ["Evening sessions", {"name": "Ramadan timing", "polarity": "barrier"}],
                   by="helen", why="two ideas")
    assert [c.parent for c in new] == [cb["Feasibility"].id] * 2 and new[1].polarity == "barrier"
    cb.merge("Bus passes", into="Transport and travel", by="helen")
    cb.retire("Evening sessions", by="helen", why="not used")
    assert "Bus passes" not in cb and "Evening sessions" not in cb
    assert cb.get("Bus passes", retired=True).status == "retired"
    hist = cb.history
    assert hist["action"].tolist() == ["add", "rename", "edit", "add", "add", "split", "merge", "retire"]
    assert hist["version"].tolist() == list(range(1, 9)) and cb.version == 8
    assert hist.loc[0, "by"] == "amina" and hist.loc[0, "why"] == "came up a lot"
    assert cb.content_hash != h0
    with pytest.raises(CodebookError, match="already a code named"):
        cb.add("trust")
    with pytest.raises(CodebookError, match="cycle"):
        cb.move("Feasibility", "Transport and travel")
    with pytest.raises(CodebookError, match="still has codes under it"):
        cb.retire("Feasibility")


def test_templates_are_complete_and_cited():
    table = ce.frameworks.available()
    assert table["template"].tolist()[0] == "coeval"
    assert set(table["template"]) == {"coeval", "tfa", "bowen", "proctor", "nihr"}
    sizes = dict(zip(table["template"], table["n_codes"]))
    # the frameworks' published number of constructs, under one root code each
    assert sizes["tfa"] - 1 >= 7 and sizes["bowen"] - 1 == 8 and sizes["proctor"] - 1 == 8 and sizes["nihr"] - 1 == 5
    assert table["citation"].notna().all()
    for name in table["template"]:
        cb = ce.Codebook.template(name)
        assert all(c.definition and c.include and c.example for c in cb)
    tfa = ce.Codebook.template("tfa")
    assert tfa["Burden"].polarity == "barrier" and tfa["Burden"].construct == "tfa.burden"
    with pytest.raises(NotFoundError, match="Available: bowen, coeval"):
        ce.Codebook.template("cfir9")


def test_extend_with_another_template():
    cb = ce.Codebook.template("coeval")
    cb.extend(ce.Codebook.template("tfa"), by="helen")
    assert cb.path("Burden") == "Theoretical Framework of Acceptability / Burden"


def test_html_is_a_collapsible_tree():
    html = ce.Codebook.template("coeval")._repr_html_()
    assert html.count("<details") >= 8 and "Transport and travel costs" in html and "[barrier]" in html
