from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xinbao.reports.diff import lineage_hops
from xinbao.reports.selectors import report_get_visible


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_get_visible(user=request.user, pk=pk)
    return render(request, "reports/detail.html", {"report": report, "hops": lineage_hops(report)})
