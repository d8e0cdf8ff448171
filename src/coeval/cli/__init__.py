"""The ``coeval`` command line: a thin layer over the Python API.

Commands
--------
coeval ingest FOLDER_OR_FILES... --project FILE [--roster CSV] [--skip-errors] [--quiet]
coeval info FILE
coeval sheet export FILE --coder NAME [--role ROLE] --out SHEET.xlsx
coeval sheet import FILE SHEET.xlsx
coeval merge FILE COPY... [--prefer ours|theirs]
coeval coder add|rename|retire|list FILE [NAME [NEW]] [--role ROLE]
coeval privacy FILE [--name ID...] [--not-name ID...] [--everywhere]
coeval assign FILE --coder NAME [--documents ...] | --sample A B [--fraction 0.2] [--unit segment]
coeval done FILE --coder NAME [--documents ...]
coeval round open|close|list FILE [NAME]
coeval reconcile FILE MEETING.xlsx --by NAME [--attendees ...] [--partial]
coeval import FILE.qdpx --project FILE
coeval export FILE --qdpx OUT.qdpx [--qdc OUT.qdc] [--codings OUT.csv]
coeval agreement FILE [--round R] [--unit character] [--by role] [--out table.csv] [--disagreements meeting.xlsx]
coeval themes FILE_OR_FOLDER [--method combined] [--basis consensus] [--out themes.csv]
coeval report FILE_OR_FOLDER --out report.html|.pdf|.docx [--appendix FILE] [--config report.yaml] [--basis B]
coeval serve FILE [--host 127.0.0.1] [--port 8765]
coeval invite FILE NAME [--access coder|coordinator|viewer] [--role ROLE] [--url http://host:port]
"""

from __future__ import annotations

import argparse
import gc
import os
import sys

from . import commands, teamwork, workspace

__all__ = ["main", "build_parser"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for ``coeval``."""
    from .. import __version__

    parser = argparse.ArgumentParser(prog="coeval", description="Qualitative co-evaluation toolkit.")
    parser.add_argument("--version", action="version", version=f"coeval {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="read transcripts, notes and surveys into a project")
    p.add_argument("paths", nargs="+", help="a folder (with manifest.csv), files, or a glob")
    p.add_argument("--project", "-p", required=True, help="project file (created if missing)")
    p.add_argument("--roster", help="roster CSV (name, aliases, pseudonym, role, site)")
    p.add_argument("--kind", help="document kind for files no manifest describes")
    p.add_argument("--key", help="write the pseudonym-to-name key to this separate CSV")
    p.add_argument("--skip-errors", action="store_true", help="record bad files and go on")
    p.add_argument("--replace", action="store_true",
                   help="re-read files already in the project and replace their documents (if not yet coded)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress or summary")
    p.set_defaults(func=commands.cmd_ingest)

    p = sub.add_parser("sheet", help="Excel coding sheets for coders who do not use Python")
    sheet = p.add_subparsers(dest="sheet_command", required=True)
    q = sheet.add_parser("export", help="write a coder's coding sheet")
    q.add_argument("project", help="project file")
    q.add_argument("--coder", required=True, help="whose sheet it is")
    q.add_argument("--role", help="the coder's role, to register a new coder")
    q.add_argument("--documents", nargs="*", help="document ids to include (default: all)")
    q.add_argument("--out", required=True, help="the .xlsx to write")
    q.set_defaults(func=commands.cmd_sheet_export)
    q = sheet.add_parser("import", help="read a filled-in coding sheet back")
    q.add_argument("project", help="project file")
    q.add_argument("sheet", help="the .xlsx the coder filled in")
    q.add_argument("--keep-removed", action="store_true",
                   help="do not remove codings the coder took out of the sheet")
    q.set_defaults(func=commands.cmd_sheet_import)

    p = sub.add_parser("merge", help="bring codings from coders' copies of a project into this one")
    p.add_argument("project", help="the project to merge into")
    p.add_argument("others", nargs="+", help="the copies to merge from")
    p.add_argument("--by", help="who is merging (recorded)")
    p.add_argument("--prefer", action="append", metavar="ours|theirs|FIELD=SIDE",
                   help="settle codes that differ: keep ours, take theirs, or per kind (definition=theirs, "
                        "polarity=ours); may be repeated")
    p.add_argument("--report-conflicts", action="store_true",
                   help="merge the rest and list unsettled conflicts (default: refuse the whole merge)")
    p.set_defaults(func=commands.cmd_merge)

    p = sub.add_parser("coder", help="register, rename, retire or list coders")
    p.add_argument("action", choices=["add", "rename", "retire", "list"])
    p.add_argument("project", help="project file")
    p.add_argument("name", nargs="?", help="the coder")
    p.add_argument("new_name", nargs="?", help="the new name (rename)")
    p.add_argument("--role", help="peer_researcher, community_coordinator, academic, stakeholder, ... (add)")
    p.add_argument("--by", help="who is making the change (recorded)")
    p.add_argument("--why", help="why (recorded)")
    p.set_defaults(func=teamwork.cmd_coder)

    p = sub.add_parser("privacy", help="review words that may be people's names")
    p.add_argument("project", help="project file")
    p.add_argument("--name", nargs="+", type=int, metavar="ID", help="these are names: mask them")
    p.add_argument("--not-name", nargs="+", type=int, metavar="ID", help="these are not names: keep them")
    p.add_argument("--everywhere", action="store_true", help="with --name: mask the same word wherever it waits")
    p.add_argument("--by", help="who decided (recorded)")
    p.set_defaults(func=teamwork.cmd_privacy)

    p = sub.add_parser("assign", help="assign documents to a coder, or draw a double-coding sample")
    p.add_argument("project", help="project file")
    p.add_argument("--coder", help="whose work it is (a registered coder)")
    p.add_argument("--documents", nargs="*", help="document ids (default: all, or all in the sample's pool)")
    p.add_argument("--segments", nargs="*", help="segment ids, for work on single segments")
    p.add_argument("--sample", nargs="+", metavar="CODER", help="draw a sample that all these coders code")
    p.add_argument("--fraction", type=float, default=0.2, help="share to double-code (default 0.2)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--stratify", choices=["site", "document", "none"], default="site")
    p.add_argument("--unit", choices=["document", "segment"], default="document")
    p.add_argument("--round", default="independent", help="the round (opened if new; default independent)")
    p.add_argument("--by", help="who is assigning (recorded)")
    p.add_argument("--out", help="write the drawn sample to this CSV")
    p.set_defaults(func=teamwork.cmd_assign)

    p = sub.add_parser("done", help="mark a coder's assigned documents done (what applies is coded)")
    p.add_argument("project", help="project file")
    p.add_argument("--coder", required=True)
    p.add_argument("--documents", nargs="*", help="document ids (default: all the coder's open assignments)")
    p.add_argument("--round", help="the round (default: any open one)")
    p.add_argument("--by", help="who is marking (default: the coder)")
    p.set_defaults(func=teamwork.cmd_done)

    p = sub.add_parser("round", help="open, close or list rounds of coding")
    p.add_argument("action", choices=["open", "close", "list"])
    p.add_argument("project", help="project file")
    p.add_argument("name", nargs="?", help="the round (open: default independent; close: the latest open)")
    p.add_argument("--not-blind", action="store_true", help="coders may see each other's codings")
    p.add_argument("--description", help="what the round is for")
    p.add_argument("--by", help="who is opening or closing it (recorded)")
    p.set_defaults(func=teamwork.cmd_round)

    p = sub.add_parser("reconcile", help="read a reconciliation workbook back as consensus codings")
    p.add_argument("project", help="project file")
    p.add_argument("workbook", help="the disagreements .xlsx with decisions filled in")
    p.add_argument("--by", required=True, help="who chaired the meeting")
    p.add_argument("--attendees", nargs="*", help="who took part")
    p.add_argument("--round", help="the round reconciled (default: the latest with assignments)")
    p.add_argument("--partial", action="store_true", help="leave passages without a decision unreconciled")
    p.set_defaults(func=teamwork.cmd_reconcile)

    p = sub.add_parser("agreement", help="inter-coder agreement per code")
    p.add_argument("project", help="project file")
    p.add_argument("--round", help="the round to measure (default: the latest with assignments)")
    p.add_argument("--unit", choices=["segment", "character"], default="segment")
    p.add_argument("--by", choices=["role", "site", "document"], help="one table per group")
    p.add_argument("--coders", nargs="*", help="coders to compare (default: all)")
    p.add_argument("--out", help="write the table to this CSV")
    p.add_argument("--disagreements", help="write the disagreements to this .xlsx")
    p.set_defaults(func=commands.cmd_agreement)

    p = sub.add_parser("import", help="bring in a REFI-QDA (.qdpx) or QualCoder project")
    p.add_argument("file", help=".qdpx file, or a QualCoder project folder / data.qda")
    p.add_argument("--project", "-p", required=True, help="project file (created if missing)")
    p.set_defaults(func=commands.cmd_import)

    p = sub.add_parser("export", help="write the project for other tools")
    p.add_argument("project", help="project file")
    p.add_argument("--qdpx", help="REFI-QDA project to write")
    p.add_argument("--qdc", help="REFI-QDA codebook to write")
    p.add_argument("--codings", help="tidy codings CSV to write")
    p.set_defaults(func=commands.cmd_export)

    p = sub.add_parser("themes", help="suggest themes from the codings, with their evidence")
    p.add_argument("source", help="project file, or a folder to ingest first")
    p.add_argument("--method", choices=["network", "text", "combined"], default="network")
    p.add_argument("--n-themes", type=int, help="number of themes (text and combined; default: chosen)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--basis", help="whose codings count: consensus, agreed, any, coder:NAME (default: consensus "
                                   "once reconciled, else any)")
    p.add_argument("--out", help="write the themes to this CSV")
    p.set_defaults(func=commands.cmd_themes)

    p = sub.add_parser("report", help="the steering-group report (HTML, PDF or Word), from a folder or project")
    p.add_argument("source", help="project file, or a folder with a manifest (ingested first)")
    p.add_argument("--out", "-o", required=True, help="report.html, report.pdf or report.docx")
    p.add_argument("--appendix", help="also write the technical appendix (agreement per code, views, methods, "
                                      "codebook) to this .html, .pdf or .docx")
    p.add_argument("--config", help="report.yaml (default: report.yaml in the folder, if any)")
    p.add_argument("--title", help="the report's title")
    p.add_argument("--roster", help="also check the report against this roster's names")
    p.add_argument("--basis", help="whose codings count (default: consensus once reconciled, else any)")
    p.add_argument("--round", help="the round whose agreement the report shows (default: the latest)")
    p.add_argument("--allow-names", action="store_true",
                   help="write the report even if the privacy check finds a roster name")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress")
    p.set_defaults(func=commands.cmd_report)

    p = sub.add_parser("serve", help="start the coding workspace (a web app) on a project")
    p.add_argument("project", help="project file (or a database URL)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this computer only; 0.0.0.0 shares it)")
    p.add_argument("--port", type=int, default=8765)
    p.set_defaults(func=workspace.cmd_serve)

    p = sub.add_parser("invite", help="make a one-time link that lets someone into the workspace")
    p.add_argument("project", help="project file (or a database URL)")
    p.add_argument("name", help="their coder name (e.g. PR-2)")
    p.add_argument("--access", choices=["coordinator", "coder", "viewer"], default="coder")
    p.add_argument("--role", help="their research role, e.g. peer_researcher (default: academic)")
    p.add_argument("--url", default="http://localhost:8765", help="the workspace's address, to print the link")
    p.add_argument("--by", help="who is inviting (recorded)")
    p.set_defaults(func=workspace.cmd_invite)

    p = sub.add_parser("info", help="summarise a project")
    p.add_argument("project", help="project file")
    p.set_defaults(func=commands.cmd_info)
    return parser


# The collector looks for reference cycles after this many new objects (Python's default: 700). A
# command loads libraries that make millions of long-lived objects, and at 700 the collector went
# over them 900 times: 0.5 s of the sample report's 4.5 s of CPU, against 0.15 s at 10,000. The
# memory it lets wait is a few thousand objects. Set for the command's run, then put back.
YOUNG_OBJECTS = 10_000


def _one_blas_thread() -> list[str]:
    """One BLAS thread for this run unless the user chose otherwise (set before numpy loads);
    returns the variables set, so that an in-process caller gets its environment back.

    OpenBLAS's worker threads spin while they wait for work, and the commands' numpy work is
    many small steps: on the sample's report two threads burned about 1 s more CPU (7.0 s
    against 6.1 s) and finished no sooner. The analyses that would gain from threads (dense
    matrices of millions of cells) are not on the commands' path; in Python, the caller's
    settings stand.
    """
    unset = [v for v in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS") if v not in os.environ]
    os.environ.update(dict.fromkeys(unset, "1"))
    return unset


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    import warnings

    from ..errors import CoevalError

    warnings.formatwarning = lambda message, category, *a, **k: f"coeval: note: {message}\n"
    args = build_parser().parse_args(argv)
    blas = _one_blas_thread()   # (argparse loads no numpy)
    threshold = gc.get_threshold()
    gc.set_threshold(YOUNG_OBJECTS, *threshold[1:])
    try:
        return args.func(args)
    except CoevalError as exc:
        print(f"coeval: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into head and the like
        sys.stderr.close()
        return 0
    finally:
        gc.set_threshold(*threshold)
        for variable in blas:
            os.environ.pop(variable, None)

