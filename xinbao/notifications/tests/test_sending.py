"""Notices are written only after the change commits, and copied by e-mail when e-mail is configured."""

from __future__ import annotations

import pytest
from django.db import transaction

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import make_user
from xinbao.notifications.models import Notification
from xinbao.notifications.services import notifications_captured, notify
from xinbao.reports.models import ReportState
from xinbao.reports.services import report_signoff, report_submit
from xinbao.reports.tests.factories import make_cast, make_report

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


class Boom(Exception):
    pass


@pytest.mark.django_db
def test_a_service_that_commits_notifies_one_that_rolls_back_does_not(
    world, django_capture_on_commit_callbacks
):
    cast = make_cast(world)
    report = make_report(cast.informant)
    report_submit(actor=cast.informant, report=report, key="k")

    # Refusal inside a transaction that then fails: the service's notices must vanish with it.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Boom):
            with transaction.atomic():
                report_signoff(actor=cast.signer, report=report, approve=False, reason="数据需核实")
                raise Boom
    assert callbacks == []
    assert not Notification.objects.filter(kind="signoff_refused").exists()
    report.refresh_from_db()
    assert report.state == ReportState.PENDING_SIGNOFF

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report_signoff(actor=cast.signer, report=report, approve=False, reason="数据需核实")
    assert callbacks
    refused = Notification.objects.filter(kind="signoff_refused")
    assert set(refused.values_list("recipient", flat=True)) >= {cast.informant.pk, cast.county_editor.pk}
    mine = refused.get(recipient=cast.informant)
    assert mine.body == "数据需核实" and mine.url == f"/reports/{report.pk}/"


@pytest.mark.django_db
def test_nothing_is_written_before_commit(world, django_capture_on_commit_callbacks):
    person = make_user(world.township, Role.INFORMANT)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipients=[person], kind="k", title="标题")
        assert not Notification.objects.exists()
    assert len(callbacks) == 1
    callbacks[0]()
    assert Notification.objects.get().recipient == person


@pytest.mark.django_db(transaction=True)
def test_real_commit_and_rollback(world):
    """The same rule with real transactions (no test wrapper): only a committed change notifies."""
    person = make_user(world.township, Role.INFORMANT)
    with pytest.raises(Boom):
        with transaction.atomic():
            notify(recipients=[person], kind="k", title="回滚")
            raise Boom
    assert not Notification.objects.exists()
    with transaction.atomic():
        notify(recipients=[person, person, None], kind="k", title="提交")
        assert not Notification.objects.exists()
    assert list(Notification.objects.values_list("title", flat=True)) == ["提交"]


@pytest.mark.django_db
def test_email_copy_when_configured_and_the_person_has_an_address(
    world, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.NOTIFY_BY_EMAIL = True
    settings.TASKS = IMMEDIATE
    with_mail = make_user(world.township, Role.INFORMANT, email="zhu@example.cn")
    without = make_user(world.township, Role.INFORMANT)
    inactive = make_user(world.township, Role.INFORMANT, email="old@example.cn", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[with_mail, without, inactive],
            kind="report_adopted",
            title="您的信息被县委办采用",
            body="《城关镇开展冬季安全隐患大排查》",
            url="/reports/5/",
        )
    assert Notification.objects.count() == 3
    assert [m.to for m in mailoutbox] == [["zhu@example.cn"]]
    assert mailoutbox[0].subject == "【信报】您的信息被县委办采用"
    assert "/reports/5/" in mailoutbox[0].body
    assert Notification.objects.get(recipient=with_mail).emailed_at is not None
    assert Notification.objects.get(recipient=without).emailed_at is None


@pytest.mark.django_db
def test_no_email_when_not_configured(world, settings, mailoutbox, django_capture_on_commit_callbacks):
    settings.NOTIFY_BY_EMAIL = False
    settings.TASKS = IMMEDIATE
    person = make_user(world.township, Role.INFORMANT, email="zhu@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[person], kind="k", title="标题")
    assert Notification.objects.count() == 1
    assert mailoutbox == []


@pytest.mark.django_db
def test_the_email_task_does_not_send_twice(world, settings, mailoutbox):
    from xinbao.notifications.tasks import notification_email_send

    settings.NOTIFY_BY_EMAIL = True
    settings.TASKS = IMMEDIATE
    person = make_user(world.township, Role.INFORMANT, email="zhu@example.cn")
    n = Notification.objects.create(recipient=person, kind="k", title="标题")
    for _ in range(2):
        notification_email_send.enqueue(
            recipient_ids=[person.pk], title="标题", body="", url="", notification_ids=[n.pk]
        )
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_captured_notices_are_collected_not_written(world, django_capture_on_commit_callbacks):
    person = make_user(world.township, Role.INFORMANT)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with notifications_captured() as sink:
            notify(recipients=[person], kind="k", title="演示")
    assert callbacks == [] and not Notification.objects.exists()
    assert [(c.recipient_ids, c.title) for c in sink] == [((person.pk,), "演示")]
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[person], kind="k", title="之后照常")
    assert Notification.objects.get().title == "之后照常"
