"""Forms of the bulletin pages. They only parse input; every rule is checked by the services."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinbao.accounts.models import User
from xinbao.bulletins.models import Classification, RecipientKind, SeriesKind
from xinbao.bulletins.selectors import distribution_units, reader_candidates
from xinbao.common.forms import Form
from xinbao.orgs.models import Unit
from xinbao.reports.models import AdoptionMode


def _units_field(label: Any) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        error_messages={"invalid_choice": _("所选单位无效"), "invalid_pk_value": _("所选单位无效")},
    )


class DistributionMixin(forms.Form):
    report_units = _units_field(_("报"))
    send_units = _units_field(_("送"))
    issue_units = _units_field(_("发"))

    def set_office(self, office: Unit) -> None:
        units = distribution_units(office)
        for name in ("report_units", "send_units", "issue_units"):
            self.fields[name].queryset = units  # type: ignore[attr-defined]

    def recipients(self) -> dict[str, list[Unit]]:
        return {
            RecipientKind.REPORT: list(self.cleaned_data["report_units"]),
            RecipientKind.SEND: list(self.cleaned_data["send_units"]),
            RecipientKind.ISSUE: list(self.cleaned_data["issue_units"]),
        }


class SeriesForm(DistributionMixin, Form):
    name = forms.CharField(label=_("刊物名称"), max_length=40, help_text=_("不加书名号，如：安平信息"))
    code = forms.CharField(
        label=_("刊物代码"), max_length=32, help_text=_("小写字母、数字或连字符，导出命令使用")
    )
    kind = forms.ChoiceField(label=_("刊物类型"), choices=SeriesKind.choices)
    classification = forms.ChoiceField(label=_("密级"), choices=Classification.choices)
    copies = forms.IntegerField(label=_("印数"), min_value=1, max_value=100000, initial=50)
    total_start = forms.IntegerField(
        label=_("起始总期号"), min_value=1, max_value=100000, initial=1, help_text=_("接续纸质刊物时填写")
    )
    show_total_number = forms.BooleanField(label=_("报头显示总期号"), required=False, initial=True)
    publisher_name = forms.CharField(
        label=_("编印单位署名"), max_length=60, required=False, help_text=_("留空时使用本单位全称")
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)


class IssueMetaForm(Form):
    editor_note = forms.CharField(
        label=_("编者按"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    classification = forms.ChoiceField(label=_("密级"), choices=Classification.choices)
    copies = forms.IntegerField(label=_("印数"), min_value=1, max_value=100000)
    serial = forms.CharField(
        label=_("编号"), max_length=32, required=False, help_text=_("留空则印发时自动编号")
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class DistributionForm(DistributionMixin, Form):
    readers = forms.ModelMultipleChoiceField(
        label=_("指定阅读人（内参、秘密刊物）"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        error_messages={"invalid_choice": _("所选人员无效"), "invalid_pk_value": _("所选人员无效")},
    )

    def set_office(self, office: Unit) -> None:
        super().set_office(office)
        self.fields["readers"].queryset = reader_candidates(office=office)  # type: ignore[attr-defined]


class EntryForm(Form):
    title = forms.CharField(label=_("标题"), max_length=60)
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 12}))
    source_line = forms.CharField(label=_("来源署名"), max_length=100, required=False)
    mode = forms.ChoiceField(label=_("采用方式"), choices=AdoptionMode.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class AddEntryForm(Form):
    report = forms.IntegerField(label=_("信息"), min_value=1)


class PublishForm(Form):
    issue_date = forms.DateField(label=_("印发日期"), required=False, help_text=_("留空为今天"))


class NewIssueForm(Form):
    is_supplement = forms.BooleanField(label=_("增刊"), required=False)


class ReaderAddForm(Form):
    """A person to name as reader. The options are grouped by unit; the service checks the choice (scope, 内参 rule,
    already named), so the field only parses an id."""

    person = forms.IntegerField(
        label=_("增加阅读人"),
        widget=forms.Select,
        error_messages={"required": _("请选择要增加的阅读人"), "invalid": _("所选人员无效")},
    )

    def set_options(self, people: Iterable[User]) -> None:
        groups: dict[str, list[tuple[int, str]]] = {}
        for person in people:
            unit = person.unit.name if person.unit is not None else ""
            groups.setdefault(unit, []).append((person.pk, person.full_name or person.username))
        self.fields["person"].widget.choices = [("", _("请选择人员")), *groups.items()]
