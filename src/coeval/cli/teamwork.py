"""The commands for the team's coding work: coder, assign, done, round, reconcile."""

from __future__ import annotations

__all__ = ["cmd_assign", "cmd_done", "cmd_round", "cmd_reconcile", "cmd_coder", "cmd_privacy"]


def cmd_assign(args) -> int:
    from ..project import Project

    with Project.open(args.project) as proj:
        if args.sample:
            drawn = proj.assign_sample(args.sample, fraction=args.fraction, seed=args.seed,
                                       stratify=None if args.stratify == "none" else args.stratify, unit=args.unit,
                                       documents=args.documents or None, round=args.round, by=args.by)
            what = "documents" if args.unit == "document" else "segments"
            print(f"Drew {len(drawn)} {what} ({args.fraction:.0%}, seed {args.seed}) for {', '.join(args.sample)} "
                  f"to double-code in round {args.round!r}.")
            if args.out:
                drawn.to_csv(args.out, index=False)
                print(f"Wrote the sample to {args.out}.")
            return 0
        if not args.coder:
            from ..errors import CodingError

            raise CodingError("say whose work it is: --coder NAME (or draw a sample with --sample A B).")
        documents = args.documents
        if not documents and not args.segments:
            documents = proj.documents["document_id"].tolist()
        n = proj.assign(args.coder, documents or None, segments=args.segments or None, round=args.round, by=args.by)
        print(f"Assigned {n} new item(s) to {args.coder} in round {args.round!r}.")
    return 0


def cmd_done(args) -> int:
    from ..project import Project

    with Project.open(args.project) as proj:
        n = proj.mark_done(args.coder, args.documents or None, round=args.round, by=args.by)
    print(f"Marked {n} assignment(s) of {args.coder} done.")
    return 0


def cmd_round(args) -> int:
    import pandas as pd

    from ..project import Project

    with Project.open(args.project) as proj:
        if args.action == "open":
            info = proj.open_round(args.name or "independent", blind=not args.not_blind, by=args.by,
                                   description=args.description or "")
            print(f"Round {info['name']!r} is open ({'blind' if info['blind'] else 'not blind'}).")
        elif args.action == "close":
            info = proj.close_round(args.name, by=args.by)
            alpha = (info["frozen"] or {}).get("alpha")
            print(f"Round {info['name']!r} is closed; its agreement is kept as it is now"
                  + (f" (overall alpha {alpha:.2f})." if alpha is not None else "."))
        frame = proj.rounds
    if frame.empty:  # every action ends by showing the rounds
        print("No rounds yet: open one with 'coeval round open FILE independent'.")
    else:
        with pd.option_context("display.width", 200, "display.float_format", "{:.3f}".format):
            print(frame.drop(columns=["description"]).to_string(index=False))
    return 0


def cmd_reconcile(args) -> int:
    from ..project import Project

    with Project.open(args.project) as proj:
        result = proj.reconcile(args.workbook, by=args.by, attendees=args.attendees or (), round=args.round,
                                partial=args.partial)
    print(f"Reconciled {result.segments} passage(s)" + (f" of round {result.round!r}" if result.round else "")
          + f": {result.agreed} consensus coding(s) where every coder agreed, {result.decided} from the meeting's "
            f"decisions, {result.dropped} code(s) dropped.")
    if result.undecided:
        print(f"{len(result.undecided)} disagreement(s) had no decision; their passages were left as they were.")
    print("The round's agreement is unchanged; analyses now count on the consensus codings.")
    return 0


def cmd_coder(args) -> int:
    from ..errors import CodingError
    from ..project import Project

    with Project.open(args.project) as proj:
        if args.action == "add":
            if not args.name:
                raise CodingError("say who: coeval coder add FILE NAME --role ROLE.")
            proj.add_coder(args.name, args.role or "academic")
            print(f"Registered {args.name} ({args.role or 'academic'}).")
        elif args.action == "rename":
            if not (args.name and args.new_name):
                raise CodingError("say who and the new name: coeval coder rename FILE OLD NEW.")
            proj.rename_coder(args.name, args.new_name, by=args.by, why=args.why)
            print(f"Renamed {args.name} to {args.new_name}.")
        elif args.action == "retire":
            if not args.name:
                raise CodingError("say who: coeval coder retire FILE NAME.")
            proj.retire_coder(args.name, by=args.by, why=args.why)
            print(f"Retired {args.name}; their codings stay.")
        print(proj.coders.to_string(index=False))
    return 0


def cmd_privacy(args) -> int:
    import pandas as pd

    from ..project import Project

    with Project.open(args.project) as proj:
        decided = 0
        if args.name:
            decided += proj.mark_review(args.name, name=True, by=args.by, everywhere=args.everywhere)
        if args.not_name:
            decided += proj.mark_review(args.not_name, name=False, by=args.by)
        if decided:
            print(f"Decided {decided} item(s).")
        review = proj.privacy_review()
    if review.empty:
        print("Nothing left to review: no words that may be names are waiting.")
        return 0
    print(f"{len(review)} word(s) may be people's names. Mark each: --name ID (masked where it stands) or "
          "--not-name ID.")
    with pd.option_context("display.width", 200, "display.max_colwidth", 90):
        print(review[["review_id", "document_id", "word", "kind", "context"]].to_string(index=False))
    return 0
