"""The main job, timed: ``coeval report data/sample --out report.html`` (and .docx, .pdf), end to
end in a fresh process, beside the issue's reference ("well under a minute"), with peak memory.

    python benchmarks/report.py [--formats html docx pdf] [--repeat 2]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 60.0


def run(fmt: str, out_dir: Path) -> tuple[float, float]:
    """Seconds and peak resident memory (MiB) of one ``coeval report`` run in a child process."""
    out = out_dir / f"report.{fmt}"
    code = ("import sys; from coeval.cli import main; "
            f"sys.exit(main(['report', {str(ROOT / 'data' / 'sample')!r}, '--out', {str(out)!r}, '--quiet']))")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run([sys.executable, "-W", "ignore", "-c", code], check=True, capture_output=True)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--formats", nargs="+", default=["html", "docx", "pdf"])
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    print(f"{'output':<8} {'best of':>7} {'seconds':>8} {'reference':>10} {'peak MiB':>9}  verdict")
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in args.formats:
            if fmt == "pdf":
                try:
                    import weasyprint  # noqa: F401
                except (ImportError, OSError):
                    print(f"{fmt:<8} skipped: WeasyPrint is not installed (pip install '.[pdf]')")
                    continue
            times, peaks = zip(*(run(fmt, Path(tmp)) for _ in range(args.repeat)))
            best = min(times)
            verdict = "met" if best < TARGET_S else "NOT met"
            print(f"{fmt:<8} {args.repeat:>7} {best:>8.1f} {'< ' + str(int(TARGET_S)) + ' s':>10} "
                  f"{max(peaks):>9.0f}  {verdict}")


if __name__ == "__main__":
    main()
