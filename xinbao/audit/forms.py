from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinbao.audit.models import EventType
from xinbao.common.forms import Form


class DateInput(forms.DateInput):
    input_type = "date"


class AuditFilterForm(Form):
    date_from = forms.DateField(label=_("开始日期"), required=False, widget=DateInput(format="%Y-%m-%d"))
    date_to = forms.DateField(label=_("结束日期"), required=False, widget=DateInput(format="%Y-%m-%d"))
    user = forms.CharField(label=_("用户"), required=False, max_length=150)
    event_type = forms.ChoiceField(
        label=_("事件类型"), required=False, choices=[("", _("全部")), *EventType.choices]
    )
    result = forms.ChoiceField(
        label=_("结果"),
        required=False,
        choices=[("", _("全部")), ("success", _("成功")), ("failure", _("失败"))],
    )
    ip = forms.CharField(label=_("来源IP"), required=False, max_length=45)
    object = forms.CharField(label=_("对象"), required=False, max_length=200)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("结束日期不能早于开始日期"))
        return data
