"""/api/v1 endpoints for instructions (批示), assignments (交办, one row per assigned unit), feedback (反馈) and
commissions (约稿/信息需求要点) — issue 4 item 8.

Reads go through the followups selectors (404 for what the caller may not see); the item behind an instruction is
serialised from ``item_for_viewer``, so a restricted item's informant is withheld from the assigned unit here as on
the pages. Writes go through the services (403 for a visible thing the caller may not act on, 400 for bad input)."""

from __future__ import annotations

from dataclasses import asdict

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Schema, Status

from xinbao.api.pagination import Page, PageParams, paginate
from xinbao.api.schemas import READ_ERRORS, WRITE_ERRORS
from xinbao.common.errors import NotFound, ValidationFailed
from xinbao.followups.figures import commission_completion, flagship_progress, followup_figures
from xinbao.followups.models import AssignmentTarget, Commission, Feedback, Instruction
from xinbao.followups.schemas import (
    AcceptIn,
    AnswerIn,
    AssignIn,
    CommissionDetailOut,
    CommissionIn,
    CommissionOut,
    CompletionOut,
    FeedbackIn,
    FiguresOut,
    FlagshipIn,
    FlagshipOut,
    InstructionDetailOut,
    InstructionIn,
    InstructionOut,
    KindValue,
    MoreIn,
    RankValue,
    TargetDetailOut,
    TargetOut,
    TargetStateValue,
)
from xinbao.followups.selectors import (
    commission_answers_for,
    commission_get_visible,
    commission_list_visible_to,
    commission_targets_for,
    instruction_get_visible,
    instruction_list_visible_to,
    item_for_viewer,
    target_get_visible,
    target_list_visible_to,
)
from xinbao.followups.services import (
    assignment_create,
    commission_answer_link,
    commission_answer_submit,
    commission_close,
    commission_publish,
    feedback_accept,
    feedback_link,
    feedback_request_more,
    feedback_submit,
    flagship_target_set,
    instruction_record,
)
from xinbao.orgs.models import Unit
from xinbao.reports.selectors import report_get_visible

router = Router(tags=[gettext_lazy("批示交办与约稿")])


class InstructionFilters(Schema):
    report: int | None = None
    rank: RankValue | None = None


class TargetFilters(Schema):
    state: TargetStateValue | None = None
    unit: int | None = None
    instruction: int | None = None


class CommissionFilters(Schema):
    kind: KindValue | None = None


def _units(ids: list[int]) -> list[Unit]:
    found = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
    for pk in ids:
        if pk not in found:
            raise ValidationFailed(_("单位ID %(id)s不存在") % {"id": pk}, field="unit_ids")
    return [found[pk] for pk in dict.fromkeys(ids)]


def _instruction_detail(request: HttpRequest, instruction: Instruction) -> Instruction:
    """The instruction with what its detail shows, as attributes the schema reads."""
    user = request.auth
    instruction.item = asdict(item_for_viewer(user=user, report=instruction.report))  # type: ignore[attr-defined]
    instruction.targets = list(  # type: ignore[attr-defined]
        target_list_visible_to(user=user, filters={"instruction": instruction.pk}).order_by("unit__path")
    )
    return instruction


def _target_detail(request: HttpRequest, target: AssignmentTarget) -> AssignmentTarget:
    user = request.auth
    instruction = target.assignment.instruction
    target.requirement = target.assignment.requirement  # type: ignore[attr-defined]
    target.instruction = instruction  # type: ignore[attr-defined]
    target.item = asdict(item_for_viewer(user=user, report=instruction.report))  # type: ignore[attr-defined]
    target.feedback_list = list(target.feedbacks.select_related("report"))  # type: ignore[attr-defined]
    return target


# --- Instructions ---------------------------------------------------------------------------------------------------


@router.get(
    "/instructions", response={200: Page[InstructionOut], **READ_ERRORS}, summary=gettext_lazy("批示列表")
)
def list_instructions(request: HttpRequest, filters: Query[InstructionFilters], paging: Query[PageParams]):  # type: ignore[no-untyped-def]
    qs = instruction_list_visible_to(user=request.auth, filters=filters.dict(exclude_none=True))
    return paginate(qs, paging)


@router.post(
    "/instructions", response={201: InstructionDetailOut, **WRITE_ERRORS}, summary=gettext_lazy("登记批示")
)
def create_instruction(request: HttpRequest, payload: InstructionIn):  # type: ignore[no-untyped-def]
    report = report_get_visible(user=request.auth, pk=payload.report_id)
    entry = None
    if payload.issue_entry_id is not None:
        from xinbao.bulletins.models import IssueEntry

        entry = IssueEntry.objects.select_related("issue__series").filter(pk=payload.issue_entry_id).first()
        if entry is None:
            raise ValidationFailed(_("刊发条目不存在"), field="issue_entry_id")
    instruction = instruction_record(
        actor=request.auth,
        report=report,
        leader_name=payload.leader_name,
        leader_title=payload.leader_title,
        rank=payload.rank,
        text=payload.text,
        instructed_on=payload.instructed_on,
        issue_entry=entry,
    )
    return Status(201, _instruction_detail(request, instruction))


@router.get(
    "/instructions/{instruction_id}",
    response={200: InstructionDetailOut, **READ_ERRORS},
    summary=gettext_lazy("批示详情（含所涉信息与交办情况）"),
)
def get_instruction(request: HttpRequest, instruction_id: int):  # type: ignore[no-untyped-def]
    return _instruction_detail(request, instruction_get_visible(user=request.auth, pk=instruction_id))


@router.post(
    "/instructions/{instruction_id}/assignments",
    response={201: list[TargetOut], **WRITE_ERRORS},
    summary=gettext_lazy("交办（按工作日计算反馈期限）"),
)
def assign(request: HttpRequest, instruction_id: int, payload: AssignIn):  # type: ignore[no-untyped-def]
    instruction = instruction_get_visible(user=request.auth, pk=instruction_id)
    assignment = assignment_create(
        actor=request.auth,
        instruction=instruction,
        units=_units(payload.unit_ids),
        workdays=payload.workdays,
        requirement=payload.requirement,
    )
    return Status(201, list(assignment.targets.select_related("unit", "assignment", "assignment__office")))


# --- Assignments (one per assigned unit) and feedback ------------------------------------------------------------


@router.get(
    "/assignments",
    response={200: Page[TargetOut], **READ_ERRORS},
    summary=gettext_lazy("交办事项列表（每个承办单位一条）"),
)
def list_assignments(request: HttpRequest, filters: Query[TargetFilters], paging: Query[PageParams]):  # type: ignore[no-untyped-def]
    qs = target_list_visible_to(user=request.auth, filters=filters.dict(exclude_none=True))
    return paginate(qs.order_by("due_on", "id"), paging)


@router.get(
    "/assignments/figures",
    response={200: list[FiguresOut], **READ_ERRORS},
    summary=gettext_lazy("办理统计：未办结、超期、按时办结（按承办单位或交办单位）"),
)
def figures(request: HttpRequest, by: str = "unit"):  # type: ignore[no-untyped-def]
    if by not in ("unit", "office"):
        raise ValidationFailed(_("统计口径只能是 unit 或 office"), field="by")
    return [asdict(f) for f in followup_figures(user=request.auth, by=by)]


@router.get(
    "/assignments/{target_id}",
    response={200: TargetDetailOut, **READ_ERRORS},
    summary=gettext_lazy("交办事项详情（含批示、所涉信息、反馈）"),
)
def get_assignment(request: HttpRequest, target_id: int):  # type: ignore[no-untyped-def]
    return _target_detail(request, target_get_visible(user=request.auth, pk=target_id))


@router.post(
    "/assignments/{target_id}/feedback",
    response={201: TargetDetailOut, **WRITE_ERRORS},
    summary=gettext_lazy("报送落实反馈（新写，或关联已提交的落实反馈信息）"),
)
def post_feedback(request: HttpRequest, target_id: int, payload: FeedbackIn):  # type: ignore[no-untyped-def]
    target = target_get_visible(user=request.auth, pk=target_id)
    if payload.report_id is not None:
        report = report_get_visible(user=request.auth, pk=payload.report_id)
        feedback_link(actor=request.auth, target=target, report=report)
    else:
        if not (payload.title or "").strip():
            raise ValidationFailed(_("请填写反馈标题"), field="title")
        if not (payload.body or "").strip():
            raise ValidationFailed(_("请填写落实情况"), field="body")
        feedback_submit(actor=request.auth, target=target, title=payload.title or "", body=payload.body or "")
    return Status(201, _target_detail(request, target_get_visible(user=request.auth, pk=target_id)))


def _feedback(request: HttpRequest, feedback_id: int) -> Feedback:
    feedback = Feedback.objects.filter(pk=feedback_id).first()
    if feedback is None:
        raise NotFound(_("反馈不存在或无权查看"))
    try:
        target_get_visible(user=request.auth, pk=feedback.target_id)
    except NotFound as exc:
        raise NotFound(_("反馈不存在或无权查看")) from exc
    return feedback


@router.post(
    "/feedback/{feedback_id}/accept",
    response={200: TargetOut, **WRITE_ERRORS},
    summary=gettext_lazy("认可反馈并办结"),
)
def accept(request: HttpRequest, feedback_id: int, payload: AcceptIn):  # type: ignore[no-untyped-def]
    target = feedback_accept(
        actor=request.auth, feedback=_feedback(request, feedback_id), comment=payload.comment
    )
    return target_get_visible(user=request.auth, pk=target.pk)


@router.post(
    "/feedback/{feedback_id}/request-more",
    response={200: TargetOut, **WRITE_ERRORS},
    summary=gettext_lazy("要求补充反馈（新期限按工作日计算）"),
)
def request_more(request: HttpRequest, feedback_id: int, payload: MoreIn):  # type: ignore[no-untyped-def]
    target = feedback_request_more(
        actor=request.auth,
        feedback=_feedback(request, feedback_id),
        comment=payload.comment,
        workdays=payload.workdays,
    )
    return target_get_visible(user=request.auth, pk=target.pk)


# --- Commissions ----------------------------------------------------------------------------------------------------


def _commission_detail(request: HttpRequest, commission: Commission) -> Commission:
    user = request.auth
    commission.target_rows = [  # type: ignore[attr-defined]
        {
            "unit_id": t.unit_id,
            "unit_name": t.unit.name,
            "answers": t.answer_count,
            "answered_at": t.answered_at,
        }
        for t in commission_targets_for(user=user, commission=commission)
    ]
    commission.answer_rows = [  # type: ignore[attr-defined]
        {"id": a.pk, "unit_id": a.target.unit_id, "report_id": a.report_id, "title": a.report.title}
        for a in commission_answers_for(user=user, commission=commission)
    ]
    return commission


@router.get(
    "/commissions", response={200: Page[CommissionOut], **READ_ERRORS}, summary=gettext_lazy("约稿列表")
)
def list_commissions(request: HttpRequest, filters: Query[CommissionFilters], paging: Query[PageParams]):  # type: ignore[no-untyped-def]
    return paginate(
        commission_list_visible_to(user=request.auth, filters=filters.dict(exclude_none=True)), paging
    )


@router.post(
    "/commissions",
    response={201: CommissionDetailOut, **WRITE_ERRORS},
    summary=gettext_lazy("发布约稿或信息需求要点"),
)
def create_commission(request: HttpRequest, payload: CommissionIn):  # type: ignore[no-untyped-def]
    commission = commission_publish(
        actor=request.auth,
        kind=payload.kind,
        title=payload.title,
        body=payload.body,
        deadline=payload.deadline,
        period=payload.period,
        is_flagship=payload.is_flagship,
        units=None if payload.unit_ids is None else _units(payload.unit_ids),
    )
    return Status(201, _commission_detail(request, commission))


@router.get(
    "/commissions/completion",
    response={200: list[CompletionOut], **READ_ERRORS},
    summary=gettext_lazy("约稿完成情况（按单位）"),
)
def completion(request: HttpRequest, year: int | None = None):  # type: ignore[no-untyped-def]
    year = year or timezone.localdate().year
    return [{**asdict(c)} for c in commission_completion(user=request.auth, year=year)]


@router.get(
    "/commissions/flagship-targets",
    response={200: list[FlagshipOut], **READ_ERRORS},
    summary=gettext_lazy("精品稿件目标与进度"),
)
def flagship_list(request: HttpRequest, year: int | None = None):  # type: ignore[no-untyped-def]
    year = year or timezone.localdate().year
    return [asdict(f) for f in flagship_progress(user=request.auth, year=year)]


@router.post(
    "/commissions/flagship-targets",
    response={200: FlagshipOut, **WRITE_ERRORS},
    summary=gettext_lazy("设定单位年度精品稿件目标（3至5篇）"),
)
def flagship_set(request: HttpRequest, payload: FlagshipIn):  # type: ignore[no-untyped-def]
    (unit,) = _units([payload.unit_id])
    target = flagship_target_set(actor=request.auth, unit=unit, year=payload.year, pieces=payload.pieces)
    rows = [f for f in flagship_progress(user=request.auth, year=target.year) if f.unit_id == unit.pk]
    return asdict(rows[0])


@router.get(
    "/commissions/{commission_id}",
    response={200: CommissionDetailOut, **READ_ERRORS},
    summary=gettext_lazy("约稿详情（含各单位完成情况）"),
)
def get_commission(request: HttpRequest, commission_id: int):  # type: ignore[no-untyped-def]
    return _commission_detail(request, commission_get_visible(user=request.auth, pk=commission_id))


@router.post(
    "/commissions/{commission_id}/answers",
    response={201: CommissionDetailOut, **WRITE_ERRORS},
    summary=gettext_lazy("报送约稿（新写，或关联本单位已提交的信息）"),
)
def answer(request: HttpRequest, commission_id: int, payload: AnswerIn):  # type: ignore[no-untyped-def]
    commission = commission_get_visible(user=request.auth, pk=commission_id)
    if payload.report_id is not None:
        report = report_get_visible(user=request.auth, pk=payload.report_id)
        commission_answer_link(actor=request.auth, commission=commission, report=report)
    else:
        if payload.report_type is None:
            raise ValidationFailed(_("请选择信息类型"), field="report_type")
        commission_answer_submit(
            actor=request.auth,
            commission=commission,
            title=payload.title or "",
            body=payload.body or "",
            report_type=payload.report_type,
        )
    return Status(201, _commission_detail(request, commission))


@router.post(
    "/commissions/{commission_id}/close",
    response={200: CommissionOut, **WRITE_ERRORS},
    summary=gettext_lazy("结束约稿"),
)
def close(request: HttpRequest, commission_id: int):  # type: ignore[no-untyped-def]
    commission = commission_get_visible(user=request.auth, pk=commission_id)
    return commission_close(actor=request.auth, commission=commission)
