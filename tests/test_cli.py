"""The command line: ingest and info, errors, and no half-made project on failure."""

from __future__ import annotations

import subprocess
import sys

from coeval.cli import main

from conftest import write


def test_ingest_then_info_on_the_sample(sample_dir, tmp_path, capsys):
    project = tmp_path / "x.coeval"
    assert main(["ingest", str(sample_dir), "--project", str(project), "--quiet"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["info", str(project)]) == 0
    out = capsys.readouterr().out
    assert "sites:     4 (Eastfield, Millbrook, Northside, Riverside)" in out
    assert "peer_researcher" in out and "community_coordinator" in out
    assert "Amina" not in out and "Grace" not in out


def test_failed_ingest_leaves_no_project_file(tmp_path, capsys):
    bad = write(tmp_path / "bad.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:zz.000\nHi\n")
    project = tmp_path / "p.coeval"
    assert main(["ingest", str(bad), "--project", str(project)]) == 2
    err = capsys.readouterr().err
    assert "bad.vtt, line 3: malformed cue timing" in err
    assert not project.exists()


def test_skip_errors_reports_and_goes_on(tmp_path, capsys):
    write(tmp_path / "d" / "bad.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:zz.000\nHi\n")
    write(tmp_path / "d" / "good.txt", "Ann: fine\nBob: also fine\n")
    project = tmp_path / "p.coeval"
    assert main(["ingest", str(tmp_path / "d"), "--project", str(project), "--skip-errors"]) == 0
    captured = capsys.readouterr()
    assert "Ingested 1 documents" in captured.out and "bad.vtt" in captured.err


def test_console_script_runs(tmp_path):
    result = subprocess.run([sys.executable, "-m", "coeval.cli", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("coeval ")


def test_sheet_export_fill_import(sample_dir, tmp_path, capsys):
    from openpyxl import load_workbook

    project = tmp_path / "x.coeval"
    assert main(["ingest", str(sample_dir), "--project", str(project), "--quiet"]) == 0
    sheet = tmp_path / "new.xlsx"
    assert main(["sheet", "export", str(project), "--coder", "newbie", "--role", "peer_researcher",
                 "--documents", "northside-workshop2", "--out", str(sheet)]) == 0
    assert "79 segments for newbie" in capsys.readouterr().out
    wb = load_workbook(sheet)
    wb["Coding"].cell(row=3, column=7).value = "Transport and travel costs"
    wb.save(sheet)
    assert main(["sheet", "import", str(project), str(sheet)]) == 0
    assert "1 codings added" in capsys.readouterr().out
    wb["Coding"].cell(row=3, column=7).value = "Trasnport"
    wb.save(sheet)
    assert main(["sheet", "import", str(project), str(sheet)]) == 2
    err = capsys.readouterr().err
    assert "row 3: unknown code 'Trasnport'" in err and "Transport and travel costs" in err


def test_info_shows_codebook_and_coders(sample_dir, tmp_path, capsys):
    project = tmp_path / "x.coeval"
    main(["ingest", str(sample_dir), "--project", str(project), "--quiet"])
    main(["info", str(project)])
    out = capsys.readouterr().out
    assert "Codebook: Co-evaluation codebook: sample evaluation" in out
    assert "by 3 coders" in out and "PR-M1" in out and "community_coordinator" in out


def test_agreement_command(sample_dir, tmp_path, capsys):
    import pandas as pd

    project = tmp_path / "x.coeval"
    main(["ingest", str(sample_dir), "--project", str(project), "--quiet"])
    out = tmp_path / "a.csv"
    assert main(["agreement", str(project), "--out", str(out), "--disagreements", str(tmp_path / "d.xlsx")]) == 0
    printed = capsys.readouterr().out
    assert "Interpreters and translation" in printed and "(all codes)" in printed
    table = pd.read_csv(out)
    assert table["code"].iloc[-1] == "(all codes)" and (tmp_path / "d.xlsx").exists()
    assert main(["agreement", str(project), "--unit", "character", "--by", "role"]) == 0
    assert "academic vs peer_researcher" in capsys.readouterr().out


def test_main_job_prints_agreement(sample_dir, tmp_path, capsys):
    assert main(["ingest", str(sample_dir), "--project", str(tmp_path / "x.coeval")]) == 0
    out = capsys.readouterr().out
    assert "Inter-coder agreement per code" in out and "reliable" in out and "unreliable" in out


def test_a_command_runs_with_one_blas_thread_and_a_larger_young_generation_then_puts_them_back(monkeypatch):
    import gc
    import os

    from coeval import cli

    seen = {}

    def info(args):
        seen.update(openblas=os.environ.get("OPENBLAS_NUM_THREADS"), mkl=os.environ.get("MKL_NUM_THREADS"),
                    young=gc.get_threshold()[0])
        return 0

    monkeypatch.setattr(cli.commands, "cmd_info", info)
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.setenv("MKL_NUM_THREADS", "3")   # the user's own setting wins
    before = gc.get_threshold()
    assert cli.main(["info", "any.coeval"]) == 0
    assert seen == {"openblas": "1", "mkl": "3", "young": cli.YOUNG_OBJECTS}
    assert "OPENBLAS_NUM_THREADS" not in os.environ and os.environ["MKL_NUM_THREADS"] == "3"
    assert gc.get_threshold() == before
