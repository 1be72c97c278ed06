"""A phone report taken on the duty board is also a line of the taking office's 值班记录 (duty log)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xinbao.accounts.services import token_issue
from xinbao.api.tests.conftest import ApiClient
from xinbao.common.errors import NotPermitted, ValidationFailed
from xinbao.duty.models import DutyLogEntry
from xinbao.emergencies.models import PhoneReport
from xinbao.emergencies.services import PhoneCall, phone_report_register
from xinbao.emergencies.tests.factories import call, make_cast, register


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_each_phone_report_is_logged_as_a_call_of_the_officer_who_took_it(world):
    cast = make_cast(world)
    incident = register(cast, world)  # the board's form: the incident with its first call
    later = timezone.now().replace(second=0, microsecond=0)
    phone_report_register(
        actor=cast.alice,
        incident=incident,
        call=PhoneCall(
            received_at=later, caller="朱建国", caller_phone="13907311234", summary="火已扑灭，1人送医。"
        ),
    )
    entries = list(DutyLogEntry.objects.order_by("at", "pk"))
    assert len(entries) == PhoneReport.objects.count() == 2
    url = reverse("emergencies:detail", args=[incident.pk])
    for entry, phone in zip(entries, PhoneReport.objects.order_by("received_at", "pk"), strict=True):
        assert entry.office == world.county_party_office
        assert entry.recorded_by == cast.alice and entry.kind == "call"
        assert entry.at == phone.received_at and entry.link == url
        assert phone.caller in entry.content and phone.caller_phone in entry.content
        assert phone.summary in entry.content and incident.title in entry.content

    # The office's duty log page shows it with the link; another county's log does not.
    page = client_for(cast.alice).get(reverse("duty:log")).content.decode()
    assert "朱建国（13907311234）来电报告" in page and f'href="{url}"' in page
    assert "火已扑灭" not in client_for(cast.charlie).get(reverse("duty:log")).content.decode()
    # And the duty log API carries the link.
    listed = ApiClient(token_issue(user=cast.alice, name="测试")[1]).get("/duty/log", {"kind": "call"}).json()
    assert [item["link"] for item in listed["results"]] == [url, url]


def test_a_call_registered_now_is_logged_whatever_its_age(world):
    """The 7-day limit on late write-ups does not apply: the entry is made as the call is registered."""
    cast = make_cast(world)
    days = timedelta(days=1)
    incident = register(
        cast, world, occurred_ago=10 * 24 * 60, learned_ago=9 * 24 * 60, phone_at=timezone.now() - 8 * days
    )
    [entry] = DutyLogEntry.objects.all()
    assert entry.at == incident.phone_reports.get().received_at
    assert entry.at < timezone.now() - 7 * days


def test_a_city_duty_officer_taking_the_call_logs_it_in_the_city_log(world):
    cast = make_cast(world)
    incident = register(cast, world, by_phone=False)
    phone_report_register(actor=cast.city_duty, incident=incident, call=call())
    [entry] = DutyLogEntry.objects.all()
    assert (entry.office, entry.recorded_by) == (world.city_party_office, cast.city_duty)


def test_a_refused_call_leaves_no_log_entry(world):
    cast = make_cast(world)
    incident = register(cast, world, by_phone=False)
    for person in (cast.bob, cast.charlie):  # the same office's leader, another county's duty officer
        with pytest.raises(NotPermitted):
            phone_report_register(actor=person, incident=incident, call=call())
    with pytest.raises(ValidationFailed):
        phone_report_register(
            actor=cast.alice, incident=incident, call=call(incident.occurred_at - timedelta(days=1))
        )
    assert not DutyLogEntry.objects.exists()
