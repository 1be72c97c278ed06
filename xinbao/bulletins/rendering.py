"""An issue as a 公文 .docx (xinbao.common.gongwen) and the facts its printable HTML view shows; both take the same
报头/报尾 wording from here so the page and the document never disagree."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from xinbao.bulletins.models import RECIPIENT_ORDER, Classification, Issue, IssueEntry
from xinbao.common.gongwen import Colophon, GongwenDocument, Masthead
from xinbao.common.gongwen_text import split_body

#: What the 报头 prints top left for each classification ("公开" prints nothing).
CLASSIFICATION_MARK = {
    Classification.PUBLIC: "",
    Classification.INTERNAL: "内部资料",
    Classification.RESTRICTED: "内参 注意保存",
    Classification.SECRET: "秘密",
}


def issue_line(issue: Issue) -> str:
    """第12期（总第356期） / 增刊第1期 / （未编号） before publication."""
    if issue.number is None:
        return _("（未编号）")
    if issue.is_supplement:
        return _("增刊第%(n)d期") % {"n": issue.number}
    line = _("第%(n)d期") % {"n": issue.number}
    if issue.series.show_total_number and issue.total_number:
        line += _("（总第%(n)d期）") % {"n": issue.total_number}
    return line


@dataclass
class Layout:
    masthead: Masthead
    colophon: Colophon


def layout(issue: Issue) -> Layout:
    series = issue.series
    distribution: list[tuple[str, list[str]]] = []
    recipients = list(issue.recipients.select_related("unit").order_by("id"))
    for kind in RECIPIENT_ORDER:
        names = [r.unit.name for r in recipients if r.kind == kind]
        if names:
            distribution.append((str(kind.label), names))
    return Layout(
        masthead=Masthead(
            title=series.name,
            issue_line=issue_line(issue),
            publisher=_("%(unit)s编") % {"unit": series.publisher},
            date=issue.issue_date or timezone.localdate(),
            classification=CLASSIFICATION_MARK.get(Classification(issue.classification), ""),
            serial=(_("编号：%(s)s") % {"s": issue.serial}) if issue.serial else "",
        ),
        colophon=Colophon(distribution=distribution, copies=issue.copies),
    )


def render_docx(issue: Issue) -> bytes:
    """报头, 编者按, each entry (title, text, source line), 报尾 (GB/T 9704-2012 via gongwen)."""
    parts = layout(issue)
    doc = GongwenDocument()
    doc.masthead(parts.masthead)
    if issue.editor_note:
        doc.labelled(_("编者按："), issue.editor_note)
    for i, entry in enumerate(issue.entries.order_by("position", "id")):
        if i:
            doc.blank_line()
        doc.title(entry.title)
        doc.blank_line()
        doc.body(entry.body)
        if entry.source_line:
            doc.source_line(entry.source_line)
    doc.colophon(parts.colophon)
    return doc.to_bytes()


def docx_filename(issue: Issue) -> str:
    if issue.number is None:
        return f"{issue.series.code}-draft-{issue.pk}.docx"
    kind = "zk" if issue.is_supplement else ""
    return f"{issue.series.code}-{issue.year}-{kind}{issue.number:03d}.docx"


def paper_entries(issue: Issue) -> list[IssueEntry]:
    """The entries in print order, each with ``blocks`` (gongwen_text.split_body) for the printable HTML view."""
    entries = list(issue.entries.select_related("report").order_by("position", "id"))
    for entry in entries:
        entry.blocks = split_body(entry.body)  # type: ignore[attr-defined]
    return entries


def paper_context(issue: Issue) -> dict:
    """What bulletins/print.html and _paper.html need."""
    return {"issue": issue, "entries": paper_entries(issue), "layout": layout(issue)}
