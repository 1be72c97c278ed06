"""Reads of the duty app, with the one rule of who may see what (PRODUCT 3.4, 4).

A roster, the duty log and handovers belong to one receiving office: its own people read them; its duty officers
(值班员) and its unit administrator edit them; nobody from another office sees them at all (404, as if missing).
``on_duty_at`` is the exception: it is for the system itself (alerts of the emergency capability), not for a
person, and applies no visibility.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from xinbao.accounts.models import Role
from xinbao.common.errors import NotFound
from xinbao.duty.models import DutyLogEntry, DutyPolicy, DutyRole, DutyShift, Handover, RosterEntry
from xinbao.orgs.models import Unit

if TYPE_CHECKING:
    from xinbao.accounts.models import User

#: 春节 and 国庆节 need two 值班员 unless the office says otherwise (issue 5: 两名值班员 on 春节/国庆).
DEFAULT_STRICT_HOLIDAYS = ["春节", "国庆节"]


@dataclass(frozen=True)
class ShiftSpec:
    name: str
    start: time
    end: time

    @property
    def overnight(self) -> bool:
        """Ends the next day (an end at or before the start, e.g. 18:00–08:00 or 08:00–08:00 for 24 h)."""
        return self.end <= self.start

    @property
    def label(self) -> str:
        if self.overnight:
            return _("%(name)s %(start)s–次日%(end)s") % {
                "name": self.name,
                "start": f"{self.start:%H:%M}",
                "end": f"{self.end:%H:%M}",
            }
        return f"{self.name} {self.start:%H:%M}–{self.end:%H:%M}"


#: The pattern of most 总值班室: a day shift and a night shift, handing over at 08:00 and 18:00.
DEFAULT_SHIFTS = (ShiftSpec("白班", time(8), time(18)), ShiftSpec("夜班", time(18), time(8)))


def office_of(user: Any) -> Unit | None:
    """The receiving office a person belongs to, whose duty records he may read; None for everyone else."""
    if not getattr(user, "is_authenticated", False) or user.unit_id is None:
        return None
    unit = user.unit
    return unit if unit.is_receiving_office and unit.is_active else None


def may_read_duty(user: Any, office: Unit) -> bool:
    own = office_of(user)
    return own is not None and own.pk == office.pk


def may_edit_duty(user: Any, office: Unit) -> bool:
    """The office's duty officers and its unit administrator keep the roster and the log."""
    return may_read_duty(user, office) and user.has_role(Role.DUTY_OFFICER, Role.UNIT_ADMIN)


def shifts_for(office: Unit) -> list[ShiftSpec]:
    rows = list(DutyShift.objects.filter(office=office))
    if not rows:
        return list(DEFAULT_SHIFTS)
    return [ShiftSpec(r.name, r.start, r.end) for r in rows]


def policy_for(office: Unit) -> DutyPolicy:
    """The office's policy row, or the unsaved default."""
    policy = DutyPolicy.objects.filter(office=office).first()
    if policy is None:
        policy = DutyPolicy(office=office, strict_holidays=list(DEFAULT_STRICT_HOLIDAYS))
    return policy


# --- roster -------------------------------------------------------------------------------------------------------


def roster_entry_list_visible_to(*, user: User, start: date, end: date) -> QuerySet[RosterEntry]:
    """Roster lines of the user's office for duty days start..end inclusive."""
    office = office_of(user)
    if office is None:
        return RosterEntry.objects.none()
    return (
        RosterEntry.objects.filter(office=office, day__gte=start, day__lte=end)
        .select_related("person")
        .order_by("day", "starts_at", "role", "id")
    )


def roster_entry_get_visible(*, user: User, pk: int) -> RosterEntry:
    office = office_of(user)
    entry = (
        RosterEntry.objects.filter(pk=pk, office=office).select_related("office", "person").first()
        if office
        else None
    )
    if entry is None:
        raise NotFound(_("排班记录不存在或无权查看"))
    return entry


# --- duty log and handovers ---------------------------------------------------------------------------------------


def log_entry_list_visible_to(
    *, user: User, start: datetime | None = None, end: datetime | None = None, kind: str | None = None
) -> QuerySet[DutyLogEntry]:
    office = office_of(user)
    if office is None:
        return DutyLogEntry.objects.none()
    qs = DutyLogEntry.objects.filter(office=office).select_related("recorded_by", "corrects")
    if start is not None:
        qs = qs.filter(at__gte=start)
    if end is not None:
        qs = qs.filter(at__lt=end)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-at", "-id")


def log_entry_get_visible(*, user: User, pk: int) -> DutyLogEntry:
    office = office_of(user)
    entry = (
        DutyLogEntry.objects.filter(pk=pk, office=office).select_related("office", "recorded_by").first()
        if office
        else None
    )
    if entry is None:
        raise NotFound(_("值班记录不存在或无权查看"))
    return entry


def handover_list_visible_to(*, user: User) -> QuerySet[Handover]:
    office = office_of(user)
    if office is None:
        return Handover.objects.none()
    return (
        Handover.objects.filter(office=office).select_related("handed_by", "incoming").order_by("-at", "-id")
    )


def handover_get_visible(*, user: User, pk: int) -> Handover:
    office = office_of(user)
    handover = (
        Handover.objects.filter(pk=pk, office=office)
        .select_related("office", "handed_by", "incoming")
        .first()
        if office
        else None
    )
    if handover is None:
        raise NotFound(_("交接班记录不存在或无权查看"))
    return handover


def duty_colleagues(office: Unit) -> QuerySet[Any]:
    """Active people of the office: who a roster line may name and who may take over a shift."""
    from xinbao.accounts.models import User

    return User.objects.filter(unit=office, is_active=True).order_by("full_name", "pk")


# --- who is on duty -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DutyPerson:
    name: str
    phone: str
    person_id: int | None
    shift_name: str
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class OnDuty:
    office_id: int
    at: datetime
    #: The office's landline (Unit.phone), the number a caller is given when the roster has a gap.
    office_phone: str
    leaders: list[DutyPerson]
    staff: list[DutyPerson]

    @property
    def covered(self) -> bool:
        return bool(self.leaders) and bool(self.staff)


def on_duty_at(*, office: Unit, at: datetime) -> OnDuty:
    """Who is on duty at the office at a moment: the 带班领导 and the 值班员 whose shift has started and not yet
    ended (start inclusive, end exclusive: at 18:00 the night shift is on, not the day shift). For alerts and the
    duty board; applies no visibility because the caller is the system."""
    rows = RosterEntry.objects.filter(office=office, starts_at__lte=at, ends_at__gt=at).order_by(
        "starts_at", "id"
    )
    leaders: list[DutyPerson] = []
    staff: list[DutyPerson] = []
    for row in rows:
        person = DutyPerson(row.name, row.phone, row.person_id, row.shift_name, row.starts_at, row.ends_at)
        (leaders if row.role == DutyRole.LEADER else staff).append(person)
    return OnDuty(office.pk, at, office.phone, leaders, staff)
