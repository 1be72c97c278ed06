"""Sampled k-gram fingerprints: the sketch kept in the index.

Each normalised k-character gram is hashed (a polynomial hash finished with the MurmurHash3 mixer); a gram is kept
when its hash is 0 modulo the sampling rate. This is consistent sampling ("0 mod p", Broder 1997; the idea behind
MOSS's winnowing): a passage shared by two texts yields the same kept hashes in both, wherever it sits, so the sketch
estimates *containment* — what a copy embedded in a longer text needs — where a whole-text MinHash estimates
Jaccard similarity and misses it.

Short texts are sampled more densely so that a 300-character item still leaves a dozen fingerprints; a query always
uses the dense rate, which contains every sparse fingerprint, so it meets both.
"""

from __future__ import annotations

import numpy as np

K = 8
DENSE = 16
SPARSE = 64
#: Normalised length from which a text is indexed at the sparse rate.
SPARSE_FROM = 1024

_P = np.uint64(1000003)
_M1 = np.uint64(0xFF51AFD7ED558CCD)
_M2 = np.uint64(0xC4CEB9FE1A85EC53)
_S33 = np.uint64(33)


def gram_hashes(norm: str, k: int = K) -> np.ndarray:
    """64-bit hash of every k-gram, in text order (empty when the text is shorter than k)."""
    n = len(norm) - k + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    cps = np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    for j in range(k):
        h = h * _P + cps[j : j + n]
    h ^= h >> _S33
    h *= _M1
    h ^= h >> _S33
    h *= _M2
    h ^= h >> _S33
    return h


def sample_rate(length: int) -> int:
    return SPARSE if length >= SPARSE_FROM else DENSE


def fingerprints(norm: str, rate: int | None = None) -> list[int]:
    """Distinct kept fingerprints as signed 32-bit integers (the high half of the hash, independent of the low
    bits used for sampling), ready for an IntegerField."""
    h = gram_hashes(norm)
    rate = rate or sample_rate(len(norm))
    kept = h[(h & np.uint64(rate - 1)) == 0]
    high = (kept >> np.uint64(32)).astype(np.uint32).view(np.int32)
    return sorted({int(x) for x in high})


def query_fingerprints(norm: str) -> list[int]:
    return fingerprints(norm, DENSE)
