"""Forms of the duty pages. They check shape only (a date is a date); the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinbao.common.forms import Form
from xinbao.duty.models import CONTENT_MAX, NAME_MAX, PHONE_MAX, DutyRole, LogKind

DATE_ERRORS = {"invalid": _("日期格式不正确，应为2026-10-01"), "required": _("请填写日期")}


class RosterLineForm(Form):
    day = forms.DateField(label=_("值班日期"), widget=forms.HiddenInput, error_messages=DATE_ERRORS)
    shift = forms.CharField(label=_("班次"), max_length=20, widget=forms.HiddenInput)
    role = forms.ChoiceField(
        label=_("岗位"),
        choices=DutyRole.choices,
        error_messages={"invalid_choice": _("岗位无效，应为带班领导或值班员"), "required": _("请选择岗位")},
    )
    person = forms.ModelChoiceField(
        label=_("本单位人员"),
        queryset=None,
        required=False,
        empty_label=_("（不是本单位人员，手填姓名）"),
        error_messages={"invalid_choice": _("所选人员不是本单位在岗人员")},
    )
    name = forms.CharField(label=_("姓名"), max_length=NAME_MAX, required=False)
    phone = forms.CharField(label=_("值班电话"), max_length=PHONE_MAX, required=False)

    def __init__(self, *args: Any, colleagues: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = colleagues
        self.fields["person"].label_from_instance = lambda u: f"{u.full_name}（{u.phone or u.username}）"


class RosterEditForm(Form):
    person = forms.ModelChoiceField(
        label=_("本单位人员"),
        queryset=None,
        required=False,
        empty_label=_("（不是本单位人员，手填姓名）"),
        error_messages={"invalid_choice": _("所选人员不是本单位在岗人员")},
    )
    name = forms.CharField(label=_("姓名"), max_length=NAME_MAX, required=False)
    phone = forms.CharField(label=_("值班电话"), max_length=PHONE_MAX, required=False)

    def __init__(self, *args: Any, colleagues: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = colleagues
        self.fields["person"].label_from_instance = lambda u: f"{u.full_name}（{u.phone or u.username}）"


class CopyWeekForm(Form):
    source = forms.DateField(label=_("复制哪一周（任选该周一天）"), error_messages=DATE_ERRORS)
    target = forms.DateField(label=_("复制到哪一周（任选该周一天）"), error_messages=DATE_ERRORS)
    replace = forms.BooleanField(label=_("覆盖目标周已有排班"), required=False)


class ImportForm(Form):
    file = forms.FileField(label=_("排班文件（.xlsx）"), error_messages={"required": _("请选择要导入的文件")})


class SettingsForm(Form):
    shifts = forms.CharField(
        label=_("班次（每行一个，如“白班 08:00-18:00”；结束早于开始表示次日结束）"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请至少设置一个班次")},
    )
    min_staff = forms.IntegerField(label=_("每小时最少值班员"), min_value=1, max_value=10)
    min_leaders = forms.IntegerField(label=_("每小时最少带班领导"), min_value=1, max_value=10)
    strict_holidays = forms.MultipleChoiceField(
        label=_("从严节日"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )
    strict_min_staff = forms.IntegerField(label=_("从严节日最少值班员"), min_value=1, max_value=10)
    strict_min_leaders = forms.IntegerField(label=_("从严节日最少带班领导"), min_value=1, max_value=10)

    def __init__(self, *args: Any, holidays: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["strict_holidays"].choices = [(h, _(h)) for h in holidays]
        self.fields["strict_holidays"].widget.attrs["class"] = "form-check-input"


class LogEntryForm(Form):
    at = forms.DateTimeField(
        label=_("时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": _("时间格式不正确"), "required": _("请填写时间")},
    )
    kind = forms.ChoiceField(
        label=_("类别"), choices=LogKind.choices, error_messages={"invalid_choice": _("类别无效")}
    )
    content = forms.CharField(
        label=_("内容"),
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写内容")},
    )


class HandoverForm(Form):
    from_shift = forms.CharField(
        label=_("交班班次"), max_length=40, error_messages={"required": _("请填写交班班次")}
    )
    to_shift = forms.CharField(
        label=_("接班班次"), max_length=40, error_messages={"required": _("请填写接班班次")}
    )
    incoming = forms.ModelChoiceField(
        label=_("接班人"),
        queryset=None,
        error_messages={"invalid_choice": _("接班人须是本单位在岗人员"), "required": _("请选择接班人")},
    )
    outstanding = forms.CharField(
        label=_("待办事项（没有请写“无”）"),
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写待办事项，没有请写“无”")},
    )

    def __init__(self, *args: Any, colleagues: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["incoming"].queryset = colleagues
        self.fields["incoming"].label_from_instance = lambda u: u.full_name
