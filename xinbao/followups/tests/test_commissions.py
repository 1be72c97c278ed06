"""约稿 and 信息需求要点: publishing, answers, completion, reminders, 精品稿件 targets."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from xinbao.common.errors import NotPermitted, ValidationFailed
from xinbao.followups.figures import commission_completion, flagship_progress
from xinbao.followups.models import CommissionKind, CommissionState
from xinbao.followups.selectors import commission_list_visible_to, subordinate_units
from xinbao.followups.services import (
    commission_answer_link,
    commission_answer_submit,
    commission_close,
    commission_publish,
    flagship_target_set,
)
from xinbao.followups.tasks import commission_target_remind
from xinbao.followups.tests.conftest import at
from xinbao.followups.tests.factories import snapshot
from xinbao.reports.services import report_signoff, submission_adopt
from xinbao.reports.tests.factories import BODY, make_report, make_sent_report


def _publish(people, **kwargs):
    values = {
        "kind": CommissionKind.TOPIC,
        "title": "关于报送秋冬季森林防火工作情况的约稿",
        "body": "请各乡镇围绕秋冬季森林防火责任落实、隐患排查、宣传教育等方面报送经验做法和存在问题。",
        "deadline": date(2026, 10, 16),
    }
    values.update(kwargs)
    return commission_publish(actor=people.alice, **values)


def test_publish_to_all_subordinates(world, people, frozen):
    commission = _publish(people)
    units = set(commission.targets.values_list("unit_id", flat=True))
    assert units == {world.county_dept.pk, world.township.pk, world.township2.pk}
    assert set(subordinate_units(world.county_party_office).values_list("pk", flat=True)) == units


def test_city_office_commissions_county_offices(world, frozen):
    from xinbao.accounts.models import Role
    from xinbao.accounts.tests.factories import make_user

    city_editor = make_user(world.city_party_office, Role.EDITOR, username="sbj2", full_name="叶春梅")
    units = set(subordinate_units(world.city_party_office).values_list("pk", flat=True))
    assert world.county_party_office.pk in units and world.other_party_office.pk in units
    assert world.township.pk not in units and world.city_gov_office.pk not in units
    commission = commission_publish(
        actor=city_editor,
        kind=CommissionKind.NEEDS_LIST,
        title="2026年10月信息需求要点",
        body="一、三秋生产进展；二、国庆假期安全稳定；三、重点项目建设。",
        deadline=date(2026, 10, 30),
        period=date(2026, 10, 15),
    )
    assert commission.period == date(2026, 10, 1)


def test_answer_completion_and_close(world, people, frozen):
    commission = _publish(people, units=[world.township, world.township2])
    answer = commission_answer_submit(
        actor=people.informant,
        commission=commission,
        title="城关镇织密森林防火网",
        body=BODY,
        report_type="experience",
    )
    assert answer.target.answered_at is not None
    # The item goes through the unit's sign-off as usual.
    report_signoff(actor=people.signer, report=answer.report, approve=True)
    rows = {r.unit_id: r for r in commission_completion(user=people.alice, year=2026)}
    assert (rows[world.township.pk].answered, rows[world.township.pk].answered_on_time) == (1, 1)
    assert rows[world.township2.pk].answered == 0
    # A unit sees only its own row.
    assert [r.unit_id for r in commission_completion(user=people.informant, year=2026)] == [world.township.pk]
    commission_close(actor=people.alice, commission=commission)
    before = snapshot()
    with pytest.raises(ValidationFailed, match="已结束"):
        commission_answer_submit(
            actor=people.sibling, commission=commission, title="白沙镇防火", body=BODY, report_type="dynamic"
        )
    with pytest.raises(ValidationFailed, match="已结束"):
        commission_close(actor=people.alice, commission=commission)
    assert snapshot() == before


def test_link_answer_rules(world, people, frozen):
    commission = _publish(people, units=[world.township])
    draft = make_report(people.informant)
    before = snapshot()
    with pytest.raises(ValidationFailed, match="先提交"):
        commission_answer_link(actor=people.informant, commission=commission, report=draft)
    assert snapshot() == before
    sent = make_sent_report(people.cast)
    commission_answer_link(actor=people.informant, commission=commission, report=sent)
    before = snapshot()
    with pytest.raises(ValidationFailed, match="已报送给该约稿"):
        commission_answer_link(actor=people.informant, commission=commission, report=sent)
    assert snapshot() == before


def test_write_permissions(world, people, frozen):
    before = snapshot()
    for who in (people.bob, people.informant):
        with pytest.raises(NotPermitted):
            commission_publish(
                actor=who, kind="topic", title="约稿", body="内容", deadline=date(2026, 10, 16)
            )
        assert snapshot() == before
    # Another county's editor publishes to his own county only.
    with pytest.raises(ValidationFailed, match="不是本单位的下级"):
        commission_publish(
            actor=people.charlie,
            kind="topic",
            title="约稿",
            body="内容",
            deadline=date(2026, 10, 16),
            units=[world.township],
        )
    assert snapshot() == before
    commission = _publish(people, units=[world.township])
    before = snapshot()
    for who in (people.sibling, people.alice, people.charlie, people.unit_leader):
        with pytest.raises(NotPermitted):
            commission_answer_submit(
                actor=who, commission=commission, title="约稿回复", body=BODY, report_type="dynamic"
            )
        assert snapshot() == before
    for who in (people.bob, people.charlie, people.informant):
        with pytest.raises(NotPermitted):
            commission_close(actor=who, commission=commission)
        assert snapshot() == before


def test_read_matrix(world, people, frozen):
    commission = _publish(people, units=[world.township])

    def seen(user):
        return set(commission_list_visible_to(user=user).values_list("pk", flat=True))

    assert seen(people.alice) == {commission.pk}
    assert seen(people.bob) == {commission.pk}
    assert seen(people.informant) == {commission.pk}
    assert seen(people.unit_leader) == {commission.pk}
    assert seen(people.charlie) == set()
    assert seen(people.sibling) == set()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "memo"}, "约稿类型"),
        ({"title": " "}, "标题"),
        ({"title": "标" * 101}, "100"),
        ({"body": ""}, "内容要求"),
        ({"deadline": None}, "截止日期"),
        ({"deadline": date(2026, 9, 28)}, "早于今天"),
        ({"kind": "needs_list"}, "所属月份"),
        ({"units": []}, "至少一个"),
        ({"units": ["other"]}, "不是本单位的下级"),
    ],
)
def test_publish_bad_input(world, people, frozen, changes, message):
    if changes.get("units") == ["other"]:
        changes["units"] = [world.other_township]
    before = snapshot()
    with pytest.raises(ValidationFailed, match=message):
        _publish(people, **changes)
    assert snapshot() == before


def test_reminders_scheduled_and_fire_once(
    world, people, frozen, dummy_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        commission = _publish(people, units=[world.township, world.township2])
    scheduled = sorted(
        (r.task.run_after, r.kwargs["kind"])
        for r in dummy_tasks.results
        if r.task.name == "commission_target_remind"
    )
    # Deadline Friday 16 October: "before" at 09:00 Thursday 15th, "after" at 00:00 Saturday 17th, per unit.
    assert scheduled == [(at(2026, 10, 15, 9, 0), "before")] * 2 + [(at(2026, 10, 17, 0, 0), "after")] * 2
    town = commission.targets.get(unit=world.township)
    commission_answer_submit(
        actor=people.informant,
        commission=commission,
        title="城关镇森林防火",
        body=BODY,
        report_type="dynamic",
    )
    town2 = commission.targets.get(unit=world.township2)
    with time_machine.travel(at(2026, 10, 17, 0, 0), tick=False):
        kwargs = {"kind": "after", "due_on": "2026-10-16"}
        assert commission_target_remind.call(target_id=town.pk, **kwargs) is False  # answered
        assert commission_target_remind.call(target_id=town2.pk, **kwargs) is True
        assert commission_target_remind.call(target_id=town2.pk, **kwargs) is False


def test_flagship_targets_and_progress(world, people, frozen):
    before = snapshot()
    for pieces in (2, 6, "4"):
        with pytest.raises(ValidationFailed, match="3至5"):
            flagship_target_set(actor=people.alice, unit=world.township, year=2026, pieces=pieces)
    with pytest.raises(ValidationFailed, match="下级"):
        flagship_target_set(actor=people.alice, unit=world.other_township, year=2026, pieces=3)
    with pytest.raises(NotPermitted):
        flagship_target_set(actor=people.bob, unit=world.township, year=2026, pieces=3)
    assert snapshot() == before
    flagship_target_set(actor=people.alice, unit=world.township, year=2026, pieces=4)
    commission = _publish(people, is_flagship=True, units=[world.township])
    answer = commission_answer_submit(
        actor=people.informant,
        commission=commission,
        title="城关镇森林防火集中攻关",
        body=BODY,
        report_type="analysis",
    )
    report_signoff(actor=people.signer, report=answer.report, approve=True)
    [row] = flagship_progress(user=people.alice, year=2026)
    assert (row.pieces, row.done) == (4, 0)
    sub = answer.report.submissions.get(office=world.county_party_office)
    from xinbao.reports.services import submission_take_up

    submission_take_up(actor=people.alice, submission=sub)
    submission_adopt(actor=people.alice, submission=sub, mode="full")
    [row] = flagship_progress(user=people.alice, year=2026)
    assert row.done == 1
    assert [r.unit_id for r in flagship_progress(user=people.informant, year=2026)] == [world.township.pk]
    assert flagship_progress(user=people.charlie, year=2026) == []
    assert commission.state == CommissionState.PUBLISHED
