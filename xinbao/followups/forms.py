"""Forms of the follow-up pages. They only shape input; the services decide (and say why in Chinese)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinbao.bulletins.models import IssueEntry
from xinbao.common.forms import Form
from xinbao.followups.models import CommissionKind, LeaderRank
from xinbao.followups.services.instructions import IMAGE_ACCEPT
from xinbao.orgs.models import Unit
from xinbao.reports.models import ReportType

_REQUIRED = {"required": _("此项为必填项")}


class InstructionForm(Form):
    leader_name = forms.CharField(label=_("批示领导"), max_length=40, error_messages=_REQUIRED)
    leader_title = forms.CharField(label=_("领导职务"), max_length=60, required=False)
    rank = forms.ChoiceField(label=_("领导级别"), choices=LeaderRank.choices, error_messages=_REQUIRED)
    instructed_on = forms.DateField(
        label=_("批示日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={**_REQUIRED, "invalid": _("请输入有效的日期")},
    )
    text = forms.CharField(
        label=_("批示内容"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages=_REQUIRED,
    )
    issue_entry = forms.ModelChoiceField(
        label=_("批示在哪期刊物上（可选）"),
        queryset=IssueEntry.objects.none(),
        required=False,
        empty_label=_("批在信息原稿上"),
        error_messages={"invalid_choice": _("所选刊物不是本单位刊发这条信息的期刊")},
    )
    image = forms.FileField(
        label=_("批示件扫描（JPG、PNG或PDF，可选）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
    )

    def __init__(self, *args: Any, entries: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["issue_entry"]
        if entries is None or not entries.exists():
            # Not printed in a bulletin of this office: nothing to choose.
            del self.fields["issue_entry"]
            return
        field.queryset = entries
        field.label_from_instance = lambda e: f"《{e.issue.series.name}》{e.issue.label}"


class AssignForm(Form):
    units = forms.ModelMultipleChoiceField(
        label=_("承办单位"),
        queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        error_messages={**_REQUIRED, "invalid_choice": _("所选单位无效")},
    )
    workdays = forms.IntegerField(
        label=_("反馈时限（工作日）"),
        min_value=1,
        max_value=60,
        initial=5,
        error_messages={
            **_REQUIRED,
            "invalid": _("反馈时限须为整数个工作日"),
            "min_value": _("反馈时限须在1至60个工作日之间"),
            "max_value": _("反馈时限须在1至60个工作日之间"),
        },
    )
    requirement = forms.CharField(
        label=_("交办要求"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["units"].queryset = units


class FeedbackForm(Form):
    title = forms.CharField(label=_("标题"), max_length=60, error_messages=_REQUIRED)
    body = forms.CharField(
        label=_("落实情况"), widget=forms.Textarea(attrs={"rows": 8}), error_messages=_REQUIRED
    )


class DecideForm(Form):
    decision = forms.ChoiceField(
        choices=[("accept", _("认可并办结")), ("more", _("要求补充反馈"))],
        error_messages={**_REQUIRED, "invalid_choice": _("请选择审核结果")},
    )
    comment = forms.CharField(label=_("审核意见"), required=False, max_length=500)
    workdays = forms.IntegerField(
        label=_("补充反馈时限（工作日）"),
        required=False,
        min_value=1,
        max_value=60,
        error_messages={
            "invalid": _("反馈时限须为整数个工作日"),
            "min_value": _("反馈时限须在1至60个工作日之间"),
            "max_value": _("反馈时限须在1至60个工作日之间"),
        },
    )


class CommissionForm(Form):
    kind = forms.ChoiceField(label=_("类型"), choices=CommissionKind.choices, error_messages=_REQUIRED)
    title = forms.CharField(label=_("标题"), max_length=100, error_messages=_REQUIRED)
    body = forms.CharField(
        label=_("内容要求"), widget=forms.Textarea(attrs={"rows": 6}), error_messages=_REQUIRED
    )
    period = forms.DateField(
        label=_("所属月份（信息需求要点必填）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("请输入有效的日期")},
    )
    deadline = forms.DateField(
        label=_("截止日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={**_REQUIRED, "invalid": _("请输入有效的日期")},
    )
    is_flagship = forms.BooleanField(label=_("集中攻关（计入精品稿件目标）"), required=False)
    units = forms.ModelMultipleChoiceField(
        label=_("约稿单位（不选则发给全部下级单位）"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        error_messages={"invalid_choice": _("所选单位无效")},
    )

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["units"].queryset = units


class AnswerForm(Form):
    report_type = forms.ChoiceField(
        label=_("信息类型"),
        choices=[c for c in ReportType.choices if c[0] != ReportType.FEEDBACK],
        error_messages={**_REQUIRED, "invalid_choice": _("请选择信息类型")},
    )
    title = forms.CharField(label=_("标题"), max_length=60, error_messages=_REQUIRED)
    body = forms.CharField(
        label=_("正文"), widget=forms.Textarea(attrs={"rows": 8}), error_messages=_REQUIRED
    )


class FlagshipForm(Form):
    """A subordinate unit's yearly 精品稿件 target (3–5 集中攻关 pieces, PRODUCT 3.3)."""

    unit = forms.ModelChoiceField(
        label=_("单位"),
        queryset=Unit.objects.none(),
        error_messages={**_REQUIRED, "invalid_choice": _("所选单位无效")},
    )
    year = forms.IntegerField(
        label=_("年度"),
        min_value=2000,
        max_value=2100,
        error_messages={
            **_REQUIRED,
            "invalid": _("年度无效"),
            "min_value": _("年度无效"),
            "max_value": _("年度无效"),
        },
    )
    pieces = forms.IntegerField(
        label=_("精品稿件目标（篇）"),
        min_value=3,
        max_value=5,
        initial=3,
        error_messages={
            **_REQUIRED,
            "invalid": _("精品稿件目标须为3至5篇"),
            "min_value": _("精品稿件目标须为3至5篇"),
            "max_value": _("精品稿件目标须为3至5篇"),
        },
    )

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units
