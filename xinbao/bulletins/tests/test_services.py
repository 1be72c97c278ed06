"""Composing, signing and publishing (issue 4 item 2): entries from adopted items, edits as revisions, source lines,
签发 by the office's leader, publication adopting and crediting every entry; refusals change nothing."""

import pytest

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import make_user
from xinbao.audit.models import AuditEvent
from xinbao.bulletins.models import Classification, Issue, IssueEntry, IssueState
from xinbao.bulletins.services import (
    entry_add,
    entry_move,
    entry_remove,
    entry_reorder,
    entry_update,
    issue_create,
    issue_publish,
    issue_sign,
    issue_update,
)
from xinbao.bulletins.tests.factories import make_adopted_report, make_issue, make_series
from xinbao.common.errors import Conflict, NotPermitted, ValidationFailed
from xinbao.notifications.services import notifications_captured
from xinbao.reports.models import Adoption, AdoptionMode, Report, SubmissionState, Visibility
from xinbao.reports.services import report_combine
from xinbao.reports.tests.factories import make_sent_report


@pytest.fixture
def series(world, cast):
    return make_series(world, cast)


def issue_snapshot(issue):
    issue = Issue.objects.get(pk=issue.pk)
    return (
        issue.state,
        issue.version,
        issue.number,
        issue.editor_note,
        issue.classification,
        issue.copies,
        tuple(
            issue.entries.order_by("pk").values_list("pk", "position", "title", "body", "mode", "adoption_id")
        ),
        Adoption.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.django_db
def test_entry_edit_is_a_revision_of_the_item(world, cast, series):
    issue = make_issue(world, cast, series)
    entry = issue.entries.get()
    revisions = entry.report.revisions.count()
    entry_update(
        actor=cast.county_editor,
        entry=entry,
        title="城关镇排查整改冬季安全隐患23处",
        body="城关镇组织干部逐户排查，整改隐患23处。",
        source_line="（城关镇报送）",
        mode=AdoptionMode.PARTIAL,
    )
    report = Report.objects.get(pk=entry.report_id)
    assert report.revisions.count() == revisions + 1
    last = report.revisions.order_by("-number").first()
    assert (last.title, last.author, last.role, last.reason) == (
        "城关镇排查整改冬季安全隐患23处",
        cast.county_editor,
        Role.EDITOR,
        "编入《安平信息》",
    )
    assert report.title == "城关镇排查整改冬季安全隐患23处"
    assert IssueEntry.objects.get(pk=entry.pk).revision == last


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "请填写标题"),
        ({"title": "长" * 61}, "标题不能超过60字"),
        ({"body": "  "}, "请填写正文"),
        ({"mode": "combined"}, "请选择全文采用或部分采用"),
        ({"mode": "bogus"}, "请选择全文采用或部分采用"),
        ({"source_line": "来" * 101}, "来源署名不能超过100字"),
        ({"version": 99}, "已被他人修改"),
    ],
)
def test_entry_edit_bad_input_changes_nothing(world, cast, series, changes, message):
    issue = make_issue(world, cast, series)
    entry = issue.entries.get()
    before, report_before = issue_snapshot(issue), Report.objects.get(pk=entry.report_id).version
    data = {"title": "新标题", "body": "新正文。", "source_line": "（城关镇报送）", "mode": "full", **changes}
    with pytest.raises((ValidationFailed, Conflict), match=message):
        entry_update(actor=cast.county_editor, entry=entry, **data)
    assert issue_snapshot(issue) == before
    assert Report.objects.get(pk=entry.report_id).version == report_before


@pytest.mark.django_db
def test_only_adopted_or_pending_items_of_the_office_can_be_added(world, cast, series):
    issue = issue_create(actor=cast.county_editor, series=series)
    draft = make_sent_report(cast)
    # Adopted by the other county office only: not ours to print.
    other = make_sent_report(cast, title="白沙镇信息")
    from xinbao.reports.services import submission_adopt, submission_not_adopt

    submission_adopt(
        actor=cast.county_gov_editor, submission=other.submissions.get(office=world.county_gov_office)
    )
    submission_not_adopt(
        actor=cast.county_editor, submission=other.submissions.get(office=world.county_party_office)
    )
    before = issue_snapshot(issue)
    with pytest.raises(ValidationFailed, match="只能编入本单位已采用或待审核的信息"):
        entry_add(actor=cast.county_editor, issue=issue, report=other)
    assert issue_snapshot(issue) == before
    entry_add(actor=cast.county_editor, issue=issue, report=draft)  # pending in the inbox: fine
    with pytest.raises(ValidationFailed, match="这条信息已在本期中"):
        entry_add(actor=cast.county_editor, issue=issue, report=draft)


@pytest.mark.django_db
def test_restricted_item_only_into_a_restricted_issue(world, cast, series):
    report = make_adopted_report(world, cast, visibility=Visibility.RESTRICTED)
    issue = issue_create(actor=cast.county_editor, series=series)
    with pytest.raises(ValidationFailed, match="内参信息只能编入内参或秘密刊物"):
        entry_add(actor=cast.county_editor, issue=issue, report=report)
    issue_update(
        actor=cast.county_editor,
        issue=issue,
        editor_note="",
        classification=Classification.RESTRICTED,
        copies=5,
    )
    entry_add(actor=cast.county_editor, issue=issue, report=report)
    with pytest.raises(ValidationFailed, match="含有1条内参信息"):
        issue_update(
            actor=cast.county_editor,
            issue=issue,
            editor_note="",
            classification=Classification.INTERNAL,
            copies=5,
        )


@pytest.mark.django_db
def test_order_by_arrows_and_drag(world, cast, series):
    issue = make_issue(world, cast, series, reports=3)
    a, b, c = issue.entries.order_by("position")
    entry_move(actor=cast.county_editor, entry=c, direction="up")
    assert list(issue.entries.order_by("position").values_list("pk", flat=True)) == [a.pk, c.pk, b.pk]
    entry_move(actor=cast.county_editor, entry=a, direction="up")  # already first: nothing moves
    entry_reorder(actor=cast.county_editor, issue=issue, order=[b.pk, a.pk, c.pk])
    assert list(issue.entries.order_by("position").values_list("pk", flat=True)) == [b.pk, a.pk, c.pk]
    before = issue_snapshot(issue)
    with pytest.raises(ValidationFailed, match="排序须包含本期的全部条目"):
        entry_reorder(actor=cast.county_editor, issue=issue, order=[b.pk, a.pk])
    with pytest.raises(ValidationFailed, match="移动方向无效"):
        entry_move(actor=cast.county_editor, entry=a, direction="sideways")
    assert issue_snapshot(issue) == before
    entry_remove(actor=cast.county_editor, entry=a)
    assert list(issue.entries.order_by("position").values_list("position", flat=True)) == [1, 2]


@pytest.mark.django_db
def test_sign_by_the_office_leader_only(world, cast, series):
    issue = make_issue(world, cast, series)
    before = issue_snapshot(issue)
    for person in (cast.county_editor, cast.other_editor, make_user(world.city_party_office, Role.LEADER)):
        with pytest.raises(NotPermitted, match="只有编印单位的领导可以签发"):
            issue_sign(actor=person, issue=issue)
    with pytest.raises(ValidationFailed, match="尚未签发"):
        issue_publish(actor=cast.county_editor, issue=issue)
    assert issue_snapshot(issue) == before
    empty = issue_create(actor=cast.county_editor, series=series)
    with pytest.raises(ValidationFailed, match="还没有编入任何信息"):
        issue_sign(actor=cast.county_leader, issue=empty)
    issue_sign(actor=cast.county_leader, issue=issue)
    assert Issue.objects.get(pk=issue.pk).signed_by == cast.county_leader


@pytest.mark.django_db
def test_change_after_signing_voids_the_sign_off(world, cast, series):
    issue = make_issue(world, cast, series, reports=2, sign=True)
    entry_move(actor=cast.county_editor, entry=issue.entries.order_by("position").last(), direction="up")
    issue.refresh_from_db()
    assert (issue.state, issue.signed_by) == (IssueState.DRAFT, None)


@pytest.mark.django_db
def test_publish_adopts_pending_items_credits_origins_and_notifies(world, cast, series):
    issue = issue_create(actor=cast.county_editor, series=series)
    pending = make_sent_report(cast, title="城关镇待审信息")
    adopted = make_adopted_report(world, cast, title="城关镇已采用信息")
    # A 综合 item of the office made from two townships' items.
    s1 = make_sent_report(cast, title="城关镇秋收").submissions.get(office=world.county_party_office)
    sibling_signer = make_user(world.township2, Role.SIGNER)
    from xinbao.reports.services import report_signoff, report_submit
    from xinbao.reports.tests.factories import make_report

    r2 = make_report(cast.sibling_informant, title="白沙镇秋收")
    report_submit(actor=cast.sibling_informant, report=r2)
    report_signoff(actor=sibling_signer, report=r2, approve=True)
    s2 = r2.submissions.get(office=world.county_party_office)
    combined = report_combine(
        actor=cast.county_editor, submissions=[s1, s2], title="全县秋收进展顺利", body="各乡镇秋收进展顺利。"
    )
    for report in (pending, adopted, combined):
        entry_add(actor=cast.county_editor, issue=issue, report=report)
    entries = {e.report_id: e for e in issue.entries.all()}
    assert entries[combined.pk].source_line == "（根据城关镇、白沙镇报送信息综合）"
    assert entries[combined.pk].mode == AdoptionMode.COMBINED
    assert entries[pending.pk].source_line == "（城关镇报送）"
    issue_sign(actor=cast.county_leader, issue=issue)
    with notifications_captured() as notices:
        issue = issue_publish(actor=cast.county_editor, issue=issue)
    sub = pending.submissions.get(office=world.county_party_office)
    assert sub.state == SubmissionState.ADOPTED
    adoption = Adoption.objects.get(report=pending, office=world.county_party_office)
    assert (adoption.publication, adoption.issue_label) == ("安平信息", issue.label)
    assert all(e.adoption_id for e in issue.entries.all())
    published = [n for n in notices if n.kind == "issue_published"]
    recipients = {i for n in published for i in n.recipient_ids}
    assert {cast.informant.pk, cast.sibling_informant.pk} <= recipients
    assert any(
        "刊登于《安平信息》2026年第1期" in n.title or "刊登于《安平信息》" in n.title for n in published
    )


@pytest.mark.django_db
def test_source_line_names_the_county_outside_the_office_region(world, cast):
    """In the county's bulletin a township goes by its short name; in the city's, a county unit is named in full
    ("（安平县委办公室报送）", issue 4 item 2), never the ambiguous "（县委办报送）"."""
    from xinbao.bulletins.services import series_create
    from xinbao.bulletins.services.compose import unit_source_name
    from xinbao.reports.services import report_forward

    world.county_party_office.short_name = "县委办"
    world.county_party_office.save()
    assert unit_source_name(world.township, world.county_party_office) == "城关镇"
    assert unit_source_name(world.township, world.city_party_office) == "安平县城关镇"
    assert unit_source_name(world.county_party_office, world.city_party_office) == "安平县委办公室"
    assert unit_source_name(world.county_gov_office, world.county_party_office) == "安平县人民政府办公室"

    forwarded = report_forward(actor=cast.county_editor, report=make_adopted_report(world, cast))
    city_series = series_create(actor=cast.city_editor, name="江州信息", code="jzxx")
    issue = issue_create(actor=cast.city_editor, series=city_series)
    entry = entry_add(actor=cast.city_editor, issue=issue, report=forwarded)
    assert entry.source_line == "（安平县委办公室报送）"


@pytest.mark.django_db
def test_editing_refused_to_others_and_after_publication(world, cast, series):
    issue = make_issue(world, cast, series, sign=True)
    entry = issue.entries.get()
    before = issue_snapshot(issue)
    for person in (cast.county_leader, cast.county_gov_editor, cast.other_editor):
        with pytest.raises(NotPermitted):
            entry_update(actor=person, entry=entry, title="x", body="y", source_line="", mode="full")
        with pytest.raises(NotPermitted):
            issue_publish(actor=person, issue=issue)
    assert issue_snapshot(issue) == before
    issue_publish(actor=cast.county_editor, issue=issue)
    with pytest.raises(Conflict, match="已印发"):
        entry_update(actor=cast.county_editor, entry=entry, title="x", body="y", source_line="", mode="full")


@pytest.mark.django_db
def test_first_publication_fixes_the_adoption_mode_to_what_was_printed(world, cast, series):
    issue = make_issue(world, cast, series)
    entry = issue.entries.get()
    entry_update(
        actor=cast.county_editor,
        entry=entry,
        title=entry.title,
        body="只刊发核心一句。",
        source_line="",
        mode="partial",
    )
    issue_sign(actor=cast.county_leader, issue=issue)
    issue = issue_publish(actor=cast.county_editor, issue=issue)
    adoption = Adoption.objects.get(report_id=entry.report_id, office=world.county_party_office)
    assert (adoption.mode, adoption.publication, adoption.issue_label) == ("partial", "安平信息", issue.label)
    assert IssueEntry.objects.get(pk=entry.pk).adoption == adoption


@pytest.mark.django_db
def test_item_made_restricted_after_it_was_added_blocks_publication(world, cast, series):
    issue = make_issue(world, cast, series, sign=True)
    Report.objects.filter(pk=issue.entries.get().report_id).update(visibility=Visibility.RESTRICTED)
    before = issue_snapshot(issue)
    with pytest.raises(ValidationFailed, match="是内参信息，只能在内参或秘密刊物中印发"):
        issue_publish(actor=cast.county_editor, issue=issue)
    assert issue_snapshot(issue) == before
