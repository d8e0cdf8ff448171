"""Theme benchmarks, printed beside their references in one run.

1. ``cluster_texts`` on 100,000 short texts (target under 30 s; peak memory printed), and its
   agreement with the texts' true topics (adjusted Rand index, NMI) beside the baseline the
   issue names: TF-IDF + LSA + k-means (same number of themes).
2. ``cooccurrence`` on a project with 500,000 codings (target under 2 s).

    python benchmarks/themes.py [--texts 100000] [--codings 500000]
"""

from __future__ import annotations

import argparse
import resource
import time
import warnings

import numpy as np

TOPICS = {
    "transport": "bus fare ticket travel taxi journey stop route late driver pass".split(),
    "interpreters": "interpreter translate language english urdu romani leaflet understand words arabic".split(),
    "childcare": "children kids childcare creche nursery school baby mind pick childminder".split(),
    "payment": "vouchers cash payment money paid bank benefits late invoice wages".split(),
    "ethics": "ethics approval forms consent university committee governance dbs delay paperwork".split(),
    "venues": "hall room cafe church cold heating space venue building chairs".split(),
    "trust": "trust council home office afraid suspicious believe honest relationship know fear".split(),
    "training": "training session learn skills course teach interview practice confidence workshop".split(),
    "digital": "zoom internet phone data laptop online wifi app signal tablet".split(),
    "impact": "change service gp practice findings report council listened difference improved".split(),
}
FILLER = "the a and we it was they that so um really just to of in on for with".split()


def make_texts(n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    names = list(TOPICS)
    labels = rng.integers(0, len(names), n)
    texts = []
    for lab in labels:
        words = list(rng.choice(TOPICS[names[lab]], rng.integers(3, 7)))
        other = TOPICS[names[rng.integers(0, len(names))]]
        words += list(rng.choice(other, rng.integers(0, 3)))  # people drift between topics
        words += list(rng.choice(FILLER, rng.integers(3, 8)))
        rng.shuffle(words)
        texts.append(" ".join(words))
    return texts, labels


def baseline(texts, k, seed=0):
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import Normalizer

    X = TfidfVectorizer().fit_transform(texts)
    Z = make_pipeline(TruncatedSVD(100, random_state=seed), Normalizer()).fit_transform(X)
    return KMeans(k, random_state=seed, n_init=3).fit_predict(Z)


def main() -> None:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    import coeval as ce

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=100_000)
    parser.add_argument("--codings", type=int, default=500_000)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    texts, truth = make_texts(args.texts)
    start = time.perf_counter()
    ours = ce.cluster_texts(texts, seed=0)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    k = ours["theme"].nunique()
    start = time.perf_counter()
    base = baseline(texts, k)
    base_seconds = time.perf_counter() - start
    print(f"{'measure':<46}{'coeval':>12}{'baseline':>12}  target")
    print("-" * 84)
    print(f"{f'cluster_texts, {args.texts:,} texts (s)':<46}{seconds:>12.1f}{base_seconds:>12.1f}  < 30 s: "
          f"{'met' if seconds < 30 else 'NOT met'}")
    print(f"{'  themes found (true topics: 10)':<46}{k:>12}{k:>12}")
    print(f"{'  adjusted Rand index vs true topics':<46}{adjusted_rand_score(truth, ours['theme']):>12.3f}"
          f"{adjusted_rand_score(truth, base):>12.3f}")
    print(f"{'  normalised mutual information':<46}{normalized_mutual_info_score(truth, ours['theme']):>12.3f}"
          f"{normalized_mutual_info_score(truth, base):>12.3f}")
    print(f"{'  peak memory of the process (MiB)':<46}{peak:>12.0f}")
    seconds = _cooccurrence(args.codings)
    print(f"{f'cooccurrence, {args.codings:,} codings (s)':<46}{seconds:>12.2f}{'':>12}  < 2 s: "
          f"{'met' if seconds < 2 else 'NOT met'}")


def _cooccurrence(n_codings: int) -> float:
    import pandas as pd

    import coeval as ce

    rng = np.random.default_rng(1)
    proj = ce.Project()
    n_docs, per_doc = 100, 500
    for d in range(n_docs):
        text = "\n\n".join(f"turn {i} here" for i in range(per_doc))
        segments, pos = [], 0
        for i in range(per_doc):
            piece = f"turn {i} here"
            segments.append(ce.Segment(start=pos, end=pos + len(piece), id=f"d{d}:{i + 1}", document_id=f"d{d}",
                                       site=f"site{d % 4}"))
            pos += len(piece) + 2
        proj.add_document(ce.Document(id=f"d{d}", kind="notes", title=f"d{d}", text=text, content_hash=f"h{d}",
                                      site=f"site{d % 4}", segments=segments))
    cb = ce.Codebook("bench")
    for i in range(60):
        cb.add(f"code {i}")
    proj.codebook = cb
    seg_ids = [f"d{d}:{i + 1}" for d in range(n_docs) for i in range(per_doc)]
    rows = set()
    while len(rows) < n_codings:
        s = seg_ids[rng.integers(0, len(seg_ids))]
        rows.add((s, f"code {int(rng.zipf(1.5)) % 60}", f"coder{rng.integers(0, 5)}"))
    frame = pd.DataFrame(sorted(rows), columns=["segment_id", "code", "coder"]).assign(role="academic")
    proj.import_codings(frame)
    import networkx  # noqa: F401  one-off library imports, outside the timing
    import scipy.sparse  # noqa: F401

    start = time.perf_counter()
    G = ce.cooccurrence(proj)
    seconds = time.perf_counter() - start
    assert G.number_of_nodes() == 60
    return seconds


if __name__ == "__main__":
    main()
