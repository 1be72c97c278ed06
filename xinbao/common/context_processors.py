"""Navigation by role: each person sees the entries their roles use (PRODUCT 1)."""

from __future__ import annotations

from functools import cache

from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _

from xinbao.accounts.models import ADMIN_ROLES, BUSINESS_ROLES, OFFICE_ROLES, Role

# Groups of the sidebar, in order: the daily work first, administration last.
GROUPS = [
    ("work", _("信息工作")),
    ("duty", _("应急值守")),
    ("assess", _("考核评价")),
    ("admin", _("管理")),
]

# (group, url name, label, icon, roles that see it; None = everyone). Labels are lazy: translated per request.
NAV = [
    ("work", "home", _("首页"), "bi-house", None),
    ("work", "reports:mine", _("我的信息"), "bi-file-earmark-text", {Role.INFORMANT, Role.SIGNER}),
    ("work", "reports:signoff_queue", _("待审签"), "bi-pen", {Role.SIGNER}),
    ("work", "reports:inbox", _("信息审核"), "bi-inbox", set(OFFICE_ROLES)),
    ("work", "bulletins:index", _("信息刊物"), "bi-journal-text", set(BUSINESS_ROLES)),
    ("work", "followups:index", _("批示督办"), "bi-check2-square", set(BUSINESS_ROLES)),
    ("work", "search:search", _("全文检索"), "bi-search", set(BUSINESS_ROLES)),
    ("duty", "emergencies:board", _("值班室"), "bi-telephone", set(OFFICE_ROLES)),
    ("duty", "emergencies:list", _("突发事件"), "bi-exclamation-triangle", {Role.INFORMANT, *OFFICE_ROLES}),
    ("duty", "duty:roster", _("值班安排"), "bi-calendar-week", {Role.UNIT_ADMIN, *OFFICE_ROLES}),
    ("assess", "scoring:rankings", _("考核排名"), "bi-trophy", set(OFFICE_ROLES)),
    ("assess", "scoring:dashboard", _("考核图表"), "bi-bar-chart", set(OFFICE_ROLES)),
    ("assess", "scoring:quotas", _("任务完成"), "bi-list-check", set(OFFICE_ROLES)),
    ("admin", "quality:references", _("参考资料库"), "bi-book", {Role.EDITOR, Role.SIGNER}),
    ("admin", "quality:keywords", _("保密词库"), "bi-shield-lock", {Role.SECURITY_ADMIN}),
    ("admin", "quality:wording_rules", _("用语规则"), "bi-spellcheck", {Role.EDITOR, Role.SYSTEM_ADMIN}),
    ("admin", "orgs:tree", _("组织机构"), "bi-diagram-3", None),
    (
        "admin",
        "orgs:informants",
        _("信息员备案"),
        "bi-person-badge",
        {Role.UNIT_ADMIN, Role.SYSTEM_ADMIN, *OFFICE_ROLES},
    ),
    ("admin", "accounts:people", _("人员管理"), "bi-people", {Role.UNIT_ADMIN, *ADMIN_ROLES, *OFFICE_ROLES}),
    ("admin", "imports:start", _("批量导入"), "bi-upload", {Role.UNIT_ADMIN, Role.SYSTEM_ADMIN}),
    ("admin", "audit:log", _("审计日志"), "bi-shield-check", {Role.AUDIT_ADMIN}),
    ("admin", "accounts:tokens", _("接口令牌"), "bi-key", None),
]


@cache
def _nav_urls(script_prefix: str) -> dict[str, str]:
    """Each entry's address, reversed once per process (and script prefix): the sidebar is on every page, and
    reversing its twenty names was a tenth of a plain page's work (bench/RESULTS.md, issue 3)."""
    urls = {}
    for _group, name, _label, _icon, _roles in NAV:
        try:
            urls[name] = reverse(name)
        except NoReverseMatch:  # an app's URLs not mounted in this configuration
            continue
    return urls


def navigation(request):  # type: ignore[no-untyped-def]
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    urls = _nav_urls(get_script_prefix())
    items = []
    for group, name, label, icon, roles in NAV:
        if roles is not None and not user.has_role(*roles):
            continue
        url = urls.get(name)
        if url is None:
            continue
        items.append({"group": group, "url": url, "label": label, "icon": icon, "active": False})
    # The entry whose address is the longest prefix of the page's is the current one (/emergencies/incidents/
    # is 突发事件, not 值班室 at /emergencies/); home only on itself.
    matches = [
        i
        for i in items
        if request.path == i["url"] or (i["url"] != "/" and request.path.startswith(i["url"]))
    ]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    groups = [
        {"label": label, "items": [i for i in items if i["group"] == key]}
        for key, label in GROUPS
        if any(i["group"] == key for i in items)
    ]
    return {"nav_items": items, "nav_groups": groups}
