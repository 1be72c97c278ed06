"""The one NinjaAPI object; each app contributes its router from ``<app>/api.py``."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Router

from xinbao.api.auth import BearerTokenAuth
from xinbao.api.errors import install_error_handlers
from xinbao.api.throttling import TokenUserThrottle

api = NinjaAPI(
    title="信报 xinbao API",
    version="1",
    description=gettext_lazy(
        "党政信息报送与管理系统接口。认证：`Authorization: Bearer <token>`，令牌由 "
        '`python manage.py issue_token <用户名>` 签发。错误统一为 JSON：`{"code": 稳定代码, "message": 说明}`，'
        "说明的语言随请求头 Accept-Language（默认中文）；"
        "无权查看或不存在的对象一律返回 404，无权修改返回 403，请求过于频繁返回 429。"
    ),
    auth=BearerTokenAuth(),
    throttle=[TokenUserThrottle()],
    urls_namespace="api",
)
install_error_handlers(api)


def _mount_routers() -> None:
    from xinbao.accounts.api import router as accounts_router
    from xinbao.bulletins.api import router as bulletins_router
    from xinbao.duty.api import router as duty_router
    from xinbao.emergencies.api import router as emergencies_router
    from xinbao.followups.api import router as followups_router
    from xinbao.orgs.api import router as orgs_router
    from xinbao.quality.api import router as quality_router
    from xinbao.reports.api import router as reports_router
    from xinbao.scoring.api import router as scoring_router
    from xinbao.search.api import router as search_router

    api.add_router("/", orgs_router)
    api.add_router("/", accounts_router)
    api.add_router("/", reports_router)
    api.add_router("/", bulletins_router)
    api.add_router("/", followups_router)
    api.add_router("/", emergencies_router)
    api.add_router("/", duty_router)
    api.add_router("/", quality_router)
    api.add_router("/", search_router)
    api.add_router("/", scoring_router)
    # Last, so it only catches what no router matched: unknown API paths answer in JSON too, not the HTML 404.
    api.add_router("/", _fallback)


_fallback = Router()


@_fallback.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", auth=None, include_in_schema=False
)
def unknown_endpoint(request: HttpRequest, rest: str):  # type: ignore[no-untyped-def]
    return api.create_response(
        request,
        {"code": "not_found", "message": _("接口不存在：%(path)s") % {"path": f"/api/v1/{rest}"}},
        status=404,
    )


_mount_routers()
