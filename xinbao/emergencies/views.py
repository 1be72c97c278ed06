"""Pages: the duty board (值班看板), incident list and page, the rules, and the monthly 通报.

Reads go through the selectors (an incident someone may not see is 404); writes through the services, whose
Chinese refusals are shown on the form (403 for a permission refusal, as in the reports app).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinbao.common.errors import DomainError, NotFound, NotPermitted
from xinbao.emergencies import circular
from xinbao.emergencies.forms import (
    AnswerForm,
    IncidentFields,
    IssueForm,
    MonthForm,
    PhoneIncidentForm,
    PhoneReportForm,
    RuleForm,
    WrittenReportForm,
)
from xinbao.emergencies.models import Incident, IncidentStatus
from xinbao.emergencies.selectors import (
    board_for,
    can_answer_issue,
    can_edit_rules,
    can_record_issue,
    can_write_report,
    incident_detail,
    incident_get_visible,
    incident_list_visible_to,
    is_office_staff,
    reporting_issue_get_visible,
    rules_table,
)
from xinbao.emergencies.services import (
    Casualties,
    PhoneCall,
    deadline_rule_set,
    incident_register,
    incident_report_submit,
    phone_report_register,
    reporting_issue_answer,
    reporting_issue_record,
)
from xinbao.emergencies.services.incidents import written_label
from xinbao.orgs.selectors import unit_list_visible_to

if TYPE_CHECKING:
    from xinbao.accounts.models import User


def _user(request: HttpRequest) -> User:
    return cast("User", request.user)


def _refuse(exc: DomainError) -> None:
    if isinstance(exc, NotPermitted):
        raise PermissionDenied(exc.message)
    if isinstance(exc, NotFound):
        raise Http404(exc.message)


def _form_error(form: Any, exc: DomainError) -> None:
    _refuse(exc)
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _incident(user: User, pk: int) -> Incident:
    try:
        return incident_get_visible(user=user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _phone_units(user: User) -> Any:
    from xinbao.orgs.selectors import scope_root

    root = scope_root(user)
    if root is None:
        return unit_list_visible_to(user=user).none()
    return unit_list_visible_to(user=user).filter(path__startswith=root.path).exclude(kind="region")


def _casualties(data: dict[str, Any], *, partial: bool = False) -> Casualties | None:
    names = ("deaths", "injured", "missing", "trapped", "direct_loss")
    if partial and all(data.get(n) in (None, "") for n in names):
        return None
    return Casualties(
        deaths=data.get("deaths") or 0,
        injured=data.get("injured") or 0,
        missing=data.get("missing") or 0,
        trapped=data.get("trapped") or 0,
        direct_loss=data.get("direct_loss") or 0,
    )


def _call(data: dict[str, Any]) -> PhoneCall:
    return PhoneCall(
        received_at=data["received_at"],
        caller=data["caller"],
        caller_phone=data["caller_phone"],
        summary=data["phone_summary"],
    )


def _phone_form(user: User, data: Any = None) -> PhoneIncidentForm:
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    initial = {"received_at": now, "learned_at": now}
    return PhoneIncidentForm(data, units=_phone_units(user), initial=initial, prefix="phone")


# --- Duty board ------------------------------------------------------------------------------------------------


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    context = board_for(user=user)
    if request.headers.get("HX-Request") and request.GET.get("panel"):
        return render(request, "emergencies/_board_panel.html", context)
    context["can_take_calls"] = is_office_staff(user, "duty_officer")
    context["phone_form"] = _phone_form(user)
    return render(request, "emergencies/board.html", context)


@login_required
@require_POST
def phone_new(request: HttpRequest) -> HttpResponse:
    """The duty room takes a call about a new incident: incident and phone report in one step."""
    user = _user(request)
    form = _phone_form(user, request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            incident = incident_register(
                actor=user,
                unit=d["unit"],
                title=d["title"],
                category=d["category"],
                grade=d["grade"],
                occurred_at=d["occurred_at"],
                learned_at=d["learned_at"],
                place=d["place"],
                summary=d["summary"],
                casualties=cast(Casualties, _casualties(d)),
                phone=_call(d),
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("已登记电话报告，报送时限已开始计时"))
            return redirect("emergencies:detail", incident.pk)
    context = board_for(user=user)
    context.update(can_take_calls=is_office_staff(user, "duty_officer"), phone_form=form)
    return render(request, "emergencies/board.html", context, status=400)


# --- Incidents --------------------------------------------------------------------------------------------------


@login_required
@require_GET
def incident_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    status = request.GET.get("status") or ""
    qs = incident_list_visible_to(
        user=user, filters={"status": status} if status in IncidentStatus.values else {}
    )
    return render(
        request,
        "emergencies/list.html",
        {"incidents": qs[:200], "status": status, "statuses": IncidentStatus.choices},
    )


@login_required
@require_http_methods(["GET", "POST"])
def incident_new(request: HttpRequest) -> HttpResponse:
    """The unit's own registration (its informant or signer), when it reports before anyone calls."""
    user = _user(request)
    units = unit_list_visible_to(user=user).filter(pk=user.unit_id)
    form = IncidentFields(request.POST or None, units=units, initial={"unit": user.unit_id}, prefix="inc")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            incident = incident_register(
                actor=user,
                unit=d["unit"],
                title=d["title"],
                category=d["category"],
                grade=d["grade"],
                occurred_at=d["occurred_at"],
                learned_at=d["learned_at"],
                place=d["place"],
                summary=d["summary"],
                casualties=cast(Casualties, _casualties(d)),
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            return redirect("emergencies:detail", incident.pk)
    return render(request, "emergencies/new.html", {"form": form}, status=400 if form.errors else 200)


def _detail_context(user: User, incident: Incident, **forms: Any) -> dict[str, Any]:
    written = [(w, written_label(w)) for w in incident.written_reports.all()]
    issues = [(i, can_answer_issue(user, i) and i.answered_at is None) for i in incident.issues.all()]
    return {
        "incident": incident,
        "written": written,
        "deadlines": list(incident.deadlines.all()),
        "issues": issues,
        "now": timezone.now(),
        "can_write": can_write_report(user, incident) and incident.is_open,
        "can_phone": is_office_staff(user, "duty_officer") and incident.is_open,
        "can_issue": can_record_issue(user, incident),
        "write_form": forms.get("write_form")
        or WrittenReportForm(prefix="w", initial={"kind": _next_kind(incident), "key": uuid.uuid4().hex}),
        "phone_form": forms.get("phone_form")
        or PhoneReportForm(
            prefix="p", initial={"received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
        ),
        "issue_form": forms.get("issue_form") or IssueForm(prefix="i"),
        "answer_form": AnswerForm(prefix="a"),
    }


def _next_kind(incident: Incident) -> str:
    return "follow_up" if incident.written_reports.filter(kind="first").exists() else "first"


@login_required
@require_GET
def incident_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    try:
        incident = incident_detail(user=user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render(request, "emergencies/detail.html", _detail_context(user, incident))


def _rerender(request: HttpRequest, user: User, pk: int, **forms: Any) -> HttpResponse:
    incident = incident_detail(user=user, pk=pk)
    return render(request, "emergencies/detail.html", _detail_context(user, incident, **forms), status=400)


@login_required
@require_POST
def write(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    incident = _incident(user, pk)
    form = WrittenReportForm(request.POST, prefix="w")
    if form.is_valid():
        d = form.cleaned_data
        try:
            written = incident_report_submit(
                actor=user,
                incident=incident,
                kind=d["kind"],
                body=d["body"],
                casualties=_casualties(d, partial=True),
                key=d.get("key") or "",
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("%(label)s已报送") % {"label": written_label(written)})
            return redirect("emergencies:detail", pk)
    return _rerender(request, user, pk, write_form=form)


@login_required
@require_POST
def phone_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    incident = _incident(user, pk)
    form = PhoneReportForm(request.POST, prefix="p")
    if form.is_valid():
        try:
            phone_report_register(actor=user, incident=incident, call=_call(form.cleaned_data))
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("已登记电话报告"))
            return redirect("emergencies:detail", pk)
    return _rerender(request, user, pk, phone_form=form)


@login_required
@require_POST
def issue_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    incident = _incident(user, pk)
    form = IssueForm(request.POST, prefix="i")
    if form.is_valid():
        d = form.cleaned_data
        try:
            reporting_issue_record(
                actor=user,
                incident=incident,
                kind=d["kind"],
                source=d["source"],
                learned_at=d["learned_at"],
                evidence=d["evidence"],
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("已记录"))
            return redirect("emergencies:detail", pk)
    return _rerender(request, user, pk, issue_form=form)


@login_required
@require_POST
def issue_answer(request: HttpRequest, pk: int, issue_pk: int) -> HttpResponse:
    user = _user(request)
    try:
        issue = reporting_issue_get_visible(user=user, incident_pk=pk, pk=issue_pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    form = AnswerForm(request.POST, prefix="a")
    if form.is_valid():
        try:
            reporting_issue_answer(actor=user, issue=issue, answer=form.cleaned_data["answer"])
        except DomainError as exc:
            _refuse(exc)
            messages.error(request, exc.message)
        else:
            messages.success(request, _("说明已提交"))
    return redirect("emergencies:detail", pk)


# --- Rules and the monthly circular -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def rules(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    office = user.unit
    if office is None or not office.is_receiving_office:
        raise PermissionDenied(_("只有接报单位可以设置报送时限"))
    editable = can_edit_rules(user, office)
    error = None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("只有本接报单位的编辑或单位管理员可以修改报送时限"))
        form = RuleForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                deadline_rule_set(actor=user, office=office, **d)
            except DomainError as exc:
                error = exc.message
            else:
                messages.success(request, _("报送时限已保存，对此后登记的事件生效"))
                return redirect("emergencies:rules")
        else:
            error = "；".join(str(e) for errs in form.errors.values() for e in errs)
    from xinbao.emergencies.clock import format_times

    rows = [
        {
            "grade": g,
            "label": dict(IncidentFields.base_fields["grade"].choices)[g],  # type: ignore[attr-defined]
            "rule": r,
            "times": format_times(r.follow_up_times),
            "custom": custom,
        }
        for g, r, custom in rules_table(office)
    ]
    return render(
        request,
        "emergencies/rules.html",
        {"rows": rows, "editable": editable, "error": error, "office": office},
    )


@login_required
@require_GET
def circular_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = timezone.localdate()
    default = f"{today.year}-{today.month:02d}"
    form = MonthForm(request.GET or {"month": default})
    month_text = form.cleaned_data["month"] if form.is_valid() else default
    year, month = (int(x) for x in month_text.split("-"))
    if not 1 <= month <= 12:
        year, month = today.year, today.month
    lines = circular.circular_lines(user=user, year=year, month=month)
    title = _("%(year)d年%(month)d月紧急信息报送情况通报") % {"year": year, "month": month}
    fmt = request.GET.get("format")
    if fmt in ("xlsx", "docx"):
        if fmt == "xlsx":
            data = circular.circular_xlsx(lines, title=title)
            ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            issuer = user.unit.name if user.unit else ""
            data = circular.circular_docx(lines, title=title, issuer=issuer, year=year, month=month)
            ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        response = HttpResponse(data, content_type=ctype)
        filename = f"emergency-circular-{year}-{month:02d}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return render(
        request,
        "emergencies/circular.html",
        {
            "lines": lines,
            "title": title,
            "form": form,
            "month": f"{year}-{month:02d}",
            "first": date(year, month, 1),
        },
    )
