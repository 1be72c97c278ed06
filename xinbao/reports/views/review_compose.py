"""Receiving-office pages that make or record something beyond one decision: forward upward (转报), record an
adoption made outside the system, combine several submissions into one 综合 item (PRODUCT 3.1). Access rules and
error handling are shared with the inbox and review pages (views/review.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from xinbao.common.errors import DomainError, NotFound
from xinbao.orgs.selectors import unit_report_targets
from xinbao.reports.models import AdoptionMode, Report, Submission
from xinbao.reports.review_forms import CombineForm, ExternalAdoptionForm, ForwardForm, IdListField
from xinbao.reports.selectors import REVIEWABLE_STATES, inbox_for_office, submission_get_for_office
from xinbao.reports.services import adoption_record_external, report_combine, report_forward
from xinbao.reports.services.reading import report_record_read
from xinbao.reports.views.review import (
    BULK_MAX,
    current_user,
    form_error,
    forwarded_copy,
    optional_url,
    report_or_404,
    require_actor,
)

if TYPE_CHECKING:
    from xinbao.accounts.models import User
    from xinbao.orgs.models import Unit


def _back_to_review(user: User, report: Report) -> str:
    """After acting on an item, return to this office's review page of it (or the item page when there is none)."""
    submission = inbox_for_office(user=user).filter(report=report).first()
    if submission is not None:
        return reverse("reports:review", args=[submission.pk])
    return reverse("reports:detail", args=[report.pk])


@login_required
def forward(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    report = report_or_404(user, pk)
    require_actor(user)
    up = unit_report_targets(cast("Unit", user.unit))  # an editor of a receiving office (checked above)
    targets = up["main"] + up["direct"]
    own_item = report.unit_id == user.unit_id
    if request.method == "POST":
        form = ForwardForm(request.POST, targets=targets)
        if form.is_valid():
            data = form.cleaned_data
            try:
                forwarded = report_forward(
                    actor=user,
                    report=report,
                    # An office's own item (e.g. a 综合 item) goes up as it stands; it is edited on its own page.
                    title=None if own_item else data["title"],
                    body=None if own_item else data["body"],
                    reason=data["reason"],
                    targets=list(data["targets"]),
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                names = "、".join(u.name for u in data["targets"])
                messages.success(request, _("已转报至%(offices)s") % {"offices": names})
                return redirect("reports:detail", forwarded.pk)
    else:
        report_record_read(user=user, report=report, what="forward")
        form = ForwardForm(
            initial={"targets": [u.pk for u in up["main"]], "title": report.title, "body": report.body},
            targets=targets,
        )
    context = {
        "report": report,
        "form": form,
        "own_item": own_item,
        "has_targets": bool(targets),
        "forwarded": forwarded_copy(user, report),
        "back_url": _back_to_review(user, report),
    }
    return render(request, "reports/review_forward.html", context)


@login_required
def external_adoption(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    report = report_or_404(user, pk)
    require_actor(user)
    back_url = _back_to_review(user, report)
    office_level = cast("Unit", user.unit).level
    if request.method == "POST":
        form = ExternalAdoptionForm(request.POST, office_level=office_level)
        if form.is_valid():
            try:
                adoption_record_external(actor=user, report=report, **form.cleaned_data)
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("已登记系统外采用，采用情况将计入原报送单位"))
                return redirect(back_url)
    else:
        form = ExternalAdoptionForm(initial={"mode": AdoptionMode.FULL}, office_level=office_level)
    context = {"report": report, "form": form, "back_url": back_url}
    return render(request, "reports/review_external_adoption.html", context)


def _combined_text(submissions: list[Submission]) -> tuple[str, str]:
    """A starting text for the editor: the bodies one after another, each closed by its source line, as
    bulletins print it (PRODUCT 3.2: "（XX县委办公室报送）")."""
    units = list(dict.fromkeys(s.report.unit.display_name for s in submissions))
    title = _("关于%(units)s报送情况的综合") % {"units": "、".join(units)}
    parts = [
        _("%(body)s（%(unit)s报送）") % {"body": s.report.body.strip(), "unit": s.report.unit.display_name}
        for s in submissions
    ]
    return title[:60], "\n\n".join(parts)


def _selected_submissions(user: User, ids: list[int]) -> tuple[list[Submission], int]:
    found, missing = [], 0
    for pk in ids[:BULK_MAX]:
        try:
            found.append(submission_get_for_office(user=user, pk=pk))
        except NotFound:
            missing += 1
    return found, missing


@login_required
def combine(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    require_actor(user)
    if request.method != "POST" and (made := request.GET.get("made", "")).isdigit():
        combined = report_or_404(user, made)
        context: dict[str, Any] = {
            "combined": combined,
            "edit_url": optional_url("reports:edit", combined.pk),
            "sources": combined.source_links.select_related("source", "source__unit"),
        }
        return render(request, "reports/review_combine.html", context)
    if request.method == "POST":
        form = CombineForm(request.POST)
        form.is_valid()
        submissions, missing = _selected_submissions(user, form.cleaned_data.get("selected", []))
        if missing:
            form.add_error(None, _("所选信息中有%(n)d条不存在或无权处理") % {"n": missing})
        if form.is_valid():
            data = form.cleaned_data
            try:
                combined = report_combine(
                    actor=user,
                    submissions=submissions,
                    title=data["title"],
                    body=data["body"],
                    report_type=data["report_type"],
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("已综合为新信息《%(title)s》") % {"title": combined.title})
                return redirect(reverse("reports:combine") + f"?made={combined.pk}")
    else:
        ids = IdListField().to_python(request.GET.getlist("selected"))
        submissions, _missing = _selected_submissions(user, ids)
        submissions = [s for s in submissions if s.state in REVIEWABLE_STATES]
        if len(submissions) < 2:
            messages.error(request, _("请至少勾选两条待审核或审核中的信息进行综合"))
            return redirect("reports:inbox")
        for submission in submissions:
            report_record_read(user=user, report=submission.report, what="combine")
        title, body = _combined_text(submissions)
        form = CombineForm(initial={"selected": [s.pk for s in submissions], "title": title, "body": body})
    context = {"form": form, "submissions": submissions}
    return render(request, "reports/review_combine.html", context)
