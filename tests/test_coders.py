"""Coders as people: registration, suggestions for slips, renames and retirements with history,
and names that must not be a participant's."""

from __future__ import annotations

import pytest

import coeval as ce
from coeval.errors import CodingError

from conftest import write

TRANSPORT = "Transport and travel costs"


@pytest.fixture
def proj(tmp_path):
    p = ce.Project()
    roster = write(tmp_path / "roster.csv", "name,pseudonym,role,site\nAmina Yusuf,PR-1,peer_researcher,North\n")
    p.ingest(write(tmp_path / "w.txt", "PR-1: the bus was late.\nSpeaker 2: and it cost a lot.\n"), roster=roster,
             progress=False)
    p.codebook = ce.Codebook.template("coeval")
    p.add_coder("AC-1", "academic")
    return p


def test_a_participant_name_cannot_become_a_coder(proj):
    for name in ("Amina", "amina yusuf", "Yusuf"):
        with pytest.raises(CodingError, match="participant's name"):
            proj.add_coder(name, "peer_researcher")
    with pytest.raises(CodingError, match="participant's name"):
        proj.code("w:1", TRANSPORT, coder="Amina", role="peer_researcher")  # registering while coding
    with pytest.raises(CodingError, match="reserved"):
        proj.add_coder("consensus")
    assert list(proj.coders["coder"]) == ["AC-1"]


def test_a_slip_gets_the_closest_names(proj):
    with pytest.raises(CodingError, match="Did you mean 'AC-1'"):
        proj.code("w:1", TRANSPORT, coder="ac-1")
    with pytest.raises(CodingError, match="Did you mean 'AC-1'"):
        proj.code("w:1", TRANSPORT, coder="AC1")


def test_rename_moves_codings_and_assignments_and_keeps_history(proj):
    proj.code("w:1", TRANSPORT, coder="AC-1")
    proj.assign("AC-1", ["w"])
    proj.rename_coder("AC-1", "AC-2", by="lead", why="joined the team under a new label")
    assert list(proj.coders["coder"]) == ["AC-2"] and proj.coders["n_codings"].tolist() == [1]
    assert set(proj.codings["coder"]) == {"AC-2"} and set(proj.assignments["coder"]) == {"AC-2"}
    proj.code("w:1", TRANSPORT, coder="AC-2")  # the same coding again: still one
    assert len(proj.codings) == 1
    log = proj.audit[proj.audit["action"] == "rename coder"].iloc[0]
    assert log["by"] == "lead" and '"from": "AC-1"' in log["detail"] and "new label" in log["detail"]
    with pytest.raises(CodingError, match="not a registered coder"):
        proj.code("w:2", TRANSPORT, coder="AC-1")


def test_a_retired_coder_keeps_their_codings_but_codes_no_more(proj):
    proj.code("w:1", TRANSPORT, coder="AC-1")
    proj.retire_coder("AC-1", by="lead", why="left the project")
    assert proj.coders.set_index("coder").loc["AC-1", "status"] == "retired"
    assert len(proj.codings) == 1
    with pytest.raises(CodingError, match="retired"):
        proj.code("w:2", TRANSPORT, coder="AC-1")
    with pytest.raises(CodingError, match="retired"):
        proj.assign("AC-1", ["w"])
