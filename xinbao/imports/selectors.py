"""Who may see an import job: the person who uploaded it, and system administrators whose scope holds the unit the
uploader worked in at the time (the file, its errors and result may name people and units of that region)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from xinbao.accounts.models import Role, User
from xinbao.common.errors import NotFound
from xinbao.imports.models import ImportJob
from xinbao.orgs.selectors import scope_root


def may_import(user: User, kind: str | None = None) -> bool:
    """Units: system administrators. People: system administrators and unit administrators."""
    if not user.is_authenticated or user.unit_id is None:
        return False
    if kind == "units":
        return user.has_role(Role.SYSTEM_ADMIN)
    return user.has_role(Role.SYSTEM_ADMIN, Role.UNIT_ADMIN)


def import_job_list_visible_to(*, user: User) -> QuerySet[ImportJob]:
    if not user.is_authenticated:
        return ImportJob.objects.none()
    visible = Q(created_by=user)
    root = scope_root(user)
    if root is not None and user.has_role(Role.SYSTEM_ADMIN):
        visible |= Q(unit__path__startswith=root.path)
    return (
        ImportJob.objects.filter(visible).select_related("created_by", "unit").order_by("-created_at", "-id")
    )


def import_job_get_visible(*, user: User, pk: int | str) -> ImportJob:
    try:
        return import_job_list_visible_to(user=user).get(pk=pk)
    except (ImportJob.DoesNotExist, ValueError) as exc:
        raise NotFound(_("导入任务不存在或无权查看")) from exc
