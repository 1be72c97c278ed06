"""Exact verification of a candidate pair: which passages of the shorter text occur in the longer one.

Score (issue 7): the share of the shorter text (normalised characters) that lies in passages found in the other.
A passage is a chain of shared k-grams that stays in step in both texts; a gap of up to ``GAP`` characters inside a
chain (a swapped name: 张建国 → 李明, 城关镇 → 白沙镇) is bridged and counted, because a copy with the names changed is
still a copy. Chains shorter than ``MIN_PASSAGE`` are dropped: two unrelated items on the same topic share stock
phrases (贯彻落实…, 取得明显成效) but not whole clauses.
"""

from __future__ import annotations

from dataclasses import dataclass

from xinbao.quality.reuse.normalize import Normalised, normalise

K = 8
GAP = 6
MIN_PASSAGE = 14


@dataclass(frozen=True)
class Passage:
    #: Character ranges in the original (not normalised) texts: [start, end).
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    length: int  # normalised characters of the shorter text this passage covers


@dataclass(frozen=True)
class Comparison:
    score: float
    passages: tuple[Passage, ...]


def _chains(short: str, long: str) -> list[list[int]]:
    """[s0, s1, l0, l1] chains, in the order of the short text."""
    where: dict[str, list[int]] = {}
    for j in range(len(long) - K + 1):
        where.setdefault(long[j : j + K], []).append(j)
    chains: list[list[int]] = []
    cur: list[int] | None = None
    last_i = last_p = 0
    for i in range(len(short) - K + 1):
        places = where.get(short[i : i + K])
        if not places:
            continue
        if cur is not None and i - last_i <= K + GAP:
            expect = last_p + (i - last_i)
            near = [p for p in places if abs(p - expect) <= GAP]
            if near:
                p = min(near, key=lambda q: abs(q - expect))
                cur[1], cur[3] = i + K, p + K
                last_i, last_p = i, p
                continue
        if cur is not None:
            chains.append(cur)
        p = places[0]
        cur = [i, i + K, p, p + K]
        last_i, last_p = i, p
    if cur is not None:
        chains.append(cur)
    return [c for c in chains if c[1] - c[0] >= MIN_PASSAGE]


def _covered(chains: list[list[int]]) -> int:
    total = 0
    end = -1
    for s0, s1, _l0, _l1 in sorted(chains):
        if s1 <= end:
            continue
        total += s1 - max(s0, end)
        end = s1
    return total


def compare_normalised(a: Normalised, b: Normalised) -> Comparison:
    """Compare two normalised texts; passages come back in a's and b's original coordinates."""
    swap = len(a.text) > len(b.text)
    short, long = (b, a) if swap else (a, b)
    if len(short.text) < K:
        return Comparison(0.0, ())
    chains = _chains(short.text, long.text)
    score = min(1.0, _covered(chains) / len(short.text))
    passages = []
    for s0, s1, l0, l1 in chains:
        ss, se = short.offsets[s0], short.offsets[s1 - 1] + 1
        ls, le = long.offsets[l0], long.offsets[l1 - 1] + 1
        if swap:
            passages.append(Passage(ls, le, ss, se, s1 - s0))
        else:
            passages.append(Passage(ss, se, ls, le, s1 - s0))
    return Comparison(round(score, 4), tuple(passages))


def compare(a: str, b: str) -> Comparison:
    return compare_normalised(normalise(a), normalise(b))
