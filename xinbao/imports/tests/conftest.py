"""Fixtures of the import tests: the three people, files built in memory, and an import run end to end.

Tasks run with the immediate backend, and on_commit callbacks are executed, so an upload is checked and imported
before the call returns, exactly as the worker would do it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import make_user
from xinbao.imports.models import ImportJob
from xinbao.imports.services import import_job_create

INITIAL_PASSWORD = "Chushi#2026"
UNIT_HEADER = [
    "单位编码*",
    "单位名称*",
    "简称",
    "层级*",
    "类型*",
    "上级单位编码",
    "是否接收单位",
    "直报目标单位编码",
    "排序",
    "联系电话",
    "状态",
]
PEOPLE_HEADER = ["用户名*", "姓名*", "单位编码*", "手机号", "职务", "角色", "信息员类型", "备案日期"]


@pytest.fixture(autouse=True)
def immediate_tasks(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def alice(world):
    """System administrator of 安平县 (may import units and people there)."""
    return make_user(world.county_party_office, Role.SYSTEM_ADMIN, username="alice", full_name="艾丽")


@pytest.fixture
def bob(world):
    """An informant in alice's office: may not import anything."""
    return make_user(world.county_party_office, Role.INFORMANT, username="bob", full_name="鲍勃")


@pytest.fixture
def charlie(world):
    """System administrator of another county (石桥县): alice's county is out of his scope."""
    return make_user(world.other_party_office, Role.SYSTEM_ADMIN, username="charlie", full_name="查理")


@pytest.fixture
def dept_admin(world):
    """Unit administrator of 安平县教育局: may import people of his own unit only."""
    return make_user(world.county_dept, Role.UNIT_ADMIN, username="deptadmin", full_name="邓主任")


@pytest.fixture
def verified_client(client):
    """A client logged in as ``user``, second factor done (the three administrators must have one)."""

    def _login(user, c=None):
        c = c or client
        c.force_login(user)
        if user.needs_second_factor:
            device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
            session = c.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return c

    return _login


def xlsx_bytes(rows: Sequence[Sequence[Any]], *, title: str = "单位") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: Sequence[Sequence[Any]], *, encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


@pytest.fixture
def upload(django_capture_on_commit_callbacks) -> Callable[..., ImportJob]:
    """Upload through the service and run the task; returns the job as the task left it."""

    def _upload(
        actor,
        data: bytes,
        *,
        name: str = "units.xlsx",
        kind: str = "units",
        mode: str = "all_or_nothing",
        password: str = "",
    ) -> ImportJob:
        file = SimpleUploadedFile(name, data)
        with django_capture_on_commit_callbacks(execute=True):
            job = import_job_create(
                actor=actor, kind=kind, upload=file, mode=mode, initial_password=password or INITIAL_PASSWORD
            )
        job.refresh_from_db()
        return job

    return _upload


def unit_rows(world, *extra: Sequence[Any]) -> list[list[Any]]:
    """A small good file below 安平县: a new township region with an office, a department and a township."""
    county = world.county.code
    return [
        UNIT_HEADER,
        [
            "AP-XC",
            "安平县新城街道",
            "新城街道",
            "乡镇(街道)",
            "乡镇街道",
            county,
            "否",
            "",
            5,
            "0571-6601234",
            "启用",
        ],
        ["AP-WL", "安平县文旅局", "县文旅局", "县", "部门", county, "否", "", 20, "", "启用"],
        ["AP-TJ", "安平县统计局", "", "县(区)", "部门", county, "", "", "", "", ""],
        *[list(r) for r in extra],
    ]
