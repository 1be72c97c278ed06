"""Reads of units, people and informant records — the one place that decides who may see which of them.

Scope: a person works within the region (行政区) that holds their unit: a township informant or a county
department's staff within their county, a county office within its county, a province office within the province.
They see that region's subtree, the chain of regions above it and those regions' receiving offices (where their
items go), and nothing of a sibling county. People and informant records are narrower: office staff and
administrators see their region's people, everyone else only their own unit's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xinbao.accounts.models import ADMIN_ROLES, OFFICE_ROLES, Role
from xinbao.common.errors import NotFound
from xinbao.orgs.models import (
    DirectReportingTarget,
    InformantChange,
    InformantKind,
    InformantRecord,
    Unit,
    UnitKind,
)

if TYPE_CHECKING:
    from xinbao.accounts.models import User


def unit_region(unit: Unit) -> Unit:
    """The nearest region at or above ``unit`` (a unit outside any region is its own scope)."""
    if unit.kind == UnitKind.REGION:
        return unit
    ids = unit.ancestor_ids
    if not ids:
        return unit
    regions = {u.pk: u for u in Unit.objects.filter(pk__in=ids, kind=UnitKind.REGION)}
    for pk in reversed(ids):
        if pk in regions:
            return regions[pk]
    return unit


def scope_root(user: User) -> Unit | None:
    if not user.is_authenticated or user.unit is None:
        return None
    cached = getattr(user, "_scope_root", None)
    if cached is None:
        cached = unit_region(user.unit)
        user._scope_root = cached  # type: ignore[attr-defined]
    return cached


def has_region_wide_view(user: User) -> bool:
    """Administrators and a receiving office's editors, duty officers and leaders look at their whole region."""
    if user.has_role(*ADMIN_ROLES):
        return True
    return bool(user.unit is not None and user.unit.is_receiving_office and user.has_role(*OFFICE_ROLES))


def in_scope(user: User, unit: Unit) -> bool:
    root = scope_root(user)
    return root is not None and unit.path.startswith(root.path)


# --- Units ------------------------------------------------------------------------------------------------------


def unit_list_visible_to(*, user: User, filters: dict[str, Any] | None = None) -> QuerySet[Unit]:
    root = scope_root(user)
    if root is None:
        return Unit.objects.none()
    above = root.ancestor_ids
    qs = Unit.objects.filter(
        Q(path__startswith=root.path) | Q(pk__in=above) | Q(parent_id__in=above, is_receiving_office=True)
    )
    filters = filters or {}
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(Q(name__contains=q) | Q(short_name__contains=q) | Q(code__startswith=q))
    if level := filters.get("level"):
        qs = qs.filter(level=level)
    if kind := filters.get("kind"):
        qs = qs.filter(kind=kind)
    if (parent := filters.get("parent")) not in (None, ""):
        qs = qs.filter(parent_id=parent)
    if filters.get("receiving_office") is not None:
        qs = qs.filter(is_receiving_office=bool(filters["receiving_office"]))
    if filters.get("active") is not None:
        qs = qs.filter(is_active=bool(filters["active"]))
    return qs.select_related("parent").order_by("path")


def unit_get_visible(*, user: User, pk: int | str) -> Unit:
    try:
        return unit_list_visible_to(user=user).get(pk=pk)
    except (Unit.DoesNotExist, ValueError) as exc:
        raise NotFound(_("单位不存在或无权查看")) from exc


def unit_children_visible(*, user: User, unit: Unit) -> QuerySet[Unit]:
    return unit_tree_annotate(unit_list_visible_to(user=user).filter(parent=unit)).order_by(
        "sort_order", "code"
    )


def unit_tree_annotate(qs: QuerySet[Unit]) -> QuerySet[Unit]:
    """What a tree node shows without a query per node: whether it can be expanded and whether it is a 直报点."""
    return qs.annotate(
        has_children=Exists(Unit.objects.filter(parent=OuterRef("pk"))),
        is_direct_point=Exists(DirectReportingTarget.objects.filter(unit=OuterRef("pk"))),
    )


def unit_breadcrumb(unit: Unit) -> list[Unit]:
    ids = unit.ancestor_ids
    by_id = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
    return [by_id[i] for i in ids if i in by_id] + [unit]


def unit_breadcrumbs(units: list[Unit]) -> dict[int, list[Unit]]:
    """Breadcrumbs of many units (search results) with one query for all their ancestors."""
    ids = {i for u in units for i in u.ancestor_ids}
    by_id = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
    return {u.pk: [by_id[i] for i in u.ancestor_ids if i in by_id] for u in units}


def _main_channel_region(unit: Unit) -> Unit | None:
    """The region whose receiving offices take ``unit``'s items first (None at the top of the tree)."""
    own_region = unit_region(unit)
    if unit.is_receiving_office or unit.kind == UnitKind.REGION:
        if own_region.parent is None:
            return None
        return unit_region(own_region.parent)
    return own_region


def unit_report_targets(unit: Unit) -> dict[str, list[Unit]]:
    """主渠道 rule (PRODUCT 2): a unit reports to its own level's receiving offices; a receiving office (or a region)
    reports to the next region up. A 直报点 may also report to its named higher offices; its main-channel offices are
    then copied (抄送) so the main channel never goes blind."""
    region = _main_channel_region(unit)
    if region is None:
        main: list[Unit] = []
    else:
        main = list(
            Unit.objects.filter(parent=region, is_receiving_office=True, is_active=True)
            .exclude(pk=unit.pk)
            .exclude(kind=UnitKind.SYSTEM_OFFICE)
            .order_by("sort_order", "code")
        )
    direct = list(unit.direct_targets.filter(is_active=True).order_by("path"))
    direct_ids = {o.pk for o in direct}
    # An office that is both a main-channel and a direct target gets the item once, not once more as a copy.
    copy = [o for o in main if o.pk not in direct_ids] if direct else []
    return {"main": main, "direct": direct, "copy": copy}


def direct_target_candidates(unit: Unit) -> QuerySet[Unit]:
    """Offices a 直报点 may name: active receiving offices of the regions *above* its main channel, i.e. on the
    unit's own chain upward (a township may report straight to its city's or province's office, never to the
    county office it already reports to, nor to another city's)."""
    region = _main_channel_region(unit)
    if unit.kind == UnitKind.REGION or region is None:
        return Unit.objects.none()
    return Unit.objects.filter(
        parent_id__in=region.ancestor_ids, is_receiving_office=True, is_active=True
    ).order_by("path")


# --- Informant registry -----------------------------------------------------------------------------------------


def informant_list_visible_to(
    *, user: User, filters: dict[str, Any] | None = None
) -> QuerySet[InformantRecord]:
    root = scope_root(user)
    if root is None:
        return InformantRecord.objects.none()
    if has_region_wide_view(user):
        qs = InformantRecord.objects.filter(unit__path__startswith=root.path)
    else:
        qs = InformantRecord.objects.filter(unit=user.unit)
    filters = filters or {}
    if unit := filters.get("unit"):
        qs = qs.filter(unit_id=unit)
    if filters.get("current") is not None:
        qs = qs.filter(end_date__isnull=bool(filters["current"]))
    if kind := filters.get("kind"):
        qs = qs.filter(kind=kind)
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(Q(person__full_name__contains=q) | Q(unit__name__contains=q))
    return qs.select_related("unit", "person", "filed_by").order_by("unit__path", "-start_date", "-id")


def informant_get_visible(*, user: User, pk: int | str) -> InformantRecord:
    try:
        return informant_list_visible_to(user=user).get(pk=pk)
    except (InformantRecord.DoesNotExist, ValueError) as exc:
        raise NotFound(_("备案记录不存在或无权查看")) from exc


def informant_changes_for_unit(*, user: User, unit: Unit) -> QuerySet[InformantChange]:
    """The filed history of a unit's registry, newest first, limited to records the user may see."""
    records = informant_list_visible_to(user=user, filters={"unit": unit.pk})
    return (
        InformantChange.objects.filter(record__in=records)
        .select_related("record__person", "filed_by")
        .order_by("-effective_date", "-created_at", "-id")
    )


def informant_candidates(unit: Unit) -> QuerySet[User]:
    """People who may be registered for ``unit``: its active members without an open registration there."""
    from xinbao.accounts.models import User

    open_here = InformantRecord.objects.filter(unit=unit, person=OuterRef("pk"), end_date__isnull=True)
    return User.objects.filter(unit=unit, is_active=True).filter(~Exists(open_here)).order_by("username")


REPORTING_KINDS = [k for k in UnitKind.values if k != UnitKind.REGION]


@dataclass(frozen=True)
class UnitWithoutInformant:
    unit: Unit
    status: str  # "never" | "lapsed"
    lapsed_since: date | None
    last_person: str


def unit_list_without_informant(*, user: User) -> QuerySet[Unit]:
    """Active reporting units in the user's view with no current 专职信息员 (PRODUCT 2: at least one each).

    Only the user's own region counts: the offices above it are visible (items go there) but are not the
    user's to staff. Someone without a region-wide view answers for their own unit only.
    """
    root, own_unit = scope_root(user), user.unit
    if root is None or own_unit is None:
        return Unit.objects.none()
    today = timezone.localdate()
    current_ft = InformantRecord.objects.filter(
        unit=OuterRef("pk"),
        kind=InformantKind.FULL_TIME,
        end_date__isnull=True,
        start_date__lte=today,
        person__is_active=True,
        person__unit=OuterRef("pk"),
    )
    units = Unit.objects.filter(path__startswith=root.path, is_active=True, kind__in=REPORTING_KINDS).filter(
        ~Exists(current_ft)
    )
    if not has_region_wide_view(user):
        units = units.filter(pk=own_unit.pk)
    return units.order_by("path")


def informant_gaps(units: list[Unit]) -> list[UnitWithoutInformant]:
    """Why each of ``units`` (from unit_list_without_informant) lacks a 专职信息员: never registered, or lapsed
    since the latest full-time registration ended (or its person was deactivated or moved away)."""
    last: dict[int, InformantRecord] = {}
    for rec in (
        InformantRecord.objects.filter(unit__in=[u.pk for u in units], kind=InformantKind.FULL_TIME)
        .select_related("person")
        .order_by("unit_id", "start_date", "id")
    ):
        previous = last.get(rec.unit_id)
        # The registration that lapsed last is the one that explains the gap.
        if previous is None or _lapse_date(rec) >= _lapse_date(previous):
            last[rec.unit_id] = rec
    result = []
    for unit in units:
        latest = last.get(unit.pk)
        if latest is None:
            result.append(UnitWithoutInformant(unit, "never", None, ""))
        else:
            result.append(UnitWithoutInformant(unit, "lapsed", _lapse_date(latest), latest.person.full_name))
    return result


def _lapse_date(rec: InformantRecord) -> date:
    if rec.end_date is not None:
        return rec.end_date
    # Still open, yet the person no longer counts (deactivated or moved): the account's last change dates it.
    return timezone.localdate(rec.person.updated_at)


def units_without_informant(*, user: User) -> list[UnitWithoutInformant]:
    return informant_gaps(list(unit_list_without_informant(user=user)))


def units_without_informant_count(*, user: User) -> int:
    return unit_list_without_informant(user=user).count()


# --- Permission decisions for writes ----------------------------------------------------------------------------


def can_manage_unit(user: User, unit: Unit) -> bool:
    return user.has_role(Role.SYSTEM_ADMIN) and in_scope(user, unit)


def can_manage_person(user: User, person_unit: Unit) -> bool:
    if user.has_role(Role.SYSTEM_ADMIN) and in_scope(user, person_unit):
        return True
    return user.has_role(Role.UNIT_ADMIN) and user.unit_id == person_unit.pk


def can_manage_informants(user: User, unit: Unit) -> bool:
    return can_manage_person(user, unit)


REGISTRY_ROLES = frozenset({Role.UNIT_ADMIN, Role.SYSTEM_ADMIN, *OFFICE_ROLES})


def can_view_registry(user: User, unit: Unit | None = None) -> bool:
    """The registry pages (who is registered, the filed history with its reasons) are for the people who keep or
    check it: unit admins for their unit, system admins and receiving-office staff for their region."""
    if not user.has_role(*REGISTRY_ROLES):
        return False
    if unit is None:
        return True
    if has_region_wide_view(user):
        return in_scope(user, unit)
    return user.unit_id == unit.pk


def can_read_audit(user: User) -> bool:
    return user.has_role(Role.AUDIT_ADMIN)
