"""The quality capability's checks in the reports save/submit hook (xinbao/reports/quality.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from xinbao.quality.models import SecrecyClearance
from xinbao.quality.reuse.index import report_text, text_hash
from xinbao.quality.secrecy import hit_words
from xinbao.reports.quality import BLOCK, WARN, Finding


def secrecy_cleared(*, title: str, body: str, report: Any = None) -> bool:
    clearances = SecrecyClearance.objects.filter(text_hash=text_hash(report_text(title, body)))
    if report is not None:
        clearances = clearances.filter(report_id=report.pk)
    return clearances.exists()


def secrecy_check(*, title: str, body: str, report_type: str | None, report: Any = None) -> list[Finding]:
    """A keyword hit warns while the draft is written and blocks submission until the unit's signer has confirmed
    this exact text (PRODUCT 3.6: "a hit blocks submission until the signer confirms")."""
    words = hit_words(title, body)
    if not words:
        return []
    listed = "、".join(words)
    if report_type is None:  # saving a draft
        return [
            Finding(
                WARN,
                "body",
                _("保密审查：含有关键词“%(words)s”，报送前须经本单位审签人确认") % {"words": listed},
            )
        ]
    if secrecy_cleared(title=title, body=body, report=report):
        return []
    return [
        Finding(
            BLOCK,
            "body",
            _("保密审查未通过：含有关键词“%(words)s”，须由本单位审签人确认不涉密并说明理由后方可报送")
            % {"words": listed},
        )
    ]
