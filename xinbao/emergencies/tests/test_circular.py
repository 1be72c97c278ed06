"""The monthly 紧急信息报送情况通报 counts each unit's incidents as timely, late (with minutes), missed and concealed,
and 续报 overdue, the same in the page's table, the .xlsx and the .docx."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from openpyxl import load_workbook

from xinbao.emergencies import circular
from xinbao.emergencies.services import incident_report_submit, reporting_issue_record
from xinbao.emergencies.tests.factories import BODY, make_cast, register

TZ = ZoneInfo("Asia/Shanghai")


def at(hm: str, day: int = 20) -> datetime:
    return datetime.fromisoformat(f"2026-11-{day:02d}T{hm}").replace(tzinfo=TZ)


def test_timely_late_missed_and_concealed_per_unit(world):
    cast = make_cast(world)
    with time_machine.travel(at("10:10"), tick=False):
        late = register(
            cast, world, grade="large", title="城关镇南街居民楼火灾", occurred_ago=10, learned_ago=10
        )
        concealed = register(
            cast, world, grade="major", title="城关镇北街燃气泄漏", occurred_ago=10, learned_ago=5
        )
        missed = register(cast, world, grade="ordinary", by_phone=False, title="城关镇河道溺水事件")
        register(cast, world, grade="ordinary", by_phone=False, title="城关镇集市踩踏事件")
    with time_machine.travel(at("10:20"), tick=False):
        incident_report_submit(actor=cast.informant, incident=concealed, kind="first", body=BODY)
        reporting_issue_record(
            actor=cast.editor,
            incident=concealed,
            kind="concealed",
            source="inspection",
            learned_at=at("10:15"),
            evidence="首报称无人员伤亡，经核实有2人受伤住院。",
        )
        reporting_issue_record(
            actor=cast.editor,
            incident=missed,
            kind="missed",
            source="media",
            learned_at=at("10:12"),
            evidence="江州晚报报道了此次溺水事件，单位未报告。",
        )
    with time_machine.travel(
        at("11:25"), tick=False
    ):  # written 首报 of a 较大 incident learned at 10:00: due 11:00
        incident_report_submit(actor=cast.informant, incident=late, kind="first", body=BODY)

    with time_machine.travel(at("18:00"), tick=False):
        lines = circular.circular_lines(user=cast.editor, year=2026, month=11)
        (line,) = lines
        assert (line.unit_name, line.total, line.timely, line.late, line.missed, line.concealed) == (
            "安平县城关镇",
            4,
            1,
            2,
            1,
            1,
        )
        # 续报 due 17:00 for the 重大 one (首报 10:20) and for the 较大 one (首报 11:25): both overdue at 18:00.
        assert line.follow_up_overdue == 2
        outcomes = {c.incident.title: (c.outcome, c.minutes_late, c.concealed) for c in line.cases}
        assert outcomes == {
            "城关镇南街居民楼火灾": ("late", 25, False),
            "城关镇北街燃气泄漏": ("timely", 0, True),
            "城关镇河道溺水事件": ("missed", 0, False),
            # never reported, nobody recorded 漏报: late by the clock and still counting; due 14:00 (4 h after
            # it occurred at 10:00 caps 4 h after learning at 10:05)
            "城关镇集市踩踏事件": ("late", 240, False),
        }
        title = "2026年11月紧急信息报送情况通报"
        book = load_workbook(io.BytesIO(circular.circular_xlsx(lines, title=title)))
        assert list(book.worksheets[0].iter_rows(min_row=3, values_only=True)) == [
            ("安平县城关镇", 4, 1, 2, 1, 1, 2)
        ]
        detail = {row[1]: row[5] for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)}
        assert detail == {
            "城关镇南街居民楼火灾": "迟报25分钟",
            "城关镇北街燃气泄漏": "按时报送，瞒报",
            "城关镇河道溺水事件": "漏报",
            "城关镇集市踩踏事件": "迟报240分钟",
        }
        docx = circular.circular_docx(lines, title=title, issuer="中共安平县委办公室", year=2026, month=11)
    text = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    assert "按时报送1起，迟报2起，漏报1起，瞒报1起" in text
    assert "城关镇南街居民楼火灾" in text and "迟报25分钟" in text and "按时报送，瞒报" in text
    # Another county's editor sees none of it.
    assert circular.circular_lines(user=cast.charlie, year=2026, month=11) == []
