"""The team's curated themes, with history, and their use in the matrices."""

from __future__ import annotations

import sqlite3

import pytest

import coeval as ce
from coeval.errors import CodebookError, NotFoundError


@pytest.fixture(scope="module")
def sample_path(tmp_path_factory):
    from conftest import SAMPLE

    path = tmp_path_factory.mktemp("cur") / "s.coeval"
    with ce.Project.create(path) as p:
        p.ingest(SAMPLE, progress=False)
    return path


def test_add_rename_merge_move_retire_with_history(sample_path, tmp_path):
    import shutil

    path = tmp_path / "p.coeval"
    shutil.copy(sample_path, path)
    proj = ce.Project.open(path)
    t = proj.themes
    money = t.add("Money", ["Payment problems", "Benefits and payment rules"], by="AC-2", why="first pass")
    getting = t.add("Getting there", ["Transport and travel costs"], by="PR-M1")
    assert t[money]["codes"] == ["Payment problems", "Benefits and payment rules"]
    assert t["money"]["polarity"] == "barrier"  # labels match in any letter case
    t.rename(money, "Money worries", by="CC-E", why="the group's words")
    t.merge(getting, into=money, by="AC-2", why="both about cost")
    t.move("Payment and expenses covered", money, by="AC-2")
    frame = ce.Project.open(path).themes.to_frame()  # saved, not just in memory
    assert frame["label"].tolist() == ["Money worries"]
    assert set(frame.iloc[0]["codes"]) == {"Payment problems", "Benefits and payment rules",
                                           "Transport and travel costs", "Payment and expenses covered"}
    history = t.history
    assert history["action"].tolist() == ["add", "add", "rename", "merge", "move"]
    assert history["by"].tolist()[:3] == ["AC-2", "PR-M1", "CC-E"] and history["why"].iloc[3] == "both about cost"
    with pytest.raises(CodebookError, match="already a theme"):
        t.add("money worries")
    with pytest.raises(NotFoundError, match="no theme 'Nope'"):
        t.rename("Nope", "x")
    with pytest.raises(NotFoundError, match="no code"):
        t.add("Other", ["Not a code"])
    t.retire(money, by="AC-2")
    assert len(t) == 0 and "retire" in set(t.history["action"])


def test_curated_themes_feed_the_matrices(sample_path, tmp_path):
    import shutil

    path = tmp_path / "p.coeval"
    shutil.copy(sample_path, path)
    proj = ce.Project.open(path)
    proj.themes.adopt(ce.themes(proj, seed=0), by="AC-2")
    fw = ce.framework_matrix(proj)
    assert set(fw["column"]) <= set(proj.themes.to_frame()["label"])
    fai = ce.fai_matrix(proj, themes=proj.themes)
    assert set(fai["item"]) <= set(proj.themes.to_frame()["label"])


def test_an_older_store_is_upgraded_on_open(tmp_path):
    path = tmp_path / "old.coeval"
    ce.Project.create(path).close()
    con = sqlite3.connect(path)
    for table in ("theme_history", "theme_codes", "themes"):
        con.execute(f"drop table {table}")
    con.execute("delete from coeval_schema where version >= 3")
    con.commit()
    con.close()
    proj = ce.Project.open(path)
    assert proj.schema_version == ce.schema.SCHEMA_VERSION and len(proj.themes) == 0


def test_merge_and_move_work_in_an_in_memory_project():
    proj = ce.Project()
    proj.codebook = ce.Codebook.template("coeval")
    money = proj.themes.add("Money", ["Payment problems"])
    travel = proj.themes.add("Getting there", ["Transport and travel costs"])
    other = proj.themes.add("Other", ["Payment and expenses covered"])
    proj.themes.move("Payment and expenses covered", money, source=other)
    proj.themes.merge(travel, into=money)
    frame = proj.themes.to_frame().set_index("label")
    assert set(frame.loc["Money", "codes"]) == {"Payment problems", "Transport and travel costs",
                                                "Payment and expenses covered"}
    assert "Getting there" not in frame.index
