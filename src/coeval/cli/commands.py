"""The commands behind ``coeval ...``: each parses nothing, calls the Python API, and prints a summary."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

__all__ = ["cmd_agreement", "cmd_export", "cmd_import", "cmd_info", "cmd_ingest", "cmd_merge", "cmd_report",
           "cmd_sheet_export", "cmd_sheet_import", "cmd_themes"]


def _print_summary(proj, out) -> None:
    s = proj.summary()
    docs = proj.documents
    segs = proj.segments
    print(f"Project: {proj._display}", file=out)
    print(f"  documents: {s['documents']} ({', '.join(f'{k} {v}' for k, v in s['kinds'].items())})", file=out)
    print(f"  sites:     {len(s['sites'])} ({', '.join(s['sites'])})", file=out)
    print(f"  segments:  {s['segments']:,}   words: {s['words']:,}", file=out)
    roles = ", ".join(f"{k} {v}" for k, v in s["speakers_by_role"].items())
    print(f"  speakers:  {s['speakers']} ({roles})", file=out)
    if s["redactions"]:
        print("  redactions: " + ", ".join(f"{k} {v}" for k, v in s["redactions"].items()), file=out)
    if len(docs):
        print("", file=out)
        table = docs[["document_id", "kind", "site", "date", "n_segments", "n_words", "n_speakers"]].copy()
        table = table.fillna("-")
        print(table.to_string(index=False), file=out)
        said = segs.dropna(subset=["speaker"])
        speakers = (said.groupby("speaker", sort=True)
                    .agg(role=("role", "first"), sites=("site", lambda s: ", ".join(sorted(set(s.dropna())))),
                         documents=("document_id", "nunique"), turns=("segment_id", "size"))
                    .reset_index().fillna("-"))
        if len(speakers):
            print("", file=out)
            print(speakers.to_string(index=False), file=out)


@contextlib.contextmanager
def _project_to_fill(target: Path):
    """Open a project, or create it; a new one is deleted again if filling it fails, so a
    failed command never leaves a half-made project behind."""
    from ..project import Project

    existed = target.exists()
    proj = Project.open(target) if existed else Project.create(target)
    try:
        yield proj
    except BaseException:
        proj.close()
        if not existed:
            target.unlink(missing_ok=True)
        raise
    proj.close()


def cmd_ingest(args) -> int:
    import warnings

    from ..errors import PrivacyWarning

    if args.quiet:
        warnings.simplefilter("ignore", PrivacyWarning)
    target = Path(args.project)
    with _project_to_fill(target) as proj:
        result = proj.ingest(args.paths if len(args.paths) > 1 else args.paths[0],
                             roster=args.roster, on_error="skip" if args.skip_errors else "raise",
                             kind=args.kind, key=args.key, progress=False if args.quiet else None,
                             replace=args.replace)
        if not args.quiet:
            print(f"Ingested {len(result.added)} documents ({result.words:,} words) into {target}; "
                  f"{len(result.unchanged)} already there; {len(result.failed)} failed.")
            for _name, message in result.failed:
                print(f"  failed: {message}", file=sys.stderr)
            for name, why in result.skipped:
                print(f"  skipped {name}: {why}", file=sys.stderr)
            for name, why in result.flagged:
                print(f"  to check, {name}: {why}", file=sys.stderr)
            waiting = len(proj.privacy_review())
            if waiting:
                print(f"  {waiting} word(s) may be people's names: review them with 'coeval privacy {target}'.",
                      file=sys.stderr)
            if result.codings or result.codebook:
                print(f"Codebook {result.codebook!r} and {result.codings:,} new codings loaded from the manifest.")
            print("")
            _print_summary(proj, sys.stdout)
            _print_coding_summary(proj, sys.stdout)
            _print_agreement_summary(proj, sys.stdout)
    return 1 if result.failed and not result.added else 0


def _print_coding_summary(proj, out) -> None:
    cb = proj.codebook
    if len(cb) == 0:
        return
    coders = proj.coders
    print("", file=out)
    print(f"Codebook: {cb.name} ({len(cb)} codes, version {cb.version}, {cb.content_hash[:12]})", file=out)
    if len(coders):
        codings = proj.codings
        human = codings[codings["origin"].isin(["human", "accepted"])]
        docs = human.groupby("coder")["document_id"].nunique()
        table = coders.assign(documents=coders["coder"].map(docs).fillna(0).astype(int))
        print(f"Codings: {len(human):,} by {len(coders)} coders", file=out)
        print(table[["coder", "role", "n_codings", "documents"]].to_string(index=False), file=out)
    rounds = proj.rounds
    if len(rounds):
        print("", file=out)
        print("Rounds of coding:", file=out)
        for r in rounds.itertuples():
            state = (f"closed, agreement {r.alpha:.3f} frozen" if r.status == "closed" and r.alpha is not None
                     else r.status)
            print(f"  {r.round}: {r.coders} coders, {r.documents} documents ({r.double_coded_documents} "
                  f"double-coded); {state}", file=out)
        consensus = int((proj.codings["origin"] == "consensus").sum())
        if consensus:
            print(f"  consensus codings: {consensus:,} (the analyses count on these where a round was reconciled)",
                  file=out)


def _print_agreement_summary(proj, out) -> None:
    import warnings

    import pandas as pd

    from ..agreement import agreement

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = agreement(proj)
    if table.empty:
        return
    print("", file=out)
    where = (f"the {table['round'].iloc[-1]} round: segments two or more of {int(table['n_coders'].iloc[-1])} coders "
             "were given and finished" if table["round"].iloc[-1] else
             f"segments of documents coded by {int(table['n_coders'].iloc[-1])} coders")
    print(f"Inter-coder agreement per code ({where}; Krippendorff's alpha: reliable >= .800, "
          "tentative >= .667):", file=out)
    shown = table[["code", "uses", "percent_agreement", "kappa", "alpha", "ac1", "band"]].rename(
        columns={"percent_agreement": "agree"})
    with pd.option_context("display.max_rows", 500, "display.width", 140, "display.float_format", "{:.3f}".format):
        print(shown.to_string(index=False), file=out)


def cmd_sheet_export(args) -> int:
    from ..project import Project

    with Project.open(args.project) as proj:
        path = proj.export_sheet(args.out, coder=args.coder, role=args.role, documents=args.documents or None)
        n = len(proj.segments) if not args.documents else int(
            proj.segments["document_id"].isin(args.documents).sum())
    print(f"Wrote {path}: {n} segments for {args.coder} to code.")
    return 0


def cmd_sheet_import(args) -> int:
    from ..project import Project

    with Project.open(args.project) as proj:
        result = proj.import_sheet(args.sheet, remove_missing=not args.keep_removed)
    print(f"Imported {args.sheet} for {result.coder}: {result.added} codings added, {result.removed} removed, "
          f"{result.unchanged} unchanged ({result.rows} rows).")
    return 0


def cmd_merge(args) -> int:
    from ..coding.merging import merge
    from ..project import Project

    prefer = None
    for choice in args.prefer or []:
        if "=" in choice:
            field, side = choice.split("=", 1)
            prefer = {**(prefer if isinstance(prefer, dict) else {}), field.strip(): side.strip()}
        else:
            prefer = choice
    with Project.open(args.project) as proj:
        report = merge(proj, *args.others, by=args.by, prefer=prefer,
                       on_conflict="report" if args.report_conflicts else "raise")
    print(f"Merged {report.added} codings ({report.already_present} already there); "
          f"{len(report.new_codes)} new codes; {len(report.new_coders)} new coders.")
    if report.unmatched_documents:
        print("Documents not in the target (skipped): " + ", ".join(report.unmatched_documents))
    if report.conflicts:
        print(f"{len(report.conflicts)} conflicts ({report.skipped_for_conflicts} codings left out):", file=sys.stderr)
        print(report.conflicts_frame().to_string(index=False), file=sys.stderr)
        return 1
    return 0


def cmd_agreement(args) -> int:
    import pandas as pd

    from ..agreement import agreement, export_disagreements
    from ..project import Project

    with Project.open(args.project) as proj:
        table = agreement(proj, unit=args.unit, by=args.by, coders=args.coders or None, round=args.round)
        if args.disagreements:
            export_disagreements(proj, args.disagreements, coders=args.coders or None, round=args.round)
    if table.empty:
        print("No agreement to compute: it needs two coders or more who coded the same documents.")
        return 1
    if args.out:
        table.to_csv(args.out, index=False)
        print(f"Wrote {args.out} ({len(table)} rows).")
    shown = table.drop(columns=["warning"])
    with pd.option_context("display.width", 160, "display.max_rows", 500, "display.max_colwidth", 45,
                           "display.float_format", "{:.3f}".format):
        print(shown.to_string(index=False))
    if args.disagreements:
        print(f"Disagreements for the reconciliation meeting: {args.disagreements}")
    return 0


def cmd_import(args) -> int:
    from ..interop import read_qdpx, read_qualcoder

    target, source = Path(args.project), Path(args.file)
    with _project_to_fill(target) as proj:
        if source.suffix.lower() == ".qdpx":
            read_qdpx(source, into=proj)
        elif source.is_dir() or source.suffix.lower() == ".qda":
            read_qualcoder(source, into=proj)
        else:
            from ..errors import FormatError

            raise FormatError("is neither a REFI-QDA project (.qdpx) nor a QualCoder project (.qda).", path=source)
        r = proj.import_report
    print(f"Imported {r.documents} documents, {r.codes} codes and {r.codings} codings by {len(r.coders)} coders "
          f"from {source} ({r.origin or 'unknown tool'}) into {target}.")
    for name, why in r.skipped_sources:
        print(f"  skipped {name}: {why}")
    if r.problems:
        print(f"  {len(r.problems)} selections did not fit their text and were left out.", file=sys.stderr)
    for name, field in r.code_clashes:
        print(f"  code {name!r} has another {field} in the import; the project's own was kept.", file=sys.stderr)
    return 0


def cmd_export(args) -> int:
    from ..interop import write_qdpx
    from ..project import Project

    with Project.open(args.project) as proj:
        if args.qdpx:
            write_qdpx(proj, args.qdpx)
            print(proj.export_report)
        if args.qdc:
            proj.codebook.to_qdc(args.qdc)
            print(f"Wrote {args.qdc}.")
        if args.codings:
            proj.export_codings(args.codings)
            print(f"Wrote {args.codings}.")
    return 0


@contextlib.contextmanager
def _open_source(source: str, *, quiet: bool = False):
    """A project file, opened; or a folder (or file) ingested into a project in memory."""
    from ..project import Project

    path = Path(source)
    if path.is_file() and path.suffix.lower() in (".coeval", ".db", ".sqlite", ".sqlite3"):
        with Project.open(path) as proj:
            yield proj
        return
    if not path.exists():
        from ..errors import CoevalError

        raise CoevalError("does not exist.", path=path,
                          hint="Give a project file (.coeval) or a folder of files with a manifest.csv.")
    proj = Project()
    proj.ingest(path, progress=not quiet)
    try:
        yield proj
    finally:
        proj.close()


def cmd_themes(args) -> int:
    import pandas as pd

    from ..mapping import evidence_strength
    from ..thematic import themes

    with _open_source(args.source, quiet=True) as proj:
        table = themes(proj, method=args.method, seed=args.seed, n_themes=args.n_themes, basis=args.basis)
        if table.empty:
            print("No themes: the project has no codings yet.")
            return 1
        strength = evidence_strength(proj, table, basis=args.basis).set_index("theme_id")
    table = table.assign(strength=table["theme_id"].map(strength["strength"]),
                         agreement=table["theme_id"].map(strength["agreement"]),
                         participants=table["theme_id"].map(strength["participants"]),
                         flags=table["theme_id"].map(strength["flags"]))
    if args.out:
        flat = table.copy()
        for col in ("codes", "segments", "sites", "top_terms", "representative_segments", "flags"):
            flat[col] = flat[col].map(lambda v: "; ".join(map(str, v)))
        flat.to_csv(args.out, index=False)
        print(f"Wrote {args.out} ({len(flat)} themes).")
    shown = pd.DataFrame({"theme": table["theme_id"], "label": table["label"],
                          "codes": table["codes"].map(lambda c: ", ".join(c[:3]) + (f" +{len(c) - 3}" if len(c) > 3
                                                                                     else "")),
                          "segments": table["n_segments"], "sites": table["sites"].map(len),
                          "polarity": table["polarity"], "evidence": table["strength"]})
    with pd.option_context("display.width", 200, "display.max_colwidth", 70):
        print(shown.to_string(index=False))
    from ..coding.basis import describe_basis

    print(f"Counted on: {describe_basis(table['basis'].iloc[0])}.")
    print("Suggested themes: review them with the team (proj.themes.adopt / add / merge).")
    return 0


def cmd_report(args) -> int:
    import time
    import warnings

    from ..errors import PlainLanguageWarning
    from ..report import Report

    out = Path(args.out)
    appendix = Path(args.appendix) if getattr(args, "appendix", None) else None
    for path in filter(None, (out, appendix)):
        if path.suffix.lower() not in (".html", ".htm", ".pdf", ".docx"):
            from ..errors import ReportError

            raise ReportError("must end in .html, .pdf or .docx (the suffix picks the format).", path=path)
    source = Path(args.source)
    config = args.config
    if config is None and source.is_dir() and (source / "report.yaml").is_file():
        config = source / "report.yaml"  # a folder may carry its own report settings

    def step(text):
        if not args.quiet:
            print(f"[{time.perf_counter() - t0:5.1f}s] {text}", file=sys.stderr, flush=True)

    t0 = time.perf_counter()
    step(f"reading {source}" + (" (ingest, pseudonymise)" if source.is_dir() else ""))
    with _open_source(args.source, quiet=True) as proj:
        report = Report(proj, title=args.title, config=config, roster=args.roster)
        if args.allow_names:
            report.config.allow_names = True
        if args.basis:
            report.config.basis = args.basis
        if args.round:
            report.config.round = args.round
        step("analysing: agreement, themes, barriers and enablers, sites")
        report.content  # noqa: B018 - computed here so the progress lines tell the truth
        step("checking privacy and plain language")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PlainLanguageWarning)
            report.save(out)
            if appendix is not None:
                step("writing the technical appendix")
                report.appendix().save(appendix)
        checks = report.checks()
    step(f"wrote {out}" + (f" and {appendix}" if appendix is not None else ""))
    warned = checks[checks["severity"] == "warning"]
    if len(warned) and not args.quiet:
        print(f"{len(warned)} plain-language notes on the report's own words (quotes are never checked), e.g.:",
              file=sys.stderr)
        for message in warned["message"].head(5):
            print(f"  - {message}", file=sys.stderr)
    print(f"Report written to {out}" + (f", its technical appendix to {appendix}." if appendix is not None else "."))
    return 0


def cmd_info(args) -> int:
    from ..project import Project

    with Project.open(args.project) as proj:
        _print_summary(proj, sys.stdout)
        _print_coding_summary(proj, sys.stdout)
        _print_agreement_summary(proj, sys.stdout)
    return 0
