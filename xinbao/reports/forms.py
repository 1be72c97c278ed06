"""Forms of the author and signer pages. They only shape input; the services decide (and refuse in Chinese)."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinbao.common.errors import ValidationFailed
from xinbao.common.forms import Form
from xinbao.reports.models import (
    BODY_MAX,
    RESTRICTED_BY_DEFAULT,
    TITLE_MAX,
    ReportState,
    ReportType,
    Visibility,
)
from xinbao.reports.services.attachments import ACCEPT, ALLOWED_LABEL, attachment_validate

TAG_SEPARATORS = re.compile(r"[,，、;；\s]+")
AUTO = ""


def new_key() -> str:
    """An idempotency key rendered into the page: a double click or a retried POST carries the same one."""
    return uuid.uuid4().hex


def split_tags(text: str) -> list[str]:
    return [t for t in TAG_SEPARATORS.split(text or "") if t]


def default_visibility(report_type: str) -> str:
    return Visibility.RESTRICTED if report_type in RESTRICTED_BY_DEFAULT else Visibility.NORMAL


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        single = super().clean
        items = data if isinstance(data, list | tuple) else [data]
        return [f for f in (single(d, initial) for d in items if d) if f]


class ReportForm(Form):
    """Draft and edit. ``mode`` "author" shows every field; "editor" (a receiving office's 编辑) edits the text
    only and says why (修改说明), which becomes the revision's reason."""

    title = forms.CharField(
        label=_("标题"),
        max_length=TITLE_MAX,
        error_messages={
            "required": _("请填写标题"),
            "max_length": _("标题不能超过%(limit_value)d个字（现为%(show_value)d个字）"),
        },
    )
    body = forms.CharField(
        label=_("正文"),
        max_length=BODY_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("每个段落单独一行。表格可从Excel或Word中复制粘贴（各列以制表符分隔），将按表格显示。"),
        error_messages={
            "required": _("请填写正文"),
            "max_length": _("正文不能超过%(limit_value)d个字（现为%(show_value)d个字）"),
        },
    )
    report_type = forms.ChoiceField(
        label=_("信息类型"),
        choices=[("", _("请选择")), *ReportType.choices],
        error_messages={"required": _("请选择信息类型")},
    )
    visibility = forms.ChoiceField(
        label=_("密级范围"),
        required=False,
        choices=[(AUTO, _("按类型默认（问题类为内参）")), *Visibility.choices],
        help_text=_("内参仅起草人、作者、本单位审签人、接收单位编辑和指定阅读人可见，只向上报送。"),
    )
    tags = forms.CharField(
        label=_("主题词"),
        required=False,
        max_length=250,
        help_text=_("多个主题词用逗号或顿号（、）分隔，最多10个"),
    )
    authors = forms.ModelMultipleChoiceField(
        label=_("作者"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选则作者为起草人本人"),
    )
    attachments = MultipleFileField(
        label=_("附件"),
        required=False,
        help_text=_("可多选。允许%(types)s，单个文件不超过上限。") % {"types": ALLOWED_LABEL},
    )
    reason = forms.CharField(label=_("修改说明"), required=False, max_length=200)
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    submit_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, people: Any = None, mode: str = "author", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mode = mode
        if mode == "editor":
            for name in ("report_type", "visibility", "tags", "authors", "attachments"):
                del self.fields[name]
            self.fields["reason"].help_text = _("请说明修改的内容和理由，将记入修改版本")
        else:
            self.fields["authors"].queryset = people
            self.fields["authors"].label_from_instance = lambda p: p.full_name
            self.fields["authors"].widget.attrs["class"] = "form-check-input"
            self.fields["reason"].help_text = _("选填，将记入修改版本")
        if not self.is_bound and not self.initial.get("submit_key"):
            self.initial["submit_key"] = new_key()

    def clean_attachments(self) -> list:
        files = self.cleaned_data.get("attachments") or []
        errors = []
        for upload in files:
            try:
                attachment_validate(upload)
            except ValidationFailed as exc:
                errors.append(exc.message)
        if errors:
            raise forms.ValidationError(errors)
        return files

    def clean_tags(self) -> list[str]:
        return split_tags(self.cleaned_data.get("tags", ""))

    def resolved_visibility(self) -> str:
        chosen = self.cleaned_data.get("visibility") or AUTO
        return chosen if chosen != AUTO else default_visibility(self.cleaned_data["report_type"])


MINE_STATES = [
    *ReportState.choices,
    ("returned", _("被退回修改")),
    ("adopted", _("已采用")),
]


class MineFilterForm(Form):
    q = forms.CharField(label=_("标题或正文"), required=False, max_length=50)
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *MINE_STATES])
    type = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部")), *ReportType.choices])
    date_from = forms.DateField(
        label=_("报送日期从"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class SignOffForm(Form):
    decision = forms.ChoiceField(
        label=_("审签意见"),
        choices=[("approve", _("同意报送")), ("refuse", _("不同意报送"))],
        error_messages={"required": _("请选择审签意见"), "invalid_choice": _("请选择审签意见")},
    )
    reason = forms.CharField(
        label=_("理由"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class EscalateForm(Form):
    reason = forms.CharField(
        label=_("越级报送说明"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请说明越级报送的理由")},
    )


class DiffForm(Form):
    a = forms.TypedChoiceField(label=_("版本"), coerce=int)
    b = forms.TypedChoiceField(label=_("对比版本"), coerce=int)

    def __init__(self, *args: Any, numbers: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(n, _("第%(n)d版") % {"n": n}) for n in numbers]
        for name in ("a", "b"):
            self.fields[name].choices = choices
            self.fields[name].error_messages["invalid_choice"] = _("没有这个版本")
            self.fields[name].error_messages["required"] = _("请选择要比较的版本")
