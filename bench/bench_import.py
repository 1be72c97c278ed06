"""Issue 2 measure: 5,000 units import in well under a minute on SQLite.

Generates a realistic fictional province as an .xlsx import file (1 province with its offices and departments,
cities, counties, townships and departments: exactly --units rows, parents before children as people fill such
sheets), then on a fresh SQLite database in a temporary folder (XINBAO_VAR_DIR, migrated first) times:
  parse    reading the .xlsx (openpyxl read_only)
  validate checking every row (orgs rules, parents in the file, cycles, scope of the importing system admin)
  import   the bulk write with paths, 直报 targets and the one audit row, in one transaction
and then a second run of the same file through the full service and task path (every row found unchanged).
With --people N it also imports N people (one password hash for all rows).

Usage: .venv/bin/python bench/bench_import.py [--units 5000] [--people 0] [--seed 2026]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

SYLLABLES = (
    "安平宁康泰和丰华云清河山阳东西南北新兴长永临江湖石桥龙凤白沙青明德福瑞祥嘉禾松柏桃李梅兰竹菊金银玉泉溪川"
    "源峰岭坪岗塘湾洲浦城港林田春秋文武昌盛远达广利通顺吉庆鹤鸣鹿凌霞"
)
DEPARTMENTS = [
    "发展和改革局",
    "教育局",
    "科学技术局",
    "工业和信息化局",
    "公安局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化和旅游局",
    "卫生健康委员会",
    "退役军人事务局",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "林业局",
    "信访局",
    "宣传部",
    "统战部",
    "政法委员会",
    "机关事务管理局",
]
HEADER = [
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


def place_names(rng: random.Random, count: int) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        name = rng.choice(SYLLABLES) + rng.choice(SYLLABLES)
        if name[0] != name[1] and name not in seen:
            seen.add(name)
            out.append(name)
    return out


def province_rows(rng: random.Random, total: int, province_code: str) -> list[list[object]]:
    """Rows in tree order (a parent before its children), cut at ``total``: a prefix of a pre-order walk is a tree."""
    rows: list[list[object]] = []
    names = iter(place_names(rng, 4000))

    def add(code, name, short, level, kind, parent, receiving="否", targets="", order=0, phone=""):
        rows.append([code, name, short, level, kind, parent, receiving, targets, order, phone, "启用"])

    def offices_and_departments(region_code: str, region_name: str, level: str, depts: int) -> str:
        party = f"{region_code}-PO"
        prefix = "中共" + region_name + ("委办公厅" if level == "省" else "委办公室")
        add(party, prefix, region_name + "委办", level, "党委办公室", region_code, "是", order=1)
        add(
            f"{region_code}-GO",
            region_name + "人民政府办公室",
            region_name + "政府办",
            level,
            "政府办公室",
            region_code,
            "是",
            order=2,
        )
        add(
            f"{region_code}-ZZB",
            "中共" + region_name + "委组织部",
            "",
            level,
            "系统办公室",
            region_code,
            "是",
            order=3,
        )
        for i, dept in enumerate(rng.sample(DEPARTMENTS, depts), start=1):
            phone = f"0{rng.randint(570, 579)}-{rng.randint(6000000, 8999999)}"
            add(
                f"{region_code}-D{i:02d}",
                region_name + dept,
                "",
                level,
                "部门",
                region_code,
                order=10 + i,
                phone=phone,
            )
        return party

    province_name = "明江省"
    province_party = offices_and_departments(province_code, province_name, "省", 30)
    for c in range(1, 12):
        city_name = next(names) + "市"
        city = f"{province_code}{c:02d}"
        add(city, city_name, "", "市", "行政区", province_code, order=c)
        offices_and_departments(city, city_name, "市", 28)
        for x in range(1, 12):
            county_name = next(names) + rng.choice("县县县区")
            county = f"{city}{x:02d}"
            add(county, county_name, "", "县", "行政区", city, order=x)
            offices_and_departments(county, county_name, "县", 22)
            for t in range(1, rng.randint(12, 18)):
                town = next(names) + rng.choice(["镇", "镇", "乡", "街道"])
                # One township in five is a 信息直报点 reporting straight to the province's party office.
                targets = province_party if t == 1 and x % 5 == 1 else ""
                add(
                    f"{county}T{t:02d}",
                    county_name + town,
                    town,
                    "乡镇",
                    "乡镇街道",
                    county,
                    targets=targets,
                    order=t,
                )
                if len(rows) >= total:
                    return rows[:total]
    if len(rows) < total:
        raise SystemExit(f"generator makes only {len(rows)} rows; raise the tree size")
    return rows[:total]


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("单位")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--people", type=int, default=0)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="xinbao-bench-import-")
    os.environ.update(
        {
            "XINBAO_VAR_DIR": tmp.name,
            "MEDIA_ROOT": str(Path(tmp.name) / "media"),
            "DATABASE_URL": "",
            "XINBAO_DEBUG": "1",
            "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
    )
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection, transaction

    from xinbao.accounts.models import Role, RoleAssignment, User
    from xinbao.imports.columns import UNIT_COLUMNS
    from xinbao.imports.models import ImportJob
    from xinbao.imports.parsing import read_table
    from xinbao.imports.services import import_job_create
    from xinbao.imports.units import validate_units
    from xinbao.imports.units_write import write_units
    from xinbao.orgs.models import Level, Unit, UnitKind
    from xinbao.orgs.services import unit_create

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(
        f"database      {connection.vendor} {connection.settings_dict['NAME']} (migrated in {time.perf_counter() - t0:.1f} s)"
    )

    province = unit_create(
        actor=None, parent=None, code="MJ", name="明江省", level=Level.PROVINCE, kind=UnitKind.REGION
    )
    office = unit_create(
        actor=None,
        parent=province,
        code="MJ-IT",
        name="明江省大数据中心",
        level=Level.PROVINCE,
        kind=UnitKind.AFFILIATED,
    )
    admin = User(username="bench_admin", full_name="基准测试", unit=office, must_change_password=False)
    admin.set_unusable_password()
    admin.save()
    RoleAssignment.objects.create(user=admin, role=Role.SYSTEM_ADMIN)

    rng = random.Random(args.seed)
    rows = province_rows(rng, args.units, "MJ")
    t0 = time.perf_counter()
    data = xlsx_bytes(rows)
    levels = {r[3] for r in rows}
    print(
        f"file          {len(rows)} rows, {len(data) / 1024:.0f} KB .xlsx, levels {'/'.join(sorted(levels))} (written in {time.perf_counter() - t0:.1f} s)"
    )

    t0 = time.perf_counter()
    table = read_table(data, fmt="xlsx", columns=UNIT_COLUMNS)
    t_parse = time.perf_counter() - t0
    t0 = time.perf_counter()
    plan = validate_units(actor=admin, table=table)
    t_validate = time.perf_counter() - t0
    if plan.errors.items:
        raise SystemExit(f"unexpected errors: {plan.errors.sorted()[:5]}")
    t0 = time.perf_counter()
    with transaction.atomic():
        result = write_units(plan=plan, note="bench")
        from xinbao.audit.models import EventType
        from xinbao.audit.services import audit_record

        audit_record(
            event_type=EventType.IMPORT, actor=admin, object_type="bench", detail={"rows": len(rows)}
        )
    t_import = time.perf_counter() - t0
    bad_paths = sum(
        1
        for u in Unit.objects.select_related("parent")
        if u.path != (u.parent.path if u.parent else "/") + f"{u.pk}/"
    )
    print(f"parse         {t_parse:6.2f} s")
    print(f"validate      {t_validate:6.2f} s")
    print(
        f"import        {t_import:6.2f} s   created {result.created}, 直报 targets set on {result.targets_set} units"
    )
    print(
        f"total         {t_parse + t_validate + t_import:6.2f} s   units in database {Unit.objects.count()}, wrong paths {bad_paths}"
    )

    t0 = time.perf_counter()
    job = import_job_create(
        actor=admin, kind="units", upload=SimpleUploadedFile("province.xlsx", data), mode="all_or_nothing"
    )
    job = ImportJob.objects.get(pk=job.pk)
    print(
        f"re-import     {time.perf_counter() - t0:6.2f} s   full service + task path: status {job.status}, "
        f"created {job.created_count}, updated {job.updated_count} (all rows unchanged)"
    )

    if args.people:
        people_bench(args.people, admin, rng)
    tmp.cleanup()


def people_bench(count: int, admin, rng: random.Random) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from xinbao.accounts.models import User
    from xinbao.imports.models import ImportJob
    from xinbao.imports.services import import_job_create
    from xinbao.orgs.models import Unit, UnitKind

    codes = list(Unit.objects.exclude(kind=UnitKind.REGION).values_list("code", flat=True))
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    given = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国文斌宇浩然晨阳欣怡子涵雨萱梓轩思远"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("人员")
    sheet.append(["用户名*", "姓名*", "单位编码*", "手机号", "职务", "角色", "信息员类型", "备案日期"])
    for i in range(count):
        name = rng.choice(surnames) + rng.choice(given) + (rng.choice(given) if rng.random() < 0.6 else "")
        kind = "专职" if i % 10 == 0 else ("兼职" if i % 10 == 1 else "")
        sheet.append(
            [
                f"p{i:06d}",
                name,
                rng.choice(codes),
                f"13{rng.randint(100000000, 999999999)}",
                "科员",
                "",
                kind,
                "",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    t0 = time.perf_counter()
    job = import_job_create(
        actor=admin,
        kind="people",
        upload=SimpleUploadedFile("people.xlsx", buffer.getvalue()),
        mode="all_or_nothing",
        initial_password="Bench#2026pw",
    )
    job = ImportJob.objects.get(pk=job.pk)
    print(
        f"people        {time.perf_counter() - t0:6.2f} s   {count} rows through the service + task path: status "
        f"{job.status}, created {job.created_count}; users in database {User.objects.count()}"
    )


if __name__ == "__main__":
    main()
