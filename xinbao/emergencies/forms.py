"""Forms of the duty board and the incident page. Validation of substance is the services' (one place)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinbao.common.forms import Form
from xinbao.emergencies.models import IncidentCategory, IncidentGrade, IssueKind, IssueSource, ReportKind

DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


def _dt(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, widget=DT, input_formats=DT_FORMATS)


class IncidentFields(Form):
    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=None)  # type: ignore[arg-type]
    title = forms.CharField(label=_("事件名称"), max_length=80)
    # The services' wording, so a refused grade reads the same on the page as through the API.
    category = forms.ChoiceField(
        label=_("事件类别"),
        choices=IncidentCategory.choices,
        error_messages={
            "invalid_choice": _("事件类别无效：须为自然灾害、事故灾难、公共卫生事件或社会安全事件")
        },
    )
    grade = forms.ChoiceField(
        label=_("事件等级"),
        choices=IncidentGrade.choices,
        error_messages={"invalid_choice": _("事件等级无效：须为特别重大、重大、较大或一般")},
    )
    occurred_at = _dt(_("发生时间"))
    learned_at = _dt(_("获悉时间"))
    place = forms.CharField(label=_("发生地点"), max_length=120)
    summary = forms.CharField(label=_("简要情况"), widget=forms.Textarea(attrs={"rows": 3}))
    deaths = forms.IntegerField(label=_("死亡"), min_value=0, initial=0)
    injured = forms.IntegerField(label=_("受伤"), min_value=0, initial=0)
    missing = forms.IntegerField(label=_("失踪"), min_value=0, initial=0)
    trapped = forms.IntegerField(label=_("被困"), min_value=0, initial=0)
    direct_loss = forms.DecimalField(
        label=_("直接经济损失（万元）"), min_value=0, initial=0, decimal_places=2
    )

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class PhoneIncidentForm(IncidentFields):
    """The duty room's form: the call and the incident it reports, in one go (值班室接报登记)."""

    received_at = _dt(_("来电时间"))
    caller = forms.CharField(label=_("报告人"), max_length=40)
    caller_phone = forms.CharField(label=_("联系电话"), max_length=30)
    phone_summary = forms.CharField(label=_("报告内容"), widget=forms.Textarea(attrs={"rows": 2}))


class PhoneReportForm(Form):
    received_at = _dt(_("来电时间"))
    caller = forms.CharField(label=_("报告人"), max_length=40)
    caller_phone = forms.CharField(label=_("联系电话"), max_length=30)
    phone_summary = forms.CharField(label=_("报告内容"), widget=forms.Textarea(attrs={"rows": 2}))


class WrittenReportForm(Form):
    kind = forms.ChoiceField(label=_("报告类别"), choices=ReportKind.choices)
    body = forms.CharField(label=_("报告正文"), widget=forms.Textarea(attrs={"rows": 6}))
    deaths = forms.IntegerField(label=_("死亡"), min_value=0, required=False)
    injured = forms.IntegerField(label=_("受伤"), min_value=0, required=False)
    missing = forms.IntegerField(label=_("失踪"), min_value=0, required=False)
    trapped = forms.IntegerField(label=_("被困"), min_value=0, required=False)
    direct_loss = forms.DecimalField(
        label=_("直接经济损失（万元）"), min_value=0, required=False, decimal_places=2
    )
    key = forms.CharField(widget=forms.HiddenInput, required=False)


class IssueForm(Form):
    kind = forms.ChoiceField(label=_("类别"), choices=IssueKind.choices)
    source = forms.ChoiceField(label=_("获悉渠道"), choices=IssueSource.choices)
    learned_at = _dt(_("获悉时间"))
    evidence = forms.CharField(label=_("事实依据"), widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(Form):
    answer = forms.CharField(label=_("单位说明"), widget=forms.Textarea(attrs={"rows": 3}))


class RuleForm(Form):
    grade = forms.ChoiceField(label=_("事件等级"), choices=IncidentGrade.choices, widget=forms.HiddenInput)
    phone_minutes = forms.IntegerField(label=_("电话报告时限（分钟）"), min_value=1, required=False)
    written_minutes = forms.IntegerField(label=_("书面报告时限（分钟）"), min_value=1)
    cap_minutes = forms.IntegerField(label=_("事发后最迟（分钟）"), min_value=1)
    follow_up_times = forms.CharField(label=_("续报时点"), required=False, max_length=60)
    follow_up_min_gap_minutes = forms.IntegerField(label=_("首次续报最短间隔（分钟）"), min_value=0)
    grace_minutes = forms.IntegerField(label=_("逾期上报宽限（分钟）"), min_value=0)


class MonthForm(Form):
    month = forms.RegexField(
        label=_("月份"), regex=r"^\d{4}-\d{2}$", widget=forms.TextInput(attrs={"type": "month"})
    )
