"""The visibility rule of items, written once as a union of "arms" (see ``reports.selectors`` for the rule in words).

Each arm is one way an item can be visible to a person — created it, authored it, named reader, own unit, office
reached — and yields exactly the items that way admits, each arm one indexed lookup. Everything that asks "may this
person see it" is built from the same arms: the set of visible ids (lists, search, exports), the check for one item
(the arms narrowed to its id) and a list page (the arms walked in list order, a page at a time).

Why arms and not one ``Q``: an OR of EXISTS terms can only be evaluated item by item, so a county editor's list at
500,000 items probed every one of the 4,270 items he may see, for the count and for the sort; the office arm is now
a walk of the reach index, whose rows carry the item's state, visibility and order columns (``ReportReach``):
count + first page 40-60 ms -> 8 ms, province editor 285 -> 35 ms (bench/bench_inbox.py data).

Why SQL text and not querysets: the arms are five short SELECTs, and compiling them through the ORM for every list
request (page, count, twice over) cost ~7 ms of CPU, a third of the list API's (bench/bench_inbox.py data). Table
and column names come from the models; every value is a query parameter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models.expressions import RawSQL

from xinbao.accounts.models import OFFICE_ROLES, Role
from xinbao.reports.models import Report, ReportReach, ReportReader, ReportState, Visibility

if TYPE_CHECKING:
    from xinbao.accounts.models import User

Arm = tuple[
    str, list[Any]
]  # SQL yielding (item, s, c) — item id, submitted at, created at — and its parameters


def reads_as_office(user: User) -> bool:
    unit = user.unit
    return unit is not None and unit.is_receiving_office and user.has_role(*OFFICE_ROLES)


def _names() -> dict[str, str]:
    q = connection.ops.quote_name
    return {
        "report": q(Report._meta.db_table),
        "authors": q(Report.authors.through._meta.db_table),
        "readers": q(ReportReader._meta.db_table),
        "reach": q(ReportReach._meta.db_table),
    }


def _reach_arm(user: User, narrow: Arm | None = None) -> Arm | None:
    """The items the user's office reached, as far as his role there may see them."""
    if user.unit_id is None or not reads_as_office(user):
        return None
    office = user.unit_id
    if user.has_role(Role.EDITOR):
        # The office's own drafts (a 综合 item being written) are shared by its editors; a lower unit's draft
        # (withdrawn after submission) is not.
        rule, params = "(report_state <> %s OR report_unit_id = %s)", [ReportState.DRAFT.value, office]
    else:
        rule = "report_visibility = %s AND report_submitted_at IS NOT NULL AND report_state <> %s"
        params = [Visibility.NORMAL.value, ReportState.DRAFT.value]
    sql = (
        f"SELECT report_id AS item, report_submitted_at AS s, report_created_at AS c FROM {_names()['reach']} "
        f"WHERE office_id = %s AND {rule}"
    )
    params = [office, *params]
    if narrow is not None:
        sql, params = f"{sql} AND report_id {narrow[0]}", [*params, *narrow[1]]
    return sql, params


def _item_arms(user: User, narrow: Arm | None = None) -> list[Arm]:
    """The arms read from the items themselves: created, authored, named reader, own unit."""
    n = _names()
    cols = "r.id AS item, r.submitted_at AS s, r.created_at AS c"
    arms: list[Arm] = [
        (f"SELECT {cols} FROM {n['report']} r WHERE r.created_by_id = %s", [user.pk]),
        (
            f"SELECT {cols} FROM {n['authors']} a JOIN {n['report']} r ON r.id = a.report_id WHERE a.user_id = %s",
            [user.pk],
        ),
        (
            f"SELECT {cols} FROM {n['readers']} x JOIN {n['report']} r ON r.id = x.report_id "
            "WHERE x.person_id = %s",
            [user.pk],
        ),
    ]
    if user.unit_id is not None:
        own = f"SELECT {cols} FROM {n['report']} r WHERE r.unit_id = %s AND r.state <> %s"
        if user.has_role(Role.SIGNER):
            arms.append((own, [user.unit_id, ReportState.DRAFT.value]))
        else:
            arms.append(
                (
                    f"{own} AND r.visibility = %s",
                    [user.unit_id, ReportState.DRAFT.value, Visibility.NORMAL.value],
                )
            )
    if narrow is not None:
        arms = [(f"{sql} AND r.id {narrow[0]}", [*params, *narrow[1]]) for sql, params in arms]
    return arms


def _arms(user: User, narrow: Arm | None = None) -> list[Arm]:
    """``narrow``: a condition on the item id ("= %s", "IN (SELECT …)") and its parameters, added to every arm."""
    reach = _reach_arm(user, narrow)
    return ([reach] if reach is not None else []) + _item_arms(user, narrow)


def _union(arms: list[Arm], *, select: str = "item", all: bool = True) -> Arm:
    joined = (" UNION ALL " if all else " UNION ").join(
        f"SELECT {select} FROM ({sql}) AS arm" for sql, _p in arms
    )
    return joined, [p for _sql, params in arms for p in params]


def visible_ids(user: User, among: Arm | None = None) -> RawSQL:
    """Ids of every item the user may see, for ``pk__in`` (with repeats, which cost nothing there).

    ``among``: SQL for a few candidate ids (the matches of a rare search word): each arm is then narrowed to them,
    probing its index once per candidate, instead of listing everything the user may see to keep a handful
    (SQLite, province editor, 50,000 visible items for 1,000 matches)."""
    narrow = (f"IN ({among[0]})", among[1]) if among is not None else None
    arms = _arms(user, narrow)
    return RawSQL(*_union(arms))


def _beyond_reach(user: User, select: str) -> tuple[Arm | None, Arm]:
    """The office arm (None when the user reads as no office) and the other arms' items that arm does not admit:
    duplicates removed without putting the office's rows through a UNION (a few hundred other items are probed
    against the office instead of hashing its 4,000–50,000 reach rows)."""
    others, params = _union(_item_arms(user), select=select, all=False)
    reach = _reach_arm(user)
    if reach is None:
        return None, (others, params)
    reach_sql, reach_params = reach
    # PostgreSQL turned the NOT EXISTS into a hash anti-join over all the office's reach rows; behind the fence each
    # other item is one probe of the (office, item) index instead (county editor's count: 1.6 -> 1.1 ms). SQLite
    # probes the index either way.
    fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
    rest = (
        f"SELECT * FROM ({others}) AS x "
        f"WHERE NOT EXISTS (SELECT 1 FROM ({reach_sql}) AS o WHERE o.item = x.item{fence})"
    )
    return reach, (rest, [*params, *reach_params])


def visible_in_order(user: User) -> Arm:
    """Every item the user may see as rows (id, submitted_at, created_at) without duplicates, for a caller that
    walks the list in order itself (search checking items one by one): the office's items come from its reach
    index, so no item row is read to sort them (province editor, 50,000 items: ~40 ms instead of ~300 ms).

    The office's rows as they are plus the other arms' items it does not admit (``_beyond_reach``): a UNION of all
    arms hashed the office's 50,000 rows (~37 ms of each walk) and hid the reach index's order, which PostgreSQL can
    now merge with the few other rows instead of sorting."""
    reach, (rows, params) = _beyond_reach(user, "item, s, c")
    if reach is not None:
        rows, params = f"{reach[0]} UNION ALL {rows}", [*reach[1], *params]
    return f"SELECT item AS id, s AS submitted_at, c AS created_at FROM ({rows}) AS v", params


def is_visible(user: User, report_id: int) -> bool:
    """One item: each arm narrowed to it is one index probe."""
    sql, params = _union(_arms(user, ("= %s", [report_id])), select="1")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS ({sql})", params)
        return bool(cursor.fetchone()[0])


def visible_page(user: User, *, start: int, size: int) -> tuple[list[int], int]:
    """Ids of the items ``start`` to ``start + size`` of the user's list in list order (``Report.Meta.ordering``),
    and how many there are.

    Each arm is walked in list order for at most ``start + size`` rows (an index range scan), and the union of those
    (duplicates removed: an item admitted twice has the same columns in both arms) gives the page. The count adds
    the office arm's count (an index-only count) to the other arms' items it does not already admit (a few hundred
    rows probed against the reach index), instead of building the whole visible set."""
    order = "s DESC, c DESC, item DESC"
    arms = [
        (f"SELECT * FROM ({sql} ORDER BY {order} LIMIT %s) AS a", [*p, start + size])
        for sql, p in _arms(user)
    ]
    union, params = _union(arms, select="*", all=False)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT item FROM ({union}) AS v ORDER BY {order} LIMIT %s OFFSET %s", [*params, size, start]
        )
        keys = [row[0] for row in cursor.fetchall()]
        cursor.execute(*_count_sql(user))
        return keys, int(cursor.fetchone()[0])


def _count_sql(user: User) -> Arm:
    reach, (rest, params) = _beyond_reach(user, "item")
    if reach is None:
        return f"SELECT COUNT(*) FROM ({rest}) AS v", params
    return (
        f"SELECT (SELECT COUNT(*) FROM ({reach[0]}) AS r) + (SELECT COUNT(*) FROM ({rest}) AS v)",
        [*reach[1], *params],
    )
