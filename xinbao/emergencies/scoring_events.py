"""Scoring events of emergency reporting (PRODUCT 3.4, 3.5): 按时/迟报/漏报/瞒报 of each incident's responsible unit.

The outcome is the monthly circular's (``circular._case``), so the ledger and the 通报 never disagree:

* one ``emergency`` event per incident for its responsible unit, dated on the day it occurred (Asia/Shanghai),
  with outcome ``timely`` / ``late`` / ``missed`` and ``minutes_late`` (the larger of the phone and written 首报
  delays; 0 unless late);
* a concealed (瞒报) incident gives a second event with outcome ``concealed`` — as in the circular, a 瞒报 is
  also counted by its timeliness, so a rule set may penalise both;
* an open deadline past due counts as late up to the rebuild's moment (the circular does the same).

Incidents are grouped per incident (``incident:<id>``) and ordered by occurrence, then id.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone

from xinbao.emergencies.circular import _case
from xinbao.emergencies.models import Incident
from xinbao.scoring.events import ScoringEvent, Window, register_links, register_source

CHUNK = 500


@register_source("emergencies.incidents")
def incident_events(window: Window) -> Iterator[ScoringEvent]:
    zone = timezone.get_current_timezone()
    since = datetime.combine(window.start, time.min, tzinfo=zone)
    until = datetime.combine(window.end + timedelta(days=1), time.min, tzinfo=zone)
    incidents = (
        Incident.objects.filter(
            unit__path__startswith=window.scope_path, occurred_at__gte=since, occurred_at__lt=until
        )
        .prefetch_related("deadlines", "issues")
        .order_by("occurred_at", "pk")
    )
    for incident in incidents.iterator(chunk_size=CHUNK):
        case = _case(incident)
        day = timezone.localdate(incident.occurred_at)
        outcomes = [(case.outcome, case.minutes_late)] + ([("concealed", 0)] if case.concealed else [])
        for outcome, minutes in outcomes:
            yield ScoringEvent(
                kind="emergency",
                unit_id=incident.unit_id,
                day=day,
                source_type="emergencies.incident",
                source_id=incident.pk,
                group=f"incident:{incident.pk}",
                attrs={"outcome": outcome, "minutes_late": minutes},
                note=incident.title[:60],
            )


@register_links("emergencies.incident")
def incident_links(ids: list[int]) -> dict[int, str]:
    return {pk: reverse("emergencies:detail", args=[pk]) for pk in ids}
