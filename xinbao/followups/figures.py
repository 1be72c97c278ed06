"""Follow-up figures (PRODUCT 3.3: open, overdue, closed on time — per unit and per office) and commission
completion per unit. Counted over what the viewer may see, through the selectors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.utils import timezone

from xinbao.followups.models import OPEN_TARGET_STATES, TargetState
from xinbao.followups.selectors import target_list_visible_to

if TYPE_CHECKING:
    from xinbao.accounts.models import User


@dataclass(frozen=True)
class FollowupFigures:
    unit_id: int
    unit_name: str
    total: int
    open: int
    overdue: int
    closed_on_time: int
    closed_late: int


def followup_figures(*, user: User, by: str = "unit") -> list[FollowupFigures]:
    """``by`` is "unit" (the assigned units) or "office" (the assigning offices). Overdue: past the deadline with
    no feedback sent (a feedback awaiting the office's decision is the office's turn, not the unit's delay)."""
    today = timezone.localdate()
    key = "unit" if by == "unit" else "assignment__office"
    rows = (
        target_list_visible_to(user=user)
        .order_by()
        .values(f"{key}_id", f"{key}__name")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=Q(state__in=OPEN_TARGET_STATES)),
            overdue=Count(
                "pk",
                filter=Q(state__in=[TargetState.OPEN, TargetState.MORE_REQUESTED], due_on__lt=today),
            ),
            on_time=Count("pk", filter=Q(state=TargetState.CLOSED, closed_on_time=True)),
            late=Count("pk", filter=Q(state=TargetState.CLOSED, closed_on_time=False)),
        )
        .order_by(f"{key}__path")
    )
    return [
        FollowupFigures(
            unit_id=r[f"{key}_id"],
            unit_name=r[f"{key}__name"],
            total=r["total"],
            open=r["open"],
            overdue=r["overdue"],
            closed_on_time=r["on_time"],
            closed_late=r["late"],
        )
        for r in rows
    ]


@dataclass(frozen=True)
class CommissionCompletion:
    unit_id: int
    unit_name: str
    commissioned: int
    answered: int
    answered_on_time: int

    @property
    def rate(self) -> float:
        return self.answered / self.commissioned if self.commissioned else 0.0


def commission_completion(*, user: User, year: int) -> list[CommissionCompletion]:
    """Per unit: commissions of ``year`` (by deadline) sent to it, answered, answered by the deadline."""
    from django.db.models import F

    from xinbao.followups.models import CommissionTarget
    from xinbao.followups.selectors import commission_list_visible_to, is_office_staff

    visible = commission_list_visible_to(user=user).filter(deadline__year=year).values("pk")
    qs = CommissionTarget.objects.filter(commission__in=visible)
    if user.unit_id is None or not is_office_staff(user, user.unit_id):
        qs = qs.filter(unit_id=user.unit_id)
    rows = (
        qs.order_by()
        .values("unit_id", "unit__name")
        .annotate(
            n=Count("pk"),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
            on_time=Count("pk", filter=Q(answered_at__date__lte=F("commission__deadline"))),
        )
        .order_by("unit__path")
    )
    return [
        CommissionCompletion(r["unit_id"], r["unit__name"], r["n"], r["answered"], r["on_time"]) for r in rows
    ]


@dataclass(frozen=True)
class FlagshipProgress:
    unit_id: int
    unit_name: str
    year: int
    pieces: int
    done: int


def flagship_progress(*, user: User, year: int) -> list[FlagshipProgress]:
    """Progress toward each unit's yearly 精品稿件 target: the unit's items answering 集中攻关 commissions of the
    office that year (by deadline) that some office adopted. The office sees all its units; a unit its own."""
    from xinbao.followups.models import CommissionAnswer, FlagshipTarget
    from xinbao.followups.selectors import is_office_staff
    from xinbao.reports.models import Adoption

    if user.unit_id is None:
        return []
    targets = FlagshipTarget.objects.filter(year=year).select_related("unit")
    if is_office_staff(user, user.unit_id):
        targets = targets.filter(office_id=user.unit_id)
    else:
        targets = targets.filter(unit_id=user.unit_id)
    result = []
    for t in targets.order_by("unit__path"):
        done = (
            CommissionAnswer.objects.filter(
                target__unit_id=t.unit_id,
                target__commission__office_id=t.office_id,
                target__commission__is_flagship=True,
                target__commission__deadline__year=year,
                report__in=Adoption.objects.values("report_id"),
            )
            .values("report_id")
            .distinct()
            .count()
        )
        result.append(FlagshipProgress(t.unit_id, t.unit.name, year, t.pieces, done))
    return result
