"""The one NinjaAPI object; each app contributes its router from ``<app>/api.py``."""

from __future__ import annotations

from ninja import NinjaAPI

from xinbao.api.auth import BearerTokenAuth
from xinbao.api.errors import install_error_handlers

api = NinjaAPI(
    title="信报 xinbao API",
    version="1",
    description="党政信息报送与管理系统接口。认证：`Authorization: Bearer <token>`，令牌由 `python manage.py issue_token <用户名>` 签发。",
    auth=BearerTokenAuth(),
    urls_namespace="api",
)
install_error_handlers(api)


def _mount_routers() -> None:
    from xinbao.orgs.api import router as orgs_router

    api.add_router("/", orgs_router)


_mount_routers()
