"""The visibility rule of items, written once as a union of "arms" (see ``reports.selectors`` for the rule in words).

Each arm is one way an item can be visible to a person — created it, authored it, named reader, own unit, office
reached — and yields exactly the items that way admits, each arm one indexed lookup. Everything that asks "may this
person see it" is built from the same arms: the set of visible ids (lists, search, exports), the check for one item
(the arms narrowed to its id) and an office's list page (the arms walked in list order, a page at a time).

Why arms and not one ``Q``: an OR of EXISTS terms can only be evaluated item by item, so a county editor's list at
500,000 items probed every one of the 4,270 items he may see, for the count and for the sort; the office arm is now
a walk of the reach index, whose rows carry the item's state, visibility and order columns (``ReportReach``):
count + first page 40-60 ms -> 8 ms, province editor 285 -> 35 ms (bench/bench_inbox.py data).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from xinbao.accounts.models import OFFICE_ROLES, Role
from xinbao.reports.models import Report, ReportReach, ReportState, Visibility

if TYPE_CHECKING:
    from xinbao.accounts.models import User

#: The list order (``Report.Meta.ordering``) over the arms' columns: item id, submitted at, created at.
_ORDER = ("-s", "-c", "-item")


def reads_as_office(user: User) -> bool:
    unit = user.unit
    return unit is not None and unit.is_receiving_office and user.has_role(*OFFICE_ROLES)


def _reach_arm(user: User) -> QuerySet[Any] | None:
    """The items the user's office reached, as far as his role there may see them."""
    if user.unit_id is None or not reads_as_office(user):
        return None
    office = user.unit_id
    if user.has_role(Role.EDITOR):
        # The office's own drafts (a 综合 item being written) are shared by its editors; a lower unit's draft
        # (withdrawn after submission) is not.
        rule = ~Q(report_state=ReportState.DRAFT) | Q(report_unit_id=office)
    else:
        rule = Q(report_visibility=Visibility.NORMAL, report_submitted_at__isnull=False) & ~Q(
            report_state=ReportState.DRAFT
        )
    return ReportReach.objects.filter(rule, office_id=office).annotate(
        item=F("report_id"), s=F("report_submitted_at"), c=F("report_created_at")
    )


def _item_arms(user: User) -> list[QuerySet[Any]]:
    """The arms read from the items themselves: created, authored, named reader, own unit."""
    arms = [
        Report.objects.filter(created_by=user),
        Report.objects.filter(authors=user),
        Report.objects.filter(readers__person=user),
    ]
    if user.unit_id is not None:
        if user.has_role(Role.SIGNER):
            arms.append(Report.objects.filter(unit_id=user.unit_id).exclude(state=ReportState.DRAFT))
        else:
            arms.append(
                Report.objects.filter(unit_id=user.unit_id, visibility=Visibility.NORMAL).exclude(
                    state=ReportState.DRAFT
                )
            )
    return [arm.annotate(item=F("pk"), s=F("submitted_at"), c=F("created_at")) for arm in arms]


def _arms(user: User) -> list[QuerySet[Any]]:
    reach = _reach_arm(user)
    return ([reach] if reach is not None else []) + _item_arms(user)


def visible_ids(user: User) -> QuerySet[Any]:
    """Ids of every item the user may see (with repeats: for ``pk__in``, where they cost nothing)."""
    ids = [arm.order_by().values("item") for arm in _arms(user)]
    return ids[0].union(*ids[1:], all=True)


def is_visible(user: User, report_id: int) -> bool:
    """One item: each arm narrowed to it is one index probe."""
    return any(arm.filter(item=report_id).exists() for arm in _arms(user))


def visible_page(user: User, *, start: int, size: int) -> tuple[list[int], int]:
    """Ids of the items ``start`` to ``start + size`` of the user's list in list order, and how many there are.

    Each arm is walked in list order for at most ``start + size`` rows (an index range scan), the union of those
    (duplicates removed: an item admitted twice has the same columns in both arms) gives the page. The count adds
    the office arm's count (an index-only count) to the other arms' items it does not already admit (a few hundred
    rows probed against the reach index), instead of building the whole visible set."""
    arms = _arms(user)
    parts: list[str] = []
    params: list[Any] = []
    for i, arm in enumerate(arms):
        sql, arm_params = (
            arm.order_by(*_ORDER).values("item", "s", "c")[: start + size].query.sql_with_params()
        )
        parts.append(f"SELECT * FROM ({sql}) AS arm{i}")
        params.extend(arm_params)
    quoted = connection.ops.quote_name
    order = ", ".join(f"{quoted(key.lstrip('-'))} DESC" for key in _ORDER)
    page_sql = (
        f"SELECT {quoted('item')} FROM ({' UNION '.join(parts)}) AS arms ORDER BY {order} LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(page_sql, [*params, size, start])
        keys = [row[0] for row in cursor.fetchall()]
    return keys, _count(user)


def _count(user: User) -> int:
    reach = _reach_arm(user)
    others = [arm.order_by().values("item") for arm in _item_arms(user)]
    rest = Report.objects.filter(pk__in=others[0].union(*others[1:], all=True))
    if reach is None:
        return rest.count()
    admitted = reach.filter(report_id=OuterRef("pk")).values("pk")
    return reach.count() + rest.exclude(Exists(admitted)).count()
