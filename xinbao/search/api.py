"""GET /api/v1/search: the same search as the page, through the same visibility selector."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema

from xinbao.api.pagination import PageParams
from xinbao.api.schemas import READ_ERRORS, ErrorOut
from xinbao.reports.schemas import ReportOut, StateValue, TypeValue
from xinbao.reports.services import report_record_read
from xinbao.search.selectors import parse_query, search_results

router = Router(tags=["search"])


class SearchFilters(Schema):
    q: str = Field(
        ..., description=gettext_lazy("检索词（标题、正文、附件文字），空格分隔的多个词须同时出现")
    )
    unit: int | None = Field(None, description=gettext_lazy("报送单位ID"))
    type: TypeValue | None = Field(None, description=gettext_lazy("信息类型"))
    state: StateValue | None = None
    date_from: date | None = Field(None, description=gettext_lazy("报送日期起（含）"))
    date_to: date | None = Field(None, description=gettext_lazy("报送日期止（含）"))
    series: int | None = Field(
        None, description=gettext_lazy("刊物ID：只检索在该刊物已印发各期中刊用的信息（须为有权查看的刊物）")
    )


class SearchHitOut(ReportOut):
    title_html: str = Field(..., description=gettext_lazy("标题，检索词以 <mark> 标出"))
    snippet_html: str = Field(..., description=gettext_lazy("正文摘要，检索词以 <mark> 标出"))


class SearchPage(Schema):
    count: int = Field(..., description=gettext_lazy("符合条件的信息数，至多计到1000"))
    count_capped: bool = Field(
        ...,
        description=gettext_lazy("为 true 时符合条件的信息多于 count，只能翻阅前 count 条；请缩小检索范围"),
    )
    page: int
    page_size: int
    results: list[SearchHitOut]


@router.get(
    "/search",
    response={200: SearchPage, 400: ErrorOut, **READ_ERRORS},
    summary=gettext_lazy("全文检索（只返回有权查看的信息）"),
)
def search(request: HttpRequest, filters: Query[SearchFilters], paging: Query[PageParams]):  # type: ignore[no-untyped-def]
    query = parse_query(filters.q)
    item_filters = filters.dict(exclude_none=True, exclude={"q"})
    found = search_results(
        user=request.auth, query=query, filters=item_filters, page=paging.page, per_page=paging.page_size
    )
    # A page past the end is an empty page, as in every list endpoint (the paginator would give the last one).
    hits = found.hits if found.page.number == paging.page else []
    results = []
    for hit in hits:
        # A restricted item's text shown in a snippet is a read of it (PRODUCT 4: every read is audited).
        report_record_read(user=request.auth, report=hit.report, what="api_search")
        hit.report.title_html = hit.title
        hit.report.snippet_html = hit.snippet
        results.append(hit.report)
    return {
        "count": found.count,
        "count_capped": found.capped,
        "page": paging.page,
        "page_size": paging.page_size,
        "results": results,
    }
