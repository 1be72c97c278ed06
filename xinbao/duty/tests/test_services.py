"""Roster writes, week copy, settings, duty log and handovers: the rules, and that a refusal changes nothing."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
import time_machine

from xinbao.audit.models import AuditEvent
from xinbao.common.errors import Conflict, NotPermitted, ValidationFailed
from xinbao.duty.models import DutyLogEntry, DutyRole, DutyShift, Handover, RosterEntry
from xinbao.duty.services import (
    duty_settings_update,
    handover_acknowledge,
    handover_create,
    log_entry_from_call,
    log_entry_record,
    roster_entry_create,
    roster_entry_delete,
    roster_entry_update,
    roster_week_copy,
)
from xinbao.duty.tests.factories import at, fill, make_cast, snapshot

pytestmark = pytest.mark.django_db

MON = date(2026, 9, 21)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-09-20 09:30 +0800", tick=False):
        yield


@pytest.fixture
def cast(world):
    return make_cast(world)


def test_create_line_from_a_person_fills_name_and_phone_and_audits(cast):
    before = AuditEvent.objects.count()
    entry = roster_entry_create(
        actor=cast.alice, office=cast.office, day=MON, shift_name="夜班", role=DutyRole.STAFF, person=cast.eve
    )
    assert (entry.name, entry.phone) == ("吴怡", "15807910004")
    assert (entry.starts_at, entry.ends_at) == (at(MON, 18), at(MON + timedelta(days=1), 8))
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert event.detail["action"] == "roster_entry_create" and event.actor_id == cast.alice.pk


def test_landline_with_area_code_and_extension_is_accepted(cast):
    entry = roster_entry_create(
        actor=cast.dora,
        office=cast.office,
        day=MON,
        shift_name="白班",
        role=DutyRole.LEADER,
        name="王建国",
        phone="0797－86123456-801",
    )
    assert entry.phone == "0797-86123456-801"


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"phone": "12345"}, "phone", "值班电话“12345”格式不正确"),
        ({"phone": ""}, "phone", "值班电话不能为空"),
        ({"name": ""}, "name", "姓名不能为空"),
        ({"name": "王" * 41}, "name", "姓名不能超过40个字"),
        ({"shift_name": "中班"}, "shift", "班次“中班”不存在，本单位的班次为：白班、夜班"),
        ({"role": "boss"}, "role", "岗位“boss”无效"),
        ({"day": date(2026, 9, 19)}, "day", "已经过去"),
        ({"day": date(2028, 1, 1)}, "day", "只能安排一年以内的值班"),
    ],
)
def test_bad_lines_are_refused_with_a_message_naming_the_field(cast, kwargs, field, words):
    roster_entry_create(
        actor=cast.alice,
        office=cast.office,
        day=MON,
        shift_name="白班",
        role=DutyRole.STAFF,
        name="李晓燕",
        phone="13907912345",
    )
    args = {"day": MON, "shift_name": "夜班", "role": DutyRole.STAFF, "name": "张伟", "phone": "13907912346"}
    args.update(kwargs)
    state = snapshot()
    with pytest.raises(ValidationFailed) as exc:
        roster_entry_create(actor=cast.alice, office=cast.office, **args)
    assert exc.value.field == field and words in exc.value.message
    assert snapshot() == state


def test_same_person_twice_on_one_shift_is_refused(cast):
    roster_entry_create(
        actor=cast.alice,
        office=cast.office,
        day=MON,
        shift_name="白班",
        role=DutyRole.STAFF,
        name="李晓燕",
        phone="13907912345",
    )
    state = snapshot()
    with pytest.raises(ValidationFailed, match="已排有“李晓燕”"):
        roster_entry_create(
            actor=cast.alice,
            office=cast.office,
            day=MON,
            shift_name="白班",
            role=DutyRole.LEADER,
            name="李晓燕",
            phone="13907912345",
        )
    assert snapshot() == state


def test_person_from_another_office_is_refused(cast):
    state = snapshot()
    with pytest.raises(ValidationFailed, match="不是本单位在岗人员"):
        roster_entry_create(
            actor=cast.alice,
            office=cast.office,
            day=MON,
            shift_name="白班",
            role=DutyRole.STAFF,
            person=cast.charlie,
        )
    assert snapshot() == state


@pytest.mark.parametrize("who", ["bob", "charlie"])
def test_only_the_offices_duty_officers_and_unit_admin_write(cast, who):
    entry = roster_entry_create(
        actor=cast.alice,
        office=cast.office,
        day=MON,
        shift_name="白班",
        role=DutyRole.STAFF,
        name="李晓燕",
        phone="13907912345",
    )
    actor = getattr(cast, who)
    state = snapshot()
    with pytest.raises(NotPermitted):
        roster_entry_create(
            actor=actor,
            office=cast.office,
            day=MON,
            shift_name="夜班",
            role=DutyRole.STAFF,
            name="张伟",
            phone="13907912346",
        )
    with pytest.raises(NotPermitted):
        roster_entry_update(actor=actor, entry=entry, name="张伟", phone="13907912346")
    with pytest.raises(NotPermitted):
        roster_entry_delete(actor=actor, entry=entry)
    with pytest.raises(NotPermitted):
        roster_week_copy(actor=actor, office=cast.office, source=MON, target=MON + timedelta(days=7))
    with pytest.raises(NotPermitted):
        log_entry_record(
            actor=actor, office=cast.office, at=at(MON - timedelta(days=1), 9), kind="call", content="x"
        )
    assert snapshot() == state


def test_update_and_delete_are_audited_with_before_and_after(cast):
    entry = roster_entry_create(
        actor=cast.alice,
        office=cast.office,
        day=MON,
        shift_name="白班",
        role=DutyRole.STAFF,
        name="李晓燕",
        phone="13907912345",
    )
    roster_entry_update(actor=cast.dora, entry=entry, name="", phone="", person=cast.eve)
    entry.refresh_from_db()
    assert (entry.name, entry.phone, entry.person_id) == ("吴怡", "15807910004", cast.eve.pk)
    event = AuditEvent.objects.latest("id")
    assert event.detail["before"]["name"] == "李晓燕" and event.detail["after"]["name"] == "吴怡"
    roster_entry_delete(actor=cast.alice, entry=entry)
    assert not RosterEntry.objects.exists()
    assert AuditEvent.objects.latest("id").detail["action"] == "roster_entry_delete"


def test_copy_week_shifts_every_line_by_seven_days(cast):
    fill(cast.office, MON, 7)
    n = roster_week_copy(
        actor=cast.alice, office=cast.office, source=MON + timedelta(days=3), target=MON + timedelta(days=9)
    )
    assert n == 28
    copied = RosterEntry.objects.filter(day__gte=MON + timedelta(days=7)).order_by("starts_at", "role")
    assert copied.count() == 28
    first = copied.first()
    assert first.day == MON + timedelta(days=7) and first.starts_at == at(MON + timedelta(days=7), 8)
    last_night = copied.filter(shift_name="夜班").last()
    assert last_night.ends_at == at(MON + timedelta(days=14), 8)


def test_copy_week_onto_a_filled_week_needs_replace(cast):
    fill(cast.office, MON, 7)
    roster_entry_create(
        actor=cast.alice,
        office=cast.office,
        day=MON + timedelta(days=8),
        shift_name="白班",
        role=DutyRole.STAFF,
        name="张伟",
        phone="13907912346",
    )
    state = snapshot()
    with pytest.raises(Conflict, match="已有1条排班"):
        roster_week_copy(actor=cast.alice, office=cast.office, source=MON, target=MON + timedelta(days=7))
    assert snapshot() == state
    assert (
        roster_week_copy(
            actor=cast.alice, office=cast.office, source=MON, target=MON + timedelta(days=7), replace=True
        )
        == 28
    )
    assert not RosterEntry.objects.filter(name="张伟").exists()


@pytest.mark.parametrize(
    ("source", "target", "words"),
    [
        (MON, MON + timedelta(days=2), "源周与目标周相同"),
        (MON + timedelta(days=14), MON + timedelta(days=21), "没有排班"),
        (MON, date(2026, 9, 7), "已经过去"),
    ],
)
def test_copy_week_bad_input(cast, source, target, words):
    fill(cast.office, MON, 7)
    state = snapshot()
    with pytest.raises(ValidationFailed, match=words):
        roster_week_copy(actor=cast.alice, office=cast.office, source=source, target=target)
    assert snapshot() == state


def test_settings_change_shifts_and_the_24_hour_pattern(cast):
    duty_settings_update(
        actor=cast.alice,
        office=cast.office,
        shifts=[("全天", time(8), time(8))],
        min_staff=1,
        min_leaders=1,
        strict_holidays=["春节"],
        strict_min_staff=3,
        strict_min_leaders=1,
    )
    entry = roster_entry_create(
        actor=cast.alice,
        office=cast.office,
        day=MON,
        shift_name="全天",
        role=DutyRole.STAFF,
        name="张伟",
        phone="13907912346",
    )
    assert entry.ends_at - entry.starts_at == timedelta(hours=24)


@pytest.mark.parametrize(
    ("shifts", "extra", "words"),
    [
        ([], {}, "请设置1至6个班次"),
        ([("白班", time(8), time(18)), ("白班", time(18), time(8))], {}, "重复"),
        ([("白班", time(8), time(18)), ("夜班", time(17), time(8))], {}, "重叠"),
        ([("白班", time(8), time(18))], {"min_staff": 0}, "每小时最少值班员须在1至10之间"),
        ([("白班", time(8), time(18))], {"strict_holidays": ["圣诞节"]}, "不是法定节假日"),
    ],
)
def test_settings_bad_input(cast, shifts, extra, words):
    args = {
        "min_staff": 1,
        "min_leaders": 1,
        "strict_holidays": [],
        "strict_min_staff": 2,
        "strict_min_leaders": 1,
    }
    args.update(extra)
    state = snapshot()
    with pytest.raises(ValidationFailed, match=words):
        duty_settings_update(actor=cast.alice, office=cast.office, shifts=shifts, **args)
    assert snapshot() == state
    assert not DutyShift.objects.exists()


def test_log_entries_are_kept_and_corrected_by_new_entries(cast):
    first = log_entry_record(
        actor=cast.alice,
        office=cast.office,
        at=at(date(2026, 9, 20), 2, 10),
        kind="call",
        content="白沙镇来电：3号桥积水。",
    )
    fix = log_entry_record(
        actor=cast.eve,
        office=cast.office,
        at=at(date(2026, 9, 20), 9),
        kind="other",
        content="更正：应为4号桥。",
        corrects=first,
    )
    assert fix.corrects == first
    first.refresh_from_db()
    assert first.content == "白沙镇来电：3号桥积水。"
    assert AuditEvent.objects.filter(detail__action="duty_log_record").count() == 2


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"kind": "gossip"}, "kind", "类别“gossip”无效"),
        ({"content": "  "}, "content", "内容不能为空"),
        ({"content": "字" * 2001}, "content", "不能超过2000个字"),
        ({"at": at(date(2026, 9, 20), 11)}, "at", "不能晚于当前时间"),
        ({"at": at(date(2026, 9, 1), 11)}, "at", "7天以内"),
    ],
)
def test_log_bad_input(cast, kwargs, field, words):
    args = {"at": at(date(2026, 9, 20), 8), "kind": "call", "content": "来电"}
    args.update(kwargs)
    state = snapshot()
    with pytest.raises(ValidationFailed) as exc:
        log_entry_record(actor=cast.alice, office=cast.office, **args)
    assert exc.value.field == field and words in exc.value.message
    assert snapshot() == state


def call_args(**over):
    args = {
        "at": at(
            date(2026, 8, 1), 2, 10
        ),  # seven weeks ago: a call registered late is still a call of that night
        "caller": "何海波",
        "caller_phone": "0731-5521234",
        "subject": "城关镇“南街居民楼火灾”",
        "summary": "南街居民楼起火，已报119。",
        "link": "/emergencies/incidents/7/",
    }
    args.update(over)
    return args


def test_a_call_registered_elsewhere_is_a_call_entry_of_the_taker_with_its_link(cast):
    entry = log_entry_from_call(actor=cast.alice, office=cast.office, **call_args())
    assert (entry.kind, entry.recorded_by, entry.office) == ("call", cast.alice, cast.office)
    assert entry.at == at(date(2026, 8, 1), 2, 10) and entry.link == "/emergencies/incidents/7/"
    assert entry.content == "何海波（0731-5521234）来电报告城关镇“南街居民楼火灾”：南街居民楼起火，已报119。"
    assert AuditEvent.objects.filter(detail__action="duty_log_call").count() == 1
    long = log_entry_from_call(actor=cast.dora, office=cast.office, **call_args(summary="字" * 2000))
    assert len(long.content) == 2000 and long.content.endswith("…")


@pytest.mark.parametrize(
    ("who", "kwargs", "error", "words"),
    [
        ("bob", {}, NotPermitted, "只有本单位的值班员或单位管理员"),  # same office, another role
        ("charlie", {}, NotPermitted, "只有本单位的值班员或单位管理员"),  # another county
        ("alice", {"at": at(date(2026, 9, 20), 11)}, ValidationFailed, "不能晚于当前时间"),
        ("alice", {"link": "javascript:alert(1)"}, ValidationFailed, "本系统内的地址"),
        ("alice", {"link": "//evil.example/"}, ValidationFailed, "本系统内的地址"),
        ("alice", {"caller": " "}, ValidationFailed, "来电人不能为空"),
    ],
)
def test_call_entry_refusals(cast, who, kwargs, error, words):
    state = snapshot()
    with pytest.raises(error, match=words):
        log_entry_from_call(actor=getattr(cast, who), office=cast.office, **call_args(**kwargs))
    assert snapshot() == state


def test_correction_must_be_of_the_same_office(cast):
    theirs = log_entry_record(
        actor=cast.charlie, office=cast.other_office, at=at(date(2026, 9, 20), 8), kind="call", content="来电"
    )
    state = snapshot()
    with pytest.raises(ValidationFailed, match="被更正的记录不存在"):
        log_entry_record(
            actor=cast.alice,
            office=cast.office,
            at=at(date(2026, 9, 20), 8),
            kind="other",
            content="更正",
            corrects=theirs,
        )
    assert snapshot() == state


def test_handover_is_acknowledged_by_the_incoming_officer_once(cast):
    handover = handover_create(
        actor=cast.alice,
        office=cast.office,
        from_shift="9月20日白班",
        to_shift="9月20日夜班",
        incoming=cast.eve,
        outstanding="白沙镇4号桥积水，21:00前回电县应急局。",
    )
    state = snapshot()
    for actor in (cast.alice, cast.bob):
        with pytest.raises(NotPermitted, match="只有接班人本人"):
            handover_acknowledge(actor=actor, handover=handover)
    assert snapshot() == state
    handover_acknowledge(actor=cast.eve, handover=handover)
    handover.refresh_from_db()
    assert handover.acknowledged_at is not None
    with pytest.raises(Conflict, match="已于"):
        handover_acknowledge(actor=cast.eve, handover=handover)


@pytest.mark.parametrize(
    ("who", "words"),
    [("alice", "接班人不能是交班人本人"), ("charlie", "接班人须是本单位在岗人员")],
)
def test_handover_bad_incoming(cast, who, words):
    state = snapshot()
    with pytest.raises(ValidationFailed, match=words):
        handover_create(
            actor=cast.alice,
            office=cast.office,
            from_shift="白班",
            to_shift="夜班",
            incoming=getattr(cast, who),
            outstanding="无",
        )
    assert snapshot() == state
    assert not Handover.objects.exists() and not DutyLogEntry.objects.exists()


def test_handover_needs_outstanding_matters(cast):
    state = snapshot()
    with pytest.raises(ValidationFailed, match="待办事项不能为空"):
        handover_create(
            actor=cast.alice,
            office=cast.office,
            from_shift="白班",
            to_shift="夜班",
            incoming=cast.eve,
            outstanding=" ",
        )
    assert snapshot() == state
