"""Reading scope (issue 4 item 4): classification and distribution decide who reads an issue; 内参 issues reach
named readers only; no unit below the office may be put on a restricted issue's distribution.
alice may, bob is in the same office with another role (or a same-office colleague), charlie is in another county."""

import pytest

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import make_user
from xinbao.bulletins.models import Classification, Issue, IssueRecipient, RecipientKind
from xinbao.bulletins.selectors import issue_get_visible, issue_list_visible_to
from xinbao.bulletins.services import issue_readers_set, issue_recipients_set, issue_update, series_create
from xinbao.bulletins.tests.factories import make_issue, make_series, publish
from xinbao.common.errors import NotFound, ValidationFailed


@pytest.fixture
def people(world, cast):
    return {
        "editor": cast.county_editor,
        "leader": cast.county_leader,
        "duty": make_user(world.county_party_office, Role.DUTY_OFFICER, full_name="值班员"),
        "city_leader": make_user(world.city_party_office, Role.LEADER, full_name="市领导"),
        "city_editor": cast.city_editor,
        "gov_editor": cast.county_gov_editor,
        "township_informant": cast.informant,  # 城关镇: credited for the items (factories use its reports)
        "sibling": cast.sibling_informant,  # 白沙镇: not credited, not on the list
        "charlie": cast.other_editor,  # 石桥县
    }


def _readers_of(issue, people):
    return {
        name for name, user in people.items() if issue_list_visible_to(user=user).filter(pk=issue.pk).exists()
    }


@pytest.mark.django_db
def test_draft_only_for_the_office_editors_and_leaders(world, cast, people):
    issue = make_issue(world, cast, make_series(world, cast))
    assert _readers_of(issue, people) == {"editor", "leader"}
    with pytest.raises(NotFound):
        issue_get_visible(user=people["charlie"], pk=issue.pk)


@pytest.mark.django_db
def test_internal_issue_reaches_office_distribution_and_credited_units(world, cast, people):
    # Default distribution: 报 市委办, 送 县政府办.
    issue = publish(world, cast, make_series(world, cast))
    assert _readers_of(issue, people) == {
        "editor",
        "leader",
        "duty",
        "city_leader",
        "city_editor",
        "gov_editor",
        "township_informant",
    }


@pytest.mark.django_db
def test_public_issue_reaches_everyone_signed_in(world, cast, people):
    issue = publish(world, cast, make_series(world, cast, classification=Classification.PUBLIC))
    assert _readers_of(issue, people) == set(people)


@pytest.mark.django_db
@pytest.mark.parametrize("classification", [Classification.RESTRICTED, Classification.SECRET])
def test_restricted_issue_reaches_named_readers_only(world, cast, people, classification):
    series = make_series(world, cast, name="信息专报", code="apzb", classification=classification)
    issue = make_issue(world, cast, series)
    issue_readers_set(actor=cast.county_editor, issue=issue, readers=[people["city_leader"]])
    from xinbao.bulletins.services import issue_publish, issue_sign

    issue_sign(actor=cast.county_leader, issue=issue)
    issue = issue_publish(actor=cast.county_editor, issue=Issue.objects.get(pk=issue.pk))
    # On the distribution list (市委办, 县政府办) but not named: the city editor and the gov office may not read it;
    # the township whose item it printed may not either.
    assert _readers_of(issue, people) == {"editor", "leader", "city_leader"}
    for name in ("city_editor", "gov_editor", "township_informant", "duty", "charlie"):
        with pytest.raises(NotFound):
            issue_get_visible(user=people[name], pk=issue.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("classification", [Classification.RESTRICTED, Classification.SECRET])
def test_lower_units_cannot_be_put_on_a_restricted_distribution(world, cast, classification):
    series = make_series(world, cast, name="信息专报", code="apzb", classification=classification)
    issue = make_issue(world, cast, series)
    before = list(IssueRecipient.objects.filter(issue=issue).values_list("unit_id", "kind"))
    for unit in (world.township, world.county_dept):
        with pytest.raises(ValidationFailed, match="内参（限定范围）刊物不能分送下级单位"):
            issue_recipients_set(
                actor=cast.county_editor, issue=issue, recipients={RecipientKind.ISSUE: [unit]}
            )
    with pytest.raises(ValidationFailed, match="不能指定下级单位人员"):
        issue_readers_set(actor=cast.county_editor, issue=issue, readers=[cast.informant])
    assert list(IssueRecipient.objects.filter(issue=issue).values_list("unit_id", "kind")) == before
    assert not issue.readers.exists()
    # Upward and to the peer office is fine.
    issue_recipients_set(
        actor=cast.county_editor,
        issue=issue,
        recipients={
            RecipientKind.REPORT: [world.city_party_office],
            RecipientKind.SEND: [world.county_gov_office],
        },
    )


@pytest.mark.django_db
def test_turning_an_issue_restricted_with_a_township_on_its_list_is_refused(world, cast):
    issue = make_issue(world, cast, make_series(world, cast))
    issue_recipients_set(
        actor=cast.county_editor, issue=issue, recipients={RecipientKind.ISSUE: [world.township]}
    )
    issue.refresh_from_db()
    with pytest.raises(ValidationFailed, match="不能分送下级单位：安平县城关镇"):
        issue_update(
            actor=cast.county_editor,
            issue=issue,
            editor_note="",
            classification=Classification.RESTRICTED,
            copies=10,
        )
    assert Issue.objects.get(pk=issue.pk).classification == Classification.INTERNAL


@pytest.mark.django_db
def test_restricted_series_refuses_a_lower_default_recipient(world, cast):
    with pytest.raises(ValidationFailed, match="不能分送下级单位"):
        series_create(
            actor=cast.county_editor,
            name="内参",
            code="apnc",
            classification=Classification.RESTRICTED,
            recipients={RecipientKind.ISSUE: [world.township2]},
        )
