"""Roster import (.xlsx, all or nothing), its template, the roster export, and the office's duty settings."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from xinbao.common.errors import DomainError
from xinbao.common.xlsx import XLSX_TYPE, Column, write_table, xlsx_response
from xinbao.duty.forms import ImportForm, SettingsForm
from xinbao.duty.selectors import policy_for, roster_entry_list_visible_to, shifts_for
from xinbao.duty.services import (
    RosterImportInvalid,
    duty_settings_update,
    roster_import,
    roster_template_xlsx,
)
from xinbao.duty.services.roster import parse_shift_lines, statutory_holidays
from xinbao.duty.views.access import office_for_editor, office_for_reader
from xinbao.duty.views.grid import parse_day

#: An export longer than a year is never what an office wants, and would be slow to build.
EXPORT_MAX_DAYS = 366


@login_required
def import_roster(request: HttpRequest) -> HttpResponse:
    office = office_for_editor(request)
    form = ImportForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    errors: list[dict] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = roster_import(
                actor=request.user, office=office, filename=upload.name, data=upload.read()
            )
        except RosterImportInvalid as exc:
            errors = exc.errors
            form.add_error(None, exc.message)
        except DomainError as exc:
            form.add_error("file" if exc.field == "file" else None, exc.message)
        else:
            messages.success(
                request,
                _("已导入%(n)d条排班，覆盖%(days)d天（原有%(old)d条已替换）")
                % {"n": result.created, "days": len(result.days), "old": result.replaced},
            )
            first = result.days[0].isoformat() if result.days else ""
            return redirect(f"{reverse('duty:roster')}?day={first}")
    return render(request, "duty/import.html", {"office": office, "form": form, "errors": errors})


@login_required
def template(request: HttpRequest) -> HttpResponse:
    office = office_for_editor(request)
    response = HttpResponse(roster_template_xlsx(office), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, _("排班导入模板") + ".xlsx")
    return response


@login_required
def export(request: HttpRequest) -> HttpResponse:
    office = office_for_reader(request)
    today = timezone.localdate()
    start = parse_day(request.GET.get("start"), today)
    end = parse_day(request.GET.get("end"), start + timedelta(days=29))
    if end < start:
        start, end = end, start
    end = min(end, start + timedelta(days=EXPORT_MAX_DAYS - 1))
    rows = (
        (
            e.day,
            e.shift_name,
            timezone.localtime(e.starts_at),
            timezone.localtime(e.ends_at),
            e.get_role_display(),
            e.name,
            e.phone,
        )
        for e in roster_entry_list_visible_to(user=request.user, start=start, end=end)
    )
    columns = [
        Column(_("值班日期"), 14),
        Column(_("班次"), 10),
        Column(_("开始时间"), 20),
        Column(_("结束时间"), 20),
        Column(_("岗位"), 10),
        Column(_("姓名"), 12),
        Column(_("值班电话"), 18),
    ]
    out = write_table(_("排班表"), columns, rows)
    return xlsx_response(out, _("%(office)s排班表") % {"office": office.display_name})


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    office = office_for_editor(request)
    policy = policy_for(office)
    holidays = statutory_holidays()
    initial = {
        "shifts": "\n".join(f"{s.name} {s.start:%H:%M}-{s.end:%H:%M}" for s in shifts_for(office)),
        "min_staff": policy.min_staff,
        "min_leaders": policy.min_leaders,
        "strict_holidays": policy.strict_holidays,
        "strict_min_staff": policy.strict_min_staff,
        "strict_min_leaders": policy.strict_min_leaders,
    }
    form = SettingsForm(
        request.POST if request.method == "POST" else None, initial=initial, holidays=holidays
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            duty_settings_update(
                actor=request.user,
                office=office,
                shifts=parse_shift_lines(data["shifts"]),
                min_staff=data["min_staff"],
                min_leaders=data["min_leaders"],
                strict_holidays=data["strict_holidays"],
                strict_min_staff=data["strict_min_staff"],
                strict_min_leaders=data["strict_min_leaders"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("值班设置已保存"))
            return redirect("duty:settings")
    return render(request, "duty/settings.html", {"office": office, "form": form})
