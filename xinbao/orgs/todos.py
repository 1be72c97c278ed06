"""待办 about the informant registry (PRODUCT 2: every unit names at least one 专职信息员)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from xinbao.accounts.models import Role
from xinbao.common.todos import Todo, register
from xinbao.orgs.selectors import unit_list_without_informant, units_without_informant_count


@register
def informant_gaps(user):  # type: ignore[no-untyped-def]
    if not user.is_authenticated or user.unit_id is None:
        return []
    # System admins keep the registry of their region and the office's 信息科 chases units without an informant.
    if user.has_role(Role.SYSTEM_ADMIN) or (user.unit.is_receiving_office and user.has_role(Role.EDITOR)):
        count = units_without_informant_count(user=user)
        if not count:
            return []
        return [
            Todo(
                title=_("本辖区有%(n)d个单位没有在册专职信息员") % {"n": count},
                url=reverse("orgs:informants") + "#gaps",
                count=count,
                level="warning",
            )
        ]
    if user.has_role(Role.UNIT_ADMIN) and unit_list_without_informant(user=user).exists():
        return [
            Todo(
                title=_("本单位尚无在册专职信息员，请办理信息员备案"),
                url=reverse("orgs:informant_register", args=[user.unit_id]),
                level="danger",
            )
        ]
    return []
