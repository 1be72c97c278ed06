"""Writes of the scoring capability: rule-set versions and ledger rebuilds (PRODUCT 3.5).

Every rule edit adds a version (the old ones stay, builds point at the version they used). A rebuild prices the
year's events from every registered source under the current version, streams the entries into a new build in
chunks and swaps it in for the old one — all in one transaction, under a lock on the (office, year) slot, so two
rebuilds never interleave and readers see the old ledger until the new one is complete.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import chain
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinbao.audit.models import AuditEvent, EventType
from xinbao.audit.services import audit_record
from xinbao.common.errors import NotPermitted, ValidationFailed
from xinbao.orgs.models import DirectReportingTarget, Unit
from xinbao.orgs.selectors import unit_region
from xinbao.scoring.engine import EntryDraft, price_events
from xinbao.scoring.events import Source, Window, registry
from xinbao.scoring.models import LedgerBuild, LedgerEntry, LedgerSlot, RuleSet
from xinbao.scoring.rules import default_rules, validate_rules
from xinbao.scoring.selectors import can_edit_rules, office_scope, ruleset_current

if TYPE_CHECKING:
    from xinbao.accounts.models import User
    from xinbao.scoring.periods import Period

CHUNK = 5000
COPY_CHUNK = 20000
MIN_YEAR, MAX_YEAR = 2000, 2100


def _check_office(office: Unit, year: int) -> None:
    if not office.is_receiving_office:
        raise ValidationFailed(_("只有接收单位（党委办、政府办）可以设定计分规则"), field="office")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationFailed(_("年度必须在%(a)d至%(b)d之间") % {"a": MIN_YEAR, "b": MAX_YEAR}, field="year")


@transaction.atomic
def ruleset_save(
    *,
    actor: User,
    office: Unit,
    year: int,
    rules: Any,
    name: str = "",
    note: str = "",
    base_version: int | None = None,
) -> RuleSet:
    """Add the next version of the office's rules for the year. Refused (nothing changes) when the document is
    invalid, when the actor may not edit, or when ``base_version`` is not the latest (someone saved meanwhile)."""
    if not can_edit_rules(actor, office):
        raise NotPermitted(_("只有本单位的编辑或领导可以修改计分规则"))
    _check_office(office, year)
    normalised = validate_rules(rules)
    name = (name or "").strip()[:100]
    # The office row is the lock that orders two concurrent edits of its rules.
    Unit.objects.select_for_update().filter(pk=office.pk).first()
    latest = ruleset_current(office=office, year=year)
    if base_version is not None and (latest.version if latest else 0) != base_version:
        raise ValidationFailed(_("计分规则已被他人修改，请刷新后重试"), field="base_version")
    rule_set = RuleSet.objects.create(
        office=office,
        year=year,
        version=(latest.version + 1) if latest else 1,
        name=name or (latest.name if latest else _("%(year)d年度信息工作考核计分办法") % {"year": year}),
        rules=normalised,
        note=(note or "").strip()[:200],
        created_by=actor,
    )
    audit_record(
        event_type=EventType.CONFIG_CHANGE,
        actor=actor,
        obj=rule_set,
        detail={"office": office.code, "year": year, "version": rule_set.version},
    )
    return rule_set


def ruleset_ensure(*, office: Unit, year: int) -> RuleSet:
    """The current version, creating version 1 when the office has none for the year: a copy of its previous
    year's latest rules, or the shipped default (PRODUCT 3.5)."""
    current = ruleset_current(office=office, year=year)
    if current is not None:
        return current
    _check_office(office, year)
    previous = RuleSet.objects.filter(office=office, year__lt=year).order_by("-year", "-version").first()
    try:
        with transaction.atomic():
            return RuleSet.objects.create(
                office=office,
                year=year,
                version=1,
                name=_("%(year)d年度信息工作考核计分办法") % {"year": year},
                rules=validate_rules(previous.rules) if previous else default_rules(),
                note=_("沿用上一年度规则") if previous else _("系统默认规则"),
            )
    except IntegrityError:
        found = ruleset_current(office=office, year=year)
        assert found is not None
        return found


def _lock_slot(office: Unit, year: int) -> LedgerSlot:
    try:
        with transaction.atomic():
            LedgerSlot.objects.get_or_create(office=office, year=year)
    except IntegrityError:
        pass
    return LedgerSlot.objects.select_for_update().get(office=office, year=year)


def _direct_point_remap(scope: Unit) -> dict[int, int]:
    """直报点 → the region (county) it belongs to, for ``direct_point_to_county``."""
    ids = (
        DirectReportingTarget.objects.filter(unit__path__startswith=scope.path)
        .values_list("unit_id", flat=True)
        .distinct()
    )
    remap = {}
    for unit in Unit.objects.filter(pk__in=list(ids)).order_by("pk"):
        region = unit_region(unit)
        if region.pk != unit.pk:
            remap[unit.pk] = region.pk
    return remap


def _events(window: Window, sources: Iterable[tuple[str, Source]]) -> Iterator[Any]:
    return chain.from_iterable(source(window) for _name, source in sources)


def canonical_line(e: EntryDraft | LedgerEntry, version: int) -> str:
    person = getattr(e, "person_id", None)
    return (
        f"{e.unit_id}|{person or ''}|{e.points:.2f}|{e.kind}|{e.rule_key}|{version}|"
        f"{e.source_type}|{e.source_id}|{e.event_date.isoformat()}\n"
    )


@transaction.atomic
def ledger_rebuild(
    *, actor: User | None, office: Unit, year: int, sources: Iterable[tuple[str, Source]] | None = None
) -> LedgerBuild:
    """Recompute the office's ledger for the year from every registered event source (``sources`` replaces them,
    for benchmarks). Deterministic: the same events under the same rule version give the same digest."""
    from xinbao.scoring.selectors import can_view_office

    if actor is not None and not can_view_office(actor, office):
        raise NotPermitted(_("无权重新计算该单位的考核账本"))
    _check_office(office, year)
    _lock_slot(office, year)
    rule_set = ruleset_ensure(office=office, year=year)
    rules = validate_rules(rule_set.rules)
    scope = office_scope(office)
    window = Window(office.pk, scope.path, date(year, 1, 1), date(year, 12, 31), rules)
    remap = _direct_point_remap(scope) if rules["direct_point_to_county"] else {}
    build = LedgerBuild.objects.create(office=office, year=year, rule_set=rule_set, built_by=actor)
    drafts = price_events(
        _events(window, sources if sources is not None else registry.sources()),
        rules,
        remap=remap,
        year_end=window.end,
    )
    seq, digest = _write_entries(build, rule_set.version, drafts)
    old = list(
        LedgerBuild.objects.filter(office=office, year=year, is_current=True).values_list("pk", flat=True)
    )
    # Old entries go (a single DELETE: nothing refers to them); the old build rows stay as the rebuild history.
    LedgerEntry.objects.filter(build_id__in=old).delete()
    LedgerBuild.objects.filter(pk__in=old).update(is_current=False)
    build.is_current = True
    build.entry_count = seq
    build.digest = digest
    build.finished_at = timezone.now()
    build.save(update_fields=["is_current", "entry_count", "digest", "finished_at", "updated_at"])
    audit_record(
        event_type=EventType.STATE_CHANGE,
        actor=actor,
        obj=build,
        object_repr=f"{office.name} {year}",
        detail={"ledger_rebuild": build.pk, "year": year, "rule_version": rule_set.version, "entries": seq},
    )
    return build


COLUMNS = (
    "build_id", "seq", "unit_id", "person_id", "points", "kind", "rule_key", "rule_version", "source_type",
    "source_id", "event_date", "note",
)  # fmt: skip


def _copy(sql: str, rows: list[tuple[Any, ...]]) -> None:
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _write_entries(build: LedgerBuild, version: int, drafts: Iterable[EntryDraft]) -> tuple[int, str]:
    """Stream the entries into the build: COPY on PostgreSQL (a year at province scale is millions of rows and
    model instances would cost most of the time), chunked ``bulk_create`` elsewhere. Returns (count, digest)."""
    digest = hashlib.sha256()
    seq = 0
    if connection.vendor == "postgresql":
        # Sources query the database while they yield, and a connection cannot query in the middle of a COPY:
        # each chunk is collected first, then copied.
        sql = f"COPY {LedgerEntry._meta.db_table} ({', '.join(COLUMNS)}) FROM STDIN"
        rows: list[tuple[Any, ...]] = []
        for d in drafts:
            seq += 1
            digest.update(canonical_line(d, version).encode())
            rows.append(
                (build.pk, seq, d.unit_id, d.person_id, d.points, d.kind, d.rule_key, version, d.source_type,
                 d.source_id, d.event_date, d.note)
            )  # fmt: skip
            if len(rows) >= COPY_CHUNK:
                _copy(sql, rows)
                rows = []
        if rows:
            _copy(sql, rows)
        return seq, digest.hexdigest()
    batch: list[LedgerEntry] = []
    for d in drafts:
        seq += 1
        digest.update(canonical_line(d, version).encode())
        batch.append(
            LedgerEntry(
                build=build, seq=seq, unit_id=d.unit_id, person_id=d.person_id, points=d.points, kind=d.kind,
                rule_key=d.rule_key, rule_version=version, source_type=d.source_type, source_id=d.source_id,
                event_date=d.event_date, note=d.note,
            )
        )  # fmt: skip
        if len(batch) >= CHUNK:
            LedgerEntry.objects.bulk_create(batch)
            batch = []
    if batch:
        LedgerEntry.objects.bulk_create(batch)
    return seq, digest.hexdigest()


def ledger_dump(build: LedgerBuild) -> Iterator[str]:
    """The canonical text of a build, line by line in entry order (what the digest is computed over)."""
    for entry in LedgerEntry.objects.filter(build=build).order_by("seq").iterator(chunk_size=CHUNK):
        yield canonical_line(entry, entry.rule_version)


def ledger_ensure(*, office: Unit, years: list[int]) -> None:
    """Build any missing ledger of the years (a first look at rankings should not show an empty table)."""
    have = set(
        LedgerBuild.objects.filter(office=office, year__in=years, is_current=True).values_list(
            "year", flat=True
        )
    )
    for year in years:
        if year not in have:
            ledger_rebuild(actor=None, office=office, year=year)


#: What each scoring download is, as the audit log describes it.
EXPORT_LABELS = {
    "unit_ranking": gettext_lazy("单位排名"),
    "informant_ranking": gettext_lazy("信息员排名"),
    "dashboard_units": gettext_lazy("各单位得分"),
    "dashboard_completion": gettext_lazy("各单位报送任务完成率"),
    "dashboard_types": gettext_lazy("按信息类型报送采用情况"),
    "dashboard_levels": gettext_lazy("按采用层级采用情况"),
    "quota_informants": gettext_lazy("信息员任务完成情况"),
    "quota_units": gettext_lazy("单位任务完成情况"),
    "quota_supervision": gettext_lazy("重点督查名单"),
    "quota_inactive": gettext_lazy("长期未报送信息员"),
    "unit_ledger": gettext_lazy("计分明细"),
    "circular": gettext_lazy("信息工作情况通报"),
    "commendations": gettext_lazy("年度表彰推荐名单"),
}


@transaction.atomic
def export_record(
    *,
    actor: User,
    office: Unit,
    what: str,
    period: Period,
    rows: int,
    file_format: str = "xlsx",
    unit: Unit | None = None,
    subtree: bool = False,
) -> AuditEvent:
    """Audit a download of the office's assessment figures (等保 安全审计: data leaving the system), as the item
    exports of ``reports.services.exports`` are: which table (``what``, a key of ``EXPORT_LABELS``), for which
    period — and unit, for a unit's ledger —, in which format, how many rows.

    The description is written in the system's language whoever downloads, so the log reads the same for every
    auditor (the user's language would mix languages in one log)."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(EXPORT_LABELS[what])
        if unit is not None:
            subject = (_("%(what)s：%(unit)s（含下级单位）") if subtree else _("%(what)s：%(unit)s")) % {
                "what": subject,
                "unit": unit.name,
            }
        description = _("%(what)s（%(office)s，%(period)s，%(format)s）") % {
            "what": subject,
            "office": office.name,
            "period": period.label,
            "format": f".{file_format}",
        }
    detail: dict[str, Any] = {
        "what": what,
        "format": file_format,
        "office": office.code,
        "period": period.code,
        "rows": rows,
    }
    if unit is not None:
        detail.update(unit=unit.code, subtree=subtree)
    return audit_record(
        event_type=EventType.DATA_EXPORT,
        actor=actor,
        object_type="scoring.office",
        object_id=office.pk,
        object_repr=description,
        detail=detail,
    )
