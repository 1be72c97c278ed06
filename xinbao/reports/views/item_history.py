"""Revisions compared (any two of an item) and the lineage of an item across levels (PRODUCT 3.1).

"报到市一级已面目全非" becomes visible: for an original item the lineage follows it upward through every 转报
(township → county → city) to the last level it reached; for a forwarded item it shows where it came from.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from xinbao.reports.diff import Hop, change_ratio, char_diff, lineage_paths, revision_text
from xinbao.reports.forms import DiffForm
from xinbao.reports.services import report_record_read
from xinbao.reports.views.items import LEVEL_LABELS, current_user, revision_rows, visible_or_404


def percent(ratio: float | None) -> str:
    return "" if ratio is None else f"{ratio * 100:.1f}%"


@login_required
@require_GET
def diff(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    report = visible_or_404(user, pk)
    report_record_read(user=user, report=report, what="diff")
    revisions = {r.number: r for r in report.revisions.select_related("author", "unit")}
    numbers = sorted(revisions)
    default = {"a": numbers[-2] if len(numbers) > 1 else numbers[0], "b": numbers[-1]}
    form = DiffForm(request.GET if ("a" in request.GET or "b" in request.GET) else default, numbers=numbers)
    result = None
    if form.is_valid():
        old, new = revisions[form.cleaned_data["a"]], revisions[form.cleaned_data["b"]]
        result = {
            "old": old,
            "new": new,
            "title": char_diff(old.title, new.title),
            "body": char_diff(old.body, new.body),
            "ratio": percent(change_ratio(revision_text(old), revision_text(new))),
        }
    return render(
        request,
        "reports/diff.html",
        {"report": report, "form": form, "result": result, "revisions": revision_rows(report)},
    )


def _path(path_hops: list[Hop]) -> list[dict]:
    hops = []
    previous = None
    for hop in path_hops:
        hops.append(
            {
                "hop": hop,
                "level": LEVEL_LABELS.get(hop.level, hop.level),
                "ratio": percent(hop.change_from_previous),
                "segments": char_diff(revision_text(previous), revision_text(hop.revision))
                if previous
                else None,
            }
        )
        previous = hop.revision
    return hops


@login_required
@require_GET
def lineage(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    report = visible_or_404(user, pk)
    report_record_read(user=user, report=report, what="lineage")
    paths = [{"end": end, "hops": _path(hops)} for end, hops in lineage_paths(report)]
    return render(request, "reports/lineage.html", {"report": report, "paths": paths})
