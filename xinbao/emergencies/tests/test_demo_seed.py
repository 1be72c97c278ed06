"""The demo seed's emergencies: the demo county has timely, late, missed and concealed cases and one open incident
with its next 续报 due."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse

from xinbao.duty.models import DutyLogEntry
from xinbao.emergencies.circular import _case
from xinbao.emergencies.models import (
    Deadline,
    DeadlineKind,
    DeadlineState,
    Incident,
    IncidentStatus,
    PhoneReport,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_demo_emergencies():
    from xinbao.demo.services import demo_seed

    with time_machine.travel(NOW, tick=False), transaction.atomic():
        demo_seed(scale="demo", seed=2026, log=lambda message: None)
        incidents = list(Incident.objects.prefetch_related("deadlines", "issues").order_by("occurred_at"))
        assert len(incidents) == 5

        # Titles name the township the story happens in, which is the demo tree's (seeded) township name.
        def outcome(ending: str) -> tuple[str, bool]:
            [incident] = [i for i in incidents if i.title.endswith(ending)]
            return _case(incident).outcome, _case(incident).concealed

        assert outcome("G205国道城关段三车相撞交通事故") == ("timely", False)
        assert outcome("暴雨引发山体滑坡") == ("timely", True)
        assert outcome("县城一小学部分学生出现疑似食物中毒症状") == ("late", False)
        assert outcome("河道一名儿童溺水") == ("missed", False)
        live = Incident.objects.get(status=IncidentStatus.OPEN)
        assert live.title.endswith("一化工企业仓库火灾")
        assert live.unit.short_name and live.title.startswith(live.unit.short_name)
        follow = Deadline.objects.get(incident=live, kind=DeadlineKind.FOLLOW_UP, state=DeadlineState.OPEN)
        assert follow.due_at > NOW
        assert not Deadline.objects.filter(state=DeadlineState.OPEN).exclude(incident=live).exists()
        late = next(i for i in incidents if i.title.startswith("县城一小学"))
        assert _case(late).minutes_late == 35
        # Every call the duty room took is a line of its duty log, at the time of the call, months ago or not.
        calls = list(PhoneReport.objects.select_related("incident"))
        logged = DutyLogEntry.objects.filter(kind="call").exclude(link="")
        assert len(calls) > 1
        assert sorted((e.at, e.link, e.recorded_by_id) for e in logged) == sorted(
            (c.received_at, reverse("emergencies:detail", args=[c.incident_id]), c.taken_by_id) for c in calls
        )
        transaction.set_rollback(True)
