"""Every API error is JSON ``{"code": <stable English code>, "message": <text for people>}`` (plus ``field`` or
``detail`` where one field is at fault), whatever raised it: a service's DomainError, pydantic validation,
authentication, throttling, or an unexpected failure. Messages are in the request's language (Accept-Language),
Chinese by default; the codes never change."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, pgettext
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from xinbao.common.errors import DomainError

logger = logging.getLogger("xinbao.api")

LOCATIONS = {"body", "query", "path", "header", "cookie", "payload", "filters", "paging"}

#: pydantic error type -> message template (marked for translation, translated per request).
TYPE_MESSAGES = {
    "string_type": gettext_noop("%(field)s 应为字符串"),
    "int_parsing": gettext_noop("%(field)s 应为整数"),
    "int_type": gettext_noop("%(field)s 应为整数"),
    "int_from_float": gettext_noop("%(field)s 应为整数"),
    "bool_parsing": gettext_noop("%(field)s 应为布尔值（true/false）"),
    "bool_type": gettext_noop("%(field)s 应为布尔值（true/false）"),
    "list_type": gettext_noop("%(field)s 应为列表"),
    "dict_type": gettext_noop("%(field)s 应为对象"),
    "model_type": gettext_noop("%(field)s 应为对象"),
    "model_attributes_type": gettext_noop("%(field)s 应为对象"),
    "greater_than_equal": gettext_noop("%(field)s 不能小于%(ge)s"),
    "less_than_equal": gettext_noop("%(field)s 不能大于%(le)s"),
    "extra_forbidden": gettext_noop("不接受的字段 %(field)s"),
    "json_invalid": gettext_noop("请求体不是有效的 JSON"),
}


def _field_name(err: dict) -> str:
    loc = [str(p) for p in err.get("loc", []) if str(p) not in LOCATIONS]
    return ".".join(loc)


def _one_message(err: dict) -> tuple[str, str]:
    field = _field_name(err)
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return field, _("缺少必填项 %(field)s") % {"field": field} if field else _("缺少请求体")
    if kind in TYPE_MESSAGES:
        return field, _(TYPE_MESSAGES[kind]) % {**ctx, "field": field or _("请求")}
    if "too_long" in kind:
        return field, _("%(field)s 过长（最多%(max)s个字符）") % {
            "field": field,
            "max": ctx.get("max_length", ""),
        }
    if "too_short" in kind:
        return field, _("%(field)s 不能为空或过短") % {"field": field}
    if "date" in kind:
        return field, _("%(field)s 日期格式应为 YYYY-MM-DD") % {"field": field}
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", "")).replace(" or ", ", ")
        if expected:
            return field, _("%(field)s 取值无效，可选值：%(expected)s") % {
                "field": field,
                "expected": expected,
            }
        return field, _("%(field)s 取值无效") % {"field": field}
    if kind == "value_error" and ctx.get("error"):
        return field, f"{field} {ctx['error']}"
    return field, _("%(field)s 格式不正确") % {"field": field or _("请求")}


def validation_message(errors: list[dict]) -> tuple[str, list[dict]]:
    details = []
    parts = []
    for err in errors:
        field, text = _one_message(err)
        parts.append(text)
        details.append({"field": field, "message": text})
    return _("输入有误：%(errors)s") % {"errors": pgettext("clause separator", "；").join(parts)}, details


#: status -> (stable code, message); the messages are lazy so each request gets its own language.
HTTP_MESSAGES = {
    400: ("invalid", gettext_lazy("请求无法解析：请求体应为有效的 JSON")),
    401: ("unauthorized", gettext_lazy("未认证：请提供有效的接口令牌（Authorization: Bearer …）")),
    403: ("forbidden", gettext_lazy("无权访问")),
    404: ("not_found", gettext_lazy("对象不存在或无权查看")),
    405: ("method_not_allowed", gettext_lazy("不支持的请求方法")),
    429: ("rate_limited", gettext_lazy("请求过于频繁，请稍后再试")),
}


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError):  # type: ignore[no-untyped-def]
        body = {"code": exc.code, "message": exc.message}
        if exc.field:
            body["field"] = exc.field
        return api.create_response(request, body, status=exc.status)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError):  # type: ignore[no-untyped-def]
        message, details = validation_message(list(exc.errors))
        return api.create_response(
            request, {"code": "invalid", "message": message, "detail": details}, status=422
        )

    @api.exception_handler(AuthenticationError)
    def auth_error(request: HttpRequest, exc: AuthenticationError):  # type: ignore[no-untyped-def]
        code, message = HTTP_MESSAGES[401]
        return api.create_response(request, {"code": code, "message": str(message)}, status=401)

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied):  # type: ignore[no-untyped-def]
        return api.create_response(
            request, {"code": "forbidden", "message": str(exc) or _("无权访问")}, status=403
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404):  # type: ignore[no-untyped-def]
        code, message = HTTP_MESSAGES[404]
        return api.create_response(request, {"code": code, "message": str(message)}, status=404)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError):  # type: ignore[no-untyped-def]
        # ninja's own HttpErrors carry fixed English text (e.g. "Cannot parse request body"); people get ours.
        code, message = HTTP_MESSAGES.get(exc.status_code, ("error", _("请求无法处理")))
        return api.create_response(request, {"code": code, "message": str(message)}, status=exc.status_code)

    @api.exception_handler(IntegrityError)
    def integrity_error(request: HttpRequest, exc: IntegrityError):  # type: ignore[no-untyped-def]
        # Services check uniqueness first; this is the race where two requests passed the check together.
        logger.warning("API integrity error on %s: %s", request.path, exc)
        return api.create_response(
            request,
            {"code": "conflict", "message": _("数据冲突（可能是重复提交或已被他人修改），请刷新后重试")},
            status=409,
        )

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception):  # type: ignore[no-untyped-def]
        logger.exception("API error on %s", request.path)
        return api.create_response(
            request,
            {"code": "server_error", "message": _("服务器内部错误，请稍后重试或联系系统管理员")},
            status=500,
        )
