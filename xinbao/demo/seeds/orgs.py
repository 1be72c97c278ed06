"""Seed step 1: the organisation tree of 明江省 — regions, receiving offices, departments, townships, 直报点.

Codes follow one scheme: the region's pinyin initials joined by "-" ("MJ", "MJ-JZ", "MJ-JZ-AP"), and for a unit
inside a region a three-digit suffix from the catalogue (see catalog.py): "MJ-JZ-AP-001" 中共安平县委办公室,
"MJ-JZ-AP-106" 安平县教育局, "MJ-JZ-AP-201" 安平县城关镇.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext
from pypinyin import Style, lazy_pinyin

from xinbao.demo import catalog
from xinbao.demo.names import CITY_NAMES, DISTRICT_NAMES, RURAL_NAMES, STREET_NAMES, NameBook
from xinbao.demo.registry import SeedContext, register
from xinbao.orgs.models import DirectReportingTarget, Level, Unit, UnitKind
from xinbao.orgs.services import unit_check_fields, unit_check_parent

PROVINCE, CITY, COUNTY, TOWNSHIP = Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP


@dataclass
class UnitInfo:
    """What the people step needs to know about a unit beyond its row."""

    region: Unit
    word: str  # 省 / 市 / 县 / 区: how the unit's own level is spoken of ("县委办", "区教育局")
    role: str  # party_office / gov_office / system_office / department / township / affiliated / region


def initials(name: str) -> str:
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).upper()


class OrgPlan:
    def __init__(self, rng: random.Random, scale: catalog.Scale) -> None:
        self.rng = rng
        self.scale = scale
        self.names = NameBook(rng)
        self.units: list[Unit] = []
        self.by_code: dict[str, Unit] = {}
        self.info: dict[str, UnitInfo] = {}
        self.anchors: dict[str, Unit] = {}
        self.counties: list[Unit] = []
        self.direct: list[tuple[Unit, list[Unit]]] = []
        self._child_codes: dict[str, set[str]] = {}
        self._taken_regions = {"明江", "江州", "安平", "石桥"}
        self._area_codes: dict[str, str] = {}

    # --- building blocks -----------------------------------------------------------------------------------------

    def add(
        self,
        *,
        parent: Unit | None,
        code: str,
        name: str,
        short: str,
        level: str,
        kind: str,
        word: str,
        role: str,
        sort: int,
        receiving: bool = False,
        phone: str = "",
    ) -> Unit:
        unit = Unit(
            code=code,
            name=name,
            short_name=short,
            level=level,
            kind=kind,
            parent=parent,
            is_receiving_office=receiving,
            sort_order=sort,
            phone=phone,
        )
        self.units.append(unit)
        self.by_code[code] = unit
        region = unit if kind == UnitKind.REGION else parent
        assert region is not None
        self.info[code] = UnitInfo(region=region, word=word, role=role)
        return unit

    def region_code(self, parent: Unit | None, name: str) -> str:
        base = initials(name)
        siblings = self._child_codes.setdefault(parent.code if parent else "", set())
        code, n = base, 1
        while code in siblings:
            n += 1
            code = f"{base}{n}"
        siblings.add(code)
        return f"{parent.code}-{code}" if parent else code

    def phone(self, region: Unit) -> str:
        city_code = "-".join(region.code.split("-")[:2])
        area = self._area_codes.setdefault(city_code, f"07{len(self._area_codes) + 10:02d}")
        return f"{area}-{self.rng.randint(2000000, 8999999)}"

    def region(self, parent: Unit | None, name: str, level: str, word: str, sort: int) -> Unit:
        full = name + word
        return self.add(
            parent=parent,
            code=self.region_code(parent, name),
            name=full,
            short="",
            level=level,
            kind=UnitKind.REGION,
            word=word,
            role="region",
            sort=sort,
        )

    def offices(self, region: Unit, level: str, word: str) -> tuple[Unit, Unit]:
        hall = "办公厅" if level == PROVINCE else "办公室"
        party = self.add(
            parent=region,
            code=f"{region.code}-001",
            name=f"中共{region.name}委{hall}",
            short=f"{word}委{hall[:2] if level == PROVINCE else '办'}",
            level=level,
            kind=UnitKind.PARTY_OFFICE,
            word=word,
            role="party_office",
            sort=1,
            receiving=True,
            phone=self.phone(region),
        )
        gov = self.add(
            parent=region,
            code=f"{region.code}-002",
            name=f"{region.name}人民政府{hall}",
            short=f"{word}政府{hall[:2] if level == PROVINCE else '办'}",
            level=level,
            kind=UnitKind.GOV_OFFICE,
            word=word,
            role="gov_office",
            sort=2,
            receiving=True,
            phone=self.phone(region),
        )
        if level == PROVINCE:
            party.short_name, gov.short_name = "省委办公厅", "省政府办公厅"
        return party, gov

    def departments(self, region: Unit, level: str, word: str, count: int) -> list[Unit]:
        core = catalog.DEPARTMENTS[: catalog.CORE_DEPARTMENTS]
        rest = catalog.DEPARTMENTS[catalog.CORE_DEPARTMENTS :]
        extra = self.rng.sample(rest, max(0, min(len(rest), count - len(core))))
        chosen = sorted(core + extra, key=lambda d: d.number)
        made = []
        for dept in chosen:
            dept_name = catalog.department_name(dept, level)
            name = f"中共{region.name}{dept_name}" if dept.party else f"{region.name}{dept_name}"
            system_office = dept.number == catalog.ORGANISATION_DEPARTMENT and level in (PROVINCE, CITY)
            made.append(
                self.add(
                    parent=region,
                    code=f"{region.code}-{dept.number}",
                    name=name,
                    short=f"{word}{dept_name}",
                    level=level,
                    kind=UnitKind.SYSTEM_OFFICE if system_office else UnitKind.DEPARTMENT,
                    word=word,
                    role="system_office" if system_office else "department",
                    sort=dept.number,
                    receiving=system_office,
                    phone=self.phone(region),
                )
            )
        return made

    def affiliated(self, county: Unit, word: str) -> list[Unit]:
        # Every county has its 融媒体中心 (county media centres are among the most active reporters); some more.
        chosen = [catalog.AFFILIATED[0]] + [a for a in catalog.AFFILIATED[1:] if self.rng.random() < 0.25]
        return [
            self.add(
                parent=county,
                code=f"{county.code}-{number}",
                name=f"中共{county.name}{label}" if party else f"{county.name}{label}",
                short=f"{word}{label}",
                level=COUNTY,
                kind=UnitKind.AFFILIATED,
                word=word,
                role="affiliated",
                sort=number,
                phone=self.phone(county),
            )
            for number, label, party in chosen
        ]

    def townships(self, county: Unit, word: str, count: int, seat: bool) -> list[Unit]:
        taken: set[str] = set()
        shorts: list[str] = []
        if seat:
            shorts.append("城关镇")
            taken.add("城关")
        streets = self.rng.choice([0, 0, 1]) if seat else self.rng.choice([0, 1, 2, 2, 3])
        if word == "区":
            streets = max(streets, round(count * self.rng.uniform(0.6, 0.8)))
        streets = min(streets, count - len(shorts))
        shorts += [n + "街道" for n in self.names.pick_distinct(STREET_NAMES, streets, taken)]
        rural = count - len(shorts)
        for n in self.names.pick_distinct(RURAL_NAMES, rural, taken):
            shorts.append(n + ("乡" if word == "县" and self.rng.random() < 0.3 else "镇"))
        return [
            self.add(
                parent=county,
                code=f"{county.code}-{201 + i}",
                name=f"{county.name}{short}",
                short=short,
                level=TOWNSHIP,
                kind=UnitKind.TOWNSHIP,
                word=short[-2:] if short.endswith("街道") else short[-1],
                role="township",
                sort=201 + i,
                phone=self.phone(county),
            )
            for i, short in enumerate(shorts)
        ]

    # --- the province --------------------------------------------------------------------------------------------

    def build(self) -> None:
        s = self.scale
        province = self.region(None, "明江", PROVINCE, "省", 0)
        self.anchors["province"] = province
        p_party, p_gov = self.offices(province, PROVINCE, "省")
        self.anchors["province_office"], self.anchors["province_gov_office"] = p_party, p_gov
        self.departments(province, PROVINCE, "省", s.province_departments)

        city_names = ["江州", *self.names.pick_distinct(CITY_NAMES, s.cities - 1, self._taken_regions)]
        for ci, city_name in enumerate(city_names):
            city = self.region(province, city_name, CITY, "市", 1000 + ci)
            c_party, c_gov = self.offices(city, CITY, "市")
            self.departments(city, CITY, "市", s.city_departments)
            if ci == 0:
                self.anchors.update(city=city, city_office=c_party, city_gov_office=c_gov)
            n_counties = self.rng.randint(*s.counties_per_city)
            n_districts = min(self.rng.randint(*s.districts_per_city), n_counties - 1)
            districts = self.names.pick_distinct(DISTRICT_NAMES, n_districts, self._taken_regions)
            fixed = ["安平", "石桥"] if ci == 0 else []
            plain = self.names.county_names(n_counties - n_districts - len(fixed), self._taken_regions)
            # Urban districts come first in a city's list, as in official tables; 安平县 stays first in 江州市.
            entries = [(n, "县") for n in fixed] + [(n, "区") for n in districts] + [(n, "县") for n in plain]
            for xi, (name, word) in enumerate(entries):
                county = self.region(city, name, COUNTY, word, 1000 + xi)
                party, gov = self.offices(county, COUNTY, word)
                depts = self.departments(county, COUNTY, word, self.rng.randint(*s.county_departments))
                self.affiliated(county, word)
                self.counties.append(county)
                if name == "安平":
                    self.anchors.update(county=county, county_office=party, county_gov_office=gov)
                    self.anchors["county_department"] = next(d for d in depts if d.code.endswith("-106"))
                elif name == "石桥":
                    self.anchors.update(other_county=county, other_county_office=party)
        self.add_townships()
        self.add_direct_points()

    def add_townships(self) -> None:
        """Spread the townships so the whole tree has the scale's number of units."""
        lo, hi = self.scale.townships_per_county
        counts = [self.rng.randint(lo, hi) for _ in self.counties]
        wanted = self.scale.target_units - len(self.units)
        wanted = max(lo * len(counts), min(hi * len(counts), wanted))
        while sum(counts) != wanted:
            i = self.rng.randrange(len(counts))
            if sum(counts) < wanted and counts[i] < hi:
                counts[i] += 1
            elif sum(counts) > wanted and counts[i] > lo:
                counts[i] -= 1
        for county, count in zip(self.counties, counts, strict=True):
            word = county.name[-1]
            seat = county.code == self.anchors["county"].code or (word == "县" and self.rng.random() < 0.5)
            towns = self.townships(county, word, count, seat)
            if county is self.anchors["county"]:
                self.anchors["township"], self.anchors["township2"] = towns[0], towns[1]
            elif county is self.anchors.get("other_county"):
                self.anchors["other_township"] = towns[0]

    def add_direct_points(self) -> None:
        """信息直报点: a few townships and county departments report straight to their city or province office."""
        a = self.anchors
        self.direct.append((a["township2"], [a["city_office"]]))
        police = self.by_code.get(f"{a['county'].code}-107")
        if police is not None:
            self.direct.append((police, [a["city_office"], a["province_office"]]))
        candidates = [
            u
            for u in self.units
            if u.kind in (UnitKind.TOWNSHIP, UnitKind.DEPARTMENT)
            and u.level in (COUNTY, TOWNSHIP)
            and u.code not in {a["township"].code, a["township2"].code, f"{a['county'].code}-107"}
        ]
        province_office = a["province_office"]
        for unit in self.rng.sample(candidates, max(0, self.scale.direct_points - len(self.direct))):
            city = self.info[unit.code].region.parent
            assert city is not None
            city_office = self.by_code[f"{city.code}-001"]
            targets = [city_office] if self.rng.random() < 0.7 else [city_office, province_office]
            self.direct.append((unit, targets))


def _validate(units: list[Unit]) -> None:
    """The same data rules unit_create enforces, checked before anything is written."""
    codes: set[str] = set()
    for unit in units:
        unit_check_fields(
            code=unit.code,
            name=unit.name,
            level=unit.level,
            kind=unit.kind,
            is_receiving_office=unit.is_receiving_office,
            short_name=unit.short_name,
            phone=unit.phone,
        )
        if unit.parent is not None:
            unit_check_parent(level=unit.level, kind=unit.kind, parent=unit.parent)
        if unit.code in codes:
            raise ValueError(f"duplicate demo unit code {unit.code}")
        codes.add(unit.code)


def write_units(units: list[Unit]) -> None:
    """bulk_create level by level so parents have ids before their children; then the materialised paths."""
    _validate(units)
    by_depth: dict[int, list[Unit]] = {}
    depth_of: dict[int, int] = {}
    for unit in units:
        depth = 0 if unit.parent is None else depth_of[id(unit.parent)] + 1
        depth_of[id(unit)] = depth
        by_depth.setdefault(depth, []).append(unit)
    for depth in sorted(by_depth):
        Unit.objects.bulk_create(by_depth[depth], batch_size=500)
    for depth in sorted(by_depth):
        for unit in by_depth[depth]:
            assert unit.pk is not None, "bulk_create must return ids (SQLite 3.35+ or PostgreSQL)"
            parent_path = unit.parent.path if unit.parent is not None else "/"
            unit.path = f"{parent_path}{unit.pk}/"
            unit.depth = depth
    Unit.objects.bulk_update(
        units, ["path", "depth"], batch_size=500 if connection.vendor == "sqlite" else 2000
    )


@register(10, "orgs")
def seed_orgs(rng: random.Random, context: SeedContext) -> None:
    plan = OrgPlan(rng, context.scale)
    plan.build()
    write_units(plan.units)
    DirectReportingTarget.objects.bulk_create(
        [
            DirectReportingTarget(
                unit=unit,
                office=office,
                since=context.today.replace(month=1, day=1),
                note="经批准设立的信息直报点",
            )
            for unit, offices in plan.direct
            for office in offices
        ]
    )
    context.units.update((u.code, u) for u in plan.units)
    context.anchors.update(plan.anchors)
    context.extra["unit_info"] = plan.info
    context.extra["direct_points"] = [u.code for u, _ in plan.direct]
    context.count("units", len(plan.units))
    context.count("direct_points", len(plan.direct))
    context.log(
        "  "
        + gettext("单位 %(units)d 个（其中信息直报点 %(points)d 个）")
        % {"units": len(plan.units), "points": len(plan.direct)}
    )
