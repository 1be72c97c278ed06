"""Instructions (批示), assignments (交办) and feedback (反馈) pages.

Every read goes through the followups selectors (404 for what one may not see); the item behind an instruction is
shown through ``item_for_viewer``, which withholds the informant's identity of a restricted item from the assigned
unit (PRODUCT 3.1). Writes call the services; a refusal is shown on the page and nothing changes.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xinbao.accounts.models import Role
from xinbao.common.errors import DomainError, NotFound
from xinbao.followups.figures import commission_completion, flagship_progress, followup_figures
from xinbao.followups.forms import AssignForm, DecideForm, FeedbackForm, FlagshipForm, InstructionForm
from xinbao.followups.models import Feedback, TargetState
from xinbao.followups.selectors import (
    assignable_units,
    can_record_instruction,
    entries_for_instruction,
    instruction_get_visible,
    instruction_list_visible_to,
    is_office_editor,
    is_office_staff,
    is_overdue,
    item_for_viewer,
    subordinate_units,
    target_get_visible,
    target_list_visible_to,
)
from xinbao.followups.services import (
    assignment_create,
    feedback_accept,
    feedback_request_more,
    feedback_submit,
    flagship_target_set,
    instruction_record,
)
from xinbao.reports.models import ReportState
from xinbao.reports.selectors import inbox_for_office
from xinbao.reports.views.items import current_user, form_error, refuse, visible_or_404

STATE_FILTERS = ("open", "overdue", "closed")


def _found(getter, **kwargs):  # type: ignore[no-untyped-def]
    try:
        return getter(**kwargs)
    except NotFound as exc:
        refuse(exc)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    state = request.GET.get("state", "open")
    if state not in STATE_FILTERS:
        state = "open"
    targets = target_list_visible_to(user=user, filters={"state": state}).order_by("due_on", "id")[:200]
    office = user.unit if user.unit_id and is_office_staff(user, user.unit_id) else None
    adopted = []
    if office is not None and user.has_role(Role.EDITOR):
        adopted = list(inbox_for_office(user=user, filters={"state": "adopted"})[:15])
    today = timezone.localdate()
    return render(
        request,
        "followups/index.html",
        {
            "targets": [(t, is_overdue(t, today)) for t in targets],
            "state": state,
            "instructions": instruction_list_visible_to(user=user).order_by("-instructed_on", "-id")[:30],
            "office": office,
            "adopted": adopted,
        },
    )


@login_required
def instruction_new(request: HttpRequest, report_pk: int) -> HttpResponse:
    user = current_user(request)
    report = visible_or_404(user, report_pk)
    if not can_record_instruction(user, report):
        raise PermissionDenied(_("只有收到这条信息的接收单位的编辑可以登记批示"))
    entries = entries_for_instruction(user=user, report=report)
    initial = {}
    if (entry_id := request.GET.get("entry", "")).isdigit():
        initial["issue_entry"] = entries.filter(pk=int(entry_id)).first()
    form = InstructionForm(request.POST or None, request.FILES or None, entries=entries, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            instruction = instruction_record(
                actor=user,
                report=report,
                leader_name=data["leader_name"],
                leader_title=data["leader_title"],
                rank=data["rank"],
                text=data["text"],
                instructed_on=data["instructed_on"],
                image=data.get("image") or None,
                issue_entry=data.get("issue_entry"),
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("批示已登记。"))
            return redirect("followups:instruction", pk=instruction.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "followups/instruction_form.html", {"form": form, "report": report}, status=status)


def _instruction_context(request: HttpRequest, instruction, assign_form=None):  # type: ignore[no-untyped-def]
    user = current_user(request)
    editor = is_office_editor(user, instruction.office_id)
    targets = target_list_visible_to(user=user, filters={"instruction": instruction.pk}).order_by(
        "unit__path"
    )
    return {
        "instruction": instruction,
        "item": item_for_viewer(user=user, report=instruction.report),
        "targets": [(t, is_overdue(t)) for t in targets],
        "can_assign": editor,
        "assign_form": assign_form
        or (AssignForm(units=assignable_units(instruction.office)) if editor else None),
    }


@login_required
def instruction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    instruction = _found(instruction_get_visible, user=current_user(request), pk=pk)
    return render(request, "followups/instruction_detail.html", _instruction_context(request, instruction))


@login_required
def instruction_scan(request: HttpRequest, pk: int) -> HttpResponse:
    """The scanned 批示件. Withheld where the item's informant is: a leader's note on the printed item may name its
    source, so a viewer from whom the informant is withheld gets "not found" (PRODUCT 3.1)."""
    user = current_user(request)
    instruction = _found(instruction_get_visible, user=user, pk=pk)
    if not instruction.image or item_for_viewer(user=user, report=instruction.report).withheld:
        raise Http404(_("批示件扫描不存在或无权查看"))
    return FileResponse(
        instruction.image.open("rb"), as_attachment=False, filename=instruction.image_name or "scan"
    )


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    instruction = _found(instruction_get_visible, user=user, pk=pk)
    form = AssignForm(request.POST, units=assignable_units(instruction.office))
    if form.is_valid():
        data = form.cleaned_data
        try:
            assignment_create(
                actor=user,
                instruction=instruction,
                units=list(data["units"]),
                workdays=data["workdays"],
                requirement=data["requirement"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已交办。"))
            return redirect("followups:instruction", pk=instruction.pk)
    context = _instruction_context(request, instruction, assign_form=form)
    return render(request, "followups/instruction_detail.html", context, status=400)


def _target_context(request: HttpRequest, target, feedback_form=None, decide_form=None):  # type: ignore[no-untyped-def]
    user = current_user(request)
    instruction = target.assignment.instruction
    can_answer = (
        user.unit_id == target.unit_id
        and user.has_role(Role.INFORMANT, Role.EDITOR)
        and target.state in (TargetState.OPEN, TargetState.MORE_REQUESTED)
    )
    can_decide = is_office_editor(user, target.assignment.office_id)
    return {
        "target": target,
        "instruction": instruction,
        "item": item_for_viewer(user=user, report=instruction.report),
        "overdue": is_overdue(target),
        "feedbacks": target.feedbacks.select_related("report", "created_by", "decided_by"),
        "feedback_form": feedback_form or (FeedbackForm() if can_answer else None),
        "can_decide": can_decide,
        "decide_form": decide_form or DecideForm(initial={"workdays": 3}),
        "sent_state": ReportState.SENT,
    }


@login_required
def target_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target = _found(target_get_visible, user=current_user(request), pk=pk)
    return render(request, "followups/target_detail.html", _target_context(request, target))


@login_required
@require_POST
def feedback_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    target = _found(target_get_visible, user=user, pk=pk)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            feedback_submit(
                actor=user, target=target, title=form.cleaned_data["title"], body=form.cleaned_data["body"]
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("落实反馈已提交，审签后报送交办单位。"))
            return redirect("followups:target", pk=target.pk)
    context = _target_context(request, target, feedback_form=form)
    return render(request, "followups/target_detail.html", context, status=400)


@login_required
@require_POST
def feedback_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    try:
        feedback = Feedback.objects.select_related("target").get(pk=pk)
    except Feedback.DoesNotExist:
        feedback = None
    target = _found(target_get_visible, user=user, pk=feedback.target_id if feedback else 0)
    assert feedback is not None
    form = DecideForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "accept":
                feedback_accept(actor=user, feedback=feedback, comment=data["comment"])
                messages.success(request, _("已认可反馈，交办事项办结。"))
            else:
                feedback_request_more(
                    actor=user, feedback=feedback, comment=data["comment"], workdays=data["workdays"] or 3
                )
                messages.success(request, _("已要求补充反馈。"))
        except DomainError as exc:
            form_error(form, exc)
        else:
            return redirect("followups:target", pk=target.pk)
    context = _target_context(request, target, decide_form=form)
    return render(request, "followups/target_detail.html", context, status=400)


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    """The figures; an office editor also sets his subordinate units' yearly 精品稿件 targets here (POST)."""
    user = current_user(request)
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    office = user.unit if user.unit_id and is_office_editor(user, user.unit_id) else None
    form = None
    if office is not None:
        form = FlagshipForm(
            request.POST or None, units=subordinate_units(office), initial={"year": year, "pieces": 3}
        )
    elif request.method == "POST":
        raise PermissionDenied(_("只有接收单位的编辑可以设定精品稿件目标"))
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            flagship_target_set(actor=user, unit=data["unit"], year=data["year"], pieces=data["pieces"])
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("精品稿件目标已设定。"))
            return redirect(f"{reverse('followups:figures')}?year={data['year']}")
    return render(
        request,
        "followups/figures.html",
        {
            "by_unit": followup_figures(user=user, by="unit"),
            "by_office": followup_figures(user=user, by="office"),
            "completion": commission_completion(user=user, year=year),
            "flagship": flagship_progress(user=user, year=year),
            "flagship_form": form,
            "year": year,
        },
        status=400 if request.method == "POST" else 200,
    )
