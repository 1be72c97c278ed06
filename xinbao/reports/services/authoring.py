"""Writing an item and sending it out: draft, edit (with revisions), submit, sign-off, escalate, withdraw.

Every service locks the report row first (one fixed order: report, then its submissions), checks the state,
writes, audits in the same transaction and notifies after commit (house habits 1, 3, 5).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinbao.accounts.models import Role
from xinbao.audit.models import EventType
from xinbao.audit.services import audit_record
from xinbao.common.errors import Conflict, NotPermitted, ValidationFailed
from xinbao.notifications.services import notify
from xinbao.orgs.selectors import unit_report_targets
from xinbao.quality.reuse.index import reuse_index_soon
from xinbao.reports.diff import char_diff
from xinbao.reports.models import (
    RESTRICTED_BY_DEFAULT,
    Escalation,
    Report,
    ReportReach,
    ReportState,
    ReportType,
    Revision,
    SignOff,
    SignOffDecision,
    Submission,
    SubmissionState,
    Tag,
    Visibility,
)
from xinbao.reports.quality import BLOCK, run_checks
from xinbao.reports.selectors import (
    can_edit_as_author,
    can_sign,
    editor_submission,
    office_editors,
    unit_signers,
)
from xinbao.search.services import search_index_soon

if TYPE_CHECKING:
    from xinbao.accounts.models import User
    from xinbao.orgs.models import Unit


def report_lock(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


def _audit_state(actor: User, report: Report, before: str, after: str, **detail: object) -> None:
    audit_record(
        event_type=EventType.STATE_CHANGE,
        actor=actor,
        obj=report,
        detail={"from": before, "to": after, **detail},
    )


def _role_for(actor: User, report: Report) -> str:
    if report.unit_id == actor.unit_id:
        return Role.INFORMANT if actor.has_role(Role.INFORMANT) else (sorted(actor.role_set) or [""])[0]
    return Role.EDITOR


def revision_add(
    *, report: Report, actor: User, title: str, body: str, reason: str = "", role: str = ""
) -> Revision:
    last = report.revisions.order_by("-number").first()
    unit = actor.unit
    if unit is None:
        raise NotPermitted(_("没有所属单位的人员不能修改信息"))
    rev = Revision.objects.create(
        report=report,
        number=(last.number + 1) if last else 1,
        title=title,
        body=body,
        author=actor,
        role=role or _role_for(actor, report),
        unit=unit,
        level=unit.level,
        reason=(reason or "")[:200],
    )
    # Every text change reaches the derived indexes once committed: full-text search and reuse detection (issue 7).
    search_index_soon(report.pk)
    reuse_index_soon(report.pk)
    return rev


def _clean_text(title: str, body: str) -> tuple[str, str]:
    title = (title or "").strip()
    body = (body or "").strip().replace("\r\n", "\n")
    for finding in run_checks(title=title, body=body, report_type=None):
        if finding.level == BLOCK:
            raise ValidationFailed(finding.message, field=finding.field)
    return title, body


def _set_tags(report: Report, tags: Iterable[str]) -> None:
    names = []
    for raw in tags:
        name = raw.strip()
        if not name:
            continue
        if len(name) > 20:
            raise ValidationFailed(_("主题词“%(name)s”超过20个字") % {"name": name}, field="tags")
        names.append(name)
    if len(names) > 10:
        raise ValidationFailed(_("主题词最多10个"), field="tags")
    report.tags.set([Tag.objects.get_or_create(name=n)[0] for n in dict.fromkeys(names)])


def _check_authors(actor: User, unit: Unit, authors: Iterable[User] | None) -> list[User]:
    people = list(authors or []) or [actor]
    for person in people:
        if person.unit_id != unit.pk or not person.is_active:
            raise ValidationFailed(
                _("作者%(name)s不是本单位在岗人员") % {"name": person.full_name}, field="authors"
            )
    return people


@transaction.atomic
def report_create(
    *,
    actor: User,
    title: str,
    body: str,
    report_type: str,
    authors: Iterable[User] | None = None,
    tags: Iterable[str] = (),
    visibility: str | None = None,
) -> Report:
    """A new draft in the actor's unit. Problem-type items default to restricted (PRODUCT 3.1)."""
    unit = actor.unit
    if unit is None or not actor.has_role(Role.INFORMANT, Role.EDITOR, Role.DUTY_OFFICER):
        raise NotPermitted(_("只有信息员（或接收单位的编辑、值班员）可以起草信息"))
    if report_type not in ReportType.values:
        raise ValidationFailed(_("请选择信息类型"), field="report_type")
    if visibility is None:
        visibility = Visibility.RESTRICTED if report_type in RESTRICTED_BY_DEFAULT else Visibility.NORMAL
    if visibility not in Visibility.values:
        raise ValidationFailed(_("密级范围无效"), field="visibility")
    title, body = _clean_text(title, body)
    people = _check_authors(actor, unit, authors)
    report = Report.objects.create(
        unit=unit, created_by=actor, report_type=report_type, title=title, body=body, visibility=visibility
    )
    report.authors.set(people)
    _set_tags(report, tags)
    revision_add(report=report, actor=actor, title=title, body=body, reason=_("起草"))
    audit_record(event_type=EventType.STATE_CHANGE, actor=actor, obj=report, detail={"to": ReportState.DRAFT})
    return report


@transaction.atomic
def report_update(
    *,
    actor: User,
    report: Report,
    title: str,
    body: str,
    base_version: int,
    reason: str = "",
    report_type: str | None = None,
    visibility: str | None = None,
    tags: Iterable[str] | None = None,
    authors: Iterable[User] | None = None,
) -> Report:
    """Edit the text as a new revision. ``base_version`` is the version the editor started from: if someone saved
    in between, nothing is written and the Conflict carries the other person's changes (issue 3 item 7)."""
    report = report_lock(report)
    as_author = can_edit_as_author(actor, report)
    as_editor = editor_submission(actor, report) is not None
    if not (as_author or as_editor):
        raise NotPermitted(_("当前状态下您不能修改这条信息"))
    if base_version != report.version:
        last = report.revisions.order_by("-number").select_related("author").first()
        mine_base = report.revisions.filter(number__lte=base_version).order_by("-number").first()
        theirs = char_diff(mine_base.body if mine_base else "", report.body)
        error = Conflict(
            _("已被他人修改：%(name)s于%(time)s保存了新版本，请对照对方的修改后重新提交，您的内容没有丢失。")
            % {
                "name": last.author.full_name if last else "",
                "time": timezone.localtime(report.updated_at).strftime("%H:%M:%S"),
            },
            field="body",
        )
        error.other_changes = theirs  # type: ignore[attr-defined]
        error.other_title = report.title  # type: ignore[attr-defined]
        error.current_version = report.version  # type: ignore[attr-defined]
        raise error
    title, body = _clean_text(title, body)
    changed_text = title != report.title or body != report.body
    if as_author:
        if report_type is not None:
            if report_type not in ReportType.values:
                raise ValidationFailed(_("请选择信息类型"), field="report_type")
            report.report_type = report_type
        if visibility is not None:
            if visibility not in Visibility.values:
                raise ValidationFailed(_("密级范围无效"), field="visibility")
            report.visibility = visibility
        if tags is not None:
            _set_tags(report, tags)
        if authors is not None:
            report.authors.set(_check_authors(actor, report.unit, authors))
    if changed_text:
        report.title, report.body = title, body
        report.version += 1
        revision_add(
            report=report,
            actor=actor,
            title=title,
            body=body,
            reason=reason,
            role=Role.EDITOR if not as_author else "",
        )
    report.save()
    if changed_text:
        audit_record(
            event_type=EventType.STATE_CHANGE,
            actor=actor,
            obj=report,
            detail={"edit": True, "version": report.version, "reason": reason},
        )
    return report


def _targets(report: Report) -> dict[str, list[Unit]]:
    targets = unit_report_targets(report.unit)
    if not targets["main"] and not targets["direct"]:
        raise ValidationFailed(
            _("%(unit)s没有可报送的接收单位，请联系系统管理员") % {"unit": report.unit.name}
        )
    return targets


def reach_add(report: Report, offices: Iterable[Unit]) -> None:
    """Record that ``offices`` received ``report`` and so every item it was made from (visibility index)."""
    from xinbao.reports.models import ReportSource

    ids = {report.pk}
    frontier = [report.pk]
    while frontier:
        sources = list(
            ReportSource.objects.filter(report_id__in=frontier).values_list("source_id", flat=True)
        )
        frontier = [s for s in sources if s not in ids]
        ids.update(frontier)
    rows = [ReportReach(report_id=r, office_id=o.pk) for r in ids for o in offices]
    ReportReach.objects.bulk_create(rows, ignore_conflicts=True)


def _is_author(user: User, report: Report) -> bool:
    return report.created_by_id == user.pk or report.authors.filter(pk=user.pk).exists()


def _send(report: Report, actor: User) -> list[Submission]:
    """Create one submission per target office (直报点 copy their main channel, 抄送), or — when the item was
    already sent and some office returned it — reopen only the returned submissions: offices that adopted or
    archived it have decided and are left alone (PRODUCT 3.1: "returned items can be revised and resubmitted")."""
    now = timezone.now()
    existing = list(report.submissions.select_for_update().exclude(state=SubmissionState.WITHDRAWN))
    subs: list[Submission] = []
    if existing:
        for sub in existing:
            if sub.state == SubmissionState.RETURNED:
                sub.state = SubmissionState.SUBMITTED
                sub.submitted_at = now
                sub.decided_at = None
                sub.save(update_fields=["state", "submitted_at", "decided_at", "updated_at"])
                subs.append(sub)
    else:
        targets = _targets(report)
        plan: list[tuple[Unit, bool, bool]] = []
        for office in targets["direct"]:
            plan.append((office, False, True))
        for office in targets["main"]:
            plan.append((office, bool(targets["direct"]), False))
        for office, is_copy, is_direct in plan:
            sub, created = Submission.objects.select_for_update().get_or_create(
                report=report,
                office=office,
                defaults={"is_copy": is_copy, "is_direct": is_direct, "submitted_at": now},
            )
            if not created and sub.state == SubmissionState.WITHDRAWN:
                sub.state = SubmissionState.SUBMITTED
                sub.submitted_at = now
                sub.save(update_fields=["state", "submitted_at", "updated_at"])
            subs.append(sub)
        reach_add(report, [s.office for s in subs])
    report.state = ReportState.SENT
    report.pending_since = None
    report.submitted_at = report.submitted_at or now
    report.save()
    url = reverse("reports:detail", args=[report.pk])
    for sub in subs:
        notify(
            recipients=office_editors(sub.office_id),
            kind="report_submitted",
            title=_("新报送信息：%(title)s") % {"title": report.title},
            url=url,
        )
    return subs


@transaction.atomic
def report_submit(*, actor: User, report: Report, key: str = "") -> Report:
    """Send for sign-off (or, for emergency items, straight to the offices). Idempotent: a repeated click or a
    retried request with the same key returns the item as it is instead of sending twice.

    A sent item some office returned goes through sign-off again once its author has revised it; a sent item
    nobody returned cannot be sent again."""
    report = report_lock(report)
    if key and report.submit_key == key and report.state in (ReportState.PENDING_SIGNOFF, ReportState.SENT):
        return report
    if not can_edit_as_author(actor, report):
        if _is_author(actor, report) and report.unit_id == actor.unit_id:
            if report.state == ReportState.PENDING_SIGNOFF:
                return report  # already waiting for sign-off: a double click is one submission
            if report.state == ReportState.SENT:
                raise ValidationFailed(_("这条信息已报送，没有被退回，不能重复报送"))
        raise NotPermitted(_("当前状态下不能报送这条信息"))
    for finding in run_checks(
        title=report.title, body=report.body, report_type=report.report_type, report=report
    ):
        if finding.level == BLOCK:
            raise ValidationFailed(finding.message, field=finding.field)
    before = report.state
    resubmission = before == ReportState.SENT
    report.submit_key = key[:64]
    if not resubmission:
        # The target offices see the item from now on, so a sign-off that never comes cannot bury it.
        targets = _targets(report)
        reach_add(report, targets["main"] + targets["direct"])
    if report.is_emergency:
        # Emergency items never wait for sign-off (PRODUCT 3.1); the signer records it afterwards.
        report.signoff_after_send = True
        _send(report, actor)
    else:
        report.state = ReportState.PENDING_SIGNOFF
        report.pending_since = timezone.now()
        report.signoff_after_send = (
            False  # an earlier escalation does not make this round's sign-off optional
        )
        report.save()
        notify(
            recipients=unit_signers(report).exclude(pk=report.created_by_id),
            kind="signoff_pending",
            title=_("待审签：%(title)s") % {"title": report.title},
            url=reverse("reports:detail", args=[report.pk]),
        )
    _audit_state(actor, report, before, report.state, resubmission=resubmission)
    return report


@transaction.atomic
def report_signoff(*, actor: User, report: Report, approve: bool, reason: str = "") -> SignOff:
    """审签. A refusal needs a reason and stays visible to the target offices (they already see the item).

    Emergency and escalated items are already out: their sign-off is recorded afterwards (once) and changes
    nothing about where the item is, but a refusal is still told to the offices."""
    report = report_lock(report)
    if not can_sign(actor, report):
        raise NotPermitted(_("只有本单位的审签人可以审签（不能审签自己起草的信息）"))
    reason = (reason or "").strip()
    after_send = report.signoff_after_send and report.state == ReportState.SENT
    if after_send and report.signoffs.filter(after_send=True).exists():
        raise ValidationFailed(_("这条信息已完成事后审签"))
    if not after_send and report.state != ReportState.PENDING_SIGNOFF:
        if report.state == ReportState.SENT:
            raise ValidationFailed(_("这条信息已报送，不在待审签状态"))
        raise ValidationFailed(_("这条信息不在待审签状态"))
    if not approve and not reason:
        raise ValidationFailed(_("不同意报送时必须填写理由"), field="reason")
    if len(reason) > 500:
        raise ValidationFailed(_("理由不能超过500个字"), field="reason")
    revision = report.revisions.latest("number")  # the text that was signed
    signoff = SignOff.objects.create(
        report=report,
        signer=actor,
        decision=SignOffDecision.APPROVED if approve else SignOffDecision.REFUSED,
        reason=reason,
        revision=revision,
        after_send=after_send,
    )
    before = report.state
    url = reverse("reports:detail", args=[report.pk])
    if approve and not after_send:
        _send(report, actor)
    elif not approve:
        if not after_send:
            report.state = ReportState.SIGNOFF_REFUSED
            report.pending_since = None
            report.submit_key = ""  # the next submission is a new request, whatever key the client reuses
            report.save()
        notify(
            recipients=[report.created_by],
            kind="signoff_refused",
            title=_("审签未通过：%(title)s") % {"title": report.title},
            body=reason,
            url=url,
        )
        for office_id in set(ReportReach.objects.filter(report=report).values_list("office_id", flat=True)):
            notify(
                recipients=office_editors(office_id),
                kind="signoff_refused",
                title=_("下级单位审签未通过：%(title)s") % {"title": report.title},
                body=reason,
                url=url,
            )
    _audit_state(
        actor, report, before, report.state, signoff=signoff.decision, reason=reason, after_send=after_send
    )
    return signoff


@transaction.atomic
def report_escalate(*, actor: User, report: Report, reason: str = "") -> Escalation:
    """Send an item whose sign-off has waited longer than SIGNOFF_ESCALATE_HOURS, carrying the waiting record.
    The wait counts from when the item entered 待审签 (edits to other fields do not restart it)."""
    report = report_lock(report)
    if not _is_author(actor, report) or report.unit_id != actor.unit_id:
        raise NotPermitted(_("只有本单位的起草人或作者可以越级报送"))
    if report.state != ReportState.PENDING_SIGNOFF:
        raise ValidationFailed(_("只有待审签的信息可以越级报送"))
    waiting_since = report.pending_since or report.updated_at
    now = timezone.now()
    waited = now - waiting_since
    hours = settings.SIGNOFF_ESCALATE_HOURS
    if waited < timedelta(hours=hours):
        raise ValidationFailed(
            _("审签已等待%(waited)d分钟，未满%(hours)d小时，暂不能越级报送")
            % {"waited": int(waited.total_seconds() // 60), "hours": hours}
        )
    escalation = Escalation.objects.create(
        report=report,
        by=actor,
        waiting_since=waiting_since,
        waited_minutes=int(waited.total_seconds() // 60),
        reason=(reason or "").strip()[:500],
    )
    report.escalated_at = now
    # The signer may still record a decision; it is then an after-the-fact sign-off like an emergency item's.
    report.signoff_after_send = True
    _send(report, actor)
    _audit_state(
        actor, report, ReportState.PENDING_SIGNOFF, report.state, escalated_minutes=escalation.waited_minutes
    )
    for office_id in set(ReportReach.objects.filter(report=report).values_list("office_id", flat=True)):
        notify(
            recipients=office_editors(office_id),
            kind="report_escalated",
            title=_("审签超时越级报送：%(title)s") % {"title": report.title},
            body=_("已等待审签%(minutes)d分钟") % {"minutes": escalation.waited_minutes},
            url=reverse("reports:detail", args=[report.pk]),
        )
    return escalation


@transaction.atomic
def report_withdraw(*, actor: User, report: Report) -> Report:
    """Take an item back before any office has started reviewing it. An item resubmitted after a return and
    still waiting for sign-off goes back to where it was (sent, with the returned submission still returned)."""
    report = report_lock(report)
    if not _is_author(actor, report) or report.unit_id != actor.unit_id:
        raise NotPermitted(_("只有本单位的起草人或作者可以撤回"))
    before = report.state
    live = list(report.submissions.select_for_update().exclude(state=SubmissionState.WITHDRAWN))
    if report.state == ReportState.PENDING_SIGNOFF:
        after = ReportState.SENT if live else ReportState.DRAFT
    elif report.state == ReportState.SENT:
        if any(s.state != SubmissionState.SUBMITTED for s in live):
            raise ValidationFailed(_("接收单位已开始审核，不能撤回"))
        for sub in live:
            sub.state = SubmissionState.WITHDRAWN
            sub.save(update_fields=["state", "updated_at"])
        after = ReportState.DRAFT
        report.submitted_at = None
    else:
        raise ValidationFailed(_("“%(state)s”状态的信息不能撤回") % {"state": report.get_state_display()})
    report.state = after
    report.pending_since = None
    report.submit_key = ""
    report.save()
    _audit_state(actor, report, before, report.state, withdrawn=True)
    return report
