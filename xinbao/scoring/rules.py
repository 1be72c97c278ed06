"""The rule-set document: its shipped default, its validation and typed access for the engine (PRODUCT 3.5).

The default is the published county rule of PRODUCT 3.5: adoption by 市委办 10, 省两办 20, 国办 30, 中办 50, adoptions
in several publications add up; 批示 by a 中央 leader +50, 省 +40, 市 +30, 市两办 leader +20, 县 +10; a 约稿 not answered
or answered late −10; jointly sent items split evenly among their authors. Every other real variant is a setting:
``adoption.several`` = "highest", ``adoption.forwarded_multiplier`` (×2 province, ×5 国办),
``instruction.first``/``further`` (10 then 5), ``quota.monthly_base``, ``direct_point_to_county``, ``caps``,
``emergency`` penalties for 迟报/漏报/瞒报, ``rollup``, and the ``composite`` 千分制 weights per category (see
``composite``; they add up to 100). PRODUCT is silent on adoption at the office's own level
and below; they are 0 by default and set per office.
"""

from __future__ import annotations

import copy
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinbao.common.errors import ValidationFailed
from xinbao.scoring.composite import CATEGORIES, DEFAULT_WEIGHTS, WEIGHT_TOTAL

#: Who adopted: the adopting office's level, with 中办 and 国办 told apart at the central level.
ADOPTERS = ("township", "county", "city", "province", "central_gov", "central_party")
MODES = ("full", "partial", "combined")
#: Publication kinds told apart by the publication's name (专报 > 简报 > 每日要情 > website text > picture).
PUBLICATION_KINDS = ("special", "bulletin", "daily", "website_text", "website_picture", "other")
#: The leader ranks of ``followups.LeaderRank``; 两办 leaders are valued apart (PRODUCT 3.5: 市两办 +20).
LEADER_RANKS = (
    "central", "province", "province_offices", "city", "city_offices", "county", "county_offices",
)  # fmt: skip
ROLLUPS = ("mean", "sum", "own", "weighted")

DEFAULT_RULES: dict[str, Any] = {
    "adoption": {
        "points": {
            "township": 0,
            "county": 0,
            "city": 10,
            "province": 20,
            "central_gov": 30,
            "central_party": 50,
        },
        "mode_factor": {"full": 1, "partial": 1, "combined": 1},
        "publication_factor": {k: 1 for k in PUBLICATION_KINDS},
        "several": "add",
        "forwarded_multiplier": {k: 1 for k in ADOPTERS},
    },
    "instruction": {
        "points": {
            "central": 50,
            "province": 40,
            "province_offices": 0,
            "city": 30,
            "city_offices": 20,
            "county": 10,
            "county_offices": 0,
        },
        # When set, the first 批示 on an item earns ``first`` and each further one ``further``, whoever wrote them.
        "first": None,
        "further": None,
        "feedback_late": 0,
    },
    "commission": {"answered": 0, "late": -10, "missed": -10},
    "emergency": {"timely": 0, "late": 0, "missed": 0, "concealed": 0},
    "quota": {
        "informant_monthly": 5,
        "informant_monthly_analysis": 1,
        "unit_monthly": 10,
        "unit_yearly_adopted": 20,
        "supervision_floor": 6,
        "inactive_days": 30,
        "monthly_base": 0,
    },
    "joint_split": True,
    "direct_point_to_county": False,
    "caps": {"per_item": None, "unit_month": None, "unit_year": None},
    "rollup": {"method": "mean", "own_weight": 1, "children_weight": 1},
    # 千分制 weight per category of ledger kinds (``composite``: why 70/30 by default).
    "composite": dict(DEFAULT_WEIGHTS),
    # Yearly commendation proposals: the best N units and informants, and every item worth at least this much.
    "commendation": {"units": 10, "informants": 20, "item_min_points": 30},
}

FIELD_LABELS = {
    "adoption": gettext_lazy("采用计分"),
    "adoption.points": gettext_lazy("采用分值"),
    "adoption.mode_factor": gettext_lazy("采用方式系数"),
    "adoption.publication_factor": gettext_lazy("刊物类别系数"),
    "adoption.several": gettext_lazy("多刊物采用计分方式"),
    "adoption.forwarded_multiplier": gettext_lazy("转报采用倍数"),
    "instruction.points": gettext_lazy("批示分值"),
    "instruction.first": gettext_lazy("首条批示分值"),
    "instruction.further": gettext_lazy("续批分值"),
    "instruction.feedback_late": gettext_lazy("批示反馈逾期扣分"),
    "commission": gettext_lazy("约稿计分"),
    "emergency": gettext_lazy("紧急信息计分"),
    "quota": gettext_lazy("任务指标"),
    "joint_split": gettext_lazy("联合报送平分"),
    "direct_point_to_county": gettext_lazy("直报点计入所在县"),
    "caps": gettext_lazy("封顶"),
    "rollup": gettext_lazy("汇总方式"),
    "rollup.method": gettext_lazy("汇总方式"),
    "commendation": gettext_lazy("表彰推荐"),
    "composite": gettext_lazy("千分制类别权重"),
}

POINT_LIMIT = Decimal("10000")


def default_rules() -> dict[str, Any]:
    return copy.deepcopy(DEFAULT_RULES)


def _label(path: str) -> str:
    head = path.rsplit(".", 1)[0] if "." in path else path
    label = FIELD_LABELS.get(path) or FIELD_LABELS.get(head) or ""
    return f"{label}（{path}）" if label else path


def _fail(path: str, message: str) -> ValidationFailed:
    return ValidationFailed(
        _("计分规则“%(field)s”%(message)s") % {"field": _label(path), "message": message}, field=path
    )


def _number(value: Any, path: str, *, minimum: Decimal | None = None, allow_none: bool = False) -> Any:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _fail(path, _("必须是数字"))
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise _fail(path, _("必须是数字")) from exc
    if not number.is_finite() or abs(number) > POINT_LIMIT:
        raise _fail(path, _("超出允许范围（±10000）"))
    if minimum is not None and number < minimum:
        raise _fail(path, _("不能小于%(min)s") % {"min": minimum})
    if number != number.quantize(Decimal("0.01")):
        raise _fail(path, _("最多保留两位小数"))
    return int(number) if number == number.to_integral_value() else float(number)


def _table(data: Any, path: str, keys: tuple[str, ...], *, minimum: Decimal | None = None) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise _fail(path, _("必须是一个对照表"))
    unknown = sorted(set(data) - set(keys))
    if unknown:
        raise _fail(f"{path}.{unknown[0]}", _("不是可用的项目（可用：%(keys)s）") % {"keys": "、".join(keys)})
    return {k: _number(data.get(k, 0), f"{path}.{k}", minimum=minimum) for k in keys}


def _section(data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise _fail(name, _("必须是一个对照表"))
    return value


def validate_rules(data: Any) -> dict[str, Any]:
    """Return the normalised rule document, or raise ``ValidationFailed`` naming the first wrong field.

    Missing sections take the shipped default, so an office edits only what differs from PRODUCT 3.5's rule."""
    if not isinstance(data, dict):
        raise ValidationFailed(_("计分规则必须是一个 JSON 对象"), field="rules")
    known = set(DEFAULT_RULES)
    unknown = sorted(set(data) - known)
    if unknown:
        raise _fail(unknown[0], _("不是可用的规则项"))
    base = default_rules()
    out: dict[str, Any] = {}

    adoption = _section(data, "adoption")
    dflt = base["adoption"]
    extra = sorted(set(adoption) - set(dflt))
    if extra:
        raise _fail(f"adoption.{extra[0]}", _("不是可用的规则项"))
    several = adoption.get("several", dflt["several"])
    if several not in ("add", "highest"):
        raise _fail("adoption.several", _("只能是 add（累加）或 highest（只计最高）"))
    out["adoption"] = {
        "points": _table(adoption.get("points", dflt["points"]), "adoption.points", ADOPTERS),
        "mode_factor": _table(
            adoption.get("mode_factor", dflt["mode_factor"]),
            "adoption.mode_factor",
            MODES,
            minimum=Decimal(0),
        ),
        "publication_factor": _table(
            adoption.get("publication_factor", dflt["publication_factor"]),
            "adoption.publication_factor",
            PUBLICATION_KINDS,
            minimum=Decimal(0),
        ),
        "several": several,
        "forwarded_multiplier": _table(
            adoption.get("forwarded_multiplier", dflt["forwarded_multiplier"]),
            "adoption.forwarded_multiplier",
            ADOPTERS,
            minimum=Decimal(0),
        ),
    }
    for key in ADOPTERS:
        # A multiplier left out means "not multiplied", not "worth nothing".
        if key not in adoption.get("forwarded_multiplier", dflt["forwarded_multiplier"]):
            out["adoption"]["forwarded_multiplier"][key] = 1

    instruction = _section(data, "instruction")
    dflt = base["instruction"]
    extra = sorted(set(instruction) - set(dflt))
    if extra:
        raise _fail(f"instruction.{extra[0]}", _("不是可用的规则项"))
    first = _number(instruction.get("first"), "instruction.first", allow_none=True)
    further = _number(instruction.get("further"), "instruction.further", allow_none=True)
    if (first is None) != (further is None):
        raise _fail("instruction.further", _("必须与首条批示分值同时设置或同时留空"))
    out["instruction"] = {
        "points": _table(instruction.get("points", dflt["points"]), "instruction.points", LEADER_RANKS),
        "first": first,
        "further": further,
        "feedback_late": _number(instruction.get("feedback_late", 0), "instruction.feedback_late"),
    }
    out["commission"] = _table(
        {**base["commission"], **_section(data, "commission")}, "commission", tuple(base["commission"])
    )
    out["emergency"] = _table(
        {**base["emergency"], **_section(data, "emergency")}, "emergency", tuple(base["emergency"])
    )
    quota = {**base["quota"], **_section(data, "quota")}
    out["quota"] = _table(quota, "quota", tuple(base["quota"]), minimum=Decimal(0))
    for key in (
        "informant_monthly",
        "informant_monthly_analysis",
        "unit_monthly",
        "unit_yearly_adopted",
        "supervision_floor",
        "inactive_days",
    ):
        if not isinstance(out["quota"][key], int):
            raise _fail(f"quota.{key}", _("必须是整数"))
    for flag in ("joint_split", "direct_point_to_county"):
        value = data.get(flag, base[flag])
        if not isinstance(value, bool):
            raise _fail(flag, _("必须是 true 或 false"))
        out[flag] = value
    caps = {**base["caps"], **_section(data, "caps")}
    extra = sorted(set(caps) - set(base["caps"]))
    if extra:
        raise _fail(f"caps.{extra[0]}", _("不是可用的规则项"))
    out["caps"] = {
        k: _number(caps[k], f"caps.{k}", minimum=Decimal(0), allow_none=True) for k in base["caps"]
    }
    rollup = {**base["rollup"], **_section(data, "rollup")}
    extra = sorted(set(rollup) - set(base["rollup"]))
    if extra:
        raise _fail(f"rollup.{extra[0]}", _("不是可用的规则项"))
    if rollup["method"] not in ROLLUPS:
        raise _fail("rollup.method", _("只能是 mean、sum、own 或 weighted"))
    out["rollup"] = {
        "method": rollup["method"],
        "own_weight": _number(rollup["own_weight"], "rollup.own_weight", minimum=Decimal(0)),
        "children_weight": _number(rollup["children_weight"], "rollup.children_weight", minimum=Decimal(0)),
    }
    out["composite"] = _composite(data, base)
    commendation = {**base["commendation"], **_section(data, "commendation")}
    out["commendation"] = _table(
        commendation, "commendation", tuple(base["commendation"]), minimum=Decimal(0)
    )
    for key in ("units", "informants"):
        if not isinstance(out["commendation"][key], int):
            raise _fail(f"commendation.{key}", _("必须是整数"))
    return out


def _composite(data: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """Weights per category, none negative, adding up to exactly 100. A category a given section leaves out weighs
    0, not its default weight: what the office wrote is what must add up to 100."""
    if "composite" not in data:
        return base["composite"]
    weights = _table(_section(data, "composite"), "composite", CATEGORIES, minimum=Decimal(0))
    total = sum((Decimal(str(v)) for v in weights.values()), Decimal(0))
    if total != WEIGHT_TOTAL:
        shown = f"{total.normalize():f}"
        raise _fail("composite", _("各类别权重之和必须为100（现为%(total)s）") % {"total": shown})
    return weights
