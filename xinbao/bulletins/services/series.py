"""Publication series of an office (《XX信息》, 《信息专报》, 《每日要情》...): set-up by the office's editors."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from xinbao.audit.models import EventType
from xinbao.audit.services import audit_record
from xinbao.bulletins.models import Classification, RecipientKind, Series, SeriesKind, SeriesRecipient
from xinbao.bulletins.selectors import is_office_editor
from xinbao.bulletins.services.distribution import check_recipients
from xinbao.common.errors import NotPermitted, ValidationFailed

if TYPE_CHECKING:
    from xinbao.accounts.models import User
    from xinbao.orgs.models import Unit

CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,31}$")


def _clean(
    *,
    series: Series,
    name: str,
    code: str,
    kind: str,
    classification: str,
    copies: int,
    total_start: int,
    publisher_name: str,
) -> None:
    name = (name or "").strip().strip("《》")
    if not name:
        raise ValidationFailed(_("请填写刊物名称"), field="name")
    if len(name) > 40:
        raise ValidationFailed(_("刊物名称不能超过40字"), field="name")
    code = (code or "").strip().lower()
    if not CODE_RE.match(code):
        raise ValidationFailed(_("刊物代码须为2至32位小写字母、数字或连字符，如 apxx"), field="code")
    if Series.objects.filter(code=code).exclude(pk=series.pk).exists():
        raise ValidationFailed(_("刊物代码“%(code)s”已被使用") % {"code": code}, field="code")
    if Series.objects.filter(office=series.office, name=name).exclude(pk=series.pk).exists():
        raise ValidationFailed(_("本单位已有刊物《%(name)s》") % {"name": name}, field="name")
    if kind not in SeriesKind.values:
        raise ValidationFailed(_("请选择刊物类型"), field="kind")
    if classification not in Classification.values:
        raise ValidationFailed(_("请选择密级"), field="classification")
    if not isinstance(copies, int) or not 1 <= copies <= 100000:
        raise ValidationFailed(_("印数应为1至100000之间的整数"), field="copies")
    if not isinstance(total_start, int) or not 1 <= total_start <= 100000:
        raise ValidationFailed(_("起始总期号应为1至100000之间的整数"), field="total_start")
    if (
        series.pk
        and series.issues.filter(total_number__isnull=False).exists()
        and total_start != series.total_start
    ):
        raise ValidationFailed(_("已有印发的期刊，不能再修改起始总期号"), field="total_start")
    publisher_name = (publisher_name or "").strip()
    if len(publisher_name) > 60:
        raise ValidationFailed(_("编印单位署名不能超过60字"), field="publisher_name")
    series.name, series.code, series.kind, series.classification = name, code, kind, classification
    series.copies, series.total_start, series.publisher_name = copies, total_start, publisher_name


def _set_recipients(series: Series, recipients: Mapping[str, Iterable[Unit]]) -> None:
    rows, seen = [], set()
    for kind, units in recipients.items():
        if kind not in RecipientKind.values:
            raise ValidationFailed(_("分送方式无效：%(kind)s") % {"kind": kind}, field="recipients")
        for unit in units:
            if unit.pk in seen:
                raise ValidationFailed(
                    _("%(name)s在分送名单中出现了两次") % {"name": unit.name}, field="recipients"
                )
            seen.add(unit.pk)
            rows.append(SeriesRecipient(series=series, kind=kind, unit=unit))
    check_recipients(series.office, series.classification, [r.unit for r in rows])
    SeriesRecipient.objects.filter(series=series).delete()
    SeriesRecipient.objects.bulk_create(rows)


@transaction.atomic
def series_create(
    *,
    actor: User,
    name: str,
    code: str,
    kind: str = SeriesKind.BRIEFING,
    classification: str = Classification.INTERNAL,
    copies: int = 50,
    total_start: int = 1,
    publisher_name: str = "",
    show_total_number: bool = True,
    recipients: Mapping[str, Iterable[Unit]] | None = None,
) -> Series:
    office = actor.unit
    if office is None or not office.is_receiving_office or not is_office_editor(actor, office.pk):
        raise NotPermitted(_("只有接收单位的编辑可以创建刊物"))
    series = Series(office=office, show_total_number=bool(show_total_number))
    _clean(
        series=series,
        name=name,
        code=code,
        kind=kind,
        classification=classification,
        copies=copies,
        total_start=total_start,
        publisher_name=publisher_name,
    )
    series.save()
    _set_recipients(series, recipients or {})
    audit_record(event_type=EventType.CONFIG_CHANGE, actor=actor, obj=series, detail={"created": series.code})
    return series


@transaction.atomic
def series_update(
    *,
    actor: User,
    series: Series,
    name: str,
    code: str,
    kind: str,
    classification: str,
    copies: int,
    total_start: int,
    publisher_name: str = "",
    show_total_number: bool = True,
    is_active: bool = True,
    recipients: Mapping[str, Iterable[Unit]] | None = None,
) -> Series:
    series = Series.objects.select_for_update().select_related("office").get(pk=series.pk)
    if not is_office_editor(actor, series.office_id):
        raise NotPermitted(_("只有编印单位的编辑可以修改刊物"))
    _clean(
        series=series,
        name=name,
        code=code,
        kind=kind,
        classification=classification,
        copies=copies,
        total_start=total_start,
        publisher_name=publisher_name,
    )
    series.show_total_number, series.is_active = bool(show_total_number), bool(is_active)
    series.save()
    if recipients is not None:
        _set_recipients(series, recipients)
    else:
        check_recipients(
            series.office, series.classification, [r.unit for r in series.recipients.select_related("unit")]
        )
    audit_record(event_type=EventType.CONFIG_CHANGE, actor=actor, obj=series, detail={"updated": series.code})
    return series
