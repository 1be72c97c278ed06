"""Full-text search over the items a person may see (issue 7 item 5; PRODUCT 3.8).

The matching ids come from the database's index (backends.match_ids_sql) and are narrowed by
``reports.selectors.report_list_visible_to`` — the same selector as every other read — so search can never show an
item its reader may not see. Results are newest first, like every other list of items."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from xinbao.common.errors import ValidationFailed
from xinbao.reports.models import Report
from xinbao.reports.selectors import report_list_visible_to
from xinbao.search.backends import match_ids_sql
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


def report_search(
    *, user: User, query: SearchQuery, filters: dict[str, Any] | None = None
) -> QuerySet[Report]:
    """Items the user may see that contain every term of the query, under the item filters of the item list
    (unit, type, state, date range)."""
    sql, params = match_ids_sql(query.terms)
    return (
        report_list_visible_to(user=user, filters=filters)
        .filter(pk__in=RawSQL(sql, params))
        .order_by("-submitted_at", "-created_at", "-id")
    )
