"""Test data builders. ``build_world`` makes a small province tree that every permission test shares."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from xinbao.orgs.models import Level, Unit, UnitKind
from xinbao.orgs.services import unit_create

_seq = itertools.count(1)


def make_unit(
    *,
    parent: Unit | None,
    name: str,
    level: str,
    kind: str,
    code: str | None = None,
    receiving: bool = False,
    **extra,
) -> Unit:
    return unit_create(
        actor=None,
        parent=parent,
        code=code or f"T{next(_seq):05d}",
        name=name,
        level=level,
        kind=kind,
        is_receiving_office=receiving,
        **extra,
    )


@dataclass
class World:
    province: Unit
    province_party_office: Unit
    city: Unit
    city_party_office: Unit
    city_gov_office: Unit
    county: Unit  # 安平县
    county_party_office: Unit
    county_gov_office: Unit
    county_dept: Unit  # 安平县教育局
    township: Unit  # 城关镇
    township2: Unit  # 白沙镇
    other_county: Unit  # 石桥县
    other_party_office: Unit
    other_township: Unit
    extra: dict = field(default_factory=dict)


def build_world() -> World:
    P, C, X, T = Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP
    R = UnitKind.REGION
    province = make_unit(parent=None, name="明江省", level=P, kind=R, code="MJ")
    ppo = make_unit(
        parent=province, name="中共明江省委办公厅", level=P, kind=UnitKind.PARTY_OFFICE, receiving=True
    )
    city = make_unit(parent=province, name="江州市", level=C, kind=R)
    cpo = make_unit(
        parent=city, name="中共江州市委办公室", level=C, kind=UnitKind.PARTY_OFFICE, receiving=True
    )
    cgo = make_unit(
        parent=city, name="江州市人民政府办公室", level=C, kind=UnitKind.GOV_OFFICE, receiving=True
    )
    county = make_unit(parent=city, name="安平县", level=X, kind=R)
    xpo = make_unit(
        parent=county, name="中共安平县委办公室", level=X, kind=UnitKind.PARTY_OFFICE, receiving=True
    )
    xgo = make_unit(
        parent=county, name="安平县人民政府办公室", level=X, kind=UnitKind.GOV_OFFICE, receiving=True
    )
    dept = make_unit(parent=county, name="安平县教育局", level=X, kind=UnitKind.DEPARTMENT)
    town = make_unit(parent=county, name="安平县城关镇", short_name="城关镇", level=T, kind=UnitKind.TOWNSHIP)
    town2 = make_unit(
        parent=county, name="安平县白沙镇", short_name="白沙镇", level=T, kind=UnitKind.TOWNSHIP
    )
    other = make_unit(parent=city, name="石桥县", level=X, kind=R)
    opo = make_unit(
        parent=other, name="中共石桥县委办公室", level=X, kind=UnitKind.PARTY_OFFICE, receiving=True
    )
    otown = make_unit(parent=other, name="石桥县龙潭镇", short_name="龙潭镇", level=T, kind=UnitKind.TOWNSHIP)
    return World(province, ppo, city, cpo, cgo, county, xpo, xgo, dept, town, town2, other, opo, otown)
