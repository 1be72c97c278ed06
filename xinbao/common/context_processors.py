"""Navigation by role: each person sees the entries their roles use (PRODUCT 1)."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from xinbao.accounts.models import ADMIN_ROLES, BUSINESS_ROLES, OFFICE_ROLES, Role

# (url name, label, icon, roles that see it; None = everyone). Labels are lazy: translated per request.
NAV = [
    ("home", _("首页"), "bi-house", None),
    ("reports:mine", _("我的信息"), "bi-file-earmark-text", {Role.INFORMANT, Role.SIGNER}),
    ("reports:signoff_queue", _("待审签"), "bi-pen", {Role.SIGNER}),
    ("reports:inbox", _("信息审核"), "bi-inbox", set(OFFICE_ROLES)),
    ("bulletins:index", _("信息刊物"), "bi-journal-text", set(BUSINESS_ROLES)),
    ("followups:index", _("批示督办"), "bi-check2-square", set(BUSINESS_ROLES)),
    ("emergencies:board", _("值班室"), "bi-telephone", set(OFFICE_ROLES)),
    ("duty:roster", _("值班安排"), "bi-calendar-week", {Role.UNIT_ADMIN, *OFFICE_ROLES}),
    (
        "scoring:rankings",
        _("考核排名"),
        "bi-trophy",
        {Role.UNIT_ADMIN, Role.SIGNER, Role.INFORMANT, *OFFICE_ROLES},
    ),
    ("quality:keywords", _("保密词库"), "bi-shield-lock", {Role.EDITOR, Role.SIGNER, Role.SYSTEM_ADMIN}),
    ("search:search", _("全文检索"), "bi-search", set(BUSINESS_ROLES)),
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
