"""Pieces of schema shared by the apps' routers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from ninja import Schema

from xinbao.common.errors import ValidationFailed


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None


#: Responses every authenticated endpoint may give, listed so the OpenAPI document shows the error shape.
READ_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 404: ErrorOut, 429: ErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 403: ErrorOut, 409: ErrorOut, **READ_ERRORS}


def reject_nulls(data: dict[str, Any], labels: Mapping[str, Any]) -> None:
    """In a PATCH, a field sent as null would blank a required column; say which one instead of failing later.
    ``labels`` maps field names to their (lazily translated) names for people."""
    for name, value in data.items():
        if value is None:
            raise ValidationFailed(
                _("%(field)s不能为空（不修改请省略该字段）") % {"field": labels.get(name, name)}, field=name
            )
