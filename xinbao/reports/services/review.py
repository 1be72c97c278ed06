"""Review at a receiving office: take up, return, adopt, not adopt, combine, forward upward, record an adoption
that happened outside the system. Credit for every adoption flows to the originating items (AdoptionCredit)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinbao.accounts.models import Role
from xinbao.audit.models import EventType
from xinbao.audit.services import audit_record
from xinbao.common.errors import Conflict, NotPermitted, ValidationFailed
from xinbao.notifications.services import notify
from xinbao.orgs.models import LEVEL_RANK, Level
from xinbao.orgs.selectors import unit_report_targets
from xinbao.reports.models import (
    Adoption,
    AdoptionCredit,
    AdoptionMode,
    Report,
    ReportOrigin,
    ReportSource,
    ReportState,
    ReportType,
    Submission,
    SubmissionState,
    Visibility,
)
from xinbao.reports.selectors import office_editors
from xinbao.reports.services.authoring import _clean_text, reach_add, revision_add

if TYPE_CHECKING:
    from xinbao.accounts.models import User
    from xinbao.orgs.models import Unit

REVIEWABLE = (SubmissionState.SUBMITTED, SubmissionState.UNDER_REVIEW)
#: A returned item is with its author, an archived one was judged not worth using, a merged one lives on in the
#: 综合 item (forward that instead).
FORWARDABLE = (SubmissionState.SUBMITTED, SubmissionState.UNDER_REVIEW, SubmissionState.ADOPTED)


def submission_lock(submission: Submission) -> Submission:
    # Fixed lock order: the report first, then its submission (same as the authoring services).
    Report.objects.select_for_update().get(pk=submission.report_id)
    return Submission.objects.select_for_update().select_related("report", "office").get(pk=submission.pk)


def _require_editor(actor: User, submission: Submission) -> None:
    if actor.unit_id != submission.office_id or not actor.has_role(Role.EDITOR):
        raise NotPermitted(_("只有接收单位的编辑可以处理这条信息"))


def _audit(actor: User, submission: Submission, before: str, **detail: object) -> None:
    audit_record(
        event_type=EventType.STATE_CHANGE,
        actor=actor,
        obj=submission.report,
        detail={"office": submission.office.code, "from": before, "to": submission.state, **detail},
    )


def _authors_and_creator(report: Report) -> list:
    return [report.created_by, *report.authors.all()]


@transaction.atomic
def submission_take_up(*, actor: User, submission: Submission) -> Submission:
    submission = submission_lock(submission)
    _require_editor(actor, submission)
    if submission.state != SubmissionState.SUBMITTED:
        raise Conflict(
            _("这条信息已在审核中或已处理（%(state)s），不能再次接收")
            % {"state": submission.get_state_display()}
        )
    before = submission.state
    submission.state = SubmissionState.UNDER_REVIEW
    submission.reviewer = actor
    submission.save(update_fields=["state", "reviewer", "updated_at"])
    _audit(actor, submission, before)
    return submission


def _decide(actor: User, submission: Submission, state: str, comment: str) -> Submission:
    _require_editor(actor, submission)
    if submission.state not in REVIEWABLE:
        raise Conflict(
            _("这条信息已被处理（%(state)s），请刷新后查看") % {"state": submission.get_state_display()}
        )
    before = submission.state
    submission.state = state
    submission.reviewer = actor
    submission.decided_at = timezone.now()
    submission.comment = comment
    submission.save()
    _audit(actor, submission, before, comment=comment)
    return submission


@transaction.atomic
def submission_return(*, actor: User, submission: Submission, comment: str) -> Submission:
    submission = submission_lock(submission)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationFailed(_("退回时必须填写修改意见"), field="comment")
    _decide(actor, submission, SubmissionState.RETURNED, comment)
    # The author's next submission is a new request even if a client reuses its old idempotency key.
    Report.objects.filter(pk=submission.report_id).update(submit_key="")
    notify(
        recipients=_authors_and_creator(submission.report),
        kind="report_returned",
        title=_("信息被退回修改：%(title)s") % {"title": submission.report.title},
        body=comment,
        url=reverse("reports:detail", args=[submission.report_id]),
    )
    return submission


@transaction.atomic
def submission_not_adopt(*, actor: User, submission: Submission, comment: str = "") -> Submission:
    submission = submission_lock(submission)
    return _decide(actor, submission, SubmissionState.NOT_ADOPTED, (comment or "").strip())


def origins_of(report: Report) -> list[Report]:
    """The original items ``report`` was made from (itself when it is original)."""
    result: dict[int, Report] = {}
    frontier = [report]
    seen: set[int] = set()
    while frontier:
        current = frontier.pop()
        if current.pk in seen:
            continue
        seen.add(current.pk)
        sources = [
            link.source for link in ReportSource.objects.filter(report=current).select_related("source")
        ]
        if not sources:
            result[current.pk] = current
        frontier.extend(sources)
    return sorted(result.values(), key=lambda r: r.pk)


def _credit(adoption: Adoption) -> None:
    origins = origins_of(adoption.report)
    AdoptionCredit.objects.bulk_create(
        [AdoptionCredit(adoption=adoption, origin=o, unit_id=o.unit_id) for o in origins],
        ignore_conflicts=True,
    )
    for origin in origins:
        notify(
            recipients=_authors_and_creator(origin),
            kind="report_adopted",
            title=_("您的信息被%(office)s采用：%(title)s")
            % {
                "office": adoption.office.name if adoption.office else adoption.publication,
                "title": origin.title,
            },
            url=reverse("reports:detail", args=[origin.pk]),
        )


@transaction.atomic
def submission_adopt(
    *,
    actor: User,
    submission: Submission,
    mode: str = AdoptionMode.FULL,
    publication: str = "",
    issue_label: str = "",
    note: str = "",
) -> Adoption:
    """Adopt at the editor's office. Two editors adopting at once produce one adoption: the second finds the
    submission decided (row lock) and gets a Conflict; the unique constraint backs that up."""
    submission = submission_lock(submission)
    if mode not in (AdoptionMode.FULL, AdoptionMode.PARTIAL):
        raise ValidationFailed(_("请选择全文采用或部分采用"), field="mode")
    _decide(actor, submission, SubmissionState.ADOPTED, (note or "").strip())
    try:
        with transaction.atomic():
            adoption = Adoption.objects.create(
                report=submission.report,
                office=submission.office,
                level=submission.office.level,
                mode=mode,
                publication=(publication or "").strip()[:100],
                issue_label=(issue_label or "").strip()[:40],
                adopted_on=timezone.localdate(),
                recorded_by=actor,
                note=(note or "").strip()[:200],
            )
    except IntegrityError as exc:
        raise Conflict(_("这条信息已被本单位采用")) from exc
    _credit(adoption)
    return adoption


@transaction.atomic
def adoption_record_external(
    *,
    actor: User,
    report: Report,
    level: str,
    publication: str,
    issue_label: str = "",
    adopted_on: date,
    mode: str = AdoptionMode.FULL,
    note: str = "",
) -> Adoption:
    """An editor records that a higher level adopted the item outside the system (which publication, issue, level)."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    received = (
        report.submissions.filter(office_id=actor.unit_id).exclude(state=SubmissionState.WITHDRAWN).exists()
        or report.unit_id == actor.unit_id
    )
    if not actor.has_role(Role.EDITOR) or not received:
        raise NotPermitted(_("只有收到该信息的接收单位编辑可以登记系统外采用"))
    if level not in Level.values:
        raise ValidationFailed(_("请选择采用层级"), field="level")
    if actor.unit is None or LEVEL_RANK[Level(level)] > LEVEL_RANK[Level(actor.unit.level)]:
        # Outside adoption is recorded upward: a lower level's use is that level's own business.
        raise ValidationFailed(_("只能登记本级或上级的系统外采用"), field="level")
    if mode not in AdoptionMode.values:
        raise ValidationFailed(_("采用方式无效"), field="mode")
    publication = (publication or "").strip()
    if not publication:
        raise ValidationFailed(_("请填写采用的刊物名称"), field="publication")
    if adopted_on > timezone.localdate():
        raise ValidationFailed(_("采用日期不能晚于今天"), field="adopted_on")
    adoption = Adoption.objects.create(
        report=report,
        office=None,
        level=level,
        mode=mode,
        external=True,
        publication=publication[:100],
        issue_label=(issue_label or "").strip()[:40],
        adopted_on=adopted_on,
        recorded_by=actor,
        note=(note or "").strip()[:200],
    )
    _credit(adoption)
    audit_record(
        event_type=EventType.STATE_CHANGE,
        actor=actor,
        obj=report,
        detail={"external_adoption": adoption.pk, "level": level, "publication": publication},
    )
    return adoption


def _new_office_item(
    *,
    actor: User,
    origin: str,
    title: str,
    body: str,
    report_type: str,
    sources: Iterable[Report],
    visibility: str,
    reason: str,
) -> Report:
    office = actor.unit
    if office is None:
        raise NotPermitted(_("只有接收单位的编辑可以编发信息"))
    title, body = _clean_text(title, body)
    report = Report.objects.create(
        unit=office,
        created_by=actor,
        report_type=report_type,
        title=title,
        body=body,
        visibility=visibility,
        origin=origin,
        state=ReportState.DRAFT,
    )
    report.authors.set([actor])
    for source in sources:
        ReportSource.objects.create(
            report=report,
            source=source,
            kind=origin,
            source_revision=source.revisions.order_by("-number").first(),
        )
    revision_add(report=report, actor=actor, title=title, body=body, reason=reason, role=Role.EDITOR)
    return report


@transaction.atomic
def report_combine(
    *,
    actor: User,
    submissions: list[Submission],
    title: str,
    body: str,
    report_type: str = ReportType.ANALYSIS,
) -> Report:
    """综合: several submissions become one item of the office; each source keeps credit (a combined adoption)."""
    office = actor.unit
    if office is None or not actor.has_role(Role.EDITOR):
        raise NotPermitted(_("只有接收单位的编辑可以综合信息"))
    unique = list({s.pk: s for s in submissions}.values())
    if len(unique) < 2:
        raise ValidationFailed(_("请至少选择两条信息进行综合"))
    if report_type not in ReportType.values:
        raise ValidationFailed(_("请选择信息类型"), field="report_type")
    locked = [submission_lock(s) for s in sorted(unique, key=lambda s: (s.report_id, s.pk))]
    for sub in locked:
        _require_editor(actor, sub)
        if sub.state not in REVIEWABLE:
            raise Conflict(_("《%(title)s》已被处理，不能综合") % {"title": sub.report.title})
    restricted = any(s.report.is_restricted for s in locked)
    combined = _new_office_item(
        actor=actor,
        origin=ReportOrigin.COMBINED,
        title=title,
        body=body,
        report_type=report_type,
        sources=[s.report for s in locked],
        visibility=Visibility.RESTRICTED if restricted else Visibility.NORMAL,
        reason=_("综合%(n)d条信息") % {"n": len(locked)},
    )
    for sub in locked:
        sub.merged_into = combined
        _decide(actor, sub, SubmissionState.MERGED, _("已综合为《%(title)s》") % {"title": combined.title})
    adoption = Adoption.objects.create(
        report=combined,
        office=office,
        level=office.level,
        mode=AdoptionMode.COMBINED,
        adopted_on=timezone.localdate(),
        recorded_by=actor,
    )
    _credit(adoption)
    reach_add(combined, [office])
    return combined


@transaction.atomic
def report_forward(
    *,
    actor: User,
    report: Report,
    title: str | None = None,
    body: str | None = None,
    reason: str = "",
    targets: Iterable[Unit] | None = None,
) -> Report:
    """转报: the office sends an item it received (or made) to the next level up, as its own item linked to the
    source, so adoption above is credited back to the originating unit and informant."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    office = actor.unit
    if office is None or not office.is_receiving_office or not actor.has_role(Role.EDITOR):
        raise NotPermitted(_("只有接收单位的编辑可以转报"))
    own_item = report.unit_id == office.pk
    received = report.submissions.filter(office=office).exclude(state=SubmissionState.WITHDRAWN).first()
    if not (own_item or received):
        raise NotPermitted(_("只能转报本单位收到或编发的信息"))
    if received and not own_item and received.state not in FORWARDABLE:
        raise ValidationFailed(_("“%(state)s”的信息不能转报") % {"state": received.get_state_display()})
    already = ReportSource.objects.filter(source=report, kind=ReportOrigin.FORWARDED, report__unit=office)
    if already.exists() or (own_item and report.state == ReportState.SENT):
        raise ValidationFailed(_("这条信息已经转报过"))
    up = unit_report_targets(office)
    offices = list(targets) if targets is not None else up["main"]
    allowed = {u.pk for u in up["main"] + up["direct"]}
    if not offices or any(o.pk not in allowed for o in offices):
        raise ValidationFailed(_("转报目标必须是上一级的接收单位"), field="targets")
    if own_item:
        forwarded = report
    else:
        forwarded = _new_office_item(
            actor=actor,
            origin=ReportOrigin.FORWARDED,
            title=report.title if title is None else title,
            body=report.body if body is None else body,
            report_type=report.report_type,
            sources=[report],
            visibility=report.visibility,
            reason=reason or _("转报"),
        )
    now = timezone.now()
    for target in offices:
        Submission.objects.get_or_create(report=forwarded, office=target, defaults={"submitted_at": now})
        notify(
            recipients=office_editors(target.pk),
            kind="report_submitted",
            title=_("下级转报信息：%(title)s") % {"title": forwarded.title},
            url=reverse("reports:detail", args=[forwarded.pk]),
        )
    reach_add(forwarded, offices)
    forwarded.state = ReportState.SENT
    forwarded.submitted_at = forwarded.submitted_at or now
    forwarded.save()
    audit_record(
        event_type=EventType.STATE_CHANGE,
        actor=actor,
        obj=forwarded,
        detail={"forwarded_from": report.pk, "to": [o.code for o in offices]},
    )
    if not own_item:
        notify(
            recipients=_authors_and_creator(report),
            kind="report_forwarded",
            title=_("您的信息已由%(office)s转报上级：%(title)s")
            % {"office": office.name, "title": report.title},
            url=reverse("reports:detail", args=[report.pk]),
        )
    return forwarded
