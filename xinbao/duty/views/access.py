"""Who may open the duty pages: the office's people read, its duty officers and unit admin edit (selectors)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinbao.duty.selectors import may_edit_duty, office_of
from xinbao.orgs.models import Unit


def office_for_reader(request: HttpRequest) -> Unit:
    office = office_of(request.user)
    if office is None:
        raise PermissionDenied(_("值班信息只对接收单位（党委办、政府办）的人员开放"))
    return office


def office_for_editor(request: HttpRequest) -> Unit:
    office = office_for_reader(request)
    if not may_edit_duty(request.user, office):
        raise PermissionDenied(_("只有本单位的值班员或单位管理员可以修改排班和值班记录"))
    return office
