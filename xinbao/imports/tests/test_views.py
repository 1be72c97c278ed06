"""The import pages end to end, with alice (may), bob (same office, informant) and charlie (another county)."""

from __future__ import annotations

import io
import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xinbao.accounts.middleware import SESSION_KEY
from xinbao.imports.models import ImportJob, ImportStatus
from xinbao.imports.tests.conftest import INITIAL_PASSWORD, csv_bytes, unit_rows, xlsx_bytes
from xinbao.orgs.models import Unit

pytestmark = pytest.mark.django_db

START = reverse("imports:start")


def post_upload(client, data: bytes, name: str, *, kind="units", mode="all_or_nothing", password=""):
    return client.post(
        START,
        {
            "kind": kind,
            "mode": mode,
            "file": SimpleUploadedFile(name, data),
            "initial_password": password,
            "initial_password2": password,
        },
    )


def test_start_page_for_alice_bob_and_charlie(world, alice, bob, charlie, verified_client, client):
    page = verified_client(alice).get(START)
    assert page.status_code == 200
    body = page.content.decode()
    assert "批量导入" in body and "上传并校验" in body
    assert reverse("imports:template", args=["units", "xlsx"]) in body
    assert reverse("imports:template", args=["people", "csv"]) in body
    client.logout()
    assert verified_client(bob).get(START).status_code == 403
    client.logout()
    # charlie may import in his own county: the page opens for him.
    assert verified_client(charlie).get(START).status_code == 200


def test_anonymous_is_sent_to_login(client):
    response = client.get(START)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_unit_admin_sees_only_the_people_import(world, dept_admin, verified_client):
    body = verified_client(dept_admin).get(START).content.decode()
    assert reverse("imports:template", args=["people", "xlsx"]) in body
    assert reverse("imports:template", args=["units", "xlsx"]) not in body
    response = post_upload(verified_client(dept_admin), xlsx_bytes(unit_rows(world)), "u.xlsx")
    assert response.status_code == 200
    assert 'id="id_kind"' in response.content.decode() and "invalid-feedback" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_upload_runs_and_the_status_page_shows_the_result(
    world, alice, verified_client, django_capture_on_commit_callbacks
):
    c = verified_client(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_upload(c, xlsx_bytes(unit_rows(world)), "安平县单位.xlsx")
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:status", args=[job.pk])
    page = c.get(response["Location"])
    body = page.content.decode()
    assert ImportJob.objects.get().status == ImportStatus.DONE
    assert "导入完成：共 3 行，新建 3，更新 0，跳过 0" in body
    assert 'hx-trigger="every 1s"' not in body  # finished: no more polling
    assert Unit.objects.filter(code__in=["AP-XC", "AP-WL", "AP-TJ"]).count() == 3


def test_running_job_polls_with_the_background_header_and_a_progress_bar(world, alice, verified_client):
    c = verified_client(alice)
    post_upload(c, xlsx_bytes(unit_rows(world)), "u.xlsx")  # on_commit not run: the job stays queued
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.VALIDATING, total_rows=200, processed_rows=50
    )
    body = c.get(reverse("imports:status", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in body
    assert "X-Xinbao-Background" in body
    assert '<progress class="w-100" max="200" value="50"' in body
    assert "正在校验：50 / 200 行" in body
    partial = c.get(reverse("imports:status", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and 'id="job-status"' in partial and 'hx-trigger="every 1s"' in partial
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.IMPORTING, processed_rows=200)
    partial = c.get(reverse("imports:status", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "正在写入 200 行" in partial and 'hx-trigger="every 1s"' in partial


def test_polling_does_not_keep_the_session_alive(world, alice, verified_client):
    c = verified_client(alice)
    post_upload(c, xlsx_bytes(unit_rows(world)), "u.xlsx")
    job = ImportJob.objects.get()
    url = reverse("imports:status", args=[job.pk])
    session = c.session
    session[SESSION_KEY] = time.time() - 60
    session.save()
    before = c.session[SESSION_KEY]
    c.get(url, HTTP_HX_REQUEST="true", HTTP_X_XINBAO_BACKGROUND="1")
    assert c.session[SESSION_KEY] == before
    c.get(url)
    assert c.session[SESSION_KEY] > before


def test_bad_file_lists_errors_and_offers_good_rows(
    world, alice, verified_client, django_capture_on_commit_callbacks
):
    c = verified_client(alice)
    rows = unit_rows(world, ["AP-BAD", "坏行", "", "村", "部门", world.county.code, "", "", "", "", ""])
    with django_capture_on_commit_callbacks(execute=True):
        response = post_upload(c, csv_bytes(rows, encoding="gbk"), "gbk.csv")
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.INVALID
    body = c.get(response["Location"]).content.decode()
    assert "校验未通过：共 4 行，其中 1 行有错误" in body
    assert "第 5 行" in body and "层级“村”无效" in body
    assert "仅导入正确的行" in body
    assert not Unit.objects.filter(code="AP-XC").exists()

    errors = c.get(reverse("imports:errors", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(errors.content)).active
    assert [c.value for c in sheet[1]] == ["行号", "列", "原因"]
    assert [c.value for c in sheet[2]][:2] == [5, "层级"]
    assert sheet[2][2].value.startswith("层级“村”无效")

    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(reverse("imports:good_rows", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.skipped_count == 1
    body = c.get(response["Location"]).content.decode()
    assert "新建 3，更新 0，跳过 1" in body and "跳过的行" in body


def test_wrong_format_is_a_form_error_and_creates_no_job(world, alice, verified_client):
    c = verified_client(alice)
    response = post_upload(c, b"%PDF-1.4 not a sheet", "单位.pdf")
    assert response.status_code == 200
    assert "不支持的文件格式“.pdf”" in response.content.decode()
    response = post_upload(c, csv_bytes([["单位编码", "单位名称", "层级", "类型"]]), "empty.csv")
    assert "文件中没有数据行" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_over_the_limit_upload_is_refused_on_the_page(world, alice, verified_client, settings):
    settings.IMPORT_MAX_BYTES = 10 * 1024 * 1024
    c = verified_client(alice)
    data = csv_bytes(unit_rows(world)) + b"," * (10 * 1024 * 1024)
    response = post_upload(c, data, "big.csv")
    assert response.status_code == 200
    assert "超过了 10 MB 的上限" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_people_upload_requires_matching_initial_password(world, dept_admin, verified_client):
    c = verified_client(dept_admin)
    data = csv_bytes([["用户名", "姓名", "单位编码"], ["zhou", "周", world.county_dept.code]])
    response = c.post(
        START,
        {
            "kind": "people",
            "mode": "all_or_nothing",
            "file": SimpleUploadedFile("p.csv", data),
            "initial_password": INITIAL_PASSWORD,
            "initial_password2": INITIAL_PASSWORD + "x",
        },
    )
    assert "两次输入的初始密码不一致" in response.content.decode()
    response = post_upload(c, data, "p.csv", kind="people", password="short")
    assert response.status_code == 200 and not ImportJob.objects.exists()


def test_job_page_is_visible_to_the_creator_and_system_admins_in_scope_only(
    world, alice, bob, charlie, dept_admin, verified_client, client
):
    c = verified_client(dept_admin)
    post_upload(
        c,
        csv_bytes([["用户名", "姓名", "单位编码"], ["zhou", "周", world.county_dept.code]]),
        "p.csv",
        kind="people",
        password=INITIAL_PASSWORD,
    )
    job = ImportJob.objects.get()
    url = reverse("imports:status", args=[job.pk])
    assert c.get(url).status_code == 200
    for person, expected in ((alice, 200), (bob, 404), (charlie, 404)):
        client.logout()
        assert verified_client(person).get(url).status_code == expected, person.username
        assert verified_client(person).get(reverse("imports:errors", args=[job.pk])).status_code == expected
    client.logout()
    response = verified_client(charlie).post(reverse("imports:good_rows", args=[job.pk]))
    assert response.status_code == 404


def test_templates_download_with_header_examples_and_notes(world, alice, bob, verified_client, client):
    c = verified_client(alice)
    response = c.get(reverse("imports:template", args=["units", "xlsx"]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["单位", "说明"]
    sheet = workbook["单位"]
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["单位编码*", "单位名称*", "简称", "层级*", "类型*"]
    assert sheet[2][0].value and sheet[3][0].value and sheet[4][0].value is None
    notes = [row[0].value for row in workbook["说明"].iter_rows(min_row=2) if row[0].value]
    assert "上级单位编码" in notes and "直报目标单位编码" in notes

    csv_response = c.get(reverse("imports:template", args=["people", "csv"]))
    assert csv_response.content.startswith(b"\xef\xbb\xbf")
    assert csv_response.content.decode("utf-8-sig").splitlines()[0].startswith("用户名*,姓名*,单位编码*")
    assert c.get("/imports/templates/units.pdf").status_code == 404
    client.logout()
    assert verified_client(bob).get(reverse("imports:template", args=["units", "xlsx"])).status_code == 403


@pytest.mark.parametrize("kind", ["units", "people"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_filled_in_template_imports_as_is(
    world, alice, dept_admin, verified_client, kind, fmt, django_capture_on_commit_callbacks
):
    """The downloaded template, its example rows pointed at real units, is accepted by the importer."""
    person = alice if kind == "units" else dept_admin
    c = verified_client(person)
    content = c.get(reverse("imports:template", args=[kind, fmt])).content
    if fmt == "xlsx":
        workbook = load_workbook(io.BytesIO(content))
        sheet = workbook.worksheets[0]
        header = [c.value for c in sheet[1]]
        if kind == "units":
            sheet.cell(row=2, column=header.index("上级单位编码") + 1, value=world.county.code)
            sheet.cell(row=2, column=header.index("层级*") + 1, value="乡镇")
            sheet.cell(row=3, column=header.index("上级单位编码") + 1, value=world.county.code)
        else:
            for row in (2, 3):
                sheet.cell(row=row, column=header.index("单位编码*") + 1, value=world.county_dept.code)
        buffer = io.BytesIO()
        workbook.save(buffer)
        content = buffer.getvalue()
    else:
        lines = content.decode("utf-8-sig").splitlines()
        header = lines[0].split(",")
        code = world.county_dept.code if kind == "people" else world.county.code
        column = header.index("单位编码*" if kind == "people" else "上级单位编码")
        level = header.index("层级*") if kind == "units" else None
        rows = []
        for line in lines[1:]:
            cells = line.split(",")
            cells[column] = code
            if level is not None:
                cells[level] = "乡镇" if not rows else cells[level]
            rows.append(cells)
        content = csv_bytes([header, *rows])
    with django_capture_on_commit_callbacks(execute=True):
        post_upload(c, content, f"t.{fmt}", kind=kind, password=INITIAL_PASSWORD if kind == "people" else "")
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.DONE, job.errors
    assert job.created_count == 2


def test_a_job_without_progress_for_long_says_it_may_have_stopped(
    world, alice, verified_client, time_machine
):
    c = verified_client(alice)
    post_upload(c, xlsx_bytes(unit_rows(world)), "u.xlsx")  # no worker ran: the job waits in the queue
    url = reverse("imports:status", args=[ImportJob.objects.get().pk])
    assert "可能已中断" not in c.get(url).content.decode()
    time_machine.move_to(timezone.now() + timedelta(minutes=16))
    assert "可能已中断" in c.get(url).content.decode()
