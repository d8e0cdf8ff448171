"""How the analyses grow with a programme's size: each analysis at two sizes, ten times apart.

Builds two synthetic projects (the corpus generator's transcripts and notes, ingested; the
coeval codebook; 5 coders, each coding about a fifth of the segments, with a double-coded
share, so agreement has work to do) and times each analysis in a fresh process: CPU seconds
of that process (the machine's load does not distort them) and its peak memory. Beside each
figure at the large size: ten times its figure at the small size, the linear reference.

    python benchmarks/scale.py [--words 1000000] [--codings 100000] [--keep DIR]

Benchmarks, not tests: nothing here fails.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_corpus import make_corpus  # noqa: E402

CODERS = [("AC-1", "academic"), ("AC-2", "academic"), ("PR-1", "peer_researcher"), ("PR-2", "peer_researcher"),
          ("CC-1", "community_coordinator")]
ANALYSES = {
    "codings frame": "proj.codings",
    "segment polarity": "ce.segment_polarity(proj)",
    "fai matrix": "ce.fai_matrix(proj)",
    "agreement": "ce.agreement(proj)",
    "site differences": "ce.site_differences(proj, ce.themes(proj, seed=0))",
    "framework matrix": "ce.framework_matrix(proj, by='site')",
    "full HTML report": "ce.Report(proj).to_html(str(out / 'report.html'))",
}
CHILD = r"""
import json, resource, sys, time, warnings
from pathlib import Path
warnings.simplefilter("ignore")
import coeval as ce
proj = ce.Project.open(sys.argv[1])
out = Path(sys.argv[2])
start = time.process_time()
exec(sys.argv[3])
print(json.dumps({"cpu": time.process_time() - start,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def build(folder: Path, words: int, codings: int, seed: int = 0) -> Path:
    """A project of about ``words`` words and ``codings`` codings by 5 coders (kept if it exists)."""
    import numpy as np
    import pandas as pd

    import coeval as ce

    project = folder / f"scale-{words}-{codings}.coeval"
    if project.exists():
        return project
    corpus = folder / f"corpus-{words}"
    if not corpus.exists():
        make_corpus(corpus, words=words, seed=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        proj = ce.Project.create(project)
        proj.ingest(corpus, progress=False)
        proj.codebook = ce.Codebook.template("coeval")
        for name, role in CODERS:
            proj.add_coder(name, role)
        segs = proj.segments
        codes = [c.name for c in proj.codebook.ordered()]
        rng = np.random.default_rng(seed)
        docs = segs["document_id"].unique()
        shared = set(rng.choice(docs, size=max(1, len(docs) // 5), replace=False))   # double-coded records
        per_coder = codings // len(CODERS)
        rows = []
        for k, (name, _role) in enumerate(CODERS):
            # the first coder codes everything; the others their own share, and the shared records
            pool = segs if k == 0 else segs[(segs.index % len(CODERS) == k) | segs["document_id"].isin(shared)]
            picked = pool.sample(n=min(per_coder, len(pool)), replace=len(pool) < per_coder, random_state=seed + k)
            chosen = rng.choice(codes, size=len(picked))
            rows.append(pd.DataFrame({"segment_id": picked["segment_id"].to_numpy(), "code": chosen, "coder": name}))
        table = pd.concat(rows).drop_duplicates(["segment_id", "code", "coder"])
        proj.import_codings(table)
        proj.close()
    return project


def measure(project: Path, out: Path) -> dict:
    results = {}
    for name, code in ANALYSES.items():
        run = subprocess.run([sys.executable, "-c", CHILD, str(project), str(out), code], capture_output=True,
                             text=True)
        if run.returncode != 0:
            results[name] = {"error": run.stderr.strip().splitlines()[-1] if run.stderr else "failed"}
        else:
            results[name] = json.loads(run.stdout.strip().splitlines()[-1])
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--codings", type=int, default=100_000)
    parser.add_argument("--keep", help="a folder to keep the corpora and projects in (reused next time)")
    args = parser.parse_args()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp())
    folder.mkdir(parents=True, exist_ok=True)
    sizes = [(args.words // 10, args.codings // 10), (args.words, args.codings)]
    found = {}
    for words, codings in sizes:
        start = time.perf_counter()
        project = build(folder, words, codings)
        print(f"built {words:,} words, {codings:,} codings in {time.perf_counter() - start:.0f} s: {project}",
              flush=True)
        found[(words, codings)] = measure(project, folder)
    small, large = (found[s] for s in sizes)
    print(f"\n{'analysis':<20} {'small CPU s':>11} {'large CPU s':>11} {'10x small':>10} {'ratio':>6} "
          f"{'large peak MiB':>14}")
    for name in ANALYSES:
        a, b = small[name], large[name]
        if "error" in a or "error" in b:
            print(f"{name:<20} {a.get('error') or b.get('error')}")
            continue
        ratio = b["cpu"] / (10 * a["cpu"]) if a["cpu"] else float("nan")
        print(f"{name:<20} {a['cpu']:11.2f} {b['cpu']:11.2f} {10 * a['cpu']:10.2f} {ratio:6.2f} {b['peak_mib']:14.0f}")
    print("\nratio: large CPU over ten times small CPU (1.00 is linear; the issue's bar is 2.00). CPU includes "
          "the process's start (imports, opening the project).")


if __name__ == "__main__":
    main()
