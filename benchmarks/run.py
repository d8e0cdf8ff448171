"""Benchmarks for the foundation: ingest throughput, peak memory, and import time.

Prints each figure beside the reference it is compared with, measured in the same run:

- ingest of a synthetic 1M-word corpus (roster pseudonymiser on) into a project file:
  words per second against the 200,000 words/s target, and peak memory;
- ``import coeval`` against ``import pandas`` (median of fresh interpreters), target <= 1.5x.

    python benchmarks/run.py [--words 1000000] [--repeats 7]

These are benchmarks, not tests: the machines are shared and noisy, so nothing here fails.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_corpus import make_corpus  # noqa: E402

INGEST_CHILD = r"""
import json, resource, sys, time, warnings
warnings.simplefilter("ignore")
import coeval as ce
corpus, project = sys.argv[1], sys.argv[2]
cold = time.perf_counter()
import pandas, sqlalchemy, tqdm, docx  # one-off library imports, timed apart from the ingest
imports = time.perf_counter() - cold
with ce.Project.create(project, overwrite=True) as proj:
    start = time.perf_counter()
    result = proj.ingest(corpus, progress=False)
    seconds = time.perf_counter() - start
    segments = len(proj.segments)
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "imports": imports, "words": result.words, "documents": len(result.added),
                  "segments": segments, "peak_mib": peak_kib / 1024}))
"""


def _import_seconds(module: str, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"import {module}"], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        made = make_corpus(corpus, words=args.words)
        out = subprocess.run([sys.executable, "-c", INGEST_CHILD, str(corpus), str(Path(tmp) / "b.coeval")],
                             check=True, capture_output=True, text=True)
        ingest = json.loads(out.stdout)

    baseline = _import_seconds("sys", args.repeats)  # the interpreter's own start-up
    coeval_s = _import_seconds("coeval", args.repeats)
    pandas_s = _import_seconds("pandas", args.repeats)
    rate = ingest["words"] / ingest["seconds"]

    print(f"coeval benchmarks (python {sys.version.split()[0]})")
    print(f"corpus: {made['files']} files, {ingest['words']:,} words, {ingest['segments']:,} segments")
    print()
    print(f"{'measure':<34}{'coeval':>14}{'reference':>16}  {'target':<14}{'verdict'}")
    print("-" * 88)
    print(f"{'ingest throughput (words/s)':<34}{rate:>14,.0f}{200_000:>16,}  {'>= 200,000':<14}"
          f"{'met' if rate >= 200_000 else 'NOT met'}")
    print(f"{'ingest wall time (s)':<34}{ingest['seconds']:>14.2f}{'':>16}  "
          f"(+ {ingest['imports']:.2f}s one-off library imports)")
    print(f"{'ingest peak memory (MiB)':<34}{ingest['peak_mib']:>14.0f}{'':>16}")
    ratio = coeval_s / pandas_s
    print(f"{'import time, whole process (s)':<34}{coeval_s:>14.3f}{pandas_s:>16.3f}  "
          f"{'<= 1.5x pandas':<14}{'met' if ratio <= 1.5 else 'NOT met'} ({ratio:.2f}x)")
    net_c, net_p = coeval_s - baseline, pandas_s - baseline
    print(f"{'import time, net of start-up (s)':<34}{net_c:>14.3f}{net_p:>16.3f}  "
          f"{'':<14}({net_c / net_p:.2f}x)")
    print("(reference column: the target for throughput; `import pandas` for import time)")


if __name__ == "__main__":
    main()
