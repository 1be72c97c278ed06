"""Item lists as .xlsx (PRODUCT 3.8: every table exports to .xlsx). The rows are exactly the page's rows — the
caller passes the queryset the page's selector built — and the export is audited (等保 安全审计: data leaving the
system), naming the restricted items it listed."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinbao.audit.models import EventType
from xinbao.audit.services import audit_record
from xinbao.common.xlsx import Column, write_table
from xinbao.reports.models import (
    AdoptionCredit,
    Report,
    ReportState,
    ReportType,
    Submission,
    SubmissionState,
    Visibility,
)

if TYPE_CHECKING:
    from xinbao.accounts.models import User

#: At most this many rows in one export: a year of a county's items, far more than anyone reads in Excel.
EXPORT_MAX_ROWS = 20000

ITEM_COLUMNS = [
    Column(gettext_lazy("编号"), 8),
    Column(gettext_lazy("报送时间"), 18),
    Column(gettext_lazy("报送单位"), 24),
    Column(gettext_lazy("标题"), 48),
    Column(gettext_lazy("类型"), 14),
    Column(gettext_lazy("密级范围"), 10),
    Column(gettext_lazy("状态"), 10),
    Column(gettext_lazy("起草人"), 10),
    Column(gettext_lazy("采用情况"), 40),
]
INBOX_COLUMNS = [
    Column(gettext_lazy("编号"), 8),
    Column(gettext_lazy("报送时间"), 18),
    Column(gettext_lazy("报送单位"), 24),
    Column(gettext_lazy("标题"), 48),
    Column(gettext_lazy("类型"), 14),
    Column(gettext_lazy("密级范围"), 10),
    Column(gettext_lazy("处理状态"), 10),
    Column(gettext_lazy("审核人"), 10),
    Column(gettext_lazy("直报/抄送"), 10),
]


def _audit(actor: User, what: str, count: int, restricted: list[int]) -> None:
    audit_record(
        event_type=EventType.DATA_EXPORT,
        actor=actor,
        object_type="reports.report",
        object_repr=what,
        detail={"what": what, "rows": count, "restricted": restricted[:500]},
    )


@transaction.atomic
def report_list_export(*, actor: User, reports: QuerySet[Report]) -> IO[bytes]:
    rows = list(reports.select_related("unit", "created_by")[:EXPORT_MAX_ROWS])
    adoptions: dict[int, list[str]] = {}
    credits = AdoptionCredit.objects.filter(origin_id__in=[r.pk for r in rows]).select_related(
        "adoption__office"
    )
    for credit in credits.order_by("adoption__adopted_on", "adoption_id"):
        adoption = credit.adoption
        where = adoption.office.name if adoption.office else adoption.publication
        adoptions.setdefault(credit.origin_id, []).append(f"{where}（{adoption.get_mode_display()}）")
    types, states = dict(ReportType.choices), dict(ReportState.choices)
    visibilities = dict(Visibility.choices)
    data = [
        (
            r.pk,
            r.submitted_at,
            r.unit.name,
            r.title,
            str(types.get(r.report_type, r.report_type)),
            str(visibilities.get(r.visibility, r.visibility)),
            str(states.get(r.state, r.state)),
            r.created_by.full_name,
            "；".join(adoptions.get(r.pk, [])),
        )
        for r in rows
    ]
    _audit(actor, "report_list", len(rows), [r.pk for r in rows if r.is_restricted])
    return write_table(_("信息列表"), ITEM_COLUMNS, data)


@transaction.atomic
def inbox_export(*, actor: User, submissions: QuerySet[Submission]) -> IO[bytes]:
    rows = list(submissions[:EXPORT_MAX_ROWS])
    types, states = dict(ReportType.choices), dict(SubmissionState.choices)
    visibilities = dict(Visibility.choices)
    direct, copy = _("直报"), _("抄送")
    data = [
        (
            s.report_id,
            s.submitted_at,
            s.report.unit.name,
            s.report.title,
            str(types.get(s.report.report_type, s.report.report_type)),
            str(visibilities.get(s.report.visibility, s.report.visibility)),
            str(states.get(s.state, s.state)),
            s.reviewer.full_name if s.reviewer else "",
            "、".join(label for flag, label in ((s.is_direct, direct), (s.is_copy, copy)) if flag),
        )
        for s in rows
    ]
    _audit(actor, "inbox", len(rows), [s.report_id for s in rows if s.report.is_restricted])
    return write_table(_("收到的信息"), INBOX_COLUMNS, data)
