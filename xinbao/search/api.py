"""GET /api/v1/search: the same search as the page, through the same visibility selector."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema

from xinbao.api.pagination import Page, PageParams, paginate
from xinbao.api.schemas import READ_ERRORS
from xinbao.reports.schemas import ReportOut, StateValue, TypeValue
from xinbao.reports.services import report_record_read
from xinbao.search.selectors import parse_query, report_search
from xinbao.search.snippets import highlight, snippet

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


class SearchHitOut(ReportOut):
    title_html: str = Field(..., description=gettext_lazy("标题，检索词以 <mark> 标出"))
    snippet_html: str = Field(..., description=gettext_lazy("正文摘要，检索词以 <mark> 标出"))


@router.get(
    "/search",
    response={200: Page[SearchHitOut], **READ_ERRORS},
    summary=gettext_lazy("全文检索（只返回有权查看的信息）"),
)
def search(request: HttpRequest, filters: Query[SearchFilters], paging: Query[PageParams]):  # type: ignore[no-untyped-def]
    query = parse_query(filters.q)
    item_filters = filters.dict(exclude_none=True, exclude={"q"})
    page = paginate(report_search(user=request.auth, query=query, filters=item_filters), paging)
    for report in page["results"]:
        # A restricted item's text shown in a snippet is a read of it (PRODUCT 4: every read is audited).
        report_record_read(user=request.auth, report=report, what="api_search")
        report.title_html = highlight(report.title, query.terms)
        report.snippet_html = snippet(report.body, query.terms)
    return page
