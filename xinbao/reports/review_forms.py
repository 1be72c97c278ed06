"""Forms of the receiving-office pages. They only shape input; the rules (states, targets, dates) live in the
review services, which the API shares, so a refusal reads the same on every channel."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from xinbao.common.forms import Form
from xinbao.orgs.models import LEVEL_RANK, Level, Unit
from xinbao.reports.models import AdoptionMode, ReportType, SubmissionState
from xinbao.scoring.quotas import QUOTA_BELOW, QUOTA_MET

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"required": _("请填写日期"), "invalid": _("日期格式不正确，应为“年-月-日”")}

STATE_OPEN = "open"
STATE_ALL = "all"


class InboxFilterForm(Form):
    q = forms.CharField(label=_("标题或正文"), required=False, max_length=50)
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
        label=_("状态"),
        required=False,
        choices=[(STATE_OPEN, _("待处理")), (STATE_ALL, _("全部状态")), *SubmissionState.choices],
    )
    quota = forms.ChoiceField(
        label=_("报送任务"),
        required=False,
        choices=[
            ("", _("全部单位")),
            (QUOTA_BELOW, _("本月未完成报送任务的单位")),
            (QUOTA_MET, _("本月已完成报送任务的单位")),
        ],
    )
    date_from = forms.DateField(
        label=_("报送日期自"), required=False, widget=DATE_WIDGET, error_messages=DATE_ERRORS
    )
    date_to = forms.DateField(label=_("至"), required=False, widget=DATE_WIDGET, error_messages=DATE_ERRORS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("结束日期不能早于开始日期"))
        return data


class IdListField(forms.Field):
    """Ticked rows of a list (many values under one name); anything that is not an id is ignored."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return list(dict.fromkeys(int(v) for v in values if str(v).isdigit()))


BULK_TAKE_UP = "take_up"
BULK_ADOPT = "adopt"
BULK_NOT_ADOPT = "not_adopt"


class BulkActionForm(Form):
    action = forms.ChoiceField(
        choices=[(BULK_TAKE_UP, _("受理")), (BULK_ADOPT, _("全文采用")), (BULK_NOT_ADOPT, _("不采用"))],
        error_messages={"required": _("请选择要执行的操作"), "invalid_choice": _("请选择要执行的操作")},
    )
    selected = IdListField(required=False)
    back = forms.CharField(required=False, max_length=1000)

    def clean_selected(self) -> list[int]:
        selected = self.cleaned_data.get("selected") or []
        if not selected:
            raise forms.ValidationError(_("请先勾选要处理的信息"))
        return selected


class ReturnForm(Form):
    comment = forms.CharField(
        label=_("修改意见"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("退回时必须填写修改意见")},
    )


class AdoptForm(Form):
    mode = forms.ChoiceField(
        label=_("采用方式"),
        choices=[
            (AdoptionMode.FULL, AdoptionMode.FULL.label),
            (AdoptionMode.PARTIAL, AdoptionMode.PARTIAL.label),
        ],
        initial=AdoptionMode.FULL,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择全文采用或部分采用"),
            "invalid_choice": _("请选择全文采用或部分采用"),
        },
    )
    publication = forms.CharField(label=_("刊物（可选）"), required=False, max_length=100)
    issue_label = forms.CharField(label=_("期号（可选）"), required=False, max_length=40)
    note = forms.CharField(label=_("备注（可选）"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The class lands on the wrapper and on each input: not Bootstrap's form-check-input (which would squeeze
        # the wrapper to 1em); app.css styles .radio-group.
        self.fields["mode"].widget.attrs["class"] = "radio-group"


class NotAdoptForm(Form):
    comment = forms.CharField(
        label=_("说明（可选）"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ForwardForm(Form):
    targets = forms.ModelMultipleChoiceField(
        label=_("转报给"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("请选择转报目标"),
            "invalid_choice": _("转报目标必须是上一级的接收单位"),
            "invalid_pk_value": _("转报目标必须是上一级的接收单位"),
        },
    )
    title = forms.CharField(label=_("标题"), required=False)
    body = forms.CharField(label=_("正文"), required=False, widget=forms.Textarea(attrs={"rows": 14}))
    reason = forms.CharField(
        label=_("修改说明（可选）"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("如：压缩篇幅、补充全县情况")}),
    )

    def __init__(self, *args: Any, targets: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelMultipleChoiceField, self.fields["targets"])
        field.queryset = Unit.objects.filter(pk__in=[u.pk for u in targets]).order_by("path")
        field.widget.attrs["class"] = "radio-group"  # see AdoptForm


class ExternalAdoptionForm(Form):
    level = forms.ChoiceField(
        label=_("采用层级"),
        choices=[("", _("请选择")), *Level.choices],
        error_messages={"required": _("请选择采用层级"), "invalid_choice": _("请选择采用层级")},
    )
    publication = forms.CharField(
        label=_("刊物"),
        max_length=100,
        error_messages={"required": _("请填写采用的刊物名称")},
        widget=forms.TextInput(attrs={"placeholder": _("如：《江州信息》")}),
    )
    issue_label = forms.CharField(
        label=_("期号（可选）"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": _("如：2026年第12期")}),
    )
    adopted_on = forms.DateField(label=_("采用日期"), widget=DATE_WIDGET, error_messages=DATE_ERRORS)
    mode = forms.ChoiceField(
        label=_("采用方式"),
        choices=AdoptionMode.choices,
        initial=AdoptionMode.FULL,
        error_messages={"required": _("采用方式无效"), "invalid_choice": _("采用方式无效")},
    )
    note = forms.CharField(label=_("备注（可选）"), required=False, max_length=200)

    def __init__(self, *args: Any, office_level: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Outside adoption is recorded at the office's own level or above (the service enforces the same rule).
        rank = LEVEL_RANK.get(office_level, max(LEVEL_RANK.values()))
        levels = [(value, label) for value, label in Level.choices if LEVEL_RANK[value] <= rank]
        cast(forms.ChoiceField, self.fields["level"]).choices = [("", _("请选择")), *levels]


class CombineForm(Form):
    selected = IdListField(required=False)
    title = forms.CharField(label=_("标题"), required=False)
    body = forms.CharField(label=_("正文"), required=False, widget=forms.Textarea(attrs={"rows": 16}))
    report_type = forms.ChoiceField(
        label=_("信息类型"),
        choices=ReportType.choices,
        initial=ReportType.ANALYSIS,
        error_messages={"required": _("请选择信息类型"), "invalid_choice": _("请选择信息类型")},
    )
