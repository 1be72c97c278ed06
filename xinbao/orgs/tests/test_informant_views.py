"""信息员备案 pages: registry, register, change kind, end, history — permissions and refused input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import make_user
from xinbao.orgs.models import InformantChange, InformantKind, InformantRecord
from xinbao.orgs.services import informant_end, informant_register

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def body(response) -> str:
    return response.content.decode()


def register(actor, unit, person, kind=InformantKind.FULL_TIME, days_ago=30, reason="新任命"):
    return informant_register(
        actor=actor,
        unit=unit,
        person=person,
        kind=kind,
        start_date=TODAY() - timedelta(days=days_ago),
        reason=reason,
    )


def snapshot():
    return (
        list(InformantRecord.objects.values().order_by("pk")),
        list(InformantChange.objects.values().order_by("pk")),
    )


# --- Registry -----------------------------------------------------------------------------------------------------


def test_registry_permissions(world, people, as_user):
    url = reverse("orgs:informants")
    assert as_user(people.alice).get(url).status_code == 200
    assert as_user(people.sysadmin).get(url).status_code == 200
    assert as_user(people.editor).get(url).status_code == 200
    response = as_user(people.bob).get(url)
    assert response.status_code == 403 and "信息员备案" in body(response)


def test_registry_shows_current_records_in_view_only(world, people, as_user):
    register(people.sysadmin, world.township, people.bob)
    register(people.charlie, world.other_township, people.outsider)
    html = body(as_user(people.sysadmin).get(reverse("orgs:informants")))
    assert "鲍勃" in html and "石小桥" not in html
    html = body(as_user(people.charlie).get(reverse("orgs:informants")))
    assert "石小桥" in html and "鲍勃" not in html


def test_registry_filters(world, people, as_user):
    register(people.sysadmin, world.township, people.bob)
    register(people.sysadmin, world.township, people.clerk, kind=InformantKind.PART_TIME)
    dept_person = make_user(world.county_dept, full_name="教小育")
    register(people.sysadmin, world.county_dept, dept_person)
    c = as_user(people.sysadmin)
    url = reverse("orgs:informants")
    html = body(c.get(url, {"kind": InformantKind.PART_TIME}))
    assert "王小明" in html and "鲍勃" not in html
    html = body(c.get(url, {"q": "教育局"}))
    assert "教小育" in html and "鲍勃" not in html
    html = body(c.get(url, {"unit": world.township.pk}))
    assert "鲍勃" in html and "王小明" in html and "教小育" not in html
    # A unit of another county in the filter is ignored, not leaked.
    html = body(c.get(url, {"unit": world.other_township.pk}))
    assert "石桥县龙潭镇" not in html and "鲍勃" in html
    # Nonsense in the filters is ignored rather than an error.
    assert c.get(url, {"unit": "abc", "kind": "x"}).status_code == 200


def test_registry_lists_units_without_full_time_informant(world, people, as_user):
    register(people.sysadmin, world.township, people.bob, days_ago=60)
    informant_end(
        actor=people.sysadmin,
        record=InformantRecord.objects.get(),
        end_date=TODAY() - timedelta(days=3),
        reason="调离",
    )
    html = body(as_user(people.sysadmin).get(reverse("orgs:informants")))
    gaps = html[html.index('id="gap-units"') :]
    assert "安平县白沙镇" in gaps and "从未备案" in gaps
    end = TODAY() - timedelta(days=3)
    assert f"已离任，自{end.year}年{end.month}月{end.day}日" in gaps and "鲍勃" in gaps
    assert "中共江州市委办公室" not in gaps  # offices above the county are not the county's to staff
    assert "石桥县龙潭镇" not in gaps


def test_registry_for_unit_admin_shows_own_unit_only(world, people, as_user):
    register(people.sysadmin, world.township2, make_user(world.township2, full_name="白小沙"))
    html = body(as_user(people.alice).get(reverse("orgs:informants")))
    assert "白小沙" not in html
    gaps = html[html.index('id="gap-units"') :]
    assert "安平县城关镇" in gaps and "安平县白沙镇" not in gaps
    assert reverse("orgs:informant_register", args=[world.township.pk]) in gaps


# --- Register -----------------------------------------------------------------------------------------------------


def test_register_permissions(world, people, as_user):
    url = reverse("orgs:informant_register", args=[world.township.pk])
    assert as_user(people.alice).get(url).status_code == 200
    assert as_user(people.sysadmin).get(url).status_code == 200
    assert as_user(people.bob).get(url).status_code == 403
    assert as_user(people.editor).get(url).status_code == 403
    assert as_user(people.charlie).get(url).status_code == 404
    post = {
        "person": people.clerk.pk,
        "kind": "full_time",
        "start_date": TODAY().isoformat(),
        "reason": "新任命",
    }
    assert as_user(people.bob).post(url, post).status_code == 403
    assert as_user(people.charlie).post(url, post).status_code == 404
    # alice administers 城关镇 only, not her neighbour 白沙镇.
    assert (
        as_user(people.alice).get(reverse("orgs:informant_register", args=[world.township2.pk])).status_code
        == 403
    )
    assert not InformantRecord.objects.exists()


def test_register_by_unit_admin_files_history_and_grants_role(world, people, as_user):
    c = as_user(people.alice)
    url = reverse("orgs:informant_register", args=[world.township.pk])
    html = body(c.get(url))
    assert "王小明" in html and "鲍勃" in html and "石小桥" not in html
    response = c.post(
        url,
        {
            "person": people.clerk.pk,
            "kind": "full_time",
            "start_date": TODAY().isoformat(),
            "reason": "新任命",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:informant_history", args=[world.township.pk])
    record = InformantRecord.objects.get()
    assert (record.person, record.kind, record.filed_by, record.start_reason) == (
        people.clerk,
        "full_time",
        people.alice,
        "新任命",
    )
    people.clerk.forget_roles()
    assert people.clerk.has_role(Role.INFORMANT)
    html = body(c.get(response["Location"]))
    assert "王小明" in html and "备案" in html and "新任命" in html and "艾丽" in html
    # The person is registered now and no longer offered.
    assert f'value="{people.clerk.pk}"' not in body(c.get(url))


def test_register_by_system_admin_does_not_grant_roles(world, people, as_user):
    response = as_user(people.sysadmin).post(
        reverse("orgs:informant_register", args=[world.township.pk]),
        {"person": people.clerk.pk, "kind": "part_time", "start_date": TODAY().isoformat(), "reason": "兼任"},
    )
    assert response.status_code == 302
    people.clerk.forget_roles()
    assert not people.clerk.has_role(Role.INFORMANT)  # 三员分立: roles are the security admin's


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reason": ""}, "请填写事由"),
        ({"reason": "   "}, "请填写事由"),
        ({"start_date": ""}, "请填写日期"),
        ({"start_date": "2026-13-45"}, "日期格式不正确"),
        ({"start_date": "FUTURE"}, "备案日期不能晚于今天"),
        ({"kind": ""}, "请选择专职或兼职"),
        ({"kind": "boss"}, "请选择专职或兼职"),
        ({"person": ""}, "请选择人员"),
        ({"person": "OUTSIDER"}, "所选人员不是本单位在职人员"),
        ({"person": "INACTIVE"}, "所选人员不是本单位在职人员"),
        ({"reason": "长" * 201}, "200"),
    ],
)
def test_register_refuses_bad_input_in_chinese(world, people, as_user, change, message):
    inactive = make_user(world.township, full_name="离职者", is_active=False)
    data = {
        "person": people.clerk.pk,
        "kind": "full_time",
        "start_date": TODAY().isoformat(),
        "reason": "新任命",
    }
    data.update(change)
    if data["start_date"] == "FUTURE":
        data["start_date"] = (TODAY() + timedelta(days=1)).isoformat()
    if data["person"] == "OUTSIDER":
        data["person"] = people.outsider.pk
    if data["person"] == "INACTIVE":
        data["person"] = inactive.pk
    before = snapshot()
    response = as_user(people.alice).post(reverse("orgs:informant_register", args=[world.township.pk]), data)
    assert response.status_code == 200
    assert message in body(response)
    assert snapshot() == before


def test_register_same_person_twice_is_refused(world, people, as_user):
    register(people.alice, world.township, people.clerk)
    before = snapshot()
    response = as_user(people.alice).post(
        reverse("orgs:informant_register", args=[world.township.pk]),
        {"person": people.clerk.pk, "kind": "full_time", "start_date": TODAY().isoformat(), "reason": "重复"},
    )
    assert response.status_code == 200 and "已是在册信息员" in body(response)
    assert snapshot() == before


def test_register_for_region_is_refused(world, people, as_user):
    response = as_user(people.sysadmin).get(
        reverse("orgs:informant_register", args=[world.county.pk]), follow=True
    )
    assert "行政区节点不设信息员" in body(response)


# --- Change kind and end ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["orgs:informant_change_kind", "orgs:informant_end"])
def test_record_pages_permissions(world, people, as_user, url_name):
    record = register(people.alice, world.township, people.clerk)
    url = reverse(url_name, args=[record.pk])
    assert as_user(people.alice).get(url).status_code == 200
    assert as_user(people.sysadmin).get(url).status_code == 200
    assert as_user(people.bob).get(url).status_code == 403
    assert as_user(people.editor).get(url).status_code == 403
    assert as_user(people.charlie).get(url).status_code == 404
    assert as_user(people.charlie_unit_admin).post(url, {"reason": "x"}).status_code == 404
    assert as_user(people.alice).get(reverse(url_name, args=[999999])).status_code == 404


def test_change_kind_and_end_are_filed(world, people, as_user):
    record = register(people.alice, world.township, people.clerk, days_ago=100)
    c = as_user(people.alice)
    response = c.post(
        reverse("orgs:informant_change_kind", args=[record.pk]),
        {
            "kind": "part_time",
            "effective_date": (TODAY() - timedelta(days=10)).isoformat(),
            "reason": "岗位调整",
        },
    )
    assert response.status_code == 302
    response = c.post(
        reverse("orgs:informant_end", args=[record.pk]),
        {"end_date": TODAY().isoformat(), "reason": "调离本单位"},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.kind == "part_time" and record.end_date == TODAY() and record.end_reason == "调离本单位"
    actions = list(record.changes.order_by("effective_date").values_list("action", "reason"))
    assert actions == [("register", "新任命"), ("change_kind", "岗位调整"), ("end", "调离本单位")]
    html = body(c.get(reverse("orgs:informant_history", args=[world.township.pk])))
    assert "专职 → 兼职" in html and "岗位调整" in html and "调离本单位" in html and "终止" in html
    # An ended record cannot be changed again.
    response = c.get(reverse("orgs:informant_end", args=[record.pk]), follow=True)
    assert "该备案已终止" in body(response)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"end_date": "BEFORE", "reason": "调离"}, "终止日期不能早于备案日期"),
        ({"end_date": "FUTURE", "reason": "调离"}, "终止日期不能晚于今天"),
        ({"end_date": "TODAY", "reason": ""}, "请填写事由"),
        ({"end_date": "", "reason": "调离"}, "请填写日期"),
    ],
)
def test_end_refuses_bad_input(world, people, as_user, data, message):
    record = register(people.alice, world.township, people.clerk, days_ago=5)
    dates = {
        "BEFORE": TODAY() - timedelta(days=6),
        "FUTURE": TODAY() + timedelta(days=1),
        "TODAY": TODAY(),
    }
    data = {k: (dates[v].isoformat() if v in dates else v) for k, v in data.items()}
    before = snapshot()
    response = as_user(people.alice).post(reverse("orgs:informant_end", args=[record.pk]), data)
    assert response.status_code == 200 and message in body(response)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "full_time", "effective_date": "TODAY", "reason": "x"}, "类型没有变化"),
        ({"kind": "part_time", "effective_date": "BEFORE", "reason": "x"}, "生效日期不能早于备案日期"),
        ({"kind": "part_time", "effective_date": "FUTURE", "reason": "x"}, "生效日期不能晚于今天"),
        ({"kind": "part_time", "effective_date": "TODAY", "reason": ""}, "请填写事由"),
        ({"kind": "", "effective_date": "TODAY", "reason": "x"}, "请选择专职或兼职"),
    ],
)
def test_change_kind_refuses_bad_input(world, people, as_user, data, message):
    record = register(people.alice, world.township, people.clerk, days_ago=5)
    dates = {
        "BEFORE": TODAY() - timedelta(days=6),
        "FUTURE": TODAY() + timedelta(days=1),
        "TODAY": TODAY(),
    }
    data = {k: (dates[v].isoformat() if v in dates else v) for k, v in data.items()}
    before = snapshot()
    response = as_user(people.alice).post(reverse("orgs:informant_change_kind", args=[record.pk]), data)
    assert response.status_code == 200 and message in body(response)
    assert snapshot() == before


# --- History ------------------------------------------------------------------------------------------------------


def test_history_permissions(world, people, as_user):
    register(people.alice, world.township, people.clerk)
    url = reverse("orgs:informant_history", args=[world.township.pk])
    assert as_user(people.alice).get(url).status_code == 200
    assert as_user(people.sysadmin).get(url).status_code == 200
    assert as_user(people.editor).get(url).status_code == 200
    assert as_user(people.bob).get(url).status_code == 403
    assert as_user(people.charlie).get(url).status_code == 404
    # alice keeps her own unit's registry, not her neighbour's.
    assert (
        as_user(people.alice).get(reverse("orgs:informant_history", args=[world.township2.pk])).status_code
        == 403
    )


def test_history_shows_every_change_with_filer(world, people, as_user):
    record = register(people.alice, world.township, people.clerk, days_ago=20, reason="首次备案")
    informant_end(actor=people.sysadmin, record=record, end_date=TODAY(), reason="退休")
    register(people.alice, world.township, people.bob, days_ago=0, reason="接任")
    html = body(as_user(people.sysadmin).get(reverse("orgs:informant_history", args=[world.township.pk])))
    table = html[html.index('id="history-table"') :]
    assert table.count("<tr>") == 4  # header + three filed changes
    for text in ("首次备案", "退休", "接任", "艾丽", "周建国", "王小明", "鲍勃"):
        assert text in table
    assert table.index("接任") < table.index("首次备案")  # newest first
