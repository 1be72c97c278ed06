"""Importing people: accounts with the chosen initial password, roles under 三员分立, informant registrations."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from xinbao.accounts.models import Role, RoleAssignment, User
from xinbao.accounts.tests.factories import make_user
from xinbao.audit.models import AuditEvent, EventType
from xinbao.common.errors import NotPermitted, ValidationFailed
from xinbao.imports.models import ImportStatus
from xinbao.imports.tests.conftest import INITIAL_PASSWORD, PEOPLE_HEADER, csv_bytes, xlsx_bytes
from xinbao.orgs.models import InformantChange, InformantKind, InformantRecord

pytestmark = pytest.mark.django_db


def people_rows(unit_code: str, *extra):
    return [
        PEOPLE_HEADER,
        ["wangfang", "王芳", unit_code, "13800001111", "办公室主任", "审签人", "", ""],
        ["LiQiang", "李强", unit_code, 13900002222, "科员", "", "专职", date(2026, 1, 5)],
        ["zhaolei", "赵磊", unit_code, "", "", "编辑、值班员", "兼职", ""],
        *extra,
    ]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_unit_admin_imports_his_people_with_roles_and_informants(
    world, dept_admin, upload, fmt, time_machine
):
    time_machine.move_to(timezone.make_aware(datetime(2026, 3, 1, 9)))
    rows = people_rows(world.county_dept.code)
    if fmt == "csv":
        rows[2][7] = "2026-01-05"
    data = xlsx_bytes(rows, title="人员") if fmt == "xlsx" else csv_bytes(rows)

    job = upload(dept_admin, data, name=f"人员.{fmt}", kind="people")

    assert job.status == ImportStatus.DONE, job.errors or job.message
    assert (job.total_rows, job.created_count, job.skipped_count) == (3, 3, 0)
    people = {u.username: u for u in User.objects.filter(username__in=["wangfang", "LiQiang", "zhaolei"])}
    assert len(people) == 3
    li = people["LiQiang"]
    assert (li.full_name, li.unit, li.phone, li.title) == ("李强", world.county_dept, "13900002222", "科员")
    for person in people.values():
        assert person.must_change_password
        assert person.check_password(INITIAL_PASSWORD)
    # One hash computed at upload and reused for every row.
    assert len({p.password for p in people.values()}) == 1
    assert job.initial_password_hash == ""
    roles = set(RoleAssignment.objects.filter(user__in=people.values()).values_list("user__username", "role"))
    assert roles == {
        ("wangfang", Role.SIGNER),
        ("LiQiang", Role.INFORMANT),
        ("zhaolei", Role.EDITOR),
        ("zhaolei", Role.DUTY_OFFICER),
        ("zhaolei", Role.INFORMANT),
    }
    record = InformantRecord.objects.get(person=li)
    assert (record.kind, record.start_date, record.unit, record.filed_by) == (
        InformantKind.FULL_TIME,
        date(2026, 1, 5),
        world.county_dept,
        dept_admin,
    )
    assert InformantRecord.objects.get(person=people["zhaolei"]).start_date == date(2026, 3, 1)
    assert InformantChange.objects.filter(record__person__in=people.values()).count() == 2
    audit = AuditEvent.objects.order_by("-id").first()
    assert audit.event_type == EventType.IMPORT and audit.detail["created"] == 3
    assert audit.detail["informants_registered"] == 2


def test_admin_roles_and_bad_rows_are_refused_and_nothing_imported(world, dept_admin, upload):
    code = world.county_dept.code
    make_user(world.county_dept, username="taken")
    tomorrow = timezone.localdate() + timedelta(days=1)
    rows = people_rows(
        code,
        ["sec1", "孙安", code, "", "", "安全管理员", "", ""],
        ["TAKEN", "重名", code, "", "", "", "", ""],
        ["x", "短名", code, "", "", "", "", ""],
        ["badphone", "错号", code, "12345", "", "", "", ""],
        ["nounit", "无单位", "NOPE", "", "", "", "", ""],
        ["region", "挂行政区", world.county.code, "", "", "", "", ""],
        ["futurist", "未来", code, "", "", "", "专职", tomorrow.isoformat()],
        ["kinder", "类型错", code, "", "", "", "临时", ""],
        ["roler", "角色错", code, "", "", "主任", "", ""],
        ["wangfang", "重复", code, "", "", "", "", ""],
        ["uadmin", "单位管理员", code, "", "", "单位管理员", "", ""],
    )
    job = upload(dept_admin, xlsx_bytes(rows), name="p.xlsx", kind="people")
    assert job.status == ImportStatus.INVALID
    assert User.objects.filter(username__in=["wangfang", "LiQiang", "zhaolei"]).count() == 0
    by_row = {e["row"]: e for e in job.errors}
    assert "三员" in by_row[5]["message"] and by_row[5]["column"] == "角色"
    assert by_row[6]["message"] == "用户名“TAKEN”已被使用"
    assert by_row[7]["column"] == "用户名"
    assert by_row[8]["column"] == "手机号"
    assert "不存在或不在您的管辖范围内" in by_row[9]["message"]
    assert by_row[10]["column"] == "单位编码"
    assert by_row[11]["message"] == "备案日期不能晚于今天"
    assert "信息员类型“临时”无效" in by_row[12]["message"]
    assert "角色“主任”无效" in by_row[13]["message"]
    assert "第2、14行" in by_row[14]["message"] and "第2、14行" in by_row[2]["message"]
    assert "不能授予“单位管理员”" in by_row[15]["message"]


def test_good_rows_mode_skips_bad_rows(world, dept_admin, upload):
    code = world.county_dept.code
    rows = people_rows(code, ["sec1", "孙安", code, "", "", "审计管理员", "", ""])
    job = upload(dept_admin, csv_bytes(rows), name="p.csv", kind="people", mode="good_rows")
    assert job.status == ImportStatus.DONE
    assert (job.created_count, job.skipped_count) == (3, 1)
    assert not User.objects.filter(username="sec1").exists()


def test_unit_admin_imports_only_into_his_own_unit(world, dept_admin, upload):
    rows = people_rows(world.township.code)
    job = upload(dept_admin, xlsx_bytes(rows), name="p.xlsx", kind="people")
    assert job.status == ImportStatus.INVALID
    assert all("无权在“安平县城关镇”导入人员" in e["message"] for e in job.errors)
    assert len(job.errors) == 3


def test_system_admin_creates_people_but_roles_are_the_security_admins(world, alice, upload):
    """三员分立: the system administrator creates accounts and files the 备案; business roles come from the security
    administrator or the unit's own administrator (as in informant_register)."""
    code = world.township.code
    rows = [
        PEOPLE_HEADER,
        ["liuyang", "刘洋", code, "", "", "", "专职", ""],
        ["chenjing", "陈静", code, "", "", "审签人", "", ""],
    ]
    job = upload(alice, xlsx_bytes(rows), name="p.xlsx", kind="people")
    assert job.status == ImportStatus.INVALID
    assert [e["row"] for e in job.errors] == [3]
    assert "安全管理员" in job.errors[0]["message"]
    job = upload(alice, xlsx_bytes(rows[:2]), name="p.xlsx", kind="people")
    assert job.status == ImportStatus.DONE
    liu = User.objects.get(username="liuyang")
    assert InformantRecord.objects.filter(person=liu).exists()
    assert not liu.has_role(Role.INFORMANT)  # as informant_register: the security admin grants it


def test_charlie_may_not_import_people_into_alices_county(world, charlie, upload):
    job = upload(charlie, xlsx_bytes(people_rows(world.county_dept.code)), name="p.xlsx", kind="people")
    assert job.status == ImportStatus.INVALID
    assert len(job.errors) == 3
    assert all("不存在或不在您的管辖范围内" in e["message"] for e in job.errors)
    assert not User.objects.filter(username="wangfang").exists()


def test_bob_may_not_import_people(world, bob, upload):
    with pytest.raises(NotPermitted):
        upload(bob, xlsx_bytes(people_rows(world.county_party_office.code)), name="p.xlsx", kind="people")


def test_initial_password_must_follow_the_policy(world, dept_admin, upload):
    with pytest.raises(ValidationFailed) as exc:
        upload(dept_admin, xlsx_bytes(people_rows(world.county_dept.code)), kind="people", password="Qz7!")
    assert exc.value.field == "initial_password"
    assert exc.value.message == "密码太短，至少需要8个字符。"
    assert User.objects.filter(username="wangfang").count() == 0
