"""Writes of the wording lists (PRODUCT 3.6: "configurable lists of common miswritings and sensitive wording"):
add, change, deactivate and reactivate a rule, import and export the list as .xlsx. Every change and every export
is audited; rules are never deleted — deactivation keeps the row, the audit log keeps every earlier value, so the
list a finding was raised against can always be explained."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinbao.audit.models import EventType
from xinbao.audit.services import audit_record
from xinbao.common.errors import ValidationFailed
from xinbao.common.xlsx import Column, write_table
from xinbao.imports.cells import RowErrors
from xinbao.imports.columns import Column as ImportColumn
from xinbao.imports.parsing import cell_text, check_name_and_size, read_table
from xinbao.quality.models import WordingKind, WordingRule
from xinbao.quality.selectors import require_wording_keeper
from xinbao.quality.wording import rules_changed

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from xinbao.accounts.models import User

WORD_MAX = 50
NOTE_MAX = 200
IMPORT_MAX_ROWS = 20000
#: The sheet's columns; the export writes exactly these headers, so an exported list can be edited and imported.
WORDING_COLUMNS = (
    ImportColumn("kind", "类别", True, gettext_lazy("常见错别字，或：敏感或不规范表述"), ("常见错别字", "敏感或不规范表述")),
    ImportColumn("wrong", "词语", True, gettext_lazy("要查找的写法，不超过50个字"), ("截止目前", "上访户")),
    ImportColumn("correct", "建议改为", False, gettext_lazy("错别字必填，不超过50个字"), ("截至目前", "信访群众")),
    ImportColumn("note", "说明", False, gettext_lazy("不超过200个字"), ("", "不给群众贴标签")),
    ImportColumn("state", "状态", False, gettext_lazy("启用或停用，空为启用"), ("启用", "")),
)  # fmt: skip
HEADERS = {c.key: c.header for c in WORDING_COLUMNS}


def _kinds_by_text() -> dict[str, str]:
    kinds = {str(label): value for value, label in WordingKind.choices}
    kinds.update({value: value for value in WordingKind.values})
    kinds.update({"错别字": WordingKind.MISWRITING, "敏感表述": WordingKind.SENSITIVE})
    return kinds


def _clean_rule(kind: str, wrong: str, correct: str, note: str) -> tuple[str, str, str, str]:
    """The one validation of a rule, for the page, the API and every imported row. Refuses, never truncates."""
    if kind not in WordingKind.values:
        raise ValidationFailed(_("请选择规则类别"), field="kind")
    wrong = (wrong or "").strip()
    correct = (correct or "").strip()
    note = (note or "").strip()
    if not wrong:
        raise ValidationFailed(_("词语不能为空"), field="wrong")
    if len(wrong) > WORD_MAX:
        raise ValidationFailed(_("词语不能超过%(n)d个字") % {"n": WORD_MAX}, field="wrong")
    if any(ch in wrong for ch in "\r\n\t"):
        raise ValidationFailed(_("词语不能包含换行或制表符"), field="wrong")
    if len(correct) > WORD_MAX:
        raise ValidationFailed(_("建议写法不能超过%(n)d个字") % {"n": WORD_MAX}, field="correct")
    if kind == WordingKind.MISWRITING and not correct:
        raise ValidationFailed(_("错别字规则须填写正确写法"), field="correct")
    if correct == wrong:
        raise ValidationFailed(_("建议写法不能与错误写法相同"), field="correct")
    if len(note) > NOTE_MAX:
        raise ValidationFailed(_("说明不能超过%(n)d个字") % {"n": NOTE_MAX}, field="note")
    return kind, wrong, correct, note


def _rule_values(rule: WordingRule) -> dict[str, object]:
    return {
        "kind": rule.kind,
        "wrong": rule.wrong,
        "correct": rule.correct,
        "note": rule.note,
        "active": rule.is_active,
    }


def _audit_rule(actor: User, rule: WordingRule, action: str, before: dict[str, object] | None) -> None:
    audit_record(
        event_type=EventType.CONFIG_CHANGE,
        actor=actor,
        obj=rule,
        detail={"wording_rule": action, "before": before, "after": _rule_values(rule)},
    )


@transaction.atomic
def wording_rule_save(
    *,
    actor: User,
    kind: str,
    wrong: str,
    correct: str = "",
    note: str = "",
    rule: WordingRule | None = None,
) -> WordingRule:
    """Add a rule (``rule`` None) or change one. Adding a word that a deactivated rule of the same kind holds
    reactivates that rule with the new values (one row per kind and word); a word that an active rule of the
    same kind already holds is refused."""
    require_wording_keeper(actor)
    kind, wrong, correct, note = _clean_rule(kind, wrong, correct, note)
    if rule is not None:
        rule = WordingRule.objects.select_for_update().get(pk=rule.pk)
    clash = WordingRule.objects.select_for_update().filter(kind=kind, wrong=wrong)
    if rule is not None:
        clash = clash.exclude(pk=rule.pk)
    other = clash.first()
    if other is not None and (other.is_active or rule is not None):
        if other.is_active:
            message = _("已有相同的启用规则：“%(w)s”（%(kind)s）")
        else:
            message = _("已有停用的规则“%(w)s”（%(kind)s），请重新启用该规则")
        raise ValidationFailed(message % {"w": wrong, "kind": other.get_kind_display()}, field="wrong")
    target = rule or other
    if target is None:
        try:
            with transaction.atomic():
                target = WordingRule.objects.create(kind=kind, wrong=wrong, correct=correct, note=note)
        except IntegrityError as exc:  # another keeper added the same word a moment ago
            raise ValidationFailed(
                _("已有相同的启用规则：“%(w)s”（%(kind)s）") % {"w": wrong, "kind": WordingKind(kind).label},
                field="wrong",
            ) from exc
        _audit_rule(actor, target, "create", None)
    else:
        before = _rule_values(target)
        target.kind, target.wrong, target.correct, target.note = kind, wrong, correct, note
        target.is_active = True if rule is None else target.is_active
        if _rule_values(target) == before:
            return target
        target.save()
        _audit_rule(actor, target, "reactivate" if rule is None else "update", before)
    rules_changed()
    return target


@transaction.atomic
def wording_rule_set_active(*, actor: User, rule: WordingRule, active: bool) -> WordingRule:
    """Deactivate (the check stops using it, the row stays) or reactivate a rule."""
    require_wording_keeper(actor)
    rule = WordingRule.objects.select_for_update().get(pk=rule.pk)
    if rule.is_active == active:
        raise ValidationFailed(_("该规则已是启用状态") if active else _("该规则已停用"))
    before = _rule_values(rule)
    rule.is_active = active
    rule.save()
    _audit_rule(actor, rule, "activate" if active else "deactivate", before)
    rules_changed()
    return rule


class RowsRefused(ValidationFailed):
    """An import with bad rows: ``errors`` lists every one as {row, column, message}; nothing was imported."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        shown = "；".join(
            _("第%(row)d行“%(column)s”：%(message)s") % e if e["row"] else e["message"] for e in errors[:10]
        )
        more = "……" if len(errors) > 10 else ""
        self.headline = _("文件中有%(n)d处错误，未导入任何规则") % {"n": len(errors)}
        super().__init__(f"{self.headline}：{shown}{more}", field="file")
        self.errors = errors


@dataclass(frozen=True)
class ImportResult:
    added: int
    changed: int
    unchanged: int


def _read_rules(
    *, name: str, content: bytes
) -> tuple[list[tuple[int, tuple[str, str, str, str, bool]]], RowErrors]:
    """Every row checked before anything is written (imports.parsing reads the sheet: header search, row numbers
    as Excel shows them, Chinese reasons for a broken file)."""
    fmt = check_name_and_size(name, len(content))
    table = read_table(content, fmt=fmt, columns=WORDING_COLUMNS)
    if len(table.rows) > IMPORT_MAX_ROWS:
        raise ValidationFailed(_("一次最多导入%(n)d条规则") % {"n": IMPORT_MAX_ROWS}, field="file")
    kinds, errors = _kinds_by_text(), RowErrors()
    seen: dict[tuple[str, str], int] = {}
    rows = []
    for number, record in table.rows:
        kind_text = cell_text(record.get("kind"))
        kind = kinds.get(kind_text, "")
        if not kind:
            allowed = "、".join(str(label) for label in WordingKind.labels)
            errors.add(
                number,
                HEADERS["kind"],
                _("“%(v)s”无效，可选：%(allowed)s") % {"v": kind_text, "allowed": allowed},
            )
            continue
        state = cell_text(record.get("state"))
        if state not in ("", "启用", "停用"):
            errors.add(number, HEADERS["state"], _("“%(v)s”无效，应填“启用”或“停用”") % {"v": state})
            continue
        try:
            clean = _clean_rule(
                kind,
                cell_text(record.get("wrong")),
                cell_text(record.get("correct")),
                cell_text(record.get("note")),
            )
        except ValidationFailed as exc:
            errors.add(number, HEADERS.get(exc.field or "", ""), exc.message)
            continue
        key = (clean[0], clean[1])
        if key in seen:
            errors.add(number, HEADERS["wrong"], _("与第%(row)d行重复") % {"row": seen[key]})
            continue
        seen[key] = number
        rows.append((number, (*clean, state != "停用")))
    return rows, errors


@transaction.atomic
def wording_rules_import(*, actor: User, name: str, content: bytes) -> ImportResult:
    """All or nothing: any bad row refuses the whole file (RowsRefused lists them). A row whose kind and word
    an existing rule holds updates that rule — an exported list, edited and imported again, is the usual way."""
    require_wording_keeper(actor)
    rows, errors = _read_rules(name=name, content=content)
    if errors.items:
        raise RowsRefused(errors.sorted())
    existing = {(r.kind, r.wrong): r for r in WordingRule.objects.select_for_update()}
    added: list[str] = []
    changed: list[str] = []
    for _number, (kind, wrong, correct, note, active) in rows:
        rule = existing.get((kind, wrong))
        if rule is None:
            WordingRule.objects.create(kind=kind, wrong=wrong, correct=correct, note=note, is_active=active)
            added.append(wrong)
        elif (rule.correct, rule.note, rule.is_active) != (correct, note, active):
            rule.correct, rule.note, rule.is_active = correct, note, active
            rule.save()
            changed.append(wrong)
    audit_record(
        event_type=EventType.CONFIG_CHANGE,
        actor=actor,
        object_type="quality.wordingrule",
        object_repr=name[:200],
        detail={"wording_rules_import": len(rows), "added": added[:500], "changed": changed[:500]},
    )
    rules_changed()
    return ImportResult(len(added), len(changed), len(rows) - len(added) - len(changed))


@transaction.atomic
def wording_rules_export(*, actor: User, rules: QuerySet[WordingRule]) -> IO[bytes]:
    """The page's rows (the caller passes the list selector's queryset) in the import's own columns."""
    require_wording_keeper(actor)
    kinds = dict(WordingKind.choices)
    data = [
        (str(kinds.get(r.kind, r.kind)), r.wrong, r.correct, r.note, "启用" if r.is_active else "停用")
        for r in rules[:IMPORT_MAX_ROWS]
    ]
    audit_list_export(actor, "wording_rules", "xlsx", len(data))
    columns = [Column(c.header, w) for c, w in zip(WORDING_COLUMNS, (18, 20, 20, 40, 8), strict=True)]
    return write_table(_("用语规则"), columns, data)


def audit_list_export(actor: User, what: str, fmt: str, rows: int, **detail: object) -> None:
    """等保 安全审计: a configured list leaving the system is recorded like any other data export."""
    audit_record(
        event_type=EventType.DATA_EXPORT,
        actor=actor,
        object_type="quality." + what,
        object_repr=what,
        detail={"what": what, "format": fmt, "rows": rows, **detail},
    )
