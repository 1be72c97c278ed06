"""The inbox table's rows, built in Python rather than in the template.

Why: the inbox is the page an office editor keeps open all day, and at province scale rendering 50 rows through the
template engine (~20 variable lookups, two translations and a URL reversal per row) was most of the page's CPU
(bench/RESULTS.md, issue 3). Here each label is translated once per page, the review URL is reversed once and
filled in per row, and every text that people wrote (title, unit, reviewer) is escaped; the rest are fixed labels
(escaped once per page), numbers and dates."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, tzinfo

# The standard library's escape (Django's wraps it with a lazy-string check per call): same output, a quarter of
# the rows' time.
from html import escape
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from xinbao.reports.models import ReportType, SubmissionState, Visibility

#: What a row shows, read as plain values: 50 rows as four model instances each (submission, item, unit,
#: reviewer) were a sixth of the page's work.
INBOX_ROW_FIELDS = (
    "pk",
    "state",
    "submitted_at",
    "is_direct",
    "is_copy",
    "reviewer_id",
    "reviewer__full_name",
    "report__title",
    "report__report_type",
    "report__visibility",
    "report__escalated_at",
    "report__signoff_after_send",
    "report__unit__name",
    "report__unit__short_name",
)


def _badge(css: str, text: str, title: str = "") -> str:
    if title:
        return format_html('<span class="badge {}" title="{}">{}</span>', css, title, text)
    return format_html('<span class="badge {}">{}</span>', css, text)


def _when(value: datetime | None, tz: tzinfo) -> str:
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M") if value else ""


def render_inbox_rows(rows: Iterable[tuple[Any, ...]], *, may_act: bool) -> SafeString:
    """``rows``: tuples of ``INBOX_ROW_FIELDS``. Labels and badges are built once per page; the texts that come
    from people (title, unit, reviewer) are escaped, the rest are fixed labels and numbers."""
    restricted = " " + _badge("text-bg-danger", _("内参"))
    emergency = " " + _badge("text-bg-warning", _("紧急"))
    direct = _badge("text-bg-primary", _("直报"))
    copy = _badge("text-bg-secondary", _("抄送"))
    escalated = _badge("text-bg-warning", _("越级报送"), _("审签超时，起草人越级报送"))
    after = _badge("text-bg-info", _("事后审签"), _("紧急信息先报后签"))
    type_labels = {value: escape(label) for value, label in ReportType.choices}
    state_labels = {value: escape(label) for value, label in SubmissionState.choices}
    select_label = _("选择《%(title)s》")
    tz = timezone.get_current_timezone()
    review_url = reverse("reports:review", args=[0])[:-2]  # ".../inbox/0/" → ".../inbox/"; ids appended below
    out = []
    for (
        pk,
        state,
        submitted_at,
        is_direct,
        is_copy,
        reviewer_id,
        reviewer_name,
        title,
        report_type,
        visibility,
        escalated_at,
        signoff_after_send,
        unit_name,
        unit_short_name,
    ) in rows:
        state_text = state_labels.get(state) or escape(state)
        if state == SubmissionState.UNDER_REVIEW and reviewer_id:
            state_text += f'<span class="text-muted">（{escape(reviewer_name)}）</span>'
        select = (
            f'<td><input class="form-check-input" type="checkbox" name="selected" value="{pk}" id="sel-{pk}" '
            f'aria-label="{escape(select_label % {"title": title})}"></td>'
            if may_act
            else ""
        )
        out.append(
            f'<tr>{select}<td class="text-nowrap small">{_when(submitted_at, tz)}</td>'
            f"<td>{escape(unit_short_name or unit_name)}</td>"
            f'<td><a href="{review_url}{pk}/">{escape(title)}</a>'
            f"{restricted if visibility == Visibility.RESTRICTED else ''}"
            f"{emergency if report_type == ReportType.EMERGENCY else ''}</td>"
            f'<td class="small">{type_labels.get(report_type) or escape(report_type)}</td>'
            f'<td class="small text-nowrap">{state_text}</td>'
            f'<td class="text-nowrap">{direct if is_direct else ""}{copy if is_copy else ""}</td>'
            f'<td class="text-nowrap">{escalated if escalated_at else ""}{after if signoff_after_send else ""}</td>'
            "</tr>"
        )
    return mark_safe("\n".join(out))  # every text from people is escaped above
