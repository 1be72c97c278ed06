from django import forms
from django.utils.translation import gettext_lazy as _

from xinbao.accounts.models import Role
from xinbao.common.forms import Form


def posted(request):  # type: ignore[no-untyped-def]
    """The data to bind a form to: the POST body on a POST (even an empty one), else None (an unbound form)."""
    return request.POST if request.method == "POST" else None


class LoginForm(Form):
    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class PasswordChangeForm(Form):
    old_password = forms.CharField(
        label=_("原密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password = forms.CharField(
        label=_("新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少8位，包含大写字母、小写字母、数字、特殊符号中的至少3类。"),
    )
    new_password2 = forms.CharField(
        label=_("确认新密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", _("两次输入的新密码不一致"))
        return data


class OTPTokenForm(Form):
    token = forms.RegexField(
        label=_("动态验证码"),
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={"invalid": _("请输入6位数字验证码")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


# --- People management ------------------------------------------------------------------------------------------


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):  # type: ignore[no-untyped-def]
        return obj.name


ACTIVE_CHOICES = [("", _("全部")), ("1", _("在用")), ("0", _("已停用"))]


class PersonFilterForm(Form):
    q = forms.CharField(
        label=_("姓名/用户名/手机"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("姓名、用户名或手机号")}),
    )
    unit_name = forms.CharField(
        label=_("单位"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("单位名称")}),
    )
    role = forms.ChoiceField(label=_("角色"), required=False, choices=[("", _("全部")), *Role.choices])
    active = forms.ChoiceField(label=_("状态"), required=False, choices=ACTIVE_CHOICES)
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)


class PasswordPairMixin:
    """Two password boxes that must agree; the policy itself is checked by the service."""

    password_field = "password"

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()  # type: ignore[misc]
        first, second = data.get(self.password_field), data.get(self.password_field + "2")
        if (first or second) and first != second:
            self.add_error(self.password_field + "2", _("两次输入的密码不一致"))  # type: ignore[attr-defined]
        return data


class PersonForm(Form):
    full_name = forms.CharField(label=_("姓名"), max_length=40)
    unit = UnitChoiceField(label=_("单位"), queryset=None, empty_label=_("请选择单位"))
    title = forms.CharField(label=_("职务"), max_length=60, required=False)
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("电子邮箱"), required=False, error_messages={"invalid": _("电子邮箱格式不正确")}
    )

    def __init__(self, *args, units=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].error_messages["invalid_choice"] = _("请选择您有权管理的单位")


class PersonCreateForm(PasswordPairMixin, PersonForm):
    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        help_text=_("登录用，3至150位字母、数字或 _ . @ -，建立后不能修改。"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    password = forms.CharField(
        label=_("初始密码"),
        strip=False,
        help_text=_("至少8位，包含大写字母、小写字母、数字、特殊符号中的至少3类；本人首次登录时须修改。"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("确认初始密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    field_order = ["username", "full_name", "unit", "title", "phone", "email", "password", "password2"]


class PersonActiveForm(Form):
    reason = forms.CharField(
        label=_("原因"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写原因")},
    )


class PasswordResetForm(PasswordPairMixin, Form):
    password_field = "new_password"
    new_password = forms.CharField(
        label=_("临时密码"),
        strip=False,
        required=False,
        help_text=_("留空则由系统生成。本人下次登录时须修改。"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("确认临时密码"),
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class RoleChangeForm(Form):
    role = forms.ChoiceField(choices=Role.choices, error_messages={"invalid_choice": _("角色无效")})
    action = forms.ChoiceField(
        choices=[("grant", _("授予")), ("revoke", _("撤销"))],
        error_messages={"invalid_choice": _("操作无效")},
    )


class TokenIssueForm(Form):
    name = forms.CharField(
        label=_("令牌名称"),
        max_length=60,
        required=False,
        help_text=_("便于识别用途，例如“办公系统对接”。"),
    )
