"""Every rule key the engine writes into the ledger reads as words on the score page, the dashboard and exports."""

from __future__ import annotations

import pytest
from django.utils import translation

from xinbao.scoring.rule_labels import rule_key_label
from xinbao.scoring.rules import ADOPTERS, LEADER_RANKS

ENGINE_KEYS = (
    [f"adoption.{a}" for a in ADOPTERS]
    + [f"adoption.{a}.forwarded" for a in ADOPTERS]
    + [f"instruction.{r}" for r in LEADER_RANKS]
    + ["instruction.first", "instruction.further", "instruction.feedback_late"]
    + [f"commission.{o}" for o in ("answered", "late", "missed")]
    + [f"emergency.{o}" for o in ("timely", "late", "missed", "concealed")]
    + ["quota.monthly_base", "caps.per_item", "caps.unit_month", "caps.unit_year"]
)


@pytest.mark.parametrize("key", ENGINE_KEYS)
def test_every_engine_key_has_a_label(key):
    with translation.override("zh-hans"):
        label = rule_key_label(key)
    assert label != key and not label.isascii()


def test_labels_in_words():
    with translation.override("zh-hans"):
        assert rule_key_label("adoption.city") == "市级采用"
        assert rule_key_label("adoption.province.forwarded") == "省级采用（转报加倍）"
        assert rule_key_label("instruction.city_offices") == "市两办领导批示"
        assert rule_key_label("emergency.concealed") == "紧急信息瞒报"
    with translation.override("en"):
        assert rule_key_label("adoption.city") == "Adopted at city level"


def test_an_unknown_key_is_shown_as_it_is():
    assert rule_key_label("unknown.new_kind") == "unknown.new_kind"
    assert rule_key_label("adoption.nowhere") == "adoption.nowhere"
