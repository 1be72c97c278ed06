"""What a fictional province's organisations look like: scale, departments by level, titles, filing reasons.

Departments keep one catalogue number at every level, so a code's last three digits say what the unit is:
001 party office, 002 government office, 1xx departments (106 is always 教育), 2xx townships and streets, 3xx
directly affiliated units.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from xinbao.orgs.models import Level


@dataclass(frozen=True)
class Scale:
    name: str
    label: str | Promise  # lazy: shown in the seed command's output, in the operator's language
    cities: int
    counties_per_city: tuple[int, int]
    districts_per_city: tuple[int, int]
    county_departments: tuple[int, int]
    city_departments: int
    province_departments: int
    townships_per_county: tuple[int, int]
    target_units: int
    #: Extra part-time informants are added until the number of people reaches this (None: no top-up).
    target_people: int | None
    direct_points: int


SCALES: dict[str, Scale] = {
    "demo": Scale(
        name="demo",
        label=_("演示"),
        cities=3,
        counties_per_city=(4, 4),
        districts_per_city=(1, 1),
        county_departments=(8, 8),
        city_departments=3,
        province_departments=4,
        townships_per_county=(8, 13),
        target_units=300,
        target_people=None,
        direct_points=3,
    ),
    "province": Scale(
        name="province",
        label=_("全省"),
        cities=14,
        counties_per_city=(7, 11),
        districts_per_city=(1, 2),
        county_departments=(12, 18),
        city_departments=20,
        province_departments=28,
        townships_per_county=(8, 24),
        target_units=5000,
        target_people=20000,
        direct_points=40,
    ),
}


@dataclass(frozen=True)
class Department:
    number: int
    #: Name after the region name, by level; a party department is written 中共{region}{name}.
    province: str
    city: str
    county: str
    party: bool = False


# The first six are in every county; the rest are drawn at random up to the scale's number.
DEPARTMENTS: list[Department] = [
    Department(101, "委组织部", "委组织部", "委组织部", party=True),
    Department(102, "委宣传部", "委宣传部", "委宣传部", party=True),
    Department(105, "发展和改革委员会", "发展和改革委员会", "发展和改革局"),
    Department(106, "教育厅", "教育局", "教育局"),
    Department(107, "公安厅", "公安局", "公安局"),
    Department(119, "应急管理厅", "应急管理局", "应急管理局"),
    Department(118, "卫生健康委员会", "卫生健康委员会", "卫生健康局"),
    Department(115, "农业农村厅", "农业农村局", "农业农村局"),
    Department(111, "自然资源厅", "自然资源和规划局", "自然资源局"),
    Department(120, "市场监督管理局", "市场监督管理局", "市场监督管理局"),
    Department(103, "委统战部", "委统战部", "委统战部", party=True),
    Department(104, "委政法委员会", "委政法委员会", "委政法委员会", party=True),
    Department(108, "民政厅", "民政局", "民政局"),
    Department(109, "财政厅", "财政局", "财政局"),
    Department(110, "人力资源和社会保障厅", "人力资源和社会保障局", "人力资源和社会保障局"),
    Department(112, "住房和城乡建设厅", "住房和城乡建设局", "住房和城乡建设局"),
    Department(113, "交通运输厅", "交通运输局", "交通运输局"),
    Department(114, "水利厅", "水利局", "水利局"),
    Department(116, "商务厅", "商务局", "商务局"),
    Department(117, "文化和旅游厅", "文化广电旅游局", "文化广电旅游局"),
    Department(121, "医疗保障局", "医疗保障局", "医疗保障局"),
    Department(122, "信访局", "信访局", "信访局"),
    Department(123, "统计局", "统计局", "统计局"),
    Department(124, "审计厅", "审计局", "审计局"),
    Department(125, "退役军人事务厅", "退役军人事务局", "退役军人事务局"),
    Department(126, "司法厅", "司法局", "司法局"),
    Department(127, "科学技术厅", "科学技术局", "科学技术局"),
    Department(128, "工业和信息化厅", "工业和信息化局", "工业和信息化局"),
    Department(129, "生态环境厅", "生态环境局", "生态环境分局"),
    Department(130, "林业局", "林业局", "林业局"),
]
CORE_DEPARTMENTS = 6
ORGANISATION_DEPARTMENT = 101  # 组织部: a 系统办公室 receiving office at city and province level

# (number, name after the region name, party unit written 中共{region}…)
AFFILIATED = [(301, "融媒体中心", False), (302, "档案馆", False), (303, "委党校", True)]

LEVEL_WORD = {Level.PROVINCE: "省", Level.CITY: "市", Level.COUNTY: "县"}


def department_name(dept: Department, level: str) -> str:
    return {Level.PROVINCE: dept.province, Level.CITY: dept.city}.get(level, dept.county)  # type: ignore[call-overload]


def head_title(name: str) -> str:
    """The head of a department is named after what the department is called (局长, 厅长, 部长...)."""
    for suffix, title in (
        ("委员会", "主任"),
        ("中心", "主任"),
        ("分局", "局长"),
        ("局", "局长"),
        ("厅", "厅长"),
        ("部", "部长"),
        ("馆", "馆长"),
        ("校", "校长"),
    ):
        if name.endswith(suffix):
            return title
    return "负责人"


START_REASONS = ["新任信息员备案", "单位推荐，备案为专职信息员", "工作调整，接任信息员", "年度信息员备案"]
PART_TIME_REASONS = ["兼任信息员，协助信息报送", "单位推荐，备案为兼职信息员", "充实信息员队伍"]
CHANGE_KIND_REASON = "工作需要，由兼职转为专职"
END_REASONS = ["岗位调整", "退休", "调离本单位"]

TOWNSHIP_INFORMANT_TITLES = ["党政办干事", "党政综合办公室干事", "宣传干事", "党政办科员"]
TOWNSHIP_PART_TIME_TITLES = [
    "综治中心干事",
    "经济发展办干事",
    "社会事务办干事",
    "文化站站长",
    "农业服务中心干事",
]
DEPT_INFORMANT_TITLES = ["办公室科员", "办公室干事", "综合股股员", "办公室一级科员"]
DEPT_PART_TIME_TITLES = ["法规股股长", "政工股干事", "业务股股员", "综合股股长"]
OLD_POST_TITLES = ["经济发展办干事", "业务股股员", "社会事务办干事", "综合股股员"]
