"""Paging shared by every list endpoint: ``?page=&page_size=`` in, ``{"count", "page", "page_size", "results"}``
out. A page past the end is an empty page, not an error, so a client can loop until results run out."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from django.db.models import QuerySet
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy
from ninja import Field, Schema

T = TypeVar("T")

MAX_PAGE_SIZE = 200


def _page_size_text() -> str:
    return gettext("每页条数，1至%(max)d") % {"max": MAX_PAGE_SIZE}


# Lazy like the other OpenAPI texts: the document is built per request, in the request's language.
_page_size_help = lazy(_page_size_text, str)


class PageParams(Schema):
    page: int = Field(1, ge=1, description=gettext_lazy("页码，从1开始"))
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description=_page_size_help())


class Page(Schema, Generic[T]):
    count: int
    page: int
    page_size: int
    results: list[T]


def page_start(params: PageParams) -> int:
    return (params.page - 1) * params.page_size


def page_of(results: list[Any], count: int, params: PageParams) -> dict[str, Any]:
    """The page's answer, for a list that finds its rows and count its own way (the item list)."""
    return {"count": count, "page": params.page, "page_size": params.page_size, "results": results}


def paginate(qs: QuerySet[Any], params: PageParams) -> dict[str, Any]:
    start = page_start(params)
    return page_of(list(qs[start : start + params.page_size]), qs.count(), params)
