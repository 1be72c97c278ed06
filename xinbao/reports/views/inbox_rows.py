"""The inbox table's rows, built in Python rather than in the template.

Why: the inbox is the page an office editor keeps open all day, and at province scale rendering 50 rows through the
template engine (~20 variable lookups, two translations and a URL reversal per row) was most of the page's CPU
(bench/RESULTS.md, issue 3). Here each label is translated once per page, the review URL is reversed once and
filled in per row, and every value still goes through ``format_html`` escaping."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from xinbao.reports.models import ReportType, Submission, SubmissionState, Visibility


def _badge(css: str, text: str, title: str = "") -> str:
    if title:
        return format_html('<span class="badge {}" title="{}">{}</span>', css, title, text)
    return format_html('<span class="badge {}">{}</span>', css, text)


def render_inbox_rows(submissions: Iterable[Submission], *, may_act: bool) -> SafeString:
    restricted = " " + _badge("text-bg-danger", _("内参"))
    emergency = " " + _badge("text-bg-warning", _("紧急"))
    direct = _badge("text-bg-primary", _("直报"))
    copy = _badge("text-bg-secondary", _("抄送"))
    escalated = _badge("text-bg-warning", _("越级报送"), _("审签超时，起草人越级报送"))
    after = _badge("text-bg-info", _("事后审签"), _("紧急信息先报后签"))
    type_labels = {value: str(label) for value, label in ReportType.choices}
    state_labels = {value: str(label) for value, label in SubmissionState.choices}
    select_label = _("选择《%(title)s》")
    review_url = reverse("reports:review", args=[0])[:-2]  # ".../inbox/0/" → ".../inbox/"; ids appended below
    rows = []
    for s in submissions:
        r = s.report
        submitted = timezone.localtime(s.submitted_at).strftime("%Y-%m-%d %H:%M") if s.submitted_at else ""
        state = state_labels.get(s.state, s.state)
        if s.state == SubmissionState.UNDER_REVIEW and s.reviewer_id and s.reviewer:
            state = format_html('{}<span class="text-muted">（{}）</span>', state, s.reviewer.full_name)
        marks = (direct if s.is_direct else "") + (copy if s.is_copy else "")
        signoff = (escalated if r.escalated_at else "") + (after if r.signoff_after_send else "")
        title_badges = (restricted if r.visibility == Visibility.RESTRICTED else "") + (
            emergency if r.report_type == ReportType.EMERGENCY else ""
        )
        select = (
            format_html(
                '<td><input class="form-check-input" type="checkbox" name="selected" value="{}" id="sel-{}" '
                'aria-label="{}"></td>',
                s.pk,
                s.pk,
                select_label % {"title": r.title},
            )
            if may_act
            else ""
        )
        rows.append(
            (
                select,
                submitted,
                r.unit.short_name or r.unit.name,
                f"{review_url}{s.pk}/",
                r.title,
                mark_safe(title_badges),
                type_labels.get(r.report_type, r.report_type),
                state,
                mark_safe(marks),
                mark_safe(signoff),
            )
        )
    return format_html_join(
        "\n",
        '<tr>{}<td class="text-nowrap small">{}</td><td>{}</td><td><a href="{}">{}</a>{}</td>'
        '<td class="small">{}</td><td class="small text-nowrap">{}</td><td class="text-nowrap">{}</td>'
        '<td class="text-nowrap">{}</td></tr>',
        rows,
    )
