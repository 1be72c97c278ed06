"""Reuse among the plain-text files of a folder (``manage.py find_reuse``), without the database.

Candidate pairs come from an in-memory inverted index of fingerprints sampled at 1 in 4 — dense enough that a
pair sharing half of a 100-character text shares ~12 fingerprints, so no pair at a useful threshold is missed —
and every candidate pair is verified exactly.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from xinbao.quality.reuse.fingerprint import fingerprints
from xinbao.quality.reuse.normalize import normalise
from xinbao.quality.reuse.verify import compare_normalised

FOLDER_RATE = 4
#: A fingerprint in more files than this is a stock phrase of the folder and proposes no pair by itself.
MAX_POSTINGS = 200


@dataclass(frozen=True)
class PairScore:
    a: str
    b: str
    score: float


def scan_folder(folder: Path, *, threshold: float = 0.5) -> list[PairScore]:
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".txt")
    return score_texts({p.name: p.read_text(encoding="utf-8-sig") for p in files}, threshold=threshold)


def score_texts(texts: dict[str, str], *, threshold: float = 0.5) -> list[PairScore]:
    names = list(texts)
    norms = [normalise(texts[n]) for n in names]
    postings: dict[int, list[int]] = defaultdict(list)
    for i, norm in enumerate(norms):
        for h in fingerprints(norm.text, FOLDER_RATE):
            postings[h].append(i)
    pairs: set[tuple[int, int]] = set()
    for docs in postings.values():
        if 1 < len(docs) <= MAX_POSTINGS:
            pairs.update(combinations(docs, 2))
    out = []
    for i, j in sorted(pairs):
        score = compare_normalised(norms[i], norms[j]).score
        if score >= threshold:
            out.append(PairScore(names[i], names[j], score))
    return out
