"""Password rules beyond Django's: 等保 asks for at least three of four character classes (PRODUCT 4)."""

from __future__ import annotations

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    classes = (
        ("upper", lambda c: c in string.ascii_uppercase),
        ("lower", lambda c: c in string.ascii_lowercase),
        ("digit", lambda c: c in string.digits),
        ("symbol", lambda c: not c.isalnum() and not c.isspace()),
    )

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: object = None) -> None:
        present = sum(1 for _name, test in self.classes if any(test(c) for c in password))
        if present < self.min_classes:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、特殊符号中的至少%(n)d类。") % {"n": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _("密码须包含大写字母、小写字母、数字、特殊符号中的至少%(n)d类。") % {"n": self.min_classes}
