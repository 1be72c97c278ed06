"""Roster import from .xlsx: a good file replaces the days it names; one bad row means nothing is saved and every
error names its row and column."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from openpyxl import Workbook, load_workbook

from xinbao.common.errors import NotPermitted, ValidationFailed
from xinbao.duty.models import DutyRole, RosterEntry
from xinbao.duty.services import RosterImportInvalid, roster_import, roster_template_xlsx
from xinbao.duty.tests.factories import at, fill, make_cast, snapshot

pytestmark = pytest.mark.django_db

HEADER = ["值班日期*", "班次*", "岗位*", "姓名*", "值班电话*", "用户名"]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-09-20 09:30 +0800", tick=False):
        yield


@pytest.fixture
def cast(world):
    return make_cast(world)


def xlsx(rows: list[list], header: list | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header or HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


GOOD = [
    ["2026-10-01", "白班", "带班领导", "王建国", "13907912345", ""],
    ["2026-10-01", "白班", "值班员", "李晓燕", "0797-86123456", ""],
    ["2026年10月1日", "夜班", "带班领导", "赵志强", "15979712345", ""],
    ["2026/10/1", "夜班", "值班员", "", "", "eve"],
]


def test_good_file_imports_and_replaces_the_days_it_names(cast):
    fill(cast.office, date(2026, 10, 1), 2)  # 8 lines, 4 of them on 1 October
    GOOD[3][3], GOOD[3][4] = "吴怡", "15807910004"
    result = roster_import(actor=cast.alice, office=cast.office, filename="十月排班.xlsx", data=xlsx(GOOD))
    assert (result.created, result.days, result.replaced) == (4, [date(2026, 10, 1)], 4)
    oct1 = RosterEntry.objects.filter(day=date(2026, 10, 1))
    assert sorted(oct1.values_list("name", flat=True)) == ["吴怡", "李晓燕", "王建国", "赵志强"]
    assert oct1.get(name="吴怡").person_id == cast.eve.pk
    night = oct1.get(name="赵志强")
    assert (night.role, night.starts_at, night.ends_at) == (
        DutyRole.LEADER,
        at(date(2026, 10, 1), 18),
        at(date(2026, 10, 2), 8),
    )
    assert RosterEntry.objects.filter(day=date(2026, 10, 2)).count() == 4  # untouched


def test_bad_rows_are_listed_by_row_and_column_and_nothing_is_saved(cast):
    fill(cast.office, date(2026, 10, 1), 1)
    rows = [
        *GOOD[:2],
        ["2026-13-01", "白班", "值班员", "张伟", "13907912346", ""],
        ["2026-10-02", "中班", "领班", "张伟", "1234", "nobody"],
        ["2026-10-01", "白班", "值班员", "李晓燕", "13907912345", ""],
        ["2026-09-01", "白班", "值班员", "", "13907912345", ""],
    ]
    state = snapshot()
    with pytest.raises(RosterImportInvalid) as exc:
        roster_import(actor=cast.alice, office=cast.office, filename="排班.xlsx", data=xlsx(rows))
    assert snapshot() == state
    found = {(e["row"], e["column"]) for e in exc.value.errors}
    assert found == {
        (4, "值班日期"),
        (5, "班次"),
        (5, "岗位"),
        (5, "值班电话"),
        (5, "用户名"),
        (6, "姓名"),
        (7, "值班日期"),
        (7, "姓名"),
    }
    messages = {(e["row"], e["column"]): e["message"] for e in exc.value.errors}
    assert "不是有效日期" in messages[(4, "值班日期")]
    assert "班次“中班”不存在" in messages[(5, "班次")]
    assert "与第3行重复" in messages[(6, "姓名")]
    assert "已经过去" in messages[(7, "值班日期")]
    assert "有8处错误，未导入任何排班" in exc.value.message


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("排班.csv", b"a,b\n1,2\n", "只接受 .xlsx"),
        ("排班.xls", b"x" * 10, "不支持旧版 Excel"),
        ("排班.xlsx", b"not a zip", "不是有效的 Excel"),
        ("排班.xlsx", None, "缺少必填列"),
    ],
)
def test_bad_files_are_refused(cast, name, data, words):
    if data is None:
        data = xlsx([["2026-10-01", "白班"]], header=["值班日期", "班次"])
    state = snapshot()
    with pytest.raises(ValidationFailed, match=words):
        roster_import(actor=cast.alice, office=cast.office, filename=name, data=data)
    assert snapshot() == state


@pytest.mark.parametrize("who", ["bob", "charlie"])
def test_import_only_by_the_offices_editors(cast, who):
    with pytest.raises(NotPermitted):
        roster_import(actor=getattr(cast, who), office=cast.office, filename="排班.xlsx", data=xlsx(GOOD[:2]))
    assert not RosterEntry.objects.exists()


def test_the_template_imports_as_it_is(cast):
    data = roster_template_xlsx(cast.office)
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert [c.value for c in sheet[1]] == HEADER
    result = roster_import(actor=cast.alice, office=cast.office, filename="排班导入模板.xlsx", data=data)
    assert result.created == 2
