"""Named readers added to or removed from an issue one at a time, after publication too (a copy for a newly appointed
leader, a reader named by mistake), from the issue page and through /api/v1/bulletins/issues/{id}/readers.
alice (the office's editor) may; bob (the office's duty officer or leader) is refused; charlie (another county) gets
404. Bad input gets a Chinese message and changes nothing (readers, audit log, notices)."""

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import make_user
from xinbao.audit.models import AuditEvent, EventType
from xinbao.bulletins.models import Classification, Issue, IssueReader, IssueState
from xinbao.bulletins.selectors import issue_list_visible_to
from xinbao.bulletins.services import issue_reader_add, issue_reader_remove, issue_readers_set
from xinbao.bulletins.tests.factories import make_issue, make_series, publish
from xinbao.bulletins.tests.test_api import Api
from xinbao.common.errors import NotFound, NotPermitted, ValidationFailed
from xinbao.notifications.models import Notification
from xinbao.notifications.services import notifications_captured

pytestmark = pytest.mark.django_db


@pytest.fixture
def restricted(world, cast):
    """A published 内参 issue whose only named reader is the city's editor."""
    series = make_series(world, cast, name="信息专报", code="apzb", classification=Classification.RESTRICTED)
    issue = make_issue(world, cast, series)
    issue_readers_set(actor=cast.county_editor, issue=issue, readers=[cast.city_editor])
    return publish_existing(cast, issue)


def publish_existing(cast, issue: Issue) -> Issue:
    from xinbao.bulletins.services import issue_publish, issue_sign

    issue_sign(actor=cast.county_leader, issue=issue)
    return issue_publish(actor=cast.county_editor, issue=Issue.objects.get(pk=issue.pk))


@pytest.fixture
def new_leader(world):
    """A newly appointed 市委 leader who asks for a copy after the issue was printed."""
    return make_user(world.city_party_office, Role.LEADER, full_name="新任市领导")


@pytest.fixture
def duty(world):
    return make_user(world.county_party_office, Role.DUTY_OFFICER, full_name="值班员")


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def api(user) -> Api:
    from xinbao.accounts.services import token_issue

    return Api(token_issue(user=user, name="测试")[1])


def state(issue):
    """What a refused request must leave as it was."""
    issue = Issue.objects.get(pk=issue.pk)
    return (
        issue.state,
        issue.version,
        sorted(IssueReader.objects.filter(issue=issue).values_list("person_id", flat=True)),
        AuditEvent.objects.filter(event_type=EventType.STATE_CHANGE).count(),
        Notification.objects.count(),
    )


def can_read(user, issue) -> bool:
    return issue_list_visible_to(user=user).filter(pk=issue.pk).exists()


# --- Services -----------------------------------------------------------------------------------------------------


def test_reader_added_after_publication_reads_and_is_told(world, cast, restricted, new_leader):
    assert not can_read(new_leader, restricted)
    with notifications_captured() as notices:
        reader = issue_reader_add(actor=cast.county_editor, issue=restricted, person_id=new_leader.pk)
    assert (reader.person, reader.added_by) == (new_leader, cast.county_editor)
    assert can_read(new_leader, restricted)
    issue = Issue.objects.get(pk=restricted.pk)
    assert (issue.state, issue.version) == (
        IssueState.PUBLISHED,
        restricted.version,
    )  # the print is unchanged
    [notice] = notices
    assert notice.recipient_ids == (new_leader.pk,) and notice.kind == "issue_reader_added"
    assert notice.title == f"您已被指定阅读《信息专报》{issue.label}"
    assert notice.url == reverse("bulletins:issue_detail", args=[issue.pk])
    event = AuditEvent.objects.filter(event_type=EventType.STATE_CHANGE, object_id=str(issue.pk)).latest("id")
    assert event.actor == cast.county_editor
    assert event.detail == {
        "readers": sorted([cast.city_editor.pk, new_leader.pk]),
        "reader_added": new_leader.pk,
        "name": "新任市领导",
    }


def test_reader_removed_after_publication_loses_reading_and_is_not_told(world, cast, restricted):
    assert can_read(cast.city_editor, restricted)
    with notifications_captured() as notices:
        person = issue_reader_remove(
            actor=cast.county_editor, issue=restricted, person_id=cast.city_editor.pk
        )
    assert person == cast.city_editor and notices == []
    assert not can_read(cast.city_editor, restricted)
    event = AuditEvent.objects.filter(event_type=EventType.STATE_CHANGE, object_id=str(restricted.pk)).latest(
        "id"
    )
    assert event.detail == {"readers": [], "reader_removed": cast.city_editor.pk, "name": "叶春梅"}


def test_reader_change_before_publication_voids_the_sign_off_without_notice(world, cast, new_leader):
    """Before publication a change of readers is a change of the issue like any other (services.locks.touch)."""
    issue = make_issue(world, cast, make_series(world, cast), sign=True)
    with notifications_captured() as notices:
        issue_reader_add(actor=cast.county_editor, issue=issue, person_id=new_leader.pk)
    after = Issue.objects.get(pk=issue.pk)
    assert (after.state, after.version) == (IssueState.DRAFT, issue.version + 1)
    assert notices == []
    issue_reader_remove(actor=cast.county_editor, issue=after, person_id=new_leader.pk)
    assert Issue.objects.get(pk=issue.pk).version == issue.version + 2


def test_only_the_office_editor_may_change_readers(world, cast, restricted, new_leader, duty):
    before = sorted(restricted.readers.values_list("person_id", flat=True))
    for person in (cast.county_leader, duty, cast.county_gov_editor, cast.other_editor):
        with pytest.raises(NotPermitted, match="只有编印单位的编辑"):
            issue_reader_add(actor=person, issue=restricted, person_id=new_leader.pk)
        with pytest.raises(NotPermitted):
            issue_reader_remove(actor=person, issue=restricted, person_id=cast.city_editor.pk)
    assert sorted(restricted.readers.values_list("person_id", flat=True)) == before


@pytest.mark.parametrize(
    ("who", "error", "message"),
    [
        ("nobody", ValidationFailed, "人员（ID 999999）不存在、已停用或不在本刊分送范围内"),
        ("inactive", ValidationFailed, "不存在、已停用或不在本刊分送范围内"),
        ("reader", ValidationFailed, "叶春梅已是本期的指定阅读人"),
        ("informant", ValidationFailed, "内参（限定范围）刊物不能指定下级单位人员阅读：朱建国"),
        ("dept", ValidationFailed, "不能指定下级单位人员阅读"),
    ],
)
def test_bad_reader_refused_in_chinese_and_nothing_changes(world, cast, restricted, who, error, message):
    person_id = {
        "nobody": 999999,
        "inactive": make_user(world.city_party_office, Role.LEADER, is_active=False).pk,
        "reader": cast.city_editor.pk,
        "informant": cast.informant.pk,  # 城关镇: below the county office
        "dept": make_user(world.county_dept, Role.INFORMANT).pk,  # a department of the county: below it too
    }[who]
    before = state(restricted)
    with notifications_captured() as notices, pytest.raises(error, match=re.escape(message)):
        issue_reader_add(actor=cast.county_editor, issue=restricted, person_id=person_id)
    assert state(restricted) == before and notices == []


def test_lower_person_may_be_named_on_an_internal_issue(world, cast):
    """The 内参 rule is about restricted issues: a township's informant may be named on an internal one."""
    issue = publish(world, cast, make_series(world, cast))
    issue_reader_add(actor=cast.county_editor, issue=issue, person_id=cast.sibling_informant.pk)
    assert can_read(cast.sibling_informant, issue)


def test_removing_someone_who_is_not_a_reader_is_refused(world, cast, restricted, new_leader):
    before = state(restricted)
    with pytest.raises(NotFound, match="该人员不是本期的指定阅读人"):
        issue_reader_remove(actor=cast.county_editor, issue=restricted, person_id=new_leader.pk)
    assert state(restricted) == before


# --- Pages --------------------------------------------------------------------------------------------------------


def test_editor_adds_a_reader_on_the_page_who_then_reads_and_downloads(
    world, cast, restricted, new_leader, django_capture_on_commit_callbacks
):
    leader_client = client_for(new_leader)
    detail = reverse("bulletins:issue_detail", args=[restricted.pk])
    docx = reverse("bulletins:issue_docx", args=[restricted.pk])
    assert leader_client.get(detail).status_code == 404
    assert leader_client.get(docx).status_code == 404
    editor = client_for(cast.county_editor)
    page = editor.get(detail).content.decode()
    assert 'id="issue-readers"' in page and "叶春梅" in page
    # Offered: the new leader; not offered: the reader already named, a township's person (内参).
    assert f'<option value="{new_leader.pk}">新任市领导</option>' in page
    assert f'<option value="{cast.city_editor.pk}">' not in page
    assert f'<option value="{cast.informant.pk}">' not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            reverse("bulletins:reader_add", args=[restricted.pk]), {"person": new_leader.pk}
        )
    assert response.status_code == 302 and response.url == detail
    assert "已增加指定阅读人：新任市领导" in editor.get(detail).content.decode()
    notice = Notification.objects.get(recipient=new_leader)
    assert notice.kind == "issue_reader_added" and notice.url == detail
    assert leader_client.get(detail).status_code == 200
    response = leader_client.get(docx)
    assert response.status_code == 200
    assert "信息专报" in "".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    # A reader sees the issue, not the list of readers or the form.
    assert 'id="issue-readers"' not in leader_client.get(detail).content.decode()


def test_editor_removes_a_reader_on_the_page(world, cast, restricted):
    editor = client_for(cast.county_editor)
    url = reverse("bulletins:reader_remove", args=[restricted.pk, cast.city_editor.pk])
    assert editor.post(url).status_code == 302
    assert (
        "已移除指定阅读人：叶春梅"
        in editor.get(reverse("bulletins:issue_detail", args=[restricted.pk])).content.decode()
    )
    assert (
        client_for(cast.city_editor).get(reverse("bulletins:issue_detail", args=[restricted.pk])).status_code
        == 404
    )
    # A second click from a stale page: a message, not an error page, and nothing changes.
    before = state(restricted)
    response = editor.post(url, follow=True)
    assert response.status_code == 200 and "该人员不是本期的指定阅读人" in response.content.decode()
    assert state(restricted) == before


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("informant", "内参（限定范围）刊物不能指定下级单位人员阅读：朱建国"),
        ("reader", "叶春梅已是本期的指定阅读人"),
        ("nobody", "人员（ID 999999）不存在"),
        ("empty", "请选择要增加的阅读人"),
    ],
)
def test_page_refuses_a_bad_reader_with_a_message(world, cast, restricted, who, message):
    person = {"informant": cast.informant.pk, "reader": cast.city_editor.pk, "nobody": 999999, "empty": ""}[
        who
    ]
    before = state(restricted)
    response = client_for(cast.county_editor).post(
        reverse("bulletins:reader_add", args=[restricted.pk]), {"person": person}, follow=True
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert state(restricted) == before


def test_page_permissions(world, cast, restricted, new_leader, duty):
    internal = publish(world, cast, make_series(world, cast))
    add = lambda issue: reverse("bulletins:reader_add", args=[issue.pk])  # noqa: E731
    remove = reverse("bulletins:reader_remove", args=[restricted.pk, cast.city_editor.pk])
    before = state(restricted), state(internal)
    # bob: the duty officer reads the internal issue but may not name readers; he cannot see the 内参 one at all.
    bob = client_for(duty)
    assert (
        'id="issue-readers"'
        not in bob.get(reverse("bulletins:issue_detail", args=[internal.pk])).content.decode()
    )
    assert bob.post(add(internal), {"person": new_leader.pk}).status_code == 403
    assert bob.post(add(restricted), {"person": new_leader.pk}).status_code == 404
    # The office's leader sees the list (he signed the issue) but has no form and may not change it.
    leader = client_for(cast.county_leader)
    page = leader.get(reverse("bulletins:issue_detail", args=[restricted.pk])).content.decode()
    assert 'id="issue-readers"' in page and 'id="reader-add-form"' not in page
    assert leader.post(add(restricted), {"person": new_leader.pk}).status_code == 403
    assert leader.post(remove).status_code == 403
    # charlie, an editor of another county: 404 for an issue he cannot see.
    charlie = client_for(cast.other_editor)
    assert charlie.post(add(restricted), {"person": new_leader.pk}).status_code == 404
    assert charlie.post(remove).status_code == 404
    assert (state(restricted), state(internal)) == before


# --- API ----------------------------------------------------------------------------------------------------------


def test_api_add_and_remove_a_reader(world, cast, restricted, new_leader):
    editor = api(cast.county_editor)
    reader_api = api(new_leader)
    assert reader_api.get(f"/bulletins/issues/{restricted.pk}").status_code == 404
    r = editor.post(f"/bulletins/issues/{restricted.pk}/readers", {"person_id": new_leader.pk})
    assert r.status_code == 201, r.content
    assert r.json() | {"added_at": None} == {
        "person_id": new_leader.pk,
        "name": "新任市领导",
        "unit_name": "中共江州市委办公室",
        "added_by": "张天宇",
        "added_at": None,
    }
    assert reader_api.get(f"/bulletins/issues/{restricted.pk}").status_code == 200
    assert reader_api.get(f"/bulletins/issues/{restricted.pk}/docx").status_code == 200
    body = editor.get(f"/bulletins/issues/{restricted.pk}").json()
    assert sorted(body["reader_ids"]) == sorted([cast.city_editor.pk, new_leader.pk])
    r = editor.delete(f"/bulletins/issues/{restricted.pk}/readers/{new_leader.pk}")
    assert r.status_code == 204
    assert reader_api.get(f"/bulletins/issues/{restricted.pk}/docx").status_code == 404
    # The whole list is still not rewritable once printed: only one reader at a time.
    r = editor.put(f"/bulletins/issues/{restricted.pk}/distribution", {"readers": [new_leader.pk]})
    assert r.status_code == 409 and "已印发" in r.json()["message"]


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "message"),
    [
        (
            "post",
            "/readers",
            {"person_id": 999999},
            400,
            "人员（ID 999999）不存在、已停用或不在本刊分送范围内",
        ),
        ("post", "/readers", {"person_id": "{reader}"}, 400, "叶春梅已是本期的指定阅读人"),
        (
            "post",
            "/readers",
            {"person_id": "{informant}"},
            400,
            "内参（限定范围）刊物不能指定下级单位人员阅读",
        ),
        ("post", "/readers", {}, 422, ""),
        ("post", "/readers", {"person_id": 1, "role": "x"}, 422, ""),
        ("delete", "/readers/{informant}", None, 404, "该人员不是本期的指定阅读人"),
    ],
)
def test_api_bad_input_changes_nothing(world, cast, restricted, method, path, body, status, message):
    fill = {"reader": cast.city_editor.pk, "informant": cast.informant.pk}
    path = f"/bulletins/issues/{restricted.pk}" + path.format(**fill)
    if body:
        body = {k: fill[v[1:-1]] if isinstance(v, str) and v.startswith("{") else v for k, v in body.items()}
    before = state(restricted)
    client = api(cast.county_editor)
    r = client.delete(path) if method == "delete" else client.post(path, body)
    assert r.status_code == status, r.content
    if message:
        assert message in r.json()["message"]
    assert state(restricted) == before


def test_api_permissions(world, cast, restricted, new_leader, duty):
    internal = publish(world, cast, make_series(world, cast))
    before = state(restricted), state(internal)
    body = {"person_id": new_leader.pk}
    # bob: the office's duty officer reads the internal issue (403 for the change) but not the 内参 one (404).
    r = api(duty).post(f"/bulletins/issues/{internal.pk}/readers", body)
    assert r.status_code == 403 and "只有编印单位的编辑" in r.json()["message"]
    assert api(duty).post(f"/bulletins/issues/{restricted.pk}/readers", body).status_code == 404
    leader = api(cast.county_leader)
    assert leader.post(f"/bulletins/issues/{restricted.pk}/readers", body).status_code == 403
    assert (
        leader.delete(f"/bulletins/issues/{restricted.pk}/readers/{cast.city_editor.pk}").status_code == 403
    )
    # A named reader may read, not name others.
    assert api(cast.city_editor).post(f"/bulletins/issues/{restricted.pk}/readers", body).status_code == 403
    # charlie: another county's editor, 404 as for a missing issue.
    charlie = api(cast.other_editor)
    r = charlie.post(f"/bulletins/issues/{restricted.pk}/readers", body)
    assert r.status_code == 404 and "期刊不存在或无权查看" in r.json()["message"]
    assert (
        charlie.delete(f"/bulletins/issues/{restricted.pk}/readers/{cast.city_editor.pk}").status_code == 404
    )
    assert (state(restricted), state(internal)) == before
