"""Paging shared by every list endpoint: ``?page=&page_size=`` in, ``{"count", "page", "page_size", "results"}``
out. A page past the end is an empty page, not an error, so a client can loop until results run out."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from django.db.models import QuerySet
from ninja import Field, Schema

T = TypeVar("T")

MAX_PAGE_SIZE = 200


class PageParams(Schema):
    page: int = Field(1, ge=1, description="页码，从1开始")
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数，1至{MAX_PAGE_SIZE}")


class Page(Schema, Generic[T]):
    count: int
    page: int
    page_size: int
    results: list[T]


def paginate(qs: QuerySet[Any], params: PageParams) -> dict[str, Any]:
    start = (params.page - 1) * params.page_size
    return {
        "count": qs.count(),
        "page": params.page,
        "page_size": params.page_size,
        "results": list(qs[start : start + params.page_size]),
    }
