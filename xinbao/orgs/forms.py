"""Forms of the orgs pages. They only shape input; the rules live in services (which the API shares)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xinbao.common.forms import Form
from xinbao.orgs.models import InformantKind, Level, Unit, UnitKind

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"required": _("请填写日期"), "invalid": _("日期格式不正确，应为“年-月-日”")}
REASON_ERRORS = {"required": _("请填写事由")}


class UnitForm(Form):
    code = forms.CharField(
        label=_("单位编码"), max_length=32, error_messages={"required": _("请填写单位编码")}
    )
    name = forms.CharField(
        label=_("单位名称"), max_length=100, error_messages={"required": _("请填写单位名称")}
    )
    short_name = forms.CharField(label=_("简称"), max_length=40, required=False)
    level = forms.ChoiceField(label=_("层级"), choices=Level.choices)
    kind = forms.ChoiceField(label=_("类型"), choices=UnitKind.choices)
    parent = forms.ModelChoiceField(
        label=_("上级单位"),
        queryset=Unit.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("所选上级单位不在您的管辖范围内")},
    )
    is_receiving_office = forms.BooleanField(
        label=_("接收单位（党委办公室、政府办公室或系统办公室，设信息科）"), required=False
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    sort_order = forms.IntegerField(
        label=_("排序"), initial=0, min_value=-100000, max_value=100000, help_text=_("数字小的排在前面")
    )
    phone = forms.CharField(label=_("联系电话"), max_length=40, required=False)

    def __init__(self, *args: Any, parents: QuerySet[Unit] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if parents is None:
            # Creating below a fixed parent, or editing the scope root whose parent is not the editor's.
            del self.fields["parent"]
        else:
            self.fields["parent"].queryset = parents
            self.fields["parent"].required = True
            self.fields["parent"].label_from_instance = lambda u: f"{'　' * u.depth}{u.name}"


class DirectTargetsForm(Form):
    offices = forms.ModelMultipleChoiceField(
        label=_("直报目标单位"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("所选单位不能作为本单位的直报目标")},
        help_text=_("不选任何单位即取消信息直报点。本单位的主渠道接收单位始终抄送。"),
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, candidates: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offices"].queryset = candidates
        # CheckboxSelectMultiple is not a Select: give each box the Bootstrap check class, not form-control.
        self.fields["offices"].widget.attrs["class"] = "form-check-input"


class InformantRegisterForm(Form):
    person = forms.ModelChoiceField(
        label=_("人员"),
        queryset=Unit.objects.none(),
        empty_label=_("请选择本单位人员"),
        error_messages={
            "required": _("请选择人员"),
            "invalid_choice": _("所选人员不是本单位在职人员，或已是在册信息员"),
        },
    )
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=InformantKind.choices,
        widget=forms.RadioSelect,
        initial=InformantKind.FULL_TIME,
        error_messages={"required": _("请选择专职或兼职"), "invalid_choice": _("请选择专职或兼职")},
    )
    start_date = forms.DateField(label=_("备案日期"), widget=DATE_WIDGET, error_messages=DATE_ERRORS)
    reason = forms.CharField(
        label=_("备案事由"),
        max_length=200,
        error_messages=REASON_ERRORS,
        widget=forms.TextInput(attrs={"placeholder": _("如：新任命、岗位调整")}),
    )

    def __init__(self, *args: Any, candidates: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = candidates
        self.fields["person"].label_from_instance = lambda p: (
            gettext("%(name)s（%(username)s）") % {"name": p.full_name, "username": p.username}
            + (f" {p.title}" if p.title else "")
        )
        self.fields["start_date"].initial = timezone.localdate()
        # Django puts a RadioSelect's class on the wrapping <div> as well as on each input, so it cannot be
        # Bootstrap's form-check-input (which would squeeze the wrapper to 1em); app.css styles .radio-group.
        self.fields["kind"].widget.attrs["class"] = "radio-group"


class InformantChangeKindForm(Form):
    kind = forms.ChoiceField(
        label=_("变更为"),
        choices=InformantKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择专职或兼职"), "invalid_choice": _("请选择专职或兼职")},
    )
    effective_date = forms.DateField(label=_("生效日期"), widget=DATE_WIDGET, error_messages=DATE_ERRORS)
    reason = forms.CharField(label=_("变更事由"), max_length=200, error_messages=REASON_ERRORS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["effective_date"].initial = timezone.localdate()
        # Django puts a RadioSelect's class on the wrapping <div> as well as on each input, so it cannot be
        # Bootstrap's form-check-input (which would squeeze the wrapper to 1em); app.css styles .radio-group.
        self.fields["kind"].widget.attrs["class"] = "radio-group"


class InformantEndForm(Form):
    end_date = forms.DateField(label=_("终止日期"), widget=DATE_WIDGET, error_messages=DATE_ERRORS)
    reason = forms.CharField(
        label=_("终止事由"),
        max_length=200,
        error_messages=REASON_ERRORS,
        widget=forms.TextInput(attrs={"placeholder": _("如：调离本单位、退休、岗位调整")}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["end_date"].initial = timezone.localdate()


class InformantFilterForm(Form):
    """GET filters of the registry; invalid values are ignored rather than refused (it is a search box)."""

    q = forms.CharField(label=_("搜索"), required=False, max_length=50)
    kind = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部类型")), *InformantKind.choices]
    )
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
