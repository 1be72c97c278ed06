"""The search page: a query, the item list's filters, highlighted results, paging."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from xinbao.common.errors import ValidationFailed
from xinbao.reports.services import report_record_read
from xinbao.search.forms import SearchForm
from xinbao.search.selectors import parse_query, search_results


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = SearchForm(request.GET or None, user=user)  # type: ignore[arg-type]
    context: dict = {"form": form, "results": None}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            query = parse_query(data["q"])
        except ValidationFailed as exc:
            form.add_error("q", exc.message)
        else:
            filters = {k: data[k] for k in ("type", "state", "date_from", "date_to", "series") if data.get(k)}
            unit_text = (data.get("unit") or "").strip()
            if unit_text.isdigit():
                filters["unit"] = int(unit_text)
            elif unit_text:
                filters["unit_text"] = unit_text
            results = search_results(
                user=user,  # type: ignore[arg-type]
                query=query,
                filters=filters,
                page=request.GET.get("page"),
            )
            for hit in results.hits:
                report_record_read(user=user, report=hit.report, what="search")  # type: ignore[arg-type]
            params = request.GET.copy()
            params.pop("page", None)
            context.update({"results": results, "page": results.page, "query": params.urlencode()})
    return render(request, "search/results.html", context)
