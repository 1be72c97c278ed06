"""Full-text search over the items a person may see (issue 7 item 5; PRODUCT 3.8).

The matching ids come from the database's index (backends.match_condition) and are narrowed by
``reports.selectors.report_list_visible_to`` — the same selector as every other read — so search can never show an
item its reader may not see. Results are newest first, like every other list of items.

The series filter (刊物) keeps the items printed as an entry of a published issue of that series which the reader
may read (``bulletins.selectors``): the series offered are those of ``series_list_for``, and an issue the reader
may not read does not count — otherwise filtering by series would tell him which items went into it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.functional import cached_property
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from xinbao.bulletins.models import IssueEntry, IssueState, Series
from xinbao.bulletins.selectors import issue_list_visible_to, series_list_for
from xinbao.common.errors import ValidationFailed
from xinbao.reports.models import Report
from xinbao.reports.selectors import report_list_visible_to, report_rows_in_order_visible_to
from xinbao.search.backends import Condition, match_condition
from xinbao.search.snippets import highlight, snippet
from xinbao.search.tokens import QUERY_MAX, Term, query_terms

if TYPE_CHECKING:
    from xinbao.accounts.models import User


@dataclass(frozen=True)
class SearchQuery:
    text: str
    terms: list[Term]


def parse_query(text: str) -> SearchQuery:
    """A query a person typed: refused with a clear message when it cannot be searched."""
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_("请输入要检索的文字"), field="q")
    if len(text) > QUERY_MAX:
        raise ValidationFailed(_("检索词不能超过%(n)d个字") % {"n": QUERY_MAX}, field="q")
    terms = query_terms(text)
    if not terms:
        raise ValidationFailed(_("检索词需包含汉字、字母或数字"), field="q")
    return SearchQuery(text, terms)


def series_choices(*, user: User) -> QuerySet[Series]:
    """The series a person may filter by: those the bulletins capability lets him work with or read."""
    return series_list_for(user=user)


def _printed_in(user: User, series: Series | int) -> QuerySet[IssueEntry, Any]:
    series_id = series.pk if isinstance(series, Series) else series
    if not series_choices(user=user).filter(pk=series_id).exists():
        raise ValidationFailed(_("所选刊物不存在或无权查看"), field="series")
    issues = issue_list_visible_to(user=user, filters={"series": series_id, "state": IssueState.PUBLISHED})
    return IssueEntry.objects.filter(issue__in=issues.values("pk")).values("report_id")


ORDER = ("-submitted_at", "-created_at", "-id")
TABLE = connection.ops.quote_name(Report._meta.db_table)


def _matching(qs: QuerySet[Report], condition: Condition) -> QuerySet[Report]:
    return qs.filter(RawSQL(condition.on(TABLE), condition.params, output_field=BooleanField()))  # type: ignore[arg-type]


def _search_parts(
    user: User, query: SearchQuery, filters: dict[str, Any] | None
) -> tuple[QuerySet[Report], Condition]:
    """The items the filters leave (visibility included), newest first, and the index's condition on them. Unless
    the condition is checked item by item (``per_item``) the items are already the matches; when there are few
    (``few``) the visibility rule is asked about those alone instead of listing all the user may see."""
    filters = dict(filters or {})
    series = filters.pop("series", None)
    unit_text = filters.pop("unit_text", None)
    condition = match_condition(query.terms)
    among = None
    if condition.few:
        among = (f"SELECT m.id FROM {TABLE} m WHERE {condition.on('m')}", condition.params)
    qs = report_list_visible_to(user=user, filters=filters, among=among)
    if not (condition.per_item or condition.few):
        qs = _matching(qs, condition)
    if unit_text:
        # The page's unit box takes a name as well as an id (the API takes the id).
        qs = qs.filter(
            Q(unit__name__contains=unit_text)
            | Q(unit__short_name__contains=unit_text)
            | Q(unit__code=unit_text)
        )
    if series:
        qs = qs.filter(pk__in=_printed_in(user, series))
    return qs.order_by(*ORDER), condition


def report_search(
    *, user: User, query: SearchQuery, filters: dict[str, Any] | None = None
) -> QuerySet[Report]:
    """Items the user may see that contain every term of the query, under the item filters of the item list
    (unit, type, state, date range), a unit's name (``unit_text``) and the series (``series``: a Series or its
    id); ``ValidationFailed`` for a series he may not see."""
    qs, condition = _search_parts(user, query, filters)
    if not condition.per_item:
        return qs
    return _matching(qs, condition)


class CheckedInOrder:
    """The filtered items newest first, each looked up in the index only as a page or the capped count needs it.

    For a word in many items (``Condition.per_item``) the database would otherwise look up every visible item —
    50,000 for a province office — before sorting them for the first page. Here the visible ids are sorted first
    (cheap: no index lookups), behind an optimisation fence (``OFFSET 0``) so the lookup runs on the sorted rows
    as the LIMIT pulls them: a page of a word in most items costs ~20 lookups, the capped count ~1,000."""

    def __init__(
        self, qs: QuerySet[Report], condition: Condition, rows: tuple[str, list[Any]] | None = None
    ) -> None:
        """``rows``: SQL for the (id, submitted_at, created_at) of ``qs`` when there is a cheaper way to them than
        reading the items (the whole visible list, unfiltered: ``report_rows_in_order_visible_to``)."""
        self.qs = qs
        self.condition = condition
        self.rows = rows
        self.fence = "OFFSET 0" if connection.vendor == "postgresql" else "LIMIT -1 OFFSET 0"

    def _sql(self, head: str, tail: str, ordered: bool) -> tuple[str, list[Any]]:
        if self.rows is not None:
            # Sorted inside the fence like the queryset's ORDER BY below: sorting outside it would check every
            # row before the LIMIT (province editor: 1.6 s instead of a few hundred milliseconds). The count needs
            # no order and takes the items by id: ids follow the index's physical order, so the look-ups read the
            # index table front to back instead of at random (province editor, 48,000 checks: 270 → 168 ms).
            inner, params = self.rows[0], tuple(self.rows[1])
            order = "submitted_at DESC, created_at DESC, id DESC" if ordered else "id"
            inner = f"{inner} ORDER BY {order}"
        else:
            qs = self.qs if ordered else self.qs.order_by("id")
            inner, params = qs.values("id", "submitted_at", "created_at").query.sql_with_params()
        # PostgreSQL streams the fenced subquery in its order and stops at the LIMIT. SQLite would sort again after
        # checking every row (49,675 checks for a province editor's first page: ~1 s), while without an outer ORDER
        # BY it scans the fenced subquery (a co-routine) in its ORDER BY and stops at the LIMIT; the pages-in-order
        # tests hold it to that on both databases.
        resort = ordered and connection.vendor == "postgresql"
        order = " ORDER BY v.submitted_at DESC, v.created_at DESC, v.id DESC" if resort else ""
        sql = f"{head} FROM ({inner} {self.fence}) v WHERE {self.condition.on('v')}{order} {tail}"
        return sql, [*params, *self.condition.params]

    def count(self) -> int:
        sql, params = self._sql("SELECT 1", "LIMIT %s", ordered=False)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({sql}) s", [*params, COUNT_CAP + 1])
            return int(cursor.fetchone()[0])

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> list[Report]:
        start, stop = key.start or 0, key.stop
        sql, params = self._sql("SELECT v.id", "LIMIT %s OFFSET %s", ordered=True)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, stop - start, start])
            ids = [row[0] for row in cursor.fetchall()]
        found = Report.objects.select_related("unit", "created_by").in_bulk(ids)
        return [found[pk] for pk in ids]


#: Results a page shows, on the search page and by default nowhere else (the API has its own page size).
PAGE_SIZE = 20
#: Matches counted at most: beyond this the page says "1,000+" and offers pages up to it. Counting every match of a
#: common word among a province's million items costs more than the search itself, and nobody pages past 50 pages
#: of results — he narrows the search (GitHub and most search engines stop counting the same way).
COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """A paginator whose count stops at ``COUNT_CAP`` (counting ``COUNT_CAP + 1`` rows to know there are more)."""

    @cached_property
    def counted(self) -> int:
        if isinstance(self.object_list, CheckedInOrder):
            return self.object_list.count()
        # COUNT over a LIMITed subquery without the ordering, so the database may stop at the cap.
        return self.object_list.order_by()[: COUNT_CAP + 1].count()  # type: ignore[attr-defined,no-any-return]

    @cached_property
    def count(self) -> int:
        return min(self.counted, COUNT_CAP)

    @property
    def capped(self) -> bool:
        return self.counted > COUNT_CAP


@dataclass
class SearchHit:
    report: Report
    title: SafeString
    snippet: SafeString


@dataclass
class SearchResults:
    page: Page
    hits: list[SearchHit]

    @property
    def capped(self) -> bool:
        return self.page.paginator.capped  # type: ignore[attr-defined, no-any-return]

    @property
    def count(self) -> int:
        """Matching items, at most ``COUNT_CAP``: ``capped`` says when there are more."""
        return self.page.paginator.count


def search_results(
    *,
    user: User,
    query: SearchQuery,
    filters: dict[str, Any] | None = None,
    page: int | str | None = 1,
    per_page: int = PAGE_SIZE,
) -> SearchResults:
    """One page of results with highlighted titles and snippets — what the search page and API show."""
    qs, condition = _search_parts(user, query, filters)
    items: QuerySet[Report] | CheckedInOrder
    if condition.per_item:
        unfiltered = not any(value not in (None, "") for value in (filters or {}).values())
        rows = report_rows_in_order_visible_to(user=user) if unfiltered else None
        items = CheckedInOrder(qs, condition, rows)
    else:
        items = qs
    page_obj = CappedPaginator(items, per_page).get_page(page)  # type: ignore[arg-type]
    hits = [
        SearchHit(r, highlight(r.title, query.terms), snippet(r.body, query.terms))
        for r in page_obj.object_list
    ]
    return SearchResults(page_obj, hits)
