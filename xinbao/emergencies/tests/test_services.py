"""Incidents and their reports through the services: bad input, who may do what (alice/bob/charlie), what a
refusal leaves untouched, notifications, 漏报/瞒报 and the unit's answer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from xinbao.audit.models import AuditEvent
from xinbao.common.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from xinbao.emergencies.models import Deadline, Incident, IncidentReport, PhoneReport, ReportingIssue
from xinbao.emergencies.selectors import incident_get_visible, incident_list_visible_to
from xinbao.emergencies.services import (
    Casualties,
    deadline_rule_set,
    follow_up_label,
    incident_register,
    incident_report_submit,
    phone_report_register,
    reporting_issue_answer,
    reporting_issue_record,
)
from xinbao.emergencies.tests.factories import BODY, SUMMARY, call, make_cast, register
from xinbao.notifications.models import Notification
from xinbao.reports.models import ReportState, ReportType


def snapshot() -> tuple:
    return (
        Incident.objects.count(),
        Deadline.objects.count(),
        PhoneReport.objects.count(),
        IncidentReport.objects.count(),
        ReportingIssue.objects.count(),
        AuditEvent.objects.count(),
        tuple(Incident.objects.order_by("pk").values_list("status", "deaths")),
    )


def _register(cast, world, actor=None, **overrides):
    now = timezone.now()
    data = {
        "actor": actor or cast.alice,
        "unit": world.township,
        "title": "城关镇南街居民楼火灾",
        "category": "accident",
        "grade": "large",
        "occurred_at": now - timedelta(minutes=20),
        "learned_at": now - timedelta(minutes=10),
        "place": "城关镇南街23号",
        "summary": SUMMARY,
        "phone": call(),
    }
    data.update(overrides)
    return incident_register(**data)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"grade": "严重"}, "grade", "事件等级无效"),
        ({"category": "火灾"}, "category", "事件类别无效"),
        ({"learned_at": timezone.now() - timedelta(minutes=30)}, "learned_at", "获悉时间不能早于发生时间"),
        ({"occurred_at": timezone.now() + timedelta(hours=1)}, "occurred_at", "发生时间不能晚于当前时间"),
        ({"learned_at": timezone.now() + timedelta(hours=1)}, "learned_at", "获悉时间不能晚于当前时间"),
        ({"title": "  "}, "title", "请填写事件名称"),
        ({"casualties": Casualties(deaths=-1)}, "deaths", "死亡人数须为不小于0的整数"),
        ({"casualties": Casualties(direct_loss="很多")}, "direct_loss", "直接经济损失须为数字"),
    ],
)
def test_bad_input_is_refused_with_a_chinese_message_and_changes_nothing(world, overrides, field, message):
    cast = make_cast(world)
    before = snapshot()
    with pytest.raises(ValidationFailed) as exc:
        _register(cast, world, **overrides)
    assert exc.value.field == field
    assert message in exc.value.message
    assert snapshot() == before


def test_phone_call_before_the_incident_is_refused(world):
    cast = make_cast(world)
    with pytest.raises(ValidationFailed, match="来电时间不能早于事件发生时间"):
        _register(cast, world, phone=call(timezone.now() - timedelta(hours=2)))


def test_permission_matrix_for_registration_and_reading(world):
    cast = make_cast(world)
    incident = _register(cast, world)  # alice, duty officer: may
    assert incident.office == world.county_party_office
    assert incident.learned_via == "phone"
    assert incident.phone_reports.count() == 1
    before = snapshot()
    for person in (cast.bob, cast.charlie, cast.editor):  # a leader, a stranger, an editor: no phone desk
        with pytest.raises(NotPermitted):
            _register(cast, world, actor=person)
    assert snapshot() == before
    # Reading: alice and bob (same office) see it, the township sees its own, charlie gets 404.
    for person in (cast.alice, cast.bob, cast.informant, cast.city_duty):
        assert incident_get_visible(user=person, pk=incident.pk) == incident
    with pytest.raises(NotFound):
        incident_get_visible(user=cast.charlie, pk=incident.pk)
    assert not incident_list_visible_to(user=cast.charlie).exists()


def test_unit_registers_its_own_incident_and_the_office_is_its_party_office(world):
    cast = make_cast(world)
    incident = register(cast, world, by_phone=False)
    assert incident.office == world.county_party_office
    assert incident.learned_via == "unit"
    with pytest.raises(NotPermitted):
        incident_register(
            actor=cast.informant,
            unit=world.township2,
            title="白沙镇山体滑坡",
            category="natural",
            grade="ordinary",
            occurred_at=timezone.now() - timedelta(minutes=5),
            learned_at=timezone.now(),
            place="白沙镇",
            summary=SUMMARY,
        )


def test_written_report_is_an_emergency_item_sent_at_once_and_tells_the_office(
    world, django_capture_on_commit_callbacks
):
    cast = make_cast(world)
    incident = register(cast, world)
    with django_capture_on_commit_callbacks(execute=True):
        written = incident_report_submit(
            actor=cast.informant, incident=incident, kind="first", body=BODY, casualties=Casualties(injured=1)
        )
    report = written.report
    assert report.report_type == ReportType.EMERGENCY
    assert report.state == ReportState.SENT  # no sign-off wait
    assert report.signoff_after_send
    assert {s.office_id for s in report.submissions.all()} == {
        world.county_party_office.pk,
        world.county_gov_office.pk,
    }
    for person in (cast.alice, cast.editor, cast.gov_editor):
        assert Notification.objects.filter(recipient=person, kind="emergency_report").count() == 1
    assert not Notification.objects.filter(recipient=cast.charlie).exists()
    incident.refresh_from_db()
    assert (incident.injured, incident.trapped) == (1, 0)


def test_written_report_rules(world):
    cast = make_cast(world)
    incident = register(cast, world)
    for person in (cast.alice, cast.bob, cast.charlie, cast.signer):
        with pytest.raises(NotPermitted):
            incident_report_submit(actor=person, incident=incident, kind="first", body=BODY)
    with pytest.raises(ValidationFailed, match="请先报送首报"):
        incident_report_submit(actor=cast.informant, incident=incident, kind="follow_up", body=BODY)
    with pytest.raises(ValidationFailed, match="报告类别无效"):
        incident_report_submit(actor=cast.informant, incident=incident, kind="second", body=BODY)
    incident_report_submit(actor=cast.informant, incident=incident, kind="first", body=BODY, key="k1")
    again = incident_report_submit(actor=cast.informant, incident=incident, kind="first", body=BODY, key="k1")
    assert IncidentReport.objects.filter(incident=incident).count() == 1 and again.kind == "first"
    with pytest.raises(ValidationFailed, match="已有首报"):
        incident_report_submit(actor=cast.informant, incident=incident, kind="first", body=BODY)
    incident_report_submit(actor=cast.informant, incident=incident, kind="final", body=BODY)
    with pytest.raises(ValidationFailed, match="事件已终报"):
        incident_report_submit(actor=cast.informant, incident=incident, kind="follow_up", body=BODY)
    with pytest.raises(ValidationFailed, match="事件已终报"):
        phone_report_register(actor=cast.alice, incident=incident, call=call())


def test_follow_up_numbers_in_chinese():
    assert [follow_up_label(n) for n in (1, 2, 10, 12)] == ["续报一", "续报二", "续报十", "续报十二"]


def test_missed_and_concealed_recorded_by_an_editor_and_answered_by_the_unit(world):
    cast = make_cast(world)
    incident = register(cast, world, by_phone=False)
    learned = timezone.now()
    for person in (cast.alice, cast.bob, cast.charlie, cast.informant):
        with pytest.raises(NotPermitted):
            reporting_issue_record(
                actor=person,
                incident=incident,
                kind="missed",
                source="media",
                learned_at=learned,
                evidence="江州晚报11月26日报道了此次火灾，单位未报告。",
            )
    with pytest.raises(ValidationFailed, match="事实依据"):
        reporting_issue_record(
            actor=cast.editor,
            incident=incident,
            kind="missed",
            source="media",
            learned_at=learned,
            evidence="见报",
        )
    issue = reporting_issue_record(
        actor=cast.editor,
        incident=incident,
        kind="missed",
        source="media",
        learned_at=learned,
        evidence="江州晚报11月26日报道了此次火灾，单位未报告。",
    )
    assert (
        Notification.objects.filter(recipient=cast.informant, kind="emergency_issue").exists() is False
    )  # after commit
    with pytest.raises(Conflict):
        reporting_issue_record(
            actor=cast.editor,
            incident=incident,
            kind="missed",
            source="media",
            learned_at=learned,
            evidence="江州晚报11月26日报道了此次火灾，单位未报告。",
        )
    with pytest.raises(NotPermitted):
        reporting_issue_answer(actor=cast.alice, issue=issue, answer="说明")
    reporting_issue_answer(
        actor=cast.signer, issue=issue, answer="当晚值班人员误以为已由消防部门上报，已作检讨。"
    )
    issue.refresh_from_db()
    assert issue.answered_by == cast.signer
    with pytest.raises(Conflict):
        reporting_issue_answer(actor=cast.informant, issue=issue, answer="再说明")
    # Once the unit has written a report it cannot be 漏报, only 瞒报.
    incident_report_submit(actor=cast.informant, incident=incident, kind="first", body=BODY)
    other = register(cast, world, by_phone=False, title="城关镇北街燃气泄漏")
    incident_report_submit(actor=cast.informant, incident=other, kind="first", body=BODY)
    with pytest.raises(ValidationFailed, match="不能记为漏报"):
        reporting_issue_record(
            actor=cast.editor,
            incident=other,
            kind="missed",
            source="media",
            learned_at=learned,
            evidence="江州晚报11月26日报道了此次燃气泄漏。",
        )
    concealed = reporting_issue_record(
        actor=cast.editor,
        incident=other,
        kind="concealed",
        source="inspection",
        learned_at=learned,
        evidence="首报称无人员伤亡，经核实有2人受伤住院。",
    )
    assert concealed.unit == world.township


def test_rules_are_edited_by_the_office_editor_only(world):
    cast = make_cast(world)
    for person in (cast.alice, cast.bob, cast.charlie, cast.gov_editor):
        with pytest.raises(NotPermitted):
            deadline_rule_set(
                actor=person,
                office=world.county_party_office,
                grade="large",
                phone_minutes=20,
                written_minutes=45,
            )
    with pytest.raises(ValidationFailed, match="续报时点格式"):
        deadline_rule_set(
            actor=cast.editor,
            office=world.county_party_office,
            grade="large",
            phone_minutes=20,
            written_minutes=45,
            follow_up_times="早八点",
        )
    with pytest.raises(ValidationFailed, match="书面报告时限"):
        deadline_rule_set(
            actor=cast.editor,
            office=world.county_party_office,
            grade="large",
            phone_minutes=20,
            written_minutes=0,
        )
    rule = deadline_rule_set(
        actor=cast.editor,
        office=world.county_party_office,
        grade="large",
        phone_minutes=20,
        written_minutes=45,
        follow_up_times="17:00,8:00",
    )
    assert rule.follow_up_times == "08:00,17:00"


def test_repeated_final_with_the_same_key_returns_the_final(world):
    cast = make_cast(world)
    incident = register(cast, world)
    incident_report_submit(actor=cast.informant, incident=incident, kind="first", body=BODY)
    final = incident_report_submit(
        actor=cast.informant, incident=incident, kind="final", body=BODY, key="fin"
    )
    assert (
        incident_report_submit(actor=cast.informant, incident=incident, kind="final", body=BODY, key="fin")
        == final
    )
