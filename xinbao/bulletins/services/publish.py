"""签发 (sign-off by the office's leader) and 印发 (publication): numbering, adoption of every entry, notices.

Numbering (issue 4 item 1): an issue gets its numbers only when published, inside the publishing transaction and
under the series lock (``locks.series_lock``): 第N期 = the highest number of that series, year and kind (regular or
增刊, counted apart) + 1; 总第N期 = the highest total of the series' regular issues + 1 (or the series' starting
total). A draft never holds a number and a published issue is never unpublished, so the sequence has no gaps; two
editors publishing at once queue on the lock, and the unique constraints on (series, year, supplement, number) and
(series, total) make a mistake fail loudly instead of printing a duplicate.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinbao.audit.models import EventType
from xinbao.audit.services import audit_record
from xinbao.bulletins.models import Issue, IssueEntry, IssueState
from xinbao.bulletins.selectors import ADOPTABLE_STATES, is_office_editor, is_office_leader
from xinbao.bulletins.services.locks import issue_lock, series_lock
from xinbao.common.errors import Conflict, NotPermitted, ValidationFailed
from xinbao.notifications.services import notify
from xinbao.reports.models import Adoption, AdoptionMode, Report, Submission
from xinbao.reports.selectors import office_editors
from xinbao.reports.services.review import origins_of, submission_adopt

if TYPE_CHECKING:
    from xinbao.accounts.models import User


@transaction.atomic
def issue_sign(*, actor: User, issue: Issue) -> Issue:
    """签发: a leader of the publishing office approves the issue as composed."""
    issue = issue_lock(issue)
    if not is_office_leader(actor, issue.series.office_id):
        raise NotPermitted(_("只有编印单位的领导可以签发"))
    if issue.state != IssueState.DRAFT:
        raise Conflict(_("这期刊物已%(state)s，不能再次签发") % {"state": issue.get_state_display()})
    if not issue.entries.exists():
        raise ValidationFailed(_("这期刊物还没有编入任何信息，不能签发"))
    issue.state = IssueState.SIGNED
    issue.signed_by = actor
    issue.signed_at = timezone.now()
    issue.save(update_fields=["state", "signed_by", "signed_at", "updated_at"])
    audit_record(
        event_type=EventType.STATE_CHANGE, actor=actor, obj=issue, detail={"from": "draft", "to": "signed"}
    )
    notify(
        recipients=office_editors(issue.series.office_id),
        kind="issue_signed",
        title=_("《%(series)s》已签发，可以印发") % {"series": issue.series.name},
        url=reverse("bulletins:issue_detail", args=[issue.pk]),
    )
    return issue


def _assign_numbers(issue: Issue, on: date) -> None:
    series = issue.series
    same_kind = Issue.objects.filter(series=series, year=on.year, is_supplement=issue.is_supplement)
    issue.year = on.year
    issue.number = (same_kind.aggregate(m=Max("number"))["m"] or 0) + 1
    if not issue.is_supplement:
        last_total = Issue.objects.filter(series=series, is_supplement=False).aggregate(
            m=Max("total_number")
        )["m"]
        issue.total_number = (last_total + 1) if last_total else series.total_start
    if not issue.serial:
        prefix = "Z" if issue.is_supplement else ""  # 增刊 serials: APXX-2026-Z001
        issue.serial = f"{series.code.upper()}-{on.year}-{prefix}{issue.number:03d}"


def _adopt(actor: User, issue: Issue, entry: IssueEntry) -> Adoption:
    """The office's in-system adoption of the entry's item; an item still in the inbox is adopted now. The first
    publication of an adopted item also fixes its adoption mode to what was printed (全文 or 部分; a 综合 item stays
    综合) and names the publication and issue on the adoption record."""
    office_id = issue.series.office_id
    adoption = Adoption.objects.filter(report_id=entry.report_id, office_id=office_id, external=False).first()
    if adoption is None:
        submission = Submission.objects.filter(
            report_id=entry.report_id, office_id=office_id, state__in=ADOPTABLE_STATES
        ).first()
        if submission is None:
            raise ValidationFailed(
                _("《%(title)s》已不在本单位待审或已采用的信息中，请移出本期后再印发")
                % {"title": entry.title},
                field="entries",
            )
        mode = entry.mode if entry.mode in (AdoptionMode.FULL, AdoptionMode.PARTIAL) else AdoptionMode.FULL
        adoption = submission_adopt(
            actor=actor,
            submission=submission,
            mode=mode,
            publication=issue.series.name,
            issue_label=issue.label,
        )
    elif not adoption.publication:
        adoption.publication = issue.series.name
        adoption.issue_label = issue.label
        if adoption.mode != AdoptionMode.COMBINED and entry.mode in (AdoptionMode.FULL, AdoptionMode.PARTIAL):
            adoption.mode = entry.mode
        adoption.save(update_fields=["publication", "issue_label", "mode", "updated_at"])
    return adoption


@transaction.atomic
def issue_publish(*, actor: User, issue: Issue, issue_date: date | None = None) -> Issue:
    """印发 a signed issue: numbers, the adoption and publication record of every entry, notices to the authors of
    the originating items (credit follows ``origins_of``, as for adoption) and to the named readers."""
    series = series_lock(issue.series_id)
    issue = issue_lock(issue)
    if not is_office_editor(actor, series.office_id):
        raise NotPermitted(_("只有编印单位的编辑可以印发"))
    if issue.state == IssueState.PUBLISHED:
        raise Conflict(_("这期刊物已经印发（%(label)s）") % {"label": issue.label})
    if issue.state != IssueState.SIGNED:
        raise ValidationFailed(_("这期刊物尚未签发，签发后才能印发"))
    on = issue_date or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationFailed(_("印发日期不能晚于今天"), field="issue_date")
    # 第N期 follow the printed dates: a back-dated issue may not come out dated before the one numbered ahead of it
    # (read under the series lock, so it is the true last one; 增刊 are a sequence of their own).
    last = (
        Issue.objects.filter(series=series, is_supplement=issue.is_supplement, state=IssueState.PUBLISHED)
        .order_by("-issue_date", "-id")
        .first()
    )
    if last is not None and last.issue_date is not None and on < last.issue_date:
        raise ValidationFailed(
            _("印发日期不能早于本刊上一期（%(label)s，%(date)s）")
            % {"label": last.label, "date": last.issue_date.strftime("%Y-%m-%d")},
            field="issue_date",
        )
    entries = list(issue.entries.select_related("report").order_by("position", "id"))
    if not entries:
        raise ValidationFailed(_("这期刊物还没有编入任何信息，不能印发"))
    if not issue.named_readers_only and (restricted := [e for e in entries if e.report.is_restricted]):
        # The item may have been made restricted after it was added.
        raise ValidationFailed(
            _("《%(title)s》是内参信息，只能在内参或秘密刊物中印发") % {"title": restricted[0].title},
            field="entries",
        )
    _assign_numbers(issue, on)
    issue.state = IssueState.PUBLISHED
    issue.issue_date = on
    issue.published_by = actor
    issue.published_at = timezone.now()
    issue.save()
    # Items in ascending id after the series and issue rows: the fixed lock order (services.locks).
    list(Report.objects.select_for_update().filter(pk__in=[e.report_id for e in entries]).order_by("pk"))
    url = reverse("bulletins:issue_detail", args=[issue.pk])
    for entry in sorted(entries, key=lambda e: e.report_id):
        entry.adoption = _adopt(actor, issue, entry)
        entry.save(update_fields=["adoption", "updated_at"])
        for origin in origins_of(entry.report):
            notify(
                recipients=[origin.created_by, *origin.authors.all()],
                kind="issue_published",
                title=_("您的信息《%(title)s》刊登于《%(series)s》%(label)s")
                % {"title": origin.title, "series": series.name, "label": issue.label},
                url=url if not issue.named_readers_only else reverse("reports:detail", args=[origin.pk]),
            )
    notify(
        recipients=[r.person for r in issue.readers.select_related("person")],
        kind="issue_published",
        title=_("《%(series)s》%(label)s已印发") % {"series": series.name, "label": issue.label},
        url=url,
    )
    audit_record(
        event_type=EventType.STATE_CHANGE,
        actor=actor,
        obj=issue,
        detail={
            "from": "signed",
            "to": "published",
            "year": issue.year,
            "number": issue.number,
            "total": issue.total_number,
        },
    )
    return issue
