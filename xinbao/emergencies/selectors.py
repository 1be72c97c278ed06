"""Reads of incidents, their reports and deadlines: the one place that decides who sees which incident.

Visibility: a receiving office's editors, duty officers and leaders (and administrators) see every incident of a
unit in their region or handled by an office in it (a city duty room sees its counties' incidents); everyone else
sees the incidents of their own unit (responsible or involved). A stranger gets 404, as for items.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xinbao.accounts.models import Role
from xinbao.common.errors import NotFound
from xinbao.duty.selectors import on_duty_at
from xinbao.emergencies.clock import DEFAULT_RULES, Rule, parse_times, rule_from_data
from xinbao.emergencies.models import (
    Deadline,
    DeadlineRule,
    DeadlineState,
    Incident,
    IncidentReport,
    IncidentStatus,
    ReportingIssue,
)
from xinbao.orgs.models import Unit, UnitKind
from xinbao.orgs.selectors import has_region_wide_view, in_scope, scope_root, unit_report_targets

if TYPE_CHECKING:
    from xinbao.accounts.models import User


# --- Visibility --------------------------------------------------------------------------------------------------


def incident_list_visible_to(*, user: User, filters: dict[str, Any] | None = None) -> QuerySet[Incident]:
    if not user.is_authenticated or user.unit_id is None:
        return Incident.objects.none()
    root = scope_root(user)
    if has_region_wide_view(user) and root is not None:
        qs = Incident.objects.filter(
            Q(unit__path__startswith=root.path) | Q(office__path__startswith=root.path)
        )
    else:
        qs = Incident.objects.filter(Q(unit_id=user.unit_id) | Q(other_units=user.unit_id)).distinct()
    filters = filters or {}
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    if grade := filters.get("grade"):
        qs = qs.filter(grade=grade)
    if category := filters.get("category"):
        qs = qs.filter(category=category)
    if unit := filters.get("unit"):
        qs = qs.filter(unit_id=unit)
    if since := filters.get("since"):
        qs = qs.filter(occurred_at__gte=since)
    if until := filters.get("until"):
        qs = qs.filter(occurred_at__lt=until)
    return qs.select_related("unit", "office", "registered_by").order_by("-occurred_at", "-id")


def incident_get_visible(*, user: User, pk: int | str) -> Incident:
    try:
        return incident_list_visible_to(user=user).get(pk=pk)
    except (Incident.DoesNotExist, ValueError) as exc:
        raise NotFound(_("突发事件不存在或无权查看")) from exc


def reporting_issue_get_visible(*, user: User, incident_pk: int | str, pk: int | str) -> ReportingIssue:
    """A 漏报/瞒报 record of an incident the user may see (its answer is decided by the service)."""
    incident = incident_get_visible(user=user, pk=incident_pk)
    issue = ReportingIssue.objects.filter(incident=incident, pk=pk).select_related("incident").first()
    if issue is None:
        raise NotFound(_("记录不存在"))
    return issue


def incident_detail(*, user: User, pk: int | str) -> Incident:
    incident = incident_get_visible(user=user, pk=pk)
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(
        [incident],
        "phone_reports__taken_by",
        Prefetch(
            "written_reports", queryset=IncidentReport.objects.select_related("report", "report__created_by")
        ),
        Prefetch("deadlines", queryset=Deadline.objects.order_by("due_at", "id")),
        Prefetch(
            "issues", queryset=ReportingIssue.objects.select_related("recorded_by", "answered_by", "unit")
        ),
        "other_units",
    )
    return incident


def deadline_list_visible_to(*, user: User, filters: dict[str, Any] | None = None) -> QuerySet[Deadline]:
    visible = incident_list_visible_to(user=user).values("pk")
    qs = Deadline.objects.filter(incident_id__in=visible)
    filters = filters or {}
    if state := filters.get("state"):
        qs = qs.filter(state=state)
    if filters.get("overdue"):
        qs = qs.filter(state=DeadlineState.OPEN, due_at__lte=timezone.now())
    if incident := filters.get("incident"):
        qs = qs.filter(incident_id=incident)
    return qs.select_related("incident", "incident__unit").order_by("due_at", "id")


def written_reports_visible_to(*, user: User, incident: Incident) -> QuerySet[IncidentReport]:
    return (
        IncidentReport.objects.filter(incident=incident)
        .select_related("report")
        .order_by("submitted_at", "id")
    )


def board_for(*, user: User) -> dict[str, Any]:
    """What the duty room's board shows: open incidents with their next deadline, and every open deadline."""
    now = timezone.now()
    open_deadlines = list(
        deadline_list_visible_to(user=user, filters={"state": DeadlineState.OPEN}).select_related(
            "incident__office"
        )
    )
    next_by_incident: dict[int, Deadline] = {}
    for d in open_deadlines:
        next_by_incident.setdefault(d.incident_id, d)
    incidents = list(
        incident_list_visible_to(user=user, filters={"status": IncidentStatus.OPEN}).prefetch_related(
            "written_reports", "phone_reports"
        )[:200]
    )
    for incident in incidents:
        incident.next_deadline = next_by_incident.get(incident.pk)  # type: ignore[attr-defined]
    recent = list(
        IncidentReport.objects.filter(incident__in=[i.pk for i in incidents])
        .select_related("incident", "report")
        .order_by("-submitted_at")[:10]
    )
    office = user.unit if user.unit is not None and user.unit.is_receiving_office else None
    return {
        "now": now,
        # Who answers the phone right now (the duty roster): the board is the duty room's one screen.
        "on_duty": on_duty_at(office=office, at=now) if office is not None else None,
        "incidents": incidents,
        "waiting": open_deadlines[:50],
        "overdue_count": sum(1 for d in open_deadlines if d.due_at <= now),
        "recent_reports": recent,
    }


# --- Permission decisions ----------------------------------------------------------------------------------------


def is_office_staff(user: User, *roles: str) -> bool:
    unit = user.unit
    return bool(unit is not None and unit.is_receiving_office and user.has_role(*roles))


def can_take_phone_report(user: User, unit: Unit) -> bool:
    """A receiving office's duty officer takes phone reports from units in the office's region (值班室接报)."""
    return is_office_staff(user, Role.DUTY_OFFICER) and in_scope(user, unit)


def can_register_for_unit(user: User, unit: Unit) -> bool:
    """The unit's own informant or signer registers an incident it must report."""
    return user.unit_id == unit.pk and user.has_role(Role.INFORMANT, Role.SIGNER)


def can_write_report(user: User, incident: Incident) -> bool:
    return user.unit_id == incident.unit_id and user.has_role(Role.INFORMANT)


def can_record_issue(user: User, incident: Incident) -> bool:
    """An office editor (信息科) records 漏报/瞒报 for incidents in the office's region."""
    return is_office_staff(user, Role.EDITOR) and in_scope(user, incident.unit)


def can_answer_issue(user: User, issue: ReportingIssue) -> bool:
    return user.unit_id == issue.unit_id and user.has_role(Role.INFORMANT, Role.SIGNER, Role.UNIT_ADMIN)


def can_edit_rules(user: User, office: Unit) -> bool:
    return (
        user.unit_id == office.pk
        and office.is_receiving_office
        and user.has_role(Role.EDITOR, Role.UNIT_ADMIN)
    )


# --- Rules, offices and people ----------------------------------------------------------------------------------


def rule_for(office_id: int, grade: str) -> Rule:
    """The office's rule for the grade, or the shipped default (PRODUCT 3.4) when the office has not set one."""
    row = DeadlineRule.objects.filter(office_id=office_id, grade=grade).first()
    if row is None:
        return DEFAULT_RULES[grade]
    return Rule(
        phone_minutes=row.phone_minutes,
        written_minutes=row.written_minutes,
        cap_minutes=row.cap_minutes,
        follow_up_times=parse_times(row.follow_up_times),
        follow_up_min_gap_minutes=row.follow_up_min_gap_minutes,
        grace_minutes=row.grace_minutes,
    )


def incident_rule(incident: Incident) -> Rule:
    """The rule an incident's clocks run by: the one recorded when it was registered (see ``Incident.rule``)."""
    if incident.rule:
        return rule_from_data(incident.rule)
    return rule_for(incident.office_id, incident.grade)


def rules_table(office: Unit) -> list[tuple[str, Rule, bool]]:
    """(grade, rule, customised) for every grade, as the rules page lists them."""
    from xinbao.emergencies.models import IncidentGrade

    rows = set(DeadlineRule.objects.filter(office=office).values_list("grade", flat=True))
    return [(g, rule_for(office.pk, g), g in rows) for g in IncidentGrade.values]


def handling_office(unit: Unit) -> Unit | None:
    """The office whose duty room takes ``unit``'s emergency reports: its main-channel party office (党委办公室
    carries the joint 总值班室 in the seed's counties), else the first main-channel office."""
    main = unit_report_targets(unit)["main"]
    for office in main:
        if office.kind == UnitKind.PARTY_OFFICE:
            return office
    return main[0] if main else None


def _active(unit_ids: list[int], *roles: str) -> QuerySet:
    from xinbao.accounts.models import User

    return (
        User.objects.filter(unit_id__in=unit_ids, is_active=True, role_assignments__role__in=roles)
        .distinct()
        .order_by("pk")
    )


def duty_officers(office_ids: list[int]) -> QuerySet:
    return _active(office_ids, Role.DUTY_OFFICER)


def office_receivers(office_ids: list[int]) -> QuerySet:
    """Who in an office is told of an emergency report at once: the duty room and 信息科 (editors)."""
    return _active(office_ids, Role.DUTY_OFFICER, Role.EDITOR)


def unit_reporters(unit_id: int) -> QuerySet:
    """Whom a missed deadline is chased with: the unit's informants and signers."""
    return _active([unit_id], Role.INFORMANT, Role.SIGNER)


def escalation_offices(office: Unit) -> list[Unit]:
    """The next office(s) up from the handling office (its own main channel)."""
    return unit_report_targets(office)["main"]


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime(year, month, 1, tzinfo=tz)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    return start, end
