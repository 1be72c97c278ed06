"""Reads of rule sets, ledgers and scores — the one place that decides who may see which (PRODUCT 3.5, 4).

An assessing office is a receiving office (党委办/政府办); it scores the units of its region. Its editors,
leaders and duty officers see its rankings, rules and ledger, and so do the offices above it (a city office looks
at its counties' assessments). A unit's own people see that unit's score and its entries, nothing of other units.
Anyone else — another county's editor — gets 404, exactly as for something that does not exist.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from xinbao.accounts.models import ADMIN_ROLES, OFFICE_ROLES, Role
from xinbao.common.errors import NotFound
from xinbao.orgs.models import Unit, UnitKind
from xinbao.orgs.selectors import scope_root, unit_region
from xinbao.scoring.models import LedgerBuild, LedgerEntry, RuleSet

if TYPE_CHECKING:
    from xinbao.accounts.models import User
    from xinbao.scoring.periods import Period

RULE_EDITOR_ROLES = (Role.EDITOR, Role.LEADER)


def office_scope(office: Unit) -> Unit:
    """The region an office assesses: its own region (县委办 → 安平县)."""
    return unit_region(office)


def _oversees(user: User, office: Unit) -> bool:
    root = scope_root(user)
    if root is None or not office.path.startswith(root.path):
        return False
    if user.has_role(*ADMIN_ROLES):
        return True
    return bool(user.unit is not None and user.unit.is_receiving_office and user.has_role(*OFFICE_ROLES))


def can_view_office(user: User, office: Unit) -> bool:
    return bool(user.is_authenticated and office.is_receiving_office and _oversees(user, office))


def can_edit_rules(user: User, office: Unit) -> bool:
    """Only the office's own editors and leaders change its rules (not an office above: the rules are its own)."""
    return bool(user.is_authenticated and user.unit_id == office.pk and user.has_role(*RULE_EDITOR_ROLES))


def can_view_unit_score(user: User, office: Unit, unit: Unit) -> bool:
    if not unit.path.startswith(office_scope(office).path):
        return False
    return can_view_office(user, office) or (user.is_authenticated and user.unit_id == unit.pk)


def offices_visible_to(*, user: User) -> QuerySet[Unit]:
    """Assessing offices the user may look at: those they oversee, or those whose assessment covers their unit."""
    if not user.is_authenticated or user.unit is None:
        return Unit.objects.none()
    root = scope_root(user)
    assert root is not None
    mine = Unit.objects.filter(is_receiving_office=True, is_active=True)
    if user.has_role(*ADMIN_ROLES) or (user.unit.is_receiving_office and user.has_role(*OFFICE_ROLES)):
        return mine.filter(path__startswith=root.path).order_by("path")
    chain = [*root.ancestor_ids, root.pk]
    return mine.filter(parent_id__in=chain).order_by("path")


def office_get_visible(*, user: User, pk: int | str) -> Unit:
    """An office whose rankings the user may open (an office's own members see only their own unit's score)."""
    try:
        office = Unit.objects.get(pk=int(pk), is_receiving_office=True)
    except (Unit.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(_("考核单位不存在或无权查看")) from exc
    if not (can_view_office(user, office) or offices_visible_to(user=user).filter(pk=office.pk).exists()):
        raise NotFound(_("考核单位不存在或无权查看"))
    return office


def default_office_for(user: User) -> Unit | None:
    offices = offices_visible_to(user=user)
    if user.unit is not None and user.unit.is_receiving_office and offices.filter(pk=user.unit.pk).exists():
        return user.unit
    # The nearest assessing office above a unit is the last one on the path (the deepest).
    found = list(offices)
    found.sort(key=lambda u: (-u.depth, u.kind != UnitKind.PARTY_OFFICE, u.sort_order, u.code))
    return found[0] if found else None


def assessing_office_of(unit: Unit) -> Unit | None:
    """The office that assesses a region (party office first): used when a region code is given for an office."""
    region = unit_region(unit)
    offices = Unit.objects.filter(parent=region, is_receiving_office=True, is_active=True)
    return min(offices, key=lambda u: (u.kind != UnitKind.PARTY_OFFICE, u.sort_order, u.code), default=None)


# --- Rule sets -----------------------------------------------------------------------------------------------------


def ruleset_current(*, office: Unit, year: int) -> RuleSet | None:
    return RuleSet.objects.filter(office=office, year=year).order_by("-version").first()


def ruleset_versions(*, user: User, office: Unit, year: int) -> QuerySet[RuleSet]:
    if not can_view_office(user, office):
        raise NotFound(_("考核单位不存在或无权查看"))
    return RuleSet.objects.filter(office=office, year=year).select_related("created_by").order_by("-version")


def ruleset_get_visible(*, user: User, pk: int) -> RuleSet:
    rule_set = RuleSet.objects.select_related("office").filter(pk=pk).first()
    if rule_set is None or not can_view_office(user, rule_set.office):
        raise NotFound(_("计分规则不存在或无权查看"))
    return rule_set


# --- Ledger --------------------------------------------------------------------------------------------------------


def current_builds(*, office: Unit, years: list[int]) -> QuerySet[LedgerBuild]:
    return LedgerBuild.objects.filter(office=office, year__in=years, is_current=True)


def ledger_entries(*, office: Unit, period: Period) -> QuerySet[LedgerEntry]:
    """Entries of the office's current ledgers within the period (no permission check: callers check first)."""
    builds = current_builds(office=office, years=period.years).values("pk")
    return LedgerEntry.objects.filter(
        build__in=builds, event_date__gte=period.start, event_date__lte=period.end
    )


def ledger_for_unit(
    *, user: User, office: Unit, unit: Unit, period: Period, subtree: bool = False
) -> QuerySet[LedgerEntry]:
    """A unit's entries (with ``subtree``, its whole subtree's) — the drill-down behind a total."""
    if not can_view_unit_score(user, office, unit):
        raise NotFound(_("单位不存在或无权查看"))
    qs = ledger_entries(office=office, period=period)
    qs = qs.filter(unit__path__startswith=unit.path) if subtree else qs.filter(unit=unit)
    return qs.select_related("unit", "person").order_by("event_date", "seq")


def ledger_for_person(*, office: Unit, person_id: int, period: Period) -> QuerySet[LedgerEntry]:
    return (
        ledger_entries(office=office, period=period).filter(person_id=person_id).order_by("event_date", "seq")
    )


def source_links(entries: list[LedgerEntry]) -> dict[int, str]:
    """Links from entries to the pages behind them, one query per source type, through the resolvers each
    capability registers with its events (``events.register_links``)."""
    from xinbao.scoring.events import registry

    by_type: dict[str, list[int]] = {}
    for entry in entries:
        by_type.setdefault(entry.source_type, []).append(entry.source_id)
    urls: dict[tuple[str, int], str] = {}
    for source_type, ids in by_type.items():
        resolver = registry.resolver(source_type)
        if resolver is not None:
            urls.update({(source_type, pk): url for pk, url in resolver(sorted(set(ids))).items()})
    return {e.pk: urls[(e.source_type, e.source_id)] for e in entries if (e.source_type, e.source_id) in urls}


def ledger_units_visible(*, user: User, office: Unit) -> QuerySet[Unit]:
    scope = office_scope(office)
    qs = Unit.objects.filter(path__startswith=scope.path)
    if can_view_office(user, office):
        return qs
    return qs.filter(Q(pk=user.unit_id))


def entry_period_bounds(entries: QuerySet[LedgerEntry]) -> tuple[date | None, date | None]:
    first = entries.order_by("event_date").values_list("event_date", flat=True).first()
    last = entries.order_by("-event_date").values_list("event_date", flat=True).first()
    return first, last
