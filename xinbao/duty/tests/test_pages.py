"""The duty pages: who may open and change what (alice may, bob reads, charlie of another county sees nothing),
htmx cell editing with the gap list refreshed, bad form input, import/export downloads."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from xinbao.duty.models import DutyLogEntry, DutyRole, Handover, RosterEntry
from xinbao.duty.services import handover_create, log_entry_record
from xinbao.duty.tests.factories import at, fill, make_cast, snapshot
from xinbao.duty.tests.test_import import GOOD, xlsx

pytestmark = pytest.mark.django_db

MON = date(2026, 9, 21)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-09-20 09:30 +0800", tick=False):
        yield


@pytest.fixture
def cast(world):
    return make_cast(world)


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


READ_PAGES = ["/duty/", "/duty/?view=month", "/duty/log/", "/duty/handovers/", "/duty/export/"]
EDIT_PAGES = ["/duty/import/", "/duty/import/template/", "/duty/settings/"]


@pytest.mark.parametrize("url", READ_PAGES)
def test_read_pages_permission_matrix(cast, url):
    assert login(cast.alice).get(url).status_code == 200
    assert login(cast.bob).get(url).status_code == 200
    # charlie reads his own office's pages, never 安平's: the pages only ever show the reader's own office.
    response = login(cast.charlie).get(url)
    assert response.status_code == 200
    if not response.streaming:
        assert "安平" not in response.content.decode()


@pytest.mark.parametrize("url", EDIT_PAGES)
def test_edit_pages_permission_matrix(cast, url):
    assert login(cast.alice).get(url).status_code == 200
    assert login(cast.dora).get(url).status_code == 200
    assert login(cast.bob).get(url).status_code == 403


def test_people_outside_receiving_offices_are_refused(cast, world):
    from xinbao.accounts.models import Role
    from xinbao.accounts.tests.factories import make_user

    informant = make_user(world.township, Role.INFORMANT)
    for url in READ_PAGES:
        assert login(informant).get(url).status_code == 403


def test_roster_page_shows_lines_holidays_and_gaps(cast):
    fill(cast.office, date(2026, 9, 19), 32, staff=2, skip={(date(2026, 10, 2), "夜班", DutyRole.LEADER)})
    page = login(cast.bob).get("/duty/?day=2026-10-01").content.decode()
    assert "国庆节" in page and "调休上班" not in page  # the week of 28 Sep – 4 Oct
    assert "带班领导须1人，仅0人（共14小时）" in page
    assert "10月2日 18:00 – 10月3日 08:00" in page
    assert "hx-get" not in page  # bob cannot edit: no add buttons
    assert "hx-get" in login(cast.alice).get("/duty/?day=2026-10-01").content.decode()
    assert "调休上班" in login(cast.alice).get("/duty/?day=2026-10-10").content.decode()


def test_htmx_add_line_fills_the_gap_and_refreshes_the_gap_list(cast):
    fill(cast.office, date(2026, 9, 19), 32, staff=2, skip={(date(2026, 10, 2), "夜班", DutyRole.LEADER)})
    c = login(cast.alice)
    form = c.get("/duty/cell/", {"day": "2026-10-02", "shift": "夜班", "form": "1"}, HTTP_HX_REQUEST="true")
    assert 'name="role"' in form.content.decode()
    response = c.post(
        "/duty/cell/",
        {"day": "2026-10-02", "shift": "夜班", "role": "leader", "name": "赵志强", "phone": "15979712345"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "赵志强" in body and 'hx-swap-oob="true"' in body
    assert "未来30天每小时都有值班员和带班领导" in body
    assert RosterEntry.objects.filter(name="赵志强", role=DutyRole.LEADER, day=date(2026, 10, 2)).exists()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"phone": "1234"}, "值班电话“1234”格式不正确"),
        ({"name": "", "phone": ""}, "姓名不能为空"),
        ({"role": "boss"}, "岗位无效"),
        ({"person": "999999"}, "所选人员不是本单位在岗人员"),
        ({"day": "2026-09-01"}, "已经过去"),
        ({"shift": "中班"}, "班次“中班”不存在"),
    ],
)
def test_htmx_add_line_bad_input_changes_nothing(cast, data, words):
    post = {"day": "2026-10-02", "shift": "夜班", "role": "leader", "name": "赵志强", "phone": "15979712345"}
    post.update(data)
    c = login(cast.alice)
    state = snapshot()
    response = c.post("/duty/cell/", post, HTTP_HX_REQUEST="true")
    assert words in response.content.decode()
    assert snapshot() == state


def test_htmx_bad_day_is_a_400_with_a_message(cast):
    c = login(cast.alice)
    state = snapshot()
    response = c.post("/duty/cell/", {"day": "昨天", "shift": "夜班", "role": "leader"})
    assert response.status_code == 400 and "日期格式不正确" in response.content.decode()
    assert snapshot() == state


def test_bob_and_charlie_cannot_change_lines(cast):
    entry = RosterEntry.objects.create(
        office=cast.office,
        day=MON,
        shift_name="白班",
        starts_at=at(MON, 8),
        ends_at=at(MON, 18),
        role=DutyRole.STAFF,
        name="李晓燕",
        phone="13907912345",
    )
    post = {"day": "2026-10-02", "shift": "夜班", "role": "leader", "name": "赵志强", "phone": "15979712345"}
    bob, charlie = login(cast.bob), login(cast.charlie)
    state = snapshot()
    assert bob.post("/duty/cell/", post).status_code == 403
    assert bob.post(f"/duty/entries/{entry.pk}/delete/").status_code == 403
    assert charlie.post(f"/duty/entries/{entry.pk}/delete/").status_code == 404
    assert charlie.get(f"/duty/entries/{entry.pk}/edit/").status_code == 404
    assert bob.post("/duty/copy-week/", {"source": "2026-09-21", "target": "2026-09-28"}).status_code == 403
    assert snapshot() == state


def test_edit_and_delete_a_line(cast):
    entry = RosterEntry.objects.create(
        office=cast.office,
        day=MON,
        shift_name="白班",
        starts_at=at(MON, 8),
        ends_at=at(MON, 18),
        role=DutyRole.STAFF,
        name="李晓燕",
        phone="13907912345",
    )
    c = login(cast.alice)
    bad = c.post(f"/duty/entries/{entry.pk}/edit/", {"name": "李晓燕", "phone": "abc"})
    assert "格式不正确" in bad.content.decode()
    c.post(f"/duty/entries/{entry.pk}/edit/", {"name": "", "phone": "", "person": cast.eve.pk})
    entry.refresh_from_db()
    assert entry.name == "吴怡"
    c.post(f"/duty/entries/{entry.pk}/delete/")
    assert not RosterEntry.objects.exists()


def test_copy_week_page(cast):
    fill(cast.office, MON, 7)
    c = login(cast.alice)
    response = c.post("/duty/copy-week/", {"source": "2026-09-22", "target": "2026-09-30"}, follow=True)
    assert "复制到2026-09-30所在周" in response.content.decode()
    assert RosterEntry.objects.filter(day__gte=MON + timedelta(days=7)).count() == 28
    state = snapshot()
    again = c.post("/duty/copy-week/", {"source": "2026-09-22", "target": "2026-09-30"}, follow=True)
    assert "已有28条排班" in again.content.decode()
    bad = c.post("/duty/copy-week/", {"source": "x", "target": ""}, follow=True).content.decode()
    assert "日期格式不正确" in bad and "请填写日期" in bad
    assert snapshot() == state


def test_import_page_good_and_bad(cast):
    c = login(cast.alice)
    state = snapshot()
    bad_rows = [GOOD[0], ["2026-10-01", "白班", "值班员", "李晓燕", "1234", ""]]
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = c.post("/duty/import/", {"file": SimpleUploadedFile("排班.xlsx", xlsx(bad_rows))})
    page = response.content.decode()
    assert "第3行" in page and "值班电话" in page and "未导入任何排班" in page
    assert snapshot() == state
    empty = c.post("/duty/import/", {}).content.decode()
    assert "请选择要导入的文件" in empty
    good = c.post("/duty/import/", {"file": SimpleUploadedFile("排班.xlsx", xlsx(GOOD[:3]))}, follow=True)
    assert "已导入3条排班" in good.content.decode()


def test_export_lists_the_range(cast):
    fill(cast.office, MON, 2)
    response = login(cast.bob).get("/duty/export/", {"start": "2026-09-21", "end": "2026-09-21"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("值班日期", "班次") and len(rows) == 5


def test_settings_page_saves_and_refuses_bad_input(cast):
    c = login(cast.alice)
    data = {
        "shifts": "白班 08:00-18:00\n夜班 18:00-08:00",
        "min_staff": "1",
        "min_leaders": "1",
        "strict_holidays": ["春节", "国庆节", "元旦"],
        "strict_min_staff": "2",
        "strict_min_leaders": "1",
    }
    assert c.post("/duty/settings/", data).status_code == 302
    state = snapshot()
    for change, words in (
        ({"shifts": "白班 8点-18点"}, "时间“8点”无效"),
        ({"shifts": "白班"}, "格式不正确"),
        ({"shifts": "白班 08:00-18:00\n晚班 17:00-23:00"}, "重叠"),
        ({"min_staff": "0"}, "0"),
        ({"strict_holidays": ["圣诞节"]}, "圣诞节"),
    ):
        page = c.post("/duty/settings/", {**data, **change}).content.decode()
        assert words in page
        assert snapshot() == state


def test_duty_log_page_records_corrects_and_refuses(cast):
    c = login(cast.alice)
    response = c.post(
        "/duty/log/", {"at": "2026-09-20T02:10", "kind": "call", "content": "白沙镇来电：3号桥积水。"}
    )
    assert response.status_code == 302
    entry = DutyLogEntry.objects.get()
    page = c.get(f"/duty/log/?corrects={entry.pk}").content.decode()
    assert "更正" in page
    c.post(
        "/duty/log/",
        {"at": "2026-09-20T09:00", "kind": "other", "content": "应为4号桥", "corrects": entry.pk},
    )
    assert DutyLogEntry.objects.get(corrects=entry).content == "应为4号桥"
    state = snapshot()
    for data, words in (
        ({"at": "2026-09-21T09:00", "kind": "call", "content": "x"}, "不能晚于当前时间"),
        ({"at": "bad", "kind": "call", "content": "x"}, "时间格式不正确"),
        ({"at": "2026-09-20T09:00", "kind": "gossip", "content": "x"}, "类别无效"),
        ({"at": "2026-09-20T09:00", "kind": "call", "content": ""}, "请填写内容"),
    ):
        assert words in c.post("/duty/log/", data).content.decode()
        assert snapshot() == state
    bob, charlie = login(cast.bob), login(cast.charlie)
    state = snapshot()
    assert (
        bob.post("/duty/log/", {"at": "2026-09-20T09:00", "kind": "call", "content": "x"}).status_code == 403
    )
    assert "白沙镇来电" in bob.get("/duty/log/").content.decode()
    assert "白沙镇来电" not in charlie.get("/duty/log/").content.decode()
    assert charlie.get(f"/duty/log/?corrects={entry.pk}").status_code == 404
    assert snapshot() == state


def test_handover_pages(cast):
    c = login(cast.alice)
    bad = c.post(
        "/duty/handovers/",
        {"from_shift": "白班", "to_shift": "夜班", "incoming": cast.charlie.pk, "outstanding": "无"},
    )
    assert "接班人须是本单位在岗人员" in bad.content.decode()
    empty = c.post(
        "/duty/handovers/", {"from_shift": "", "to_shift": "夜班", "incoming": cast.eve.pk, "outstanding": ""}
    )
    assert "请填写交班班次" in empty.content.decode() and "请填写待办事项" in empty.content.decode()
    assert not Handover.objects.exists()
    c.post(
        "/duty/handovers/",
        {"from_shift": "白班", "to_shift": "夜班", "incoming": cast.eve.pk, "outstanding": "无"},
    )
    handover = Handover.objects.get()
    assert login(cast.charlie).post(f"/duty/handovers/{handover.pk}/acknowledge/").status_code == 404
    refused = login(cast.bob).post(f"/duty/handovers/{handover.pk}/acknowledge/", follow=True)
    assert "只有接班人本人可以确认接班" in refused.content.decode()
    login(cast.eve).post(f"/duty/handovers/{handover.pk}/acknowledge/")
    handover.refresh_from_db()
    assert handover.acknowledged_at is not None


def test_log_page_shows_who_is_on_duty(cast):
    fill(cast.office, date(2026, 9, 19), 3)
    log_entry_record(
        actor=cast.alice, office=cast.office, at=at(date(2026, 9, 20), 8), kind="call", content="来电"
    )
    handover_create(
        actor=cast.alice,
        office=cast.office,
        from_shift="夜班",
        to_shift="白班",
        incoming=cast.eve,
        outstanding="无",
    )
    page = login(cast.bob).get("/duty/log/").content.decode()
    assert "领导1白班0" in page
