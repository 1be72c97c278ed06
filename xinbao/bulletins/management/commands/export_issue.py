"""export_issue: write a published issue as .docx (or the printable HTML) from the command line.

    python manage.py export_issue apxx 2026 12 --format docx --out apxx-2026-012.docx
    python manage.py export_issue --latest --format docx --out latest.docx

Unknown series, year or number: a Chinese message on stderr and exit status 2 (a usage error, like argparse's).
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from xinbao.bulletins.models import Issue, IssueState, Series
from xinbao.bulletins.rendering import paper_context, render_docx


class Command(BaseCommand):
    help = "Export a published bulletin issue as .docx (GB/T 9704-2012) or printable HTML."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", nargs="?", help="series code, e.g. apxx")
        parser.add_argument("year", nargs="?", type=int)
        parser.add_argument("number", nargs="?", type=int)
        parser.add_argument("--supplement", action="store_true", help="the number is a 增刊 number")
        parser.add_argument("--latest", action="store_true", help="the most recently published issue")
        parser.add_argument("--format", choices=["docx", "html"], default="docx")
        parser.add_argument("--out", required=True, help="output file")

    def _fail(self, message: str) -> None:
        self.stderr.write(message)
        sys.exit(2)

    def handle(self, *args: object, **opts: object) -> None:
        published = Issue.objects.filter(state=IssueState.PUBLISHED).select_related(
            "series", "series__office"
        )
        if opts["latest"]:
            if opts["code"]:
                self._fail(_("使用 --latest 时不要再指定刊物代码和期号"))
            issue = published.order_by("-published_at", "-id").first()
            if issue is None:
                self._fail(_("还没有已印发的期刊"))
        else:
            code, year, number = opts["code"], opts["year"], opts["number"]
            if not (code and year and number):
                self._fail(_("请指定刊物代码、年度和期号，或使用 --latest"))
            if not Series.objects.filter(code=code).exists():
                self._fail(_("没有代码为“%(code)s”的刊物") % {"code": code})
            issue = published.filter(
                series__code=code, year=year, number=number, is_supplement=bool(opts["supplement"])
            ).first()
            if issue is None:
                self._fail(
                    _("刊物“%(code)s”没有已印发的%(year)s年%(kind)s第%(number)s期")
                    % {
                        "code": code,
                        "year": year,
                        "number": number,
                        "kind": _("增刊") if opts["supplement"] else "",
                    }
                )
        assert issue is not None
        out = Path(str(opts["out"]))
        if opts["format"] == "docx":
            out.write_bytes(render_docx(issue))
        else:
            css = (Path(__file__).resolve().parents[2] / "static" / "bulletins" / "print.css").read_text(
                "utf-8"
            )
            html = render_to_string(
                "bulletins/print.html",
                {**paper_context(issue), "inline_css": css},
            )
            out.write_text(html, encoding="utf-8")
        self.stdout.write(_("已导出 %(issue)s → %(out)s") % {"issue": issue, "out": out})
