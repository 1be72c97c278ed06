"""Who writes and who edits in the seeded province, read from the database the earlier steps filled."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

from xinbao.accounts.models import Role, RoleAssignment, User
from xinbao.orgs.models import Level, Unit, UnitKind
from xinbao.reports.demo_seed.compose import Place
from xinbao.reports.demo_seed.topics import DEPARTMENT_TOPICS, TOPICS

REPORTING_KINDS = (UnitKind.TOWNSHIP, UnitKind.DEPARTMENT, UnitKind.AFFILIATED)


@dataclass
class Reporter:
    unit: Unit
    place: Place
    topics: tuple[str, ...]
    informants: list[User]
    signers: list[User]
    weight: float


def load_reporters(
    rng: random.Random, anchor_unit_ids: set[int]
) -> tuple[list[Reporter], dict[int, list[User]]]:
    """Who writes (units with an informant and a signer) and who edits (offices with editors)."""
    # By code, not by path: the materialised path is built from ids, which differ between databases and runs (a
    # PostgreSQL sequence is not rolled back), and the same seed must give the same province everywhere.
    units = {u.pk: u for u in Unit.objects.filter(is_active=True).order_by("code")}
    people = {u.pk: u for u in User.objects.filter(is_active=True, unit__isnull=False).order_by("pk")}
    roles: dict[int, set[str]] = defaultdict(set)
    for user_id, role in RoleAssignment.objects.filter(user_id__in=people).values_list("user_id", "role"):
        roles[user_id].add(role)
    by_unit: dict[tuple[int, str], list[User]] = defaultdict(list)
    for user in people.values():
        for role in sorted(roles[user.pk]):
            by_unit[(user.unit_id, role)].append(user)  # type: ignore[index]
    editors = {
        uid: by_unit[(uid, Role.EDITOR)]
        for uid, u in units.items()
        if u.is_receiving_office and by_unit[(uid, Role.EDITOR)]
    }
    townships_of: dict[int, list[Unit]] = defaultdict(list)
    for u in units.values():
        if u.kind == UnitKind.TOWNSHIP and u.parent_id:
            townships_of[u.parent_id].append(u)
    reporters: list[Reporter] = []
    for u in units.values():
        if u.kind not in REPORTING_KINDS or u.level not in (Level.COUNTY, Level.TOWNSHIP):
            continue
        county = units.get(u.parent_id or 0)
        informants, signers = by_unit[(u.pk, Role.INFORMANT)], by_unit[(u.pk, Role.SIGNER)]
        if county is None or not informants or not signers or not townships_of[county.pk]:
            continue
        if u.kind == UnitKind.TOWNSHIP:
            name, loc, topics = u.short_name or u.name, u.short_name or u.name, tuple(TOPICS)
        else:
            suffix = u.code.rsplit("-", 1)[-1]  # the catalogue number: "MJ-JZ-AP-106" is 教育局
            number = int(suffix) if "-" in u.code and suffix.isdigit() else 0
            name = u.name.removeprefix("中共")
            loc = rng.choice(townships_of[county.pk]).short_name or county.name
            topics = DEPARTMENT_TOPICS.get(number) or ("business", "investment", "party")
        weight = 6.0 if u.pk in anchor_unit_ids else rng.choice([0.3, 0.6, 1, 1, 1.5, 2, 3])
        reporters.append(Reporter(u, Place(name, county.name, loc), topics, informants, signers, weight))
    return reporters, editors
