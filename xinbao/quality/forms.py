from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xinbao.common.forms import Form
from xinbao.reports.models import BODY_MAX


class CheckForm(Form):
    title = forms.CharField(label=_("标题"), required=False, max_length=200)
    body = forms.CharField(label=_("正文"), required=False, max_length=BODY_MAX * 2, widget=forms.Textarea)
    report = forms.IntegerField(label=_("信息"), required=False, min_value=1)


class ConfirmForm(Form):
    reason = forms.CharField(label=_("确认理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class ReferenceForm(Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    source = forms.CharField(label=_("来源"), max_length=300, required=False)
    text = forms.CharField(label=_("正文"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    file = forms.FileField(label=_("或上传文件（.txt/.docx）"), required=False)


class KeywordImportForm(Form):
    file = forms.FileField(label=_("关键词文件（.txt/.xlsx）"))
