"""Importing units: good files, bad rows, good-rows mode, parents in the same file, cycles, scope, updates."""

from __future__ import annotations

import pytest

from xinbao.audit.models import AuditEvent, EventType
from xinbao.common.errors import NotPermitted
from xinbao.imports.models import ImportStatus
from xinbao.imports.services import import_job_import_good_rows
from xinbao.imports.tests.conftest import UNIT_HEADER, csv_bytes, unit_rows, xlsx_bytes
from xinbao.orgs.models import DirectReportingTarget, Level, Unit, UnitKind

pytestmark = pytest.mark.django_db


def errors_by_row(job):
    out: dict[int, list[str]] = {}
    for e in job.errors:
        out.setdefault(e["row"], []).append(f"{e['column']}|{e['message']}")
    return out


def assert_paths_consistent():
    for unit in Unit.objects.select_related("parent"):
        expected = (unit.parent.path if unit.parent else "/") + f"{unit.pk}/"
        assert unit.path == expected, unit.code
        assert unit.depth == expected.count("/") - 2


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_good_file_creates_units_with_paths_and_one_audit_row(world, alice, upload, fmt):
    rows = unit_rows(world)
    data = xlsx_bytes(rows) if fmt == "xlsx" else csv_bytes(rows)
    before = Unit.objects.count()
    audit_before = AuditEvent.objects.count()

    job = upload(alice, data, name=f"单位.{fmt}")

    assert job.status == ImportStatus.DONE, job.errors or job.message
    assert (job.total_rows, job.created_count, job.updated_count, job.skipped_count) == (3, 3, 0, 0)
    assert job.processed_rows == 3
    assert Unit.objects.count() == before + 3
    street = Unit.objects.get(code="AP-XC")
    assert street.parent == world.county
    assert street.path == f"{world.county.path}{street.pk}/"
    assert (street.level, street.kind, street.short_name, street.sort_order, street.phone) == (
        Level.TOWNSHIP,
        UnitKind.TOWNSHIP,
        "新城街道",
        5,
        "0571-6601234",
    )
    stats = Unit.objects.get(code="AP-TJ")
    assert (stats.level, stats.is_active, stats.is_receiving_office, stats.sort_order) == (
        Level.COUNTY,
        True,
        False,
        0,
    )
    assert_paths_consistent()
    new_audit = AuditEvent.objects.filter(pk__gt=0).count() - audit_before
    assert new_audit == 1
    row = AuditEvent.objects.order_by("-id").first()
    assert row.event_type == EventType.IMPORT and row.success
    assert row.detail["created"] == 3 and row.detail["sha256"] == job.file_sha256
    assert row.actor_username == "alice"


def test_bad_rows_import_nothing_and_list_reasons_with_row_numbers(world, alice, upload):
    rows = unit_rows(
        world,
        ["AP-X1", "坏层级单位", "", "村", "部门", world.county.code, "否", "", "", "", ""],
        ["", "没有编码的单位", "", "县", "部门", world.county.code, "", "", "", "", ""],
        ["AP-X3", "上级不存在", "", "县", "部门", "NOPE", "", "", "", "", ""],
        ["AP-X4", "行政区作接收单位", "", "县", "行政区", world.city.code, "是", "", "", "", ""],
        ["AP-X5", "排序不是数字", "", "县", "部门", world.county.code, "", "", "第一", "", ""],
        ["AP-X6", "挂在部门下", "", "县", "部门", world.county_dept.code, "", "", "", "", ""],
        [
            world.county.code.lower() + " x",
            "编码含空格",
            "",
            "县",
            "部门",
            world.county.code,
            "",
            "",
            "",
            "",
            "",
        ],
    )
    before = Unit.objects.count()

    job = upload(alice, xlsx_bytes(rows))

    assert job.status == ImportStatus.INVALID
    assert Unit.objects.count() == before
    errors = errors_by_row(job)
    assert set(errors) == {5, 6, 7, 8, 9, 10, 11}
    assert "层级|层级“村”无效" in errors[5][0]
    assert errors[6] == ["单位编码|单位编码不能为空"]
    assert "上级单位编码“NOPE”不存在" in errors[7][0]
    assert errors[8] == ["是否接收单位|行政区节点不能设为接收单位"]
    assert "排序|“第一”不是整数" in errors[9][0]
    assert "上级单位必须是行政区" in errors[10][0]
    assert "不能含空格" in errors[11][0]
    assert job.skipped_count == 0 and job.created_count == 0
    audit = AuditEvent.objects.order_by("-id").first()
    assert audit.event_type == EventType.IMPORT and not audit.success


def test_good_rows_mode_imports_valid_rows_and_reports_skipped(world, alice, upload):
    rows = unit_rows(world, ["AP-BAD", "坏行", "", "村", "部门", world.county.code, "", "", "", "", ""])
    job = upload(alice, xlsx_bytes(rows), mode="good_rows")
    assert job.status == ImportStatus.DONE
    assert (job.created_count, job.skipped_count) == (3, 1)
    assert [e["row"] for e in job.errors] == [5]
    assert not Unit.objects.filter(code="AP-BAD").exists()


def test_after_invalid_the_uploader_may_import_the_good_rows(
    world, alice, charlie, upload, django_capture_on_commit_callbacks
):
    rows = unit_rows(world, ["AP-BAD", "坏行", "", "村", "部门", world.county.code, "", "", "", "", ""])
    job = upload(alice, xlsx_bytes(rows))
    assert job.status == ImportStatus.INVALID and not Unit.objects.filter(code="AP-XC").exists()

    with pytest.raises(NotPermitted):
        import_job_import_good_rows(actor=charlie, job=job)
    with django_capture_on_commit_callbacks(execute=True):
        import_job_import_good_rows(actor=alice, job=job)

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.mode == "good_rows"
    assert (job.created_count, job.skipped_count) == (3, 1)
    assert Unit.objects.filter(code__in=["AP-XC", "AP-WL", "AP-TJ"]).count() == 3


def test_parent_later_in_the_same_file_reverse_order(world, alice, upload):
    county = world.county.code
    rows = [
        UNIT_HEADER,
        ["NX-T1", "新县甲镇", "", "乡镇", "乡镇街道", "NX", "", "", 2, "", ""],
        ["NX-PO", "中共新县委办公室", "", "县", "党委办公室", "NX", "是", "", 1, "", ""],
        ["NX", "新县", "", "县", "行政区", world.city.code, "", "", "", "", ""],
    ]
    job = upload(alice, xlsx_bytes(rows))
    # alice's scope is 安平县; the city is not hers, so a new county below it is refused.
    assert job.status == ImportStatus.INVALID
    errors = errors_by_row(job)
    assert "不在您的管辖范围内" in errors[4][0]
    assert "第4行有错误" in errors[2][0] and "第4行有错误" in errors[3][0]

    rows = [
        UNIT_HEADER,
        ["AP-NT-1", "新区甲社区", "", "乡镇", "乡镇街道", "AP-NT", "", "", "", "", ""],
        ["AP-NT-PO", "新区党工委办公室", "", "县", "党委办公室", "AP-NT", "是", "", "", "", ""],
        ["AP-NT", "安平县新区", "", "乡镇", "行政区", county, "", "", "", "", ""],
    ]
    rows[2][3] = "乡镇"  # an office inside a township-level region sits at township level
    job = upload(alice, csv_bytes(rows), name="r.csv")
    assert job.status == ImportStatus.DONE, job.errors
    region = Unit.objects.get(code="AP-NT")
    child = Unit.objects.get(code="AP-NT-1")
    assert child.parent == region and region.parent == world.county
    assert child.path == f"{world.county.path}{region.pk}/{child.pk}/"
    assert_paths_consistent()


def test_cycle_is_detected_and_nothing_imported(world, alice, upload):
    county = world.county.code
    rows = [
        UNIT_HEADER,
        ["CY-A", "甲区", "", "乡镇", "行政区", "CY-B", "", "", "", "", ""],
        ["CY-B", "乙区", "", "乡镇", "行政区", "CY-C", "", "", "", "", ""],
        ["CY-C", "丙区", "", "乡镇", "行政区", "CY-A", "", "", "", "", ""],
        ["CY-D", "丁单位", "", "乡镇", "部门", "CY-A", "", "", "", "", ""],
        ["CY-OK", "正常单位", "", "县", "部门", county, "", "", "", "", ""],
    ]
    job = upload(alice, xlsx_bytes(rows))
    assert job.status == ImportStatus.INVALID
    errors = errors_by_row(job)
    for row in (2, 3, 4):
        assert "上级单位关系形成循环" in errors[row][0]
    assert "CY-A → CY-B → CY-C → CY-A" in errors[2][0]
    assert "第2行有错误" in errors[5][0]
    assert 6 not in errors
    assert not Unit.objects.filter(code__startswith="CY-").exists()


def test_moving_an_existing_unit_below_its_own_descendant_is_a_cycle(world, alice, upload):
    rows = [UNIT_HEADER, ["SUB", "安平县开发区", "", "乡镇", "行政区", world.county.code, "", "", "", "", ""]]
    assert upload(alice, xlsx_bytes(rows)).status == ImportStatus.DONE
    county = world.county.code
    rows = [UNIT_HEADER, [county, "安平县", "", "县", "行政区", "SUB", "", "", "", "", ""]]
    job = upload(alice, xlsx_bytes(rows))
    assert job.status == ImportStatus.INVALID
    assert job.errors == [
        {"row": 2, "column": "上级单位编码", "message": f"上级单位关系形成循环：{county} → SUB → {county}"}
    ]
    world.county.refresh_from_db()
    assert world.county.parent == world.city


def test_duplicate_codes_in_the_file_are_refused_on_every_occurrence(world, alice, upload):
    rows = unit_rows(
        world, ["AP-WL", "重复的文旅局", "", "县", "部门", world.county.code, "", "", "", "", ""]
    )
    job = upload(alice, xlsx_bytes(rows))
    errors = errors_by_row(job)
    assert "在文件中出现多次（第3、5行）" in errors[3][0]
    assert "在文件中出现多次（第3、5行）" in errors[5][0]


def test_existing_codes_are_updated_and_blank_cells_keep_values(world, alice, upload):
    dept = world.county_dept
    dept.phone = "0571-1"
    dept.save()
    rows = [
        UNIT_HEADER,
        [dept.code, "安平县教育体育局", "县教体局", "县", "部门", "", "", "", "", "", ""],
        ["AP-WL", "安平县文旅局", "", "县", "部门", world.county.code, "", "", "", "", "停用"],
    ]
    job = upload(alice, xlsx_bytes(rows))
    assert job.status == ImportStatus.DONE, job.errors
    assert (job.created_count, job.updated_count) == (1, 1)
    dept.refresh_from_db()
    assert (dept.name, dept.short_name, dept.phone, dept.parent_id) == (
        "安平县教育体育局",
        "县教体局",
        "0571-1",
        world.county.pk,
    )
    assert not Unit.objects.get(code="AP-WL").is_active

    again = upload(alice, xlsx_bytes(rows))
    assert (again.created_count, again.updated_count) == (0, 0)


def test_moving_an_existing_region_repaths_its_subtree(world, alice, upload):
    rows = [
        UNIT_HEADER,
        ["AP-Z1", "安平县甲片区", "", "乡镇", "行政区", world.county.code, "", "", "", "", ""],
        ["AP-Z2", "安平县乙片区", "", "乡镇", "行政区", world.county.code, "", "", "", "", ""],
        ["AP-Z1-D", "甲片区办事处", "", "乡镇", "部门", "AP-Z1", "", "", "", "", ""],
    ]
    assert upload(alice, xlsx_bytes(rows)).status == ImportStatus.DONE
    moved = [UNIT_HEADER, ["AP-Z1-D", "甲片区办事处", "", "乡镇", "部门", "AP-Z2", "", "", "", "", ""]]
    job = upload(alice, csv_bytes(moved), name="m.csv")
    assert job.status == ImportStatus.DONE and job.updated_count == 1
    office = Unit.objects.get(code="AP-Z1-D")
    assert office.parent.code == "AP-Z2"
    assert_paths_consistent()


def test_charlie_of_another_county_is_refused_row_by_row(world, charlie, upload):
    rows = unit_rows(
        world,
        [world.county_dept.code, "改名", "", "县", "部门", "", "", "", "", "", ""],
        ["OT-1", "挂在别县的办公室下", "", "县", "部门", world.county_party_office.code, "", "", "", "", ""],
    )
    job = upload(charlie, xlsx_bytes(rows))
    assert job.status == ImportStatus.INVALID
    errors = errors_by_row(job)
    assert set(errors) == {2, 3, 4, 5, 6}
    for row in (2, 3, 4, 6):
        assert "不在您的管辖范围内" in errors[row][0]
    # The parent's kind (an office, not a region) is not revealed to him.
    assert errors[6] == [
        f"上级单位编码|无权在单位“{world.county_party_office.code}”下新建单位：该上级单位不存在或不在您的管辖范围内"
    ]
    assert "不能修改" in errors[5][0]
    # Names of units outside his scope are not shown to him.
    assert "安平县" not in " ".join(e["message"] for e in job.errors)
    assert not Unit.objects.filter(code__startswith="AP-").exists()
    world.county_dept.refresh_from_db()
    assert world.county_dept.name == "安平县教育局"


def test_bob_and_unit_admins_may_not_import_units(world, bob, dept_admin, upload):
    for person in (bob, dept_admin):
        with pytest.raises(NotPermitted):
            upload(person, xlsx_bytes(unit_rows(world)))
    assert not Unit.objects.filter(code__startswith="AP-").exists()


def test_direct_targets_are_checked_and_set(world, alice, upload):
    rows = [
        UNIT_HEADER,
        [
            world.township.code,
            "安平县城关镇",
            "城关镇",
            "乡镇",
            "乡镇街道",
            "",
            "",
            world.city_party_office.code,
            "",
            "",
            "",
        ],
        [
            world.township2.code,
            "安平县白沙镇",
            "白沙镇",
            "乡镇",
            "乡镇街道",
            "",
            "",
            world.county_party_office.code,
            "",
            "",
            "",
        ],
    ]
    job = upload(alice, xlsx_bytes(rows), mode="good_rows")
    assert job.status == ImportStatus.DONE
    assert [e["row"] for e in job.errors] == [3]
    assert "主渠道以上" in job.errors[0]["message"]
    assert list(
        DirectReportingTarget.objects.filter(unit=world.township).values_list("office_id", flat=True)
    ) == [world.city_party_office.pk]
    clear = [
        UNIT_HEADER,
        [world.township.code, "安平县城关镇", "城关镇", "乡镇", "乡镇街道", "", "", "无", "", "", ""],
    ]
    assert upload(alice, xlsx_bytes(clear)).status == ImportStatus.DONE
    assert not DirectReportingTarget.objects.filter(unit=world.township).exists()


def test_changing_a_region_with_units_below_is_refused(world, alice, upload):
    rows = [UNIT_HEADER, [world.county.code, "安平县", "", "县", "部门", "", "", "", "", "", ""]]
    job = upload(alice, xlsx_bytes(rows))
    assert job.status == ImportStatus.INVALID
    assert "该行政区下还有单位" in job.errors[0]["message"]


def test_a_code_taken_between_check_and_write_fails_cleanly(world, alice, upload, monkeypatch):
    """Two imports racing for one code: the second one's write fails and leaves nothing half-done."""
    from xinbao.imports import services
    from xinbao.orgs.tests.factories import make_unit

    real = services.validate_units

    def validate_then_race(**kwargs):
        plan = real(**kwargs)
        make_unit(
            parent=world.county,
            name="抢先建的单位",
            level=Level.COUNTY,
            kind=UnitKind.DEPARTMENT,
            code="AP-TJ",
        )
        return plan

    monkeypatch.setattr(services, "validate_units", validate_then_race)
    job = upload(alice, xlsx_bytes(unit_rows(world)))
    assert job.status == ImportStatus.FAILED
    assert "未导入任何数据" in job.message
    assert not Unit.objects.filter(code__in=["AP-XC", "AP-WL"]).exists()
    audit = AuditEvent.objects.order_by("-id").first()
    assert audit.event_type == EventType.IMPORT and not audit.success and audit.detail["status"] == "failed"


def test_running_a_finished_job_again_changes_nothing(world, alice, upload):
    from xinbao.imports.services import import_job_run

    job = upload(alice, xlsx_bytes(unit_rows(world)))
    assert job.status == ImportStatus.DONE
    audit_count = AuditEvent.objects.count()
    assert import_job_run(job_id=job.pk) is None
    assert AuditEvent.objects.count() == audit_count
    assert Unit.objects.filter(code="AP-XC").count() == 1
