"""Named readers and audited reads of restricted items (PRODUCT 3.1, issue 3 item 6): a restricted item flows
upward only — the system refuses to add lower-level or sibling units' people to its distribution."""

import pytest

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import make_user
from xinbao.audit.models import AuditEvent, EventType
from xinbao.common.errors import NotFound, NotPermitted, ValidationFailed
from xinbao.reports.models import ReportReader, Visibility
from xinbao.reports.selectors import report_list_visible_to
from xinbao.reports.services import (
    report_forward,
    report_reader_add,
    report_reader_remove,
    report_record_read,
)
from xinbao.reports.tests.factories import make_sent_report, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def restricted(cast):
    return make_sent_report(cast, title="城关镇部分群众反映征地补偿不到位", visibility=Visibility.RESTRICTED)


def _visible(user, report):
    return report_list_visible_to(user=user).filter(pk=report.pk).exists()


def test_signer_names_a_county_department_reader_who_then_sees_the_item(world, cast, restricted):
    reader = make_user(world.county_dept, Role.INFORMANT, full_name="县教育局 李明")
    assert not _visible(reader, restricted)
    report_reader_add(actor=cast.signer, report=restricted, person=reader)
    assert _visible(reader, restricted)
    event = AuditEvent.objects.filter(object_id=str(restricted.pk)).latest("pk")
    assert event.detail["reader_added"] == reader.pk
    report_reader_remove(actor=cast.signer, report=restricted, person=reader)
    assert not _visible(reader, restricted)
    assert (
        AuditEvent.objects.filter(object_id=str(restricted.pk)).latest("pk").detail["reader_removed"]
        == reader.pk
    )


def test_target_office_editor_names_a_colleague_of_the_unit_and_a_city_person(world, cast, restricted):
    report_reader_add(actor=cast.county_editor, report=restricted, person=cast.colleague)
    assert _visible(cast.colleague, restricted)
    city_leader = make_user(world.city_party_office, Role.LEADER)
    report_reader_add(actor=cast.county_editor, report=restricted, person=city_leader)
    assert _visible(city_leader, restricted)
    # The county leader is of an office the item reached: allowed, though leaders do not see restricted items.
    assert not _visible(cast.county_leader, restricted)
    report_reader_add(actor=cast.county_editor, report=restricted, person=cast.county_leader)
    assert _visible(cast.county_leader, restricted)


@pytest.mark.parametrize(
    "who, message",
    [
        ("sibling_informant", "不能下发或平行分享"),  # 白沙镇: same level, sibling
        ("other_editor", "不能平行分享"),  # 石桥县委办: higher level but another county
        ("other_township", "不能下发或平行分享"),  # 龙潭镇 of another county
    ],
)
def test_lower_and_sibling_units_are_refused(world, cast, restricted, who, message):
    person = (
        make_user(world.other_township, Role.INFORMANT) if who == "other_township" else getattr(cast, who)
    )
    before = snapshot(restricted)
    with pytest.raises(ValidationFailed, match=message) as info:
        report_reader_add(actor=cast.county_editor, report=restricted, person=person)
    assert info.value.field == "person"
    assert snapshot(restricted) == before
    assert not _visible(person, restricted)


def test_items_of_an_office_cannot_be_shared_down_to_townships(world, cast, restricted):
    forwarded = report_forward(actor=cast.county_editor, report=restricted)
    before = snapshot(forwarded)
    # The county office's own item: a township (lower) and a county department (same level, sideways) are refused.
    for person in (cast.sibling_informant, make_user(world.county_dept, Role.INFORMANT)):
        with pytest.raises(ValidationFailed):
            report_reader_add(actor=cast.county_editor, report=forwarded, person=person)
    assert snapshot(forwarded) == before
    # Upward is fine: the city office the item was forwarded to.
    report_reader_add(
        actor=cast.county_editor, report=forwarded, person=make_user(world.city_gov_office, Role.LEADER)
    )


def test_only_the_signer_or_a_reached_office_editor_names_readers(world, cast, restricted):
    reader = make_user(world.county_dept, Role.INFORMANT)
    # alice (signer) may — shown above; bob: same unit, informant; county leader: office, not editor; charlie: other
    # county's editor; the city editor before the item was forwarded to the city.
    for actor in (cast.informant, cast.colleague, cast.county_leader, cast.other_editor, cast.city_editor):
        before = snapshot(restricted)
        with pytest.raises(NotPermitted):
            report_reader_add(actor=actor, report=restricted, person=reader)
        assert snapshot(restricted) == before


def test_duplicate_and_unknown_readers(world, cast, restricted):
    reader = make_user(world.county_dept, Role.INFORMANT)
    report_reader_add(actor=cast.signer, report=restricted, person=reader)
    with pytest.raises(ValidationFailed, match="已是"):
        report_reader_add(actor=cast.county_editor, report=restricted, person=reader)
    assert ReportReader.objects.filter(report=restricted).count() == 1
    with pytest.raises(NotFound):
        report_reader_remove(actor=cast.signer, report=restricted, person=cast.colleague)
    with pytest.raises(NotPermitted):
        report_reader_remove(actor=cast.other_editor, report=restricted, person=reader)
    assert ReportReader.objects.filter(report=restricted).count() == 1
    inactive = make_user(world.county_dept, Role.INFORMANT, is_active=False)
    with pytest.raises(ValidationFailed, match="在岗"):
        report_reader_add(actor=cast.signer, report=restricted, person=inactive)


def test_every_read_of_a_restricted_item_is_audited(cast, restricted):
    normal = make_sent_report(cast, title="城关镇举办农民丰收节")
    assert report_record_read(user=cast.county_editor, report=normal) is None
    count = AuditEvent.objects.filter(event_type=EventType.RESTRICTED_READ).count()
    for user in (cast.informant, cast.county_editor, cast.county_editor):
        event = report_record_read(user=user, report=restricted)
        assert (event.event_type, event.actor_id, event.object_id) == (
            EventType.RESTRICTED_READ,
            user.pk,
            str(restricted.pk),
        )
    assert AuditEvent.objects.filter(event_type=EventType.RESTRICTED_READ).count() == count + 3
