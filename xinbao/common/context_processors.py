"""Navigation by role: each person sees the entries their roles use (PRODUCT 1)."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from xinbao.accounts.models import ADMIN_ROLES, OFFICE_ROLES, Role

# (url name, label, icon, roles that see it; None = everyone). Labels are lazy: translated per request.
NAV = [
    ("home", _("首页"), "bi-house", None),
    ("reports:mine", _("我的信息"), "bi-file-earmark-text", {Role.INFORMANT, Role.SIGNER}),
    ("reports:signoff_queue", _("待审签"), "bi-pen", {Role.SIGNER}),
    ("reports:inbox", _("信息审核"), "bi-inbox", set(OFFICE_ROLES)),
    ("orgs:tree", _("组织机构"), "bi-diagram-3", None),
    (
        "orgs:informants",
        _("信息员备案"),
        "bi-person-badge",
        {Role.UNIT_ADMIN, Role.SYSTEM_ADMIN, *OFFICE_ROLES},
    ),
    ("accounts:people", _("人员管理"), "bi-people", {Role.UNIT_ADMIN, *ADMIN_ROLES, *OFFICE_ROLES}),
    ("imports:start", _("批量导入"), "bi-upload", {Role.UNIT_ADMIN, Role.SYSTEM_ADMIN}),
    ("audit:log", _("审计日志"), "bi-shield-check", {Role.AUDIT_ADMIN}),
    ("accounts:tokens", _("接口令牌"), "bi-key", None),
]


def navigation(request):  # type: ignore[no-untyped-def]
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    for name, label, icon, roles in NAV:
        if roles is not None and not user.has_role(*roles):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        active = request.path == url if name == "home" else request.path.startswith(url)
        items.append({"url": url, "label": label, "icon": icon, "active": active})
    return {"nav_items": items}
