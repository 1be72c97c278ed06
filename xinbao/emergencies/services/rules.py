"""Editing an office's deadline rules (PRODUCT 3.4: "Deadlines are configurable per office")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from xinbao.audit.models import EventType
from xinbao.audit.services import audit_record
from xinbao.common.errors import NotPermitted, ValidationFailed
from xinbao.emergencies.clock import format_times, parse_times
from xinbao.emergencies.models import DeadlineRule, IncidentGrade
from xinbao.emergencies.selectors import can_edit_rules

if TYPE_CHECKING:
    from xinbao.accounts.models import User
    from xinbao.orgs.models import Unit

DAY = 24 * 60


@transaction.atomic
def deadline_rule_set(
    *,
    actor: User,
    office: Unit,
    grade: str,
    phone_minutes: int | None,
    written_minutes: int,
    cap_minutes: int = 240,
    follow_up_times: str = "",
    follow_up_min_gap_minutes: int = 60,
    grace_minutes: int = 30,
) -> DeadlineRule:
    """Set one grade's limits for the office. Applies to incidents registered from now on. An incident already
    registered keeps the rule in force at its registration (recorded on it, ``Incident.rule``) for every clock
    it has or will have: its phone and 首报 deadlines, each further 续报 slot and the grace period before
    escalation — a unit is judged by the rule in force when the incident was reported, not by a later edit."""
    if not can_edit_rules(actor, office):
        raise NotPermitted(_("只有本接报单位的编辑或单位管理员可以修改报送时限"))
    if grade not in IncidentGrade.values:
        raise ValidationFailed(_("事件等级无效：须为特别重大、重大、较大或一般"), field="grade")
    for name, value, label in (
        ("written_minutes", written_minutes, _("书面报告时限")),
        ("cap_minutes", cap_minutes, _("事发后最迟")),
    ):
        if value is None or not 1 <= value <= DAY:
            raise ValidationFailed(_("%(label)s须在1至1440分钟之间") % {"label": label}, field=name)
    if phone_minutes is not None and not 1 <= phone_minutes <= DAY:
        raise ValidationFailed(_("电话报告时限须在1至1440分钟之间"), field="phone_minutes")
    if not 0 <= grace_minutes <= DAY:
        raise ValidationFailed(_("宽限须在0至1440分钟之间"), field="grace_minutes")
    if not 0 <= follow_up_min_gap_minutes <= DAY:
        raise ValidationFailed(_("首次续报最短间隔须在0至1440分钟之间"), field="follow_up_min_gap_minutes")
    try:
        times = parse_times(follow_up_times)
    except ValueError as exc:
        raise ValidationFailed(_("续报时点格式应为“08:00,17:00”"), field="follow_up_times") from exc
    rule, _created = DeadlineRule.objects.update_or_create(
        office=office,
        grade=grade,
        defaults={
            "phone_minutes": phone_minutes,
            "written_minutes": written_minutes,
            "cap_minutes": cap_minutes,
            "follow_up_times": format_times(times),
            "follow_up_min_gap_minutes": follow_up_min_gap_minutes,
            "grace_minutes": grace_minutes,
            "updated_by": actor,
        },
    )
    audit_record(
        event_type=EventType.CONFIG_CHANGE,
        actor=actor,
        obj=rule,
        detail={
            "grade": grade,
            "written": written_minutes,
            "phone": phone_minutes,
            "follow_up": rule.follow_up_times,
        },
    )
    return rule
