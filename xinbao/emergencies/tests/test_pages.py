"""Pages: the duty board, the incident page and its forms, rules, and the monthly 通报 downloads.
alice (county duty officer) may; bob (same office, leader) sees but may not take calls; charlie (another county)
gets an empty board and 404 for the incident."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xinbao.emergencies.models import Incident, IncidentReport
from xinbao.emergencies.services import incident_report_submit, reporting_issue_record
from xinbao.emergencies.tests.factories import BODY, make_cast, register


@pytest.fixture
def cast(world):
    return make_cast(world)


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def fmt(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def phone_post(world, **over):
    now = timezone.now()
    data = {
        "phone-unit": world.township.pk,
        "phone-title": "城关镇南街居民楼火灾",
        "phone-category": "accident",
        "phone-grade": "large",
        "phone-occurred_at": fmt(now - timedelta(minutes=15)),
        "phone-learned_at": fmt(now - timedelta(minutes=5)),
        "phone-place": "城关镇南街23号",
        "phone-summary": "居民楼三层起火，2人被困。",
        "phone-deaths": 0,
        "phone-injured": 0,
        "phone-missing": 0,
        "phone-trapped": 2,
        "phone-direct_loss": "0",
        "phone-received_at": fmt(now),
        "phone-caller": "何海波",
        "phone-caller_phone": "0731-5521234",
        "phone-phone_summary": "南街居民楼起火，已报119。",
    }
    data.update(over)
    return data


def test_board_matrix(world, cast):
    incident = register(cast, world)
    alice = client_for(cast.alice).get(reverse("emergencies:board"))
    assert alice.status_code == 200
    html = alice.content.decode()
    assert incident.title in html and 'id="phone-form"' in html and "data-due=" in html
    bob = client_for(cast.bob).get(reverse("emergencies:board")).content.decode()
    assert incident.title in bob and 'id="phone-form"' not in bob
    charlie = client_for(cast.charlie).get(reverse("emergencies:board")).content.decode()
    assert incident.title not in charlie
    panel = client_for(cast.alice).get(
        reverse("emergencies:board") + "?panel=1", headers={"HX-Request": "true"}
    )
    assert (
        panel.content.decode().lstrip().startswith('<div id="board-panel"')
        or 'id="board-panel"' in panel.content.decode()
    )
    assert "<html" not in panel.content.decode()


def test_phone_report_from_the_board(world, cast):
    response = client_for(cast.alice).post(reverse("emergencies:phone_new"), phone_post(world))
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "emergencies:detail", args=[incident.pk]
    )
    assert incident.phone_reports.count() == 1 and incident.trapped == 2
    assert client_for(cast.bob).post(reverse("emergencies:phone_new"), phone_post(world)).status_code == 403
    assert Incident.objects.count() == 1


def test_phone_report_bad_input_shows_the_reason(world, cast):
    now = timezone.now()
    response = client_for(cast.alice).post(
        reverse("emergencies:phone_new"),
        phone_post(world, **{"phone-learned_at": fmt(now - timedelta(hours=1))}),
    )
    assert response.status_code == 400
    assert "获悉时间不能早于发生时间" in response.content.decode()
    response = client_for(cast.alice).post(
        reverse("emergencies:phone_new"), phone_post(world, **{"phone-grade": "x"})
    )
    assert response.status_code == 400
    assert "事件等级无效：须为特别重大、重大、较大或一般" in response.content.decode()
    for field, label in (
        ("occurred_at", "发生时间"),
        ("learned_at", "获悉时间"),
        ("received_at", "来电时间"),
    ):
        response = client_for(cast.alice).post(
            reverse("emergencies:phone_new"),
            phone_post(world, **{f"phone-{field}": fmt(now + timedelta(hours=2))}),
        )
        assert response.status_code == 400
        assert f"{label}不能晚于当前时间" in response.content.decode()
    assert not Incident.objects.exists()


def test_unit_registration_page_refuses_bad_input_in_chinese(world, cast):
    now = timezone.now()
    url = reverse("emergencies:new")
    good = {
        "inc-unit": world.township.pk,
        "inc-title": "城关镇河道溺水事件",
        "inc-category": "accident",
        "inc-grade": "ordinary",
        "inc-occurred_at": fmt(now - timedelta(minutes=30)),
        "inc-learned_at": fmt(now - timedelta(minutes=10)),
        "inc-place": "城关镇河道",
        "inc-summary": "一名儿童落水，已送医。",
        "inc-deaths": 0,
        "inc-injured": 1,
        "inc-missing": 0,
        "inc-trapped": 0,
        "inc-direct_loss": "0",
    }
    for over, words in (
        ({"inc-learned_at": fmt(now - timedelta(hours=1))}, "获悉时间不能早于发生时间"),
        ({"inc-occurred_at": fmt(now + timedelta(hours=1))}, "发生时间不能晚于当前时间"),
        ({"inc-grade": "很大"}, "事件等级无效"),
        ({"inc-category": "火灾"}, "事件类别无效"),
    ):
        response = client_for(cast.informant).post(url, good | over)
        assert response.status_code == 400
        assert words in response.content.decode()
    assert not Incident.objects.exists()
    assert client_for(cast.informant).post(url, good).status_code == 302
    assert Incident.objects.get().learned_via == "unit"


def test_incident_page_matrix_and_written_report(world, cast):
    incident = register(cast, world)
    url = reverse("emergencies:detail", args=[incident.pk])
    assert client_for(cast.charlie).get(url).status_code == 404
    assert 'id="write-form"' not in client_for(cast.bob).get(url).content.decode()
    informant = client_for(cast.informant)
    assert 'id="write-form"' in informant.get(url).content.decode()
    write = reverse("emergencies:write", args=[incident.pk])
    assert client_for(cast.charlie).post(write, {"w-kind": "first", "w-body": BODY}).status_code == 404
    assert client_for(cast.bob).post(write, {"w-kind": "first", "w-body": BODY}).status_code == 403
    response = informant.post(write, {"w-kind": "first", "w-body": BODY, "w-injured": 1})
    assert response.status_code == 302
    written = IncidentReport.objects.get()
    assert written.kind == "first"
    page = client_for(cast.alice).get(url).content.decode()
    assert "【首报】" in page


def test_issue_and_answer_pages(world, cast):
    incident = register(cast, world, by_phone=False)
    url = reverse("emergencies:issue_add", args=[incident.pk])
    data = {
        "i-kind": "missed",
        "i-source": "media",
        "i-learned_at": fmt(timezone.now()),
        "i-evidence": "江州晚报11月26日报道了此次火灾，单位未报告。",
    }
    assert client_for(cast.alice).post(url, data).status_code == 403
    assert client_for(cast.editor).post(url, data).status_code == 302
    issue = incident.issues.get()
    answer = reverse("emergencies:issue_answer", args=[incident.pk, issue.pk])
    client_for(cast.informant).post(answer, {"a-answer": "值班人员误以为消防部门已上报。"})
    issue.refresh_from_db()
    assert issue.answered_by == cast.informant


def test_rules_page(world, cast):
    url = reverse("emergencies:rules")
    page = client_for(cast.editor).get(url)
    assert page.status_code == 200 and "08:00,17:00" in page.content.decode()
    data = {
        "grade": "large",
        "phone_minutes": "20",
        "written_minutes": "45",
        "cap_minutes": "240",
        "follow_up_times": "08:00,17:00",
        "follow_up_min_gap_minutes": "60",
        "grace_minutes": "15",
    }
    assert client_for(cast.alice).post(url, data).status_code == 403
    assert client_for(cast.editor).post(url, data).status_code == 302
    assert client_for(cast.informant).get(url).status_code == 403  # a township is no receiving office


def test_monthly_circular_downloads(world, cast):
    timely = register(cast, world, title="城关镇南街居民楼火灾")
    incident_report_submit(actor=cast.informant, incident=timely, kind="first", body=BODY)
    missed = register(cast, world, by_phone=False, title="城关镇河道溺水事件")
    reporting_issue_record(
        actor=cast.editor,
        incident=missed,
        kind="missed",
        source="media",
        learned_at=timezone.now(),
        evidence="江州晚报报道了此次溺水事件，单位未报告。",
    )
    month = timezone.localdate().strftime("%Y-%m")
    url = reverse("emergencies:circular")
    page = client_for(cast.editor).get(url, {"month": month}).content.decode()
    assert "安平县城关镇" in page
    xlsx = client_for(cast.editor).get(url, {"month": month, "format": "xlsx"})
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(xlsx.content))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert rows[2][:5] == ("安平县城关镇", 2, 1, 0, 1)
    docx = client_for(cast.editor).get(url, {"month": month, "format": "docx"})
    text = zipfile.ZipFile(io.BytesIO(docx.content)).read("word/document.xml").decode()
    assert "紧急信息报送情况通报" in text and "城关镇河道溺水事件" in text and "漏报" in text
    # charlie's circular holds nothing of 安平县
    other = client_for(cast.charlie).get(url, {"month": month, "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(other.content)).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 2


def test_todos(world, cast):
    from datetime import timedelta as td

    from xinbao.common.todos import todos_for
    from xinbao.emergencies.models import Deadline

    incident = register(cast, world)
    assert [t.title for t in todos_for(cast.informant) if "突发事件" in t.title] == ["突发事件待报送"]
    assert not [t for t in todos_for(cast.alice) if "紧急信息" in t.title]
    Deadline.objects.filter(incident=incident).update(due_at=timezone.now() - td(minutes=1))
    assert [t.count for t in todos_for(cast.alice) if t.title == "紧急信息逾期未报"] == [1]
    assert not [t for t in todos_for(cast.charlie) if "紧急信息" in t.title]


def test_double_click_on_a_follow_up_is_one_report(world, cast):
    import re

    incident = register(cast, world)
    incident_report_submit(actor=cast.informant, incident=incident, kind="first", body=BODY)
    informant = client_for(cast.informant)
    page = informant.get(reverse("emergencies:detail", args=[incident.pk])).content.decode()
    key = re.search(r'name="w-key" value="([0-9a-f]{32})"', page).group(1)
    data = {"w-kind": "follow_up", "w-body": BODY + "续报", "w-key": key}
    for _ in range(2):
        assert informant.post(reverse("emergencies:write", args=[incident.pk]), data).status_code == 302
    assert IncidentReport.objects.filter(incident=incident, kind="follow_up").count() == 1


def test_board_shows_who_is_on_duty_now_and_a_gap(world, cast):
    import time_machine

    from xinbao.duty.models import DutyRole
    from xinbao.duty.services.roster import roster_entry_create

    # 10:00 today (Asia/Shanghai): the default day shift 08:00–18:00 is on, and today is not a past day.
    ten = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    with time_machine.travel(ten, tick=False):
        html = client_for(cast.alice).get(reverse("emergencies:board")).content.decode()
        assert 'id="on-duty"' in html and "当前时段值班安排有空缺" in html
        for role, name, phone in (
            (DutyRole.LEADER, "周鹏飞", "13907310001"),
            (DutyRole.STAFF, "李红", "13907310002"),
        ):
            roster_entry_create(
                actor=cast.alice,
                office=world.county_party_office,
                day=ten.date(),
                shift_name="白班",
                role=role,
                name=name,
                phone=phone,
            )
        html = client_for(cast.bob).get(reverse("emergencies:board")).content.decode()
        assert "周鹏飞 13907310001" in html and "李红 13907310002" in html
        assert "当前时段值班安排有空缺" not in html
        charlie = client_for(cast.charlie).get(reverse("emergencies:board")).content.decode()
        assert "周鹏飞" not in charlie
