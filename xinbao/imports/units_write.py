"""Writing checked unit rows in bulk: ids first (parents may be rows of the same file), then parents, materialised
paths ("/1/5/23/", parents before children) and 直报 targets. Runs inside the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from xinbao.imports.cells import fetch_in_chunks
from xinbao.imports.units import WRITE_FIELDS, UnitPlan, UnitRow
from xinbao.orgs.models import DirectReportingTarget, Unit


@dataclass
class UnitResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    moved: int = 0
    targets_set: int = 0


def write_units(*, plan: UnitPlan, note: str) -> UnitResult:
    """Write the good rows. Runs inside the caller's transaction: all of them or none."""
    rows = plan.good
    result = UnitResult()
    now = timezone.now()
    new_units = [
        Unit(code=r.code, path="", depth=0, **{k: r.values[k] for k in WRITE_FIELDS})
        for r in rows
        if r.existing is None
    ]
    # Parents may be rows of this file, so ids come first (RETURNING on both databases) and parents second.
    Unit.objects.bulk_create(new_units, batch_size=500)
    ids = {u.code: u.pk for u in plan.db.values()} | {u.code: u.pk for u in new_units}
    written = {u.code: u for u in new_units}
    edited: set[int] = set()
    moved_roots: list[Unit] = []
    old_paths: dict[int, str] = {}
    for row in rows:
        parent_id = ids[row.final_parent] if row.final_parent else None
        if row.existing is None:
            written[row.code].parent_id = parent_id
            continue
        unit = row.existing
        old_paths[unit.pk] = unit.path
        if unit.parent_id != parent_id:
            moved_roots.append(Unit(pk=unit.pk, path=unit.path))
            result.moved += 1
        if any(getattr(unit, k) != row.values[k] for k in WRITE_FIELDS) or unit.parent_id != parent_id:
            for key in WRITE_FIELDS:
                setattr(unit, key, row.values[key])
            unit.parent_id = parent_id
            unit.updated_at = now
            edited.add(unit.pk)
            result.updated += 1
        else:
            result.unchanged += 1
        written[row.code] = unit
    descendants = _descendants_of(moved_roots, exclude=set(written))
    old_paths |= {u.pk: u.path for u in descendants}
    _compute_paths(list(written.values()) + descendants, plan)
    existing = [u for u in written.values() if u.pk in old_paths]
    Unit.objects.bulk_update(new_units, ["parent", "path", "depth"], batch_size=500)
    Unit.objects.bulk_update(
        [u for u in existing if u.pk in edited],
        ["parent", "path", "depth", "updated_at", *WRITE_FIELDS],
        batch_size=500,
    )
    # Units the file did not change but whose ancestors moved: only their paths change.
    repathed = [u for u in existing + descendants if u.pk not in edited and u.path != old_paths[u.pk]]
    Unit.objects.bulk_update(repathed, ["path", "depth"], batch_size=500)
    result.created = len(new_units)
    result.targets_set = _write_targets(rows, ids, note)
    return result


def _descendants_of(roots: list[Unit], exclude: set[str]) -> list[Unit]:
    if not roots:
        return []
    query = Q()
    for root in roots:
        query |= Q(path__startswith=root.path)
    root_ids = {r.pk for r in roots}
    return [u for u in Unit.objects.filter(query) if u.pk not in root_ids and u.code not in exclude]


def _compute_paths(units: list[Unit], plan: UnitPlan) -> None:
    """Materialised paths "/1/5/23/" for every written unit, parents before children, from final parent ids."""
    by_id = {u.pk: u for u in units}
    known = {u.pk: u.path for u in plan.db.values() if u.pk not in by_id}
    memo: dict[int, str] = {}

    def path_of(pk: int) -> str:
        if pk in memo:
            return memo[pk]
        unit = by_id.get(pk)
        if unit is None:
            if pk not in known:
                known[pk] = Unit.objects.values_list("path", flat=True).get(pk=pk)
            return known[pk]
        memo[pk] = (path_of(unit.parent_id) if unit.parent_id else "/") + f"{pk}/"
        return memo[pk]

    for unit in units:
        unit.path = path_of(unit.pk)
        unit.depth = unit.path.count("/") - 2


def _write_targets(rows: list[UnitRow], ids: dict[str, int], note: str) -> int:
    wanted = {ids[r.code]: {ids[t] for t in r.targets} for r in rows if r.targets is not None}
    if not wanted:
        return 0
    current: dict[int, set[int]] = {}
    for link in fetch_in_chunks(DirectReportingTarget.objects.all(), "unit_id", wanted):
        current.setdefault(link.unit_id, set()).add(link.office_id)
    stale = Q()
    new_links = []
    today = timezone.localdate()
    for unit_id, offices in wanted.items():
        have = current.get(unit_id, set())
        if have - offices:
            stale |= Q(unit_id=unit_id, office_id__in=have - offices)
        new_links += [
            DirectReportingTarget(unit_id=unit_id, office_id=o, since=today, note=note)
            for o in offices - have
        ]
    if stale:
        DirectReportingTarget.objects.filter(stale).delete()
    DirectReportingTarget.objects.bulk_create(new_links, batch_size=500)
    return sum(1 for unit_id, offices in wanted.items() if offices != current.get(unit_id, set()))
