"""Agreement benchmarks, printed side by side with the reference implementation.

1. Krippendorff's alpha, 2 coders x 1,000,000 nominal units: coeval against the `krippendorff`
   package (the reference), same value within 1e-9; time and peak memory (each in its own
   process, so peak memory is that computation's alone). Target: >= 10x faster, >= 20x less memory.
2. 5 coders x 100,000 units, 20 categories, some missing: coeval no slower than the reference.
3. Character-level agreement table, 3 coders x 50 codes over a 1,000,000-character corpus:
   target under 2 s.

    python benchmarks/agreement.py [--categories 10]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

CHILD = r"""
import json, resource, sys, time
import numpy as np
which, level = sys.argv[1], sys.argv[6]
coders, units, k, missing = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
rng = np.random.default_rng(0)
base = rng.integers(0, k, units)
data = np.where(rng.random((coders, units)) < 0.8, base, rng.integers(0, k, (coders, units))).astype(float)
if missing:
    data[rng.random(data.shape) < missing] = np.nan
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
if which == "coeval":
    from coeval.agreement import krippendorff_alpha
    value = krippendorff_alpha(data, level)
else:
    import krippendorff
    value = krippendorff.alpha(reliability_data=data, level_of_measurement=level)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"value": float(value), "seconds": seconds, "peak_mib": peak / 1024,
                  "extra_mib": (peak - before) / 1024}))
"""


def _run(which, coders, units, k, missing=0.0, level="nominal"):
    out = subprocess.run([sys.executable, "-c", CHILD, which, str(coders), str(units), str(k), str(missing), level],
                         capture_output=True, text=True)
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr else "failed"}
    return json.loads(out.stdout)


def _row(label, ours, ref, speed_target=None, memory_target=None):
    if "error" in ref:
        print(f"{label:<44} coeval {ours['seconds']:.2f}s {ours['extra_mib']:.0f} MiB; "
              f"reference failed: {ref['error']}")
        return
    speed = ref["seconds"] / ours["seconds"]
    memory = max(ref["extra_mib"], 1) / max(ours["extra_mib"], 1)
    same = abs(ours["value"] - ref["value"])
    print(f"{label:<44}{ours['seconds']:>9.2f}{ref['seconds']:>9.2f}{speed:>8.1f}x"
          f"{ours['extra_mib']:>10.0f}{ref['extra_mib']:>10.0f}{memory:>8.1f}x  |diff| {same:.1e}")
    verdicts = []
    if speed_target:
        verdicts.append(f"speed >= {speed_target}x: {'met' if speed >= speed_target else 'NOT met'}")
    if memory_target:
        verdicts.append(f"memory >= {memory_target}x less: {'met' if memory >= memory_target else 'NOT met'}")
    verdicts.append(f"same value within 1e-9: {'met' if same <= 1e-9 else 'NOT met'}")
    print(" " * 44 + "; ".join(verdicts))


def _character_benchmark() -> float:
    import warnings

    import numpy as np
    import pandas as pd

    import coeval as ce

    warnings.simplefilter("ignore")
    rng = np.random.default_rng(0)
    words = ["the", "bus", "fare", "was", "too", "much", "and", "interpreter", "helped", "us", "a", "lot"]
    proj = ce.Project()
    docs = []
    for d in range(20):
        text = " ".join(rng.choice(words, 9000))[:50_000]
        doc = ce.Document(id=f"d{d}", kind="notes", title=f"d{d}", text=text, content_hash=f"h{d}",
                          segments=[ce.Segment(start=0, end=len(text), id=f"d{d}:1", document_id=f"d{d}")])
        proj.add_document(doc)
        docs.append((doc.id, len(text)))
    cb = ce.Codebook("bench")
    for i in range(50):
        cb.add(f"code {i}")
    proj.codebook = cb
    rows = []
    for doc_id, length in docs:
        for i in range(50):
            for _ in range(4):
                start = int(rng.integers(0, length - 400))
                end = start + int(rng.integers(50, 400))
                for coder in ("a", "b", "c"):
                    if rng.random() < 0.8:
                        jitter = int(rng.integers(-20, 20))
                        s, e = max(0, start + jitter), min(length, end + jitter)
                        rows.append((doc_id, s, e, f"code {i}", coder, "academic"))
    proj.import_codings(pd.DataFrame(rows, columns=["document_id", "start", "end", "code", "coder", "role"]))
    start = time.perf_counter()
    table = ce.agreement(proj, unit="character")
    seconds = time.perf_counter() - start
    assert table["n_units"].iloc[0] == sum(length for _, length in docs)
    return seconds, len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--categories", type=int, default=10, help="categories in the 1M-unit case")
    args = parser.parse_args()
    print(f"{'case':<44}{'coeval s':>9}{'ref s':>9}{'speed':>9}{'coeval MiB':>10}{'ref MiB':>10}{'memory':>9}")
    print("-" * 110)
    ours = _run("coeval", 2, 1_000_000, args.categories)
    ref = _run("krippendorff", 2, 1_000_000, args.categories)
    _row(f"alpha, 2 coders x 1M units, {args.categories} categories", ours, ref, 10, 20)
    ours = _run("coeval", 5, 100_000, 20, missing=0.1)
    ref = _run("krippendorff", 5, 100_000, 20, missing=0.1)
    _row("alpha, 5 coders x 100k units, 20 categories", ours, ref, 1)
    ours = _run("coeval", 5, 100_000, 20, missing=0.1, level="interval")
    ref = _run("krippendorff", 5, 100_000, 20, missing=0.1, level="interval")
    _row("alpha (interval), 5 coders x 100k, 20 values", ours, ref, 1)
    seconds, n = _character_benchmark()
    print(f"{'character-level table, 3 coders x 50 codes, 1M chars':<54}{seconds:>9.2f}s   "
          f"target < 2 s: {'met' if seconds < 2 else 'NOT met'} ({n:,} codings)")
    print("(reference: the krippendorff package, in a separate process per run; MiB: peak memory added by the run)")


if __name__ == "__main__":
    main()
