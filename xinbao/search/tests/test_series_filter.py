"""The series filter (刊物, issue 7 item 5): items printed as an entry of a published issue of the chosen series,
offered and accepted only for series the reader may see (bulletins.selectors), on the page and in the API.

Two series of 中共安平县委办公室: 安平信息 (内部) with one published and one draft issue, and 信息专报 (内参) with
one published issue for a named reader. The county leader may filter by 信息专报; the duty officer of the same office
(another role) may not; charlie (an editor of another county) may filter by neither. The township informant, whose
items were printed in 安平信息, may filter by it (credited units read the internal issue)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import make_user
from xinbao.bulletins.models import Classification, Issue
from xinbao.bulletins.services import issue_publish, issue_readers_set, issue_sign
from xinbao.bulletins.tests.factories import make_issue, make_series, publish
from xinbao.common.errors import ValidationFailed
from xinbao.search.selectors import parse_query, report_search

pytestmark = pytest.mark.django_db

QUERY = "隐患大排查"  # every factory item's title: 城关镇开展冬季安全隐患大排查N


@pytest.fixture
def printed(world, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        internal = make_series(world, cast)
        published = publish(world, cast, internal)
        draft = make_issue(world, cast, internal)  # not published: its item is not "in the series" yet
        restricted = make_series(
            world, cast, name="信息专报", code="apzb", classification=Classification.RESTRICTED
        )
        special = make_issue(world, cast, restricted)
        issue_readers_set(actor=cast.county_editor, issue=special, readers=[cast.city_editor])
        issue_sign(actor=cast.county_leader, issue=special)
        issue_publish(actor=cast.county_editor, issue=Issue.objects.get(pk=special.pk))
    entry = lambda issue: issue.entries.get().report_id  # noqa: E731
    return {
        "internal": internal,
        "restricted": restricted,
        "published": entry(published),
        "draft": entry(draft),
        "special": entry(special),
    }


@pytest.fixture
def duty(world):
    return make_user(world.county_party_office, Role.DUTY_OFFICER, full_name="值班员")


def found(user, **filters):
    return {r.pk for r in report_search(user=user, query=parse_query(QUERY), filters=filters)}


def test_series_keeps_items_printed_in_its_published_issues(cast, printed):
    editor = cast.county_editor
    assert found(editor) == {printed["published"], printed["draft"], printed["special"]}
    assert found(editor, series=printed["internal"].pk) == {
        printed["published"]
    }  # the draft issue does not count
    assert found(editor, series=printed["restricted"]) == {printed["special"]}  # a Series object works too
    assert found(editor, series=printed["internal"].pk, type="problem") == set()  # with the other filters


def test_series_filter_refused_for_a_series_the_reader_may_not_see(cast, printed, duty):
    assert found(cast.county_leader, series=printed["restricted"].pk) == {printed["special"]}  # may
    assert found(cast.informant, series=printed["internal"].pk) == {
        printed["published"]
    }  # credited unit: may
    for user, series in (
        (duty, printed["restricted"]),  # same office, another role: a 内参 series reaches named readers only
        (cast.other_editor, printed["internal"]),  # another county
        (cast.county_editor, 999_999),  # no such series
    ):
        with pytest.raises(ValidationFailed) as exc:
            found(user, series=getattr(series, "pk", series))
        assert exc.value.message == "所选刊物不存在或无权查看" and exc.value.field == "series"


def test_search_page_offers_and_applies_visible_series_only(cast, printed, duty):
    url = reverse("search:search")
    leader = Client()
    leader.force_login(cast.county_leader)
    html = leader.get(url).content.decode()
    assert "安平信息（" in html and "信息专报（" in html
    html = leader.get(url, {"q": QUERY, "series": printed["restricted"].pk}).content.decode()
    assert "共找到 1 条" in html and f"/reports/{printed['special']}/" in html

    colleague = Client()
    colleague.force_login(duty)
    html = colleague.get(url).content.decode()
    assert "安平信息（" in html and "信息专报（" not in html  # not offered
    html = colleague.get(url, {"q": QUERY, "series": printed["restricted"].pk}).content.decode()
    assert "所选刊物不存在或无权查看" in html and 'id="search-results"' not in html  # and not accepted

    stranger = Client()
    stranger.force_login(cast.other_editor)
    for value in (printed["internal"].pk, printed["restricted"].pk, "abc"):
        html = stranger.get(url, {"q": QUERY, "series": value}).content.decode()
        assert "所选刊物不存在或无权查看" in html and 'id="search-results"' not in html
        assert "隐患大排查" not in html.replace(f'value="{QUERY}"', "")  # no title leaks


def test_search_api_series_filter(cast, printed, duty):
    from xinbao.accounts.services import token_issue

    def api(user):
        return Client(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=user)[1]}")

    response = api(cast.county_leader).get("/api/v1/search", {"q": QUERY, "series": printed["restricted"].pk})
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [printed["special"]]
    for user, series in (
        (duty, printed["restricted"].pk),
        (cast.other_editor, printed["internal"].pk),
        (cast.county_editor, 999_999),
    ):
        response = api(user).get("/api/v1/search", {"q": QUERY, "series": series})
        body = response.json()
        assert response.status_code == 400 and "results" not in body
        assert body["code"] == "invalid" and body["message"] == "所选刊物不存在或无权查看"
    assert api(cast.county_editor).get("/api/v1/search", {"q": QUERY, "series": "abc"}).status_code == 422
