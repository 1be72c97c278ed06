"""Who may see which instruction, assignment and commission — the one place it is decided (house habit 2).
Pages and the API both read through these functions and through ``item_for_viewer``.

Instructions and assignments: the staff (editors, leaders, duty officers) of the office that recorded or assigned
them — on a restricted item (内参) only its editors — and every person of a unit the instruction was assigned to.
Commissions: the publishing office's staff and every person of a unit it was sent to.
Nobody else, and a thing one may not see is "not found" (404), never "forbidden".

保护性措施 (PRODUCT 3.1): when the item behind an instruction is restricted, the assigned unit's people see the
instruction and the item's title and text they need to act, but never its authors, its creator or its reporting
unit; only the authors themselves and the editors of an office the item reached see those.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xinbao.accounts.models import OFFICE_ROLES, Role
from xinbao.common.errors import NotFound
from xinbao.followups.models import (
    OPEN_TARGET_STATES,
    Assignment,
    AssignmentTarget,
    Commission,
    CommissionAnswer,
    CommissionTarget,
    Instruction,
    TargetState,
)
from xinbao.orgs.models import Unit, UnitKind
from xinbao.orgs.selectors import unit_region
from xinbao.reports.models import Report, ReportReach, ReportSource, Visibility

if TYPE_CHECKING:
    from xinbao.accounts.models import User
    from xinbao.bulletins.models import IssueEntry


# --- Roles at an office --------------------------------------------------------------------------------------------


def is_office_staff(user: User, office_id: int) -> bool:
    unit = user.unit
    return (
        unit is not None
        and unit.pk == office_id
        and unit.is_receiving_office
        and user.has_role(*OFFICE_ROLES)
    )


def is_office_editor(user: User, office_id: int) -> bool:
    return is_office_staff(user, office_id) and user.has_role(Role.EDITOR)


def office_editors_of(office_id: int) -> QuerySet:
    from xinbao.accounts.models import User

    return User.objects.filter(
        unit_id=office_id, is_active=True, role_assignments__role=Role.EDITOR
    ).distinct()


def unit_people(unit_id: int) -> QuerySet:
    """Who a unit's follow-up notices go to: its informants, signers and leaders."""
    from xinbao.accounts.models import User

    return User.objects.filter(
        unit_id=unit_id,
        is_active=True,
        role_assignments__role__in=[Role.INFORMANT, Role.SIGNER, Role.LEADER],
    ).distinct()


def can_record_instruction(user: User, report: Report) -> bool:
    """An editor of an office the item reached (received, or the office's own forwarded/combined item)."""
    unit = user.unit
    if unit is None or not unit.is_receiving_office or not user.has_role(Role.EDITOR):
        return False
    if report.unit_id == unit.pk:
        return True
    return ReportReach.objects.filter(report=report, office_id=unit.pk).exists()


# --- Units an office may assign to / commission --------------------------------------------------------------------


def assignable_units(office: Unit) -> QuerySet[Unit]:
    """Units an office may send a 批示 down to: any active unit of its region below it (not regions, not itself)."""
    region = unit_region(office)
    return (
        Unit.objects.filter(path__startswith=region.path, is_active=True)
        .exclude(kind=UnitKind.REGION)
        .exclude(pk=office.pk)
        .exclude(parent=region, is_receiving_office=True)
        .order_by("path")
    )


def subordinate_units(office: Unit) -> QuerySet[Unit]:
    """The units that report to ``office`` on the main channel (主渠道): its region's own departments, townships and
    other non-office units, and the receiving offices of the regions one level down. 约稿 go to these."""
    region = unit_region(office)
    child_regions = Unit.objects.filter(parent=region, kind=UnitKind.REGION)
    return (
        Unit.objects.filter(is_active=True)
        .filter(
            Q(parent=region, is_receiving_office=False)
            | Q(parent__in=child_regions, is_receiving_office=True)
        )
        .exclude(kind=UnitKind.REGION)
        .exclude(kind=UnitKind.SYSTEM_OFFICE)
        .order_by("path")
    )


# --- Instructions ---------------------------------------------------------------------------------------------------


def _office_q(user: User, prefix: str, report_path: str) -> Q:
    """Rows of the user's office; restricted items only for its editors."""
    if user.unit is None or not is_office_staff(user, user.unit.pk):
        return Q(pk__in=[])
    q = Q(**{f"{prefix}office_id": user.unit.pk})
    if not user.has_role(Role.EDITOR):
        q &= Q(**{f"{report_path}visibility": Visibility.NORMAL})
    return q


def instruction_list_visible_to(
    *, user: User, filters: dict[str, Any] | None = None
) -> QuerySet[Instruction]:
    if not user.is_authenticated or user.unit_id is None:
        return Instruction.objects.none()
    assigned = AssignmentTarget.objects.filter(assignment__instruction=OuterRef("pk"), unit_id=user.unit_id)
    qs = Instruction.objects.filter(_office_q(user, "", "report__") | Q(Exists(assigned)))
    filters = filters or {}
    if report_id := filters.get("report"):
        qs = qs.filter(report_id=report_id)
    if rank := filters.get("rank"):
        qs = qs.filter(rank=rank)
    if issue := filters.get("issue"):
        qs = qs.filter(issue_entry__issue_id=issue)
    return qs.select_related("report", "office", "recorded_by")


def entries_for_instruction(*, user: User, report: Report) -> QuerySet[IssueEntry]:
    """Where the item was printed in the user's office's published bulletins: the entries a 批示 may be recorded
    on (a leader often writes on the printed 《XX信息》, not on the item as submitted; PRODUCT 3.2)."""
    from xinbao.bulletins.models import IssueEntry, IssueState

    if user.unit_id is None or not is_office_editor(user, user.unit_id):
        return IssueEntry.objects.none()
    return (
        IssueEntry.objects.filter(
            report=report, issue__series__office_id=user.unit_id, issue__state=IssueState.PUBLISHED
        )
        .select_related("issue", "issue__series")
        .order_by("-issue__published_at", "-id")
    )


def instruction_get_visible(*, user: User, pk: int | str) -> Instruction:
    try:
        return instruction_list_visible_to(user=user).get(pk=pk)
    except (Instruction.DoesNotExist, ValueError) as exc:
        raise NotFound(_("批示不存在或无权查看")) from exc


# --- Assignment targets -----------------------------------------------------------------------------------------------


def target_list_visible_to(
    *, user: User, filters: dict[str, Any] | None = None
) -> QuerySet[AssignmentTarget]:
    """Each unit's share of an assignment: the assigning office's staff and the unit's own people see it."""
    if not user.is_authenticated or user.unit_id is None:
        return AssignmentTarget.objects.none()
    qs = AssignmentTarget.objects.filter(
        _office_q(user, "assignment__", "assignment__instruction__report__") | Q(unit_id=user.unit_id)
    )
    filters = filters or {}
    state = filters.get("state")
    today = timezone.localdate()
    if state == "overdue":
        qs = qs.filter(state__in=OPEN_TARGET_STATES, due_on__lt=today).exclude(state=TargetState.ANSWERED)
    elif state == "open":
        qs = qs.filter(state__in=OPEN_TARGET_STATES)
    elif state:
        qs = qs.filter(state=state)
    if unit := filters.get("unit"):
        qs = qs.filter(unit_id=unit)
    if instruction := filters.get("instruction"):
        qs = qs.filter(assignment__instruction_id=instruction)
    return qs.select_related(
        "unit",
        "assignment",
        "assignment__office",
        "assignment__instruction",
        "assignment__instruction__report",
    )


def target_get_visible(*, user: User, pk: int | str) -> AssignmentTarget:
    try:
        return target_list_visible_to(user=user).get(pk=pk)
    except (AssignmentTarget.DoesNotExist, ValueError) as exc:
        raise NotFound(_("交办事项不存在或无权查看")) from exc


def assignment_get_visible(*, user: User, pk: int | str) -> Assignment:
    try:
        assignment = Assignment.objects.select_related("instruction", "office").get(pk=pk)
    except (Assignment.DoesNotExist, ValueError) as exc:
        raise NotFound(_("交办不存在或无权查看")) from exc
    instruction_get_visible(user=user, pk=assignment.instruction_id)
    return assignment


def is_overdue(target: AssignmentTarget, today: date | None = None) -> bool:
    """Past its deadline with nothing sent: a feedback waiting for the office's decision is not the unit's delay."""
    today = today or timezone.localdate()
    return target.state in (TargetState.OPEN, TargetState.MORE_REQUESTED) and target.due_on < today


# --- The item behind an instruction, as the viewer may see it ------------------------------------------------------


@dataclass(frozen=True)
class ItemForAction:
    """What of an item a viewer of an instruction sees. ``withheld``: the informant's identity is hidden."""

    title: str
    body: str
    type_label: str
    restricted: bool
    withheld: bool
    report_id: int | None = None
    unit_name: str = ""
    authors: list[str] = field(default_factory=list)
    created_by: str = ""
    submitted_at: datetime | None = None


def knows_informant(user: User, report: Report) -> bool:
    """Who may know who wrote a restricted item: its creator and authors, and editors of offices it reached."""
    if report.created_by_id == user.pk or report.authors.filter(pk=user.pk).exists():
        return True
    return can_record_instruction(user, report)


def item_for_viewer(*, user: User, report: Report) -> ItemForAction:
    withheld = report.visibility == Visibility.RESTRICTED and not knows_informant(user, report)
    common: dict[str, Any] = {
        "title": report.title,
        "body": report.body,
        "type_label": str(report.get_report_type_display()),
        "restricted": report.visibility == Visibility.RESTRICTED,
        "withheld": withheld,
    }
    if withheld:
        return ItemForAction(**common)
    return ItemForAction(
        **common,
        report_id=report.pk,
        unit_name=report.unit.name,
        authors=[a.full_name or a.username for a in report.authors.all()],
        created_by=report.created_by.full_name or report.created_by.username,
        submitted_at=report.submitted_at,
    )


# --- Commissions ----------------------------------------------------------------------------------------------------


def commission_list_visible_to(*, user: User, filters: dict[str, Any] | None = None) -> QuerySet[Commission]:
    if not user.is_authenticated or user.unit_id is None:
        return Commission.objects.none()
    mine = CommissionTarget.objects.filter(commission=OuterRef("pk"), unit_id=user.unit_id)
    office = Q(office_id=user.unit_id) if is_office_staff(user, user.unit_id) else Q(pk__in=[])
    qs = Commission.objects.filter(office | Q(Exists(mine)))
    filters = filters or {}
    if kind := filters.get("kind"):
        qs = qs.filter(kind=kind)
    if state := filters.get("state"):
        qs = qs.filter(state=state)
    return qs.select_related("office", "created_by")


def commission_get_visible(*, user: User, pk: int | str) -> Commission:
    try:
        return commission_list_visible_to(user=user).get(pk=pk)
    except (Commission.DoesNotExist, ValueError) as exc:
        raise NotFound(_("约稿不存在或无权查看")) from exc


def commission_targets_for(*, user: User, commission: Commission) -> QuerySet[CommissionTarget]:
    """The office sees every unit's completion; a unit sees only its own row."""
    qs = commission.targets.select_related("unit").annotate(answer_count=Count("answers"))
    if not is_office_staff(user, commission.office_id):
        qs = qs.filter(unit_id=user.unit_id or 0)
    return qs.order_by("unit__path")


def commission_answers_for(*, user: User, commission: Commission) -> QuerySet[CommissionAnswer]:
    qs = CommissionAnswer.objects.filter(target__commission=commission).select_related(
        "report", "target__unit"
    )
    if not is_office_staff(user, commission.office_id):
        qs = qs.filter(target__unit_id=user.unit_id or 0)
    return qs.order_by("target__unit__path", "id")


def instructions_on_item_line(report: Report) -> QuerySet[Instruction]:
    """批示 on an item and on every item made from it upward (转报, 综合): the item's page shows them to whoever may
    see the item, so the informant learns that a leader instructed on what became of his text — the credit the
    scoring rules pay back to the originating unit (PRODUCT 3.5). Who may see the item is decided by the caller
    (reports.selectors); nothing here widens it."""
    ids = {report.pk}
    frontier = [report.pk]
    while frontier:
        derived = (
            set(ReportSource.objects.filter(source_id__in=frontier).values_list("report_id", flat=True)) - ids
        )
        ids |= derived
        frontier = list(derived)
    return (
        Instruction.objects.filter(report_id__in=ids)
        .select_related("report", "office")
        .order_by("instructed_on", "pk")
    )
