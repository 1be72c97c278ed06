from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xinbao.common.forms import Form
from xinbao.quality.models import WordingKind
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


class WordingFilterForm(Form):
    kind = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部类别")), *WordingKind.choices]
    )
    q = forms.CharField(label=_("查找"), required=False, max_length=50)
    active = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), ("1", _("启用")), ("0", _("已停用"))]
    )

    def filters(self) -> dict[str, object]:
        """The selector's filters; a bad value is ignored (the page says so) rather than failing the page."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        active = {"1": True, "0": False}.get(data.get("active") or "")
        return {"kind": data.get("kind") or None, "q": data.get("q") or "", "active": active}


class WordingRuleForm(Form):
    """Lengths and duplicates are checked by services.wording (the same checks for page, API and import)."""

    kind = forms.ChoiceField(label=_("类别"), choices=WordingKind.choices)
    wrong = forms.CharField(label=_("词语"), required=False)
    correct = forms.CharField(label=_("建议改为"), required=False)
    note = forms.CharField(label=_("说明"), required=False)


class WordingImportForm(Form):
    file = forms.FileField(
        label=_("规则文件（.xlsx）"),
        help_text=_("列：类别、词语、建议改为、说明、状态（可先导出现有规则作为模板）"),
    )
