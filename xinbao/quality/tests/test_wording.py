"""Wording checks: each finding with its field, position and a suggested fix."""

from __future__ import annotations

import pytest

from xinbao.quality.models import WordingKind, WordingRule
from xinbao.quality.wording import wording_findings

pytestmark = pytest.mark.django_db

TITLE = "城关镇按装路灯120盏。"


def _by_kind(findings, kind):
    return [f for f in findings if f.kind == kind]


def test_miswritings_and_sensitive_wording_with_positions():
    body = "截止目前，全镇已布署专项行动，既使遇到困难也不退缩。个别上访户情绪激动。"
    found = wording_findings(TITLE, body)
    mis = _by_kind(found, "miswriting")
    assert [(f.field, f.start, f.end, f.suggestion) for f in mis] == [
        ("title", 3, 5, "安装"),
        ("body", 0, 4, "截至目前"),
        ("body", 8, 10, "部署"),
        ("body", 15, 17, "即使"),
    ]
    for f in mis:
        text = TITLE if f.field == "title" else body
        assert WordingRule.objects.filter(wrong=text[f.start : f.end]).exists()
    [sensitive] = _by_kind(found, "sensitive")
    assert body[sensitive.start : sensitive.end] == "上访户" and sensitive.suggestion == "信访群众"


def test_rules_are_configurable():
    WordingRule.objects.create(kind=WordingKind.MISWRITING, wrong="签定", correct="签订")
    [f] = _by_kind(
        wording_findings(
            "标题", "双方签定协议，全文共计五十余字，用于检验规则是否即时生效，不需要重启服务。"
        ),
        "miswriting",
    )
    assert f.suggestion == "签订" and f.start == 2
    WordingRule.objects.filter(wrong="签定").update(is_active=False)
    assert not _by_kind(wording_findings("标题", "双方签定协议。"), "miswriting")


def test_mixed_punctuation_is_flagged_only_in_a_mixed_text():
    body = "全镇共排查隐患23处,整改20处；群众满意(度)较高。"
    found = _by_kind(wording_findings("标题", body), "punctuation")
    assert [(body[f.start], f.suggestion) for f in found] == [(",", "，"), ("(", "（"), (")", "）")]
    assert not _by_kind(
        wording_findings("标题", "All half-width, no Chinese marks. 3.5 million"), "punctuation"
    )
    # A decimal point and a thousands separator between digits are not punctuation errors.
    assert not _by_kind(wording_findings("标题", "增长3.5个百分点，共1,200人。"), "punctuation")


def test_impossible_dates_and_malformed_numbers():
    body = "2026年13月召开会议；11月31日完成验收；2026年2月29日上报；2024年2月29日开工；12月25日结束。共12,34人，增长3.5.1%，投入１２万元。"
    found = wording_findings("标题", body)
    dates = [body[f.start : f.end] for f in _by_kind(found, "date")]
    assert dates == ["2026年13月", "11月31日", "2026年2月29日"]
    numbers = {body[f.start : f.end]: f.suggestion for f in _by_kind(found, "number")}
    assert numbers == {"12,34": "1234", "3.5.1": "", "１２": "12"}


def test_title_and_length_limits():
    found = wording_findings("标" * 61 + "。", "短")
    kinds = {(f.kind, f.field, f.level) for f in found}
    assert ("length", "title", "block") in kinds
    assert ("punctuation", "title", "warn") in kinds
    assert ("length", "body", "info") in kinds
    assert {(f.kind, f.field) for f in wording_findings("", "")} >= {("length", "title"), ("length", "body")}
