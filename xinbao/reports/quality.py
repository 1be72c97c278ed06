"""The quality hook in the save and submit path (issue 3 item 9). Checks register here and return findings that
warn or block; the quality capability (issue 7) adds reuse detection, secrecy screening and wording checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from xinbao.reports.models import BODY_MAX, TITLE_MAX

BLOCK = "block"
WARN = "warn"


@dataclass(frozen=True)
class Finding:
    level: str
    field: str
    message: str


Check = Callable[..., list[Finding]]
_checks: list[Check] = []


def register(check: Check) -> Check:
    if check not in _checks:
        _checks.append(check)
    return check


def run_checks(*, title: str, body: str, report_type: str | None, report: object = None) -> list[Finding]:
    """``report_type`` is None when a draft is saved and the item's type at submission; ``report`` is the item
    when the caller has one (a secrecy clearance belongs to one item)."""
    findings: list[Finding] = []
    for check in _checks:
        findings.extend(check(title=title, body=body, report_type=report_type, report=report))
    return findings


@register
def length_checks(*, title: str, body: str, report_type: str | None, report: object = None) -> list[Finding]:
    found = []
    if not title.strip():
        found.append(Finding(BLOCK, "title", _("标题不能为空")))
    elif len(title) > TITLE_MAX:
        found.append(
            Finding(
                BLOCK,
                "title",
                _("标题不能超过%(n)d个字（现为%(m)d个字）") % {"n": TITLE_MAX, "m": len(title)},
            )
        )
    if not body.strip():
        found.append(Finding(BLOCK, "body", _("正文不能为空")))
    elif len(body) > BODY_MAX:
        found.append(
            Finding(
                BLOCK, "body", _("正文不能超过%(n)d个字（现为%(m)d个字）") % {"n": BODY_MAX, "m": len(body)}
            )
        )
    elif len(body) < 50:
        found.append(
            Finding(WARN, "body", _("正文不足50个字，信息要素可能不全（时间、地点、事件、措施、成效）"))
        )
    return found
