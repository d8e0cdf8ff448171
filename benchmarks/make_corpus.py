"""Generate a synthetic evaluation corpus of a given size, for the ingest benchmark.

The corpus mimics the sample: a roster, a manifest, and transcripts in the formats real tools
write (Zoom and Teams WebVTT, SRT, Otter text, "Name: text"), plus Markdown observation notes,
with participants' names, phone numbers and e-mail addresses in the text so that the
pseudonymiser does real work. Seeded: the same arguments give the same files.

    python benchmarks/make_corpus.py OUT_DIR --words 1000000
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

__all__ = ["make_corpus"]

FIRST = ["Amina", "Tesfaye", "Hamid", "Grace", "Mirela", "Ion", "Lenka", "Daniel", "Nasreen", "Saima",
         "Farah", "Rukhsana", "Karen", "Dave", "Sharon", "Paul", "Helen", "Sam", "Jo", "Yusuf", "Bilal",
         "Marta", "Petra", "Kofi", "Ada", "Zainab", "Tomasz", "Eilidh", "Priya", "Oluwaseun"]
LAST = ["Yusuf", "Bekele", "Karimi", "Mensah", "Dumitru", "Stoica", "Horváthová", "Balogh", "Akhtar",
        "Rafiq", "Iqbal", "Begum", "Whitworth", "Platt", "O'Neill", "Jennings", "Carter", "Okafor"]
ROLES = ["peer_researcher"] * 5 + ["community_coordinator", "academic"]
SITES = ["Northside", "Riverside", "Millbrook", "Eastfield"]
PHRASES = [
    "the bus fares were a real problem for us", "having an interpreter there made all the difference",
    "we couldn't always find childcare", "people didn't trust anyone from the council at first",
    "the vouchers came late, again", "the ethics forms took months", "the training was good but a bit academic",
    "evening sessions worked much better", "nobody knew what co-production meant", "the church hall was freezing",
    "it wasn't hard once we got going", "at first it was awkward, but then people opened up",
    "I learned how to ask questions properly", "the GP practice actually changed the reception process",
    "we felt listened to for once", "it was too much on top of work", "my confidence really grew",
    "we used WhatsApp voice notes because not everyone reads", "the findings went to the health board",
    "honestly, um, I wasn't sure it would make any difference",
]


def _sentence(rng: random.Random, people: list[tuple[str, str]]) -> str:
    words = rng.choice(PHRASES)
    r = rng.random()
    if r < 0.15:
        words = f"{rng.choice(people)[0].split()[0]} said {words}"
    elif r < 0.17:
        words += f", ring me on 07700 900{rng.randrange(1000):03d}"
    elif r < 0.18:
        words += f", email me at coordinator{rng.randrange(99)}@example.org"
    return words[0].upper() + words[1:] + rng.choice([".", ".", "?", "!"])


def _turn(rng, people, n_sentences):
    return " ".join(_sentence(rng, people) for _ in range(n_sentences))


def _ts(x: float, sep: str = ".") -> str:
    return f"{int(x // 3600):02d}:{int(x % 3600 // 60):02d}:{x % 60:06.3f}".replace(".", sep)


def _write_transcript(path: Path, style: str, rng, speakers, words_target: int) -> int:
    lines, words, t = [], 0, 0.0
    cue = 1
    if style in ("zoom", "teams"):
        lines.append("WEBVTT\n")
    while words < words_target:
        name, _ = rng.choice(speakers)
        text = _turn(rng, speakers, rng.randint(1, 4))
        words += len(text.split())
        start, t = t, t + rng.uniform(3, 20)
        if style == "zoom":
            lines.append(f"{cue}\n{_ts(start)} --> {_ts(t)}\n{name}: {text}\n")
        elif style == "teams":
            last, first = name.split()[-1], " ".join(name.split()[:-1])
            lines.append(f"{cue:08x}-aaaa-bbbb-cccc-000000000000/{cue}-0\n{_ts(start)} --> {_ts(t)}\n"
                         f"<v {last}, {first}>{text}</v>\n")
        elif style == "srt":
            lines.append(f"{cue}\n{_ts(start, ',')} --> {_ts(t, ',')}\n{name}: {text}\n")
        elif style == "otter":
            lines.append(f"{name}  {int(start // 60)}:{int(start % 60):02d}\n{text}\n")
        else:
            lines.append(f"[{_ts(start)[:8]}] {name}: {text}\n")
        cue += 1
    path.write_text("\n".join(lines), encoding="utf-8")
    return words


def _write_notes(path: Path, rng, people, site: str, words_target: int) -> int:
    parts, words = [f"---\ndate: 2026-03-{rng.randint(1, 28):02d}\nsite: {site}\nobserver: Helen Carter\n---\n"], 0
    hour = 9
    while words < words_target:
        body = _turn(rng, people, rng.randint(3, 8))
        words += len(body.split())
        parts.append(f"## {hour:02d}:00 Entry\n\n{body}\n")
        hour = hour % 23 + 1
    path.write_text("\n".join(parts), encoding="utf-8")
    return words


def make_corpus(out: Path, *, words: int = 1_000_000, words_per_file: int = 5_000, seed: int = 0) -> dict:
    """Write a corpus of about ``words`` words to ``out``; returns counts."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    people = []
    for i, first in enumerate(FIRST):
        for j in range(6):
            people.append((f"{first} {LAST[(i + j) % len(LAST)]}", f"P{i:02d}{j}"))
    with (out / "roster.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "aliases", "pseudonym", "role", "site"])
        for k, (name, pseudonym) in enumerate(people):
            w.writerow([name, "", pseudonym, ROLES[k % len(ROLES)], SITES[k % len(SITES)]])
    styles = ["zoom", "teams", "srt", "otter", "colon", "notes"]
    suffix = {"zoom": ".vtt", "teams": ".vtt", "srt": ".srt", "otter": ".txt", "colon": ".txt", "notes": ".md"}
    manifest = [["file", "kind", "site", "date", "session"], ["roster.csv", "roster", "", "", ""]]
    total, n = 0, 0
    while total < words:
        style = styles[n % len(styles)]
        site = SITES[n % len(SITES)]
        name = f"{site.lower()}/{style}_{n:04d}{suffix[style]}"
        (out / site.lower()).mkdir(exist_ok=True)
        speakers = rng.sample(people, 6)
        if style == "notes":
            total += _write_notes(out / name, rng, people, site, words_per_file)
            kind = "observation"
        else:
            total += _write_transcript(out / name, style, rng, speakers, words_per_file)
            kind = "transcript"
        manifest.append([name, kind, site, "2026-03-01", f"s{n}"])
        n += 1
    with (out / "manifest.csv").open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(manifest)
    return {"files": n, "words": total}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(make_corpus(args.out, words=args.words, seed=args.seed))


if __name__ == "__main__":
    main()
