"""Form base: Bootstrap classes on every widget, so templates stay free of per-field markup."""

from __future__ import annotations

from typing import Any

from django import forms

STOCK_SELECT = "django/forms/widgets/select.html"
STOCK_OPTION = "django/forms/widgets/select_option.html"
#: The same markup with the options written in place (see the template's comment).
INLINE_SELECT = "common/widgets/select.html"


class BootstrapFormMixin:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
                if widget.template_name == STOCK_SELECT and widget.option_template_name == STOCK_OPTION:
                    widget.template_name = INLINE_SELECT
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


class Form(BootstrapFormMixin, forms.Form):
    pass


class ModelForm(BootstrapFormMixin, forms.ModelForm):
    pass
