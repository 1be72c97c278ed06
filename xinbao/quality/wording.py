"""用语检查 (PRODUCT 3.6): configured miswritings and sensitive wording, mixed full-/half-width punctuation,
impossible dates and malformed numbers, title and length limits. Every finding says where and what to write."""

from __future__ import annotations

import calendar
import re
from functools import lru_cache

import ahocorasick
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _

from xinbao.quality.findings import BLOCK, INFO, WARN, TextFinding, excerpt
from xinbao.quality.models import WordingKind, WordingRule
from xinbao.reports.models import BODY_MAX, TITLE_MAX

CJK = r"[\u3400-\u9fff]"
#: Half-width marks that have a full-width form in Chinese text (GB/T 15834-2011).
HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
FULL_MARKS = "，。；：？！（）、"
HALF_NEXT_TO_CJK = re.compile(rf"(?<={CJK})[,;:?!()]|[,;:?!()](?={CJK})|(?<={CJK})\.(?!\d)")
DATE_YMD = re.compile(r"(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?")
DATE_MD = re.compile(r"(?<![\d年])(\d{1,2})月(\d{1,2})日")
BAD_GROUPING = re.compile(r"\d+,\d{1,2}(?!\d)|\d+,\d{4,}|\d{4,},\d{3}")
MANY_POINTS = re.compile(r"\d+\.\d+\.\d+(?:\.\d+)*")
FULL_DIGITS = re.compile(r"[０-９]+")
TITLE_END = re.compile(r"[。，；：、.,;:]$")


@lru_cache(maxsize=2)
def _automaton(version: tuple[object, ...]) -> ahocorasick.Automaton | None:
    automaton = ahocorasick.Automaton()
    rules = WordingRule.objects.filter(is_active=True).values_list("kind", "wrong", "correct", "note")
    count = 0
    for kind, wrong, correct, note in rules:
        automaton.add_word(wrong, (kind, wrong, correct, note))
        count += 1
    if not count:
        return None
    automaton.make_automaton()
    return automaton


def _rules_version() -> tuple[object, ...]:
    agg = WordingRule.objects.aggregate(
        n=Count("id"), active=Count("id", filter=Q(is_active=True)), last=Max("updated_at")
    )
    return (agg["n"], agg["active"], agg["last"])


def rules_changed() -> None:
    """The list services call this after a change: this process drops its automaton at once and again when the
    change commits (a check in between would cache the old list). Other processes notice through the version:
    count, active count and the latest ``updated_at`` — which alone would miss an edit within the same clock
    tick as the cached build, hence the explicit clear here."""
    _automaton.cache_clear()
    transaction.on_commit(_automaton.cache_clear)


def rule_findings(field: str, text: str) -> list[TextFinding]:
    automaton = _automaton(_rules_version())
    if automaton is None:
        return []
    found = []
    for end, (kind, wrong, correct, note) in automaton.iter(text):
        start = end - len(wrong) + 1
        if kind == WordingKind.MISWRITING:
            message = _("“%(wrong)s”疑为错别字，应为“%(correct)s”") % {"wrong": wrong, "correct": correct}
        elif correct:
            message = _("“%(wrong)s”属敏感或不规范表述，建议改为“%(correct)s”") % {
                "wrong": wrong,
                "correct": correct,
            }
        else:
            message = _("“%(wrong)s”属敏感或不规范表述，建议删改") % {"wrong": wrong}
        if note:
            message = f"{message}（{note}）"
        found.append(
            TextFinding(kind, WARN, field, start, end + 1, message, excerpt(text, start, end + 1), correct)
        )
    return found


def punctuation_findings(field: str, text: str) -> list[TextFinding]:
    """Half-width marks next to Chinese characters, in a text that also uses full-width marks."""
    if not any(mark in text for mark in FULL_MARKS):
        return []
    found = []
    for m in HALF_NEXT_TO_CJK.finditer(text):
        mark = m.group()
        full = HALF_TO_FULL.get(mark, "。")
        found.append(
            TextFinding(
                "punctuation",
                WARN,
                field,
                m.start(),
                m.end(),
                _("全角、半角标点混用：半角“%(half)s”应为全角“%(full)s”") % {"half": mark, "full": full},
                excerpt(text, m.start(), m.end()),
                full,
            )
        )
    return found


def _date_problem(year: int | None, month: int, day: int | None) -> str | None:
    if not 1 <= month <= 12:
        return _("月份“%(m)d月”不存在") % {"m": month}
    if day is None:
        return None
    last = (
        calendar.monthrange(year, month)[1]
        if year
        else (29 if month == 2 else calendar.monthrange(2001, month)[1])
    )
    if not 1 <= day <= last:
        if year:
            return _("%(y)d年%(m)d月没有%(d)d日") % {"y": year, "m": month, "d": day}
        return _("%(m)d月没有%(d)d日") % {"m": month, "d": day}
    return None


def date_findings(field: str, text: str) -> list[TextFinding]:
    found = []
    spans = []
    for m in DATE_YMD.finditer(text):
        spans.append(m.span())
        problem = _date_problem(int(m.group(1)), int(m.group(2)), int(m.group(3)) if m.group(3) else None)
        if problem:
            found.append(
                TextFinding(
                    "date",
                    WARN,
                    field,
                    m.start(),
                    m.end(),
                    problem + _("，请核对日期"),
                    excerpt(text, *m.span()),
                )
            )
    for m in DATE_MD.finditer(text):
        if any(s <= m.start() < e for s, e in spans):
            continue
        problem = _date_problem(None, int(m.group(1)), int(m.group(2)))
        if problem:
            found.append(
                TextFinding(
                    "date",
                    WARN,
                    field,
                    m.start(),
                    m.end(),
                    problem + _("，请核对日期"),
                    excerpt(text, *m.span()),
                )
            )
    return found


def number_findings(field: str, text: str) -> list[TextFinding]:
    found = []
    for m in BAD_GROUPING.finditer(text):
        fixed = m.group().replace(",", "")
        found.append(
            TextFinding(
                "number",
                WARN,
                field,
                m.start(),
                m.end(),
                _("数字“%(n)s”的千分位分隔不规范") % {"n": m.group()},
                excerpt(text, *m.span()),
                fixed,
            )
        )
    for m in MANY_POINTS.finditer(text):
        found.append(
            TextFinding(
                "number",
                WARN,
                field,
                m.start(),
                m.end(),
                _("数字“%(n)s”含多个小数点") % {"n": m.group()},
                excerpt(text, *m.span()),
            )
        )
    for m in FULL_DIGITS.finditer(text):
        half = m.group().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
        found.append(
            TextFinding(
                "number",
                WARN,
                field,
                m.start(),
                m.end(),
                _("全角数字“%(n)s”应使用半角阿拉伯数字") % {"n": m.group()},
                excerpt(text, *m.span()),
                half,
            )
        )
    return found


def length_findings(title: str, body: str) -> list[TextFinding]:
    found = []
    if not title.strip():
        found.append(TextFinding("length", BLOCK, "title", -1, -1, _("标题不能为空")))
    elif len(title) > TITLE_MAX:
        found.append(
            TextFinding(
                "length",
                BLOCK,
                "title",
                TITLE_MAX,
                len(title),
                _("标题不能超过%(n)d个字（现为%(m)d个字）") % {"n": TITLE_MAX, "m": len(title)},
                title[TITLE_MAX:],
            )
        )
    if TITLE_END.search(title.strip()):
        end = len(title.rstrip())
        found.append(
            TextFinding("punctuation", WARN, "title", end - 1, end, _("标题末尾不加标点"), title[-8:], "")
        )
    if not body.strip():
        found.append(TextFinding("length", BLOCK, "body", -1, -1, _("正文不能为空")))
    elif len(body) > BODY_MAX:
        found.append(
            TextFinding(
                "length",
                BLOCK,
                "body",
                BODY_MAX,
                len(body),
                _("正文不能超过%(n)d个字（现为%(m)d个字）") % {"n": BODY_MAX, "m": len(body)},
            )
        )
    elif len(body.strip()) < 50:
        found.append(
            TextFinding(
                "length",
                INFO,
                "body",
                -1,
                -1,
                _("正文不足50个字，信息要素可能不全（时间、地点、事件、措施、成效）"),
            )
        )
    return found


def wording_findings(title: str, body: str) -> list[TextFinding]:
    found = length_findings(title, body)
    for field, text in (("title", title), ("body", body)):
        found += rule_findings(field, text)
        found += punctuation_findings(field, text)
        found += date_findings(field, text)
        found += number_findings(field, text)
    return sorted(found, key=lambda f: (f.field != "title", f.start, f.kind))
