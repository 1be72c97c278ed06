"""Character diffs of Chinese text and the lineage of an item across levels (PRODUCT 3.1: "报到市一级已面目全非"
becomes a number per hop)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinbao.reports.diff import change_ratio, char_diff, lineage_hops, lineage_revisions, lineage_tips
from xinbao.reports.services import report_combine, report_forward, report_update, submission_adopt
from xinbao.reports.tests.factories import make_sent_report

CHINESE = st.text(alphabet="城关镇的了，。组织干部四十余人排查隐患0123456789", max_size=60)


def _rebuild(segments):
    old = "".join(s.text for s in segments if s.op in ("equal", "delete"))
    new = "".join(s.text for s in segments if s.op in ("equal", "insert"))
    return old, new


def test_char_diff_marks_the_changed_characters_of_chinese_text():
    old = "城关镇组织干部40余人深入12个行政村。"
    new = "城关镇组织镇村干部四十余人深入12个行政村。"
    segments = char_diff(old, new)
    assert _rebuild(segments) == (old, new)
    assert [s.text for s in segments if s.op == "insert"] == ["镇村", "四十"]
    assert [s.text for s in segments if s.op == "delete"] == ["40"]
    assert segments[0].op == "equal" and segments[0].text.startswith("城关镇组织")


def test_common_characters_are_content_not_noise():
    # With difflib's autojunk, characters as frequent as "的" would be treated as junk in long texts.
    old = "的" * 300 + "甲"
    new = "的" * 300 + "乙"
    assert change_ratio(old, new) < 0.01
    assert [s.op for s in char_diff(old, new)] == ["equal", "delete", "insert"]


@given(CHINESE, CHINESE)
def test_char_diff_rebuilds_both_texts(old, new):
    assert _rebuild(char_diff(old, new)) == (old, new)


@given(CHINESE, CHINESE)
def test_change_ratio_is_between_zero_and_one(old, new):
    ratio = change_ratio(old, new)
    assert 0.0 <= ratio <= 1.0
    assert (ratio == 0.0) == (old == new)


def test_change_ratio_bounds():
    assert change_ratio("", "") == 0.0
    assert change_ratio("城关镇", "城关镇") == 0.0
    assert change_ratio("城关镇", "白沙乡") == 1.0
    assert change_ratio("", "新增内容") == 1.0
    assert 0.0 < change_ratio("城关镇开展排查", "城关镇开展整治") < 1.0


@pytest.mark.django_db
def test_lineage_original_county_edit_forward_city_edit(world, cast):
    original = make_sent_report(cast)
    county_sub = original.submissions.get(office=world.county_party_office)
    report_update(
        actor=cast.county_editor,
        report=original,
        title=original.title,
        body=original.body.replace("40余人", "四十余人"),
        base_version=original.version,
        reason="规范数字",
    )
    submission_adopt(actor=cast.county_editor, submission=county_sub)
    forwarded = report_forward(actor=cast.county_editor, report=original)
    # The county government office edits the original afterwards: not part of what was forwarded.
    original.refresh_from_db()
    report_update(
        actor=cast.county_gov_editor,
        report=original,
        title=original.title,
        body=original.body + "（县政府办补充）",
        base_version=original.version,
    )
    report_update(
        actor=cast.city_editor,
        report=forwarded,
        title="安平县扎实开展冬季安全隐患排查整治",
        body="安平县城关镇深入行政村排查整改隐患23处。",
        base_version=forwarded.version,
        reason="压缩改写",
    )

    revisions = lineage_revisions(forwarded)
    assert [(r.report_id, r.number) for r in revisions] == [
        (original.pk, 1),
        (original.pk, 2),
        (forwarded.pk, 1),
        (forwarded.pk, 2),
    ]
    hops = lineage_hops(forwarded)
    assert [h.level for h in hops] == ["township", "county", "city"]
    assert [h.unit_name for h in hops] == ["安平县城关镇", "中共安平县委办公室", "中共江州市委办公室"]
    assert hops[0].change_from_previous is None
    assert 0 < hops[1].change_from_previous < 0.1  # two characters changed
    assert hops[2].change_from_previous > 0.5  # 面目全非
    assert hops[2].revision.reason == "压缩改写"
    assert lineage_tips(original) == [forwarded]
    assert lineage_tips(forwarded) == [forwarded]


@pytest.mark.django_db
def test_lineage_of_a_combined_item_follows_its_first_source(world, cast):
    first = make_sent_report(cast)
    second = make_sent_report(
        cast, title="城关镇开展冬季消防宣传", body="城关镇组织消防宣传进村入户活动。" * 4
    )
    combined = report_combine(
        actor=cast.county_editor,
        submissions=[
            second.submissions.get(office=world.county_party_office),
            first.submissions.get(office=world.county_party_office),
        ],
        title="城关镇多措并举做好冬季安全工作",
        body=first.body + second.body,
    )
    hops = lineage_hops(combined)
    assert [h.level for h in hops] == ["township", "county"]
    assert hops[0].revision.report_id == first.pk  # the lower id is the first source
    assert 0 < hops[1].change_from_previous < 1
    # A combined item is not part of a source's own forwarding line.
    assert lineage_tips(first) == [first]
