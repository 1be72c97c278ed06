from django.utils import translation

from xinbao.common.choices import choice_label
from xinbao.reports.models import ReportType


def test_choice_label_follows_the_active_language_and_keeps_unknown_values():
    assert choice_label(ReportType, "dynamic") == "动态"
    with translation.override("en"):
        assert choice_label(ReportType, "dynamic") == str(ReportType.DYNAMIC.label)
        assert choice_label(ReportType, "dynamic") != "动态"
    assert choice_label(ReportType, "dynamic") == "动态"
    assert choice_label(ReportType, "no-such-type") == "no-such-type"
