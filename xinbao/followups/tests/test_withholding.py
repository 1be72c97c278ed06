"""保护性措施 (PRODUCT 3.1): a restricted item's informant is withheld from the unit the 批示 is sent down to —
in the selector the pages and the API share, on the pages, and in the API."""

from __future__ import annotations

import pytest

from xinbao.accounts.services import token_issue
from xinbao.api.tests.conftest import ApiClient
from xinbao.followups.selectors import item_for_viewer
from xinbao.followups.services import assignment_create
from xinbao.followups.tests.factories import record

SECRETS = ("朱建国", "xxy")  # the informant's name and username


@pytest.fixture
def restricted_target(world, people, restricted_report):
    instruction = record(people, restricted_report, text="请城关镇党委认真核查资金使用情况，依规处理。")
    return assignment_create(
        actor=people.alice, instruction=instruction, units=[world.township], workdays=5
    ).targets.get()


@pytest.fixture
def normal_target(world, people, report):
    instruction = record(people, report)
    return assignment_create(
        actor=people.alice, instruction=instruction, units=[world.township], workdays=5
    ).targets.get()


def test_selector_withholds_from_assigned_unit(people, restricted_target, restricted_report):
    for who in (people.unit_leader, people.signer, people.cast.colleague):
        item = item_for_viewer(user=who, report=restricted_report)
        assert item.withheld
        assert item.body == restricted_report.body  # the text needed for action
        assert (item.report_id, item.unit_name, item.authors, item.created_by) == (None, "", [], "")
    for who in (people.informant, people.alice):
        item = item_for_viewer(user=who, report=restricted_report)
        assert not item.withheld
        assert item.authors == ["朱建国"]


def test_normal_item_is_not_withheld(people, normal_target, report):
    item = item_for_viewer(user=people.unit_leader, report=report)
    assert not item.withheld
    assert item.created_by == "朱建国"


def test_pages_withhold(client, people, restricted_target):
    client.force_login(people.unit_leader)
    for url in (
        f"/followups/targets/{restricted_target.pk}/",
        f"/followups/instructions/{restricted_target.assignment.instruction_id}/",
    ):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "核查资金使用情况" in html
        assert "按保护性措施" in html
        for secret in SECRETS:
            assert secret not in html
    client.force_login(people.alice)
    html = client.get(f"/followups/targets/{restricted_target.pk}/").content.decode()
    assert "朱建国" in html


def test_api_withholds(people, restricted_target):
    api = ApiClient(token_issue(user=people.unit_leader, name="测试")[1])
    for path in (
        f"/assignments/{restricted_target.pk}",
        f"/instructions/{restricted_target.assignment.instruction_id}",
    ):
        response = api.get(path)
        assert response.status_code == 200, response.content
        body = response.content.decode()
        item = response.json()["item"]
        assert item["withheld"] is True
        assert item["report_id"] is None and item["authors"] == [] and item["created_by"] == ""
        for secret in SECRETS:
            assert secret not in body
    editor = ApiClient(token_issue(user=people.alice, name="测试")[1])
    item = editor.get(f"/assignments/{restricted_target.pk}").json()["item"]
    assert item["withheld"] is False and item["authors"] == ["朱建国"]


def test_scan_is_withheld_too(client, world, people, restricted_report, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path)
    scan = SimpleUploadedFile("批示件.pdf", b"%PDF-1.4\n%%EOF")
    instruction = record(people, restricted_report, image=scan)
    assignment_create(actor=people.alice, instruction=instruction, units=[world.township], workdays=5)
    url = f"/followups/instructions/{instruction.pk}/scan/"
    client.force_login(people.alice)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    for who in (people.unit_leader, people.charlie, people.bob):
        client.force_login(who)
        assert client.get(url).status_code == 404
