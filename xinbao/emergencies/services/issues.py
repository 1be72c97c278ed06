"""漏报 and 瞒报 (PRODUCT 3.4): recorded by an office editor with the evidence; the unit may answer (说明) once.

迟报 is never recorded by hand: it is computed from the deadlines (``Deadline.minutes_late``).
漏报: the office learned of the incident elsewhere (media, the public, a superior's notice) and the unit never
reported it; 瞒报: the unit reported it but hid or understated facts (the evidence says which).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinbao.audit.models import EventType
from xinbao.audit.services import audit_record
from xinbao.common.errors import Conflict, NotPermitted, ValidationFailed
from xinbao.emergencies.models import Incident, IssueKind, IssueSource, ReportingIssue
from xinbao.emergencies.selectors import can_answer_issue, can_record_issue, unit_reporters
from xinbao.emergencies.services.incidents import FUTURE_TOLERANCE, incident_lock
from xinbao.notifications.services import notify

if TYPE_CHECKING:
    from xinbao.accounts.models import User


@transaction.atomic
def reporting_issue_record(
    *, actor: User, incident: Incident, kind: str, source: str, learned_at: datetime, evidence: str
) -> ReportingIssue:
    incident = incident_lock(incident)
    if not can_record_issue(actor, incident):
        raise NotPermitted(_("只有接报单位的编辑可以记录漏报、瞒报"))
    if kind not in IssueKind.values:
        raise ValidationFailed(_("类别无效：须为漏报或瞒报"), field="kind")
    if source not in IssueSource.values:
        raise ValidationFailed(_("请选择获悉渠道"), field="source")
    if learned_at is None:
        raise ValidationFailed(_("请填写获悉时间"), field="learned_at")
    if timezone.is_naive(learned_at):
        learned_at = timezone.make_aware(learned_at)
    if learned_at > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationFailed(_("获悉时间不能晚于当前时间"), field="learned_at")
    if learned_at < incident.occurred_at:
        raise ValidationFailed(_("获悉时间不能早于事件发生时间"), field="learned_at")
    evidence = (evidence or "").strip()
    if len(evidence) < 10:
        raise ValidationFailed(_("请写明事实依据（不少于10个字）"), field="evidence")
    if kind == IssueKind.MISSED and incident.written_reports.exists():
        raise ValidationFailed(
            _("该单位已书面报告此事件，不能记为漏报（可记为瞒报或按迟报处理）"), field="kind"
        )
    if ReportingIssue.objects.filter(incident=incident, kind=kind).exists():
        raise Conflict(_("该事件已记录过%(kind)s") % {"kind": IssueKind(kind).label}, field="kind")
    issue = ReportingIssue.objects.create(
        incident=incident,
        unit=incident.unit,
        kind=kind,
        source=source,
        learned_at=learned_at,
        evidence=evidence[:5000],
        recorded_by=actor,
    )
    audit_record(event_type=EventType.STATE_CHANGE, actor=actor, obj=incident, detail={"issue": kind})
    notify(
        recipients=unit_reporters(incident.unit_id),
        kind="emergency_issue",
        title=_("【%(kind)s】“%(incident)s”被记为%(kind)s，请作出说明")
        % {"kind": issue.get_kind_display(), "incident": incident.title},
        url=reverse("emergencies:detail", args=[incident.pk]),
    )
    return issue


@transaction.atomic
def reporting_issue_answer(*, actor: User, issue: ReportingIssue, answer: str) -> ReportingIssue:
    issue = ReportingIssue.objects.select_for_update().select_related("incident").get(pk=issue.pk)
    if not can_answer_issue(actor, issue):
        raise NotPermitted(_("只有被记录单位的信息员、审签人或单位管理员可以作出说明"))
    if issue.answered_at is not None:
        raise Conflict(_("已作出说明，不能重复提交"), field="answer")
    answer = (answer or "").strip()
    if not answer:
        raise ValidationFailed(_("请填写说明"), field="answer")
    issue.answer = answer[:5000]
    issue.answered_by = actor
    issue.answered_at = timezone.now()
    issue.save()
    audit_record(
        event_type=EventType.STATE_CHANGE,
        actor=actor,
        obj=issue.incident,
        detail={"issue_answer": issue.kind},
    )
    notify(
        recipients=[issue.recorded_by],
        kind="emergency_issue_answer",
        title=_("%(unit)s对“%(incident)s”%(kind)s作出说明")
        % {
            "unit": issue.unit.display_name,
            "incident": issue.incident.title,
            "kind": issue.get_kind_display(),
        },
        url=reverse("emergencies:detail", args=[issue.incident_id]),
    )
    return issue
