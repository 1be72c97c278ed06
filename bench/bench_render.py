"""Issue 4 measure: rendering a bulletin issue of 30 entries to .docx (GB/T 9704-2012 layout) takes ≤ 1 s.

Builds a throw-away SQLite database in a temporary folder (migrations, the test world, 30 adopted items of about
430 characters each with headings, one with a table), composes, signs and publishes one issue through the services,
then times ``bulletins.rendering.render_docx`` (the work behind the download page, the API and export_issue:
reading the issue, entries and distribution, building and zipping the document) over repeated runs, and the
printable HTML page's template rendering alongside.
Usage: .venv/bin/python bench/bench_render.py [--runs 30] [--entries 30]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PARAGRAPHS = [
    "今年以来，{town}坚持把化解信访积案作为推进基层治理的重要抓手，建立“一案一专班、一月一调度、一季一评估”工作机制，"
    "全镇排查梳理各类信访积案23件，已化解19件，化解率82.6%，群众满意度明显提升。",
    "一、主要做法",
    "（一）压实责任抓化解。镇党委书记带头包案，班子成员分片负责，逐案明确责任领导、责任人和化解时限，"
    "做到底数清、情况明、责任实。对久拖未决的疑难案件，实行县镇村三级联合接访，现场研究解决办法。",
    "（二）源头预防抓排查。依托网格化管理平台，组织128名网格员每周开展矛盾纠纷排查，建立问题、责任、销号三张清单，"
    "今年共排查化解各类矛盾纠纷316件，做到小事不出村、大事不出镇、矛盾不上交。",
    "1. 建立台账。对排查出的问题逐一登记，明确化解措施和时限，实行动态管理。",
    "2. 跟踪问效。对已化解的案件开展回访，防止反弹，巩固化解成效。",
    "二、下步打算",
    "下一步，{town}将进一步完善信访工作长效机制，推动信访工作法治化，切实把矛盾纠纷化解在基层、解决在萌芽状态。",
]
TABLE = "项目\t件数\t已化解\t化解率\n信访积案\t23\t19\t82.6%\n矛盾纠纷\t316\t309\t97.8%"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--entries", type=int, default=30)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="xinbao-bench-render-")
    os.environ.update(
        XINBAO_TESTING="1",
        DATABASE_URL=f"sqlite:///{tmp}/bench.sqlite3",
        DJANGO_SETTINGS_MODULE="config.settings",
        XINBAO_VAR_DIR=tmp,
    )
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command
    from django.template.loader import render_to_string

    call_command("migrate", verbosity=0)
    from xinbao.bulletins.rendering import paper_context, render_docx
    from xinbao.bulletins.services import entry_add, issue_create, issue_publish, issue_sign
    from xinbao.bulletins.tests.factories import make_adopted_report, make_series
    from xinbao.notifications.services import notifications_captured
    from xinbao.orgs.tests.factories import build_world
    from xinbao.reports.tests.factories import make_cast

    world = build_world()
    cast = make_cast(world)
    series = make_series(world, cast)
    with notifications_captured():
        issue = issue_create(actor=cast.county_editor, series=series)
        for i in range(args.entries):
            body = "\n".join(p.format(town="城关镇") for p in PARAGRAPHS)
            if i == 0:
                body += "\n" + TABLE
            report = make_adopted_report(
                world, cast, title=f"城关镇建立信访积案化解机制（{i + 1}）", body=body
            )
            entry_add(actor=cast.county_editor, issue=issue, report=report)
        issue_sign(actor=cast.county_leader, issue=issue)
        issue = issue_publish(actor=cast.county_editor, issue=issue)

    def docx() -> int:
        return len(render_docx(issue))

    def html() -> int:
        return len(render_to_string("bulletins/print.html", paper_context(issue)))

    results = {}
    for name, fn in (("docx", docx), ("html", html)):
        fn()
        fn()  # warm-up: imports, template loading, python-docx's default template
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            size = fn()
            times.append((time.perf_counter() - started) * 1000)
        results[name] = (statistics.median(times), percentile(times, 95), max(times), size)
    chars = sum(len(e.body) for e in issue.entries.all())
    cpuinfo = Path("/proc/cpuinfo")
    model = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if "model name" in line),
        platform.machine(),
    )
    print(f"machine: {model}, {os.cpu_count()} CPUs (shared), Python {platform.python_version()}")
    print(
        f"issue: {args.entries} entries, {chars} characters of body text; {args.runs} runs after 2 warm-ups"
    )
    print("| rendering | median ms | p95 ms | max ms | output bytes |")
    print("| --- | --- | --- | --- | --- |")
    for name, (median, p95, worst, size) in results.items():
        print(f"| {name} | {median:.1f} | {p95:.1f} | {worst:.1f} | {size} |")
    ok = results["docx"][1] <= 1000
    print("target p95 ≤ 1000 ms:", "met" if ok else "MISSED")


if __name__ == "__main__":
    main()
