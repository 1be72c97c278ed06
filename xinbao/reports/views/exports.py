"""Downloads of the item lists as .xlsx: the rows are the page's own (same selector, same filters)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xinbao.common.xlsx import xlsx_response
from xinbao.reports.services.exports import inbox_export, report_list_export
from xinbao.reports.views.items import current_user, mine_queryset
from xinbao.reports.views.review import inbox_queryset, require_office_member


@login_required
@require_GET
def mine_export(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    _form, qs = mine_queryset(request, user)
    return xlsx_response(report_list_export(actor=user, reports=qs), _("本单位信息"))


@login_required
@require_GET
def inbox_export_view(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    require_office_member(user)
    _form, qs = inbox_queryset(request, user)
    return xlsx_response(inbox_export(actor=user, submissions=qs), _("收到的信息"))
