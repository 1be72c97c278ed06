"""Every API error is JSON {"code": stable, "message": 中文, "detail": optional} (issue 2, item 9)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from xinbao.common.errors import DomainError

FIELD_NAMES = {"body": "请求体", "query": "查询参数", "path": "路径参数"}


def _validation_message(errors: list[dict]) -> tuple[str, list[dict]]:
    details = []
    parts = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", []) if str(p) not in FIELD_NAMES and str(p) != "payload"]
        field = ".".join(loc) or "请求"
        kind = err.get("type", "")
        if kind == "missing":
            text = f"缺少必填项 {field}"
        elif "too_long" in kind:
            text = f"{field} 过长"
        elif "too_short" in kind:
            text = f"{field} 不能为空或过短"
        elif kind in ("int_parsing", "int_type"):
            text = f"{field} 应为整数"
        elif kind in ("bool_parsing", "bool_type"):
            text = f"{field} 应为布尔值"
        elif "date" in kind:
            text = f"{field} 日期格式应为 YYYY-MM-DD"
        elif kind == "literal_error" or kind == "enum":
            text = f"{field} 取值无效"
        elif kind == "json_invalid":
            text = "请求体不是有效的 JSON"
        else:
            text = f"{field} 格式不正确"
        parts.append(text)
        details.append({"field": field, "message": text})
    return "输入有误：" + "；".join(parts), details


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError):  # type: ignore[no-untyped-def]
        body = {"code": exc.code, "message": exc.message}
        if exc.field:
            body["field"] = exc.field
        return api.create_response(request, body, status=exc.status)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError):  # type: ignore[no-untyped-def]
        message, details = _validation_message(list(exc.errors))
        return api.create_response(
            request, {"code": "invalid", "message": message, "detail": details}, status=422
        )

    @api.exception_handler(AuthenticationError)
    def auth_error(request: HttpRequest, exc: AuthenticationError):  # type: ignore[no-untyped-def]
        return api.create_response(
            request,
            {"code": "unauthorized", "message": "未认证：请提供有效的接口令牌（Authorization: Bearer …）"},
            status=401,
        )

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied):  # type: ignore[no-untyped-def]
        return api.create_response(
            request, {"code": "forbidden", "message": str(exc) or "无权访问"}, status=403
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404):  # type: ignore[no-untyped-def]
        return api.create_response(
            request, {"code": "not_found", "message": "对象不存在或无权查看"}, status=404
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError):  # type: ignore[no-untyped-def]
        codes = {
            429: ("rate_limited", "请求过于频繁，请稍后再试"),
            405: ("method_not_allowed", "不支持的请求方法"),
        }
        code, message = codes.get(
            exc.status_code, ("error", str(exc.message) if hasattr(exc, "message") else str(exc))
        )
        return api.create_response(request, {"code": code, "message": message}, status=exc.status_code)
