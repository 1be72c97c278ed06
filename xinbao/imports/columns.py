"""The columns of the two import files: Chinese header, key, whether required, what goes in it, two example rows.

One table drives the parser (header → key), the row checks, the downloadable templates and their 说明 sheet, so
the template a person downloads always matches what the importer accepts.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    description: str | Promise
    examples: tuple[str, str]


#: Columns that people commonly add to Chinese spreadsheets; accepted and ignored so a padded file still imports.
IGNORED_HEADERS = {"序号": "seq", "备注": "note"}

UNIT_COLUMNS: tuple[Column, ...] = (
    Column(
        "code",
        "单位编码",
        True,
        _("唯一编码，不超过32个字符，不含空格。已存在的编码将更新该单位，新编码将新建单位。"),
        ("MJ0101", "MJ0101D01"),
    ),
    Column("name", "单位名称", True, _("全称，不超过100个字符。"), ("安平县", "安平县教育局")),
    Column("short_name", "简称", False, _("不超过40个字符。"), ("", "县教育局")),
    Column(
        "level",
        "层级",
        True,
        _("中央、省、市、县（区）、乡镇（街道）之一；也可写“县”“区”“乡镇”“街道”。"),
        ("县", "县"),
    ),
    Column(
        "kind",
        "类型",
        True,
        _(
            "行政区、党委办公室、政府办公室、系统办公室、部门、乡镇街道、直属单位、其他之一。省、市、县、乡镇一级的地区节点填“行政区”，其下挂该地区的各单位。"
        ),
        ("行政区", "部门"),
    ),
    Column(
        "parent_code",
        "上级单位编码",
        False,
        _(
            "上级行政区的单位编码：可以是系统中已有的单位，也可以是本文件中其他行的单位（顺序不限）。新建单位必填；更新时留空表示不改变上级。"
        ),
        ("MJ01", "MJ0101"),
    ),
    Column(
        "receiving",
        "是否接收单位",
        False,
        _("是或否。党委办公室、政府办公室、系统办公室等设信息科的单位填“是”；行政区不能填“是”。"),
        ("否", "否"),
    ),
    Column(
        "direct_targets",
        "直报目标单位编码",
        False,
        _("信息直报点可直接报送的上级接收单位编码，多个用顿号、逗号或分号分隔；填“无”表示取消直报点。"),
        ("", ""),
    ),
    Column("sort_order", "排序", False, _("整数，数字小的排在前面。"), ("1", "10")),
    Column("phone", "联系电话", False, _("不超过40个字符。"), ("0571-88881234", "0571-88885678")),
    Column("active", "状态", False, _("启用或停用。"), ("启用", "启用")),
)

PEOPLE_COLUMNS: tuple[Column, ...] = (
    Column(
        "username",
        "用户名",
        True,
        _("登录名，3至150位字母、数字或 _ . @ -，不能与已有人员重复（不区分大小写）。"),
        ("zhangwei", "liuna"),
    ),
    Column("full_name", "姓名", True, _("不超过40个字符。"), ("张伟", "刘娜")),
    Column(
        "unit_code",
        "单位编码",
        True,
        _("所在单位的单位编码，须是系统中已有的具体单位（不能是行政区）。"),
        ("MJ0101D01", "MJ0101D01"),
    ),
    Column("phone", "手机号", False, _("11位手机号或带区号的固定电话。"), ("13800001111", "13900002222")),
    Column("title", "职务", False, _("不超过60个字符。"), ("办公室主任", "科员")),
    Column(
        "roles",
        "角色",
        False,
        _(
            "信息员、审签人、编辑、值班员、领导、单位管理员，多个用顿号分隔。系统管理员、安全管理员、审计管理员（三员）不能批量导入，须逐一授予。三员分立：业务角色由安全管理员或本单位的单位管理员授予，系统管理员导入时此列请留空。"
        ),
        ("审签人", ""),
    ),
    Column(
        "informant_kind",
        "信息员类型",
        False,
        _(
            "专职或兼职。填写后即为该人员办理信息员备案；由本单位管理员导入时同时授予信息员角色（系统管理员导入的，角色由安全管理员授予）。"
        ),
        ("", "专职"),
    ),
    Column(
        "informant_date",
        "备案日期",
        False,
        _("信息员备案日期，如2026-01-05；留空为导入当天。不能晚于今天。"),
        ("", "2026-01-05"),
    ),
)

COLUMNS_BY_KIND = {"units": UNIT_COLUMNS, "people": PEOPLE_COLUMNS}
