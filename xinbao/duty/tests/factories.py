"""People and rosters for the duty tests.

alice is a duty officer (值班员) of 中共安平县委办公室 and may edit; bob is an editor of the same office and may only
read; dora is the office's unit admin and may edit; charlie is a duty officer of 中共石桥县委办公室 (another county)
and must see nothing of 安平.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from xinbao.accounts.models import Role, User
from xinbao.accounts.tests.factories import make_user
from xinbao.duty.models import DutyRole, RosterEntry
from xinbao.orgs.models import Unit

TZ = timezone.get_fixed_timezone(8 * 60)


@dataclass
class Cast:
    office: Unit
    other_office: Unit
    alice: User
    bob: User
    dora: User
    eve: User
    charlie: User


def make_cast(world) -> Cast:  # type: ignore[no-untyped-def]
    office, other = world.county_party_office, world.other_party_office
    return Cast(
        office=office,
        other_office=other,
        alice=make_user(office, Role.DUTY_OFFICER, username="alice", full_name="陈爱丽", phone="13907910001"),
        bob=make_user(office, Role.EDITOR, username="bob", full_name="刘博文", phone="13907910002"),
        dora=make_user(office, Role.UNIT_ADMIN, username="dora", full_name="周多拉", phone="13907910003"),
        eve=make_user(office, Role.DUTY_OFFICER, username="eve", full_name="吴怡", phone="15807910004"),
        charlie=make_user(
            other, Role.DUTY_OFFICER, username="charlie", full_name="孙查理", phone="18607910005"
        ),
    )


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


def fill(
    office: Unit, start: date, days: int, *, staff: int = 1, leaders: int = 1, skip: set | None = None
) -> list[RosterEntry]:
    """A full roster of the default shifts (白班 08–18, 夜班 18–08) from ``start`` for ``days`` days.
    ``skip`` holds (day, shift name, role) triples to leave empty."""
    skip = skip or set()
    rows = []
    for n in range(days):
        day = start + timedelta(days=n)
        for shift, begin, end in (
            ("白班", at(day, 8), at(day, 18)),
            ("夜班", at(day, 18), at(day + timedelta(days=1), 8)),
        ):
            for role, count in ((DutyRole.LEADER, leaders), (DutyRole.STAFF, staff)):
                if (day, shift, role) in skip:
                    continue
                for i in range(count):
                    rows.append(
                        RosterEntry(
                            office=office,
                            day=day,
                            shift_name=shift,
                            starts_at=begin,
                            ends_at=end,
                            role=role,
                            name=f"{'领导' if role == DutyRole.LEADER else '值班'}{n}{shift}{i}",
                            phone="13900000000",
                        )
                    )
    return RosterEntry.objects.bulk_create(rows)


def snapshot() -> tuple:
    """Everything a refused duty write must leave as it was."""
    from xinbao.audit.models import AuditEvent
    from xinbao.duty.models import DutyLogEntry, DutyPolicy, DutyShift, Handover

    return (
        tuple(
            RosterEntry.objects.order_by("pk").values_list(
                "pk", "day", "shift_name", "role", "name", "phone", "person_id"
            )
        ),
        tuple(DutyLogEntry.objects.order_by("pk").values_list("pk", "content")),
        tuple(Handover.objects.order_by("pk").values_list("pk", "acknowledged_at")),
        tuple(DutyShift.objects.order_by("pk").values_list("pk", "name", "start", "end")),
        tuple(DutyPolicy.objects.order_by("pk").values_list("pk", "min_staff", "strict_min_staff")),
        # A refused request is itself audited as 越权访问 by the middleware; everything else must stay as it was.
        AuditEvent.objects.exclude(event_type="permission_denied").count(),
    )
