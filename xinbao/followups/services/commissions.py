"""约稿 and 信息需求要点 (PRODUCT 3.3), and yearly 精品稿件 targets.

An office's editor publishes a topic (约稿) or a month's needs list (信息需求要点) to all its subordinate units or
chosen ones, with a deadline; each unit answers with items (new ones written here and sent through the reporting
services, or items it already sent). A unit has answered when its first item is linked; "on time" when that was on or
before the deadline. Reminders go to units that have not answered, before and after the deadline. The office closes
a commission when it is done; a closed commission takes no more answers and sends no reminders.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinbao.accounts.models import Role
from xinbao.audit.models import EventType
from xinbao.audit.services import audit_record
from xinbao.common.errors import NotPermitted, ValidationFailed
from xinbao.followups.models import (
    Commission,
    CommissionAnswer,
    CommissionKind,
    CommissionState,
    CommissionTarget,
    FlagshipTarget,
)
from xinbao.followups.selectors import (
    is_office_editor,
    subordinate_units,
    unit_people,
)
from xinbao.followups.services.reminders import schedule_commission_reminders
from xinbao.notifications.services import notify
from xinbao.reports.models import Report, ReportState
from xinbao.reports.services import report_create, report_submit
from xinbao.reports.services.authoring import reach_add

if TYPE_CHECKING:
    from xinbao.accounts.models import User
    from xinbao.orgs.models import Unit

TITLE_MAX = 100
BODY_MAX = 5000


@transaction.atomic
def commission_publish(
    *,
    actor: User,
    kind: str,
    title: str,
    body: str,
    deadline: date | None,
    units: Iterable[Unit] | None = None,
    period: date | None = None,
    is_flagship: bool = False,
) -> Commission:
    """Publish to ``units`` (chosen subordinate units) or, when None, to all subordinate units of the office."""
    office = actor.unit
    if office is None or not is_office_editor(actor, office.pk):
        raise NotPermitted(_("只有接收单位的编辑可以发布约稿"))
    if kind not in CommissionKind.values:
        raise ValidationFailed(_("请选择约稿类型"), field="kind")
    title, body = (title or "").strip(), (body or "").strip().replace("\r\n", "\n")
    if not title:
        raise ValidationFailed(_("请填写标题"), field="title")
    if len(title) > TITLE_MAX:
        raise ValidationFailed(_("标题不能超过100个字"), field="title")
    if not body:
        raise ValidationFailed(_("请填写内容要求"), field="body")
    if len(body) > BODY_MAX:
        raise ValidationFailed(_("内容要求不能超过5000个字"), field="body")
    if deadline is None:
        raise ValidationFailed(_("请填写截止日期"), field="deadline")
    if deadline < timezone.localdate():
        raise ValidationFailed(_("截止日期不能早于今天"), field="deadline")
    if kind == CommissionKind.NEEDS_LIST:
        if period is None:
            raise ValidationFailed(_("信息需求要点须填写所属月份"), field="period")
        period = period.replace(day=1)
    else:
        period = None
    allowed = subordinate_units(office)
    if units is None:
        chosen = list(allowed)
    else:
        chosen = list({u.pk: u for u in units}.values())
        ok = set(allowed.filter(pk__in=[u.pk for u in chosen]).values_list("pk", flat=True))
        for unit in chosen:
            if unit.pk not in ok:
                raise ValidationFailed(
                    _("%(unit)s不是本单位的下级报送单位") % {"unit": unit.name}, field="units"
                )
    if not chosen:
        raise ValidationFailed(_("请选择至少一个约稿单位"), field="units")
    commission = Commission.objects.create(
        office=office,
        kind=kind,
        title=title,
        body=body,
        period=period,
        is_flagship=bool(is_flagship),
        deadline=deadline,
        created_by=actor,
    )
    for unit in chosen:
        target = CommissionTarget.objects.create(commission=commission, unit=unit)
        schedule_commission_reminders(target)
        notify(
            recipients=unit_people(unit.pk),
            kind="commission_new",
            title=_("%(kind)s：%(title)s（%(due)s前报送）")
            % {"kind": commission.get_kind_display(), "title": title, "due": deadline.strftime("%Y-%m-%d")},
            url=reverse("followups:commission", args=[commission.pk]),
        )
    audit_record(
        event_type=EventType.STATE_CHANGE,
        actor=actor,
        obj=commission,
        detail={"to": CommissionState.PUBLISHED, "units": [u.pk for u in chosen]},
    )
    return commission


def _lock_target(commission: Commission, actor: User) -> CommissionTarget:
    target = (
        CommissionTarget.objects.select_for_update()
        .select_related("commission")
        .filter(commission=commission, unit_id=actor.unit_id or 0)
        .first()
    )
    if target is None or not actor.has_role(Role.INFORMANT, Role.EDITOR):
        raise NotPermitted(_("只有约稿单位的信息员可以报送约稿"))
    if target.commission.state != CommissionState.PUBLISHED:
        raise ValidationFailed(_("该约稿已结束，不能再报送"))
    return target


def _answer(actor: User, target: CommissionTarget, report: Report) -> CommissionAnswer:
    try:
        with transaction.atomic():
            answer = CommissionAnswer.objects.create(target=target, report=report, linked_by=actor)
    except IntegrityError as exc:
        raise ValidationFailed(_("这条信息已报送给该约稿"), field="report") from exc
    first = target.answered_at is None
    if first:
        target.answered_at = timezone.now()
        target.save(update_fields=["answered_at", "updated_at"])
    commission = target.commission
    reach_add(report, [commission.office])
    audit_record(
        event_type=EventType.STATE_CHANGE,
        actor=actor,
        obj=commission,
        detail={"answer": report.pk, "unit": target.unit_id, "first": first},
    )
    from xinbao.followups.selectors import office_editors_of

    notify(
        recipients=office_editors_of(commission.office_id),
        kind="commission_answered",
        title=_("约稿回复：%(title)s") % {"title": report.title},
        url=reverse("followups:commission", args=[commission.pk]),
    )
    return answer


@transaction.atomic
def commission_answer_submit(
    *, actor: User, commission: Commission, title: str, body: str, report_type: str
) -> CommissionAnswer:
    """Write and send a new item answering the commission (through the unit's sign-off as usual)."""
    target = _lock_target(commission, actor)
    report = report_create(actor=actor, title=title, body=body, report_type=report_type)
    report = report_submit(actor=actor, report=report)
    return _answer(actor, target, report)


@transaction.atomic
def commission_answer_link(*, actor: User, commission: Commission, report: Report) -> CommissionAnswer:
    """Link an item of the unit's that is sent or awaiting sign-off."""
    target = _lock_target(commission, actor)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.unit_id != target.unit_id:
        raise ValidationFailed(_("只能报送本单位的信息"), field="report")
    if report.state not in (ReportState.PENDING_SIGNOFF, ReportState.SENT):
        raise ValidationFailed(_("请先提交这条信息再报送给约稿"), field="report")
    return _answer(actor, target, report)


@transaction.atomic
def commission_close(*, actor: User, commission: Commission) -> Commission:
    commission = Commission.objects.select_for_update().get(pk=commission.pk)
    if not is_office_editor(actor, commission.office_id):
        raise NotPermitted(_("只有发布单位的编辑可以结束约稿"))
    if commission.state != CommissionState.PUBLISHED:
        raise ValidationFailed(_("该约稿已结束"))
    commission.state = CommissionState.CLOSED
    commission.save(update_fields=["state", "updated_at"])
    audit_record(
        event_type=EventType.STATE_CHANGE,
        actor=actor,
        obj=commission,
        detail={"from": CommissionState.PUBLISHED, "to": CommissionState.CLOSED},
    )
    return commission


@transaction.atomic
def flagship_target_set(*, actor: User, unit: Unit, year: int, pieces: int) -> FlagshipTarget:
    """A yearly 精品稿件 target of 3–5 集中攻关 pieces for a subordinate unit (PRODUCT 3.3)."""
    office = actor.unit
    if office is None or not is_office_editor(actor, office.pk):
        raise NotPermitted(_("只有接收单位的编辑可以设定精品稿件目标"))
    if not subordinate_units(office).filter(pk=unit.pk).exists():
        raise ValidationFailed(_("%(unit)s不是本单位的下级报送单位") % {"unit": unit.name}, field="unit")
    if isinstance(pieces, bool) or not isinstance(pieces, int) or not 3 <= pieces <= 5:
        raise ValidationFailed(_("精品稿件目标须为3至5篇"), field="pieces")
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationFailed(_("年度无效"), field="year")
    target, _created = FlagshipTarget.objects.update_or_create(
        office=office, unit=unit, year=year, defaults={"pieces": pieces, "set_by": actor}
    )
    audit_record(
        event_type=EventType.CONFIG_CHANGE,
        actor=actor,
        obj=target,
        detail={"unit": unit.pk, "year": year, "pieces": pieces},
    )
    return target
