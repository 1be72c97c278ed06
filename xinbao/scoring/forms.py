"""Filters of the scoring pages and the rule-set editor."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinbao.common.forms import Form
from xinbao.orgs.models import Level, UnitKind


class RankingFilter(Form):
    period = forms.CharField(
        label=_("考核期间"),
        max_length=23,
        required=False,
        help_text=_("2026、2026Q1、2026-03 或 2026-01-01..2026-06-30"),
    )
    level = forms.ChoiceField(label=_("层级"), required=False, choices=[("", _("全部层级")), *Level.choices])
    kind = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部类型")), *UnitKind.choices]
    )
    order = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[("total", _("按总分")), ("composite", _("按千分制综合得分"))],
    )


class RuleSetForm(Form):
    name = forms.CharField(label=_("名称"), max_length=100, required=False)
    rules = forms.CharField(
        label=_("计分规则（JSON）"), widget=forms.Textarea(attrs={"rows": 28, "spellcheck": "false"})
    )
    note = forms.CharField(label=_("修改说明"), max_length=200, required=False)
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_rules(self) -> Any:
        try:
            return json.loads(self.cleaned_data["rules"])
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("不是有效的 JSON：第%(line)d行第%(col)d列附近有误") % {"line": exc.lineno, "col": exc.colno}
            ) from exc
