"""Recording 批示: who may, bad input, several per item, the scanned image, and who may read them."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xinbao.common.errors import NotPermitted, ValidationFailed
from xinbao.followups.models import Instruction, LeaderRank
from xinbao.followups.selectors import instruction_list_visible_to, target_list_visible_to
from xinbao.followups.services import assignment_create
from xinbao.followups.tests.factories import record, snapshot
from xinbao.reports.tests.factories import make_report

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_several_instructions_on_one_item_are_kept_apart(people, report):
    first = record(people, report)
    second = record(
        people,
        report,
        leader_name="王建平",
        leader_title="县长",
        rank=LeaderRank.COUNTY,
        text="同意李书记意见，县政府办跟进督办。",
    )
    assert list(Instruction.objects.filter(report=report).order_by("pk")) == [first, second]
    assert first.text != second.text


def test_scan_is_stored_through_storage(people, report, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    scan = SimpleUploadedFile("批示件.png", PNG, content_type="image/png")
    instruction = record(people, report, image=scan)
    assert instruction.image_name == "批示件.png"
    assert instruction.image.name.endswith(".png")
    assert instruction.image.storage.exists(instruction.image.name)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"leader_name": "  "}, "批示领导姓名"),
        ({"leader_name": "李" * 41}, "40"),
        ({"leader_title": "职" * 61}, "60"),
        ({"rank": "township"}, "领导级别"),
        ({"text": ""}, "批示内容"),
        ({"text": "批" * 2001}, "2000"),
        ({"instructed_on": None}, "批示日期"),
        ({"instructed_on": date(2026, 9, 30)}, "晚于今天"),
        ({"image": SimpleUploadedFile("批示件.exe", b"MZ" + b"\x00" * 20)}, "JPG、PNG或PDF"),
        ({"image": SimpleUploadedFile("批示件.png", b"%PDF-1.4 fake")}, "不符"),
        ({"image": SimpleUploadedFile("批示件.pdf", b"")}, "空文件"),
    ],
)
def test_bad_input_changes_nothing(people, report, changes, message, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    before = snapshot()
    with pytest.raises(ValidationFailed, match=message):
        record(people, report, **changes)
    assert snapshot() == before
    assert not any(tmp_path.rglob("*.*"))


def test_scan_too_large(people, report, monkeypatch):
    from xinbao.followups.services import instructions

    monkeypatch.setattr(instructions, "IMAGE_MAX_BYTES", 10)
    before = snapshot()
    with pytest.raises(ValidationFailed, match="10MB"):
        record(people, report, image=SimpleUploadedFile("a.png", PNG))
    assert snapshot() == before


def test_who_may_record(world, people, report):
    from xinbao.followups.services import instruction_record

    before = snapshot()
    for who in (people.bob, people.charlie, people.informant, people.signer, people.unit_leader):
        with pytest.raises(NotPermitted):
            instruction_record(
                actor=who,
                report=report,
                leader_name="李明华",
                rank=LeaderRank.COUNTY,
                text="请核实。",
                instructed_on=date(2026, 9, 29),
            )
        assert snapshot() == before
    # The county government office also received the item: its editor may record a 批示 too.
    gov = instruction_record(
        actor=people.cast.county_gov_editor,
        report=report,
        leader_name="王建平",
        rank=LeaderRank.COUNTY,
        text="请县政府办督办。",
        instructed_on=date(2026, 9, 29),
    )
    assert gov.office == world.county_gov_office


def test_unsent_item_refused(people, frozen):
    draft = make_report(people.informant)
    from xinbao.followups.services import instruction_record

    before = snapshot()
    with pytest.raises(NotPermitted):
        instruction_record(
            actor=people.alice,
            report=draft,
            leader_name="李",
            rank="county",
            text="阅",
            instructed_on=date(2026, 9, 1),
        )
    assert snapshot() == before


def test_read_matrix(world, people, instruction, restricted_report):
    restricted = record(people, restricted_report)

    def seen(user):
        return set(instruction_list_visible_to(user=user).values_list("pk", flat=True))

    assert seen(people.alice) == {instruction.pk, restricted.pk}
    assert seen(people.bob) == {instruction.pk}  # an office leader reads 内参 only as a named reader
    assert seen(people.charlie) == set()
    assert seen(people.unit_leader) == set()  # not yet assigned
    assert seen(people.sibling) == set()
    assignment_create(actor=people.alice, instruction=restricted, units=[world.township], workdays=5)
    assert seen(people.unit_leader) == {restricted.pk}
    assert seen(people.informant) == {restricted.pk}
    assert seen(people.sibling) == set()
    assert target_list_visible_to(user=people.charlie).count() == 0
    assert target_list_visible_to(user=people.sibling).count() == 0
    assert target_list_visible_to(user=people.bob).count() == 0  # restricted: editors only
    assert target_list_visible_to(user=people.alice).count() == 1


def test_instruction_on_an_issue_entry_only_once_published(people, report):
    from xinbao.bulletins.services import entry_add, issue_create, issue_publish, issue_sign, series_create

    series = series_create(actor=people.alice, name="安平信息", code="apxx")
    issue = issue_create(actor=people.alice, series=series)
    entry = entry_add(actor=people.alice, issue=issue, report=report)
    before = snapshot()
    with pytest.raises(ValidationFailed, match="尚未印发"):
        record(people, report, issue_entry=entry)
    assert snapshot() == before
    issue_sign(actor=people.bob, issue=issue)
    issue_publish(actor=people.alice, issue=issue)
    entry.refresh_from_db()
    first = record(people, report, issue_entry=entry)
    second = record(people, report, issue_entry=entry, leader_name="王建平", text="县政府办跟进督办。")
    assert [i.issue_entry for i in (first, second)] == [entry, entry]
    assert set(instruction_list_visible_to(user=people.alice, filters={"issue": issue.pk})) == {first, second}
