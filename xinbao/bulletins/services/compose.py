"""Composing an issue: create it from a series, add adopted items as entries, edit each entry's title and text (a
revision of the item, so the lineage diff shows what the bulletin changed), order the entries, write the 编者按."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from xinbao.accounts.models import Role
from xinbao.audit.models import EventType
from xinbao.audit.services import audit_record
from xinbao.bulletins.models import (
    NAMED_READERS_ONLY,
    Classification,
    Issue,
    IssueEntry,
    IssueState,
    Series,
)
from xinbao.bulletins.selectors import candidate_reports, is_office_editor
from xinbao.bulletins.services.distribution import check_readers, check_recipients, write_recipients
from xinbao.bulletins.services.locks import issue_lock, require_editable, touch
from xinbao.common.errors import Conflict, NotPermitted, ValidationFailed
from xinbao.reports.models import (
    BODY_MAX,
    TITLE_MAX,
    Adoption,
    AdoptionMode,
    Report,
    ReportOrigin,
    Visibility,
)
from xinbao.reports.services.authoring import _clean_text, report_lock, revision_add

if TYPE_CHECKING:
    from xinbao.accounts.models import User
    from xinbao.orgs.models import Unit

NOTE_MAX = 1000
COPIES_MAX = 100000


def unit_source_name(unit: Unit, office: Unit) -> str:
    """How a unit is named in a source line of ``office``'s bulletin. A unit of the office's own region goes by its
    short name ("城关镇", "县教育局"); a unit of another region by its full name without the leading 中共
    ("安平县委办公室", "安平县城关镇"), since in a city bulletin "（县委办报送）" would not say which county's."""
    name = unit.short_name if unit.short_name and unit.parent_id == office.parent_id else unit.name
    return name[2:] if name.startswith("中共") and len(name) > 2 else name


def source_line_for(report: Report, office: Unit) -> str:
    """ "（城关镇报送）"; a 综合 item names its sources: "（根据城关镇、白沙镇报送信息综合）"."""
    if report.origin == ReportOrigin.COMBINED:
        names: list[str] = []
        for link in report.source_links.select_related("source__unit").order_by("id"):
            name = unit_source_name(link.source.unit, office)
            if name not in names:
                names.append(name)
        if names:
            return _("（根据%(names)s报送信息综合）") % {"names": "、".join(names)}
    return _("（%(unit)s报送）") % {"unit": unit_source_name(report.unit, office)}


@transaction.atomic
def issue_create(*, actor: User, series: Series, is_supplement: bool = False) -> Issue:
    """A new draft issue takes the series' classification, copies and default distribution."""
    if not is_office_editor(actor, series.office_id):
        raise NotPermitted(_("只有编印单位的编辑可以编辑刊物"))
    if not series.is_active:
        raise ValidationFailed(
            _("刊物《%(name)s》已停用，不能新编期刊") % {"name": series.name}, field="series"
        )
    issue = Issue.objects.create(
        series=series,
        is_supplement=bool(is_supplement),
        classification=series.classification,
        copies=series.copies,
        created_by=actor,
    )
    recipients: dict[str, list[Unit]] = {}
    for r in series.recipients.select_related("unit"):
        recipients.setdefault(r.kind, []).append(r.unit)
    write_recipients(issue, recipients)
    audit_record(event_type=EventType.STATE_CHANGE, actor=actor, obj=issue, detail={"to": IssueState.DRAFT})
    return issue


def _check_version(issue: Issue, version: int | None) -> None:
    if version is not None and version != issue.version:
        raise Conflict(_("这期刊物已被他人修改，请刷新后重试"), field="version")


@transaction.atomic
def issue_update(
    *,
    actor: User,
    issue: Issue,
    editor_note: str,
    classification: str,
    copies: int,
    serial: str = "",
    version: int | None = None,
) -> Issue:
    issue = issue_lock(issue)
    require_editable(actor, issue)
    _check_version(issue, version)
    editor_note = (editor_note or "").strip().replace("\r\n", "\n")
    if len(editor_note) > NOTE_MAX:
        raise ValidationFailed(_("编者按不能超过%(n)d字") % {"n": NOTE_MAX}, field="editor_note")
    if classification not in Classification.values:
        raise ValidationFailed(_("请选择密级"), field="classification")
    if not isinstance(copies, int) or not 1 <= copies <= COPIES_MAX:
        raise ValidationFailed(_("印数应为1至%(n)d之间的整数") % {"n": COPIES_MAX}, field="copies")
    serial = (serial or "").strip()
    if len(serial) > 32:
        raise ValidationFailed(_("编号不能超过32个字符"), field="serial")
    if classification not in NAMED_READERS_ONLY:
        restricted = issue.entries.filter(report__visibility=Visibility.RESTRICTED).count()
        if restricted:
            raise ValidationFailed(
                _("本期含有%(n)d条内参信息，密级只能是内参或秘密") % {"n": restricted}, field="classification"
            )
    else:
        check_recipients(
            issue.series.office, classification, [r.unit for r in issue.recipients.select_related("unit")]
        )
        check_readers(
            issue.series.office,
            classification,
            [r.person for r in issue.readers.select_related("person__unit")],
        )
    issue.editor_note, issue.classification, issue.copies, issue.serial = (
        editor_note,
        classification,
        copies,
        serial,
    )
    touch(issue, actor)
    issue.save(update_fields=["editor_note", "classification", "copies", "serial", "updated_at"])
    return issue


@transaction.atomic
def issue_discard(*, actor: User, issue: Issue) -> None:
    """A draft never published is deleted; it never used a number, so numbering keeps no gap."""
    issue = issue_lock(issue)
    require_editable(actor, issue)
    audit_record(event_type=EventType.STATE_CHANGE, actor=actor, obj=issue, detail={"deleted": True})
    issue.delete()


def _default_mode(report: Report, office_id: int) -> str:
    adoption = Adoption.objects.filter(report=report, office_id=office_id, external=False).first()
    return adoption.mode if adoption else AdoptionMode.FULL


@transaction.atomic
def entry_add(*, actor: User, issue: Issue, report: Report) -> IssueEntry:
    issue = issue_lock(issue)
    require_editable(actor, issue)
    if not candidate_reports(user=actor, issue=issue).filter(pk=report.pk).exists():
        if issue.entries.filter(report=report).exists():
            raise ValidationFailed(_("这条信息已在本期中"), field="report")
        if report.is_restricted and not issue.named_readers_only:
            raise ValidationFailed(_("内参信息只能编入内参或秘密刊物"), field="report")
        raise ValidationFailed(_("只能编入本单位已采用或待审核的信息"), field="report")
    last = issue.entries.aggregate(m=Max("position"))["m"] or 0
    entry = IssueEntry.objects.create(
        issue=issue,
        report=report,
        position=last + 1,
        title=report.title,
        body=report.body,
        source_line=source_line_for(report, issue.series.office),
        mode=_default_mode(report, issue.series.office_id),
    )
    touch(issue, actor)
    return entry


def _entry_for_edit(actor: User, entry: IssueEntry) -> tuple[Issue, IssueEntry]:
    issue = issue_lock(entry.issue)
    require_editable(actor, issue)
    try:
        entry = IssueEntry.objects.select_related("report").get(pk=entry.pk, issue=issue)
    except IssueEntry.DoesNotExist as exc:
        raise Conflict(_("这条已从本期移除，请刷新")) from exc
    return issue, entry


@transaction.atomic
def entry_update(
    *,
    actor: User,
    entry: IssueEntry,
    title: str,
    body: str,
    source_line: str,
    mode: str,
    version: int | None = None,
) -> IssueEntry:
    """Edit an entry. A changed text is written as a revision of the item by the office's editor (reason: "编入《刊物》"),
    so the item's history shows what the bulletin printed. 综合 items stay 综合采用; others are 全文 or 部分采用."""
    issue, entry = _entry_for_edit(actor, entry)
    _check_version(issue, version)
    title = (title or "").strip()
    if not title:
        raise ValidationFailed(_("请填写标题"), field="title")
    if len(title) > TITLE_MAX:
        raise ValidationFailed(_("标题不能超过%(n)d字") % {"n": TITLE_MAX}, field="title")
    if not (body or "").strip():
        raise ValidationFailed(_("请填写正文"), field="body")
    if len(body) > BODY_MAX:
        raise ValidationFailed(_("正文不能超过%(n)d字") % {"n": BODY_MAX}, field="body")
    title, body = _clean_text(title, body)
    source_line = (source_line or "").strip()
    if len(source_line) > 100:
        raise ValidationFailed(_("来源署名不能超过100字"), field="source_line")
    combined = entry.report.origin == ReportOrigin.COMBINED
    allowed = (AdoptionMode.COMBINED,) if combined else (AdoptionMode.FULL, AdoptionMode.PARTIAL)
    if mode not in allowed:
        raise ValidationFailed(
            _("综合信息的采用方式只能是综合采用") if combined else _("请选择全文采用或部分采用"), field="mode"
        )
    if title != entry.title or body != entry.body:
        report = report_lock(entry.report)
        if title != report.title or body != report.body:
            entry.revision = revision_add(
                report=report,
                actor=actor,
                title=title,
                body=body,
                reason=_("编入《%(series)s》") % {"series": issue.series.name},
                role=Role.EDITOR,
            )
            report.title, report.body = title, body
            report.version += 1
            report.save(update_fields=["title", "body", "version", "updated_at"])
            audit_record(
                event_type=EventType.STATE_CHANGE,
                actor=actor,
                obj=report,
                detail={"edit": True, "version": report.version, "issue": issue.pk},
            )
    entry.title, entry.body, entry.source_line, entry.mode = title, body, source_line, mode
    entry.save()
    touch(issue, actor)
    return entry


@transaction.atomic
def entry_remove(*, actor: User, entry: IssueEntry) -> None:
    issue, entry = _entry_for_edit(actor, entry)
    entry.delete()
    _renumber(issue, [e.pk for e in issue.entries.order_by("position", "id")])
    touch(issue, actor)


def _renumber(issue: Issue, order: Sequence[int]) -> None:
    entries = {e.pk: e for e in issue.entries.all()}
    for position, pk in enumerate(order, start=1):
        entry = entries[pk]
        if entry.position != position:
            entry.position = position
            entry.save(update_fields=["position", "updated_at"])


@transaction.atomic
def entry_move(*, actor: User, entry: IssueEntry, direction: str) -> IssueEntry:
    """Arrow buttons: swap with the neighbour above ("up") or below ("down"); at either end nothing moves."""
    issue, entry = _entry_for_edit(actor, entry)
    if direction not in ("up", "down"):
        raise ValidationFailed(_("移动方向无效"), field="direction")
    order = list(issue.entries.order_by("position", "id").values_list("pk", flat=True))
    i = order.index(entry.pk)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(order):
        order[i], order[j] = order[j], order[i]
        _renumber(issue, order)
        touch(issue, actor)
    entry.refresh_from_db()
    return entry


@transaction.atomic
def entry_reorder(*, actor: User, issue: Issue, order: Sequence[int], version: int | None = None) -> Issue:
    """Drag and drop: ``order`` lists every entry id of the issue in the new order."""
    issue = issue_lock(issue)
    require_editable(actor, issue)
    _check_version(issue, version)
    current = set(issue.entries.values_list("pk", flat=True))
    if len(order) != len(current) or set(order) != current:
        raise ValidationFailed(_("排序须包含本期的全部条目，请刷新后重试"), field="order")
    _renumber(issue, list(order))
    touch(issue, actor)
    return issue
