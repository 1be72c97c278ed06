"""The search page: a query, the item list's filters, highlighted results, paging."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from xinbao.common.errors import ValidationFailed
from xinbao.reports.services import report_record_read
from xinbao.search.forms import SearchForm
from xinbao.search.selectors import parse_query, report_search
from xinbao.search.snippets import highlight, snippet

PAGE_SIZE = 20


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    context: dict = {"form": form, "page": None}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            query = parse_query(data["q"])
        except ValidationFailed as exc:
            form.add_error("q", exc.message)
        else:
            filters = {k: data[k] for k in ("type", "state", "date_from", "date_to") if data.get(k)}
            unit_text = (data.get("unit") or "").strip()
            if unit_text.isdigit():
                filters["unit"] = int(unit_text)
            qs = report_search(user=request.user, query=query, filters=filters)  # type: ignore[arg-type]
            if unit_text and not unit_text.isdigit():
                qs = qs.filter(
                    Q(unit__name__contains=unit_text)
                    | Q(unit__short_name__contains=unit_text)
                    | Q(unit__code=unit_text)
                )
            page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
            hits = []
            for report in page.object_list:
                report_record_read(user=request.user, report=report, what="search")  # type: ignore[arg-type]
                hits.append(
                    {
                        "report": report,
                        "title": highlight(report.title, query.terms),
                        "snippet": snippet(report.body, query.terms),
                    }
                )
            params = request.GET.copy()
            params.pop("page", None)
            context.update({"page": page, "hits": hits, "query": params.urlencode()})
    return render(request, "search/results.html", context)
