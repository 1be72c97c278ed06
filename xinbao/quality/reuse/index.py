"""The reuse index in the database: fingerprint postings per document, candidate lookup, exact verification.

Why the database and not an in-memory LSH (datasketch): at 1,000,000 items the postings are ~35 million
(fingerprint, document) pairs — ~280 MB as packed integers, several GB as Python objects in datasketch's band
dictionaries — and every web and worker process would need its own copy, rebuilt at start-up. In the database the
composite primary key (hash, doc) is a B-tree the lookup probes directly, it is shared by every process, kept
current in the same transaction as the text, and costs the Python process nothing (see bench/RESULTS.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.db import transaction
from django.db.models import Count

from xinbao.quality.models import CommonFingerprint, ReferenceDocument, ReuseDocument, ReuseFingerprint
from xinbao.quality.reuse.fingerprint import fingerprints, query_fingerprints, sample_rate
from xinbao.quality.reuse.normalize import Normalised, normalise
from xinbao.quality.reuse.verify import Comparison, compare_normalised

#: How many candidates (most shared fingerprints first) are verified exactly.
CANDIDATES = 30
#: A fingerprint shared by more documents than this is a stock phrase (rebuild_reuse_index).
COMMON_DF = 1000


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def report_text(title: str, body: str) -> str:
    return f"{title}\n{body}"


@lru_cache(maxsize=1)
def _common(version: int) -> frozenset[int]:
    return frozenset(CommonFingerprint.objects.values_list("hash", flat=True))


def common_fingerprints() -> frozenset[int]:
    return _common(CommonFingerprint.objects.count())


def _store(doc: ReuseDocument, text: str) -> None:
    norm = normalise(text, with_offsets=False).text
    skip = common_fingerprints()
    ReuseFingerprint.objects.filter(doc=doc).delete()
    ReuseFingerprint.objects.bulk_create(
        [ReuseFingerprint(hash=h, doc=doc) for h in fingerprints(norm) if h not in skip], batch_size=1000
    )
    doc.length = len(norm)
    doc.text_hash = text_hash(text)
    doc.save(update_fields=["length", "text_hash", "updated_at"])


@transaction.atomic
def index_report(report_id: int) -> bool:
    """(Re)index one item's current title and body; False when the text has not changed since last time."""
    from xinbao.reports.models import Report

    report = Report.objects.filter(pk=report_id).only("title", "body").first()
    if report is None:
        return False
    text = report_text(report.title, report.body)
    doc, created = ReuseDocument.objects.get_or_create(report=report, defaults={"text_hash": ""})
    if not created and doc.text_hash == text_hash(text):
        return False
    _store(doc, text)
    return True


@transaction.atomic
def index_reference(reference: ReferenceDocument) -> None:
    doc, _created = ReuseDocument.objects.get_or_create(reference=reference, defaults={"text_hash": ""})
    _store(doc, report_text(reference.title, reference.text))


@dataclass(frozen=True)
class Candidate:
    doc_id: int
    shared: int
    #: Estimated share of the shorter text that is shared: shared fingerprints over those the shorter text is
    #: expected to leave at the stored document's sampling rate.
    estimate: float


def candidates(
    norm: str, *, exclude_doc: int | None = None, limit: int = CANDIDATES, threshold: float = 0.0
) -> list[Candidate]:
    """Documents sharing fingerprints with ``norm``, most promising first. A candidate whose estimate is below
    half the threshold is not worth an exact comparison (a couple of 8-grams of common words, not a passage)."""
    skip = common_fingerprints()
    keys = [h for h in query_fingerprints(norm) if h not in skip]
    if not keys:
        return []
    rows = (
        ReuseFingerprint.objects.filter(hash__in=keys)
        .exclude(doc_id=exclude_doc)
        .values("doc_id", "doc__length")
        .annotate(shared=Count("hash"))
        .order_by("-shared", "doc_id")[: limit * 4]
    )
    out = []
    for r in rows:
        length = r["doc__length"] or 0
        expected = max(1.0, min(len(norm), length) / sample_rate(length))
        estimate = min(1.0, r["shared"] / expected)
        if estimate >= threshold / 2:
            out.append(Candidate(r["doc_id"], r["shared"], estimate))
    out.sort(key=lambda c: (-c.estimate, -c.shared, c.doc_id))
    return out[:limit]


@dataclass(frozen=True)
class Match:
    doc: ReuseDocument
    text: str  # the other document's indexed text (title + body), for side-by-side display
    comparison: Comparison

    @property
    def score(self) -> float:
        return self.comparison.score


def load_texts(doc_ids: Iterable[int]) -> dict[int, tuple[ReuseDocument, str]]:
    docs = ReuseDocument.objects.filter(pk__in=list(doc_ids)).select_related("report", "reference")
    out = {}
    for doc in docs:
        if doc.report is not None:
            out[doc.pk] = (doc, report_text(doc.report.title, doc.report.body))
        elif doc.reference is not None:
            out[doc.pk] = (doc, report_text(doc.reference.title, doc.reference.text))
    return out


def find_matches(
    text: str,
    *,
    threshold: float = 0.3,
    exclude_report_id: int | None = None,
    loader: Callable[[Iterable[int]], dict[int, tuple[ReuseDocument, str]]] = load_texts,
) -> list[Match]:
    """Earlier items and reference documents sharing passages with ``text``, best first, verified exactly."""
    query: Normalised = normalise(text)
    exclude = None
    if exclude_report_id is not None:
        exclude = (
            ReuseDocument.objects.filter(report_id=exclude_report_id).values_list("pk", flat=True).first()
        )
    found = candidates(query.text, exclude_doc=exclude, threshold=threshold)
    texts = loader(c.doc_id for c in found)
    matches = []
    for cand in found:
        if cand.doc_id not in texts:
            continue
        doc, other = texts[cand.doc_id]
        comparison = compare_normalised(query, normalise(other))
        if comparison.score >= threshold:
            matches.append(Match(doc, other, comparison))
    matches.sort(key=lambda m: -m.score)
    return matches


def rebuild(
    *, common_df: int = COMMON_DF, batch: int = 500, progress: Callable[[int], None] | None = None
) -> int:
    """Drop and rebuild the whole index from every item and reference document; recompute stock phrases."""
    from collections import Counter

    from xinbao.reports.models import Report

    def texts() -> Iterable[tuple[str, int, str]]:
        for r in Report.objects.only("title", "body").order_by("pk").iterator(chunk_size=batch):
            yield "report", r.pk, report_text(r.title, r.body)
        for d in ReferenceDocument.objects.order_by("pk").iterator(chunk_size=batch):
            yield "reference", d.pk, report_text(d.title, d.text)

    df: Counter[int] = Counter()
    for _kind, _pk, text in texts():
        df.update(fingerprints(normalise(text, with_offsets=False).text))
    with transaction.atomic():
        ReuseFingerprint.objects.all().delete()
        ReuseDocument.objects.all().delete()
        CommonFingerprint.objects.all().delete()
        CommonFingerprint.objects.bulk_create(
            [CommonFingerprint(hash=h, documents=n) for h, n in df.items() if n > common_df], batch_size=1000
        )
    _common.cache_clear()
    count = 0
    for kind, pk, text in texts():
        with transaction.atomic():
            doc = ReuseDocument.objects.create(
                report_id=pk if kind == "report" else None,
                reference_id=pk if kind == "reference" else None,
                text_hash="",
            )
            _store(doc, text)
        count += 1
        if progress and count % 1000 == 0:
            progress(count)
    return count


def reuse_index_soon(report_id: int) -> None:
    """Re-index the item once the current transaction commits. Derived data: a failure is logged (``robust``) and
    never fails the user's save; ``rebuild_reuse_index`` repairs the index."""
    from django.db import transaction

    transaction.on_commit(lambda: index_report(report_id), robust=True)
