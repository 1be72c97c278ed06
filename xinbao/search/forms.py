from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinbao.bulletins.models import Series
from xinbao.common.forms import Form
from xinbao.reports.models import ReportState, ReportType
from xinbao.search.selectors import series_choices
from xinbao.search.tokens import QUERY_MAX

if TYPE_CHECKING:
    from xinbao.accounts.models import User

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


class SeriesField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Series) -> str:  # type: ignore[override]
        # Offices name their series alike (XX信息): the office tells them apart.
        return f"{obj.name}（{obj.office.short_name or obj.office.name}）"


class SearchForm(Form):
    q = forms.CharField(
        label=_("检索词"),
        max_length=QUERY_MAX,
        error_messages={
            "required": _("请输入要检索的文字"),
            "max_length": _("检索词不能超过%(limit_value)d个字"),
        },
        widget=forms.TextInput(attrs={"placeholder": _("标题、正文或附件中的文字"), "autofocus": True}),
    )
    unit = forms.CharField(
        label=_("报送单位"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": _("单位名称或编号")}),
    )
    type = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部类型")), *ReportType.choices]
    )
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部状态")), *ReportState.choices]
    )
    date_from = forms.DateField(label=_("报送日期自"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("至"), required=False, widget=DATE_WIDGET)
    series = SeriesField(
        label=_("刊物"),
        required=False,
        queryset=Series.objects.none(),
        empty_label=_("全部刊物"),
        error_messages={"invalid_choice": _("所选刊物不存在或无权查看")},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the series the reader may see are offered (and accepted): the bulletins capability decides.
        self.fields["series"].queryset = series_choices(user=user)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("结束日期不能早于开始日期"))
        return data
