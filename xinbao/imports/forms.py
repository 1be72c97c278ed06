"""The upload form. It only shapes input; size, format, header and password rules live in the service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from xinbao.common.forms import Form
from xinbao.imports.models import ImportKind, ImportMode


class ImportStartForm(Form):
    kind = forms.ChoiceField(label=_("导入内容"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("文件"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        error_messages={
            "required": _("请选择要上传的文件"),
            "empty": _("文件是空的（0 字节），文件中没有数据行"),
        },
    )
    mode = forms.ChoiceField(
        label=_("导入方式"),
        choices=ImportMode.choices,
        initial=ImportMode.ALL_OR_NOTHING,
        help_text=_(
            "“全部正确才导入”：任何一行有错误都不导入，先列出错误；“仅导入正确的行”：跳过有错误的行。"
        ),
    )
    initial_password = forms.CharField(
        label=_("初始密码（仅导入人员时填写）"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    initial_password2 = forms.CharField(
        label=_("再次输入初始密码"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [c for c in ImportKind.choices if c[0] in kinds]
        limit_mb = settings.IMPORT_MAX_BYTES // (1024 * 1024)
        self.fields["file"].help_text = _(
            "支持 .xlsx 和 .csv（UTF-8 或 GBK 编码）文件，不超过 %(mb)d MB。"
        ) % {"mb": limit_mb}
        self.fields["initial_password"].help_text = _(
            "至少8个字符，须包含大写字母、小写字母、数字、特殊符号中的至少3类，不能是常见密码。"
            "所有导入的人员使用同一初始密码，首次登录时须修改。"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == ImportKind.PEOPLE:
            if not data.get("initial_password"):
                self.add_error("initial_password", _("导入人员时须设置初始密码"))
            elif data.get("initial_password") != data.get("initial_password2"):
                self.add_error("initial_password2", _("两次输入的初始密码不一致"))
        return data
