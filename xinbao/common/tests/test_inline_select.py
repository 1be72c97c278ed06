"""The inline select template (common/widgets/select.html) must write exactly what Django's own templates write."""

from __future__ import annotations

from django import forms

from xinbao.common.forms import INLINE_SELECT, STOCK_SELECT, Form

GROUPED = [
    ("", "全部"),
    ("县级", [("a", "安平县<委办>"), ("b", 'B & "C"')]),
    ("市级", [(1, "平州市"), (2, "二")]),
]


class Sample(Form):
    one = forms.ChoiceField(choices=GROUPED, required=False)
    many = forms.MultipleChoiceField(choices=GROUPED, required=False)
    flag = forms.NullBooleanField(required=False)
    plain = forms.TypedChoiceField(choices=[(1, "一"), (2, "二")], coerce=int, required=False)


class DisabledFirst(forms.Select):
    """A widget with an attribute on one option: the template must write the option's attributes too."""

    def create_option(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        option = super().create_option(*args, **kwargs)
        if option["value"] == "":
            option["attrs"]["disabled"] = True
            option["attrs"]["data-note"] = "请选择"
        return option


def _both(form: Form, name: str) -> tuple[str, str]:
    widget = form.fields[name].widget
    assert widget.template_name == INLINE_SELECT
    inline = str(form[name])
    widget.template_name = STOCK_SELECT
    stock = str(form[name])
    widget.template_name = INLINE_SELECT
    return inline, stock


def test_same_markup_unbound_and_bound():
    for data in (None, {"one": "b", "many": ["a", "2"], "flag": "true", "plain": "2"}, {"one": "<x>"}):
        form = Sample(data)
        if data:
            form.is_valid()
        for name in ("one", "many", "flag", "plain"):
            inline, stock = _both(form, name)
            assert inline == stock, name
    assert "安平县&lt;委办&gt;" in str(Sample()["one"])


def test_same_markup_with_option_attributes():
    form = Sample()
    form.fields["one"].widget = DisabledFirst(choices=GROUPED, attrs={"class": "form-select"})
    form.fields["one"].widget.template_name = INLINE_SELECT
    inline, stock = _both(form, "one")
    assert inline == stock
    assert 'disabled data-note="请选择"' in inline


def test_only_stock_templates_are_replaced():
    class Radios(Form):
        pick = forms.ChoiceField(choices=[("a", "甲")], widget=forms.RadioSelect)
        custom = forms.ChoiceField(choices=[("a", "甲")])

        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            self.base_fields["custom"].widget.option_template_name = "my/option.html"
            super().__init__(*args, **kwargs)

    form = Radios()
    assert form.fields["pick"].widget.template_name == forms.RadioSelect.template_name
    assert form.fields["custom"].widget.template_name == STOCK_SELECT
