"""Reads of the quality capability. Reuse matches honour item visibility: a matching item the reader may not see
is reported (score, year) but neither its title, unit nor text is shown — a restricted 内参 must not leak through
the plagiarism check."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext as _

from xinbao.accounts.models import Role
from xinbao.common.errors import NotFound, NotPermitted
from xinbao.quality.findings import TextFinding
from xinbao.quality.models import ReferenceDocument, WordingKind, WordingRule
from xinbao.quality.reuse.index import find_matches, report_text
from xinbao.quality.secrecy import scan
from xinbao.quality.suggest import Suggestion, suggest_type
from xinbao.quality.wording import wording_findings
from xinbao.reports.selectors import report_list_visible_to

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from xinbao.accounts.models import User
    from xinbao.reports.models import Report

REUSE_SHOWN = 0.3


@dataclass(frozen=True)
class PassagePair:
    mine: str
    theirs: str  # empty when the reader may not see the source


@dataclass(frozen=True)
class ReuseView:
    score: float
    kind: str  # report or reference
    visible: bool
    title: str
    source: str  # unit name or reference source
    year: int
    report_id: int | None
    passages: list[PassagePair] = field(default_factory=list)


@dataclass(frozen=True)
class QualityResult:
    findings: list[TextFinding]
    reuse: list[ReuseView]
    suggestion: Suggestion | None

    @property
    def blocking(self) -> bool:
        return any(f.level == "block" for f in self.findings)


def secrecy_findings(title: str, body: str) -> list[TextFinding]:
    out = []
    for fld, text in (("title", title), ("body", body)):
        for hit in scan(text):
            out.append(
                TextFinding(
                    "secrecy",
                    "block",
                    fld,
                    hit.start,
                    hit.end,
                    _("保密审查：“%(w)s”，报送前须经本单位审签人确认") % {"w": hit.word},
                    text[max(0, hit.start - 8) : hit.end + 8],
                )
            )
    return out


def reuse_for(*, user: User, title: str, body: str, exclude_report_id: int | None = None) -> list[ReuseView]:
    text = report_text(title, body)
    matches = find_matches(text, threshold=REUSE_SHOWN, exclude_report_id=exclude_report_id)
    report_ids = [m.doc.report_id for m in matches if m.doc.report_id]
    visible = set(report_list_visible_to(user=user).filter(pk__in=report_ids).values_list("pk", flat=True))
    out = []
    for m in matches[:10]:
        doc = m.doc
        if doc.report is not None:
            seen = doc.report_id in visible
            title_, source, year = doc.report.title, doc.report.unit.name, doc.report.created_at.year
        else:
            ref = doc.reference
            assert ref is not None
            seen, title_, source, year = True, ref.title, ref.source, ref.created_at.year
        passages = [
            PassagePair(text[p.a_start : p.a_end], m.text[p.b_start : p.b_end] if seen else "")
            for p in sorted(m.comparison.passages, key=lambda p: -p.length)[:5]
        ]
        out.append(
            ReuseView(
                score=m.score,
                kind="report" if doc.report_id else "reference",
                visible=seen,
                title=title_ if seen else "",
                source=source if seen else "",
                year=year,
                report_id=doc.report_id if seen else None,
                passages=passages,
            )
        )
    return out


def quality_check(
    *, user: User, title: str, body: str, report_id: int | None = None, with_reuse: bool = True
) -> QualityResult:
    findings = secrecy_findings(title, body) + wording_findings(title, body)
    reuse = reuse_for(user=user, title=title, body=body, exclude_report_id=report_id) if with_reuse else []
    return QualityResult(findings, reuse, suggest_type(title, body))


def report_for_secrecy(*, user: User, pk: int) -> Report:
    """The item as its secrecy review needs it: whoever may see it, and also the signers of its unit while it is
    a draft held back by a keyword hit — the block waits for them, so they must be able to read the text they
    answer for (drafts are otherwise their authors' alone, reports.selectors). Anyone else: NotFound."""
    from xinbao.quality.secrecy import hit_words
    from xinbao.reports.models import Report
    from xinbao.reports.selectors import can_sign, report_get_visible

    try:
        return report_get_visible(user=user, pk=pk)
    except NotFound:
        report = Report.objects.filter(pk=pk).first()
        if report is not None and can_sign(user, report) and hit_words(report.title, report.body):
            return report
        raise


def reference_list() -> QuerySet[ReferenceDocument]:
    return ReferenceDocument.objects.select_related("uploaded_by")


def public_release_allowed(report: object) -> bool:
    """Publishing to the public portal (PRODUCT 3.8): never for a restricted item, and never for a text with a
    secrecy keyword hit — a signer's confirmation clears internal submission only, not publication."""
    from xinbao.quality.secrecy import hit_words

    if getattr(report, "is_restricted", False):
        return False
    return not hit_words(getattr(report, "title", ""), getattr(report, "body", ""))


# --- wording lists ---------------------------------------------------------------------------------------------------


def may_keep_wording_rules(user: User) -> bool:
    """Who keeps the wording lists (PRODUCT 3.6): the editors of a receiving office — they correct the same
    miswritings in every item that reaches them and answer for the wording of what they forward — and the system
    administrator, who keeps the system's configuration. The lists are one province-wide configuration (the
    checks read every active rule), so an editor of any office keeps them and every change is audited; informants,
    signers and leaders meet the rules through the findings on their items. The security administrator keeps the
    secrecy keywords instead (三员分立), not these."""
    if user.has_role(Role.SYSTEM_ADMIN):
        return True
    unit = getattr(user, "unit", None)
    return user.has_role(Role.EDITOR) and unit is not None and unit.is_receiving_office


def require_wording_keeper(user: User) -> None:
    if not may_keep_wording_rules(user):
        raise NotPermitted(_("只有收文单位的编辑和系统管理员可以维护用语规则"))


def wording_rule_list(*, user: User, filters: dict[str, object] | None = None) -> QuerySet[WordingRule]:
    """The rules for the list page, the export and the API: ``kind`` (a WordingKind value), ``q`` (text in the
    word, the correction or the note) and ``active`` (True, False or None for both)."""
    require_wording_keeper(user)
    filters = filters or {}
    qs = WordingRule.objects.all()
    kind = filters.get("kind")
    if kind in WordingKind.values:
        qs = qs.filter(kind=kind)
    text = str(filters.get("q") or "").strip()
    if text:
        qs = qs.filter(Q(wrong__icontains=text) | Q(correct__icontains=text) | Q(note__icontains=text))
    active = filters.get("active")
    if active is not None:
        qs = qs.filter(is_active=bool(active))
    return qs.order_by("kind", "wrong", "pk")


def wording_rule_get(*, user: User, pk: int) -> WordingRule:
    require_wording_keeper(user)
    rule = WordingRule.objects.filter(pk=pk).first()
    if rule is None:
        raise NotFound(_("用语规则不存在"))
    return rule
